//! The x86 BCJ filter's decoder (`.xz` filter 0x04, Linux's `lib/xz/xz_dec_bcj.c`): the
//! encoder turned the relative targets of E8/E9 (CALL/JMP rel32) into absolute ones so that
//! they compress better; this turns them back. Linux's `scripts/xz_wrap.sh` uses it for
//! x86 kernels.

/// Which of the last three bytes before an E8/E9 may have been opcodes (bit set), and whether
/// that history still allows a conversion.
const ALLOWED: [bool; 8] = [true, true, true, false, true, false, false, false];
const BIT_NUM: [u32; 8] = [0, 1, 2, 2, 3, 3, 3, 3];

/// The top byte of a convertible target is 0x00 or 0xFF (a near, sign-extended offset).
fn near(b: u8) -> bool {
    b == 0x00 || b == 0xff
}

/// Decodes `buf`, the whole output of one block; `start` is the stream position of `buf[0]`
/// (the filter's start offset, usually 0). The last four bytes are never converted, as the
/// encoder left them.
pub fn x86_decode(buf: &mut [u8], start: u32) {
    let Some(limit) = buf.len().checked_sub(4) else {
        return;
    };
    let mut prev_pos: usize = usize::MAX;
    let mut prev_mask: u32 = 0;
    let mut i = 0usize;
    while i < limit {
        // Only E8/E9 matter: skip to the next one.
        match buf
            .get(i..limit)
            .and_then(|s| s.iter().position(|&b| b & 0xfe == 0xe8))
        {
            Some(skip) => i += skip,
            None => break,
        }
        let gap = i.wrapping_sub(prev_pos);
        if gap > 3 {
            prev_mask = 0;
        } else {
            prev_mask = (prev_mask << (gap - 1)) & 7;
            if prev_mask != 0 {
                let m = prev_mask as usize;
                let b = buf.get(i + 4 - BIT_NUM[m] as usize).copied().unwrap_or(0);
                if !ALLOWED[m] || near(b) {
                    prev_pos = i;
                    prev_mask = (prev_mask << 1) | 1;
                    i += 1;
                    continue;
                }
            }
        }
        prev_pos = i;
        let Some(arg) = buf.get_mut(i + 1..i + 5) else {
            break;
        };
        if !near(arg[3]) {
            prev_mask = (prev_mask << 1) | 1;
            i += 1;
            continue;
        }
        let mut src = u32::from_le_bytes([arg[0], arg[1], arg[2], arg[3]]);
        let here = start.wrapping_add(i as u32).wrapping_add(5);
        let mut dest;
        loop {
            dest = src.wrapping_sub(here);
            if prev_mask == 0 {
                break;
            }
            let j = BIT_NUM[prev_mask as usize & 7] * 8;
            if !near((dest >> (24 - j)) as u8) {
                break;
            }
            src = dest ^ ((1u32 << (32 - j)) - 1);
        }
        dest &= 0x01ff_ffff;
        dest |= 0u32.wrapping_sub(dest & 0x0100_0000);
        arg.copy_from_slice(&dest.to_le_bytes());
        i += 5;
    }
}
