//! `HYPERVISOR_hvm_op` (`public/hvm/hvm_op.h`; Xen's `xen/arch/x86/hvm/hvm.c` `do_hvm_op`):
//! parameters, the per-vCPU upcall vector, time, and the paging hints a PVH guest sends.

use ferrite_abi::Errno;
use ferrite_abi::hvm::hvm_op::{
    HvmOp, XenHvmEvtchnUpcallVector, XenHvmGetMemType, XenHvmGetTime, XenHvmPagetableDying,
    XenHvmParam,
};
use ferrite_abi::xen::DOMID_SELF;

use super::{Guest, read_struct, write_struct};
use crate::domain::params::Caller;

/// `HVMMEM_ram_rw` and `HVMMEM_mmio_dm` (`public/hvm/hvm_op.h`).
const HVMMEM_RAM_RW: u16 = 0;
const HVMMEM_MMIO_DM: u16 = 1;

/// Who `domid` names, from the caller's side: itself, or a domain that does not exist
/// (only one domain runs until domain creation lands).
fn target<G: Guest>(g: &G, domid: u16) -> Result<Caller, Errno> {
    if u32::from(domid) == DOMID_SELF || domid == g.domid() {
        Ok(Caller::SelfDomain)
    } else {
        Err(Errno::ESRCH)
    }
}

pub fn hvm_op<G: Guest>(g: &mut G, a: &[u64; 5]) -> Result<i64, Errno> {
    let op = u32::try_from(a[0]).map_err(|_| Errno::ENOSYS)?;
    let arg = a[1];
    match HvmOp::try_from(op).map_err(|_| Errno::ENOSYS)? {
        HvmOp::SetParam => {
            let p: XenHvmParam = read_struct(g, arg)?;
            let caller = target(g, p.domid)?;
            g.core().params.set(caller, p.index, p.value)?;
            // A new callback may have events waiting for it.
            let n = g.core().vcpus.len() as u32;
            for v in 0..n {
                g.wake_vcpu(v);
            }
            Ok(0)
        }
        HvmOp::GetParam => {
            let mut p: XenHvmParam = read_struct(g, arg)?;
            let caller = target(g, p.domid)?;
            p.value = g.core().params.get(caller, p.index)?;
            write_struct(g, arg, &p)?;
            Ok(0)
        }
        HvmOp::SetEvtchnUpcallVector => {
            let u: XenHvmEvtchnUpcallVector = read_struct(g, arg)?;
            if u.vector < 0x10 {
                return Err(Errno::EINVAL);
            }
            g.core().vcpu_mut(u.vcpu)?.upcall_vector = Some(u.vector);
            g.wake_vcpu(u.vcpu);
            Ok(0)
        }
        HvmOp::GetTime => {
            let t = XenHvmGetTime { now: g.now_ns() };
            write_struct(g, arg, &t)?;
            Ok(0)
        }
        HvmOp::PagetableDying => {
            let p: XenHvmPagetableDying = read_struct(g, arg)?;
            if target(g, p.domid)? != Caller::SelfDomain {
                return Err(Errno::EOPNOTSUPP);
            }
            // Only shadow paging uses the hint; with nested paging Xen answers -EINVAL.
            Err(Errno::EINVAL)
        }
        HvmOp::FlushTlbs => {
            if arg != 0 {
                return Err(Errno::EINVAL);
            }
            // Nested paging tags guest translations by ASID, and every guest-physical
            // mapping change already flushes them.
            Ok(0)
        }
        HvmOp::GetMemType => {
            let mut m: XenHvmGetMemType = read_struct(g, arg)?;
            target(g, m.domid)?;
            let (_, _, max_gpfn) = g.reservation();
            m.mem_type = if m.pfn <= max_gpfn {
                HVMMEM_RAM_RW
            } else {
                HVMMEM_MMIO_DM
            };
            write_struct(g, arg, &m)?;
            Ok(0)
        }
        HvmOp::Xentrace
        | HvmOp::SetMemAccess
        | HvmOp::GetMemAccess
        | HvmOp::GuestRequestVmEvent
        | HvmOp::Altp2m => Err(Errno::ENOSYS),
    }
}

#[cfg(test)]
mod tests {
    use super::super::fake::*;

    const HVM_OP: u64 = 34;

    fn param(domid: u16, index: u32, value: u64) -> [u8; 16] {
        let mut b = [0u8; 16];
        b[..2].copy_from_slice(&domid.to_le_bytes());
        b[4..8].copy_from_slice(&index.to_le_bytes());
        b[8..].copy_from_slice(&value.to_le_bytes());
        b
    }

    #[test]
    fn params() {
        let mut g = FakeGuest::new();
        g.put(0x100, &param(0x7ff0, 0, (2 << 56) | 0xf3));
        assert_eq!(call(&mut g, HVM_OP, [0, 0x100, 0, 0, 0]), 0);
        assert_eq!(
            g.core.params.callback(),
            crate::domain::Callback::Vector(0xf3)
        );
        g.put(0x100, &param(0, 0, 0));
        assert_eq!(call(&mut g, HVM_OP, [1, 0x100, 0, 0, 0]), 0);
        assert_eq!(g.mem[0x108..0x110], ((2u64 << 56) | 0xf3).to_le_bytes());
        g.put(0x100, &param(5, 0, 0));
        assert_eq!(call(&mut g, HVM_OP, [1, 0x100, 0, 0, 0]), -3, "ESRCH");
        g.put(0x100, &param(0x7ff0, 1, 0x99));
        assert_eq!(call(&mut g, HVM_OP, [0, 0x100, 0, 0, 0]), -1, "EPERM");
        g.put(0x100, &param(0x7ff0, 39, 0));
        assert_eq!(call(&mut g, HVM_OP, [1, 0x100, 0, 0, 0]), -22);
        assert_eq!(call(&mut g, HVM_OP, [1, 0xffff_fff8, 0, 0, 0]), -14);
    }

    #[test]
    fn upcall_vector_time_and_hints() {
        let mut g = FakeGuest::new();
        g.put(0x100, &[1, 0, 0, 0, 0xf2, 0, 0, 0]);
        assert_eq!(call(&mut g, HVM_OP, [23, 0x100, 0, 0, 0]), 0);
        assert_eq!(g.core.vcpus[1].upcall_vector, Some(0xf2));
        g.put(0x100, &[1, 0, 0, 0, 0x0f, 0, 0, 0]);
        assert_eq!(call(&mut g, HVM_OP, [23, 0x100, 0, 0, 0]), -22);
        g.put(0x100, &[9, 0, 0, 0, 0xf2, 0, 0, 0]);
        assert_eq!(call(&mut g, HVM_OP, [23, 0x100, 0, 0, 0]), -2);
        assert_eq!(call(&mut g, HVM_OP, [10, 0x200, 0, 0, 0]), 0);
        assert_eq!(g.mem[0x200..0x208], g.now.to_le_bytes());
        g.put(
            0x300,
            &[0xf0, 0x7f, 0, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0, 0, 0, 0],
        );
        assert_eq!(call(&mut g, HVM_OP, [9, 0x300, 0, 0, 0]), -22);
        assert_eq!(call(&mut g, HVM_OP, [5, 0, 0, 0, 0]), 0);
        assert_eq!(call(&mut g, HVM_OP, [5, 8, 0, 0, 0]), -22);
        assert_eq!(call(&mut g, HVM_OP, [2, 0, 0, 0, 0]), -38, "moved to dm_op");
        assert_eq!(call(&mut g, HVM_OP, [25, 0, 0, 0, 0]), -38);
    }
}
