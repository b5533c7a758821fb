//! `HYPERVISOR_multicall` (`public/xen.h` `multicall_entry`; Xen's `xen/common/multicall.c`):
//! a batch of hypercalls, each result written back into its entry. 64-bit callers use the
//! native 64-byte entries, 32-bit callers the 32-byte compat ones. A multicall inside a
//! multicall fails with `-EINVAL` in its own result, as in Xen.

use ferrite_abi::Errno;
use ferrite_abi::xen::Hypercall;

use super::{Args, Guest, Outcome, dispatch};

pub fn multicall<G: Guest>(g: &mut G, a: &[u64; 5]) -> Result<i64, Errno> {
    let (list, nr) = (a[0], a[1]);
    let long = g.long_mode();
    let (size, word) = if long { (64u64, 8usize) } else { (32, 4) };
    for i in 0..nr {
        let at = i
            .checked_mul(size)
            .and_then(|o| list.checked_add(o))
            .ok_or(Errno::EFAULT)?;
        let mut e = [0u8; 64];
        let e = e.get_mut(..size as usize).ok_or(Errno::EFAULT)?;
        g.copy_from(at, e)?;
        let field = |n: usize| -> u64 {
            let mut v = [0u8; 8];
            if let Some(src) = e.get(n * word..(n + 1) * word) {
                v[..word].copy_from_slice(src);
            }
            u64::from_le_bytes(v)
        };
        // Entry layout: op, result, args[6].
        let call = Args {
            nr: field(0),
            a: [field(2), field(3), field(4), field(5), field(6)],
        };
        let result = if call.nr == u64::from(Hypercall::Multicall.raw()) {
            Errno::EINVAL.to_ret()
        } else {
            let Outcome::Completed(v) = dispatch(g, &call);
            v
        };
        let bytes = result.to_le_bytes();
        g.copy_to(at + word as u64, bytes.get(..word).unwrap_or(&bytes))?;
        // A sub-call that stopped the domain ends the batch.
        if g.core().stop.is_some() {
            break;
        }
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::super::fake::*;

    fn entry(op: u64, args: &[u64]) -> [u8; 64] {
        let mut b = [0u8; 64];
        b[..8].copy_from_slice(&op.to_le_bytes());
        b[8..16].copy_from_slice(&0xdead_u64.to_le_bytes());
        for (i, a) in args.iter().enumerate() {
            b[16 + 8 * i..24 + 8 * i].copy_from_slice(&a.to_le_bytes());
        }
        b
    }

    fn result(g: &FakeGuest, at: usize) -> i64 {
        i64::from_le_bytes(g.mem[at + 8..at + 16].try_into().unwrap())
    }

    #[test]
    fn runs_each_entry_and_writes_results() {
        let mut g = FakeGuest::new();
        g.put(0x1000, &entry(17, &[0, 0])); // xen_version(XENVER_version)
        g.put(0x1040, &entry(999, &[]));
        g.put(0x1080, &entry(13, &[0x1000, 1])); // nested multicall
        g.put(0x10c0, &entry(15, &[0])); // set_timer_op(0)
        assert_eq!(call(&mut g, 13, [0x1000, 4, 0, 0, 0]), 0);
        assert!(result(&g, 0x1000) > 0, "a version");
        assert_eq!(result(&g, 0x1040), -38);
        assert_eq!(result(&g, 0x1080), -22);
        assert_eq!(result(&g, 0x10c0), 0);
        assert_eq!(call(&mut g, 13, [0x1000, 0, 0, 0, 0]), 0, "empty batch");
        assert_eq!(call(&mut g, 13, [0xffc0, 2, 0, 0, 0]), -14);
        assert_eq!(call(&mut g, 13, [u64::MAX - 8, 2, 0, 0, 0]), -14);
    }

    #[test]
    fn compat_entries_for_32_bit_callers() {
        let mut g = FakeGuest::new();
        g.long_mode = false;
        let mut e = [0u8; 32];
        e[..4].copy_from_slice(&15u32.to_le_bytes());
        e[4..8].copy_from_slice(&0xdeadu32.to_le_bytes());
        g.put(0x2000, &e);
        g.put(0x2020, &{
            let mut e = [0u8; 32];
            e[..4].copy_from_slice(&1000u32.to_le_bytes());
            e
        });
        assert_eq!(call(&mut g, 13, [0x2000, 2, 0, 0, 0]), 0);
        assert_eq!(g.mem[0x2004..0x2008], 0u32.to_le_bytes());
        assert_eq!(g.mem[0x2024..0x2028], (-38i32).to_le_bytes());
    }

    #[test]
    fn shutdown_ends_the_batch() {
        let mut g = FakeGuest::new();
        g.put(0x100, &0u32.to_le_bytes());
        g.put(0x1000, &entry(29, &[2, 0x100])); // sched_op(shutdown, poweroff)
        g.put(0x1040, &entry(15, &[1]));
        assert_eq!(call(&mut g, 13, [0x1000, 2, 0, 0, 0]), 0);
        assert_eq!(g.shutdown, Some(0));
        assert_eq!(result(&g, 0x1040), 0xdead, "not run");
    }
}
