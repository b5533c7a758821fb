//! `xen/include/public/arch-x86/cpuid.h` (Xen 4.20): the hypervisor CPUID leaves at
//! 0x40000000 (or 0x40000100 when Viridian takes the first range) and their feature bits.
//!
//! Leaf layout, relative to the base: +0 max leaf and signature "XenVMMXenVMM"; +1 version
//! (eax = major << 16 | minor); +2 hypercall pages (eax) and MSR (ebx); +3 time (sub-leaves);
//! +4 HVM features (eax `XEN_HVM_CPUID_*`, ebx vCPU id, ecx domid); +5 PV features.

xen_abi! {
    header "arch-x86/cpuid.h";
    consts {
        /// First base Xen probes.
        pub const XEN_CPUID_FIRST_LEAF: u32 = 0x4000_0000;
        /// Signature in ebx of the base leaf ("XenV").
        pub const XEN_CPUID_SIGNATURE_EBX: u32 = 0x566e_6558;
        /// Signature in ecx ("MMXe").
        pub const XEN_CPUID_SIGNATURE_ECX: u32 = 0x6558_4d4d;
        /// Signature in edx ("nVMM").
        pub const XEN_CPUID_SIGNATURE_EDX: u32 = 0x4d4d_566e;
        /// Leaf 3 sub-leaf 0 eax: the TSC is emulated.
        pub const XEN_CPUID_TSC_EMULATED: u32 = 1 << 0 => since "4.18";
        /// The host TSC is reliable.
        pub const XEN_CPUID_HOST_TSC_RELIABLE: u32 = 1 << 1 => since "4.18";
        /// RDTSCP is available.
        pub const XEN_CPUID_RDTSCP_INSTR_AVAIL: u32 = 1 << 2 => since "4.18";
        /// ebx: default TSC mode.
        pub const XEN_CPUID_TSC_MODE_DEFAULT: u32 = 0 => since "4.18";
        /// Always emulate the TSC.
        pub const XEN_CPUID_TSC_MODE_ALWAYS_EMULATE: u32 = 1 => since "4.18";
        /// Never emulate the TSC.
        pub const XEN_CPUID_TSC_MODE_NEVER_EMULATE: u32 = 2 => since "4.18";
        /// PV RDTSCP.
        pub const XEN_CPUID_TSC_MODE_PVRDTSCP: u32 = 3 => since "4.18";
        /// Leaf 4 eax: virtualised APIC register access.
        pub const XEN_HVM_CPUID_APIC_ACCESS_VIRT: u32 = 1 << 0;
        /// Virtualised x2APIC access.
        pub const XEN_HVM_CPUID_X2APIC_VIRT: u32 = 1 << 1;
        /// IOMMU mappings are identity (PV-IOMMU hint).
        pub const XEN_HVM_CPUID_IOMMU_MAPPINGS: u32 = 1 << 2;
        /// ebx holds the vCPU id.
        pub const XEN_HVM_CPUID_VCPU_ID_PRESENT: u32 = 1 << 3;
        /// ecx holds the domid.
        pub const XEN_HVM_CPUID_DOMID_PRESENT: u32 = 1 << 4;
        /// MSI addresses may carry extended destination ids.
        pub const XEN_HVM_CPUID_EXT_DEST_ID: u32 = 1 << 5;
        /// Upcall vector per vCPU (`HVMOP_set_evtchn_upcall_vector`).
        pub const XEN_HVM_CPUID_UPCALL_VECTOR: u32 = 1 << 6;
        /// Leaf 5 eax: `MMU_PT_UPDATE_PRESERVE_AD` is supported.
        pub const XEN_CPUID_FEAT1_MMU_PT_UPDATE_PRESERVE_AD: u32 = 1 << 0;
        /// Leaf 5 (PV) eax: machine address width.
        pub const XEN_CPUID_MACHINE_ADDRESS_WIDTH_MASK: u32 = 0xff;
        /// Number of leaves Xen exposes.
        pub const XEN_CPUID_MAX_NUM_LEAVES: u32 = 5;
    }
}
