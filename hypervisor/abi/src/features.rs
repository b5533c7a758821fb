//! `xen/include/public/features.h` (Xen 4.20): the `XENFEAT_*` bit numbers reported by
//! `XENVER_get_features`.

xen_abi! {
    header "features.h";
    enums {
        /// A feature bit number (`XENFEAT_*`), in submap `n / 32`.
        pub enum XenFeat: u32 {
            /// PV page tables are writable.
            WritablePageTables = XENFEAT_writable_page_tables = 0,
            /// PV descriptor tables are writable.
            WritableDescriptorTables = XENFEAT_writable_descriptor_tables = 1,
            /// The physmap is translated by Xen (HVM, PVH, Arm).
            AutoTranslatedPhysmap = XENFEAT_auto_translated_physmap = 2,
            /// Kernel runs in ring 0 (obsolete).
            SupervisorModeKernel = XENFEAT_supervisor_mode_kernel = 3,
            /// PAE page directories may be above 4 GiB.
            PaePgdirAbove4gb = XENFEAT_pae_pgdir_above_4gb = 4,
            /// `MMU_PT_UPDATE_PRESERVE_AD` works.
            MmuPtUpdatePreserveAd = XENFEAT_mmu_pt_update_preserve_ad = 5,
            /// Highmem assist (x86_32).
            HighmemAssist = XENFEAT_highmem_assist = 6,
            /// Grant mappings may use the PTE's available bits.
            GnttabMapAvailBits = XENFEAT_gnttab_map_avail_bits = 7,
            /// HVM callback via an IDT vector.
            HvmCallbackVector = XENFEAT_hvm_callback_vector = 8,
            /// pvclock is safe for HVM.
            HvmSafePvclock = XENFEAT_hvm_safe_pvclock = 9,
            /// HVM guests can use PIRQs.
            HvmPirqs = XENFEAT_hvm_pirqs = 10,
            /// The domain is dom0.
            Dom0 = XENFEAT_dom0 = 11,
            /// `XENMEM_get_vnumainfo` is supported.
            MemoryOpVnodeSupported = XENFEAT_memory_op_vnode_supported = 13,
            /// Arm SMCCC is supported.
            ArmSmcccSupported = XENFEAT_ARM_SMCCC_supported = 14,
            /// The RSDP may be anywhere (Linux PVH).
            LinuxRsdpUnrestricted = XENFEAT_linux_rsdp_unrestricted = 15,
            /// The domain is not direct-mapped.
            NotDirectMapped = XENFEAT_not_direct_mapped = 16,
            /// The domain is direct-mapped (gfn == mfn).
            DirectMapped = XENFEAT_direct_mapped = 17,
            /// `VCPUOP_register_runstate_phys_area` works.
            RunstatePhysArea = XENFEAT_runstate_phys_area = 18 => since "4.18",
            /// `VCPUOP_register_vcpu_time_phys_area` works.
            VcpuTimePhysArea = XENFEAT_vcpu_time_phys_area = 19 => since "4.18",
            /// Device models see all MSI-X table writes.
            DmMsixAllWrites = XENFEAT_dm_msix_all_writes = 20 => since "4.19",
        }
    }
    consts {
        /// Number of 32-bit feature submaps.
        pub const XENFEAT_NR_SUBMAPS: u32 = 1;
    }
}
