//! Reading a kernel ELF (ELF32 or ELF64, little-endian x86) into a load plan: the `PT_LOAD`
//! segments placed at their physical addresses, as Xen's `libelf` does for a PVH kernel
//! (`xen/common/libelf/`, `xen/arch/x86/hvm/dom0_build.c` `pvh_load_kernel`).
//!
//! Every header field is checked against the file and against the guest's memory before
//! anything is copied: a malformed kernel is refused with a message naming the problem.

use core::fmt;

/// Most loadable segments Ferrite accepts.
pub const MAX_SEGMENTS: usize = 16;

/// One segment to copy: `filesz` bytes from `offset` to guest-physical `paddr`, then zeros up
/// to `memsz`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Segment {
    pub paddr: u64,
    pub offset: u64,
    pub filesz: u64,
    pub memsz: u64,
}

/// What to load and where to start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoadPlan {
    pub segments: [Segment; MAX_SEGMENTS],
    pub count: usize,
    /// The PVH entry point (`XEN_ELFNOTE_PHYS32_ENTRY`).
    pub entry: u32,
    /// The lowest and one-past-highest guest-physical bytes the segments occupy.
    pub start: u64,
    pub end: u64,
    pub is_64bit: bool,
}

impl LoadPlan {
    pub fn segments(&self) -> &[Segment] {
        self.segments.get(..self.count).unwrap_or(&[])
    }
}

/// Why a kernel is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ElfError {
    TooShort,
    NotElf,
    BadClass(u8),
    NotLittleEndian,
    BadMachine(u16),
    NotExecutable(u16),
    BadPhdrTable,
    TooManySegments,
    SegmentOutsideFile {
        index: usize,
    },
    SegmentFileLargerThanMemory {
        index: usize,
    },
    SegmentOutsideGuest {
        index: usize,
        paddr: u64,
        memsz: u64,
    },
    SegmentsOverlap {
        a: usize,
        b: usize,
    },
    NoLoadableSegment,
    NoPvhEntry,
    BadNotes,
    EntryOutsideImage(u64),
}

impl fmt::Display for ElfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            ElfError::TooShort => write!(f, "the kernel is shorter than an ELF header"),
            ElfError::NotElf => write!(f, "the kernel is not an ELF file (bad magic)"),
            ElfError::BadClass(c) => write!(f, "unknown ELF class {c}"),
            ElfError::NotLittleEndian => write!(f, "the kernel is not little-endian"),
            ElfError::BadMachine(m) => {
                write!(f, "ELF machine {m} is not x86 (EM_386 or EM_X86_64)")
            }
            ElfError::NotExecutable(t) => write!(f, "ELF type {t} is not an executable"),
            ElfError::BadPhdrTable => write!(f, "the program header table lies outside the file"),
            ElfError::TooManySegments => write!(f, "more than {MAX_SEGMENTS} loadable segments"),
            ElfError::SegmentOutsideFile { index } => {
                write!(f, "segment {index}'s file contents lie outside the file")
            }
            ElfError::SegmentFileLargerThanMemory { index } => {
                write!(f, "segment {index} has p_filesz > p_memsz")
            }
            ElfError::SegmentOutsideGuest {
                index,
                paddr,
                memsz,
            } => write!(
                f,
                "segment {index} ({memsz:#x} bytes at {paddr:#x}) does not fit in the guest's memory"
            ),
            ElfError::SegmentsOverlap { a, b } => write!(f, "segments {a} and {b} overlap"),
            ElfError::NoLoadableSegment => write!(f, "no PT_LOAD segment"),
            ElfError::NoPvhEntry => {
                write!(f, "no XEN_ELFNOTE_PHYS32_ENTRY note: not a PVH kernel")
            }
            ElfError::BadNotes => write!(f, "malformed Xen ELF notes"),
            ElfError::EntryOutsideImage(e) => {
                write!(
                    f,
                    "the PVH entry point {e:#x} lies outside the loaded image"
                )
            }
        }
    }
}

fn rd(b: &[u8], at: usize, n: usize) -> Option<u64> {
    let s = b.get(at..at.checked_add(n)?)?;
    Some(s.iter().rev().fold(0u64, |a, &x| (a << 8) | u64::from(x)))
}

const PT_LOAD: u64 = 1;
const EM_386: u16 = 3;
const EM_X86_64: u16 = 62;

/// Plans loading `elf` into a guest with `guest_ram` bytes of RAM at guest-physical 0.
pub fn plan(elf: &[u8], guest_ram: u64) -> Result<LoadPlan, ElfError> {
    if elf.len() < 52 {
        return Err(ElfError::TooShort);
    }
    if elf.get(..4) != Some(b"\x7fELF".as_slice()) {
        return Err(ElfError::NotElf);
    }
    let class = elf[4];
    let is_64bit = match class {
        1 => false,
        2 => true,
        c => return Err(ElfError::BadClass(c)),
    };
    if elf[5] != 1 {
        return Err(ElfError::NotLittleEndian);
    }
    if is_64bit && elf.len() < 64 {
        return Err(ElfError::TooShort);
    }
    let e_type = rd(elf, 16, 2).unwrap_or(0) as u16;
    if e_type != 2 {
        return Err(ElfError::NotExecutable(e_type));
    }
    let machine = rd(elf, 18, 2).unwrap_or(0) as u16;
    if machine != EM_386 && machine != EM_X86_64 {
        return Err(ElfError::BadMachine(machine));
    }
    // (phoff, phentsize, phnum) and each field's offset/width in a program header.
    let (phoff, phentsize, phnum) = if is_64bit {
        (rd(elf, 32, 8), rd(elf, 54, 2), rd(elf, 56, 2))
    } else {
        (rd(elf, 28, 4), rd(elf, 42, 2), rd(elf, 44, 2))
    };
    let (phoff, phentsize, phnum) = (
        phoff.ok_or(ElfError::BadPhdrTable)?,
        phentsize.ok_or(ElfError::BadPhdrTable)?,
        phnum.ok_or(ElfError::BadPhdrTable)?,
    );
    let min_ent = if is_64bit { 56 } else { 32 };
    let table_end = phentsize
        .checked_mul(phnum)
        .and_then(|l| l.checked_add(phoff));
    if phentsize < min_ent || table_end.is_none_or(|e| e > elf.len() as u64) {
        return Err(ElfError::BadPhdrTable);
    }
    let mut out = LoadPlan {
        segments: [Segment::default(); MAX_SEGMENTS],
        count: 0,
        entry: 0,
        start: u64::MAX,
        end: 0,
        is_64bit,
    };
    for i in 0..phnum {
        let ph = (phoff + i * phentsize) as usize;
        let field = |o64: usize, o32: usize| -> u64 {
            if is_64bit {
                rd(elf, ph + o64, 8).unwrap_or(0)
            } else {
                rd(elf, ph + o32, 4).unwrap_or(0)
            }
        };
        if rd(elf, ph, 4) != Some(PT_LOAD) {
            continue;
        }
        let index = i as usize;
        let seg = Segment {
            offset: field(8, 4),
            paddr: field(24, 12),
            filesz: field(32, 16),
            memsz: field(40, 20),
        };
        if seg.memsz == 0 {
            continue;
        }
        if seg
            .offset
            .checked_add(seg.filesz)
            .is_none_or(|e| e > elf.len() as u64)
        {
            return Err(ElfError::SegmentOutsideFile { index });
        }
        if seg.filesz > seg.memsz {
            return Err(ElfError::SegmentFileLargerThanMemory { index });
        }
        let seg_end = seg.paddr.checked_add(seg.memsz);
        if seg_end.is_none_or(|e| e > guest_ram) {
            return Err(ElfError::SegmentOutsideGuest {
                index,
                paddr: seg.paddr,
                memsz: seg.memsz,
            });
        }
        let seg_end = seg_end.unwrap_or(u64::MAX);
        for (j, other) in out.segments().iter().enumerate() {
            if seg.paddr < other.paddr + other.memsz && other.paddr < seg_end {
                return Err(ElfError::SegmentsOverlap { a: j, b: index });
            }
        }
        let slot = out
            .segments
            .get_mut(out.count)
            .ok_or(ElfError::TooManySegments)?;
        *slot = seg;
        out.count += 1;
        out.start = out.start.min(seg.paddr);
        out.end = out.end.max(seg_end);
    }
    if out.count == 0 {
        return Err(ElfError::NoLoadableSegment);
    }
    let notes =
        ferrite_abi::elfnote_decode::GuestNotes::from_elf(elf).map_err(|_| ElfError::BadNotes)?;
    let entry = notes.phys32_entry.ok_or(ElfError::NoPvhEntry)?;
    let in_image = out
        .segments()
        .iter()
        .any(|s| entry >= s.paddr && entry < s.paddr + s.memsz);
    if !in_image || entry > u64::from(u32::MAX) {
        return Err(ElfError::EntryOutsideImage(entry));
    }
    out.entry = entry as u32;
    Ok(out)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A minimal ELF64 PVH kernel: one PT_LOAD of `code` at `paddr` (+`bss` zero bytes) and a
    /// PT_NOTE with PHYS32_ENTRY = `entry`.
    pub(crate) fn build(paddr: u64, code: &[u8], bss: u64, entry: Option<u64>) -> Vec<u8> {
        let mut e = vec![0u8; 64 + 2 * 56];
        e[..4].copy_from_slice(b"\x7fELF");
        e[4] = 2;
        e[5] = 1;
        e[6] = 1;
        e[16..18].copy_from_slice(&2u16.to_le_bytes());
        e[18..20].copy_from_slice(&62u16.to_le_bytes());
        e[32..40].copy_from_slice(&64u64.to_le_bytes());
        e[52..54].copy_from_slice(&64u16.to_le_bytes());
        e[54..56].copy_from_slice(&56u16.to_le_bytes());
        e[56..58].copy_from_slice(&2u16.to_le_bytes());
        let note_off = e.len() as u64;
        let mut note = Vec::new();
        note.extend_from_slice(&4u32.to_le_bytes());
        note.extend_from_slice(&8u32.to_le_bytes());
        note.extend_from_slice(&18u32.to_le_bytes());
        note.extend_from_slice(b"Xen\0");
        note.extend_from_slice(&entry.unwrap_or(0).to_le_bytes());
        if entry.is_none() {
            note[8..12].copy_from_slice(&6u32.to_le_bytes()); // a GUEST_OS note instead
        }
        e.extend_from_slice(&note);
        let code_off = e.len() as u64;
        e.extend_from_slice(code);
        let ph = |e: &mut Vec<u8>, at: usize, ty: u32, off: u64, pa: u64, fsz: u64, msz: u64| {
            e[at..at + 4].copy_from_slice(&ty.to_le_bytes());
            e[at + 8..at + 16].copy_from_slice(&off.to_le_bytes());
            e[at + 16..at + 24].copy_from_slice(&pa.to_le_bytes());
            e[at + 24..at + 32].copy_from_slice(&pa.to_le_bytes());
            e[at + 32..at + 40].copy_from_slice(&fsz.to_le_bytes());
            e[at + 40..at + 48].copy_from_slice(&msz.to_le_bytes());
        };
        let n = note.len() as u64;
        ph(&mut e, 64, 4, note_off, 0, n, n);
        let c = code.len() as u64;
        ph(&mut e, 120, 1, code_off, paddr, c, c + bss);
        e
    }

    #[test]
    fn plans_a_pvh_kernel() {
        let elf = build(0x10_0000, &[0x90; 64], 0x1000, Some(0x10_0010));
        let p = plan(&elf, 16 << 20).unwrap();
        assert_eq!(p.count, 1);
        assert_eq!(p.entry, 0x10_0010);
        assert_eq!((p.start, p.end), (0x10_0000, 0x10_0000 + 64 + 0x1000));
        assert!(p.is_64bit);
    }

    #[test]
    fn refuses_bad_kernels() {
        let good = build(0x10_0000, &[0x90; 64], 0, Some(0x10_0000));
        assert_eq!(plan(&good[..40], 1 << 30), Err(ElfError::TooShort));
        let mut e = good.clone();
        e[0] = 0;
        assert_eq!(plan(&e, 1 << 30), Err(ElfError::NotElf));
        let mut e = good.clone();
        e[4] = 9;
        assert_eq!(plan(&e, 1 << 30), Err(ElfError::BadClass(9)));
        let mut e = good.clone();
        e[18] = 40; // EM_ARM
        assert_eq!(plan(&e, 1 << 30), Err(ElfError::BadMachine(40)));
        let mut e = good.clone();
        e[56] = 0xff; // phnum past the file
        assert_eq!(plan(&e, 1 << 30), Err(ElfError::BadPhdrTable));
        assert!(matches!(
            plan(&good, 0x10_0010),
            Err(ElfError::SegmentOutsideGuest { .. })
        ));
        let mut e = good.clone();
        e[120 + 32..120 + 40].copy_from_slice(&u64::MAX.to_le_bytes()); // huge filesz
        assert!(matches!(
            plan(&e, 1 << 30),
            Err(ElfError::SegmentOutsideFile { .. })
        ));
        let mut e = good.clone();
        e[120 + 40..120 + 48].copy_from_slice(&8u64.to_le_bytes()); // memsz < filesz
        assert!(matches!(
            plan(&e, 1 << 30),
            Err(ElfError::SegmentFileLargerThanMemory { .. })
        ));
        let no_note = build(0x10_0000, &[0x90; 64], 0, None);
        assert_eq!(plan(&no_note, 1 << 30), Err(ElfError::NoPvhEntry));
        let outside = build(0x10_0000, &[0x90; 64], 0, Some(0x20_0000));
        assert_eq!(
            plan(&outside, 1 << 30),
            Err(ElfError::EntryOutsideImage(0x20_0000))
        );
    }

    proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            let _ = plan(&bytes, 1 << 30);
        }

        #[test]
        fn mutations_never_panic(at in 0usize..300, v in any::<u8>()) {
            let mut e = build(0x10_0000, &[0x90; 64], 0x100, Some(0x10_0000));
            if let Some(b) = e.get_mut(at) { *b = v; }
            let _ = plan(&e, 1 << 30);
        }
    }
}
