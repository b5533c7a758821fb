//! Every conversion from a raw number to an ABI enum (hypercall numbers, sub-ops, parameter
//! indices, errno, ...), through the layout table so a new enum is covered automatically: none
//! may panic, and an accepted value must convert back to the same number. Also reads the input
//! as each guest-visible struct size to exercise zerocopy's checks.
#![no_main]

use ferrite_abi::layout::{Arch, layout_table};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for chunk in data.chunks(8) {
        let mut word = [0u8; 8];
        word[..chunk.len()].copy_from_slice(chunk);
        let raw = u64::from_le_bytes(word);
        for arch in [Arch::X86_64, Arch::Aarch64] {
            for module in layout_table(arch) {
                if let Err(name) = (module.raw_round_trip)(raw) {
                    panic!("{name} does not round-trip {raw:#x}");
                }
            }
        }
    }
});
