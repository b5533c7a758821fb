//! `crash`: does one thing a domain must not survive, chosen by `crash=` on its command line:
//! - `triple`: loads an empty IDT and raises an exception, which triple-faults;
//! - `unmapped`: reads guest-physical memory outside its RAM (mapped by its own page
//!   tables, absent from its p2m);
//! - `insn`: executes VMLOAD, which a guest without nested virtualisation cannot use.
//!
//! Each must crash only the domain, with Ferrite's report; reaching `Test result:` is a
//! failure (the scenario's `fail` patterns).
#![no_std]
#![no_main]

use ferrite_guest_rt::{Outcome, boot, fail, println};

ferrite_guest_rt::guest!("crash", [crash]);

/// 192 MiB: inside the runtime's 4 GiB identity map, above the guest's RAM (its scenario
/// gives it 64 MiB) and inside the host's (256 MiB): memory that is someone else's, not MMIO
/// (which a hardware domain may reach 1:1), nor a device Ferrite emulates.
const OUTSIDE_RAM: u64 = 0x0c00_0000;

fn crash() -> Outcome {
    let mut buf = [0u8; 16];
    let how = boot::cmdline_value("crash", &mut buf).unwrap_or("");
    println!("crashing on purpose: {how}");
    match how {
        "triple" => {
            #[repr(C, packed)]
            struct Pointer {
                limit: u16,
                base: u64,
            }
            let empty = Pointer { limit: 0, base: 0 };
            // SAFETY: deliberately fatal: with an empty IDT, #UD cannot be delivered, nor
            // the #GP/#DF that follow, so the CPU shuts down. Nothing returns.
            unsafe {
                core::arch::asm!("lidt [{}]", "ud2", in(reg) &raw const empty, options(noreturn))
            }
        }
        "unmapped" => {
            // SAFETY: deliberately fatal: the guest's page tables map this address, its
            // p2m does not, so the read faults in the hypervisor.
            let v = unsafe { core::ptr::read_volatile(OUTSIDE_RAM as *const u64) };
            fail!("read {v:#x} from outside guest RAM and lived");
        }
        "insn" => {
            // SAFETY: deliberately fatal: VMLOAD is intercepted and not emulated.
            unsafe { core::arch::asm!("xor eax, eax", "vmload rax", options(nostack)) };
            fail!("VMLOAD returned");
        }
        other => fail!("crash={other}: expected triple, unmapped or insn"),
    }
}
