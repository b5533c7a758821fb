//! Random event-channel operation sequences over two domains (`ferrite::event`, Xen's
//! `xen/common/event_channel.c` and `event_2l.c`): no panic, every interdomain port's peer
//! points back, free ports are never pending, VIRQ tables match the ports, and a kick always
//! comes with the vCPU's upcall-pending byte set.
#![no_main]

use ferrite::event::{
    Bitmaps, Channels, Kick, MemBitmaps, PeerList, PortState, VirqKind, virq_kind,
};
use ferrite_abi::xen::Virq;
use libfuzzer_sys::fuzz_target;

type Dom = (Channels, MemBitmaps);

/// Runs one 4-byte record `[domain|op, a, b, c]` against domain `d` with the other as peer.
fn apply(doms: &mut Vec<Dom>, rec: &[u8]) -> Option<Kick> {
    let d = usize::from(rec[0] & 1);
    let (a, b8, c8) = (rec[1], rec[2], rec[3]);
    let port = u32::from(a) % 80;
    let vcpu = u32::from(b8) % 5;
    let (mut c, b) = doms.remove(d);
    let mut peers = PeerList(std::mem::take(doms));
    let kick = match rec[0] >> 1 & 15 {
        0 => c.alloc_unbound(u16::from(c8 % 3)).ok().and(None),
        1 => c
            .bind_interdomain(&b, &mut peers, u16::from(c8 % 3), port)
            .ok()
            .and_then(|r| r.1),
        2 => c.bind_virq(u32::from(c8) % 26, vcpu).ok().and(None),
        3 => c.bind_ipi(vcpu).ok().and(None),
        4 => c.bind_vcpu(port, vcpu).ok().and(None),
        5 => c.close(&b, &mut peers, port).ok().and(None),
        6 | 7 => c.send(&b, &mut peers, port).ok().flatten(),
        8 => Virq::ALL
            .get(usize::from(c8) % 32)
            .and_then(|&v| c.send_virq(&b, vcpu, v)),
        9 => c.unmask(&b, port).ok().flatten(),
        10 => {
            b.guest_mask(port);
            None
        }
        11 => {
            b.guest_clear_pending(port);
            None
        }
        12 => {
            b.guest_take_upcall(vcpu);
            None
        }
        13 => {
            c.reset(&b, &mut peers);
            None
        }
        _ => {
            let _ = c.status(u32::from(u16::from_le_bytes([a, c8])));
            None
        }
    };
    *doms = peers.0;
    doms.insert(d, (c, b));
    kick
}

fn check(doms: &[Dom]) {
    for (c, b) in doms {
        let me = c.domid();
        assert_eq!(c.port(0).map(|p| p.state), Some(PortState::Reserved));
        for p in 0..c.valid_ports() {
            let port = c.port(p).expect("valid port");
            assert!(port.vcpu < c.vcpus());
            match port.state {
                PortState::Free => assert!(!b.is_pending(p), "dom{me} free port {p} pending"),
                PortState::Interdomain {
                    remote_dom,
                    remote_port,
                } => {
                    let (rc, _) = doms
                        .iter()
                        .find(|(c, _)| c.domid() == remote_dom)
                        .expect("peer");
                    assert_eq!(
                        rc.port(remote_port).map(|p| p.state),
                        Some(PortState::Interdomain {
                            remote_dom: me,
                            remote_port: p
                        })
                    );
                }
                PortState::Virq { virq } => {
                    let owner = if virq_kind(virq) == VirqKind::Vcpu {
                        port.vcpu
                    } else {
                        0
                    };
                    assert_eq!(c.virq_port(owner, virq), p);
                }
                _ => {}
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let mut doms = vec![
        (Channels::new(0, 3), MemBitmaps::mem(3)),
        (Channels::new(1, 2).with_max_port(40), MemBitmaps::mem(2)),
    ];
    for rec in data.chunks_exact(4) {
        if let Some(k) = apply(&mut doms, rec) {
            let (_, b) = doms
                .iter()
                .find(|(c, _)| c.domid() == k.dom)
                .expect("kicked domain");
            assert_eq!(
                b.vcpu_state(k.vcpu).map(|s| s.0),
                Some(1),
                "kick without upcall"
            );
        }
        check(&doms);
    }
});
