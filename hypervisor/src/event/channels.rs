//! One domain's event-channel ports and their bindings (Xen's `xen/common/event_channel.c`,
//! ABI `public/event_channel.h`; delivery in [`super::bitmaps`], as `event_2l.c`).
//!
//! Errors follow Xen's: `EINVAL` for a bad or closed port and a bad VIRQ, `ENOENT` for a vCPU
//! that does not exist, `EEXIST` for a VIRQ already bound, `EBUSY` for a global VIRQ the domain
//! does not handle, `ENOSPC` when no port is free, `ESRCH` for an unknown domain.
//!
//! Interdomain operations reach the other domain through [`Peers`]; the caller's own domain is
//! never looked up there (loopback binds stay inside one [`Channels`]).

use alloc::vec;
use alloc::vec::Vec;
use ferrite_abi::Errno;
use ferrite_abi::event_channel::EvtchnStat;
use ferrite_abi::xen::{DomId, NR_VIRQS, VIRQ_ARGO, VIRQ_DEBUG, VIRQ_TIMER, VIRQ_XENOPROF};
use ferrite_abi::xen::{VIRQ_XENPMU, Virq};

use super::bitmaps::{self, Bitmaps, NR_PORTS};

/// Ports are allocated in buckets of this many, as Xen's `EVTCHNS_PER_BUCKET`: a port below
/// the allocated length is valid (it may be free), one beyond it is `EINVAL`.
const BUCKET: u32 = 64;

/// What a port is bound to (Xen's `ECS_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PortState {
    /// Not allocated.
    Free,
    /// Port 0: never allocated.
    Reserved,
    /// Allocated; domain `remote` may bind to it.
    Unbound { remote: DomId },
    /// Connected to `remote_port` of `remote_dom` (possibly this domain: loopback).
    Interdomain { remote_dom: DomId, remote_port: u32 },
    /// Bound to VIRQ `virq`.
    Virq { virq: u32 },
    /// An IPI channel.
    Ipi,
}

/// One port: its binding and the vCPU it notifies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Port {
    pub state: PortState,
    pub vcpu: u32,
}

const FREE: Port = Port {
    state: PortState::Free,
    vcpu: 0,
};

/// A vCPU that must be notified: inject the callback vector into it (or IPI its pCPU).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Kick {
    pub dom: DomId,
    pub vcpu: u32,
}

/// `EVTCHNOP_status`'s answer (the `dom` and `port` fields are the caller's).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Status {
    pub status: EvtchnStat,
    pub vcpu: u32,
    /// `u.unbound.dom`, `u.interdomain.{dom,port}` or `u.virq`, by `status`.
    pub u: [u32; 2],
}

/// Whom a VIRQ is for (Xen's `enum virq_type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VirqKind {
    /// Raised per vCPU (timer, debug, ...): each vCPU binds its own.
    Vcpu,
    /// Raised per domain, bound on vCPU 0 (`VIRQ_ARGO`).
    Domain,
    /// System-wide, bound on vCPU 0 by the domain that handles it (the hardware domain).
    Global,
}

/// The kind of VIRQ `virq` (below `NR_VIRQS`); x86's arch VIRQs are global.
pub fn virq_kind(virq: u32) -> VirqKind {
    match virq {
        VIRQ_TIMER | VIRQ_DEBUG | VIRQ_XENOPROF | VIRQ_XENPMU => VirqKind::Vcpu,
        VIRQ_ARGO => VirqKind::Domain,
        _ => VirqKind::Global,
    }
}

/// The other domains, for interdomain bind, send and close.
///
/// Locking (for the real implementation): the caller holds its own domain's event lock; `with`
/// takes the peer's. Two domains binding towards each other at once must not deadlock: take
/// the locks in domid order (Xen's rule) or use try-lock and retry.
pub trait Peers {
    /// Runs `f` on domain `dom`'s channels and bitmaps; `ESRCH` if there is no such domain.
    /// Never asked for the caller's own domain.
    fn with(
        &mut self,
        dom: DomId,
        f: &mut dyn FnMut(&mut Channels, &dyn Bitmaps),
    ) -> Result<(), Errno>;
}

/// No other domain exists.
pub struct NoPeers;

impl Peers for NoPeers {
    fn with(
        &mut self,
        _: DomId,
        _: &mut dyn FnMut(&mut Channels, &dyn Bitmaps),
    ) -> Result<(), Errno> {
        Err(Errno::ESRCH)
    }
}

/// A list of domains with their bitmaps (host tests, fuzzing, and a simple registry).
pub struct PeerList<B>(pub Vec<(Channels, B)>);

impl<B: Bitmaps> Peers for PeerList<B> {
    fn with(
        &mut self,
        dom: DomId,
        f: &mut dyn FnMut(&mut Channels, &dyn Bitmaps),
    ) -> Result<(), Errno> {
        let (c, b) = self
            .0
            .iter_mut()
            .find(|(c, _)| c.domid() == dom)
            .ok_or(Errno::ESRCH)?;
        f(c, b);
        Ok(())
    }
}

/// A domain's event channels (2-level ABI).
///
/// # Invariants
/// `ports.len()` is a multiple of [`BUCKET`] capped at `limit`, at most [`NR_PORTS`];
/// `ports[0]` is `Reserved`; `virqs[v][q] == p != 0` exactly when port `p` is
/// `Virq { virq: q }` and `v` is its notify vCPU (per-vCPU VIRQs) or 0 (the others).
pub struct Channels {
    domid: DomId,
    ports: Vec<Port>,
    limit: u32,
    virqs: Vec<[u32; NR_VIRQS as usize]>,
    global_virqs: bool,
}

impl Channels {
    /// Channels of domain `domid` with `vcpus` vCPUs, up to the 2-level limit of 4096 ports.
    /// The hardware domain (domid 0) handles the global VIRQs.
    pub fn new(domid: DomId, vcpus: u32) -> Channels {
        let mut ports = vec![FREE; BUCKET as usize];
        ports[0].state = PortState::Reserved;
        Channels {
            domid,
            ports,
            limit: NR_PORTS,
            virqs: vec![[0; NR_VIRQS as usize]; vcpus as usize],
            global_virqs: domid == 0,
        }
    }

    /// Caps the ports at `0..=max_port` (the domain's `max_evtchn_port`).
    pub fn with_max_port(mut self, max_port: u32) -> Channels {
        self.limit = max_port.saturating_add(1).clamp(1, NR_PORTS);
        let len = self.ports.len().min(self.limit as usize);
        self.ports.truncate(len);
        self
    }

    /// Whether this domain handles the global VIRQs (Xen's `set_global_virq_handler`).
    pub fn with_global_virqs(mut self, handles: bool) -> Channels {
        self.global_virqs = handles;
        self
    }

    pub fn domid(&self) -> DomId {
        self.domid
    }

    pub fn vcpus(&self) -> u32 {
        self.virqs.len() as u32
    }

    /// Port `port`, if valid (allocated bucket).
    pub fn port(&self, port: u32) -> Option<Port> {
        self.ports.get(port as usize).copied()
    }

    /// The number of valid ports (free ones included).
    pub fn valid_ports(&self) -> u32 {
        self.ports.len() as u32
    }

    /// The port bound to VIRQ `virq` on `vcpu` (0 if none).
    pub fn virq_port(&self, vcpu: u32, virq: u32) -> u32 {
        self.virqs
            .get(vcpu as usize)
            .and_then(|t| t.get(virq as usize))
            .copied()
            .unwrap_or(0)
    }

    fn slot(&mut self, port: u32) -> Result<&mut Port, Errno> {
        self.ports.get_mut(port as usize).ok_or(Errno::EINVAL)
    }

    fn check_vcpu(&self, vcpu: u32) -> Result<(), Errno> {
        if vcpu < self.vcpus() {
            Ok(())
        } else {
            Err(Errno::ENOENT)
        }
    }

    /// The lowest free port, allocating its bucket; `ENOSPC` if none.
    fn alloc(&mut self, state: PortState, vcpu: u32) -> Result<u32, Errno> {
        let port = match self.ports.iter().position(|p| p.state == PortState::Free) {
            Some(p) => p,
            None if (self.ports.len() as u32) < self.limit => {
                let p = self.ports.len();
                let len = (p + BUCKET as usize).min(self.limit as usize);
                self.ports.resize(len, FREE);
                p
            }
            None => return Err(Errno::ENOSPC),
        };
        let slot = self.ports.get_mut(port).ok_or(Errno::ENOSPC)?;
        *slot = Port { state, vcpu };
        Ok(port as u32)
    }

    /// Whether a port is free or can be allocated.
    fn has_free(&self) -> bool {
        (self.ports.len() as u32) < self.limit
            || self.ports.iter().any(|p| p.state == PortState::Free)
    }

    fn kick(&self, vcpu: u32) -> Kick {
        Kick {
            dom: self.domid,
            vcpu,
        }
    }

    /// Marks `port` pending towards its notify vCPU; `Some` when that vCPU must be kicked.
    pub fn set_pending(&self, bits: &dyn Bitmaps, port: u32) -> Option<Kick> {
        let vcpu = self.port(port)?.vcpu;
        bitmaps::set_pending(bits, port, vcpu).then(|| self.kick(vcpu))
    }

    /// `EVTCHNOP_alloc_unbound` in this domain: a port that `remote` may bind.
    pub fn alloc_unbound(&mut self, remote: DomId) -> Result<u32, Errno> {
        self.alloc(PortState::Unbound { remote }, 0)
    }

    /// `EVTCHNOP_bind_interdomain`: binds a new local port to `remote_port` of `remote_dom`
    /// (this domain too: loopback), which must be unbound and offered to this domain. The new
    /// port is then marked pending, since notifications sent while unbound were dropped.
    pub fn bind_interdomain(
        &mut self,
        bits: &dyn Bitmaps,
        peers: &mut dyn Peers,
        remote_dom: DomId,
        remote_port: u32,
    ) -> Result<(u32, Option<Kick>), Errno> {
        let me = self.domid;
        let offered = |p: Option<Port>| match p {
            Some(Port {
                state: PortState::Unbound { remote },
                ..
            }) if remote == me => Ok(()),
            _ => Err(Errno::EINVAL),
        };
        let local = if remote_dom == me {
            if !self.has_free() {
                return Err(Errno::ENOSPC);
            }
            offered(self.port(remote_port))?;
            let local = self.alloc(PortState::Free, 0)?;
            self.slot(remote_port)?.state = PortState::Interdomain {
                remote_dom: me,
                remote_port: local,
            };
            local
        } else {
            let mut result = Err(Errno::ESRCH);
            peers.with(remote_dom, &mut |rc, _| {
                result = (|| {
                    if !self.has_free() {
                        return Err(Errno::ENOSPC);
                    }
                    offered(rc.port(remote_port))?;
                    let local = self.alloc(PortState::Free, 0)?;
                    rc.slot(remote_port)?.state = PortState::Interdomain {
                        remote_dom: me,
                        remote_port: local,
                    };
                    Ok(local)
                })();
            })?;
            result?
        };
        self.slot(local)?.state = PortState::Interdomain {
            remote_dom,
            remote_port,
        };
        Ok((local, self.set_pending(bits, local)))
    }

    /// `EVTCHNOP_bind_virq`: binds VIRQ `virq` on `vcpu` (vCPU 0 for non-per-vCPU VIRQs).
    pub fn bind_virq(&mut self, virq: u32, vcpu: u32) -> Result<u32, Errno> {
        if virq >= NR_VIRQS {
            return Err(Errno::EINVAL);
        }
        let kind = virq_kind(virq);
        if kind != VirqKind::Vcpu && vcpu != 0 {
            return Err(Errno::EINVAL);
        }
        self.check_vcpu(vcpu)?;
        if kind == VirqKind::Global && !self.global_virqs {
            return Err(Errno::EBUSY);
        }
        if self.virq_port(vcpu, virq) != 0 {
            return Err(Errno::EEXIST);
        }
        let port = self.alloc(PortState::Virq { virq }, vcpu)?;
        if let Some(entry) = self
            .virqs
            .get_mut(vcpu as usize)
            .and_then(|t| t.get_mut(virq as usize))
        {
            // INVARIANT: the table names the port just bound.
            *entry = port;
        }
        Ok(port)
    }

    /// `EVTCHNOP_bind_ipi`: a port that notifies `vcpu` when this domain sends on it.
    pub fn bind_ipi(&mut self, vcpu: u32) -> Result<u32, Errno> {
        self.check_vcpu(vcpu)?;
        self.alloc(PortState::Ipi, vcpu)
    }

    /// `EVTCHNOP_bind_vcpu`: moves `port`'s notifications to `vcpu`. Per-vCPU VIRQs, IPIs and
    /// closed ports cannot move (`EINVAL`).
    pub fn bind_vcpu(&mut self, port: u32, vcpu: u32) -> Result<(), Errno> {
        self.check_vcpu(vcpu)?;
        let slot = self.slot(port)?;
        match slot.state {
            PortState::Virq { virq } if virq_kind(virq) == VirqKind::Vcpu => Err(Errno::EINVAL),
            PortState::Virq { .. } | PortState::Unbound { .. } | PortState::Interdomain { .. } => {
                slot.vcpu = vcpu;
                Ok(())
            }
            PortState::Free | PortState::Reserved | PortState::Ipi => Err(Errno::EINVAL),
        }
    }

    /// Frees `port`: clears its pending bit (so a re-bind starts clean) and its vCPU.
    fn free(&mut self, bits: &dyn Bitmaps, port: u32) {
        bits.clear_pending(port);
        if let Some(slot) = self.ports.get_mut(port as usize) {
            *slot = FREE;
        }
    }

    /// `EVTCHNOP_close`. The peer of an interdomain port becomes unbound, offered back to
    /// this domain.
    pub fn close(
        &mut self,
        bits: &dyn Bitmaps,
        peers: &mut dyn Peers,
        port: u32,
    ) -> Result<(), Errno> {
        let slot = *self.slot(port)?;
        match slot.state {
            PortState::Free | PortState::Reserved => return Err(Errno::EINVAL),
            PortState::Unbound { .. } | PortState::Ipi => {}
            PortState::Virq { virq } => {
                let owner = if virq_kind(virq) == VirqKind::Vcpu {
                    slot.vcpu
                } else {
                    0
                };
                if let Some(entry) = self
                    .virqs
                    .get_mut(owner as usize)
                    .and_then(|t| t.get_mut(virq as usize))
                {
                    *entry = 0;
                }
            }
            PortState::Interdomain {
                remote_dom,
                remote_port,
            } => {
                let me = self.domid;
                let unbind = |rc: &mut Channels| {
                    if let Some(p) = rc.ports.get_mut(remote_port as usize) {
                        p.state = PortState::Unbound { remote: me };
                    }
                };
                if remote_dom == me {
                    unbind(self);
                } else {
                    // A vanished peer has already closed its end.
                    let _ = peers.with(remote_dom, &mut |rc, _| unbind(rc));
                }
            }
        }
        self.free(bits, port);
        Ok(())
    }

    /// `EVTCHNOP_send`: notifies the other end of an interdomain port (in the peer domain's
    /// bitmaps) or this domain's vCPU for an IPI; an unbound port drops the event.
    pub fn send(
        &mut self,
        bits: &dyn Bitmaps,
        peers: &mut dyn Peers,
        port: u32,
    ) -> Result<Option<Kick>, Errno> {
        match self.port(port).ok_or(Errno::EINVAL)?.state {
            PortState::Interdomain {
                remote_dom,
                remote_port,
            } if remote_dom == self.domid => Ok(self.set_pending(bits, remote_port)),
            PortState::Interdomain {
                remote_dom,
                remote_port,
            } => {
                let mut kick = None;
                peers.with(remote_dom, &mut |rc, rbits| {
                    kick = rc.set_pending(rbits, remote_port);
                })?;
                Ok(kick)
            }
            PortState::Ipi => Ok(self.set_pending(bits, port)),
            PortState::Unbound { .. } => Ok(None),
            PortState::Free | PortState::Reserved | PortState::Virq { .. } => Err(Errno::EINVAL),
        }
    }

    /// Raises VIRQ `virq` (Ferrite's own sources: timer, console, ...). A per-vCPU VIRQ goes
    /// to `vcpu`'s binding; the others to vCPU 0's binding, wherever its port now notifies.
    /// Unbound VIRQs are dropped.
    pub fn send_virq(&self, bits: &dyn Bitmaps, vcpu: u32, virq: Virq) -> Option<Kick> {
        let virq = virq as u32;
        let owner = if virq_kind(virq) == VirqKind::Vcpu {
            vcpu
        } else {
            0
        };
        match self.virq_port(owner, virq) {
            0 => None,
            port => self.set_pending(bits, port),
        }
    }

    /// `EVTCHNOP_unmask`: clears the mask and delivers the port if it is pending.
    pub fn unmask(&self, bits: &dyn Bitmaps, port: u32) -> Result<Option<Kick>, Errno> {
        let vcpu = self.port(port).ok_or(Errno::EINVAL)?.vcpu;
        Ok(bitmaps::unmask(bits, port, vcpu).then(|| self.kick(vcpu)))
    }

    /// `EVTCHNOP_status`.
    pub fn status(&self, port: u32) -> Result<Status, Errno> {
        let p = self.port(port).ok_or(Errno::EINVAL)?;
        let (status, u) = match p.state {
            PortState::Free | PortState::Reserved => (EvtchnStat::Closed, [0, 0]),
            PortState::Unbound { remote } => (EvtchnStat::Unbound, [remote.into(), 0]),
            PortState::Interdomain {
                remote_dom,
                remote_port,
            } => (EvtchnStat::Interdomain, [remote_dom.into(), remote_port]),
            PortState::Virq { virq } => (EvtchnStat::Virq, [virq, 0]),
            PortState::Ipi => (EvtchnStat::Ipi, [0, 0]),
        };
        Ok(Status {
            status,
            vcpu: p.vcpu,
            u,
        })
    }

    /// `EVTCHNOP_reset` of this domain: closes every port.
    pub fn reset(&mut self, bits: &dyn Bitmaps, peers: &mut dyn Peers) {
        for port in 1..self.valid_ports() {
            // Free ports answer EINVAL: nothing to close.
            let _ = self.close(bits, peers, port);
        }
    }
}
