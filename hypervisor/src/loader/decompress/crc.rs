//! The checksums the containers carry: CRC-32 (IEEE 802.3, reflected, as gzip and xz use it)
//! and CRC-64 (ECMA-182, reflected, xz's `--check=crc64`). Tables are built at compile time;
//! CRC-32, which covers a whole kernel, goes eight bytes a step ("slicing-by-8").

const fn table32() -> [[u32; 256]; 8] {
    let mut t = [[0u32; 256]; 8];
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
        t[0][i] = c;
        i += 1;
    }
    // t[k][b]: the CRC of byte b followed by k zero bytes.
    let mut k = 1;
    while k < 8 {
        let mut i = 0;
        while i < 256 {
            let prev = t[k - 1][i];
            t[k][i] = t[0][(prev & 0xff) as usize] ^ (prev >> 8);
            i += 1;
        }
        k += 1;
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

static CRC32: [[u32; 256]; 8] = table32();
static CRC64: [u64; 256] = table64();

/// Continues a CRC-32 over `data` (start with `crc = 0`).
pub fn crc32(crc: u32, data: &[u8]) -> u32 {
    let mut c = !crc;
    let (chunks, tail) = data.as_chunks::<8>();
    let t = &CRC32;
    for b in chunks {
        let lo = c ^ u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        c = t[7][(lo & 0xff) as usize]
            ^ t[6][((lo >> 8) & 0xff) as usize]
            ^ t[5][((lo >> 16) & 0xff) as usize]
            ^ t[4][(lo >> 24) as usize]
            ^ t[3][usize::from(b[4])]
            ^ t[2][usize::from(b[5])]
            ^ t[1][usize::from(b[6])]
            ^ t[0][usize::from(b[7])];
    }
    for &b in tail {
        c = t[0][usize::from((c as u8) ^ b)] ^ (c >> 8);
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
        // Against the bytewise definition, across the eight-byte steps.
        let data: Vec<u8> = (0..1000u32).map(|i| ((i * 7919) >> 3) as u8).collect();
        for len in [0, 1, 7, 8, 9, 63, 64, 65, 1000] {
            let mut c = !0u32;
            for &b in &data[..len] {
                c = CRC32[0][usize::from((c as u8) ^ b)] ^ (c >> 8);
            }
            assert_eq!(crc32(0, &data[..len]), !c, "len {len}");
        }
    }
}
