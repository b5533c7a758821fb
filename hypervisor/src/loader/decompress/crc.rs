//! The checksums the containers carry: CRC-32 (IEEE 802.3, reflected, as gzip and xz use it)
//! and CRC-64 (ECMA-182, reflected, xz's `--check=crc64`). Tables are built at compile time.

const fn table32() -> [u32; 256] {
    let mut t = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 {
                0xedb8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            k += 1;
        }
        t[i] = c;
        i += 1;
    }
    t
}

const fn table64() -> [u64; 256] {
    let mut t = [0u64; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u64;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 {
                0xc96c_5795_d787_0f42 ^ (c >> 1)
            } else {
                c >> 1
            };
            k += 1;
        }
        t[i] = c;
        i += 1;
    }
    t
}

static CRC32: [u32; 256] = table32();
static CRC64: [u64; 256] = table64();

/// Continues a CRC-32 over `data` (start with `crc = 0`).
pub fn crc32(crc: u32, data: &[u8]) -> u32 {
    let mut c = !crc;
    for &b in data {
        c = CRC32[usize::from((c as u8) ^ b)] ^ (c >> 8);
    }
    !c
}

/// Continues a CRC-64 over `data` (start with `crc = 0`).
pub fn crc64(crc: u64, data: &[u8]) -> u64 {
    let mut c = !crc;
    for &b in data {
        c = CRC64[usize::from((c as u8) ^ b)] ^ (c >> 8);
    }
    !c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_values() {
        // The standard check inputs ("123456789") and their published results.
        assert_eq!(crc32(0, b"123456789"), 0xcbf4_3926);
        assert_eq!(crc64(0, b"123456789"), 0x995d_c9bb_df19_39fa);
        assert_eq!(crc32(crc32(0, b"1234"), b"56789"), 0xcbf4_3926);
    }
}
