//! `xen/include/public/io/console.h` (Xen 4.20): the PV console ring page shared by a guest and
//! its console back end (xenconsoled or Ferrite itself). Indices are free-running; mask with
//! the ring size.

xen_abi! {
    header "io/console.h";
    structs {
        /// `struct xencons_interface`: the PV console ring page.
        "struct xencons_interface" size 3088 align 4;
        pub struct XenconsInterface {
            /// Input (back end to guest).
            0 r#in: [u8; 1024],
            /// Output (guest to back end).
            1024 out: [u8; 2048],
            /// Input consumer.
            3072 in_cons: u32,
            /// Input producer.
            3076 in_prod: u32,
            /// Output consumer.
            3080 out_cons: u32,
            /// Output producer.
            3084 out_prod: u32,
        }
    }
}
