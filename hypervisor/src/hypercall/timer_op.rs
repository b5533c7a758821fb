//! `HYPERVISOR_set_timer_op` (`public/xen.h`; Xen's `do_set_timer_op` in
//! `xen/common/sched/core.c`): the calling vCPU's single-shot timer, in absolute system
//! time; 0 stops it, a time already past raises `VIRQ_TIMER` at once.

use ferrite_abi::Errno;
use ferrite_abi::xen::VIRQ_TIMER;

use super::Guest;

pub fn set_timer_op<G: Guest>(g: &mut G, a: &[u64; 5]) -> Result<i64, Errno> {
    let timeout = a[0];
    let id = g.vcpu_id();
    let now = g.now_ns();
    let timers = &mut g.core().vcpu_mut(id)?.timers;
    if timeout == 0 {
        timers.stop_singleshot();
    } else if timeout <= now || timeout >> 63 != 0 {
        // Past, or so far out it reads as negative in Xen's signed time: fire now.
        timers.stop_singleshot();
        g.send_virq(id, VIRQ_TIMER);
    } else {
        timers.set_singleshot(timeout);
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::super::fake::*;

    #[test]
    fn arms_stops_and_fires() {
        let mut g = FakeGuest::new();
        let t = g.now + 1000;
        assert_eq!(call(&mut g, 15, [t, 0, 0, 0, 0]), 0);
        assert_eq!(g.core.vcpus[0].timers.next_deadline(), Some(t));
        assert_eq!(call(&mut g, 15, [0, 0, 0, 0, 0]), 0);
        assert_eq!(g.core.vcpus[0].timers.next_deadline(), None);
        assert_eq!(call(&mut g, 15, [1, 0, 0, 0, 0]), 0);
        assert_eq!(call(&mut g, 15, [u64::MAX, 0, 0, 0, 0]), 0);
        assert_eq!(g.virqs, [(0, 0), (0, 0)]);
        assert_eq!(g.core.vcpus[0].timers.next_deadline(), None);
    }
}
