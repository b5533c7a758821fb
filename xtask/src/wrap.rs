//! Wraps a dom0 kernel ELF the way distributions ship Linux, so that scenarios test Ferrite's
//! bzImage loader on a known guest: a bzImage (Linux `Documentation/arch/x86/boot.rst`, laid
//! out as `arch/x86/boot/tools/build.c` does) whose payload is the ELF compressed as Linux's
//! `scripts/xz_wrap.sh` does it (xz, x86 BCJ + LZMA2, CRC32 check, the uncompressed size
//! appended) or with gzip; or just the compressed ELF; or a broken variant of one of them.

use std::io::Read;
use std::path::{Path, PathBuf};

/// How to wrap the first module.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wrap {
    BzImageXz,
    BzImageGzip,
    Xz,
    Gzip,
    /// A bzImage-xz with one payload byte flipped: the decoder must refuse it.
    BzImageXzCorrupt,
    /// A bzImage whose payload has the zstd magic: refused by name.
    BzImageZstd,
}

impl Wrap {
    pub const NAMES: &[(&str, Wrap)] = &[
        ("bzimage-xz", Wrap::BzImageXz),
        ("bzimage-gzip", Wrap::BzImageGzip),
        ("xz", Wrap::Xz),
        ("gzip", Wrap::Gzip),
        ("bzimage-xz-corrupt", Wrap::BzImageXzCorrupt),
        ("bzimage-zstd", Wrap::BzImageZstd),
    ];

    pub fn parse(s: &str) -> Result<Wrap, String> {
        Wrap::NAMES
            .iter()
            .find(|(n, _)| *n == s)
            .map(|&(_, w)| w)
            .ok_or_else(|| {
                let names: Vec<&str> = Wrap::NAMES.iter().map(|(n, _)| *n).collect();
                format!("kernel_wrap = '{s}' (one of: {})", names.join(", "))
            })
    }

    fn name(self) -> &'static str {
        Wrap::NAMES
            .iter()
            .find(|(_, w)| *w == self)
            .map_or("?", |(n, _)| n)
    }
}

/// xz as Linux compresses its x86 kernels: x86 BCJ then LZMA2, CRC32, and the size appended.
pub fn xz_kernel(elf: &[u8]) -> Result<Vec<u8>, String> {
    let opts = xz2::stream::LzmaOptions::new_preset(9).map_err(|e| e.to_string())?;
    let mut filters = xz2::stream::Filters::new();
    filters.x86().lzma2(&opts);
    let stream = xz2::stream::Stream::new_stream_encoder(&filters, xz2::stream::Check::Crc32)
        .map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    xz2::read::XzEncoder::new_stream(elf, stream)
        .read_to_end(&mut out)
        .map_err(|e| format!("xz: {e}"))?;
    out.extend_from_slice(&(elf.len() as u32).to_le_bytes());
    Ok(out)
}

pub fn gzip(elf: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    flate2::read::GzEncoder::new(elf, flate2::Compression::best())
        .read_to_end(&mut out)
        .map_err(|e| format!("gzip: {e}"))?;
    Ok(out)
}

/// Setup sectors after the boot sector (Linux's are 30-40; any count works).
const SETUP_SECTS: usize = 4;
/// A stand-in for the decompressor stub that precedes the payload in protected-mode code.
const STUB: usize = 0x400;

fn put(img: &mut [u8], at: usize, v: &[u8]) {
    img[at..at + v.len()].copy_from_slice(v);
}

/// A bzImage around `payload` (boot protocol 2.15, a 64-bit relocatable kernel).
pub fn bzimage(payload: &[u8], elf_len: usize) -> Vec<u8> {
    let setup = (SETUP_SECTS + 1) * 512;
    let pm_len = STUB + payload.len() + 0x100;
    let mut img = vec![0u8; setup + pm_len];
    img[0x1f1] = SETUP_SECTS as u8;
    put(&mut img, 0x1f4, &(pm_len.div_ceil(16) as u32).to_le_bytes()); // syssize
    put(&mut img, 0x1fe, &0xaa55u16.to_le_bytes()); // boot_flag
    put(&mut img, 0x200, &[0xeb, 0x66]); // jmp to the end of the header
    put(&mut img, 0x202, b"HdrS");
    put(&mut img, 0x206, &0x020fu16.to_le_bytes()); // version 2.15
    img[0x211] = 0x01; // loadflags: LOADED_HIGH
    put(&mut img, 0x214, &0x10_0000u32.to_le_bytes()); // code32_start
    put(&mut img, 0x22c, &0x7fff_ffffu32.to_le_bytes()); // initrd_addr_max
    put(&mut img, 0x230, &0x20_0000u32.to_le_bytes()); // kernel_alignment
    img[0x234] = 1; // relocatable_kernel
    img[0x235] = 21; // min_alignment
    put(&mut img, 0x236, &0x0001u16.to_le_bytes()); // xloadflags: XLF_KERNEL_64
    put(&mut img, 0x238, &2047u32.to_le_bytes()); // cmdline_size
    put(&mut img, 0x248, &(STUB as u32).to_le_bytes()); // payload_offset
    put(&mut img, 0x24c, &(payload.len() as u32).to_le_bytes()); // payload_length
    put(&mut img, 0x258, &0x100_0000u64.to_le_bytes()); // pref_address
    let init = (elf_len + (4 << 20)).next_multiple_of(4096) as u32;
    put(&mut img, 0x260, &init.to_le_bytes()); // init_size
    // The "decompressor" halts; the payload follows it, then a little trailing code.
    img[setup..setup + STUB].fill(0xf4);
    put(&mut img, setup + STUB, payload);
    img[setup + STUB + payload.len()..].fill(0xcc);
    img
}

/// The wrapped form of `elf`.
pub fn wrap(elf: &[u8], how: Wrap) -> Result<Vec<u8>, String> {
    Ok(match how {
        Wrap::BzImageXz => bzimage(&xz_kernel(elf)?, elf.len()),
        Wrap::BzImageGzip => bzimage(&gzip(elf)?, elf.len()),
        Wrap::Xz => xz_kernel(elf)?,
        Wrap::Gzip => gzip(elf)?,
        Wrap::BzImageXzCorrupt => {
            let mut p = xz_kernel(elf)?;
            let mid = p.len() / 2;
            p[mid] ^= 0x20;
            bzimage(&p, elf.len())
        }
        Wrap::BzImageZstd => {
            let mut p = vec![0x28, 0xb5, 0x2f, 0xfd];
            p.extend_from_slice(&gzip(elf)?);
            bzimage(&p, elf.len())
        }
    })
}

/// Writes the wrapped form of the kernel at `path` under target/xtask/wrapped/ and returns
/// its path.
pub fn wrap_file(path: &Path, how: Wrap) -> Result<PathBuf, String> {
    let elf = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let dir = crate::deps::root().join("target/xtask/wrapped");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let stem = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("kernel");
    let out = dir.join(format!("{stem}.{}", how.name()));
    std::fs::write(&out, wrap(&elf, how)?).map_err(|e| format!("{}: {e}", out.display()))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bzimage_header_fields() {
        let payload = [0xfd, b'7', b'z', b'X', b'Z', 0, 1, 2, 3];
        let img = bzimage(&payload, 1 << 20);
        assert_eq!(&img[0x202..0x206], b"HdrS");
        assert_eq!(u16::from_le_bytes([img[0x206], img[0x207]]), 0x020f);
        let off = u32::from_le_bytes(img[0x248..0x24c].try_into().unwrap()) as usize;
        let len = u32::from_le_bytes(img[0x24c..0x250].try_into().unwrap()) as usize;
        let start = (usize::from(img[0x1f1]) + 1) * 512 + off;
        assert_eq!(&img[start..start + len], &payload);
    }

    #[test]
    fn names_parse() {
        for &(n, w) in Wrap::NAMES {
            assert_eq!(Wrap::parse(n), Ok(w));
        }
        assert!(Wrap::parse("lz4").is_err());
    }
}
