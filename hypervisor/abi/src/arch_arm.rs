//! `xen/include/public/arch-arm.h` (Xen 4.20), arm64 only: guest handles are 8-byte aligned
//! unions (see [`crate::GuestHandle`]), `XEN_LEGACY_MAX_VCPUS` is 1, `arch_vcpu_info` and
//! `arch_shared_info` are empty, and the guest physical memory map is fixed (`GUEST_*`).

use crate::xen::{VcpuTimeInfo, XenUlong};

xen_abi! {
    header "arch-arm.h";
    structs {
        /// `struct vcpu_guest_core_regs` (arm64 names; the AArch32 aliases share the slots).
        "struct vcpu_guest_core_regs" size 312 align 8;
        pub struct VcpuGuestCoreRegs {
            /// x0-x30.
            0 x as "x0": [u64; 31],
            /// pc.
            248 pc64: u64,
            /// CPSR.
            256 cpsr: u64,
            /// SPSR_EL1.
            264 spsr_el1: u64,
            /// AArch32 SPSR_fiq.
            272 spsr_fiq: u32,
            /// AArch32 SPSR_irq.
            276 spsr_irq: u32,
            /// AArch32 SPSR_und.
            280 spsr_und: u32,
            /// AArch32 SPSR_abt.
            284 spsr_abt: u32,
            /// SP_EL0.
            288 sp_el0: u64,
            /// SP_EL1.
            296 sp_el1: u64,
            /// ELR_EL1.
            304 elr_el1: u64,
        }

        /// `struct vcpu_guest_context` (Arm; toolstack and `VCPUOP_initialise`).
        "struct vcpu_guest_context" size 352 align 8;
        pub struct VcpuGuestContext {
            /// `VGCF_online`.
            0 flags: u32,
            /// Padding.
            4 _pad0: u32,
            /// Core registers.
            8 user_regs: VcpuGuestCoreRegs,
            /// SCTLR_EL1.
            320 sctlr: u64,
            /// TCR_EL1.
            328 ttbcr: u64,
            /// TTBR0_EL1.
            336 ttbr0: u64,
            /// TTBR1_EL1.
            344 ttbr1: u64,
        }

        /// `struct xen_arch_domainconfig` (Arm; toolstack).
        "struct xen_arch_domainconfig" size 12 align 4;
        pub struct XenArchDomainconfig {
            /// `XEN_DOMCTL_CONFIG_GIC_*`.
            0 gic_version: u8,
            /// SVE vector length / 128 (0: no SVE).
            1 sve_vl since "4.18": u8,
            /// `XEN_DOMCTL_CONFIG_TEE_*`.
            2 tee_type: u16,
            /// Number of SPIs.
            4 nr_spis: u32,
            /// Timer frequency (0: the host's).
            8 clock_frequency: u32,
        }

        /// `struct arch_vcpu_info` (Arm): empty.
        "struct arch_vcpu_info" size 0 align 1;
        pub struct ArchVcpuInfo {}

        /// `struct arch_shared_info` (Arm): empty.
        "struct arch_shared_info" size 0 align 1;
        pub struct ArchSharedInfo {}

        /// `struct vcpu_info` (Arm): no upcall mask use, no arch part.
        "struct vcpu_info" size 48 align 8;
        pub struct VcpuInfo {
            /// Set by Xen when an event is pending.
            0 evtchn_upcall_pending: u8,
            /// `pad0` on Arm (no PV upcall mask).
            1 evtchn_upcall_mask as "pad0": u8,
            /// Padding.
            2 _pad0: [u8; 6],
            /// 2-level ABI: which words of `evtchn_pending` to scan.
            8 evtchn_pending_sel: XenUlong,
            /// Arch-specific state (empty).
            16 arch: ArchVcpuInfo,
            /// pvclock.
            16 time: VcpuTimeInfo,
        }

        /// `struct shared_info` (Arm, one legacy vCPU).
        "struct shared_info" size 1088 align 8;
        pub struct SharedInfo {
            /// vCPU 0's info.
            0 vcpu_info: [VcpuInfo; 1],
            /// 2-level ABI pending bits.
            48 evtchn_pending: [XenUlong; 64],
            /// 2-level ABI mask bits.
            560 evtchn_mask: [XenUlong; 64],
            /// Wallclock version (odd while updating).
            1072 wc_version: u32,
            /// Wallclock seconds (low 32 bits).
            1076 wc_sec: u32,
            /// Wallclock nanoseconds.
            1080 wc_nsec: u32,
            /// Wallclock seconds (high 32 bits).
            1084 wc_sec_hi: u32,
            /// Arch-specific state (empty).
            1088 arch: ArchSharedInfo,
        }

        /// `struct xen_pmu_arch`: a one-byte stub (Arm has no vPMU interface).
        "struct xen_pmu_arch" size 1 align 1;
        pub struct XenPmuArch {
            /// Unused.
            0 dummy: u8,
        }
    }
    consts {
        /// The `hvc` immediate of a hypercall.
        pub const XEN_HYPERCALL_TAG: u32 = 0xea1;
        /// `shared_info` holds this many `vcpu_info`s.
        pub const XEN_LEGACY_MAX_VCPUS: u32 = 1;
        /// `vcpu_guest_context.flags`: online.
        pub const VGCF_online: u32 = 1 << 0;
        /// GIC version: the host's.
        pub const XEN_DOMCTL_CONFIG_GIC_NATIVE: u32 = 0;
        /// GICv2.
        pub const XEN_DOMCTL_CONFIG_GIC_V2: u32 = 1;
        /// GICv3.
        pub const XEN_DOMCTL_CONFIG_GIC_V3: u32 = 2;
        /// No TEE mediator.
        pub const XEN_DOMCTL_CONFIG_TEE_NONE: u32 = 0;
        /// OP-TEE mediator.
        pub const XEN_DOMCTL_CONFIG_TEE_OPTEE: u32 = 1;
        /// FF-A mediator.
        pub const XEN_DOMCTL_CONFIG_TEE_FFA: u32 = 2 => since "4.18";
        /// PSTATE Thumb bit.
        pub const PSR_THUMB: u32 = 1 << 5;
        /// FIQ mask.
        pub const PSR_FIQ_MASK: u32 = 1 << 6;
        /// IRQ mask.
        pub const PSR_IRQ_MASK: u32 = 1 << 7;
        /// SError mask.
        pub const PSR_ABT_MASK: u32 = 1 << 8;
        /// Debug mask (AArch64).
        pub const PSR_DBG_MASK: u32 = 1 << 9;
        /// Zero flag.
        pub const PSR_Z: u32 = 1 << 30;
        /// AArch32 SVC mode.
        pub const PSR_MODE_SVC: u32 = 0x13;
        /// EL1 with SP_EL1.
        pub const PSR_MODE_EL1h: u32 = 0x05;
        /// EL1 with SP_EL0.
        pub const PSR_MODE_EL1t: u32 = 0x04;
        /// EL0.
        pub const PSR_MODE_EL0t: u32 = 0x00;
        /// Initial PSTATE of a 32-bit guest.
        pub const PSR_GUEST32_INIT: u32 = PSR_Z | PSR_ABT_MASK | PSR_FIQ_MASK | PSR_IRQ_MASK | PSR_MODE_SVC;
        /// Initial PSTATE of a 64-bit guest.
        pub const PSR_GUEST64_INIT: u32 = PSR_ABT_MASK | PSR_FIQ_MASK | PSR_IRQ_MASK | PSR_MODE_EL1h;
        /// Initial SCTLR_EL1.
        pub const SCTLR_GUEST_INIT: u64 = 0x00c5_0078;
        /// virtio-mmio window.
        pub const GUEST_VIRTIO_MMIO_BASE: u64 = 0x0200_0000;
        /// Its size.
        pub const GUEST_VIRTIO_MMIO_SIZE: u64 = 0x0010_0000;
        /// GICv2 distributor.
        pub const GUEST_GICD_BASE: u64 = 0x0300_1000;
        /// Its size.
        pub const GUEST_GICD_SIZE: u64 = 0x0000_1000;
        /// GICv2 CPU interface.
        pub const GUEST_GICC_BASE: u64 = 0x0300_2000;
        /// Its size.
        pub const GUEST_GICC_SIZE: u64 = 0x0000_2000;
        /// GICv3 distributor.
        pub const GUEST_GICV3_GICD_BASE: u64 = 0x0300_1000;
        /// Its size.
        pub const GUEST_GICV3_GICD_SIZE: u64 = 0x0001_0000;
        /// Number of GICv3 redistributor regions.
        pub const GUEST_GICV3_RDIST_REGIONS: u32 = 1;
        /// GICv3 redistributors.
        pub const GUEST_GICV3_GICR0_BASE: u64 = 0x0302_0000;
        /// Their size.
        pub const GUEST_GICV3_GICR0_SIZE: u64 = 0x0100_0000;
        /// vPCI ECAM.
        pub const GUEST_VPCI_ECAM_BASE: u64 = 0x1000_0000;
        /// Its size.
        pub const GUEST_VPCI_ECAM_SIZE: u64 = 0x1000_0000;
        /// ACPI tables.
        pub const GUEST_ACPI_BASE: u64 = 0x2000_0000;
        /// Their size.
        pub const GUEST_ACPI_SIZE: u64 = 0x0200_0000;
        /// Emulated PL011.
        pub const GUEST_PL011_BASE: u64 = 0x2200_0000;
        /// Its size.
        pub const GUEST_PL011_SIZE: u64 = 0x0000_1000;
        /// vPCI memory space type.
        pub const GUEST_VPCI_ADDR_TYPE_MEM: u64 = 0x0200_0000;
        /// vPCI memory window.
        pub const GUEST_VPCI_MEM_ADDR: u64 = 0x2300_0000;
        /// Its size.
        pub const GUEST_VPCI_MEM_SIZE: u64 = 0x1000_0000;
        /// Grant-table frames.
        pub const GUEST_GNTTAB_BASE: u64 = 0x3800_0000;
        /// Their size.
        pub const GUEST_GNTTAB_SIZE: u64 = 0x0100_0000;
        /// Magic pages (xenstore, console, ...).
        pub const GUEST_MAGIC_BASE: u64 = 0x3900_0000;
        /// Their size.
        pub const GUEST_MAGIC_SIZE: u64 = 0x0100_0000;
        /// Number of RAM banks.
        pub const GUEST_RAM_BANKS: u32 = 2;
        /// RAM bank 0.
        pub const GUEST_RAM0_BASE: u64 = 0x4000_0000;
        /// Its size.
        pub const GUEST_RAM0_SIZE: u64 = 0xc000_0000;
        /// vPCI prefetchable space type (changed from 0x42000000 after 4.17).
        pub const GUEST_VPCI_ADDR_TYPE_PREFETCH_MEM: u64 = 0x4300_0000 => since "4.19";
        /// vPCI prefetchable window.
        pub const GUEST_VPCI_PREFETCH_MEM_ADDR: u64 = 0x1_0000_0000;
        /// Its size.
        pub const GUEST_VPCI_PREFETCH_MEM_SIZE: u64 = 0x1_0000_0000;
        /// RAM bank 1.
        pub const GUEST_RAM1_BASE: u64 = 0x02_0000_0000;
        /// Its size.
        pub const GUEST_RAM1_SIZE: u64 = 0xfe_0000_0000;
        /// First RAM address.
        pub const GUEST_RAM_BASE: u64 = GUEST_RAM0_BASE;
        /// Most RAM a guest can have.
        pub const GUEST_RAM_MAX: u64 = GUEST_RAM0_SIZE + GUEST_RAM1_SIZE;
        /// Most vCPUs.
        pub const GUEST_MAX_VCPUS: u32 = 128;
        /// Virtual timer PPI.
        pub const GUEST_TIMER_VIRT_PPI: u32 = 27;
        /// Secure physical timer PPI.
        pub const GUEST_TIMER_PHYS_S_PPI: u32 = 29;
        /// Non-secure physical timer PPI.
        pub const GUEST_TIMER_PHYS_NS_PPI: u32 = 30;
        /// Event-channel upcall PPI.
        pub const GUEST_EVTCHN_PPI: u32 = 31;
        /// vPL011 SPI.
        pub const GUEST_VPL011_SPI: u32 = 32;
        /// First virtio-mmio SPI.
        pub const GUEST_VIRTIO_MMIO_SPI_FIRST: u32 = 33;
        /// Last virtio-mmio SPI.
        pub const GUEST_VIRTIO_MMIO_SPI_LAST: u32 = 43;
        /// FF-A notification-pending SGI.
        pub const GUEST_FFA_NOTIF_PEND_INTR_ID: u32 = 8 => since "4.19";
        /// FF-A schedule-receiver SGI.
        pub const GUEST_FFA_SCHEDULE_RECV_INTR_ID: u32 = 9 => since "4.19";
        /// PSCI 0.1 function: suspend a CPU.
        pub const PSCI_cpu_suspend: u32 = 0;
        /// PSCI 0.1 function: power a CPU off.
        pub const PSCI_cpu_off: u32 = 1;
        /// PSCI 0.1 function: power a CPU on.
        pub const PSCI_cpu_on: u32 = 2;
        /// PSCI 0.1 function: migrate the trusted OS.
        pub const PSCI_migrate: u32 = 3;
        /// AArch32 PSR: big-endian data.
        pub const PSR_BIG_ENDIAN: u32 = 1 << 9;
        /// AArch32 PSR: Thumb If-Then state.
        pub const PSR_IT_MASK: u32 = 0x0600_fc00;
        /// AArch32 PSR: Jazelle state.
        pub const PSR_JAZELLE: u32 = 1 << 24;
        /// AArch32 mode: user.
        pub const PSR_MODE_USR: u32 = 0x10;
        /// AArch32 mode: FIQ.
        pub const PSR_MODE_FIQ: u32 = 0x11;
        /// AArch32 mode: IRQ.
        pub const PSR_MODE_IRQ: u32 = 0x12;
        /// AArch32 mode: monitor.
        pub const PSR_MODE_MON: u32 = 0x16;
        /// AArch32 mode: abort.
        pub const PSR_MODE_ABT: u32 = 0x17;
        /// AArch32 mode: hypervisor.
        pub const PSR_MODE_HYP: u32 = 0x1a;
        /// AArch32 mode: undefined.
        pub const PSR_MODE_UND: u32 = 0x1b;
        /// AArch32 mode: system.
        pub const PSR_MODE_SYS: u32 = 0x1f;
        /// Set in the mode field iff the PSR is AArch32.
        pub const PSR_MODE_BIT: u32 = 0x10;
        /// AArch64 mode: EL3 with SP_EL3.
        pub const PSR_MODE_EL3h: u32 = 0x0d;
        /// AArch64 mode: EL3 with SP_EL0.
        pub const PSR_MODE_EL3t: u32 = 0x0c;
        /// AArch64 mode: EL2 with SP_EL2.
        pub const PSR_MODE_EL2h: u32 = 0x09;
        /// AArch64 mode: EL2 with SP_EL0.
        pub const PSR_MODE_EL2t: u32 = 0x08;
    }
}

/// `GUEST_RAM_BANK_BASES`: each guest RAM bank's base, lowest first. In C it is an initializer
/// list, so it is not in the layout table; its elements are.
pub const GUEST_RAM_BANK_BASES: [u64; GUEST_RAM_BANKS as usize] =
    [GUEST_RAM0_BASE, GUEST_RAM1_BASE];

/// `GUEST_RAM_BANK_SIZES`: each guest RAM bank's size, in the order of [`GUEST_RAM_BANK_BASES`].
pub const GUEST_RAM_BANK_SIZES: [u64; GUEST_RAM_BANKS as usize] =
    [GUEST_RAM0_SIZE, GUEST_RAM1_SIZE];
