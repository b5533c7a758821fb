//! Secondary vCPUs of a PVH guest (`public/vcpu.h`: `VCPUOP_initialise` with a
//! `vcpu_hvm_context`, then `VCPUOP_up`): each starts in 64-bit mode on the boot vCPU's page
//! tables, at a Rust entry point, with its own stack.

use core::arch::asm;

use ferrite_abi::Errno;
use ferrite_abi::hvm::hvm_vcpu::{VCPU_HVM_MODE_64B, VcpuHvmContext, VcpuHvmX86_64};
use ferrite_abi::vcpu::VcpuOp;

use crate::hypercall::{self, errno};

unsafe extern "C" {
    static guest_gdt_ptr: u8;
}

fn read_cr(n: u8) -> u64 {
    let v: u64;
    // SAFETY: reading CR0/CR3/CR4 has no side effect.
    unsafe {
        match n {
            0 => asm!("mov {}, cr0", out(reg) v, options(nomem, nostack, preserves_flags)),
            3 => asm!("mov {}, cr3", out(reg) v, options(nomem, nostack, preserves_flags)),
            _ => asm!("mov {}, cr4", out(reg) v, options(nomem, nostack, preserves_flags)),
        }
    }
    v
}

fn read_efer() -> u64 {
    let (lo, hi): (u32, u32);
    // SAFETY: reading EFER has no side effect.
    unsafe {
        asm!("rdmsr", in("ecx") 0xc000_0080u32, out("eax") lo, out("edx") hi,
             options(nomem, nostack, preserves_flags))
    };
    (u64::from(hi) << 32) | u64::from(lo)
}

/// Starts vCPU `id` at `entry(id)` on the stack that ends at `stack_top` (16-aligned).
pub fn start_vcpu(id: u32, entry: extern "C" fn(u64) -> !, stack_top: u64) -> Result<(), Errno> {
    let regs = VcpuHvmX86_64 {
        rax: 0,
        rcx: 0,
        rdx: 0,
        rbx: 0,
        // As if `entry` had been called: the return-address slot keeps the ABI's alignment.
        rsp: stack_top - 8,
        rbp: 0,
        rsi: 0,
        rdi: u64::from(id),
        rip: entry as *const () as u64,
        rflags: 0x2,
        cr0: read_cr(0),
        cr3: read_cr(3),
        cr4: read_cr(4),
        efer: read_efer(),
    };
    let mut ctx = VcpuHvmContext {
        mode: VCPU_HVM_MODE_64B,
        pad: 0,
        // SAFETY: an all-zero 32-bit arm is a valid value of this plain-data struct.
        cpu_regs: unsafe { core::mem::zeroed() },
    };
    // SAFETY: the 64-bit arm shares the start of `cpu_regs` and is smaller than it (the
    // union `vcpu_hvm_context.cpu_regs`); both are plain data.
    unsafe { core::ptr::write_unaligned((&raw mut ctx.cpu_regs).cast::<VcpuHvmX86_64>(), regs) };
    // SAFETY: VCPUOP_initialise reads the context, borrowed across the call.
    let r = unsafe { hypercall::vcpu_op(VcpuOp::Initialise.raw(), id, (&raw mut ctx) as u64) };
    if r < 0 {
        return Err(errno(r).unwrap_or(Errno::EINVAL));
    }
    // SAFETY: VCPUOP_up takes no argument.
    let r = unsafe { hypercall::vcpu_op(VcpuOp::Up.raw(), id, 0) };
    if r < 0 {
        return Err(errno(r).unwrap_or(Errno::EINVAL));
    }
    Ok(())
}

/// What a secondary vCPU does first: the runtime's GDT (and segment registers) and IDT.
pub fn ap_init() {
    // SAFETY: the GDT is the runtime's static one (entry.S) with 64-bit code at 0x08 and
    // data at 0x10; the far return reloads CS, the moves the data segments.
    unsafe {
        asm!(
            "lgdt [{gdt}]",
            "push 0x08",
            "lea {tmp}, [rip + 2f]",
            "push {tmp}",
            "retfq",
            "2:",
            "mov {tmp:e}, 0x10",
            "mov ds, {tmp:e}",
            "mov es, {tmp:e}",
            "mov ss, {tmp:e}",
            gdt = in(reg) &raw const guest_gdt_ptr,
            tmp = out(reg) _,
        );
    }
    crate::idt::load();
}
