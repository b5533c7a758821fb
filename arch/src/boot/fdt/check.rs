//! Structural check of a flattened device tree before the `fdt` crate reads it.
//!
//! The format is the Devicetree Specification v0.4, chapter 5 (also `libfdt`'s `fdt.h`). The
//! `fdt` crate trusts its input (it unwraps and indexes on malformed blobs), so Ferrite walks
//! the whole structure block once here and rejects anything the crate could trip on: every
//! offset and length inside `totalsize`, tokens aligned and known, names NUL-terminated UTF-8,
//! nodes balanced and at most [`MAX_DEPTH`] deep, cell-count properties exactly one cell.

use super::DtError;

/// The FDT header's magic number.
pub const FDT_MAGIC: u32 = 0xd00d_feed;
/// Bytes of the version-17 header.
pub const HEADER_LEN: usize = 40;
/// The largest blob accepted (Linux and Xen refuse more than 2 MiB as well).
pub const MAX_SIZE: u32 = 2 << 20;
/// Deepest node nesting accepted (the `fdt` crate keeps 64 parents).
pub const MAX_DEPTH: usize = 32;

const BEGIN_NODE: u32 = 1;
const END_NODE: u32 = 2;
const PROP: u32 = 3;
const NOP: u32 = 4;
const END: u32 = 9;

pub(super) fn be32(b: &[u8], at: usize) -> Option<u32> {
    let w = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([w[0], w[1], w[2], w[3]]))
}

fn be64(b: &[u8], at: usize) -> Option<u64> {
    Some((u64::from(be32(b, at)?) << 32) | u64::from(be32(b, at + 4)?))
}

/// The header's `totalsize`, after checking the magic and the size bounds: what the kernel
/// needs to know before it can look at the rest of the blob.
pub fn total_size(header: &[u8]) -> Result<usize, DtError> {
    let magic = be32(header, 0).ok_or(DtError::Truncated {
        what: "header",
        need: HEADER_LEN as u64,
        have: header.len() as u64,
    })?;
    if magic != FDT_MAGIC {
        return Err(DtError::BadMagic { found: magic });
    }
    let size = be32(header, 4).ok_or(DtError::Truncated {
        what: "header",
        need: HEADER_LEN as u64,
        have: header.len() as u64,
    })?;
    if (size as usize) < HEADER_LEN {
        return Err(DtError::Malformed {
            what: "totalsize smaller than the header",
            offset: 4,
        });
    }
    if size > MAX_SIZE {
        return Err(DtError::TooLarge { size });
    }
    Ok(size as usize)
}

/// A section `[off, off + len)` of the blob, checked to lie inside `total`.
fn section(
    blob: &[u8],
    off: u32,
    len: u32,
    total: usize,
    what: &'static str,
) -> Result<(usize, usize), DtError> {
    let (off, len) = (off as usize, len as usize);
    let end = off.saturating_add(len);
    if end > total || end > blob.len() {
        return Err(DtError::Truncated {
            what,
            need: end as u64,
            have: total.min(blob.len()) as u64,
        });
    }
    Ok((off, end))
}

/// A NUL-terminated UTF-8 string at `at` inside `limit`; its length without the NUL.
fn c_str(blob: &[u8], at: usize, limit: usize) -> Option<usize> {
    let s = blob.get(at..limit)?;
    let len = s.iter().position(|&b| b == 0)?;
    core::str::from_utf8(s.get(..len)?).ok()?;
    Some(len)
}

/// Checks the whole blob; returns `totalsize`. FDT_NOP tokens are refused: the `fdt` crate
/// does not expect them, so [`strip_nops`] removes them first.
pub fn validate(blob: &[u8]) -> Result<usize, DtError> {
    walk(blob, false)
}

/// Removes FDT_NOP tokens (which `libfdt` leaves where it deletes a property or node, as
/// QEMU and U-Boot do) from a blob in place, shrinking `size_dt_struct`; returns `totalsize`.
pub fn strip_nops(blob: &mut [u8]) -> Result<usize, DtError> {
    let total = walk(blob, true)?;
    let start = be32(blob, 8).unwrap_or(0) as usize;
    let end = start + be32(blob, 36).unwrap_or(0) as usize;
    let (mut from, mut to) = (start, start);
    while from < end {
        let tok = be32(blob, from).unwrap_or(END);
        let len = match tok {
            BEGIN_NODE => 4 + align4(c_str(blob, from + 4, end).unwrap_or(0) + 1),
            PROP => 12 + align4(be32(blob, from + 4).unwrap_or(0) as usize),
            NOP => {
                from += 4;
                continue;
            }
            _ => 4,
        };
        let len = len.min(end - from);
        blob.copy_within(from..from + len, to);
        from += len;
        to += len;
        if tok == END {
            break;
        }
    }
    let size = ((to - start) as u32).to_be_bytes();
    if let Some(field) = blob.get_mut(36..40) {
        field.copy_from_slice(&size);
    }
    Ok(total)
}

fn walk(blob: &[u8], allow_nop: bool) -> Result<usize, DtError> {
    let total = total_size(blob)?;
    if blob.len() < HEADER_LEN || blob.len() < total {
        return Err(DtError::Truncated {
            what: "blob",
            need: total as u64,
            have: blob.len() as u64,
        });
    }
    let field = |i: usize| be32(blob, i * 4).unwrap_or(0);
    let (off_struct, off_strings, off_rsv) = (field(2), field(3), field(4));
    let (version, last_comp) = (field(5), field(6));
    let (size_strings, size_struct) = (field(8), field(9));
    if version < 17 || last_comp > 17 {
        return Err(DtError::BadVersion { version });
    }
    let (s_start, s_end) = section(blob, off_struct, size_struct, total, "structure block")?;
    let (str_start, str_end) = section(blob, off_strings, size_strings, total, "strings block")?;
    check_reservations(blob, off_rsv as usize, total)?;
    if !s_start.is_multiple_of(4) {
        return Err(DtError::Malformed {
            what: "misaligned structure block",
            offset: s_start as u64,
        });
    }
    let mut at = s_start;
    let mut depth = 0usize;
    let mut seen_root = false;
    loop {
        let tok = be32(blob, at)
            .filter(|_| at + 4 <= s_end)
            .ok_or(DtError::Truncated {
                what: "structure block (no FDT_END)",
                need: (at + 4) as u64,
                have: s_end as u64,
            })?;
        let tok_at = at as u64;
        let bad = |what| DtError::Malformed {
            what,
            offset: tok_at,
        };
        at += 4;
        match tok {
            BEGIN_NODE => {
                if depth == 0 && seen_root {
                    return Err(bad("a second root node"));
                }
                seen_root = true;
                let len =
                    c_str(blob, at, s_end).ok_or(bad("node name not NUL-terminated UTF-8"))?;
                at = align4(at + len + 1);
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(bad("nodes nested too deeply"));
                }
            }
            END_NODE => {
                depth = depth
                    .checked_sub(1)
                    .ok_or(bad("FDT_END_NODE without a node"))?;
            }
            PROP => {
                if depth == 0 {
                    return Err(bad("property outside any node"));
                }
                let len = be32(blob, at).ok_or(bad("property header cut"))? as usize;
                let name_off = be32(blob, at + 4).ok_or(bad("property header cut"))? as usize;
                at += 8;
                let value_end = at.checked_add(len).filter(|&e| e <= s_end);
                let value_end = value_end.ok_or(bad("property value runs past the block"))?;
                let name_at = str_start
                    .checked_add(name_off)
                    .ok_or(bad("property name offset"))?;
                let name_len = c_str(blob, name_at, str_end)
                    .ok_or(bad("property name outside the strings block"))?;
                let name = blob.get(name_at..name_at + name_len).unwrap_or(&[]);
                let one_cell = matches!(
                    name,
                    b"#address-cells" | b"#size-cells" | b"#interrupt-cells" | b"phandle"
                );
                if one_cell && len != 4 {
                    return Err(bad("a cell-count or phandle property is not one cell"));
                }
                at = align4(value_end);
            }
            NOP if allow_nop => {}
            NOP => return Err(bad("FDT_NOP token")),
            END => {
                if depth != 0 || !seen_root {
                    return Err(bad("FDT_END inside a node"));
                }
                return Ok(total);
            }
            _ => return Err(bad("unknown token")),
        }
        if at > s_end {
            return Err(DtError::Truncated {
                what: "structure block",
                need: at as u64,
                have: s_end as u64,
            });
        }
    }
}

fn align4(x: usize) -> usize {
    x.div_ceil(4) * 4
}

/// The memory reservation block: 16-byte entries up to an all-zero one, inside the blob.
fn check_reservations(blob: &[u8], off: usize, total: usize) -> Result<(), DtError> {
    if !off.is_multiple_of(8) || off < HEADER_LEN {
        return Err(DtError::Malformed {
            what: "memory reservation block offset",
            offset: off as u64,
        });
    }
    let mut at = off;
    loop {
        if at + 16 > total {
            return Err(DtError::Truncated {
                what: "memory reservation block",
                need: (at + 16) as u64,
                have: total as u64,
            });
        }
        let (addr, size) = (be64(blob, at), be64(blob, at + 8));
        if addr == Some(0) && size == Some(0) {
            return Ok(());
        }
        at += 16;
    }
}

/// The memory reservation entries (`/memreserve/`), after [`validate`].
pub fn reservations(blob: &[u8]) -> impl Iterator<Item = (u64, u64)> + '_ {
    let mut at = be32(blob, 16).unwrap_or(0) as usize;
    core::iter::from_fn(move || {
        let (addr, size) = (be64(blob, at)?, be64(blob, at + 8)?);
        if addr == 0 && size == 0 {
            return None;
        }
        at += 16;
        Some((addr, size))
    })
}
