//! `xen/include/public/xen.h` (interface 0x00041300, Xen 4.20): hypercall numbers, VIRQs, the
//! MMU and mmuext operations, domain ids and the structs every guest shares with Xen.
//!
//! The structs whose layout depends on the architecture (`vcpu_info`, `shared_info`,
//! `start_info`, `arch_vcpu_info`, ...) live in [`crate::arch_x86`] and [`crate::arch_arm`]; this
//! module re-exports the ones for the target being built.

use crate::GuestHandle;

/// `domid_t`.
pub type DomId = u16;
/// `xen_pfn_t`: a frame number (`unsigned long` on x86_64, `uint64_t` on Arm; 8 bytes on both).
pub type XenPfn = u64;
/// `xen_ulong_t`: 8 bytes on both 64-bit arches.
pub type XenUlong = u64;

#[cfg(target_arch = "aarch64")]
pub use crate::arch_arm::{ArchSharedInfo, ArchVcpuInfo, SharedInfo, VcpuInfo};
#[cfg(not(target_arch = "aarch64"))]
pub use crate::arch_x86::xen::{ArchSharedInfo, ArchVcpuInfo, SharedInfo, VcpuInfo};

xen_abi! {
    header "xen.h";
    structs {
        /// `struct mmu_update`: one page-table or M2P update.
        "struct mmu_update" size 16 align 8;
        pub struct MmuUpdate {
            /// Machine address of the entry; the low two bits select an `MMU_*` command.
            0 ptr: u64,
            /// The new value.
            8 val: u64,
        }

        /// `struct multicall_entry`: one call of a `HYPERVISOR_multicall` batch.
        "struct multicall_entry" size 64 align 8;
        pub struct MulticallEntry {
            /// The hypercall number.
            0 op: XenUlong,
            /// Written back with the call's return value.
            8 result: XenUlong,
            /// The call's arguments.
            16 args: [XenUlong; 6],
        }

        /// `struct vcpu_time_info`: the pvclock record in `vcpu_info` and the vcpu_time area.
        "struct vcpu_time_info" size 32 align 8;
        pub struct VcpuTimeInfo {
            /// Odd while Xen updates the record.
            0 version: u32,
            /// Unused.
            4 pad0: u32,
            /// TSC at the last update.
            8 tsc_timestamp: u64,
            /// System time (ns) at the last update.
            16 system_time: u64,
            /// TSC-to-ns multiplier (32.32 fixed point after the shift).
            24 tsc_to_system_mul: u32,
            /// TSC shift applied before the multiply.
            28 tsc_shift: i8,
            /// `XEN_PVCLOCK_*` flags.
            29 flags: u8,
            /// Unused.
            30 pad1: [u8; 2],
        }

        /// `struct mmuext_op`: one extended MMU operation (`MMUEXT_*`).
        "struct mmuext_op" size 24 align 8;
        pub struct MmuextOp {
            /// The `MMUEXT_*` command.
            0 cmd: u32,
            /// Explicit padding before the 8-byte union.
            4 _pad0: u32,
            /// `arg1.mfn` or `arg1.linear_addr`, depending on `cmd`.
            8 arg1: u64,
            /// `arg2.nr_ents`, `arg2.vcpumask` or `arg2.src_mfn`, depending on `cmd`.
            16 arg2: u64,
        }

        /// `struct xen_multiboot_mod_list`: a module entry when `SIF_MULTIBOOT_MOD` is set.
        "struct xen_multiboot_mod_list" size 16 align 4;
        pub struct XenMultibootModList {
            /// Physical start address.
            0 mod_start: u32,
            /// Physical end address.
            4 mod_end: u32,
            /// Physical address of the NUL-terminated command line.
            8 cmdline: u32,
            /// Unused.
            12 pad: u32,
        }

        /// The `vesa_lfb` member of `dom0_vga_console_info.u` (the larger arm of the union).
        "__typeof__(((dom0_vga_console_info_t *)0)->u.vesa_lfb)" size 36 align 4;
        pub struct VgaVesaLfb {
            /// Width in pixels.
            0 width: u16,
            /// Height in pixels.
            2 height: u16,
            /// Bytes per scan line.
            4 bytes_per_line: u16,
            /// Bits per pixel.
            6 bits_per_pixel: u16,
            /// Low 32 bits of the framebuffer address.
            8 lfb_base: u32,
            /// Framebuffer size in 64 KiB units.
            12 lfb_size: u32,
            /// Red field position.
            16 red_pos: u8,
            /// Red field size.
            17 red_size: u8,
            /// Green field position.
            18 green_pos: u8,
            /// Green field size.
            19 green_size: u8,
            /// Blue field position.
            20 blue_pos: u8,
            /// Blue field size.
            21 blue_size: u8,
            /// Reserved field position.
            22 rsvd_pos: u8,
            /// Reserved field size.
            23 rsvd_size: u8,
            /// VBE capabilities.
            24 gbl_caps: u32,
            /// VBE mode attributes.
            28 mode_attrs: u16,
            /// Unused.
            30 pad: u16,
            /// High 32 bits of the framebuffer address.
            32 ext_lfb_base: u32,
        }

        /// The `text_mode_3` member of `dom0_vga_console_info.u`.
        "__typeof__(((dom0_vga_console_info_t *)0)->u.text_mode_3)" size 10 align 2;
        pub struct VgaTextMode3 {
            /// Font height in pixels.
            0 font_height: u16,
            /// Cursor column.
            2 cursor_x: u16,
            /// Cursor row.
            4 cursor_y: u16,
            /// Rows.
            6 rows: u16,
            /// Columns.
            8 columns: u16,
        }

        /// `dom0_vga_console_info_t`: the console handed to dom0 (`XEN_VGATYPE_*`).
        "dom0_vga_console_info_t" size 40 align 4;
        pub struct Dom0VgaConsoleInfo {
            /// `XEN_VGATYPE_*`.
            0 video_type: u8,
            /// Padding before the union.
            1 _pad0: [u8; 3],
            /// The union, stored as its larger arm; read `text_mode_3` from its first bytes.
            4 u as "u.vesa_lfb": VgaVesaLfb,
        }

        /// `xen_uuid_t`.
        "xen_uuid_t" size 16 align 1;
        pub struct XenUuid {
            /// The bytes, most significant first.
            0 a: [u8; 16],
        }

        /// `struct xenctl_bitmap` (tools interfaces).
        "struct xenctl_bitmap" size 16 align 8;
        pub struct XenctlBitmap {
            /// The bitmap bytes.
            0 bitmap: GuestHandle<u8>,
            /// Its length in bits.
            8 nr_bits: u32,
            /// Padding to the 8-byte alignment.
            12 _pad0: u32,
        }
    }
    enums {
        /// A hypercall number (`__HYPERVISOR_*`).
        pub enum Hypercall: u32 {
            /// PV trap table.
            SetTrapTable = __HYPERVISOR_set_trap_table = 0,
            /// PV page-table updates.
            MmuUpdate = __HYPERVISOR_mmu_update = 1,
            /// PV GDT.
            SetGdt = __HYPERVISOR_set_gdt = 2,
            /// PV kernel stack.
            StackSwitch = __HYPERVISOR_stack_switch = 3,
            /// PV callbacks (old interface).
            SetCallbacks = __HYPERVISOR_set_callbacks = 4,
            /// PV lazy FPU.
            FpuTaskswitch = __HYPERVISOR_fpu_taskswitch = 5,
            /// Old scheduler op.
            SchedOpCompat = __HYPERVISOR_sched_op_compat = 6,
            /// Platform operations (dom0).
            PlatformOp = __HYPERVISOR_platform_op = 7,
            /// PV debug registers.
            SetDebugreg = __HYPERVISOR_set_debugreg = 8,
            /// PV debug registers.
            GetDebugreg = __HYPERVISOR_get_debugreg = 9,
            /// PV descriptor update.
            UpdateDescriptor = __HYPERVISOR_update_descriptor = 10,
            /// Memory reservation and mapping.
            MemoryOp = __HYPERVISOR_memory_op = 12,
            /// A batch of hypercalls.
            Multicall = __HYPERVISOR_multicall = 13,
            /// PV single-mapping update.
            UpdateVaMapping = __HYPERVISOR_update_va_mapping = 14,
            /// One-shot timer.
            SetTimerOp = __HYPERVISOR_set_timer_op = 15,
            /// Old event-channel op.
            EventChannelOpCompat = __HYPERVISOR_event_channel_op_compat = 16,
            /// Version queries.
            XenVersion = __HYPERVISOR_xen_version = 17,
            /// Hypervisor console.
            ConsoleIo = __HYPERVISOR_console_io = 18,
            /// Old physdev op.
            PhysdevOpCompat = __HYPERVISOR_physdev_op_compat = 19,
            /// Grant tables.
            GrantTableOp = __HYPERVISOR_grant_table_op = 20,
            /// VM assists.
            VmAssist = __HYPERVISOR_vm_assist = 21,
            /// PV mapping update in another domain.
            UpdateVaMappingOtherdomain = __HYPERVISOR_update_va_mapping_otherdomain = 22,
            /// PV iret.
            Iret = __HYPERVISOR_iret = 23,
            /// vCPU operations.
            VcpuOp = __HYPERVISOR_vcpu_op = 24,
            /// PV segment bases.
            SetSegmentBase = __HYPERVISOR_set_segment_base = 25,
            /// PV extended MMU ops.
            MmuextOp = __HYPERVISOR_mmuext_op = 26,
            /// XSM/Flask.
            XsmOp = __HYPERVISOR_xsm_op = 27,
            /// NMI callbacks.
            NmiOp = __HYPERVISOR_nmi_op = 28,
            /// Scheduler operations.
            SchedOp = __HYPERVISOR_sched_op = 29,
            /// Callback registration.
            CallbackOp = __HYPERVISOR_callback_op = 30,
            /// Profiling.
            XenoprofOp = __HYPERVISOR_xenoprof_op = 31,
            /// Event channels.
            EventChannelOp = __HYPERVISOR_event_channel_op = 32,
            /// Physical devices.
            PhysdevOp = __HYPERVISOR_physdev_op = 33,
            /// HVM operations.
            HvmOp = __HYPERVISOR_hvm_op = 34,
            /// System control (toolstack).
            Sysctl = __HYPERVISOR_sysctl = 35,
            /// Domain control (toolstack).
            Domctl = __HYPERVISOR_domctl = 36,
            /// kexec.
            KexecOp = __HYPERVISOR_kexec_op = 37,
            /// Transcendent memory (removed; always -ENOSYS).
            TmemOp = __HYPERVISOR_tmem_op = 38,
            /// Argo inter-domain messaging.
            ArgoOp = __HYPERVISOR_argo_op = 39,
            /// PMU.
            XenpmuOp = __HYPERVISOR_xenpmu_op = 40,
            /// Device-model operations.
            DmOp = __HYPERVISOR_dm_op = 41,
            /// Hypervisor filesystem.
            HypfsOp = __HYPERVISOR_hypfs_op = 42,
            /// Arch-specific 0 (x86: `mca`).
            Arch0 = __HYPERVISOR_arch_0 = 48,
            /// Arch-specific 1 (x86: `paging_domctl_cont`).
            Arch1 = __HYPERVISOR_arch_1 = 49,
            /// Arch-specific 2.
            Arch2 = __HYPERVISOR_arch_2 = 50,
            /// Arch-specific 3.
            Arch3 = __HYPERVISOR_arch_3 = 51,
            /// Arch-specific 4.
            Arch4 = __HYPERVISOR_arch_4 = 52,
            /// Arch-specific 5.
            Arch5 = __HYPERVISOR_arch_5 = 53,
            /// Arch-specific 6.
            Arch6 = __HYPERVISOR_arch_6 = 54,
            /// Arch-specific 7.
            Arch7 = __HYPERVISOR_arch_7 = 55,
        }

        /// A virtual IRQ (`VIRQ_*`), bound with `EVTCHNOP_bind_virq`.
        pub enum Virq: u32 {
            /// Per-vCPU timer.
            Timer = VIRQ_TIMER = 0,
            /// Debug key pressed.
            Debug = VIRQ_DEBUG = 1,
            /// Console input (dom0).
            Console = VIRQ_CONSOLE = 2,
            /// A domain crashed or shut down (dom0).
            DomExc = VIRQ_DOM_EXC = 3,
            /// Trace buffers.
            Tbuf = VIRQ_TBUF = 4,
            /// Debugger.
            Debugger = VIRQ_DEBUGGER = 6,
            /// Oprofile.
            Xenoprof = VIRQ_XENOPROF = 7,
            /// Console ring.
            ConRing = VIRQ_CON_RING = 8,
            /// Physical CPU state change.
            PcpuState = VIRQ_PCPU_STATE = 9,
            /// Memory events.
            MemEvent = VIRQ_MEM_EVENT = 10,
            /// Argo.
            Argo = VIRQ_ARGO = 11,
            /// Low on memory.
            Enomem = VIRQ_ENOMEM = 12,
            /// PMU.
            Xenpmu = VIRQ_XENPMU = 13,
            /// Arch-specific 0 (x86: MCA).
            Arch0 = VIRQ_ARCH_0 = 16,
            /// Arch-specific 1.
            Arch1 = VIRQ_ARCH_1 = 17,
            /// Arch-specific 2.
            Arch2 = VIRQ_ARCH_2 = 18,
            /// Arch-specific 3.
            Arch3 = VIRQ_ARCH_3 = 19,
            /// Arch-specific 4.
            Arch4 = VIRQ_ARCH_4 = 20,
            /// Arch-specific 5.
            Arch5 = VIRQ_ARCH_5 = 21,
            /// Arch-specific 6.
            Arch6 = VIRQ_ARCH_6 = 22,
            /// Arch-specific 7.
            Arch7 = VIRQ_ARCH_7 = 23,
        }

        /// The command in the low bits of `mmu_update.ptr` (`MMU_*`).
        pub enum MmuCmd: u32 {
            /// Update a page-table entry.
            NormalPtUpdate = MMU_NORMAL_PT_UPDATE = 0,
            /// Update the M2P table.
            MachphysUpdate = MMU_MACHPHYS_UPDATE = 1,
            /// Update an entry, keeping its A/D bits.
            PtUpdatePreserveAd = MMU_PT_UPDATE_PRESERVE_AD = 2,
            /// Update an entry without translating the value.
            PtUpdateNoTranslate = MMU_PT_UPDATE_NO_TRANSLATE = 3,
        }

        /// An extended MMU command (`MMUEXT_*`).
        pub enum MmuextCmd: u32 {
            /// Pin an L1 table.
            PinL1Table = MMUEXT_PIN_L1_TABLE = 0,
            /// Pin an L2 table.
            PinL2Table = MMUEXT_PIN_L2_TABLE = 1,
            /// Pin an L3 table.
            PinL3Table = MMUEXT_PIN_L3_TABLE = 2,
            /// Pin an L4 table.
            PinL4Table = MMUEXT_PIN_L4_TABLE = 3,
            /// Unpin a table.
            UnpinTable = MMUEXT_UNPIN_TABLE = 4,
            /// Switch the kernel page-table base.
            NewBaseptr = MMUEXT_NEW_BASEPTR = 5,
            /// Flush the local TLB.
            TlbFlushLocal = MMUEXT_TLB_FLUSH_LOCAL = 6,
            /// Invalidate one local mapping.
            InvlpgLocal = MMUEXT_INVLPG_LOCAL = 7,
            /// Flush the TLBs of a vCPU set.
            TlbFlushMulti = MMUEXT_TLB_FLUSH_MULTI = 8,
            /// Invalidate one mapping on a vCPU set.
            InvlpgMulti = MMUEXT_INVLPG_MULTI = 9,
            /// Flush every vCPU's TLB.
            TlbFlushAll = MMUEXT_TLB_FLUSH_ALL = 10,
            /// Invalidate one mapping on every vCPU.
            InvlpgAll = MMUEXT_INVLPG_ALL = 11,
            /// Write back and invalidate the local cache.
            FlushCache = MMUEXT_FLUSH_CACHE = 12,
            /// Set the LDT.
            SetLdt = MMUEXT_SET_LDT = 13,
            /// Switch the user page-table base.
            NewUserBaseptr = MMUEXT_NEW_USER_BASEPTR = 15,
            /// Zero a page.
            ClearPage = MMUEXT_CLEAR_PAGE = 16,
            /// Copy a page.
            CopyPage = MMUEXT_COPY_PAGE = 17,
            /// Write back and invalidate every cache.
            FlushCacheGlobal = MMUEXT_FLUSH_CACHE_GLOBAL = 18,
            /// Mark a superpage.
            MarkSuper = MMUEXT_MARK_SUPER = 19,
            /// Unmark a superpage.
            UnmarkSuper = MMUEXT_UNMARK_SUPER = 20,
        }

        /// A `console_io` command (`CONSOLEIO_*`).
        pub enum ConsoleIoCmd: u32 {
            /// Write to the hypervisor console.
            Write = CONSOLEIO_write = 0,
            /// Read from the hypervisor console.
            Read = CONSOLEIO_read = 1,
        }

        /// A `vm_assist` command (`VMASST_CMD_*`).
        pub enum VmAssistCmd: u32 {
            /// Enable an assist.
            Enable = VMASST_CMD_enable = 0,
            /// Disable an assist.
            Disable = VMASST_CMD_disable = 1,
        }

        /// A `vm_assist` type (`VMASST_TYPE_*`).
        pub enum VmAssistType: u32 {
            /// 4 GiB segments (x86_32).
            FourGbSegments = VMASST_TYPE_4gb_segments = 0,
            /// Notify on 4 GiB segment use.
            FourGbSegmentsNotify = VMASST_TYPE_4gb_segments_notify = 1,
            /// Writable page tables.
            WritablePagetables = VMASST_TYPE_writable_pagetables = 2,
            /// PAE extended CR3.
            PaeExtendedCr3 = VMASST_TYPE_pae_extended_cr3 = 3,
            /// Architectural IOPL.
            ArchitecturalIopl = VMASST_TYPE_architectural_iopl = 4,
            /// Runstate update flag.
            RunstateUpdateFlag = VMASST_TYPE_runstate_update_flag = 5,
            /// Strict M2P.
            M2pStrict = VMASST_TYPE_m2p_strict = 32,
        }
    }
    consts {
        /// One past the highest `VMASST_TYPE_*` of old guests (interface < 4.6).
        pub const MAX_VMASST_TYPE: u32 = 3 => since "interface < 0x00040600";
        /// 2-level event channels per 64-bit domain (interface < 4.4; now
        /// `EVTCHN_2L_NR_CHANNELS`).
        pub const NR_EVENT_CHANNELS: u64 = 4096 => since "interface < 0x00040400";
        /// Number of virtual IRQs.
        pub const NR_VIRQS: u32 = 24;
        /// `update_va_mapping` flags: no flush.
        pub const UVMF_NONE: u64 = 0;
        /// Flush the TLB.
        pub const UVMF_TLB_FLUSH: u64 = 1;
        /// Invalidate the one mapping.
        pub const UVMF_INVLPG: u64 = 2;
        /// Mask of the flush type.
        pub const UVMF_FLUSHTYPE_MASK: u64 = 3;
        /// Flush on the vCPUs in a mask.
        pub const UVMF_MULTI: u64 = 0;
        /// Flush locally.
        pub const UVMF_LOCAL: u64 = 0;
        /// Flush on every vCPU.
        pub const UVMF_ALL: u64 = 1 << 2;
        /// First domid reserved for Xen's special domains.
        pub const DOMID_FIRST_RESERVED: u32 = 0x7ff0;
        /// The calling domain.
        pub const DOMID_SELF: u32 = 0x7ff0;
        /// I/O memory's owner.
        pub const DOMID_IO: u32 = 0x7ff1;
        /// Xen itself.
        pub const DOMID_XEN: u32 = 0x7ff2;
        /// Copy-on-write shared pages' owner.
        pub const DOMID_COW: u32 = 0x7ff3;
        /// No domain.
        pub const DOMID_INVALID: u32 = 0x7ff4;
        /// The idle domain.
        pub const DOMID_IDLE: u32 = 0x7fff;
        /// Mask of a domid.
        pub const DOMID_MASK: u32 = 0x7fff;
        /// pvclock: the TSC is stable across vCPUs.
        pub const XEN_PVCLOCK_TSC_STABLE_BIT: u32 = 1 << 0;
        /// pvclock: the guest was stopped.
        pub const XEN_PVCLOCK_GUEST_STOPPED: u32 = 1 << 1;
        /// `start_info.flags`: the domain is privileged.
        pub const SIF_PRIVILEGED: u32 = 1 << 0;
        /// The domain is the initial domain.
        pub const SIF_INITDOMAIN: u32 = 1 << 1;
        /// `mod_start` points at a `xen_multiboot_mod_list` array.
        pub const SIF_MULTIBOOT_MOD: u32 = 1 << 2;
        /// `mod_start` is a PFN, not a virtual address.
        pub const SIF_MOD_START_PFN: u32 = 1 << 3;
        /// The virtual P2M is for the toolstack only.
        pub const SIF_VIRT_P2M_4TOOLS: u32 = 1 << 4;
        /// Power-management bits.
        pub const SIF_PM_MASK: u32 = 0xff << 8;
        /// `dom0_vga_console_info.video_type`: VGA text mode 3.
        pub const XEN_VGATYPE_TEXT_MODE_3: u32 = 0x03;
        /// A VESA linear framebuffer.
        pub const XEN_VGATYPE_VESA_LFB: u32 = 0x23;
        /// An EFI framebuffer.
        pub const XEN_VGATYPE_EFI_LFB: u32 = 0x70;
    }
}
