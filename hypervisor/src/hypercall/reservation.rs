//! `XENMEM_increase_reservation`, `XENMEM_decrease_reservation` and `XENMEM_populate_physmap`
//! (`public/memory.h` `xen_memory_reservation`; Xen's `xen/common/memory.c`): a translated
//! guest gives frames back (ballooning out) and asks for frames at guest frame numbers it
//! names. Each returns how many extents it completed; it stops at the first it cannot do, as
//! Xen does, and the caller retries from there. The `cmd`'s high bits carry the extent to
//! start at (Xen's continuation encoding).

use ferrite_abi::Errno;
use ferrite_abi::memory::{MEMOP_EXTENT_SHIFT, XenMemoryReservation};
use ferrite_abi::xen::DOMID_SELF;

use super::{Guest, read_struct};

/// The largest extent a hardware domain may ask for (Xen's `hwdom_max_order` on x86).
const MAX_ORDER: u32 = 12;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Increase,
    Decrease,
    Populate,
}

pub fn reservation<G: Guest>(g: &mut G, kind: Kind, cmd: u64, arg: u64) -> Result<i64, Errno> {
    let start = cmd >> MEMOP_EXTENT_SHIFT;
    let r: XenMemoryReservation = read_struct(g, arg)?;
    let domid = u32::from(r.domid);
    if domid != DOMID_SELF && domid != u32::from(g.domid()) {
        return Err(Errno::ESRCH);
    }
    if r.extent_order > MAX_ORDER {
        return Err(Errno::EPERM);
    }
    if start > r.nr_extents {
        return Err(Errno::EINVAL);
    }
    let pages = 1u64 << r.extent_order;
    let mut done = start;
    while done < r.nr_extents {
        let ok = match kind {
            // A translated guest's extents are guest frames to give back or to fill.
            Kind::Decrease | Kind::Populate => {
                let at = r.extent_start.elem(done).ok_or(Errno::EFAULT)?.addr();
                let mut b = [0u8; 8];
                if g.copy_from(at, &mut b).is_err() {
                    break;
                }
                let gfn = u64::from_le_bytes(b);
                let Some(last) = gfn.checked_add(pages - 1) else {
                    break;
                };
                if last >> 40 != 0 {
                    break;
                }
                (gfn..=last).all(|f| {
                    if kind == Kind::Decrease {
                        g.remove_page(f).is_ok()
                    } else {
                        g.populate_page(f).is_ok()
                    }
                })
            }
            // Frames with no guest address are of no use to a translated guest: Xen gives it
            // nothing back either (`paging_mode_translate` skips the copy-out). Count the
            // pages against its reservation like Xen, which Ferrite does not: refuse.
            Kind::Increase => false,
        };
        if !ok {
            break;
        }
        done += 1;
    }
    i64::try_from(done).map_err(|_| Errno::EINVAL)
}

#[cfg(test)]
mod tests {
    use super::super::fake::*;

    fn res(list: u64, n: u64, order: u32, domid: u16) -> [u8; 32] {
        let mut b = [0u8; 32];
        b[..8].copy_from_slice(&list.to_le_bytes());
        b[8..16].copy_from_slice(&n.to_le_bytes());
        b[16..20].copy_from_slice(&order.to_le_bytes());
        b[24..26].copy_from_slice(&domid.to_le_bytes());
        b
    }

    #[test]
    fn decrease_then_populate() {
        let mut g = FakeGuest::new();
        g.put(
            0x200,
            &[0x20u64.to_le_bytes(), 0x21u64.to_le_bytes()].concat(),
        );
        g.put(0x100, &res(0x200, 2, 0, 0x7ff0));
        assert_eq!(call(&mut g, 12, [1, 0x100, 0, 0, 0]), 2, "decrease");
        assert!(g.absent.contains(&0x20) && g.absent.contains(&0x21));
        // Giving back a frame that is gone stops there.
        assert_eq!(call(&mut g, 12, [1, 0x100, 0, 0, 0]), 0);
        assert_eq!(call(&mut g, 12, [6, 0x100, 0, 0, 0]), 2, "populate");
        assert!(g.absent.is_empty());
        // Continuation: start at extent 1.
        assert_eq!(call(&mut g, 12, [1 | (1 << 6), 0x100, 0, 0, 0]), 2);
        assert!(!g.absent.contains(&0x20) && g.absent.contains(&0x21));
        assert_eq!(
            call(&mut g, 12, [6 | (3 << 6), 0x100, 0, 0, 0]),
            -22,
            "start > n"
        );
    }

    #[test]
    fn bad_input() {
        let mut g = FakeGuest::new();
        g.put(0x200, &0x20u64.to_le_bytes());
        g.put(0x100, &res(0x200, 1, 13, 0x7ff0));
        assert_eq!(call(&mut g, 12, [6, 0x100, 0, 0, 0]), -1, "order 13");
        g.put(0x100, &res(0x200, 1, 0, 4));
        assert_eq!(call(&mut g, 12, [6, 0x100, 0, 0, 0]), -3, "another domain");
        assert_eq!(call(&mut g, 12, [6, 0xffff_fff0, 0, 0, 0]), -14);
        // A list entry that cannot be read ends the batch after what was done.
        g.put(0x100, &res(0xfff8, 3, 0, 0x7ff0));
        g.put(0xfff8, &0x30u64.to_le_bytes());
        assert_eq!(call(&mut g, 12, [1, 0x100, 0, 0, 0]), 1);
        // Frames beyond the guest's memory cannot be populated in the fake.
        g.put(0x200, &(1u64 << 39).to_le_bytes());
        g.put(0x100, &res(0x200, 1, 0, 0x7ff0));
        assert_eq!(call(&mut g, 12, [6, 0x100, 0, 0, 0]), 0);
        g.put(0x200, &u64::MAX.to_le_bytes());
        g.put(0x100, &res(0x200, 1, 2, 0x7ff0));
        assert_eq!(call(&mut g, 12, [6, 0x100, 0, 0, 0]), 0, "no overflow");
        g.put(0x100, &res(0x200, 1, 0, 0x7ff0));
        assert_eq!(
            call(&mut g, 12, [0, 0x100, 0, 0, 0]),
            0,
            "increase: nothing"
        );
    }
}
