//! bzImages built here the way Linux's `arch/x86/boot/tools/build.c` lays them out, around
//! payloads compressed by liblzma (`xz2`) and flate2.

use std::io::Read;

use super::*;
use crate::loader::decompress::Error;

const CAP: usize = 16 << 20;

fn fake_elf(n: usize) -> Vec<u8> {
    let mut v = ELF_MAGIC.to_vec();
    v.extend((0..n as u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8 & 0x0f));
    v
}

fn xz(data: &[u8]) -> Vec<u8> {
    let opts = xz2::stream::LzmaOptions::new_preset(6).unwrap();
    let mut filters = xz2::stream::Filters::new();
    filters.x86().lzma2(&opts);
    let stream =
        xz2::stream::Stream::new_stream_encoder(&filters, xz2::stream::Check::Crc32).unwrap();
    let mut out = Vec::new();
    xz2::read::XzEncoder::new_stream(data, stream)
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzEncoder::new(data, flate2::Compression::best())
        .read_to_end(&mut out)
        .unwrap();
    out
}

/// A bzImage: `setup_sects` setup sectors after the boot sector, then a stub of `before`
/// bytes, the payload, and 64 bytes of trailing code.
fn bzimage(payload: &[u8], version: u16, setup_sects: u8) -> Vec<u8> {
    let sects = if setup_sects == 0 {
        4
    } else {
        usize::from(setup_sects)
    };
    let before = 0x100;
    let mut img = vec![0u8; (sects + 1) * 512 + before];
    img[SETUP_SECTS] = setup_sects;
    img[0x1fe..0x200].copy_from_slice(&[0x55, 0xaa]);
    img[HEADER_MAGIC_AT..HEADER_MAGIC_AT + 4].copy_from_slice(HEADER_MAGIC);
    img[VERSION..VERSION + 2].copy_from_slice(&version.to_le_bytes());
    img[PAYLOAD_OFFSET..PAYLOAD_OFFSET + 4].copy_from_slice(&(before as u32).to_le_bytes());
    img[PAYLOAD_LENGTH..PAYLOAD_LENGTH + 4].copy_from_slice(&(payload.len() as u32).to_le_bytes());
    img.extend_from_slice(payload);
    img.extend_from_slice(&[0x90; 64]);
    img
}

/// Linux appends the uncompressed size to an xz payload (`size_append`).
fn with_size(mut payload: Vec<u8>, n: usize) -> Vec<u8> {
    payload.extend_from_slice(&(n as u32).to_le_bytes());
    payload
}

#[test]
fn elf_passes_through_borrowed() {
    let elf = fake_elf(1000);
    let (p, out) = unwrap(&elf, CAP).unwrap();
    assert_eq!(p.wrapping, Wrapping::None);
    assert!(matches!(out, Cow::Borrowed(_)));
    // Unknown bytes too: the ELF loader names the problem.
    let junk = [1u8; 100];
    assert_eq!(unwrap(&junk, CAP).unwrap().1, &junk[..]);
}

#[test]
fn bzimage_with_xz_payload() {
    let elf = fake_elf(300_000);
    for sects in [0u8, 1, 27, 39] {
        let img = bzimage(&with_size(xz(&elf), elf.len()), 0x020f, sects);
        let (p, out) = unwrap(&img, CAP).unwrap();
        assert_eq!(
            p.wrapping,
            Wrapping::BzImage {
                format: Some(Format::Xz)
            }
        );
        assert_eq!(p.size_hint(), Some(elf.len()));
        assert_eq!(out, &elf[..]);
    }
}

#[test]
fn bzimage_with_gzip_or_plain_payload() {
    let elf = fake_elf(100_000);
    let img = bzimage(&gzip(&elf), 0x0208, 30);
    let (p, out) = unwrap(&img, CAP).unwrap();
    assert_eq!(p.format(), Some(Format::Gzip));
    assert_eq!(p.size_hint(), Some(elf.len()));
    assert_eq!(out, &elf[..]);
    let img = bzimage(&elf, 0x020f, 30);
    let (p, out) = unwrap(&img, CAP).unwrap();
    assert_eq!(p.wrapping, Wrapping::BzImage { format: None });
    assert!(matches!(out, Cow::Borrowed(_)));
    assert_eq!(out, &elf[..]);
}

#[test]
fn bare_compressed_elf() {
    let elf = fake_elf(50_000);
    for (packed, format) in [(xz(&elf), Format::Xz), (gzip(&elf), Format::Gzip)] {
        let (p, out) = unwrap(&packed, CAP).unwrap();
        assert_eq!(p.wrapping, Wrapping::Compressed(format));
        assert_eq!(p.size_hint(), Some(elf.len()));
        assert_eq!(out, &elf[..]);
    }
}

#[test]
fn header_errors() {
    let img = bzimage(&xz(&fake_elf(100)), 0x020f, 4);
    for len in [0x206, 0x208, 0x24a, 0x24f] {
        assert_eq!(
            inspect(&img[..len]),
            Err(BzImageError::TruncatedHeader { len })
        );
    }
    // Cut inside the payload.
    let cut = img.len() - 100;
    assert!(matches!(
        inspect(&img[..cut]),
        Err(BzImageError::PayloadOutOfBounds { .. })
    ));
    let old = bzimage(&xz(&fake_elf(100)), 0x0207, 4);
    assert_eq!(inspect(&old), Err(BzImageError::OldProtocol(0x0207)));
    let mut huge = img.clone();
    huge[PAYLOAD_OFFSET..PAYLOAD_OFFSET + 4].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(matches!(
        inspect(&huge),
        Err(BzImageError::PayloadOutOfBounds { .. })
    ));
    let empty = bzimage(&[], 0x020f, 4);
    assert!(matches!(
        inspect(&empty),
        Err(BzImageError::PayloadOutOfBounds { len: 0, .. })
    ));
    let e = inspect(&bzimage(b"LZ4?junk", 0x020f, 4)).unwrap_err();
    assert_eq!(e, BzImageError::UnknownCompression(*b"LZ4?"));
    assert_eq!(
        alloc::format!("{e}"),
        "bzImage payload has unknown compression (magic 4c 5a 34 3f)"
    );
}

#[test]
fn payload_errors() {
    let zstd = bzimage(&[0x28, 0xb5, 0x2f, 0xfd, 1, 2, 3, 4], 0x020f, 4);
    let e = unwrap(&zstd, CAP).unwrap_err();
    assert_eq!(
        alloc::format!("{e}"),
        "zstd payload: zstd-compressed kernel not supported"
    );
    let not_elf = bzimage(&xz(b"MZ not an elf"), 0x020f, 4);
    assert_eq!(
        unwrap(&not_elf, CAP).unwrap_err(),
        BzImageError::NotElf(Format::Xz)
    );
    let mut bad = xz(&fake_elf(10_000));
    let mid = bad.len() / 2;
    bad[mid] ^= 0x55;
    assert!(matches!(
        unwrap(&bzimage(&bad, 0x020f, 4), CAP),
        Err(BzImageError::Decompress(Format::Xz, _))
    ));
}

#[test]
fn bomb_in_a_bzimage_is_refused() {
    let mut big = fake_elf(0);
    big.resize(40 << 20, 0);
    // The declared size lies (small): the cap still holds.
    let img = bzimage(&with_size(xz(&big), 4096), 0x020f, 4);
    assert_eq!(
        unwrap(&img, CAP).unwrap_err(),
        BzImageError::Decompress(Format::Xz, Error::TooLarge { cap: CAP })
    );
}

proptest::proptest! {
    #[test]
    fn any_header_never_panics(
        fields in proptest::collection::vec(proptest::num::u8::ANY, 0x60),
        len in 0usize..3000,
    ) {
        let mut img = bzimage(&xz(&fake_elf(200)), 0x020f, 2);
        img[0x1f0..0x250].copy_from_slice(&fields);
        img[HEADER_MAGIC_AT..HEADER_MAGIC_AT + 4].copy_from_slice(HEADER_MAGIC);
        img.truncate(len);
        let _ = unwrap(&img, 1 << 20);
    }
}

/// Debian's kernel, when the paths are given:
/// `FERRITE_BZIMAGE=/boot/vmlinuz-… FERRITE_VMLINUX=…/vmlinux cargo test -p ferrite --release
/// -- --ignored debian`.
#[test]
#[ignore]
fn debian_bzimage() {
    let (Ok(bz), Ok(elf)) = (
        std::env::var("FERRITE_BZIMAGE"),
        std::env::var("FERRITE_VMLINUX"),
    ) else {
        return;
    };
    let image = std::fs::read(bz).unwrap();
    let start = std::time::Instant::now();
    let (p, out) = unwrap(&image, MAX_KERNEL_BYTES).unwrap();
    std::println!(
        "{:?}: {} -> {} bytes in {:?}",
        p.format(),
        p.bytes.len(),
        out.len(),
        start.elapsed()
    );
    assert_eq!(out, std::fs::read(elf).unwrap());
}
