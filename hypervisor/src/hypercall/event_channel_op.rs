//! `HYPERVISOR_event_channel_op` (`public/event_channel.h`; Xen's `do_event_channel_op` in
//! `xen/common/event_channel.c`): copy the sub-op's struct in, act on [`crate::event`], copy
//! the answer back, then kick the vCPUs a delivery raised. FIFO sub-ops and PIRQs answer
//! `-ENOSYS` until they land; the PV-only compat hypercall (16) is not offered to PVH.

use ferrite_abi::Errno;
use ferrite_abi::event_channel::{
    EvtchnAllocUnbound, EvtchnBindInterdomain, EvtchnBindIpi, EvtchnBindVcpu, EvtchnBindVirq,
    EvtchnClose, EvtchnOp, EvtchnReset, EvtchnSend, EvtchnStatus, EvtchnUnmask,
};
use ferrite_abi::xen::{DOMID_SELF, DomId};

use super::{Guest, read_struct, write_struct};
use crate::event::{Channels, Events, Kick, Status};

/// `DOMID_SELF` means the caller.
fn resolve(dom: DomId, me: DomId) -> DomId {
    if u32::from(dom) == DOMID_SELF {
        me
    } else {
        dom
    }
}

/// Runs `f` on domain `dom`'s channels: the caller's own, or (privileged callers only;
/// `ESRCH` first for a domain that does not exist, `EPERM` after, as Xen's XSM check)
/// another's.
fn on_domain<R>(
    ev: &mut Events<'_>,
    dom: DomId,
    privileged: bool,
    mut f: impl FnMut(&mut Channels) -> Result<R, Errno>,
) -> Result<R, Errno> {
    let me = ev.channels.domid();
    if resolve(dom, me) == me {
        return f(ev.channels);
    }
    let mut out = Err(Errno::ESRCH);
    ev.peers.with(dom, &mut |c, _| {
        out = if privileged { f(c) } else { Err(Errno::EPERM) };
    })?;
    out
}

fn kick<G: Guest>(g: &mut G, k: Option<Kick>) {
    if let Some(k) = k {
        g.kick(k);
    }
}

pub fn event_channel_op<G: Guest>(g: &mut G, a: &[u64; 5]) -> Result<i64, Errno> {
    let cmd = u32::try_from(a[0]).map_err(|_| Errno::ENOSYS)?;
    let op = EvtchnOp::try_from(cmd).map_err(|_| Errno::ENOSYS)?;
    let arg = a[1];
    let privileged = g.privileged();
    match op {
        EvtchnOp::BindPirq
        | EvtchnOp::InitControl
        | EvtchnOp::ExpandArray
        | EvtchnOp::SetPriority => Err(Errno::ENOSYS),
        EvtchnOp::AllocUnbound => {
            let mut s: EvtchnAllocUnbound = read_struct(g, arg)?;
            let mut ev = g.events().ok_or(Errno::ENOSYS)?;
            let remote = resolve(s.remote_dom, ev.channels.domid());
            s.port = on_domain(&mut ev, s.dom, privileged, |c| c.alloc_unbound(remote))?;
            write_struct(g, arg, &s).map(|()| 0)
        }
        EvtchnOp::BindInterdomain => {
            let mut s: EvtchnBindInterdomain = read_struct(g, arg)?;
            let ev = g.events().ok_or(Errno::ENOSYS)?;
            let remote = resolve(s.remote_dom, ev.channels.domid());
            let (port, k) =
                ev.channels
                    .bind_interdomain(ev.bits, ev.peers, remote, s.remote_port)?;
            s.local_port = port;
            kick(g, k);
            write_struct(g, arg, &s).map(|()| 0)
        }
        EvtchnOp::BindVirq => {
            let mut s: EvtchnBindVirq = read_struct(g, arg)?;
            let ev = g.events().ok_or(Errno::ENOSYS)?;
            s.port = ev.channels.bind_virq(s.virq, s.vcpu)?;
            write_struct(g, arg, &s).map(|()| 0)
        }
        EvtchnOp::BindIpi => {
            let mut s: EvtchnBindIpi = read_struct(g, arg)?;
            let ev = g.events().ok_or(Errno::ENOSYS)?;
            s.port = ev.channels.bind_ipi(s.vcpu)?;
            write_struct(g, arg, &s).map(|()| 0)
        }
        EvtchnOp::BindVcpu => {
            let s: EvtchnBindVcpu = read_struct(g, arg)?;
            let ev = g.events().ok_or(Errno::ENOSYS)?;
            ev.channels.bind_vcpu(s.port, s.vcpu)?;
            Ok(0)
        }
        EvtchnOp::Close => {
            let s: EvtchnClose = read_struct(g, arg)?;
            let ev = g.events().ok_or(Errno::ENOSYS)?;
            ev.channels.close(ev.bits, ev.peers, s.port)?;
            Ok(0)
        }
        EvtchnOp::Send => {
            let s: EvtchnSend = read_struct(g, arg)?;
            let ev = g.events().ok_or(Errno::ENOSYS)?;
            let k = ev.channels.send(ev.bits, ev.peers, s.port)?;
            kick(g, k);
            Ok(0)
        }
        EvtchnOp::Unmask => {
            let s: EvtchnUnmask = read_struct(g, arg)?;
            let ev = g.events().ok_or(Errno::ENOSYS)?;
            let k = ev.channels.unmask(ev.bits, s.port)?;
            kick(g, k);
            Ok(0)
        }
        EvtchnOp::Status => {
            let mut s: EvtchnStatus = read_struct(g, arg)?;
            let mut ev = g.events().ok_or(Errno::ENOSYS)?;
            let port = s.port;
            let st: Status = on_domain(&mut ev, s.dom, privileged, |c| c.status(port))?;
            s.status = st.status as u32;
            s.vcpu = st.vcpu;
            s.u = st.u;
            write_struct(g, arg, &s).map(|()| 0)
        }
        EvtchnOp::Reset => {
            let s: EvtchnReset = read_struct(g, arg)?;
            let mut ev = g.events().ok_or(Errno::ENOSYS)?;
            if resolve(s.dom, ev.channels.domid()) == ev.channels.domid() {
                ev.channels.reset(ev.bits, ev.peers);
                return Ok(0);
            }
            // Another domain must be paused by its controller first, which nothing does yet.
            on_domain(&mut ev, s.dom, privileged, |_| Err::<(), _>(Errno::EINVAL))?;
            Ok(0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fake::*;
    use crate::event::{Bitmaps, Kick, PortState};
    use zerocopy::IntoBytes;

    const EVTCHN: u64 = 32;
    const ARG: u64 = 0x400;

    fn op(g: &mut FakeGuest, cmd: u64, arg: &[u32]) -> i64 {
        g.put(ARG as usize, arg.as_bytes());
        call(g, EVTCHN, [cmd, ARG, 0, 0, 0])
    }

    fn out(g: &FakeGuest, word: usize) -> u32 {
        let at = ARG as usize + 4 * word;
        u32::from_le_bytes(g.mem[at..at + 4].try_into().unwrap())
    }

    /// `dom | remote_dom << 16` for the two-`domid_t` structs.
    fn doms(a: u32, b: u32) -> u32 {
        a | b << 16
    }

    const SELF: u32 = 0x7ff0;

    #[test]
    fn alloc_unbound_bind_interdomain_send_close() {
        let mut g = FakeGuest::new();
        assert_eq!(op(&mut g, 6, &[doms(SELF, SELF), 0]), 0);
        assert_eq!(out(&g, 1), 1, "port written back");
        assert_eq!(op(&mut g, 0, &[SELF, 1, 0]), 0, "loopback bind");
        assert_eq!(out(&g, 2), 2);
        assert_eq!(
            g.kicks,
            vec![Kick { dom: 0, vcpu: 0 }],
            "bind notifies the new port"
        );
        g.bits.guest_take_upcall(0);
        assert_eq!(op(&mut g, 4, &[2]), 0, "send");
        assert!(g.bits.is_pending(1));
        assert_eq!(g.kicks.len(), 2);
        assert_eq!(op(&mut g, 5, &[SELF, 1, 0, 0, 0, 0]), 0, "status");
        assert_eq!(
            (out(&g, 2), out(&g, 3), out(&g, 4), out(&g, 5)),
            (2, 0, 0, 2)
        );
        assert_eq!(op(&mut g, 3, &[1]), 0, "close");
        assert_eq!(op(&mut g, 5, &[SELF, 2, 0, 0, 0, 0]), 0);
        assert_eq!(
            (out(&g, 2), out(&g, 4)),
            (1, 0),
            "peer unbound, offered to dom0"
        );
        assert_eq!(op(&mut g, 3, &[1]), -22, "closed port");
    }

    #[test]
    fn virq_ipi_vcpu_unmask() {
        let mut g = FakeGuest::new();
        assert_eq!(op(&mut g, 1, &[0, 1, 0]), 0, "VIRQ_TIMER on vCPU 1");
        assert_eq!(out(&g, 2), 1);
        assert_eq!(op(&mut g, 1, &[0, 1, 0]), -17, "EEXIST");
        assert_eq!(op(&mut g, 1, &[0, 7, 0]), -2, "ENOENT");
        assert_eq!(op(&mut g, 1, &[24, 0, 0]), -22, "bad VIRQ");
        assert_eq!(op(&mut g, 7, &[1, 0]), 0, "bind_ipi");
        let ipi = out(&g, 1);
        assert_eq!(op(&mut g, 7, &[9, 0]), -2);
        assert_eq!(op(&mut g, 8, &[ipi, 0]), -22, "IPIs do not move");
        g.bits.guest_mask(ipi);
        assert_eq!(op(&mut g, 4, &[ipi]), 0);
        assert!(g.kicks.is_empty(), "masked");
        assert_eq!(op(&mut g, 9, &[ipi]), 0, "unmask");
        assert_eq!(g.kicks, vec![Kick { dom: 0, vcpu: 1 }]);
        assert_eq!(op(&mut g, 9, &[5000]), -22);
    }

    #[test]
    fn other_domains() {
        let mut g = FakeGuest::new();
        // dom0 allocates in dom1 a port for itself, then binds it.
        assert_eq!(op(&mut g, 6, &[doms(1, SELF), 0]), 0);
        let theirs = out(&g, 1);
        assert_eq!(
            g.peers.0[0].0.port(theirs).map(|p| p.state),
            Some(PortState::Unbound { remote: 0 })
        );
        assert_eq!(op(&mut g, 6, &[doms(9, 0), 0]), -3, "no dom9");
        assert_eq!(op(&mut g, 0, &[1, theirs, 0]), 0);
        let mine = out(&g, 2);
        assert_eq!(op(&mut g, 4, &[mine]), 0);
        assert!(g.kicks.contains(&Kick { dom: 1, vcpu: 0 }));
        assert_eq!(
            op(&mut g, 5, &[1, theirs, 0, 0, 0, 0]),
            0,
            "status of dom1's port"
        );
        assert_eq!((out(&g, 2), out(&g, 4), out(&g, 5)), (2, 0, mine));
        assert_eq!(op(&mut g, 5, &[9, 1, 0, 0, 0, 0]), -3);
        assert_eq!(op(&mut g, 10, &[1]), -22, "dom1 is not paused");
        assert_eq!(op(&mut g, 10, &[9]), -3);
        g.privileged = false;
        assert_eq!(op(&mut g, 6, &[doms(1, 0), 0]), -1, "EPERM");
        assert_eq!(op(&mut g, 5, &[1, theirs, 0, 0, 0, 0]), -1);
        assert_eq!(op(&mut g, 10, &[1]), -1);
        assert_eq!(op(&mut g, 10, &[SELF]), 0, "reset self");
        assert_eq!(
            g.peers.0[0].0.port(theirs).map(|p| p.state),
            Some(PortState::Unbound { remote: 0 })
        );
    }

    #[test]
    fn bad_addresses_and_unknown_commands() {
        let mut g = FakeGuest::new();
        for cmd in [0, 1, 3, 4, 5, 6, 7, 8, 9, 10] {
            assert_eq!(
                call(&mut g, EVTCHN, [cmd, 0xffff_fff0, 0, 0, 0]),
                -14,
                "cmd {cmd}"
            );
        }
        // A struct straddling the end of guest memory.
        let end = g.mem.len() as u64 - 4;
        assert_eq!(call(&mut g, EVTCHN, [6, end, 0, 0, 0]), -14);
        for cmd in [2, 11, 12, 13, 14, 99, 1 << 32] {
            assert_eq!(call(&mut g, EVTCHN, [cmd, ARG, 0, 0, 0]), -38, "cmd {cmd}");
        }
        g.wired = false;
        assert_eq!(op(&mut g, 4, &[1]), -38, "events not wired yet");
        assert_eq!(
            call(&mut g, 16, [0, ARG, 0, 0, 0]),
            -38,
            "compat is PV-only"
        );
    }
}
