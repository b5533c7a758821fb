//! Decoding the Xen notes of a guest kernel (`public/elfnote.h`; what `xen/common/libelf/
//! libelf-dominfo.c` reads): the notes named "Xen" in `PT_NOTE` segments, or in `SHT_NOTE`
//! sections when the image has no `PT_NOTE`. Works on arbitrary bytes: every offset and size
//! is checked, and anything malformed is a [`NoteError`].

use crate::elfnote::XenElfnote;
use crate::features::XENFEAT_NR_SUBMAPS;

/// Why an image's notes could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoteError {
    /// Not a little-endian ELF32/ELF64 image.
    NotElf,
    /// A header, segment, section or note runs past the end of its container.
    Truncated,
    /// A known note's descriptor has the wrong size or form.
    BadDesc(XenElfnote),
}

/// One raw note.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawNote<'a> {
    /// The name without its terminating NUL (`b"Xen"` for Xen's notes).
    pub name: &'a [u8],
    /// The note type.
    pub kind: u32,
    /// The descriptor.
    pub desc: &'a [u8],
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(
        b.get(at..at.checked_add(2)?)?.try_into().ok()?,
    ))
}
fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        b.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}
fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(
        b.get(at..at.checked_add(8)?)?.try_into().ok()?,
    ))
}

/// Iterates over the notes in one `PT_NOTE`/`SHT_NOTE` blob (4-byte aligned name and
/// descriptor). Yields `Err(Truncated)` once, then stops, on a record that overruns the blob.
pub fn notes(blob: &[u8]) -> impl Iterator<Item = Result<RawNote<'_>, NoteError>> {
    let mut rest = Some(blob);
    core::iter::from_fn(move || {
        let b = rest.take()?;
        if b.is_empty() {
            return None;
        }
        let note = (|| {
            let namesz = u32_at(b, 0)? as usize;
            let descsz = u32_at(b, 4)? as usize;
            let kind = u32_at(b, 8)?;
            let name_end = 12usize.checked_add(namesz)?;
            let desc_at = 12usize.checked_add(namesz.checked_add(3)? & !3)?;
            let desc_end = desc_at.checked_add(descsz)?;
            let next = desc_at.checked_add(descsz.checked_add(3)? & !3)?;
            let name = b.get(12..name_end)?;
            let desc = b.get(desc_at..desc_end)?;
            rest = Some(b.get(next..).unwrap_or(&[]));
            let name = name.strip_suffix(&[0]).unwrap_or(name);
            Some(RawNote { name, kind, desc })
        })();
        Some(note.ok_or(NoteError::Truncated))
    })
}

/// `XEN_ELFNOTE_PHYS32_RELOC`: up to three values, each absent when the note is shorter.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Phys32Reloc {
    /// Required alignment of the load address.
    pub align: Option<u32>,
    /// Lowest start address.
    pub min: Option<u32>,
    /// Highest address of the image's last byte.
    pub max: Option<u32>,
}

/// What a kernel's Xen notes say, each field from the last note of its type.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GuestNotes<'a> {
    /// `ENTRY`: PV entry (virtual).
    pub entry: Option<u64>,
    /// `HYPERCALL_PAGE` (virtual).
    pub hypercall_page: Option<u64>,
    /// `VIRT_BASE`.
    pub virt_base: Option<u64>,
    /// `PADDR_OFFSET`.
    pub paddr_offset: Option<u64>,
    /// `HV_START_LOW`.
    pub hv_start_low: Option<u64>,
    /// `INIT_P2M`.
    pub init_p2m: Option<u64>,
    /// `MOD_START_PFN`.
    pub mod_start_pfn: Option<u64>,
    /// `SUSPEND_CANCEL`.
    pub suspend_cancel: Option<u64>,
    /// `PHYS32_ENTRY`: the PVH entry point.
    pub phys32_entry: Option<u64>,
    /// `PHYS32_RELOC`: the kernel can be relocated within these limits.
    pub phys32_reloc: Option<Phys32Reloc>,
    /// `XEN_VERSION`.
    pub xen_version: Option<&'a str>,
    /// `GUEST_OS`.
    pub guest_os: Option<&'a str>,
    /// `GUEST_VERSION`.
    pub guest_version: Option<&'a str>,
    /// `LOADER`.
    pub loader: Option<&'a str>,
    /// `PAE_MODE`.
    pub pae_mode: Option<&'a str>,
    /// `FEATURES` ('|'-separated, '!' marks required).
    pub features: Option<&'a str>,
    /// `BSD_SYMTAB`.
    pub bsd_symtab: Option<&'a str>,
    /// `SUPPORTED_FEATURES`, OR-ed over every such note.
    pub supported_features: [u32; XENFEAT_NR_SUBMAPS as usize],
    /// Whether an `L1_MFN_VALID` note is present.
    pub l1_mfn_valid: bool,
}

/// A numeric note: 1, 2, 4 or 8 little-endian bytes (`elf_note_numeric`).
fn numeric(kind: XenElfnote, desc: &[u8]) -> Result<u64, NoteError> {
    let bad = NoteError::BadDesc(kind);
    Ok(match desc.len() {
        1 => u64::from(*desc.first().ok_or(bad)?),
        2 => u64::from(u16_at(desc, 0).ok_or(bad)?),
        4 => u64::from(u32_at(desc, 0).ok_or(bad)?),
        8 => u64_at(desc, 0).ok_or(bad)?,
        _ => return Err(bad),
    })
}

/// A string note: bytes up to the first NUL, or the whole descriptor when it has none (Linux
/// emits `XEN_ELFNOTE_FEATURES` unterminated and libelf reads on into the zero padding);
/// ASCII.
fn string(kind: XenElfnote, desc: &[u8]) -> Result<&str, NoteError> {
    let end = desc.iter().position(|&b| b == 0).unwrap_or(desc.len());
    let s = desc.get(..end).ok_or(NoteError::BadDesc(kind))?;
    if !s.is_ascii() {
        return Err(NoteError::BadDesc(kind));
    }
    core::str::from_utf8(s).map_err(|_| NoteError::BadDesc(kind))
}

impl<'a> GuestNotes<'a> {
    /// Applies one note; notes not named "Xen" and unknown types are ignored, as libelf does.
    pub fn apply(&mut self, note: &RawNote<'a>) -> Result<(), NoteError> {
        use XenElfnote as N;
        if note.name != b"Xen" {
            return Ok(());
        }
        let Ok(kind) = XenElfnote::try_from(note.kind) else {
            return Ok(());
        };
        let d = note.desc;
        match kind {
            N::Entry => self.entry = Some(numeric(kind, d)?),
            N::HypercallPage => self.hypercall_page = Some(numeric(kind, d)?),
            N::VirtBase => self.virt_base = Some(numeric(kind, d)?),
            N::PaddrOffset => self.paddr_offset = Some(numeric(kind, d)?),
            N::HvStartLow => self.hv_start_low = Some(numeric(kind, d)?),
            N::InitP2m => self.init_p2m = Some(numeric(kind, d)?),
            N::ModStartPfn => self.mod_start_pfn = Some(numeric(kind, d)?),
            N::SuspendCancel => self.suspend_cancel = Some(numeric(kind, d)?),
            N::Phys32Entry => self.phys32_entry = Some(numeric(kind, d)?),
            N::Phys32Reloc => {
                if d.len() > 12 || !d.len().is_multiple_of(4) {
                    return Err(NoteError::BadDesc(kind));
                }
                self.phys32_reloc = Some(Phys32Reloc {
                    align: u32_at(d, 0),
                    min: u32_at(d, 4),
                    max: u32_at(d, 8),
                });
            }
            N::XenVersion => self.xen_version = Some(string(kind, d)?),
            N::GuestOs => self.guest_os = Some(string(kind, d)?),
            N::GuestVersion => self.guest_version = Some(string(kind, d)?),
            N::Loader => self.loader = Some(string(kind, d)?),
            N::PaeMode => self.pae_mode = Some(string(kind, d)?),
            N::Features => self.features = Some(string(kind, d)?),
            N::BsdSymtab => self.bsd_symtab = Some(string(kind, d)?),
            N::SupportedFeatures => {
                if !d.len().is_multiple_of(4) {
                    return Err(NoteError::BadDesc(kind));
                }
                for (i, word) in self.supported_features.iter_mut().enumerate() {
                    *word |= u32_at(d, i * 4).unwrap_or(0);
                }
            }
            N::L1MfnValid => self.l1_mfn_valid = true,
            N::Info
            | N::CrashInfo
            | N::CrashRegs
            | N::DumpcoreNone
            | N::DumpcoreHeader
            | N::DumpcoreXenVersion
            | N::DumpcoreFormatVersion => {}
        }
        Ok(())
    }

    /// Reads every note in one note blob.
    pub fn from_blob(blob: &'a [u8]) -> Result<Self, NoteError> {
        let mut out = GuestNotes::default();
        out.add_blob(blob)?;
        Ok(out)
    }

    fn add_blob(&mut self, blob: &'a [u8]) -> Result<(), NoteError> {
        notes(blob).try_for_each(|n| self.apply(&n?))
    }

    /// Reads the Xen notes of an ELF image: every `PT_NOTE` segment, or every `SHT_NOTE`
    /// section if there is no `PT_NOTE`.
    pub fn from_elf(elf: &'a [u8]) -> Result<Self, NoteError> {
        let mut out = GuestNotes::default();
        let mut found = false;
        for_each_table(elf, Table::Program, |blob| {
            found = true;
            out.add_blob(blob)
        })?;
        if !found {
            for_each_table(elf, Table::Section, |blob| out.add_blob(blob))?;
        }
        Ok(out)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Table {
    Program,
    Section,
}

const PT_NOTE: u32 = 4;
const SHT_NOTE: u32 = 7;

/// Calls `f` with the contents of every note segment or section.
fn for_each_table<'a>(
    elf: &'a [u8],
    table: Table,
    mut f: impl FnMut(&'a [u8]) -> Result<(), NoteError>,
) -> Result<(), NoteError> {
    if elf.get(..4) != Some(b"\x7fELF") || elf.get(5) != Some(&1) {
        return Err(NoteError::NotElf);
    }
    let is64 = match elf.get(4) {
        Some(1) => false,
        Some(2) => true,
        _ => return Err(NoteError::NotElf),
    };
    let t = NoteError::Truncated;
    // (table offset, entry size, count) and, per entry, (type, offset, size) field offsets.
    let (off, entsize, num) = match (is64, table) {
        (true, Table::Program) => (u64_at(elf, 0x20), u16_at(elf, 0x36), u16_at(elf, 0x38)),
        (true, Table::Section) => (u64_at(elf, 0x28), u16_at(elf, 0x3a), u16_at(elf, 0x3c)),
        (false, Table::Program) => (
            u32_at(elf, 0x1c).map(u64::from),
            u16_at(elf, 0x2a),
            u16_at(elf, 0x2c),
        ),
        (false, Table::Section) => (
            u32_at(elf, 0x20).map(u64::from),
            u16_at(elf, 0x2e),
            u16_at(elf, 0x30),
        ),
    };
    let (off, entsize, num) = (off.ok_or(t)?, usize::from(entsize.ok_or(t)?), num.ok_or(t)?);
    for i in 0..usize::from(num) {
        let at = usize::try_from(off)
            .ok()
            .and_then(|o| o.checked_add(i.checked_mul(entsize)?))
            .ok_or(t)?;
        let ent = elf.get(at..at.checked_add(entsize).ok_or(t)?).ok_or(t)?;
        let (kind, start, len) = match (is64, table) {
            (true, Table::Program) => (u32_at(ent, 0), u64_at(ent, 8), u64_at(ent, 0x20)),
            (true, Table::Section) => (u32_at(ent, 4), u64_at(ent, 0x18), u64_at(ent, 0x20)),
            (false, Table::Program) => (
                u32_at(ent, 0),
                u32_at(ent, 4).map(u64::from),
                u32_at(ent, 0x10).map(u64::from),
            ),
            (false, Table::Section) => (
                u32_at(ent, 4),
                u32_at(ent, 0x10).map(u64::from),
                u32_at(ent, 0x14).map(u64::from),
            ),
        };
        let want = if table == Table::Program {
            PT_NOTE
        } else {
            SHT_NOTE
        };
        if kind.ok_or(t)? != want {
            continue;
        }
        let start = usize::try_from(start.ok_or(t)?).map_err(|_| t)?;
        let len = usize::try_from(len.ok_or(t)?).map_err(|_| t)?;
        f(elf.get(start..start.checked_add(len).ok_or(t)?).ok_or(t)?)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
