//! `isolation`: a domain sees nothing that is not its own. Every byte of the RAM in its
//! memory map (`hvm_start_info`, `public/arch-x86/hvm/start_info.h`) outside its own image and
//! boot data must read as zero (run it with Ferrite's `ferrite_test=poison-free`, which fills
//! free host memory with 0xa5 first, so this fails if Ferrite stops zeroing guest RAM); and
//! hypercall buffers at guest-physical addresses outside that RAM give `-EFAULT`.
#![no_std]
#![no_main]

use ferrite_abi::Errno;
use ferrite_abi::hvm::start_info::{HvmMemmapTableEntry, HvmModlistEntry};
use ferrite_abi::version::XenverCmd;
use ferrite_guest_rt::hypercall::{self, Ret, errno};
use ferrite_guest_rt::{Outcome, boot, check, fail, println};

ferrite_guest_rt::guest!("isolation", [ram_is_zeroed, buffers_outside_ram]);

unsafe extern "C" {
    static __bss_end: u8;
}

/// Where this image starts (guest.ld links it at 1 MiB).
const IMAGE_START: u64 = 0x10_0000;
/// E820 RAM.
const E820_RAM: u32 = 1;
/// Guest-virtual = guest-physical below 4 GiB in the runtime's page tables; 3 GiB is far
/// above any test guest's RAM.
const OUTSIDE_RAM: u64 = 0xc000_0000;

fn read_struct<T: Copy>(paddr: u64) -> T {
    // SAFETY: `paddr` is in this guest's RAM (the boot data Ferrite wrote), identity-mapped,
    // and `T` is plain data valid for any bits.
    unsafe { core::ptr::read_unaligned(paddr as *const T) }
}

/// The end of the boot data Ferrite wrote after the image: start_info, the memory map, the
/// command lines, the module list and the modules.
fn boot_data_end() -> Option<u64> {
    let b = boot::boot()?;
    let si = &b.start_info;
    let mut end = b.start_info_paddr + 56;
    end = end.max(si.memmap_paddr + u64::from(si.memmap_entries) * 24);
    let strlen = |p: u64| -> u64 {
        (0..4096u64)
            .find(|i| read_struct::<u8>(p + i) == 0)
            .unwrap_or(4096)
            + 1
    };
    if si.cmdline_paddr != 0 {
        end = end.max(si.cmdline_paddr + strlen(si.cmdline_paddr));
    }
    for i in 0..u64::from(si.nr_modules) {
        let m: HvmModlistEntry = read_struct(si.modlist_paddr + i * 32);
        end = end
            .max(si.modlist_paddr + (i + 1) * 32)
            .max(m.paddr + m.size);
        if m.cmdline_paddr != 0 {
            end = end.max(m.cmdline_paddr + strlen(m.cmdline_paddr));
        }
    }
    Some(end)
}

fn ram_is_zeroed() -> Outcome {
    let Some(b) = boot::boot() else {
        fail!("no start_info");
    };
    let si = &b.start_info;
    let image_end = (&raw const __bss_end) as u64;
    let Some(data_end) = boot_data_end() else {
        fail!("cannot read the boot data");
    };
    let skip_end = (image_end.max(data_end) + 4095) & !4095;
    println!("own image and boot data: [{IMAGE_START:#x}, {skip_end:#x})");
    let mut scanned = 0u64;
    for e in 0..u64::from(si.memmap_entries) {
        let m: HvmMemmapTableEntry = read_struct(si.memmap_paddr + e * 24);
        if m.kind != E820_RAM {
            continue;
        }
        let mut at = m.addr;
        let end = (m.addr + m.size).min(OUTSIDE_RAM);
        while at + 8 <= end {
            if (IMAGE_START..skip_end).contains(&at) {
                at = skip_end;
                continue;
            }
            let v: u64 = read_struct(at);
            check!(v == 0, "RAM at {at:#x} holds {v:#018x}: not zeroed");
            at += 8;
            scanned += 8;
        }
    }
    println!("{} KiB of RAM read as zero", scanned >> 10);
    check!(scanned >= 16 << 20, "only {scanned} bytes of RAM scanned");
    Ok(())
}

fn buffers_outside_ram() -> Outcome {
    for at in [OUTSIDE_RAM, OUTSIDE_RAM + 0x1000_0000, 0xffff_f000] {
        // SAFETY: the address is outside this guest's RAM on purpose; the hypervisor must
        // refuse to write there.
        let r = unsafe { hypercall::xen_version(XenverCmd::Extraversion.raw(), at) };
        check!(
            errno(r) == Some(Errno::EFAULT),
            "extraversion to {at:#x}: {}",
            Ret(r)
        );
        // SAFETY: as above, for a read.
        let r = unsafe {
            hypercall::hypercall6(
                ferrite_abi::xen::Hypercall::ConsoleIo.raw(),
                0,
                64,
                at,
                0,
                0,
                0,
            )
        };
        check!(
            errno(r) == Some(Errno::EFAULT),
            "console write from {at:#x}: {}",
            Ret(r)
        );
    }
    Ok(())
}
