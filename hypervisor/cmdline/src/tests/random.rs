//! Arbitrary bytes: the parser never panics and accounts for every byte.

use proptest::prelude::*;

use super::run;
use crate::lexer::{DOM0_SEPARATOR, is_separator, tokens};
use crate::registry::OPTIONS;
use crate::unsupported::known_unsupported;

/// Checks that `input` is exactly Xen's part (tokens and separators) followed, when
/// there is a dom0 part, by the `--` token, separators and dom0's part.
fn assert_every_byte_accounted_for(input: &[u8]) {
    let (parsed, seen) = run(input);
    let xen = parsed.xen_cmdline;
    assert_eq!(input.get(..xen.len()), Some(xen), "Xen's part is a prefix");
    let mut covered = 0;
    let mut count = 0;
    for token in tokens(xen) {
        let gap = &xen[covered..token.offset];
        assert!(
            gap.iter().all(|&b| is_separator(b)),
            "only separators between tokens"
        );
        assert!(!token.bytes.is_empty() && !token.bytes.iter().any(|&b| is_separator(b)));
        assert_eq!(
            &xen[token.offset..token.offset + token.bytes.len()],
            token.bytes
        );
        assert_ne!(token.bytes, DOM0_SEPARATOR, "Xen's part holds no -- token");
        covered = token.offset + token.bytes.len();
        count += 1;
    }
    assert!(
        xen[covered..].iter().all(|&b| is_separator(b)),
        "only separators at the end"
    );
    let rest = &input[xen.len()..];
    match parsed.dom0_cmdline {
        None => assert!(rest.is_empty()),
        Some(dom0) => {
            let after = rest
                .strip_prefix(DOM0_SEPARATOR)
                .expect("-- follows Xen's part");
            let skipped = after.len() - dom0.len();
            assert!(after[..skipped].iter().all(|&b| is_separator(b)));
            assert_eq!(
                &after[skipped..],
                dom0,
                "dom0's part is the rest of the input"
            );
            assert!(dom0.first().is_none_or(|&b| !is_separator(b)));
        }
    }
    // At most one diagnostic per token, plus one per extra list item.
    let commas = xen.iter().filter(|&&b| b == b',').count();
    assert!(
        seen.len() <= count + commas,
        "{} diagnostics for {count} tokens",
        seen.len()
    );
    for diagnostic in &seen {
        let line = diagnostic.to_string();
        assert!(
            line.chars().all(|c| !c.is_control()),
            "one printable line: {line:?}"
        );
        assert!(line.len() < 600, "{line}");
    }
}

/// Text built from the grammar's pieces, so that values reach the option parsers.
fn grammar_like() -> impl Strategy<Value = Vec<u8>> {
    let names: Vec<&'static str> = OPTIONS
        .iter()
        .map(|spec| spec.name)
        .chain(known_unsupported().take(20))
        .collect();
    let name = prop::sample::select(names);
    let piece = prop::sample::select(vec![
        "",
        "no-",
        "=",
        ",",
        "-",
        "/",
        ":",
        "%",
        "+",
        "0",
        "1",
        "8n1",
        "0x3f8",
        "auto",
        "k",
        "M",
        "G",
        "T",
        "max:",
        "min:",
        "yes",
        "off",
        "all",
        "force",
        "com1",
        "vga",
        "H",
        "--",
        " ",
        "\u{ff}",
        "\u{0}",
        "99999999999999999999",
        "msi",
        "pci",
        "0:1f.3",
        "=scratch-page",
    ]);
    let option = (prop::bool::ANY, name, prop::collection::vec(piece, 0..8)).prop_map(
        |(negate, name, pieces)| {
            let mut text = if negate {
                String::from("no-")
            } else {
                String::new()
            };
            text.push_str(name);
            text.push_str(&pieces.concat());
            text
        },
    );
    prop::collection::vec(option, 0..12).prop_map(|options| options.join(" ").into_bytes())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_bytes_never_panic(input in prop::collection::vec(any::<u8>(), 0..512)) {
        assert_every_byte_accounted_for(&input);
    }

    #[test]
    fn arbitrary_ascii_never_panics(input in "[ -~\t\n]{0,300}") {
        assert_every_byte_accounted_for(input.as_bytes());
    }

    #[test]
    fn grammar_like_lines_never_panic(input in grammar_like()) {
        assert_every_byte_accounted_for(&input);
    }
}

/// A small deterministic generator (xorshift64*), so the test needs no `rand`.
fn random_bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed | 1;
    (0..len)
        .map(|_| {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            state.wrapping_mul(0x2545_f491_4f6c_dd1d).to_le_bytes()[7]
        })
        .collect()
}

#[test]
fn four_kib_of_random_bytes() {
    for seed in 0..64 {
        let input = random_bytes(seed, 4096);
        assert_every_byte_accounted_for(&input);
        // The same bytes with plenty of separators, '=' and ',' mixed in.
        let spaced: Vec<u8> = input
            .iter()
            .map(|&b| match b % 8 {
                0 => b' ',
                1 => b'=',
                2 => b',',
                _ => b,
            })
            .collect();
        assert_every_byte_accounted_for(&spaced);
    }
}

#[test]
fn four_kib_of_one_token() {
    assert_every_byte_accounted_for(&[b'a'; 4096]);
    let mut long = b"loglvl=".to_vec();
    long.resize(4096, b'9');
    assert_every_byte_accounted_for(&long);
    let mut long = b"dom0_mem=".to_vec();
    long.extend(std::iter::repeat_n(&b"1G,"[..], 1362).flatten());
    assert_every_byte_accounted_for(&long);
}
