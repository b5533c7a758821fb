//! `HYPERVISOR_vm_assist` (`public/xen.h` `VMASST_*`; Xen's `do_vm_assist` in
//! `xen/common/domain.c`): a domain turns optional hypervisor behaviours on and off. An HVM
//! domain may only choose `VMASST_TYPE_runstate_update_flag` (Xen's `HVM_VM_ASSIST_MASK`).

use ferrite_abi::Errno;
use ferrite_abi::xen::{VmAssistCmd, VmAssistType};

use super::Guest;

/// The assists an HVM domain may enable.
const HVM_VALID: u64 = 1 << VmAssistType::RunstateUpdateFlag.raw();

pub fn vm_assist<G: Guest>(g: &mut G, a: &[u64; 5]) -> Result<i64, Errno> {
    // Both arguments are `unsigned int`: the upper halves of the registers are ignored.
    let (cmd, ty) = (a[0] as u32, a[1] as u32);
    let bit = 1u64.checked_shl(ty).filter(|b| b & HVM_VALID != 0);
    let Some(bit) = bit else {
        return Err(Errno::EINVAL);
    };
    let core = g.core();
    match VmAssistCmd::try_from(cmd) {
        Ok(VmAssistCmd::Enable) => core.vm_assist |= bit,
        Ok(VmAssistCmd::Disable) => core.vm_assist &= !bit,
        Err(_) => return Err(Errno::ENOSYS),
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::super::fake::*;

    const VM_ASSIST: u64 = 21;

    #[test]
    fn only_the_runstate_update_flag() {
        let mut g = FakeGuest::new();
        assert!(!g.core.runstate_update_flag());
        assert_eq!(call(&mut g, VM_ASSIST, [0, 5, 0, 0, 0]), 0);
        assert!(g.core.runstate_update_flag());
        assert_eq!(call(&mut g, VM_ASSIST, [1, 5, 0, 0, 0]), 0);
        assert!(!g.core.runstate_update_flag());
        // Upper register halves are ignored.
        assert_eq!(
            call(&mut g, VM_ASSIST, [1 << 32, (1 << 32) | 5, 0, 0, 0]),
            0
        );
        assert!(g.core.runstate_update_flag());
        for ty in [0, 2, 3, 4, 32, 64, 1 << 20] {
            assert_eq!(call(&mut g, VM_ASSIST, [0, ty, 0, 0, 0]), -22, "type {ty}");
        }
        assert_eq!(
            call(&mut g, VM_ASSIST, [2, 5, 0, 0, 0]),
            -38,
            "unknown command"
        );
    }
}
