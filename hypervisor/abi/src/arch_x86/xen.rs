//! `xen/include/public/arch-x86/xen.h` and `arch-x86/xen-x86_64.h` (Xen 4.20): the x86_64 PV
//! structures (`start_info`, `vcpu_guest_context`, `cpu_user_regs`, `trap_info`), the x86
//! `arch_vcpu_info`/`arch_shared_info` and the `vcpu_info`/`shared_info` built from them.

use crate::xen::{VcpuTimeInfo, XenPfn, XenUlong};

xen_abi! {
    header "arch-x86/xen.h";
    structs {
        /// `struct trap_info`: one PV trap-table entry.
        "struct trap_info" size 16 align 8;
        pub struct TrapInfo {
            /// Exception vector.
            0 vector: u8,
            /// Bits 0-1: DPL; bit 2: clear the event mask on entry.
            1 flags: u8,
            /// Code selector.
            2 cs: u16,
            /// Padding.
            4 _pad0: u32,
            /// Handler address.
            8 address: u64,
        }

        /// `struct cpu_user_regs` (x86_64).
        "struct cpu_user_regs" size 200 align 8;
        pub struct CpuUserRegs {
            /// r15.
            0 r15: u64,
            /// r14.
            8 r14: u64,
            /// r13.
            16 r13: u64,
            /// r12.
            24 r12: u64,
            /// rbp.
            32 rbp: u64,
            /// rbx.
            40 rbx: u64,
            /// r11.
            48 r11: u64,
            /// r10.
            56 r10: u64,
            /// r9.
            64 r9: u64,
            /// r8.
            72 r8: u64,
            /// rax.
            80 rax: u64,
            /// rcx.
            88 rcx: u64,
            /// rdx.
            96 rdx: u64,
            /// rsi.
            104 rsi: u64,
            /// rdi.
            112 rdi: u64,
            /// Exception error code.
            120 error_code: u32,
            /// Exception vector.
            124 entry_vector: u32,
            /// rip.
            128 rip: u64,
            /// cs.
            136 cs: u16,
            /// Padding.
            138 _pad0: [u16; 1],
            /// The event mask saved on a PV trap.
            140 saved_upcall_mask: u8,
            /// Padding.
            141 _pad1: [u8; 3],
            /// rflags.
            144 rflags: u64,
            /// rsp.
            152 rsp: u64,
            /// ss.
            160 ss: u16,
            /// Padding.
            162 _pad2: [u16; 3],
            /// es.
            168 es: u16,
            /// Padding.
            170 _pad3: [u16; 3],
            /// ds.
            176 ds: u16,
            /// Padding.
            178 _pad4: [u16; 3],
            /// fs.
            184 fs: u16,
            /// Padding.
            186 _pad5: [u16; 3],
            /// gs.
            192 gs: u16,
            /// Padding.
            194 _pad6: [u16; 3],
        }

        /// `struct vcpu_guest_context` (x86_64, guest view): `VCPUOP_initialise` and domctl.
        "struct vcpu_guest_context" size 5168 align 8;
        pub struct VcpuGuestContext {
            /// FXSAVE image.
            0 fpu_ctxt: [u8; 512],
            /// `VGCF_*`.
            512 flags: u64,
            /// General registers.
            520 user_regs: CpuUserRegs,
            /// PV trap table.
            720 trap_ctxt: [TrapInfo; 256],
            /// LDT base.
            4816 ldt_base: u64,
            /// LDT entries.
            4824 ldt_ents: u64,
            /// GDT frames.
            4832 gdt_frames: [u64; 16],
            /// GDT entries.
            4960 gdt_ents: u64,
            /// Kernel stack segment.
            4968 kernel_ss: u64,
            /// Kernel stack pointer.
            4976 kernel_sp: u64,
            /// Control registers.
            4984 ctrlreg: [u64; 8],
            /// Debug registers.
            5048 debugreg: [u64; 8],
            /// Event callback.
            5112 event_callback_eip: u64,
            /// Failsafe callback.
            5120 failsafe_callback_eip: u64,
            /// Syscall callback.
            5128 syscall_callback_eip: u64,
            /// `VMASST_TYPE_*` bits.
            5136 vm_assist: u64,
            /// FS base.
            5144 fs_base: u64,
            /// Kernel GS base.
            5152 gs_base_kernel: u64,
            /// User GS base.
            5160 gs_base_user: u64,
        }

        /// `struct arch_shared_info` (x86_64).
        "struct arch_shared_info" size 48 align 8;
        pub struct ArchSharedInfo {
            /// Highest PFN + 1 (PV).
            0 max_pfn: u64,
            /// Frame list list of the P2M (PV).
            8 pfn_to_mfn_frame_list_list: XenPfn,
            /// NMI reason bits.
            16 nmi_reason: u64,
            /// CR3 of the linear P2M.
            24 p2m_cr3: u64,
            /// Virtual address of the linear P2M.
            32 p2m_vaddr: u64,
            /// Odd while the P2M changes.
            40 p2m_generation: u64,
        }

        /// `struct arch_vcpu_info` (x86_64).
        "struct arch_vcpu_info" size 16 align 8;
        pub struct ArchVcpuInfo {
            /// CR2 at the last page fault (PV).
            0 cr2: u64,
            /// Unused.
            8 pad: u64,
        }

        /// `struct vcpu_info` (x86_64): per-vCPU event state and time, in `shared_info` or
        /// wherever `VCPUOP_register_vcpu_info` placed it.
        "struct vcpu_info" size 64 align 8;
        pub struct VcpuInfo {
            /// Set by Xen when an event is pending.
            0 evtchn_upcall_pending: u8,
            /// Set by the guest to mask upcalls (PV).
            1 evtchn_upcall_mask: u8,
            /// Padding.
            2 _pad0: [u8; 6],
            /// 2-level ABI: which words of `evtchn_pending` to scan.
            8 evtchn_pending_sel: XenUlong,
            /// Arch-specific state.
            16 arch: ArchVcpuInfo,
            /// pvclock.
            32 time: VcpuTimeInfo,
        }

        /// `struct shared_info` (x86_64): the page every domain shares with Xen.
        "struct shared_info" size 3136 align 8;
        pub struct SharedInfo {
            /// The first `XEN_LEGACY_MAX_VCPUS` vCPUs' info.
            0 vcpu_info: [VcpuInfo; 32],
            /// 2-level ABI pending bits.
            2048 evtchn_pending: [XenUlong; 64],
            /// 2-level ABI mask bits.
            2560 evtchn_mask: [XenUlong; 64],
            /// Wallclock version (odd while updating).
            3072 wc_version: u32,
            /// Wallclock seconds (low 32 bits).
            3076 wc_sec: u32,
            /// Wallclock nanoseconds.
            3080 wc_nsec: u32,
            /// Wallclock seconds (high 32 bits).
            3084 wc_sec_hi: u32,
            /// Arch-specific state.
            3088 arch: ArchSharedInfo,
        }

        /// The `console.domU` member of `start_info` (`console.dom0` overlays it: `info_off` and
        /// `info_size` are the two halves of `mfn`).
        "__typeof__(((struct start_info *)0)->console.domU)" size 16 align 8;
        pub struct StartInfoConsole {
            /// Console ring frame.
            0 mfn: XenPfn,
            /// Console event channel.
            8 evtchn: u32,
            /// Padding.
            12 _pad0: u32,
        }

        /// `struct start_info`: what a PV guest finds at boot.
        "struct start_info" size 1168 align 8;
        pub struct StartInfo {
            /// `"xen-<version>-<platform>"`.
            0 magic: [u8; 32],
            /// Total pages.
            32 nr_pages: u64,
            /// Machine address of `shared_info`.
            40 shared_info: u64,
            /// `SIF_*`.
            48 flags: u32,
            /// Padding.
            52 _pad0: u32,
            /// Xenstore ring frame.
            56 store_mfn: XenPfn,
            /// Xenstore event channel.
            64 store_evtchn: u32,
            /// Padding.
            68 _pad1: u32,
            /// The console (`console.domU` or `console.dom0`).
            72 console as "console.domU": StartInfoConsole,
            /// Virtual address of the page tables.
            88 pt_base: u64,
            /// Number of page-table frames.
            96 nr_pt_frames: u64,
            /// Virtual address of the P2M list.
            104 mfn_list: u64,
            /// Initial ramdisk (or module list) start.
            112 mod_start: u64,
            /// Its length.
            120 mod_len: u64,
            /// Kernel command line, NUL-terminated.
            128 cmd_line: [u8; 1024],
            /// First PFN of the P2M list's frames.
            1152 first_p2m_pfn: u64,
            /// Number of P2M list frames.
            1160 nr_p2m_frames: u64,
        }

        /// `struct iret_context`: the frame `HYPERVISOR_iret` pops.
        "struct iret_context" size 72 align 8;
        pub struct IretContext {
            /// rax.
            0 rax: u64,
            /// r11.
            8 r11: u64,
            /// rcx.
            16 rcx: u64,
            /// `VGCF_in_syscall` etc.
            24 flags: u64,
            /// rip.
            32 rip: u64,
            /// cs.
            40 cs: u64,
            /// rflags.
            48 rflags: u64,
            /// rsp.
            56 rsp: u64,
            /// ss.
            64 ss: u64,
        }

        /// `struct xen_arch_domainconfig` (x86; toolstack).
        "struct xen_arch_domainconfig" size 8 align 4;
        pub struct XenArchDomainconfig {
            /// `XEN_X86_EMU_*`.
            0 emulation_flags: u32,
            /// `XEN_X86_MSR_RELAXED`.
            4 misc_flags: u32,
        }

        /// `xen_cpuid_leaf_t`: one CPUID leaf of a policy.
        "xen_cpuid_leaf_t" size 24 align 4;
        pub struct XenCpuidLeaf {
            /// Leaf.
            0 leaf: u32,
            /// Subleaf, or `XEN_CPUID_NO_SUBLEAF`.
            4 subleaf: u32,
            /// eax.
            8 a: u32,
            /// ebx.
            12 b: u32,
            /// ecx.
            16 c: u32,
            /// edx.
            20 d: u32,
        }

        /// `xen_msr_entry_t`: one MSR of a policy.
        "xen_msr_entry_t" size 16 align 8;
        pub struct XenMsrEntry {
            /// MSR index.
            0 idx: u32,
            /// Flags (none defined).
            4 flags: u32,
            /// Value.
            8 val: u64,
        }
    }
    consts {
        /// `shared_info` holds this many `vcpu_info`s.
        pub const XEN_LEGACY_MAX_VCPUS: u32 = 32;
        /// First GDT page reserved for Xen.
        pub const FIRST_RESERVED_GDT_PAGE: u32 = 14;
        /// `start_info.cmd_line` length.
        pub const MAX_GUEST_CMDLINE: u32 = 1024;
        /// `XEN_CPUID_NO_SUBLEAF`.
        pub const XEN_CPUID_NO_SUBLEAF: u32 = 0xffff_ffff;
        /// Debug console I/O port for HVM guests.
        pub const XEN_HVM_DEBUGCONS_IOPORT: u32 = 0xe9;
        /// Ring-3 32-bit code selector.
        pub const FLAT_RING3_CS32: u32 = 0xe023;
        /// Ring-3 64-bit code selector.
        pub const FLAT_RING3_CS64: u32 = 0xe033;
        /// Ring-3 32-bit data selector.
        pub const FLAT_RING3_DS32: u32 = 0xe02b;
        /// Ring-3 64-bit data selector.
        pub const FLAT_RING3_DS64: u32 = 0x0000;
        /// Ring-3 32-bit stack selector.
        pub const FLAT_RING3_SS32: u32 = 0xe02b;
        /// Ring-3 64-bit stack selector.
        pub const FLAT_RING3_SS64: u32 = 0xe02b;
        /// Kernel code selector.
        pub const FLAT_KERNEL_CS: u32 = 0xe033;
        /// Kernel data selector.
        pub const FLAT_KERNEL_DS: u32 = 0x0000;
        /// Kernel stack selector.
        pub const FLAT_KERNEL_SS: u32 = 0xe02b;
        /// User code selector.
        pub const FLAT_USER_CS: u32 = 0xe033;
        /// User data selector.
        pub const FLAT_USER_DS: u32 = 0x0000;
        /// User stack selector.
        pub const FLAT_USER_SS: u32 = 0xe02b;
        /// Start of Xen's virtual range in a PV guest.
        pub const HYPERVISOR_VIRT_START: u64 = 0xffff_8000_0000_0000;
        /// End of Xen's virtual range.
        pub const HYPERVISOR_VIRT_END: u64 = 0xffff_8800_0000_0000;
        /// Start of the read-only M2P.
        pub const MACH2PHYS_VIRT_START: u64 = 0xffff_8000_0000_0000;
        /// End of the read-only M2P.
        pub const MACH2PHYS_VIRT_END: u64 = 0xffff_8040_0000_0000;
        /// `set_segment_base`: FS.
        pub const SEGBASE_FS: u32 = 0;
        /// User GS.
        pub const SEGBASE_GS_USER: u32 = 1;
        /// Kernel GS.
        pub const SEGBASE_GS_KERNEL: u32 = 2;
        /// User GS selector.
        pub const SEGBASE_GS_USER_SEL: u32 = 3;
        /// `vcpu_guest_context.flags`: FPU state valid.
        pub const VGCF_i387_valid: u32 = 1 << 0;
        /// In kernel mode.
        pub const VGCF_in_kernel: u32 = 1 << 2;
        /// Failsafe callback masks events.
        pub const VGCF_failsafe_disables_events: u32 = 1 << 3;
        /// Syscall callback masks events.
        pub const VGCF_syscall_disables_events: u32 = 1 << 4;
        /// The vCPU is online.
        pub const VGCF_online: u32 = 1 << 5;
        /// `iret_context.flags`: returning from a syscall.
        pub const VGCF_in_syscall: u32 = 1 << 8;
        /// Emulated local APIC.
        pub const XEN_X86_EMU_LAPIC: u32 = 1 << 0;
        /// Emulated HPET.
        pub const XEN_X86_EMU_HPET: u32 = 1 << 1;
        /// Emulated ACPI PM.
        pub const XEN_X86_EMU_PM: u32 = 1 << 2;
        /// Emulated RTC.
        pub const XEN_X86_EMU_RTC: u32 = 1 << 3;
        /// Emulated IOAPIC.
        pub const XEN_X86_EMU_IOAPIC: u32 = 1 << 4;
        /// Emulated PIC.
        pub const XEN_X86_EMU_PIC: u32 = 1 << 5;
        /// Emulated VGA.
        pub const XEN_X86_EMU_VGA: u32 = 1 << 6;
        /// Emulated IOMMU.
        pub const XEN_X86_EMU_IOMMU: u32 = 1 << 7;
        /// Emulated PIT.
        pub const XEN_X86_EMU_PIT: u32 = 1 << 8;
        /// PIRQs for physical interrupts.
        pub const XEN_X86_EMU_USE_PIRQ: u32 = 1 << 9;
        /// Virtual PCI.
        pub const XEN_X86_EMU_VPCI: u32 = 1 << 10;
        /// Every emulation flag.
        pub const XEN_X86_EMU_ALL: u32 = 0x7ff;
        /// Relaxed MSR handling.
        pub const XEN_X86_MSR_RELAXED: u32 = 1 << 0;
        /// The highest `misc_flags` bit defined.
        pub const XEN_X86_MISC_FLAGS_MAX: u32 = XEN_X86_MSR_RELAXED;
        /// Byte offset of the first GDT entry reserved for Xen.
        pub const FIRST_RESERVED_GDT_BYTE: u32 = FIRST_RESERVED_GDT_PAGE * 4096;
        /// Index of the first GDT entry reserved for Xen.
        pub const FIRST_RESERVED_GDT_ENTRY: u32 = FIRST_RESERVED_GDT_BYTE / 8;
        /// Xen has the PV `start_info` entry and structures.
        pub const XEN_HAVE_PV_GUEST_ENTRY: u32 = 1;
        /// `vcpu_info` has `evtchn_upcall_mask`.
        pub const XEN_HAVE_PV_UPCALL_MASK: u32 = 1;
        /// Upper-case alias of [`VGCF_i387_valid`].
        pub const VGCF_I387_VALID: u32 = VGCF_i387_valid;
        /// Upper-case alias of [`VGCF_in_kernel`].
        pub const VGCF_IN_KERNEL: u32 = VGCF_in_kernel;
        /// Upper-case alias of [`VGCF_in_syscall`].
        pub const VGCF_IN_SYSCALL: u32 = VGCF_in_syscall;
        /// Kernel 32-bit code selector (= ring 3).
        pub const FLAT_KERNEL_CS32: u32 = FLAT_RING3_CS32;
        /// Kernel 64-bit code selector (= ring 3).
        pub const FLAT_KERNEL_CS64: u32 = FLAT_RING3_CS64;
        /// Kernel 32-bit data selector.
        pub const FLAT_KERNEL_DS32: u32 = FLAT_RING3_DS32;
        /// Kernel 64-bit data selector.
        pub const FLAT_KERNEL_DS64: u32 = FLAT_RING3_DS64;
        /// Kernel 32-bit stack selector.
        pub const FLAT_KERNEL_SS32: u32 = FLAT_RING3_SS32;
        /// Kernel 64-bit stack selector.
        pub const FLAT_KERNEL_SS64: u32 = FLAT_RING3_SS64;
        /// User 32-bit code selector.
        pub const FLAT_USER_CS32: u32 = FLAT_RING3_CS32;
        /// User 64-bit code selector.
        pub const FLAT_USER_CS64: u32 = FLAT_RING3_CS64;
        /// User 32-bit data selector.
        pub const FLAT_USER_DS32: u32 = FLAT_RING3_DS32;
        /// User 64-bit data selector.
        pub const FLAT_USER_DS64: u32 = FLAT_RING3_DS64;
        /// User 32-bit stack selector.
        pub const FLAT_USER_SS32: u32 = FLAT_RING3_SS32;
        /// User 64-bit stack selector.
        pub const FLAT_USER_SS64: u32 = FLAT_RING3_SS64;
        /// Entries (8 bytes each) in the read-only M2P.
        pub const MACH2PHYS_NR_ENTRIES: u64 = (MACH2PHYS_VIRT_END - MACH2PHYS_VIRT_START) >> 3;
    }
}

/// `XEN_EMULATE_PREFIX`: the bytes (`ud2` then "xen") a PV guest puts before an instruction it
/// wants Xen to emulate, e.g. `cpuid` (`XEN_CPUID`). In C it is assembler text, so it is not in the
/// layout table.
pub const XEN_EMULATE_PREFIX: [u8; 5] = [0x0f, 0x0b, 0x78, 0x65, 0x6e];
