//! The arithmetic and logic of an emulated MMIO instruction (`add/or/and/sub/xor/cmp/test`
//! with a memory operand): the result and the RFLAGS bits it sets (Intel SDM vol. 1, 3.4.3;
//! AF as the SDM's instruction pages define it).

use ferrite_arch::x86_64::decode::AluOp;

/// CF, PF, AF, ZF, SF, OF: what these instructions write.
pub const FLAGS_MASK: u64 = 0x8d5;

/// `dst op src` at `size` bytes: the result (to store unless `op` is CMP/TEST) and the new
/// flag bits (within [`FLAGS_MASK`]).
pub fn alu(op: AluOp, dst: u64, src: u64, size: u8) -> (u64, u64) {
    let bits = u32::from(size.clamp(1, 8)) * 8;
    let mask = if bits == 64 {
        u64::MAX
    } else {
        (1 << bits) - 1
    };
    let sign = 1u64 << (bits - 1);
    let (a, b) = (dst & mask, src & mask);
    let (r, cf, of, af) = match op {
        AluOp::Add => {
            let r = a.wrapping_add(b) & mask;
            (
                r,
                r < a,
                (!(a ^ b) & (a ^ r) & sign) != 0,
                ((a ^ b ^ r) >> 4) & 1 != 0,
            )
        }
        AluOp::Sub | AluOp::Cmp => {
            let r = a.wrapping_sub(b) & mask;
            (
                r,
                a < b,
                ((a ^ b) & (a ^ r) & sign) != 0,
                ((a ^ b ^ r) >> 4) & 1 != 0,
            )
        }
        AluOp::And | AluOp::Test => (a & b, false, false, false),
        AluOp::Or => (a | b, false, false, false),
        AluOp::Xor => (a ^ b, false, false, false),
    };
    let mut f = 0;
    if cf {
        f |= 1;
    }
    if (r as u8).count_ones().is_multiple_of(2) {
        f |= 1 << 2;
    }
    if af {
        f |= 1 << 4;
    }
    if r == 0 {
        f |= 1 << 6;
    }
    if r & sign != 0 {
        f |= 1 << 7;
    }
    if of {
        f |= 1 << 11;
    }
    (r, f)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CF: u64 = 1;
    const PF: u64 = 1 << 2;
    const AF: u64 = 1 << 4;
    const ZF: u64 = 1 << 6;
    const SF: u64 = 1 << 7;
    const OF: u64 = 1 << 11;

    #[test]
    fn compare_and_subtract() {
        assert_eq!(alu(AluOp::Cmp, 5, 5, 4), (0, ZF | PF));
        assert_eq!(alu(AluOp::Cmp, 0, 1, 4), (0xffff_ffff, CF | SF | PF | AF));
        // 0x80 - 1 at byte size: signed overflow, no borrow.
        assert_eq!(alu(AluOp::Sub, 0x80, 1, 1), (0x7f, OF | AF));
        assert_eq!(alu(AluOp::Cmp, 3, 0, 4).1 & ZF, 0);
    }

    #[test]
    fn add_and_logic() {
        assert_eq!(alu(AluOp::Add, 0xffff_ffff, 1, 4), (0, CF | ZF | PF | AF));
        assert_eq!(alu(AluOp::Add, 0x7f, 1, 1), (0x80, OF | SF | AF));
        assert_eq!(alu(AluOp::Test, 0xf0, 0x0f, 4), (0, ZF | PF));
        assert_eq!(alu(AluOp::Or, 0x100, 1, 2), (0x101, 0));
        assert_eq!(alu(AluOp::Xor, u64::MAX, 1, 8), (u64::MAX - 1, SF));
        assert_eq!(alu(AluOp::And, 0x1234, 0xff, 2), (0x34, 0));
    }
}
