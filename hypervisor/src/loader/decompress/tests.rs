//! Round trips against liblzma (`xz2`) and miniz/zlib (`flate2`) as oracles, then damaged
//! inputs: every truncation, bit flips, bombs. Nothing may panic.

use std::io::Read;

use super::*;

const CAP: usize = 64 << 20;

/// Test data with the kinds of redundancy a kernel has: text, zeros, x86 calls, noise.
fn sample(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        match x % 5 {
            0 => out.extend_from_slice(b"the quick brown fox jumps over the lazy dog. "),
            1 => out.extend(core::iter::repeat_n(0u8, (x >> 8) as usize % 300)),
            2 => {
                // CALL rel32 with a small offset, as in code.
                out.push(0xe8);
                out.extend_from_slice(&((x >> 16) as i32 % 100_000).to_le_bytes());
            }
            3 => out.extend_from_slice(&x.to_le_bytes()),
            _ => {
                let back = (x >> 20) as usize % out.len().max(1);
                let from = out.len() - back.min(out.len());
                let chunk: Vec<u8> = out[from..].iter().take(40).copied().collect();
                out.extend_from_slice(&chunk);
            }
        }
    }
    out.truncate(n);
    out
}

fn xz(data: &[u8], preset: u32, check: xz2::stream::Check, x86: bool) -> Vec<u8> {
    let opts = xz2::stream::LzmaOptions::new_preset(preset).unwrap();
    let mut filters = xz2::stream::Filters::new();
    if x86 {
        filters.x86();
    }
    filters.lzma2(&opts);
    let stream = xz2::stream::Stream::new_stream_encoder(&filters, check).unwrap();
    let mut out = Vec::new();
    xz2::read::XzEncoder::new_stream(data, stream)
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn gzip(data: &[u8], level: u32, name: bool) -> Vec<u8> {
    let mut b = flate2::GzBuilder::new();
    if name {
        b = b.filename("vmlinux").comment("test").extra(vec![1, 2, 3]);
    }
    let mut out = Vec::new();
    b.read(data, flate2::Compression::new(level))
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn run(input: &[u8], cap: usize) -> Result<Vec<u8>, Error> {
    let format = Format::detect(input).ok_or(Error::Corrupt("no magic"))?;
    let mut out = Vec::new();
    decompress(format, input, &mut out, cap)?;
    Ok(out)
}

#[test]
fn xz_round_trips() {
    use xz2::stream::Check;
    for (i, n) in [0usize, 1, 5, 100, 70_000, 3_000_000]
        .into_iter()
        .enumerate()
    {
        let data = sample(n, i as u64 + 7);
        for (preset, check, x86) in [
            (6, Check::Crc32, false),
            (0, Check::Crc64, false),
            (9, Check::None, true),
            (6, Check::Crc32, true),
            (1, Check::Sha256, false),
        ] {
            let packed = xz(&data, preset, check, x86);
            assert_eq!(
                run(&packed, CAP).as_deref(),
                Ok(&data[..]),
                "n={n} preset={preset} x86={x86}"
            );
            assert_eq!(size_hint(Format::Xz, &packed), Some(n as u64));
        }
    }
}

#[test]
fn xz_incompressible_data_uses_stored_chunks() {
    let mut x = 0x1234_5678_9abc_def0u64;
    let data: Vec<u8> = (0..200_000)
        .map(|_| {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (x >> 56) as u8
        })
        .collect();
    let packed = xz(&data, 6, xz2::stream::Check::Crc32, false);
    assert_eq!(run(&packed, CAP), Ok(data));
}

#[test]
fn xz_with_linux_size_trailer() {
    // Linux appends the uncompressed size (4 bytes LE) to its payloads.
    let data = sample(50_000, 3);
    let mut packed = xz(&data, 6, xz2::stream::Check::Crc32, true);
    packed.extend_from_slice(&(data.len() as u32).to_le_bytes());
    assert_eq!(size_hint(Format::Xz, &packed), Some(50_000));
    assert_eq!(run(&packed, CAP), Ok(data));
}

#[test]
fn gzip_round_trips() {
    for (i, n) in [0usize, 1, 100, 70_000, 2_000_000].into_iter().enumerate() {
        let data = sample(n, i as u64 + 11);
        for (level, name) in [(0, false), (1, true), (6, false), (9, true)] {
            let packed = gzip(&data, level, name);
            assert_eq!(
                run(&packed, CAP).as_deref(),
                Ok(&data[..]),
                "n={n} level={level}"
            );
            assert_eq!(size_hint(Format::Gzip, &packed), Some(n as u64));
        }
    }
}

#[test]
fn every_truncation_is_an_error() {
    let data = sample(20_000, 5);
    for packed in [
        xz(&data, 6, xz2::stream::Check::Crc32, true),
        gzip(&data, 9, true),
    ] {
        for len in 0..packed.len() {
            assert!(run(&packed[..len], CAP).is_err(), "len {len}");
        }
    }
}

#[test]
fn damage_is_detected_or_harmless() {
    let data = sample(30_000, 9);
    for packed in [
        xz(&data, 6, xz2::stream::Check::Crc32, true),
        xz(&data, 6, xz2::stream::Check::Crc64, false),
        gzip(&data, 6, false),
    ] {
        for at in (0..packed.len()).step_by(7) {
            for bit in [0x01u8, 0x80] {
                let mut bad = packed.clone();
                bad[at] ^= bit;
                // The checks catch every change that reaches the data.
                if let Ok(out) = run(&bad, CAP) {
                    assert_eq!(out, data, "flip at {at} gave wrong data");
                }
            }
        }
    }
}

#[test]
fn bombs_are_refused() {
    let zeros = vec![0u8; 32 << 20];
    for packed in [
        xz(&zeros, 9, xz2::stream::Check::Crc32, false),
        gzip(&zeros, 9, false),
    ] {
        assert!(packed.len() < 64 << 10);
        assert_eq!(run(&packed, 1 << 20), Err(Error::TooLarge { cap: 1 << 20 }));
        assert_eq!(run(&packed, 32 << 20).map(|v| v.len()), Ok(32 << 20));
    }
}

#[test]
fn unsupported_formats_are_named() {
    let zstd = [0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0];
    let e = run(&zstd, CAP).unwrap_err();
    assert_eq!(e, Error::Unsupported("zstd-compressed kernel"));
    assert_eq!(
        alloc::format!("{e}"),
        "zstd-compressed kernel not supported"
    );
    assert_eq!(Format::detect(b"BZh91AY"), Some(Format::Bzip2));
    assert_eq!(Format::detect(b"\x7fELF"), None);
}

#[test]
fn hand_made_lzma2_edge_cases() {
    // Stream header, CRC32 check, then one block whose LZMA2 data is given.
    fn xz_with(lzma2: &[u8]) -> Vec<u8> {
        let mut s = vec![0xfd, b'7', b'z', b'X', b'Z', 0, 0, 1];
        s.extend_from_slice(&crc32(0, &[0, 1]).to_le_bytes());
        let hdr = [0x02, 0x00, 0x21, 0x01, 0x16, 0, 0, 0];
        s.extend_from_slice(&hdr);
        s.extend_from_slice(&crc32(0, &hdr).to_le_bytes());
        s.extend_from_slice(lzma2);
        s
    }
    // A stored chunk without a dictionary reset first.
    assert!(run(&xz_with(&[0x02, 0x00, 0x00, b'a', 0x00]), CAP).is_err());
    // An LZMA chunk before any properties.
    assert!(run(&xz_with(&[0x80, 0, 0, 0, 4, 0, 0, 0, 0, 0]), CAP).is_err());
    // An unknown control byte.
    assert!(run(&xz_with(&[0x03]), CAP).is_err());
}

proptest::proptest! {
    #[test]
    fn random_input_never_panics(tail in proptest::collection::vec(proptest::num::u8::ANY, 0..2000)) {
        for magic in [&[0xfd, b'7', b'z', b'X', b'Z', 0, 0, 1, 0x69, 0x22, 0xde, 0x36][..], &[0x1f, 0x8b, 8, 0][..]] {
            let mut input = magic.to_vec();
            input.extend_from_slice(&tail);
            let _ = run(&input, 1 << 20);
            let _ = size_hint(Format::Xz, &input);
        }
    }

    #[test]
    fn damaged_streams_never_panic(at in 0usize..4000, val in proptest::num::u8::ANY) {
        let data = sample(4000, 1);
        for packed in [xz(&data, 6, xz2::stream::Check::Crc32, true), gzip(&data, 6, false)] {
            let mut bad = packed.clone();
            let i = at % bad.len();
            bad[i] = val;
            let _ = run(&bad, 1 << 20);
        }
    }
}
