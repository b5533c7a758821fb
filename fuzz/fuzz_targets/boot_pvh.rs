//! Arbitrary bytes as a PVH `hvm_start_info` at physical address 0, so that the module list,
//! memory map and strings it points to can land inside the input.
#![no_main]

use ferrite_arch::boot::info::{BootInfo, Loader};
use ferrite_arch::boot::phys::SliceMem;
use ferrite_arch::boot::pvh;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mem = SliceMem { base: 0, bytes: data };
    let mut info = BootInfo::new(Loader::Pvh);
    if pvh::parse(&mem, 0, &mut info, &mut |_| {}).is_ok() {
        info.validate(0x10_0000..0x20_0000, &mut |_| {});
        let _ = info.reserved_ranges(0x10_0000..0x20_0000);
    }
});
