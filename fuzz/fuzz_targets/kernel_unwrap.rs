//! The dom0 kernel unwrapper (`ferrite::loader::bzimage`) and its decompressors on arbitrary
//! bytes: it must never panic, and never produce more than its cap. The first byte picks how
//! the rest is framed, so that the fuzzer reaches the LZMA2 and DEFLATE decoders without first
//! having to forge the containers' CRCs.
#![no_main]

use ferrite::loader::bzimage;
use ferrite::loader::decompress::{self, Format, crc32};
use libfuzzer_sys::fuzz_target;

const CAP: usize = 4 << 20;

/// An xz stream header (CRC32 check) and a block header for x86 BCJ + LZMA2, CRCs included.
fn xz_prefix() -> Vec<u8> {
    let mut s = vec![0xfd, b'7', b'z', b'X', b'Z', 0, 0, 1];
    s.extend_from_slice(&crc32(0, &[0, 1]).to_le_bytes());
    let block = [0x02, 0x01, 0x04, 0x00, 0x21, 0x01, 0x16, 0x00];
    s.extend_from_slice(&block);
    s.extend_from_slice(&crc32(0, &block).to_le_bytes());
    s
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let input: Vec<u8> = match mode % 4 {
        0 => rest.to_vec(),
        1 => [xz_prefix().as_slice(), rest].concat(),
        2 => [&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3][..], rest].concat(),
        _ => {
            // A bzImage header around the rest, which starts with its own payload fields.
            let mut img = vec![0u8; 0x400];
            img[0x1f1] = 1;
            img[0x202..0x206].copy_from_slice(b"HdrS");
            img[0x206..0x208].copy_from_slice(&0x020fu16.to_le_bytes());
            let fields = rest.get(..8).unwrap_or(&[]);
            img[0x248..0x248 + fields.len()].copy_from_slice(fields);
            img.extend_from_slice(rest.get(8..).unwrap_or(&[]));
            img
        }
    };
    if let Ok((_, elf)) = bzimage::unwrap(&input, CAP) {
        assert!(elf.len() <= CAP.max(input.len()));
    }
    for format in [Format::Xz, Format::Gzip] {
        let mut out = Vec::new();
        let _ = decompress::decompress(format, &input, &mut out, CAP);
        assert!(out.len() <= CAP);
        let _ = decompress::size_hint(format, &input);
    }
});
