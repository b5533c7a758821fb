//! Decoding ESR_ELx (Arm ARM D24.2.40 "ESR_EL2"): the exception class and, for aborts, the
//! fault status code, in the words Xen's `xen/arch/arm/traps.c` (`decode_ec`) uses.

use core::fmt;

/// One ESR value, decoded on display.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Esr(pub u64);

impl Esr {
    /// Exception class, bits [31:26].
    pub fn ec(self) -> u8 {
        ((self.0 >> 26) & 0x3f) as u8
    }

    /// Instruction-specific syndrome, bits [24:0].
    pub fn iss(self) -> u32 {
        (self.0 & 0x1ff_ffff) as u32
    }

    /// A 32-bit instruction trapped (IL).
    pub fn il32(self) -> bool {
        self.0 & (1 << 25) != 0
    }

    pub fn class(self) -> &'static str {
        match self.ec() {
            0x00 => "Unknown reason",
            0x01 => "Trapped WFI/WFE",
            0x07 => "Trapped FP/SIMD access",
            0x0e => "Illegal execution state",
            0x11 => "SVC from AArch32",
            0x12 => "HVC from AArch32",
            0x13 => "SMC from AArch32",
            0x15 => "SVC from AArch64",
            0x16 => "HVC from AArch64",
            0x17 => "SMC from AArch64",
            0x18 => "Trapped MSR/MRS/system instruction",
            0x19 => "Trapped SVE access",
            0x20 => "Instruction Abort from a lower EL",
            0x21 => "Instruction Abort from the same EL",
            0x22 => "PC alignment fault",
            0x24 => "Data Abort from a lower EL",
            0x25 => "Data Abort from the same EL",
            0x26 => "SP alignment fault",
            0x2c => "Trapped FP exception",
            0x2f => "SError interrupt",
            0x30 | 0x31 => "Breakpoint",
            0x32 | 0x33 => "Software step",
            0x34 | 0x35 => "Watchpoint",
            0x3c => "BRK instruction",
            _ => "Reserved or unhandled class",
        }
    }

    /// For instruction and data aborts: the fault status code's meaning.
    pub fn fault_status(self) -> Option<(&'static str, Option<u8>)> {
        if !matches!(self.ec(), 0x20 | 0x21 | 0x24 | 0x25) {
            return None;
        }
        let fsc = (self.0 & 0x3f) as u8;
        let level = fsc & 3;
        Some(match fsc >> 2 {
            0 => ("address size fault", Some(level)),
            1 => ("translation fault", Some(level)),
            2 => ("access flag fault", Some(level)),
            3 => ("permission fault", Some(level)),
            _ => match fsc {
                0x10 => ("synchronous external abort", None),
                0x21 => ("alignment fault", None),
                0x30 => ("TLB conflict abort", None),
                _ => ("other fault", None),
            },
        })
    }

    /// For data aborts: the access was a write (WnR).
    pub fn is_write(self) -> bool {
        matches!(self.ec(), 0x24 | 0x25) && self.0 & (1 << 6) != 0
    }
}

impl fmt::Display for Esr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ESR_EL2={:#010x}: EC={:#04x} ({}) IL={} ISS={:#09x}",
            self.0,
            self.ec(),
            self.class(),
            if self.il32() { 32 } else { 16 },
            self.iss()
        )?;
        if let Some((what, level)) = self.fault_status() {
            write!(f, " [{what}")?;
            if let Some(l) = level {
                write!(f, ", level {l}")?;
            }
            if matches!(self.ec(), 0x24 | 0x25) {
                write!(f, ", {}", if self.is_write() { "write" } else { "read" })?;
            }
            write!(f, "]")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::format;

    #[test]
    fn decodes_a_data_abort() {
        // A byte store to an unmapped page at EL2: translation fault, level 1, write.
        let e = Esr(0x9600_0045);
        assert_eq!(e.ec(), 0x25);
        assert_eq!(e.fault_status(), Some(("translation fault", Some(1))));
        assert!(e.is_write());
        let s = format!("{e}");
        assert!(s.contains("EC=0x25 (Data Abort from the same EL)"), "{s}");
        assert!(s.contains("[translation fault, level 1, write]"), "{s}");
    }

    #[test]
    fn decodes_other_classes() {
        assert_eq!(Esr(0x5a00_0ea1).class(), "HVC from AArch64");
        assert_eq!(Esr(0x5a00_0ea1).iss(), 0xea1);
        assert_eq!(Esr(0x0200_0000).class(), "Unknown reason");
        assert_eq!(Esr(0xf200_0000).class(), "BRK instruction");
        assert_eq!(Esr(0x5a00_0000).fault_status(), None);
        assert_eq!(
            Esr(0x8600_0021).fault_status(),
            Some(("alignment fault", None))
        );
    }
}
