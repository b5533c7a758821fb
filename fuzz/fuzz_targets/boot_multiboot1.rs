//! Arbitrary bytes as a multiboot1 information structure at physical address 0, so that the
//! structure's own pointers (cmdline, modules, mmap) can land inside the input.
#![no_main]

use ferrite_arch::boot::info::{BootInfo, Loader};
use ferrite_arch::boot::multiboot1;
use ferrite_arch::boot::phys::SliceMem;
use libfuzzer_sys::fuzz_target;

struct Sink;

impl core::fmt::Write for Sink {
    fn write_str(&mut self, _: &str) -> core::fmt::Result {
        Ok(())
    }
}

fuzz_target!(|data: &[u8]| {
    use core::fmt::Write;
    let mem = SliceMem { base: 0, bytes: data };
    let mut info = BootInfo::new(Loader::Multiboot1);
    let mut diag = |d| {
        let _ = write!(Sink, "{d}");
    };
    if multiboot1::parse(&mem, 0, &mut info, &mut diag).is_ok() {
        info.validate(0x10_0000..0x20_0000, &mut diag);
        let _ = write!(Sink, "{}", info.memory_map);
    }
});
