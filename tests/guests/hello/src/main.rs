//! `hello`: the first test guest. Writes through console_io, checks `hvm_start_info`
//! (`arch-x86/hvm/start_info.h`), Xen's CPUID leaves (`arch-x86/cpuid.h`),
//! `xen_version(XENVER_version)` (`version.h`) and that unknown hypercall numbers give
//! `-ENOSYS` (`xen.h`, `errno.h`).
#![no_std]
#![no_main]

use ferrite_abi::Errno;
use ferrite_abi::arch_x86::cpuid::XEN_CPUID_MAX_NUM_LEAVES;
use ferrite_abi::hvm::start_info::XEN_HVM_START_MAGIC_VALUE;
use ferrite_abi::xen::Hypercall;
use ferrite_guest_rt::cpu::cpuid;
use ferrite_guest_rt::hypercall::{self, Ret};
use ferrite_guest_rt::{Outcome, boot, check, fail, println, xen};

ferrite_guest_rt::guest!(
    "hello",
    [
        console_io_write,
        start_info,
        cpuid_leaves,
        xen_version,
        unknown_hypercall,
        out_of_range_hypercall,
    ]
);

fn console_io_write() -> Outcome {
    let msg = b"Hello from a PVH guest\n";
    let ret = hypercall::console_write(msg);
    check!(ret >= 0, "CONSOLEIO_write returned {}", Ret(ret));
    Ok(())
}

fn start_info() -> Outcome {
    let Some(b) = boot::boot() else {
        fail!("no hvm_start_info (EBX was 0 or above 4 GiB)");
    };
    let si = &b.start_info;
    println!(
        "start_info at {:#x}: magic {:#x} version {} flags {:#x} modules {} cmdline {:#x} rsdp {:#x} memmap {:#x} x {}",
        b.start_info_paddr,
        si.magic,
        si.version,
        si.flags,
        si.nr_modules,
        si.cmdline_paddr,
        si.rsdp_paddr,
        si.memmap_paddr,
        si.memmap_entries
    );
    check!(
        si.magic == XEN_HVM_START_MAGIC_VALUE,
        "magic {:#x}, expected {XEN_HVM_START_MAGIC_VALUE:#x}",
        si.magic
    );
    check!(
        si.version >= 1,
        "start_info version {}, expected >= 1",
        si.version
    );
    if si.cmdline_paddr != 0 {
        let mut line = [0u8; 128];
        if boot::read_phys(si.cmdline_paddr, &mut line) {
            let end = line.iter().position(|&c| c == 0).unwrap_or(line.len());
            let text = line.get(..end).unwrap_or_default();
            println!(
                "command line: {}",
                core::str::from_utf8(text).unwrap_or("(not UTF-8)")
            );
        }
    }
    Ok(())
}

fn cpuid_leaves() -> Outcome {
    let Some(x) = xen::info() else {
        fail!("no Xen leaves")
    };
    let base = cpuid(x.base, 0);
    println!("CPUID base {:#x}: max leaf {:#x}", x.base, base.eax);
    check!(
        base.eax >= x.base + 2,
        "max leaf {:#x} < base + 2",
        base.eax
    );
    check!(
        base.eax <= x.base + 0xff,
        "max leaf {:#x} runs past this base's 0x100 leaves",
        base.eax
    );
    if base.eax > x.base + XEN_CPUID_MAX_NUM_LEAVES {
        println!("note: more leaves than Xen 4.20's {XEN_CPUID_MAX_NUM_LEAVES}");
    }
    let ver = cpuid(x.base + 1, 0);
    println!("version leaf: {}.{}", ver.eax >> 16, ver.eax & 0xffff);
    check!(ver.eax >> 16 >= 3, "version {:#x}: major below 3", ver.eax);
    let hc = cpuid(x.base + 2, 0);
    println!("hypercall leaf: {} page(s), MSR {:#x}", hc.eax, hc.ebx);
    check!(hc.eax >= 1, "{} hypercall pages", hc.eax);
    check!(hc.ebx != 0, "hypercall MSR is 0");
    Ok(())
}

fn xen_version() -> Outcome {
    let Some(x) = xen::info() else {
        fail!("no Xen leaves")
    };
    let ret = hypercall::xen_version_number();
    check!(ret >= 0, "XENVER_version returned {}", Ret(ret));
    println!("Xen version {}.{}", ret >> 16, ret & 0xffff);
    check!(
        ret == i64::from(x.version),
        "XENVER_version {ret:#x} disagrees with the CPUID version leaf {:#x}",
        x.version
    );
    Ok(())
}

/// The first number below the hypercall page's 128 stubs that Xen defines no hypercall for.
fn undefined_number() -> Option<u32> {
    (0..hypercall::PAGE_ENTRIES)
        .rev()
        .find(|&nr| Hypercall::try_from(nr).is_err())
}

fn unknown_hypercall() -> Outcome {
    let Some(nr) = undefined_number() else {
        fail!("every page entry is a hypercall")
    };
    // SAFETY: no arguments point anywhere.
    let ret = unsafe { hypercall::hypercall6(nr, 0, 0, 0, 0, 0, 0) };
    check!(
        ret == Errno::ENOSYS.to_ret(),
        "hypercall {nr} returned {}, expected -ENOSYS",
        Ret(ret)
    );
    Ok(())
}

fn out_of_range_hypercall() -> Outcome {
    for nr in [hypercall::PAGE_ENTRIES, 0x1000, u32::MAX] {
        // SAFETY: no arguments point anywhere.
        let ret = unsafe { hypercall::hypercall6_insn(nr, 0, 0, 0, 0, 0, 0) };
        check!(
            ret == Errno::ENOSYS.to_ret(),
            "hypercall {nr:#x} (direct) returned {}, expected -ENOSYS",
            Ret(ret)
        );
    }
    Ok(())
}
