//! Areas a vCPU registers for Ferrite to keep current (`public/vcpu.h`): its runstate by
//! guest-virtual address (`VCPUOP_register_runstate_memory_area`) or guest-physical address
//! (`VCPUOP_register_runstate_phys_area`), and a second copy of its time record likewise
//! (`VCPUOP_register_vcpu_time_memory_area`, `VCPUOP_register_vcpu_time_phys_area`).
//!
//! The placement rules are Xen's `map_guest_area` and the update order its
//! `update_runstate_area` (`xen/common/domain.c`); the time record follows the version
//! protocol of `update_vcpu_system_time` (`xen/arch/x86/time.c`). Memory is reached through
//! [`AreaMem`], so the run loop decides whether an address is physical or virtual.

use core::sync::atomic::{Ordering, fence};

use ferrite_abi::Errno;
use ferrite_abi::vcpu::{VcpuRunstateInfo, XEN_RUNSTATE_UPDATE};
use ferrite_abi::xen::VcpuTimeInfo;
use zerocopy::IntoBytes;

use super::VcpuCore;

/// The guest-physical address that unregisters an area (Xen's `~0`).
pub const UNREGISTER: u64 = u64::MAX;

/// Bytes of a `vcpu_runstate_info` and of a `vcpu_time_info`.
pub const RUNSTATE_SIZE: u64 = core::mem::size_of::<VcpuRunstateInfo>() as u64;
pub const TIME_SIZE: u64 = core::mem::size_of::<VcpuTimeInfo>() as u64;

/// Offset of `state_entry_time` in `vcpu_runstate_info`.
const ENTRY_TIME: u64 = 8;

/// Checks where a guest-physical area of `size` bytes may go: `Ok(None)` unregisters it;
/// otherwise it lies in one page, aligned to a `xen_ulong_t` (`-ENXIO` if not). Whether RAM
/// backs it is the caller's check (`-EINVAL`, as Xen's `check_get_page_from_gfn`).
pub fn phys_area(gpa: u64, size: u64) -> Result<Option<u64>, Errno> {
    if gpa == UNREGISTER {
        return Ok(None);
    }
    let last = gpa
        .checked_add(size.saturating_sub(1))
        .ok_or(Errno::ENXIO)?;
    if gpa >> 12 != last >> 12 || !gpa.is_multiple_of(8) {
        return Err(Errno::ENXIO);
    }
    Ok(Some(gpa))
}

/// Where an area is: a guest-physical address, or a guest-virtual one in its vCPU's own
/// address space.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Addr {
    Phys(u64),
    Virt(u64),
}

impl Addr {
    /// `n` bytes further on (`-EFAULT` past the end of the address space).
    fn offset(self, n: u64) -> Result<Addr, Errno> {
        match self {
            Addr::Phys(a) => a.checked_add(n).map(Addr::Phys),
            Addr::Virt(a) => a.checked_add(n).map(Addr::Virt),
        }
        .ok_or(Errno::EFAULT)
    }
}

/// Guest memory as one vCPU's areas reach it.
pub trait AreaMem {
    fn read(&self, at: Addr, buf: &mut [u8]) -> Result<(), Errno>;
    fn write(&mut self, at: Addr, bytes: &[u8]) -> Result<(), Errno>;
}

/// Writes `info` to a runstate area at `at`. `flagged` brackets the copy with
/// `XEN_RUNSTATE_UPDATE` in `state_entry_time` (set first, cleared last), so a reader on
/// another vCPU can tell a copy in progress.
pub fn write_runstate(
    mem: &mut impl AreaMem,
    at: Addr,
    info: &VcpuRunstateInfo,
    flagged: bool,
) -> Result<(), Errno> {
    let mut rec = *info;
    rec.state_entry_time &= !XEN_RUNSTATE_UPDATE;
    if !flagged {
        return mem.write(at, rec.as_bytes());
    }
    let entry = at.offset(ENTRY_TIME)?;
    let done = rec.state_entry_time;
    rec.state_entry_time |= XEN_RUNSTATE_UPDATE;
    mem.write(entry, &rec.state_entry_time.to_le_bytes())?;
    fence(Ordering::Release);
    mem.write(at, rec.as_bytes())?;
    fence(Ordering::Release);
    mem.write(entry, &done.to_le_bytes())
}

/// Writes time record `rec` to a time area at `at` with the version protocol: the version
/// the guest last saw is made odd, the record follows (its own version is ignored), then the
/// next even version.
pub fn write_time(mem: &mut impl AreaMem, at: Addr, rec: &VcpuTimeInfo) -> Result<(), Errno> {
    let mut v = [0u8; 4];
    mem.read(at, &mut v)?;
    let odd = u32::from_le_bytes(v) | 1;
    mem.write(at, &odd.to_le_bytes())?;
    fence(Ordering::Release);
    let body = at.offset(4)?;
    mem.write(body, rec.as_bytes().get(4..).unwrap_or_default())?;
    fence(Ordering::Release);
    mem.write(at, &odd.wrapping_add(1).to_le_bytes())
}

/// Brings vCPU `v`'s runstate area up to date at `now` (best effort, as in Xen): a physical
/// area replaces the virtual one and is always flagged; the virtual one is flagged when the
/// domain enabled `VMASST_TYPE_runstate_update_flag` (`update_flag`).
pub fn update_runstate(v: &VcpuCore, now: u64, update_flag: bool, mem: &mut impl AreaMem) {
    let info = v.runstate.info(now);
    if let Some(gpa) = v.runstate_phys_area {
        let _ = write_runstate(mem, Addr::Phys(gpa), &info, true);
    } else if let Some(gva) = v.runstate_area {
        let _ = write_runstate(mem, Addr::Virt(gva), &info, update_flag);
    }
}

/// Copies `rec` to vCPU `v`'s secondary time records (either or both may be registered;
/// best effort: an area the guest unmapped is skipped until it is back).
pub fn update_time(v: &VcpuCore, rec: &VcpuTimeInfo, mem: &mut impl AreaMem) {
    if let Some(gpa) = v.time_phys_area {
        let _ = write_time(mem, Addr::Phys(gpa), rec);
    }
    if let Some(gva) = v.time_area {
        let _ = write_time(mem, Addr::Virt(gva), rec);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    /// Flat memory that logs each write: (address, bytes). Virtual addresses map to
    /// `VIRT` + the address, so the two kinds are told apart.
    struct Log {
        mem: Vec<u8>,
        writes: Vec<(Addr, Vec<u8>)>,
    }

    const VIRT: usize = 0x1000;

    impl Log {
        fn new() -> Log {
            Log {
                mem: alloc::vec![0; 0x3000],
                writes: Vec::new(),
            }
        }
        fn u64_at(&self, at: usize) -> u64 {
            u64::from_le_bytes(self.mem[at..at + 8].try_into().unwrap())
        }
        fn flat(at: Addr) -> usize {
            match at {
                Addr::Phys(a) => a as usize,
                Addr::Virt(a) => VIRT.wrapping_add(a as usize),
            }
        }
    }

    impl AreaMem for Log {
        fn read(&self, at: Addr, buf: &mut [u8]) -> Result<(), Errno> {
            let s = Log::flat(at);
            let e = s.checked_add(buf.len()).ok_or(Errno::EFAULT)?;
            buf.copy_from_slice(self.mem.get(s..e).ok_or(Errno::EFAULT)?);
            Ok(())
        }
        fn write(&mut self, at: Addr, bytes: &[u8]) -> Result<(), Errno> {
            let s = Log::flat(at);
            let e = s.checked_add(bytes.len()).ok_or(Errno::EFAULT)?;
            self.mem
                .get_mut(s..e)
                .ok_or(Errno::EFAULT)?
                .copy_from_slice(bytes);
            self.writes.push((at, bytes.to_vec()));
            Ok(())
        }
    }

    fn info() -> VcpuRunstateInfo {
        VcpuRunstateInfo {
            state: 0,
            _pad0: 0,
            state_entry_time: 1234,
            time: [1, 2, 3, 4],
        }
    }

    #[test]
    fn phys_area_rules() {
        assert_eq!(phys_area(UNREGISTER, 48), Ok(None));
        assert_eq!(phys_area(0x1000, 48), Ok(Some(0x1000)));
        assert_eq!(
            phys_area(0x1fd0, 48),
            Ok(Some(0x1fd0)),
            "ends on the page end"
        );
        assert_eq!(phys_area(0x1fd8, 48), Err(Errno::ENXIO), "crosses a page");
        assert_eq!(phys_area(0x1004, 32), Err(Errno::ENXIO), "unaligned");
        assert_eq!(phys_area(u64::MAX - 7, 48), Err(Errno::ENXIO), "wraps");
    }

    #[test]
    fn flagged_runstate_sets_the_flag_first_and_clears_it_last() {
        let mut m = Log::new();
        write_runstate(&mut m, Addr::Phys(0x100), &info(), true).unwrap();
        let w = &m.writes;
        assert_eq!(w.len(), 3);
        assert_eq!(w[0].0, Addr::Phys(0x108));
        assert_eq!(w[0].1, (1234 | XEN_RUNSTATE_UPDATE).to_le_bytes());
        assert_eq!(w[1].0, Addr::Phys(0x100));
        assert_eq!(w[1].1.len(), 48);
        assert_eq!(w[2].0, Addr::Phys(0x108));
        assert_eq!(m.u64_at(0x108), 1234);
        assert_eq!(m.u64_at(0x110), 1, "time[0]");
        // Unflagged: one copy, never the flag.
        let mut m = Log::new();
        write_runstate(&mut m, Addr::Phys(0x100), &info(), false).unwrap();
        assert_eq!(m.writes.len(), 1);
        assert_eq!(m.u64_at(0x108), 1234);
    }

    #[test]
    fn time_record_versions() {
        let mut m = Log::new();
        m.mem[0x200] = 4;
        let rec = crate::time::record(1_000_000_000, 77, 5000, 0);
        write_time(&mut m, Addr::Phys(0x200), &rec).unwrap();
        assert_eq!(m.writes[0].1, 5u32.to_le_bytes(), "odd while writing");
        assert_eq!(m.u64_at(0x210), 5000, "system_time");
        assert_eq!(m.u64_at(0x208), 77, "tsc_timestamp");
        assert_eq!(m.mem[0x200], 6, "even after");
        assert!(write_time(&mut m, Addr::Phys(0x3000), &rec).is_err());
        assert!(write_time(&mut m, Addr::Virt(u64::MAX - 2), &rec).is_err());
        // A version the guest left odd still ends even.
        m.mem[0x200] = 7;
        write_time(&mut m, Addr::Phys(0x200), &rec).unwrap();
        assert_eq!(m.mem[0x200], 8);
    }

    #[test]
    fn phys_runstate_area_wins_and_is_always_flagged() {
        let mut v = VcpuCore::new(1, 0);
        let mut m = Log::new();
        update_runstate(&v, 10, false, &mut m);
        assert!(m.writes.is_empty(), "none registered");
        v.runstate_area = Some(0x40);
        update_runstate(&v, 10, false, &mut m);
        assert_eq!(m.writes.len(), 1);
        update_runstate(&v, 10, true, &mut m);
        assert_eq!(m.writes.len(), 4, "the assist flags the virtual area");
        assert!(m.writes.iter().all(|w| matches!(w.0, Addr::Virt(_))));
        v.runstate_phys_area = Some(0x80);
        m.writes.clear();
        update_runstate(&v, 10, false, &mut m);
        assert_eq!(m.writes.len(), 3, "the physical area replaces it, flagged");
        assert!(m.writes.iter().all(|w| matches!(w.0, Addr::Phys(_))));
        assert_eq!(m.mem[0x80], 3, "offline");
    }

    #[test]
    fn both_time_areas_are_kept() {
        let mut v = VcpuCore::new(0, 0);
        v.time_area = Some(0x40);
        v.time_phys_area = Some(0x80);
        let mut m = Log::new();
        let rec = crate::time::record(1_000_000_000, 1, 9, 0);
        update_time(&v, &rec, &mut m);
        assert_eq!(m.u64_at(0x90), 9);
        assert_eq!(m.u64_at(VIRT + 0x50), 9);
        assert_eq!(m.mem[0x80], 2);
    }
}
