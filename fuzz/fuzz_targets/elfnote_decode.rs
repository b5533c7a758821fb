//! Xen ELF note decoder (`ferrite_abi::elfnote_decode`) on arbitrary bytes, read both as a whole
//! ELF image (PT_NOTE / SHT_NOTE) and as a bare note blob: it must never panic.
#![no_main]

use ferrite_abi::elfnote_decode::{GuestNotes, notes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = GuestNotes::from_elf(data);
    let _ = GuestNotes::from_blob(data);
    for note in notes(data) {
        if note.is_err() {
            break;
        }
    }
});
