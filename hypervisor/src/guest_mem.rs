//! Guest memory, untrusted by construction (ARCHITECTURE.md, "Guest memory"): copies to and
//! from guest-physical addresses through the domain's memory, and from guest-virtual
//! addresses through a walk of the guest's own page tables. A bad address is `-EFAULT` to
//! the guest; nothing here hands out a reference into guest RAM.
//!
//! The walk follows the Intel SDM vol. 3 ch. 4 / AMD APM vol. 2 ch. 5 formats: no paging,
//! 32-bit (2-level), PAE (3-level) and long mode (4-level), with 4 KiB, 2/4 MiB and 1 GiB
//! pages. Hypercall arguments are supervisor accesses.

use ferrite_abi::Errno;

/// A domain's guest-physical memory.
pub trait GuestPhys {
    fn read_phys(&self, gpa: u64, buf: &mut [u8]) -> Result<(), Errno>;
    fn write_phys(&mut self, gpa: u64, bytes: &[u8]) -> Result<(), Errno>;
}

/// The guest's paging state (its CR0, CR3, CR4 and EFER).
#[derive(Clone, Copy, Debug, Default)]
pub struct Paging {
    pub cr0: u64,
    pub cr3: u64,
    pub cr4: u64,
    pub efer: u64,
}

const CR0_PG: u64 = 1 << 31;
const CR0_WP: u64 = 1 << 16;
const CR4_PSE: u64 = 1 << 4;
const CR4_PAE: u64 = 1 << 5;
const EFER_LMA: u64 = 1 << 10;
const PRESENT: u64 = 1;
const WRITABLE: u64 = 1 << 1;
const HUGE: u64 = 1 << 7;
const ADDR: u64 = 0x000f_ffff_ffff_f000;

fn read_u64(mem: &impl GuestPhys, gpa: u64) -> Result<u64, Errno> {
    let mut b = [0u8; 8];
    mem.read_phys(gpa, &mut b)?;
    Ok(u64::from_le_bytes(b))
}

fn read_u32(mem: &impl GuestPhys, gpa: u64) -> Result<u64, Errno> {
    let mut b = [0u8; 4];
    mem.read_phys(gpa, &mut b)?;
    Ok(u64::from(u32::from_le_bytes(b)))
}

/// The guest-physical address of `gva`, for a supervisor access (`write` or read).
pub fn translate(mem: &impl GuestPhys, p: &Paging, gva: u64, write: bool) -> Result<u64, Errno> {
    if p.cr0 & CR0_PG == 0 {
        // Paging off: linear = physical, truncated to 32 bits outside long mode.
        return Ok(gva & 0xffff_ffff);
    }
    let check_w = write && p.cr0 & CR0_WP != 0;
    let ok = |e: u64| e & PRESENT != 0 && (!check_w || e & WRITABLE != 0);
    if p.efer & EFER_LMA != 0 {
        // Canonical check for 48-bit addresses.
        let top = gva >> 47;
        if top != 0 && top != 0x1_ffff {
            return Err(Errno::EFAULT);
        }
        let mut table = p.cr3 & ADDR;
        for (level, shift) in [39u32, 30, 21, 12].into_iter().enumerate() {
            let e = read_u64(mem, table + ((gva >> shift) & 0x1ff) * 8)?;
            if !ok(e) {
                return Err(Errno::EFAULT);
            }
            if shift == 12 || (level > 0 && e & HUGE != 0) {
                let size = 1u64 << shift;
                return Ok((e & ADDR & !(size - 1)) | (gva & (size - 1)));
            }
            table = e & ADDR;
        }
        return Err(Errno::EFAULT);
    }
    let gva = gva & 0xffff_ffff;
    if p.cr4 & CR4_PAE != 0 {
        let pdpte = read_u64(mem, (p.cr3 & 0xffff_ffe0) + ((gva >> 30) & 3) * 8)?;
        if pdpte & PRESENT == 0 {
            return Err(Errno::EFAULT);
        }
        let pde = read_u64(mem, (pdpte & ADDR) + ((gva >> 21) & 0x1ff) * 8)?;
        if !ok(pde) {
            return Err(Errno::EFAULT);
        }
        if pde & HUGE != 0 {
            return Ok((pde & ADDR & !0x1f_ffff) | (gva & 0x1f_ffff));
        }
        let pte = read_u64(mem, (pde & ADDR) + ((gva >> 12) & 0x1ff) * 8)?;
        if !ok(pte) {
            return Err(Errno::EFAULT);
        }
        return Ok((pte & ADDR) | (gva & 0xfff));
    }
    let pde = read_u32(mem, (p.cr3 & 0xffff_f000) + (gva >> 22) * 4)?;
    if !ok(pde) {
        return Err(Errno::EFAULT);
    }
    if pde & HUGE != 0 && p.cr4 & CR4_PSE != 0 {
        return Ok((pde & 0xffc0_0000) | (gva & 0x3f_ffff));
    }
    let pte = read_u32(mem, (pde & 0xffff_f000) + ((gva >> 12) & 0x3ff) * 4)?;
    if !ok(pte) {
        return Err(Errno::EFAULT);
    }
    Ok((pte & 0xffff_f000) | (gva & 0xfff))
}

/// Copies `buf.len()` bytes from guest-virtual `gva`, page by page.
pub fn copy_from_guest(
    mem: &impl GuestPhys,
    p: &Paging,
    gva: u64,
    buf: &mut [u8],
) -> Result<(), Errno> {
    let mut done = 0usize;
    while done < buf.len() {
        let va = gva.checked_add(done as u64).ok_or(Errno::EFAULT)?;
        let chunk = ((4096 - (va & 0xfff)) as usize).min(buf.len() - done);
        let gpa = translate(mem, p, va, false)?;
        mem.read_phys(gpa, buf.get_mut(done..done + chunk).ok_or(Errno::EFAULT)?)?;
        done += chunk;
    }
    Ok(())
}

/// Copies `bytes` to guest-virtual `gva`, page by page.
pub fn copy_to_guest(
    mem: &mut impl GuestPhys,
    p: &Paging,
    gva: u64,
    bytes: &[u8],
) -> Result<(), Errno> {
    let mut done = 0usize;
    while done < bytes.len() {
        let va = gva.checked_add(done as u64).ok_or(Errno::EFAULT)?;
        let chunk = ((4096 - (va & 0xfff)) as usize).min(bytes.len() - done);
        let gpa = translate(mem, p, va, true)?;
        mem.write_phys(gpa, bytes.get(done..done + chunk).ok_or(Errno::EFAULT)?)?;
        done += chunk;
    }
    Ok(())
}

/// A flat guest memory for host tests: `[0, len)`.
#[cfg(test)]
pub(crate) struct FlatMem(pub alloc::vec::Vec<u8>);

#[cfg(test)]
impl GuestPhys for FlatMem {
    fn read_phys(&self, gpa: u64, buf: &mut [u8]) -> Result<(), Errno> {
        let s = gpa as usize;
        let src = self
            .0
            .get(s..s.checked_add(buf.len()).ok_or(Errno::EFAULT)?)
            .ok_or(Errno::EFAULT)?;
        buf.copy_from_slice(src);
        Ok(())
    }
    fn write_phys(&mut self, gpa: u64, bytes: &[u8]) -> Result<(), Errno> {
        let s = gpa as usize;
        let dst = self
            .0
            .get_mut(s..s.checked_add(bytes.len()).ok_or(Errno::EFAULT)?)
            .ok_or(Errno::EFAULT)?;
        dst.copy_from_slice(bytes);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn put(m: &mut FlatMem, at: u64, v: u64) {
        m.write_phys(at, &v.to_le_bytes()).unwrap();
    }

    /// Long-mode tables at 0x1000..: GVA 0xffff_8000_0040_0000 (4 KiB) -> 0x20_0000, and the
    /// 2 MiB page at GVA 0x4000_0000 -> 0x40_0000, read-only.
    fn long_mode() -> (FlatMem, Paging) {
        let mut m = FlatMem(vec![0; 0x80_0000]);
        let va = 0xffff_8000_0040_0000u64;
        put(&mut m, 0x1000 + ((va >> 39) & 0x1ff) * 8, 0x2000 | 3);
        put(&mut m, 0x2000 + ((va >> 30) & 0x1ff) * 8, 0x3000 | 3);
        put(&mut m, 0x3000 + ((va >> 21) & 0x1ff) * 8, 0x4000 | 3);
        put(&mut m, 0x4000, 0x20_0000 | 3);
        put(&mut m, 0x1000, 0x5000 | 3); // PML4[0]
        put(&mut m, 0x5000 + 8, 0x6000 | 3); // PDPT[1] (1 GiB)
        put(&mut m, 0x6000, 0x40_0000 | 1 | HUGE); // 2 MiB, read-only
        let p = Paging {
            cr0: CR0_PG | CR0_WP | 1,
            cr3: 0x1000,
            cr4: CR4_PAE,
            efer: EFER_LMA | (1 << 8),
        };
        (m, p)
    }

    #[test]
    fn long_mode_walk() {
        let (m, p) = long_mode();
        assert_eq!(
            translate(&m, &p, 0xffff_8000_0040_0123, false),
            Ok(0x20_0123)
        );
        assert_eq!(translate(&m, &p, 0x4000_1234, false), Ok(0x40_1234));
        assert_eq!(
            translate(&m, &p, 0x4000_1234, true),
            Err(Errno::EFAULT),
            "read-only + WP"
        );
        assert_eq!(
            translate(&m, &p, 0x8000_0000, false),
            Err(Errno::EFAULT),
            "not present"
        );
        assert_eq!(
            translate(&m, &p, 0x0000_8000_0000_0000, false),
            Err(Errno::EFAULT),
            "non-canonical"
        );
    }

    #[test]
    fn copies_across_pages_and_fail_cleanly() {
        let (mut m, p) = long_mode();
        let data: Vec<u8> = (0..64).collect();
        // 0x4000_0ff0 crosses into the next 4 KiB of the same 2 MiB page.
        let ro = Paging {
            cr0: p.cr0 & !CR0_WP,
            ..p
        };
        copy_to_guest(&mut m, &ro, 0x4000_0ff0, &data).unwrap();
        let mut out = [0u8; 64];
        copy_from_guest(&m, &p, 0x4000_0ff0, &mut out).unwrap();
        assert_eq!(&out[..], &data[..]);
        // A buffer that runs off the end of the mapping is -EFAULT.
        let mut big = [0u8; 16];
        assert_eq!(
            copy_from_guest(&m, &p, 0x4000_0000 + (2 << 20) - 8, &mut big),
            Err(Errno::EFAULT)
        );
    }

    #[test]
    fn no_paging_pae_and_2level() {
        let mut m = FlatMem(vec![0; 0x40_0000]);
        assert_eq!(
            translate(&m, &Paging::default(), 0x1_0000_1234, false),
            Ok(0x1234)
        );
        // PAE: PDPTE[0] -> PD at 0x2000; PD[1] 2 MiB page -> 0x20_0000.
        put(&mut m, 0x1000, 0x2000 | 1);
        put(&mut m, 0x2008, 0x20_0000 | 3 | HUGE);
        let pae = Paging {
            cr0: CR0_PG | 1,
            cr3: 0x1000,
            cr4: CR4_PAE,
            efer: 0,
        };
        assert_eq!(translate(&m, &pae, 0x20_0042, false), Ok(0x20_0042));
        // 2-level: PDE[0] -> PT at 0x3000; PTE[5] -> 0x7000.
        let mut m2 = FlatMem(vec![0; 0x10_0000]);
        m2.write_phys(0x1000, &(0x3000u32 | 3).to_le_bytes())
            .unwrap();
        m2.write_phys(0x3000 + 5 * 4, &(0x7000u32 | 3).to_le_bytes())
            .unwrap();
        let legacy = Paging {
            cr0: CR0_PG | 1,
            cr3: 0x1000,
            cr4: 0,
            efer: 0,
        };
        assert_eq!(translate(&m2, &legacy, 0x5abc, false), Ok(0x7abc));
    }

    proptest! {
        #[test]
        fn random_tables_never_panic(words in proptest::collection::vec(any::<u64>(), 64), gva in any::<u64>(), cr3 in 0u64..0x3000) {
            let mut m = FlatMem(vec![0; 0x4000]);
            for (i, w) in words.iter().enumerate() {
                let _ = m.write_phys((i as u64) * 64, &w.to_le_bytes());
            }
            for p in [
                Paging { cr0: CR0_PG, cr3, cr4: CR4_PAE, efer: EFER_LMA },
                Paging { cr0: CR0_PG, cr3, cr4: CR4_PAE, efer: 0 },
                Paging { cr0: CR0_PG, cr3, cr4: CR4_PSE, efer: 0 },
            ] {
                let _ = translate(&m, &p, gva, false);
                let mut b = [0u8; 100];
                let _ = copy_from_guest(&m, &p, gva, &mut b);
            }
        }
    }
}
