//! Host tests of [`super::Channels`] and the 2-level delivery, bit-exact against the
//! `shared_info`/`vcpu_info` layout (x86_64: pending at 2048, mask at 2560, `vcpu_info[n]` at
//! `64 * n` with upcall_pending at +0, upcall_mask at +1, pending_sel at +8).

use super::*;
use ferrite_abi::Errno;
use ferrite_abi::event_channel::EvtchnStat;
use ferrite_abi::xen::Virq;

const TIMER: u32 = 0;
const CONSOLE: u32 = 2;
const ARGO: u32 = 11;

fn dom(domid: u16, vcpus: u32) -> (Channels, MemBitmaps) {
    (Channels::new(domid, vcpus), MemBitmaps::mem(vcpus))
}

fn kick(dom: u16, vcpu: u32) -> Option<Kick> {
    Some(Kick { dom, vcpu })
}

fn word_at(bytes: &[u8], off: usize) -> u64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(&bytes[off..off + 8]);
    u64::from_le_bytes(b)
}

#[test]
fn layout_matches_x86_64_shared_info() {
    assert_eq!((BITS_PER_WORD, NR_PORTS, LEGACY_VCPUS), (64, 4096, 32));
    assert_eq!(legacy_vcpu_info_offset(3), Some(192));
    assert_eq!(legacy_vcpu_info_offset(32), None);
}

#[test]
fn fresh_domain_reserves_port_zero() {
    let (mut c, b) = dom(1, 2);
    assert_eq!(c.port(0).map(|p| p.state), Some(PortState::Reserved));
    assert_eq!(c.status(0).map(|s| s.status), Ok(EvtchnStat::Closed));
    assert_eq!(c.close(&b, &mut NoPeers, 0), Err(Errno::EINVAL));
    assert_eq!(c.send(&b, &mut NoPeers, 0), Err(Errno::EINVAL));
    assert_eq!(c.bind_vcpu(0, 0), Err(Errno::EINVAL));
    assert_eq!(c.valid_ports(), 64);
    assert_eq!(c.status(63).map(|s| s.status), Ok(EvtchnStat::Closed));
    assert_eq!(
        c.status(64),
        Err(Errno::EINVAL),
        "beyond the allocated bucket"
    );
    assert_eq!(c.unmask(&b, 64), Err(Errno::EINVAL));
    assert_eq!(c.status(u32::MAX), Err(Errno::EINVAL));
}

#[test]
fn alloc_unbound_and_status() {
    let (mut c, b) = dom(1, 2);
    assert_eq!(c.alloc_unbound(0), Ok(1));
    assert_eq!(c.alloc_unbound(7), Ok(2));
    let s = c.status(2).unwrap();
    assert_eq!((s.status, s.vcpu, s.u), (EvtchnStat::Unbound, 0, [7, 0]));
    assert_eq!(
        c.send(&b, &mut NoPeers, 2),
        Ok(None),
        "unbound drops the event"
    );
    assert!(!b.is_pending(2));
    assert_eq!(c.close(&b, &mut NoPeers, 1), Ok(()));
    assert_eq!(
        c.close(&b, &mut NoPeers, 1),
        Err(Errno::EINVAL),
        "closed twice"
    );
    assert_eq!(c.alloc_unbound(0), Ok(1), "lowest free port again");
}

#[test]
fn bind_virq_errors_as_xen() {
    let (mut c, _) = dom(1, 2);
    assert_eq!(c.bind_virq(24, 0), Err(Errno::EINVAL), "NR_VIRQS");
    assert_eq!(c.bind_virq(u32::MAX, 0), Err(Errno::EINVAL));
    assert_eq!(
        c.bind_virq(CONSOLE, 1),
        Err(Errno::EINVAL),
        "global on vCPU 1"
    );
    assert_eq!(
        c.bind_virq(ARGO, 1),
        Err(Errno::EINVAL),
        "per-domain on vCPU 1"
    );
    assert_eq!(c.bind_virq(TIMER, 2), Err(Errno::ENOENT));
    assert_eq!(
        c.bind_virq(CONSOLE, 0),
        Err(Errno::EBUSY),
        "domU: not the handler"
    );
    assert_eq!(c.bind_virq(ARGO, 0), Ok(1));
    assert_eq!(c.bind_virq(TIMER, 0), Ok(2));
    assert_eq!(c.bind_virq(TIMER, 1), Ok(3));
    assert_eq!(c.bind_virq(TIMER, 1), Err(Errno::EEXIST));
    let s = c.status(3).unwrap();
    assert_eq!((s.status, s.vcpu, s.u), (EvtchnStat::Virq, 1, [TIMER, 0]));
    assert_eq!(c.virq_port(1, TIMER), 3);

    let (mut d0, _) = dom(0, 2);
    assert_eq!(d0.bind_virq(CONSOLE, 0), Ok(1), "dom0 handles global VIRQs");
    assert_eq!(d0.bind_virq(CONSOLE, 0), Err(Errno::EEXIST));
    let mut other = Channels::new(3, 1).with_global_virqs(true);
    assert_eq!(
        other.bind_virq(15, 0),
        Ok(1),
        "unnamed VIRQs below NR_VIRQS are global"
    );
}

#[test]
fn virq_rebinding_after_close() {
    let (mut c, b) = dom(1, 2);
    let p = c.bind_virq(TIMER, 1).unwrap();
    assert_eq!(
        c.send(&b, &mut NoPeers, p),
        Err(Errno::EINVAL),
        "VIRQ ports are not sent on"
    );
    assert_eq!(c.close(&b, &mut NoPeers, p), Ok(()));
    assert_eq!(c.virq_port(1, TIMER), 0);
    assert_eq!(
        c.send_virq(&b, 1, Virq::Timer),
        None,
        "unbound VIRQ dropped"
    );
    assert_eq!(c.alloc_unbound(0), Ok(p));
    let q = c.bind_virq(TIMER, 1).unwrap();
    assert_eq!(q, p + 1);
    assert_eq!(c.send_virq(&b, 1, Virq::Timer), kick(1, 1));
    assert!(b.is_pending(q) && !b.is_pending(p));
}

#[test]
fn global_virq_follows_bind_vcpu() {
    let (mut c, b) = dom(0, 2);
    let p = c.bind_virq(CONSOLE, 0).unwrap();
    assert_eq!(c.bind_vcpu(p, 1), Ok(()));
    assert_eq!(c.send_virq(&b, 0, Virq::Console), kick(0, 1));
    assert_eq!(c.status(p).unwrap().vcpu, 1);
    // Closing finds the binding in vCPU 0's table.
    assert_eq!(c.close(&b, &mut NoPeers, p), Ok(()));
    assert_eq!(c.bind_virq(CONSOLE, 0), Ok(p));
}

#[test]
fn bind_ipi_and_bind_vcpu() {
    let (mut c, b) = dom(1, 3);
    assert_eq!(c.bind_ipi(3), Err(Errno::ENOENT));
    let ipi = c.bind_ipi(2).unwrap();
    let s = c.status(ipi).unwrap();
    assert_eq!((s.status, s.vcpu), (EvtchnStat::Ipi, 2));
    assert_eq!(c.send(&b, &mut NoPeers, ipi), Ok(kick(1, 2)));
    assert_eq!(c.bind_vcpu(ipi, 0), Err(Errno::EINVAL), "IPIs stay");
    let timer = c.bind_virq(TIMER, 0).unwrap();
    assert_eq!(
        c.bind_vcpu(timer, 1),
        Err(Errno::EINVAL),
        "per-vCPU VIRQs stay"
    );
    let u = c.alloc_unbound(1).unwrap();
    assert_eq!(c.bind_vcpu(u, 9), Err(Errno::ENOENT));
    assert_eq!(
        c.bind_vcpu(1000, 9),
        Err(Errno::ENOENT),
        "vCPU checked first"
    );
    assert_eq!(c.bind_vcpu(1000, 1), Err(Errno::EINVAL));
    assert_eq!(c.bind_vcpu(50, 1), Err(Errno::EINVAL), "free port");
    assert_eq!(c.bind_vcpu(u, 1), Ok(()));
    assert_eq!(c.status(u).unwrap().vcpu, 1);
    // Closing resets the vCPU.
    c.close(&b, &mut NoPeers, u).unwrap();
    assert_eq!(c.port(u).map(|p| p.vcpu), Some(0));
}

#[test]
fn two_level_delivery_is_bit_exact() {
    let mut c = Channels::new(1, 2);
    let b = MemBitmaps::mem(2);
    for _ in 0..69 {
        c.alloc_unbound(1).unwrap();
    }
    let p = c.bind_ipi(1).unwrap();
    assert_eq!(p, 70, "word 1, bit 6");
    assert_eq!(c.send(&b, &mut NoPeers, p), Ok(kick(1, 1)));
    let s = b.0.shared.snapshot();
    assert_eq!(word_at(&s, 2048 + 8), 1 << 6, "evtchn_pending[1]");
    assert_eq!(word_at(&s, 2560 + 8), 0, "mask untouched");
    assert_eq!(
        (s[64], s[65], word_at(&s, 64 + 8)),
        (1, 0, 1 << 1),
        "vcpu_info[1]"
    );
    assert_eq!((s[0], word_at(&s, 8)), (0, 0), "vcpu_info[0] untouched");
    let touched: usize = s.iter().filter(|&&x| x != 0).count();
    assert_eq!(touched, 3, "nothing else written");

    // Already pending: nothing new, no second kick.
    assert_eq!(c.send(&b, &mut NoPeers, p), Ok(None));
    // Pending cleared but the selector still set: no kick either.
    b.guest_clear_pending(p);
    assert_eq!(c.send(&b, &mut NoPeers, p), Ok(None));
    // The guest's handler takes the upcall and the event: the next send kicks again.
    assert_eq!(b.guest_take_upcall(1), (1, 2));
    b.guest_clear_pending(p);
    assert_eq!(c.send(&b, &mut NoPeers, p), Ok(kick(1, 1)));
    // Selector clear but upcall already pending: selector set, no kick.
    b.guest_take_upcall(1);
    b.guest_clear_pending(p);
    b.test_and_set_upcall_pending(1);
    assert_eq!(c.send(&b, &mut NoPeers, p), Ok(None));
    assert_eq!(b.vcpu_state(1), Some((1, 0, 2)));
}

#[test]
fn upcall_mask_does_not_stop_the_kick() {
    // evtchn_upcall_mask is PV-only; PVH takes the vector when it is injected.
    let (mut c, b) = dom(1, 1);
    let p = c.bind_ipi(0).unwrap();
    b.guest_mask_upcall(0, true);
    assert!(b.upcall_masked(0));
    assert_eq!(c.send(&b, &mut NoPeers, p), Ok(kick(1, 0)));
    assert_eq!(b.vcpu_state(0), Some((1, 1, 1)));
}

#[test]
fn masked_port_waits_for_unmask() {
    let (mut c, b) = dom(1, 2);
    let p = c.bind_ipi(1).unwrap();
    b.guest_mask(p);
    assert!(b.is_masked(p));
    assert_eq!(c.send(&b, &mut NoPeers, p), Ok(None));
    assert!(b.is_pending(p));
    assert_eq!(b.vcpu_state(1), Some((0, 0, 0)), "no selector, no upcall");
    assert_eq!(c.unmask(&b, p), Ok(kick(1, 1)), "unmask redelivers");
    assert_eq!(b.vcpu_state(1), Some((1, 0, 1)));
    assert_eq!(c.unmask(&b, p), Ok(None), "not masked any more");
    // Masked but not pending: unmask only clears the mask.
    let q = c.bind_ipi(0).unwrap();
    b.guest_mask(q);
    assert_eq!(c.unmask(&b, q), Ok(None));
    assert!(!b.is_masked(q) && !b.is_pending(q));
    // Unmask works on any valid port, free ones too (as Xen).
    assert_eq!(c.unmask(&b, 40), Ok(None));
}

#[test]
fn relocated_vcpu_info_gets_the_bits() {
    let (mut c, mut b) = dom(1, 2);
    b.0.relocate(1);
    b.0.relocate(99);
    let p = c.bind_ipi(1).unwrap();
    assert_eq!(c.send(&b, &mut NoPeers, p), Ok(kick(1, 1)));
    let r = b.0.registered.snapshot();
    assert_eq!((r[64], word_at(&r, 72)), (1, 1));
    let s = b.0.shared.snapshot();
    assert_eq!((s[64], word_at(&s, 72)), (0, 0), "legacy slot untouched");
    assert_eq!(word_at(&s, 2048), 1 << p);
}

#[test]
fn resync_after_register_vcpu_info() {
    let (mut c, mut b) = dom(1, 2);
    let p = c.bind_ipi(1).unwrap();
    b.guest_mask(p);
    c.send(&b, &mut NoPeers, p).unwrap();
    b.0.relocate(1);
    assert_eq!(b.vcpu_state(1), Some((0, 0, 0)), "fresh area");
    assert!(resync_vcpu(&b, 1));
    assert_eq!(b.vcpu_state(1), Some((1, 0, u64::MAX)));
    assert!(
        !resync_vcpu(&b, 1),
        "upcall already pending: no second kick"
    );
    assert!(!resync_vcpu(&b, 7), "no such vCPU");
}

#[test]
fn vcpu_without_vcpu_info_is_never_kicked() {
    let mut c = Channels::new(1, 40);
    let b = MemBitmaps::mem(40);
    let p = c.bind_ipi(35).unwrap();
    assert_eq!(c.send(&b, &mut NoPeers, p), Ok(None));
    assert!(b.is_pending(p), "stays pending for when it registers one");
    assert!(!b.upcall_masked(35));
}

#[test]
fn loopback_pair() {
    let (mut c, b) = dom(1, 2);
    let a = c.alloc_unbound(1).unwrap();
    c.bind_vcpu(a, 1).unwrap();
    assert_eq!(
        c.bind_interdomain(&b, &mut NoPeers, 1, a),
        Ok((2, kick(1, 0)))
    );
    assert!(b.is_pending(2), "bind marks the new port pending");
    let s = c.status(a).unwrap();
    assert_eq!(
        (s.status, s.vcpu, s.u),
        (EvtchnStat::Interdomain, 1, [1, 2])
    );
    assert_eq!(c.status(2).unwrap().u, [1, a]);
    assert_eq!(c.send(&b, &mut NoPeers, 2), Ok(kick(1, 1)), "to a's vCPU");
    assert!(b.is_pending(a));
    assert_eq!(c.send(&b, &mut NoPeers, a), Ok(None), "2 already pending");
    assert_eq!(c.close(&b, &mut NoPeers, a), Ok(()));
    assert!(!b.is_pending(a), "close clears pending");
    assert_eq!(
        c.port(2).map(|p| p.state),
        Some(PortState::Unbound { remote: 1 })
    );
    assert_eq!(c.send(&b, &mut NoPeers, 2), Ok(None));
    assert_eq!(c.close(&b, &mut NoPeers, 2), Ok(()));
    assert_eq!(c.status(2).unwrap().status, EvtchnStat::Closed);
}

#[test]
fn bind_interdomain_errors() {
    let (mut c, b) = dom(1, 1);
    let other = c.alloc_unbound(5).unwrap();
    assert_eq!(
        c.bind_interdomain(&b, &mut NoPeers, 1, other),
        Err(Errno::EINVAL),
        "offered to 5"
    );
    let ipi = c.bind_ipi(0).unwrap();
    assert_eq!(
        c.bind_interdomain(&b, &mut NoPeers, 1, ipi),
        Err(Errno::EINVAL)
    );
    assert_eq!(
        c.bind_interdomain(&b, &mut NoPeers, 1, 0),
        Err(Errno::EINVAL)
    );
    assert_eq!(
        c.bind_interdomain(&b, &mut NoPeers, 1, 9999),
        Err(Errno::EINVAL)
    );
    assert_eq!(
        c.bind_interdomain(&b, &mut NoPeers, 2, 1),
        Err(Errno::ESRCH)
    );
    assert_eq!(
        c.port(3).map(|p| p.state),
        Some(PortState::Free),
        "nothing leaked"
    );
    assert!(b.pending_ports().is_empty());
}

#[test]
fn two_domains() {
    let (mut d0, b0) = dom(0, 2);
    let mut peers = PeerList(vec![dom(1, 1)]);
    let offer = peers.0[0].0.alloc_unbound(0).unwrap();
    assert_eq!(
        d0.bind_interdomain(&b0, &mut peers, 1, offer),
        Ok((1, kick(0, 0)))
    );
    let (d1, b1) = &peers.0[0];
    assert_eq!(
        d1.port(offer).map(|p| p.state),
        Some(PortState::Interdomain {
            remote_dom: 0,
            remote_port: 1
        })
    );
    assert!(!b1.is_pending(offer));
    assert_eq!(
        d0.send(&b0, &mut peers, 1),
        Ok(kick(1, 0)),
        "the peer's vCPU"
    );
    assert!(peers.0[0].1.is_pending(offer));
    assert_eq!(
        b0.pending_ports(),
        vec![1],
        "only the bind's own notification here"
    );

    // And back, with dom0 as the peer.
    let (mut d1, b1) = peers.0.remove(0);
    let mut back = PeerList(vec![(d0, b0)]);
    b1.guest_clear_pending(offer);
    back.0[0].1.guest_clear_pending(1);
    back.0[0].1.guest_take_upcall(0);
    assert_eq!(d1.send(&b1, &mut back, offer), Ok(kick(0, 0)));
    assert_eq!(d1.close(&b1, &mut back, offer), Ok(()));
    assert_eq!(
        back.0[0].0.port(1).map(|p| p.state),
        Some(PortState::Unbound { remote: 1 })
    );
    // A port offered to another domain cannot be bound from the wrong one.
    let (mut d0, b0) = back.0.remove(0);
    let mut peers = PeerList(vec![(d1, b1)]);
    let to2 = peers.0[0].0.alloc_unbound(2).unwrap();
    assert_eq!(
        d0.bind_interdomain(&b0, &mut peers, 1, to2),
        Err(Errno::EINVAL)
    );
}

#[test]
fn port_exhaustion() {
    let mut c = Channels::new(1, 1).with_max_port(3);
    let b = MemBitmaps::mem(1);
    assert_eq!(c.valid_ports(), 4);
    assert_eq!(
        (c.alloc_unbound(1), c.bind_ipi(0), c.bind_virq(TIMER, 0)),
        (Ok(1), Ok(2), Ok(3))
    );
    assert_eq!(c.alloc_unbound(1), Err(Errno::ENOSPC));
    assert_eq!(c.bind_ipi(0), Err(Errno::ENOSPC));
    assert_eq!(
        c.bind_interdomain(&b, &mut NoPeers, 1, 1),
        Err(Errno::ENOSPC)
    );
    assert_eq!(
        c.port(1).map(|p| p.state),
        Some(PortState::Unbound { remote: 1 })
    );

    let mut full = Channels::new(1, 1);
    for want in 1..4096 {
        assert_eq!(full.alloc_unbound(1), Ok(want));
    }
    assert_eq!(full.valid_ports(), 4096);
    assert_eq!(full.alloc_unbound(1), Err(Errno::ENOSPC));
    assert_eq!(full.bind_virq(TIMER, 0), Err(Errno::ENOSPC));
    assert_eq!(full.virq_port(0, TIMER), 0);
    assert_eq!(
        Channels::new(1, 1).with_max_port(u32::MAX).valid_ports(),
        64
    );
    assert_eq!(
        Channels::new(1, 1).with_max_port(0).alloc_unbound(1),
        Err(Errno::ENOSPC)
    );
}

#[test]
fn reset_closes_everything() {
    let (mut d0, b0) = dom(0, 2);
    let mut peers = PeerList(vec![dom(1, 1)]);
    let offer = peers.0[0].0.alloc_unbound(0).unwrap();
    let local = d0.bind_interdomain(&b0, &mut peers, 1, offer).unwrap().0;
    d0.bind_virq(TIMER, 1).unwrap();
    d0.bind_ipi(0).unwrap();
    let loop_a = d0.alloc_unbound(0).unwrap();
    d0.bind_interdomain(&b0, &mut peers, 0, loop_a).unwrap();
    d0.reset(&b0, &mut peers);
    for p in 1..d0.valid_ports() {
        assert_eq!(
            d0.port(p).map(|p| p.state),
            Some(PortState::Free),
            "port {p}"
        );
    }
    assert_eq!(d0.virq_port(1, TIMER), 0);
    assert!(b0.pending_ports().is_empty());
    assert_eq!(
        peers.0[0].0.port(offer).map(|p| p.state),
        Some(PortState::Unbound { remote: 0 })
    );
    assert_eq!(local, 1);
}
