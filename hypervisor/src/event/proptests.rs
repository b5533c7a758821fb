//! Random operation sequences over two domains: no panic, every interdomain port's peer
//! points back, the VIRQ tables match the ports, free ports are never pending, and pending
//! bits appear only through sends, VIRQs and interdomain binds.

use super::*;
use alloc::vec::Vec;
use ferrite_abi::xen::Virq;
use proptest::prelude::*;

#[derive(Clone, Debug)]
pub enum Op {
    AllocUnbound { remote: u16 },
    BindInterdomain { remote: u16, port: u32 },
    BindVirq { virq: u32, vcpu: u32 },
    BindIpi { vcpu: u32 },
    BindVcpu { port: u32, vcpu: u32 },
    Close { port: u32 },
    Send { port: u32 },
    SendVirq { vcpu: u32, virq: usize },
    Unmask { port: u32 },
    GuestMask { port: u32 },
    GuestClearPending { port: u32 },
    GuestTakeUpcall { vcpu: u32 },
    Reset,
    Status { port: u32 },
}

fn op() -> impl Strategy<Value = Op> {
    let port = 0u32..72;
    let vcpu = 0u32..4;
    prop_oneof![
        (0u16..3).prop_map(|remote| Op::AllocUnbound { remote }),
        (0u16..3, port.clone()).prop_map(|(remote, port)| Op::BindInterdomain { remote, port }),
        (0u32..26, vcpu.clone()).prop_map(|(virq, vcpu)| Op::BindVirq { virq, vcpu }),
        vcpu.clone().prop_map(|vcpu| Op::BindIpi { vcpu }),
        (port.clone(), vcpu.clone()).prop_map(|(port, vcpu)| Op::BindVcpu { port, vcpu }),
        port.clone().prop_map(|port| Op::Close { port }),
        port.clone().prop_map(|port| Op::Send { port }),
        port.clone().prop_map(|port| Op::Send { port }),
        (vcpu.clone(), 0usize..32).prop_map(|(vcpu, virq)| Op::SendVirq { vcpu, virq }),
        port.clone().prop_map(|port| Op::Unmask { port }),
        port.clone().prop_map(|port| Op::GuestMask { port }),
        port.clone().prop_map(|port| Op::GuestClearPending { port }),
        vcpu.prop_map(|vcpu| Op::GuestTakeUpcall { vcpu }),
        Just(Op::Reset),
        port.prop_map(|port| Op::Status { port }),
    ]
}

type Dom = (Channels, MemBitmaps);

/// Runs `f` on domain `d` with the others as its peers.
fn with_dom<R>(
    doms: &mut Vec<Dom>,
    d: usize,
    f: impl FnOnce(&mut Channels, &MemBitmaps, &mut PeerList<MemBitmaps>) -> R,
) -> R {
    let (mut c, b) = doms.remove(d);
    let mut peers = PeerList(core::mem::take(doms));
    let r = f(&mut c, &b, &mut peers);
    *doms = peers.0;
    doms.insert(d, (c, b));
    r
}

/// Applies one op to domain `d`; returns the kick it asked for, if any.
pub fn apply(doms: &mut Vec<Dom>, d: usize, op: &Op) -> Option<Kick> {
    with_dom(doms, d, |c, b, peers| match *op {
        Op::AllocUnbound { remote } => c.alloc_unbound(remote).map(|_| None).unwrap_or(None),
        Op::BindInterdomain { remote, port } => c
            .bind_interdomain(b, peers, remote, port)
            .map(|(_, k)| k)
            .unwrap_or(None),
        Op::BindVirq { virq, vcpu } => c.bind_virq(virq, vcpu).map(|_| None).unwrap_or(None),
        Op::BindIpi { vcpu } => c.bind_ipi(vcpu).map(|_| None).unwrap_or(None),
        Op::BindVcpu { port, vcpu } => c.bind_vcpu(port, vcpu).map(|_| None).unwrap_or(None),
        Op::Close { port } => c.close(b, peers, port).map(|_| None).unwrap_or(None),
        Op::Send { port } => c.send(b, peers, port).unwrap_or(None),
        Op::SendVirq { vcpu, virq } => Virq::ALL.get(virq).and_then(|&v| c.send_virq(b, vcpu, v)),
        Op::Unmask { port } => c.unmask(b, port).unwrap_or(None),
        Op::GuestMask { port } => {
            b.guest_mask(port);
            None
        }
        Op::GuestClearPending { port } => {
            b.guest_clear_pending(port);
            None
        }
        Op::GuestTakeUpcall { vcpu } => {
            b.guest_take_upcall(vcpu);
            None
        }
        Op::Reset => {
            c.reset(b, peers);
            None
        }
        Op::Status { port } => {
            let _ = c.status(port);
            None
        }
    })
}

/// Two domains: dom0 (3 vCPUs, handles global VIRQs) and dom1 (2 vCPUs, ports 0..=40).
pub fn domains() -> Vec<Dom> {
    vec![
        (Channels::new(0, 3), MemBitmaps::mem(3)),
        (Channels::new(1, 2).with_max_port(40), MemBitmaps::mem(2)),
    ]
}

fn pending(b: &MemBitmaps) -> Vec<u32> {
    (0..128).filter(|&p| b.is_pending(p)).collect()
}

/// Checks the invariants; `Err` names the first broken one.
pub fn check(doms: &[Dom]) -> Result<(), alloc::string::String> {
    use alloc::format;
    for (c, b) in doms {
        let me = c.domid();
        if c.port(0).map(|p| p.state) != Some(PortState::Reserved) {
            return Err(format!("dom{me}: port 0 not reserved"));
        }
        for p in 0..c.valid_ports() {
            let Some(port) = c.port(p) else {
                return Err(format!("dom{me}: port {p} below valid_ports missing"));
            };
            if port.vcpu >= c.vcpus() {
                return Err(format!("dom{me}: port {p} notifies vCPU {}", port.vcpu));
            }
            match port.state {
                PortState::Free if b.is_pending(p) => {
                    return Err(format!("dom{me}: free port {p} pending"));
                }
                PortState::Interdomain {
                    remote_dom,
                    remote_port,
                } => {
                    let peer = doms.iter().find(|(c, _)| c.domid() == remote_dom);
                    let back = peer
                        .and_then(|(rc, _)| rc.port(remote_port))
                        .map(|p| p.state);
                    let want = PortState::Interdomain {
                        remote_dom: me,
                        remote_port: p,
                    };
                    if back != Some(want) {
                        return Err(format!("dom{me}: port {p}'s peer is {back:?}"));
                    }
                }
                PortState::Virq { virq } => {
                    let owner = if virq_kind(virq) == VirqKind::Vcpu {
                        port.vcpu
                    } else {
                        0
                    };
                    if c.virq_port(owner, virq) != p {
                        return Err(format!("dom{me}: VIRQ {virq} port {p} not in the table"));
                    }
                }
                _ => {}
            }
        }
        for v in 0..c.vcpus() {
            for q in 0..24 {
                let p = c.virq_port(v, q);
                if p != 0 && c.port(p).map(|p| p.state) != Some(PortState::Virq { virq: q }) {
                    return Err(format!(
                        "dom{me}: table VIRQ {q} vCPU {v} -> stale port {p}"
                    ));
                }
            }
        }
    }
    Ok(())
}

proptest! {
    #[test]
    fn random_op_sequences(ops in proptest::collection::vec((0usize..2, op()), 1..120)) {
        let mut doms = domains();
        for (d, op) in &ops {
            let before: Vec<Vec<u32>> = doms.iter().map(|(_, b)| pending(b)).collect();
            let kick = apply(&mut doms, *d, op);
            prop_assert_eq!(check(&doms), Ok(()), "after {:?} on dom{}", op, d);
            let mut new = 0;
            for ((_, b), old) in doms.iter().zip(&before) {
                new += pending(b).iter().filter(|p| !old.contains(p)).count();
            }
            let may_raise = matches!(op, Op::Send { .. } | Op::SendVirq { .. } | Op::BindInterdomain { .. });
            prop_assert!(new <= usize::from(may_raise), "{:?} raised {} ports", op, new);
            if let Some(k) = kick {
                let (_, b) = doms.iter().find(|(c, _)| c.domid() == k.dom).unwrap();
                prop_assert_eq!(b.vcpu_state(k.vcpu).map(|s| s.0), Some(1), "kick without upcall");
            }
        }
    }
}
