//! `xen/include/public/io/xenbus.h` (Xen 4.20): the xenbus state machine every split driver
//! publishes in its xenstore `state` node.

xen_abi! {
    header "io/xenbus.h";
    enums {
        /// A device's state in xenstore (`enum xenbus_state`).
        pub enum XenbusState: u32 {
            /// Unknown.
            Unknown = XenbusStateUnknown = 0,
            /// Initialising.
            Initialising = XenbusStateInitialising = 1,
            /// Waiting for the peer's details.
            InitWait = XenbusStateInitWait = 2,
            /// Initialised; waiting for a connection.
            Initialised = XenbusStateInitialised = 3,
            /// Connected.
            Connected = XenbusStateConnected = 4,
            /// Closing.
            Closing = XenbusStateClosing = 5,
            /// Closed.
            Closed = XenbusStateClosed = 6,
            /// Reconfiguring.
            Reconfiguring = XenbusStateReconfiguring = 7,
            /// Reconfigured.
            Reconfigured = XenbusStateReconfigured = 8,
        }
    }
}
