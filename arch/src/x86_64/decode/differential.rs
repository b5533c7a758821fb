//! Differential tests against iced-x86 over random bytes in every mode (the rules are in the
//! module doc; the comparison is `oracle.rs`).

use proptest::prelude::*;

use super::decode;
use super::oracle::{self, MODES, Outcome};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(20_000))]

    /// Random bytes in every mode agree with iced-x86 (length, verdict, operands).
    #[test]
    fn agrees_with_iced(bytes in proptest::collection::vec(any::<u8>(), 15), mode in 0usize..4) {
        oracle::check(&bytes, MODES[mode]).map_err(TestCaseError::fail)?;
    }

    /// Any input length: never a panic, and a length within the bytes given.
    #[test]
    fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..20), mode in 0usize..4) {
        if let Ok(insn) = decode(&bytes, MODES[mode]) {
            prop_assert!((1..=15).contains(&insn.len) && usize::from(insn.len) <= bytes.len());
        }
    }
}

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

/// Bytes that steer random input into prefixes, escapes and the decoded opcodes.
const INTERESTING: [u8; 32] = [
    0x0f, 0x0f, 0x38, 0x3a, 0x01, 0x66, 0x67, 0xf2, 0xf3, 0xf0, 0x26, 0x64, 0x48, 0x41, 0x4c, 0xc4,
    0xc5, 0x62, 0x8f, 0x20, 0x22, 0xd9, 0x89, 0x8b, 0xa1, 0xc7, 0xf7, 0x6d, 0xa5, 0x63, 0x25, 0x05,
];

#[test]
fn differential_stats() {
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
    let mut failures = Vec::new();
    let mut counts = [0usize; 3];
    let runs = std::env::var("DECODE_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200_000);
    for i in 0..runs {
        let mut bytes = [0u8; 15];
        for b in bytes.iter_mut() {
            let r = rng.next();
            *b = if i % 2 == 1 && r & 0x300 == 0 {
                INTERESTING[(r >> 16) as usize % INTERESTING.len()]
            } else {
                r as u8
            };
        }
        let mode = MODES[i % 4];
        match oracle::check(&bytes, mode) {
            Ok(Outcome::BothValid) => counts[0] += 1,
            Ok(Outcome::BothInvalid) => counts[1] += 1,
            Ok(Outcome::OnlyIcedInvalid) => counts[2] += 1,
            Err(e) => failures.push(e),
        }
    }
    println!(
        "valid {} / both invalid {} / only iced invalid {}",
        counts[0], counts[1], counts[2]
    );
    for f in failures.iter().take(40) {
        println!("{f}");
    }
    assert!(failures.is_empty(), "{} disagreements", failures.len());
}
