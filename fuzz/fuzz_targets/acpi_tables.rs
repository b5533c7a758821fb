//! Fuzzes Ferrite's ACPI reader (arch/src/acpi): arbitrary bytes as firmware memory, as an RSDP
//! copy, and as each table, must never panic.
#![no_main]

use ferrite_arch::acpi::{
    FakeMemory, RsdpSource, find_s5, parse_dmar, parse_fadt, parse_hpet, parse_ivrs, parse_madt,
    parse_mcfg, read_acpi, scan_bios_for_rsdp,
};
use libfuzzer_sys::fuzz_target;

/// The input is physical memory starting here, so an RSDP at the start of the input is also
/// where the BIOS scan looks, and table pointers into the input are in range.
const BASE: u64 = 0xe_0000;

fuzz_target!(|data: &[u8]| {
    let mem = FakeMemory::from_bytes(BASE, data.to_vec());
    if let Ok(info) = read_acpi(&mem, RsdpSource::Address(BASE)) {
        let _ = info.table_lines();
        let _ = ferrite_arch::acpi::summary_lines(&info);
    }
    let _ = read_acpi(&mem, RsdpSource::Copy(data));
    let _ = scan_bios_for_rsdp(&mem);
    let mut warnings = Vec::new();
    let _ = parse_madt(data, 0, &mut warnings);
    let _ = parse_fadt(data, 0, &mut warnings);
    let _ = parse_hpet(data, 0, &mut warnings);
    let _ = parse_mcfg(data, 0, &mut warnings);
    let _ = parse_dmar(data, 0, &mut warnings);
    let _ = parse_ivrs(data, 0, &mut warnings);
    let _ = find_s5(data);
});
