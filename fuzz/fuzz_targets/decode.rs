//! Fuzzes the x86 instruction decoder (`ferrite_arch::x86_64::decode`) against iced-x86:
//! the first byte picks the mode, the next 15 are the instruction. Both must agree on the
//! length and on the decoded operands whenever iced decodes a valid instruction, and the
//! decoder may call bytes invalid only when iced does too (rules in the decoder's module doc;
//! the comparison is `arch/src/x86_64/decode/oracle.rs`, shared with the unit tests).
#![no_main]

use libfuzzer_sys::fuzz_target;

// The decoder's public API at the crate root, where the shared oracle finds it as `super::`.
use ferrite_arch::x86_64::decode::*;

#[path = "../../arch/src/x86_64/decode/oracle.rs"]
mod oracle;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let mode = oracle::MODES[usize::from(selector % 4)];
    if let Err(disagreement) = oracle::check(bytes, mode) {
        panic!("{disagreement}");
    }
    // Any length of input, too: never a panic, and a length within what was given.
    if let Ok(insn) = decode(bytes, mode) {
        assert!((1..=15).contains(&insn.len) && usize::from(insn.len) <= bytes.len());
    }
});
