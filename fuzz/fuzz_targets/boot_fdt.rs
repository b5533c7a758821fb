//! The device-tree reader (`ferrite_arch::boot::fdt`) on arbitrary blobs: FDT_NOP stripping,
//! validation, the full parse into `BootInfo`/`DtInfo` and the console UART lookup must never
//! panic, and a parsed blob's ranges must stay inside the blob.
#![no_main]

use ferrite_arch::boot::fdt::{self, DtInfo};
use ferrite_arch::boot::info::{BootInfo, Loader};
use libfuzzer_sys::fuzz_target;

const PA: u64 = 0x4800_0000;

fuzz_target!(|data: &[u8]| {
    let mut blob = data.to_vec();
    let _ = fdt::check::strip_nops(&mut blob);
    let mut info = BootInfo::new(Loader::Fdt);
    let mut dt = DtInfo::new();
    if fdt::parse(&blob, PA, &mut info, &mut dt, &mut |_| {}).is_ok() {
        assert!(dt.blob.start == PA && dt.blob.end <= PA + blob.len() as u64);
        if let Some(s) = info.cmdline {
            assert!(s.paddr >= PA && s.paddr + s.len <= dt.blob.end);
        }
    }
    let _ = fdt::find_uart(&blob, Some(b"serial0"));
    let _ = fdt::find_uart(&blob, None);
});
