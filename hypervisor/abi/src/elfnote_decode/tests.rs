use super::*;

fn note(name: &[u8], kind: u32, desc: &[u8]) -> Vec<u8> {
    let mut v = Vec::new();
    v.extend_from_slice(&(name.len() as u32 + 1).to_le_bytes());
    v.extend_from_slice(&(desc.len() as u32).to_le_bytes());
    v.extend_from_slice(&kind.to_le_bytes());
    v.extend_from_slice(name);
    v.push(0);
    while v.len() % 4 != 0 {
        v.push(0);
    }
    v.extend_from_slice(desc);
    while v.len() % 4 != 0 {
        v.push(0);
    }
    v
}

/// A minimal ELF64 with one PT_NOTE segment holding `blob`.
fn elf64(blob: &[u8]) -> Vec<u8> {
    let mut e = vec![0u8; 64 + 56];
    e[..6].copy_from_slice(b"\x7fELF\x02\x01");
    e[0x20..0x28].copy_from_slice(&64u64.to_le_bytes());
    e[0x36..0x38].copy_from_slice(&56u16.to_le_bytes());
    e[0x38..0x3a].copy_from_slice(&1u16.to_le_bytes());
    e[64..68].copy_from_slice(&PT_NOTE.to_le_bytes());
    e[72..80].copy_from_slice(&120u64.to_le_bytes());
    e[96..104].copy_from_slice(&(blob.len() as u64).to_le_bytes());
    e.extend_from_slice(blob);
    e
}

#[test]
fn reads_pvh_and_pv_notes() {
    let mut blob = note(b"GNU", 3, &[1, 2, 3, 4]);
    blob.extend(note(b"Xen", 18, &0x0100_0000u32.to_le_bytes()));
    blob.extend(note(b"Xen", 6, b"linux\0"));
    blob.extend(note(b"Xen", 1, &0xffff_ffff_8100_0000u64.to_le_bytes()));
    blob.extend(note(b"Xen", 19, &[0, 0, 0x20, 0, 0, 0, 0x10, 0]));
    blob.extend(note(b"Xen", 17, &5u32.to_le_bytes()));
    blob.extend(note(b"Xen", 99, b"ignored"));
    let elf = elf64(&blob);
    let n = GuestNotes::from_elf(&elf).unwrap();
    assert_eq!(n.phys32_entry, Some(0x0100_0000));
    assert_eq!(n.guest_os, Some("linux"));
    assert_eq!(n.entry, Some(0xffff_ffff_8100_0000));
    assert_eq!(
        n.phys32_reloc,
        Some(Phys32Reloc {
            align: Some(0x20_0000),
            min: Some(0x10_0000),
            max: None
        })
    );
    assert_eq!(n.supported_features, [5]);
    assert_eq!(GuestNotes::from_blob(&blob), Ok(n));
}

#[test]
fn rejects_malformed_input() {
    assert_eq!(GuestNotes::from_elf(b"not an elf"), Err(NoteError::NotElf));
    let blob = note(b"Xen", 18, &[1, 2, 3]);
    assert_eq!(
        GuestNotes::from_blob(&blob),
        Err(NoteError::BadDesc(XenElfnote::Phys32Entry))
    );
    let blob = note(b"Xen", 6, b"not \xffascii\0");
    assert_eq!(
        GuestNotes::from_blob(&blob),
        Err(NoteError::BadDesc(XenElfnote::GuestOs))
    );
    // Unterminated strings are read to the end of the descriptor, as Linux's
    // FEATURES note needs.
    let blob = note(b"Xen", 10, b"!writable_page_tables|pae_pgdir_above_4gb");
    assert_eq!(
        GuestNotes::from_blob(&blob).map(|n| n.features),
        Ok(Some("!writable_page_tables|pae_pgdir_above_4gb"))
    );
    let mut blob = note(b"Xen", 18, &[1, 0, 0, 0]);
    blob[4] = 200;
    assert_eq!(GuestNotes::from_blob(&blob), Err(NoteError::Truncated));
    let mut elf = elf64(&note(b"Xen", 18, &[1, 0, 0, 0]));
    elf[96..104].copy_from_slice(&u64::MAX.to_le_bytes());
    assert_eq!(GuestNotes::from_elf(&elf), Err(NoteError::Truncated));
    for cut in 0..elf.len() {
        let _ = GuestNotes::from_elf(&elf[..cut]);
    }
}
