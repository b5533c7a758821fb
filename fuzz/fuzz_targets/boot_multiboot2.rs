//! Arbitrary bytes as a multiboot2 boot information structure: the reader must never panic, and
//! whatever it accepts must survive validation and printing.
#![no_main]

use ferrite_arch::boot::info::{BootInfo, Loader};
use ferrite_arch::boot::multiboot2;
use ferrite_arch::boot::phys::SliceMem;
use libfuzzer_sys::fuzz_target;

/// Where the structure sits (8-byte aligned, as the specification requires).
const BASE: u64 = 0x1_0000;

struct Sink;

impl core::fmt::Write for Sink {
    fn write_str(&mut self, _: &str) -> core::fmt::Result {
        Ok(())
    }
}

fuzz_target!(|data: &[u8]| {
    use core::fmt::Write;
    let mem = SliceMem { base: BASE, bytes: data };
    let mut info = BootInfo::new(Loader::Multiboot2 { efi: false });
    let mut diag = |d| {
        let _ = write!(Sink, "{d}");
    };
    if let Err(e) = multiboot2::parse(&mem, BASE, &mut info, &mut diag) {
        let _ = write!(Sink, "{e}");
        return;
    }
    info.validate(0x10_0000..0x20_0000, &mut diag);
    let _ = write!(Sink, "{}", info.memory_map);
    let _ = info.reserved_ranges(0x10_0000..0x20_0000);
});
