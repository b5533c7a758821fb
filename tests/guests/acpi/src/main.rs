//! `acpi`: the ACPI view a PVH dom0 gets (Xen's `dom0_build.c` behaviour, ACPI 6.5 ch. 5):
//! `hvm_start_info.rsdp_paddr` leads to an RSDP (revision 2) and XSDT whose MADT has one
//! enabled local APIC per vCPU (ids 0..n, as CPUID reports) and the host's I/O APICs; the
//! host's FADT and the DSDT it names are readable where the host has them and reserved in the
//! memory map; the HPET table, which Ferrite keeps, is not listed. Run with
//! `dom0_max_vcpus=2`.
#![no_std]
#![no_main]

use ferrite_abi::hvm::start_info::HvmMemmapTableEntry;
use ferrite_guest_rt::acpi::{self, bytes, sum, u32_at, u64_at};
use ferrite_guest_rt::{Outcome, boot, check, fail, println};

ferrite_guest_rt::guest!(
    "acpi",
    [
        rsdp_and_xsdt,
        madt,
        host_tables,
        facs_global_lock,
        hpet_reads_as_absent,
        ecam_matches_config_ports,
        io_apic
    ]
);

/// A whole table at `paddr`, checked: below 4 GiB, a sane length, checksum zero.
fn table(paddr: u64) -> Option<&'static [u8]> {
    acpi::table(paddr).filter(|t| sum(t) == 0)
}

/// The XSDT's entries, the XSDT itself checksum-checked.
fn xsdt_entries() -> Option<impl Iterator<Item = u64>> {
    let x = acpi::xsdt().filter(|t| sum(t) == 0)?;
    Some(acpi::xsdt_entries(x))
}

fn find(sig: &[u8; 4]) -> Option<&'static [u8]> {
    xsdt_entries()?
        .filter_map(table)
        .find(|t| t.get(..4) == Some(sig))
}

fn rsdp_and_xsdt() -> Outcome {
    let Some(b) = boot::boot() else {
        fail!("no start_info")
    };
    let at = b.start_info.rsdp_paddr;
    println!("rsdp_paddr {at:#x}");
    check!(at != 0, "hvm_start_info.rsdp_paddr is 0");
    let r = bytes(at, 36);
    check!(
        r.get(..8) == Some(b"RSD PTR "),
        "no RSDP signature at {at:#x}"
    );
    check!(sum(&r[..20]) == 0 && sum(r) == 0, "RSDP checksums");
    check!(r[15] >= 2, "RSDP revision {} has no XSDT", r[15]);
    let Some(x) = table(u64_at(r, 24)) else {
        fail!("XSDT missing or corrupt")
    };
    check!(x.get(..4) == Some(b"XSDT"), "XSDT signature");
    let Some(entries) = xsdt_entries() else {
        fail!("no XSDT")
    };
    for e in entries {
        let Some(t) = table(e) else {
            fail!("XSDT entry {e:#x} is unreadable or corrupt")
        };
        println!(
            "  {} at {e:#x}, {} bytes",
            core::str::from_utf8(&t[..4]).unwrap_or("?"),
            t.len()
        );
        check!(
            t.get(..4) != Some(b"HPET"),
            "the HPET table is listed; Ferrite owns the HPET"
        );
    }
    Ok(())
}

fn madt() -> Outcome {
    let Some(m) = find(b"APIC") else {
        fail!("no MADT")
    };
    let mut at = 44;
    let (mut lapics, mut ioapics) = (0u32, 0u32);
    while at + 2 <= m.len() {
        let (kind, len) = (m[at], usize::from(m[at + 1]));
        if len < 2 {
            fail!("MADT entry of length {len}");
        }
        match kind {
            0 => {
                let (uid, id, flags) = (m[at + 2], m[at + 3], u32_at(m, at + 4));
                check!(u32::from(id) == lapics, "LAPIC {lapics} has APIC id {id}");
                check!(u32::from(uid) == lapics, "LAPIC {lapics} has uid {uid}");
                check!(flags & 1 == 1, "LAPIC {lapics} is not enabled");
                lapics += 1;
            }
            1 => ioapics += 1,
            _ => {}
        }
        at += len;
    }
    println!("MADT: {lapics} local APICs, {ioapics} I/O APICs");
    check!(lapics == 2, "{lapics} local APICs for 2 vCPUs");
    check!(ioapics >= 1, "no I/O APIC");
    Ok(())
}

fn reserved(addr: u64, len: u64) -> bool {
    let Some(b) = boot::boot() else { return false };
    let si = &b.start_info;
    (0..u64::from(si.memmap_entries)).any(|i| {
        // SAFETY: the memory map lies in this guest's RAM, identity-mapped.
        let e: HvmMemmapTableEntry = unsafe {
            core::ptr::read_unaligned((si.memmap_paddr + i * 24) as *const HvmMemmapTableEntry)
        };
        e.kind == 2 && e.addr <= addr && addr + len <= e.addr + e.size
    })
}

fn host_tables() -> Outcome {
    let Some(f) = find(b"FACP") else {
        fail!("no FADT")
    };
    let fadt_at = f.as_ptr() as u64;
    check!(
        reserved(fadt_at, f.len() as u64),
        "the FADT at {fadt_at:#x} is not in a reserved range"
    );
    // X_DSDT (offset 140) when present, else DSDT (offset 40).
    let dsdt_at = match u64_at(f, 140) {
        0 => u64::from(u32_at(f, 40)),
        x => x,
    };
    let Some(d) = table(dsdt_at) else {
        fail!("DSDT at {dsdt_at:#x} unreadable or corrupt")
    };
    check!(d.get(..4) == Some(b"DSDT"), "DSDT signature");
    check!(
        reserved(dsdt_at, d.len() as u64),
        "the DSDT is not in a reserved range"
    );
    println!(
        "FADT at {fadt_at:#x}, DSDT at {dsdt_at:#x} ({} bytes)",
        d.len()
    );
    Ok(())
}

/// The FACS the FADT names is writable: the OS takes the ACPI global lock there with a
/// locked compare-exchange (ACPI 6.5, 5.2.10) and writes its waking vector. Xen maps the
/// host's ACPI regions into a PVH dom0 read-write.
fn facs_global_lock() -> Outcome {
    use core::sync::atomic::{AtomicU32, Ordering};
    let Some(f) = find(b"FACP") else {
        fail!("no FADT")
    };
    // X_FIRMWARE_CTRL (offset 132) when present, else FIRMWARE_CTRL (offset 36).
    let facs_at = match u64_at(f, 132) {
        0 => u64::from(u32_at(f, 36)),
        x => x,
    };
    if facs_at == 0 {
        println!("no FACS (hardware-reduced ACPI)");
        return Ok(());
    }
    check!(
        facs_at < 1 << 32 && facs_at % 64 == 0,
        "FACS at {facs_at:#x}: not a 64-byte aligned address below 4 GiB"
    );
    let facs = bytes(facs_at, 64);
    check!(facs.get(..4) == Some(b"FACS"), "FACS signature");
    check!(reserved(facs_at, 64), "the FACS is not in a reserved range");
    // SAFETY: the FACS is 64-byte aligned and identity-mapped (checked above); its global
    // lock (offset 16) is a 4-byte field the OS updates atomically, and no one else holds it
    // while this single-threaded test runs. The value is restored below.
    let lock = unsafe { &*((facs_at + 16) as *const AtomicU32) };
    let old = lock.load(Ordering::SeqCst);
    check!(old & 2 == 0, "the global lock is already owned ({old:#x})");
    let took = lock.compare_exchange(old, old | 2, Ordering::SeqCst, Ordering::SeqCst);
    check!(
        took == Ok(old),
        "compare-exchange on the global lock: {took:?}"
    );
    lock.store(old, Ordering::SeqCst);
    println!("FACS at {facs_at:#x}: global lock taken and released");
    Ok(())
}

/// The host's HPET (at the PC's usual 0xfed00000, where QEMU puts it), which Ferrite keeps:
/// dom0's AML still probes it (QEMU's DSDT reads its ID register in `_STA`), so reads give
/// all ones, "no device", and writes are dropped, instead of crashing the domain.
fn hpet_reads_as_absent() -> Outcome {
    const HPET: u64 = 0xfed0_0000;
    // SAFETY: the runtime identity-maps the first 4 GiB; the HPET page is not dom0's RAM, so
    // the hypervisor answers each access (an ID read and a write to the configuration
    // register, which must have no effect).
    let (id, after) = unsafe {
        let id = core::ptr::read_volatile(HPET as *const u32);
        core::ptr::write_volatile((HPET + 0x10) as *mut u32, 1);
        (id, core::ptr::read_volatile((HPET + 0x10) as *const u32))
    };
    check!(
        id == u32::MAX,
        "HPET ID register read {id:#x}, not all ones"
    );
    check!(
        after == u32::MAX,
        "HPET configuration read {after:#x} after a write"
    );
    Ok(())
}

/// PCI configuration space of 00:00.0 read through the ECAM window the MCFG names (on q35)
/// matches what the 0xcf8/0xcfc ports give: dom0 reads extended registers there.
fn ecam_matches_config_ports() -> Outcome {
    let Some(m) = find(b"MCFG") else {
        println!("no MCFG: no ECAM to check");
        return Ok(());
    };
    // The first allocation: base (offset 44), segment, start and end bus (ACPI MCFG).
    let base = u64_at(m, 44);
    let start_bus = m.get(54).copied().unwrap_or(0);
    check!(base != 0 && base < 1 << 32, "ECAM base {base:#x}");
    check!(start_bus == 0, "ECAM starts at bus {start_bus}");
    // SAFETY: the runtime identity-maps the first 4 GiB; a read of 00:00.0's ID register
    // has no side effect.
    let ecam = unsafe { core::ptr::read_volatile(base as *const u32) };
    ferrite_guest_rt::cpu::outl(0xcf8, 0x8000_0000);
    let ports: u32;
    // SAFETY: reads the configuration data port after selecting 00:00.0's register 0 (the
    // port is dom0's; a read has no side effect).
    unsafe {
        core::arch::asm!("in eax, dx", in("dx") 0xcfcu16, out("eax") ports, options(nomem, nostack));
    }
    check!(
        ecam == ports && ecam != u32::MAX,
        "00:00.0 ID through ECAM {ecam:#x}, through the ports {ports:#x}"
    );
    println!("ECAM at {base:#x}: 00:00.0 is {ecam:#010x}");
    Ok(())
}

/// The emulated I/O APIC at the address the MADT gives: its version register says 24 pins,
/// and a redirection entry keeps what is written (less its read-only bits).
fn io_apic() -> Outcome {
    let Some(m) = find(b"APIC") else {
        fail!("no MADT")
    };
    let mut at = 44;
    let mut base = None;
    while at + 2 <= m.len() {
        let (kind, len) = (m[at], usize::from(m[at + 1]));
        if len < 2 {
            break;
        }
        if kind == 1 {
            base = Some(u64::from(u32_at(m, at + 4)));
            break;
        }
        at += len;
    }
    let Some(base) = base else {
        fail!("no I/O APIC in the MADT")
    };
    let sel = base as *mut u32;
    let win = (base + 0x10) as *mut u32;
    // SAFETY: the I/O APIC window (identity-mapped) is emulated by the hypervisor; selecting
    // and reading/writing its registers affects only this guest's emulated device.
    let (ver, entry) = unsafe {
        core::ptr::write_volatile(sel, 1);
        let ver = core::ptr::read_volatile(win);
        core::ptr::write_volatile(sel, 0x10 + 2 * 4); // pin 4, low word
        core::ptr::write_volatile(win, 0x0001_0030 | (1 << 12));
        (ver, core::ptr::read_volatile(win))
    };
    println!("I/O APIC at {base:#x}: version {ver:#x}");
    check!(
        ver == 0x0017_0011,
        "version register {ver:#x}, expected 24 pins, version 0x11"
    );
    check!(entry == 0x0001_0030, "redirection entry reads {entry:#x}");
    Ok(())
}
