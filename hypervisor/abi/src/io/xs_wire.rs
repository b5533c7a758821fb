//! `xen/include/public/io/xs_wire.h` (Xen 4.20, unchanged since 4.17): the xenstore wire
//! protocol — message types, the 16-byte header, the error names, and the shared ring page a
//! domain uses to talk to xenstored. The decoder and encoder are in [`super::xenstore`].

use crate::Errno;

xen_abi! {
    header "io/xs_wire.h";
    structs {
        /// `struct xsd_sockmsg`: the header before every message's payload.
        "struct xsd_sockmsg" size 16 align 4;
        pub struct XsdSockmsg {
            /// `XS_*`.
            0 kind as "type": u32,
            /// Echoed in the reply.
            4 req_id: u32,
            /// Transaction id (0: none).
            8 tx_id: u32,
            /// Payload bytes that follow (at most `XENSTORE_PAYLOAD_MAX`).
            12 len: u32,
        }

        /// `struct xenstore_domain_interface`: the xenstore ring page.
        "struct xenstore_domain_interface" size 2076 align 4;
        pub struct XenstoreDomainInterface {
            /// Requests (guest to xenstored).
            0 req: [u8; 1024],
            /// Replies and watch events.
            1024 rsp: [u8; 1024],
            /// Request consumer.
            2048 req_cons: u32,
            /// Request producer.
            2052 req_prod: u32,
            /// Response consumer.
            2056 rsp_cons: u32,
            /// Response producer.
            2060 rsp_prod: u32,
            /// `XENSTORE_SERVER_FEATURE_*`.
            2064 server_features: u32,
            /// `XENSTORE_CONNECTED` or `XENSTORE_RECONNECT`.
            2068 connection: u32,
            /// `XENSTORE_ERROR_*`.
            2072 error: u32,
        }
    }
    enums {
        /// A message type (`enum xsd_sockmsg_type`).
        pub enum XsdSockmsgType: u32 {
            /// Control/debug commands (`XS_DEBUG` is the same number).
            Control = XS_CONTROL = 0,
            /// List children.
            Directory = XS_DIRECTORY = 1,
            /// Read a node.
            Read = XS_READ = 2,
            /// Read permissions.
            GetPerms = XS_GET_PERMS = 3,
            /// Add a watch.
            Watch = XS_WATCH = 4,
            /// Remove a watch.
            Unwatch = XS_UNWATCH = 5,
            /// Start a transaction.
            TransactionStart = XS_TRANSACTION_START = 6,
            /// End a transaction.
            TransactionEnd = XS_TRANSACTION_END = 7,
            /// Introduce a domain (dom0).
            Introduce = XS_INTRODUCE = 8,
            /// Release a domain (dom0).
            Release = XS_RELEASE = 9,
            /// A domain's home path.
            GetDomainPath = XS_GET_DOMAIN_PATH = 10,
            /// Write a node.
            Write = XS_WRITE = 11,
            /// Create a node.
            Mkdir = XS_MKDIR = 12,
            /// Remove a node.
            Rm = XS_RM = 13,
            /// Set permissions.
            SetPerms = XS_SET_PERMS = 14,
            /// A watch fired (xenstored to client).
            WatchEvent = XS_WATCH_EVENT = 15,
            /// An error reply.
            Error = XS_ERROR = 16,
            /// Whether a domain is introduced.
            IsDomainIntroduced = XS_IS_DOMAIN_INTRODUCED = 17,
            /// Resume a domain.
            Resume = XS_RESUME = 18,
            /// Make a domain a device model's target.
            SetTarget = XS_SET_TARGET = 19,
            /// Remove every watch and transaction.
            ResetWatches = XS_RESET_WATCHES = 21,
            /// List children, in parts.
            DirectoryPart = XS_DIRECTORY_PART = 22,
        }

        /// The fields of an `XS_WATCH_EVENT` payload (`enum xs_watch_type`).
        pub enum XsWatchType: u32 {
            /// The path that changed.
            Path = XS_WATCH_PATH = 0,
            /// The watch's token.
            Token = XS_WATCH_TOKEN = 1,
        }
    }
    consts {
        /// Alias of `XS_CONTROL`.
        pub const XS_DEBUG: u32 = 0;
        /// Number of message types (one past the last).
        pub const XS_TYPE_COUNT: u32 = 23;
        /// Guaranteed never to be a valid type.
        pub const XS_INVALID: u32 = 0xffff;
        /// Size of each ring in the interface page.
        pub const XENSTORE_RING_SIZE: u32 = 1024;
        /// Largest payload.
        pub const XENSTORE_PAYLOAD_MAX: u32 = 4096;
        /// Longest absolute path.
        pub const XENSTORE_ABS_PATH_MAX: u32 = 3072;
        /// Longest relative path.
        pub const XENSTORE_REL_PATH_MAX: u32 = 2048;
        /// The server can reconnect.
        pub const XENSTORE_SERVER_FEATURE_RECONNECTION: u32 = 1;
        /// The server reports errors in `error`.
        pub const XENSTORE_SERVER_FEATURE_ERROR: u32 = 2;
        /// Connected.
        pub const XENSTORE_CONNECTED: u32 = 0;
        /// Reconnect in progress.
        pub const XENSTORE_RECONNECT: u32 = 1;
        /// No error.
        pub const XENSTORE_ERROR_NONE: u32 = 0;
        /// Communication problem.
        pub const XENSTORE_ERROR_COMM: u32 = 1;
        /// Invalid ring index.
        pub const XENSTORE_ERROR_RINGIDX: u32 = 2;
        /// Protocol violation.
        pub const XENSTORE_ERROR_PROTO: u32 = 3;
    }
}

/// `xsd_errors`: the errors an `XS_ERROR` reply may name, in the header's order.
pub const XSD_ERRORS: [Errno; 16] = [
    Errno::EINVAL,
    Errno::EACCES,
    Errno::EEXIST,
    Errno::EISDIR,
    Errno::ENOENT,
    Errno::ENOMEM,
    Errno::ENOSPC,
    Errno::EIO,
    Errno::ENOTEMPTY,
    Errno::ENOSYS,
    Errno::EROFS,
    Errno::EBUSY,
    Errno::EAGAIN,
    Errno::EISCONN,
    Errno::E2BIG,
    Errno::EPERM,
];

/// `XS_WRITE_NONE`: an old `XS_WRITE` mode word (C string, so not in the layout table).
pub const XS_WRITE_NONE: &str = "NONE";
/// `XS_WRITE_CREATE`: an old `XS_WRITE` mode word.
pub const XS_WRITE_CREATE: &str = "CREATE";
/// `XS_WRITE_CREATE_EXCL`: an old `XS_WRITE` mode word.
pub const XS_WRITE_CREATE_EXCL: &str = "CREATE|EXCL";
