//! `xen/include/public/sysctl.h` (Xen 4.20, `XEN_SYSCTL_INTERFACE_VERSION` 0x15, as in 4.17):
//! x86-only layouts (the system CPU policies). Compiled everywhere; the layout table lists them
//! for x86_64 only.

use crate::GuestHandle;

xen_abi! {
    header "sysctl.h";
    structs {
        /// `struct xen_sysctl_cpu_policy`.
        "struct xen_sysctl_cpu_policy" size 32 align 8;
        pub struct XenSysctlCpuPolicy {
            /// Index.
            0 index: u32,
            /// CPUID leaves in/out.
            4 nr_leaves: u32,
            /// MSRs in/out.
            8 nr_msrs: u32,
            /// `_rsvd`.
            12 _rsvd: u32,
            /// CPUID leaf array.
            16 leaves: GuestHandle<u8>,
            /// MSR array.
            24 msrs: GuestHandle<u8>,
        }
    }
}
