//! `xen/include/public/hvm/hvm_vcpu.h` (Xen 4.20): `vcpu_hvm_context`, the initial register
//! state `VCPUOP_initialise` takes for HVM/PVH vCPUs, in 32-bit or 64-bit form.

use zerocopy::{FromBytes, FromZeros};

xen_abi! {
    header "hvm/hvm_vcpu.h";
    structs {
        /// `struct vcpu_hvm_x86_32`.
        "struct vcpu_hvm_x86_32" size 120 align 8;
        pub struct VcpuHvmX86_32 {
            /// eax.
            0 eax: u32,
            /// ecx.
            4 ecx: u32,
            /// edx.
            8 edx: u32,
            /// ebx.
            12 ebx: u32,
            /// esp.
            16 esp: u32,
            /// ebp.
            20 ebp: u32,
            /// esi.
            24 esi: u32,
            /// edi.
            28 edi: u32,
            /// eip.
            32 eip: u32,
            /// eflags.
            36 eflags: u32,
            /// cr0.
            40 cr0: u32,
            /// cr3.
            44 cr3: u32,
            /// cr4.
            48 cr4: u32,
            /// Unused.
            52 pad1: u32,
            /// EFER.
            56 efer: u64,
            /// CS base.
            64 cs_base: u32,
            /// DS base.
            68 ds_base: u32,
            /// SS base.
            72 ss_base: u32,
            /// ES base.
            76 es_base: u32,
            /// TR base.
            80 tr_base: u32,
            /// CS limit.
            84 cs_limit: u32,
            /// DS limit.
            88 ds_limit: u32,
            /// SS limit.
            92 ss_limit: u32,
            /// ES limit.
            96 es_limit: u32,
            /// TR limit.
            100 tr_limit: u32,
            /// CS access rights.
            104 cs_ar: u16,
            /// DS access rights.
            106 ds_ar: u16,
            /// SS access rights.
            108 ss_ar: u16,
            /// ES access rights.
            110 es_ar: u16,
            /// TR access rights.
            112 tr_ar: u16,
            /// Unused.
            114 pad2: [u16; 3],
        }

        /// `struct vcpu_hvm_x86_64`: flat 64-bit segments are implied.
        "struct vcpu_hvm_x86_64" size 112 align 8;
        pub struct VcpuHvmX86_64 {
            /// rax.
            0 rax: u64,
            /// rcx.
            8 rcx: u64,
            /// rdx.
            16 rdx: u64,
            /// rbx.
            24 rbx: u64,
            /// rsp.
            32 rsp: u64,
            /// rbp.
            40 rbp: u64,
            /// rsi.
            48 rsi: u64,
            /// rdi.
            56 rdi: u64,
            /// rip.
            64 rip: u64,
            /// rflags.
            72 rflags: u64,
            /// cr0.
            80 cr0: u64,
            /// cr3.
            88 cr3: u64,
            /// cr4.
            96 cr4: u64,
            /// EFER.
            104 efer: u64,
        }

        /// `struct vcpu_hvm_context`; `cpu_regs` is stored as the larger (32-bit) arm.
        "struct vcpu_hvm_context" size 128 align 8;
        pub struct VcpuHvmContext {
            /// `VCPU_HVM_MODE_*`.
            0 mode: u32,
            /// Unused.
            4 pad: u32,
            /// `cpu_regs.x86_32`; see [`VcpuHvmContext::x86_64`] for the other arm.
            8 cpu_regs as "cpu_regs.x86_32": VcpuHvmX86_32,
        }
    }
    consts {
        /// 32-bit protected mode state.
        pub const VCPU_HVM_MODE_32B: u32 = 0;
        /// 64-bit long mode state.
        pub const VCPU_HVM_MODE_64B: u32 = 1;
    }
}

impl VcpuHvmContext {
    /// `cpu_regs.x86_64`: the union's 64-bit arm, which shares its first 112 bytes.
    pub fn x86_64(&self) -> VcpuHvmX86_64 {
        let bytes = zerocopy::IntoBytes::as_bytes(&self.cpu_regs);
        // The 32-bit arm is larger, so the read cannot come up short.
        VcpuHvmX86_64::read_from_prefix(bytes)
            .map_or_else(|_| VcpuHvmX86_64::new_zeroed(), |(r, _)| r)
    }
}
