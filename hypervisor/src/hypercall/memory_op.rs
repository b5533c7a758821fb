//! `HYPERVISOR_memory_op` (`public/memory.h`; Xen's `xen/common/memory.c` `do_memory_op`
//! and `xen/arch/x86/mm.c` `arch_memory_op`): the sub-ops a PVH guest needs first.

use ferrite_abi::Errno;
use ferrite_abi::memory::{MEMOP_CMD_MASK, MapSpace, MemoryOp};
use ferrite_abi::xen::DOMID_SELF;

use super::Guest;
use super::reservation::{Kind, reservation};

/// An e820 entry as `XENMEM_memory_map` returns it: packed, 20 bytes.
const E820_ENTRY: usize = 20;

fn read<G: Guest, const N: usize>(g: &G, gva: u64) -> Result<[u8; N], Errno> {
    let mut b = [0u8; N];
    g.copy_from(gva, &mut b)?;
    Ok(b)
}

/// The domain a query names: only `DOMID_SELF` or the caller's own id until more domains
/// exist.
fn own_domain<G: Guest>(g: &G, gva: u64) -> Result<(), Errno> {
    let d = u32::from(u16::from_le_bytes(read::<G, 2>(g, gva)?));
    if d == DOMID_SELF || d == u32::from(g.domid()) {
        Ok(())
    } else {
        Err(Errno::ESRCH)
    }
}

pub fn memory_op<G: Guest>(g: &mut G, a: &[u64; 5]) -> Result<i64, Errno> {
    let cmd = (a[0] as u32) & MEMOP_CMD_MASK;
    let arg = a[1];
    match MemoryOp::try_from(cmd).map_err(|_| Errno::ENOSYS)? {
        MemoryOp::MaximumRamPage => Ok(g.max_ram_page() as i64),
        MemoryOp::CurrentReservation => {
            own_domain(g, arg)?;
            Ok(g.reservation().0 as i64)
        }
        MemoryOp::MaximumReservation => {
            own_domain(g, arg)?;
            Ok(g.reservation().1 as i64)
        }
        MemoryOp::MaximumGpfn => {
            own_domain(g, arg)?;
            Ok(g.reservation().2 as i64)
        }
        MemoryOp::MemoryMap => {
            let hdr = read::<G, 16>(g, arg)?;
            let cap = u32::from_le_bytes([hdr[0], hdr[1], hdr[2], hdr[3]]) as usize;
            let buf = u64::from_le_bytes([
                hdr[8], hdr[9], hdr[10], hdr[11], hdr[12], hdr[13], hdr[14], hdr[15],
            ]);
            let map = g.memory_map();
            if cap < map.len() {
                return Err(Errno::EINVAL);
            }
            let mut out = alloc::vec::Vec::with_capacity(map.len() * E820_ENTRY);
            for (addr, size, kind) in &map {
                out.extend_from_slice(&addr.to_le_bytes());
                out.extend_from_slice(&size.to_le_bytes());
                out.extend_from_slice(&kind.to_le_bytes());
            }
            g.copy_to(buf, &out)?;
            g.copy_to(arg, &(map.len() as u32).to_le_bytes())?;
            Ok(0)
        }
        MemoryOp::AddToPhysmap => {
            let x = read::<G, 24>(g, arg)?;
            let domid = u32::from(u16::from_le_bytes([x[0], x[1]]));
            if domid != DOMID_SELF && domid != u32::from(g.domid()) {
                return Err(Errno::ESRCH);
            }
            let space = u32::from_le_bytes([x[4], x[5], x[6], x[7]]);
            let idx = u64::from_le_bytes([x[8], x[9], x[10], x[11], x[12], x[13], x[14], x[15]]);
            let gpfn = u64::from_le_bytes([x[16], x[17], x[18], x[19], x[20], x[21], x[22], x[23]]);
            match MapSpace::try_from(space).map_err(|_| Errno::EINVAL)? {
                MapSpace::SharedInfo => {
                    if idx != 0 {
                        return Err(Errno::EINVAL);
                    }
                    g.map_shared_info(gpfn)?;
                    Ok(0)
                }
                // Grant tables and moving frames come with the grant-table work.
                _ => Err(Errno::ENOSYS),
            }
        }
        MemoryOp::IncreaseReservation => reservation(g, Kind::Increase, a[0], arg),
        MemoryOp::DecreaseReservation => reservation(g, Kind::Decrease, a[0], arg),
        MemoryOp::PopulatePhysmap => reservation(g, Kind::Populate, a[0], arg),
        _ => Err(Errno::ENOSYS),
    }
}

#[cfg(test)]
mod tests {
    use super::super::fake::*;

    #[test]
    fn queries_and_map() {
        let mut g = FakeGuest::new();
        assert_eq!(call(&mut g, 12, [2, 0, 0, 0, 0]), 0x10_0000);
        g.put(0x100, &0x7ff0u16.to_le_bytes());
        assert_eq!(call(&mut g, 12, [3, 0x100, 0, 0, 0]), 8192);
        assert_eq!(call(&mut g, 12, [4, 0x100, 0, 0, 0]), 8192);
        assert_eq!(call(&mut g, 12, [14, 0x100, 0, 0, 0]), 8191);
        g.put(0x100, &7u16.to_le_bytes());
        assert_eq!(call(&mut g, 12, [3, 0x100, 0, 0, 0]), -3, "other domain");
        // memory_map: capacity 8, buffer at 0x400.
        g.put(0x200, &8u32.to_le_bytes());
        g.put(0x208, &0x400u64.to_le_bytes());
        assert_eq!(call(&mut g, 12, [9, 0x200, 0, 0, 0]), 0);
        assert_eq!(
            u32::from_le_bytes(g.mem[0x200..0x204].try_into().unwrap()),
            2
        );
        assert_eq!(
            u64::from_le_bytes(g.mem[0x400 + 20..0x400 + 28].try_into().unwrap()),
            0x10_0000
        );
        g.put(0x200, &1u32.to_le_bytes());
        assert_eq!(call(&mut g, 12, [9, 0x200, 0, 0, 0]), -22, "too small");
        // add_to_physmap(shared_info, idx 0, gpfn 0x123).
        let mut x = [0u8; 24];
        x[..2].copy_from_slice(&0x7ff0u16.to_le_bytes());
        x[16..24].copy_from_slice(&0x123u64.to_le_bytes());
        g.put(0x300, &x);
        assert_eq!(call(&mut g, 12, [7, 0x300, 0, 0, 0]), 0);
        assert_eq!(g.shared_info_gpfn, Some(0x123));
        x[8] = 1;
        g.put(0x300, &x);
        assert_eq!(call(&mut g, 12, [7, 0x300, 0, 0, 0]), -22, "idx 1");
        x[8] = 0;
        x[4] = 1; // grant table
        g.put(0x300, &x);
        assert_eq!(call(&mut g, 12, [7, 0x300, 0, 0, 0]), -38);
        assert_eq!(call(&mut g, 12, [7, 0xfffff, 0, 0, 0]), -14);
        assert_eq!(call(&mut g, 12, [12345, 0, 0, 0, 0]), -38);
    }
}
