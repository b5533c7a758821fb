//! Hand-written encodings for every decoded operation, and the differential test against
//! iced-x86 (see `oracle.rs`).

use super::oracle::{self, MODES, Outcome};
use super::*;

/// A small deterministic generator, so a failure names its input.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn differential_stats() {
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
    let mut failures = Vec::new();
    let mut counts = [0usize; 3];
    for i in 0..200_000 {
        let mut bytes = [0u8; 15];
        for b in bytes.iter_mut() {
            *b = rng.next() as u8;
        }
        let mode = MODES[i % 4];
        match oracle::check(&bytes, mode) {
            Ok(Outcome::BothValid) => counts[0] += 1,
            Ok(Outcome::BothInvalid) => counts[1] += 1,
            Ok(Outcome::OnlyIcedInvalid) => counts[2] += 1,
            Err(e) => failures.push(e),
        }
    }
    println!("valid {} / both invalid {} / only iced invalid {}", counts[0], counts[1], counts[2]);
    for f in failures.iter().take(40) {
        println!("{f}");
    }
    assert!(failures.is_empty(), "{} disagreements", failures.len());
}
