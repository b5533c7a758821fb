//! Bounds-checked little-endian reads from a copied firmware table.
//!
//! Every ACPI structure Ferrite reads is first copied out of firmware memory into a `Vec<u8>`
//! (ACPI 6.5, section 5.2: all multi-byte fields are little-endian and unaligned). These helpers
//! return `None` instead of panicking when a field would run past the copy.

/// `len` bytes at `offset`, or `None` if they are not all inside `bytes`.
pub(crate) fn slice_at(bytes: &[u8], offset: usize, len: usize) -> Option<&[u8]> {
    bytes.get(offset..offset.checked_add(len)?)
}

/// A fixed-size array at `offset`.
pub(crate) fn array_at<const N: usize>(bytes: &[u8], offset: usize) -> Option<[u8; N]> {
    slice_at(bytes, offset, N)?.try_into().ok()
}

pub(crate) fn u8_at(bytes: &[u8], offset: usize) -> Option<u8> {
    bytes.get(offset).copied()
}

pub(crate) fn u16_at(bytes: &[u8], offset: usize) -> Option<u16> {
    array_at(bytes, offset).map(u16::from_le_bytes)
}

pub(crate) fn u32_at(bytes: &[u8], offset: usize) -> Option<u32> {
    array_at(bytes, offset).map(u32::from_le_bytes)
}

pub(crate) fn u64_at(bytes: &[u8], offset: usize) -> Option<u64> {
    array_at(bytes, offset).map(u64::from_le_bytes)
}

/// The ACPI checksum rule: all bytes of the structure sum to zero (mod 256).
pub(crate) fn checksum_ok(bytes: &[u8]) -> bool {
    bytes.iter().fold(0u8, |sum, &b| sum.wrapping_add(b)) == 0
}

/// Renders firmware identifier bytes (signature, OEM id) for a log line: printable ASCII is kept,
/// anything else becomes `?` so a corrupt table cannot put control characters on the console.
pub(crate) fn printable(bytes: &[u8]) -> alloc::string::String {
    bytes
        .iter()
        .map(|&b| {
            if b.is_ascii_graphic() || b == b' ' {
                char::from(b)
            } else {
                '?'
            }
        })
        .collect()
}
