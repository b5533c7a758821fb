//! `xen/include/public/event_channel.h` (Xen 4.20): `HYPERVISOR_event_channel_op` sub-ops, the
//! 2-level and FIFO ABIs' constants, and the FIFO control block.

use crate::xen::DomId;

/// `evtchn_port_t`.
pub type EvtchnPort = u32;
/// `event_word_t`: one FIFO event word.
pub type EventWord = u32;

xen_abi! {
    header "event_channel.h";
    structs {
        /// `struct evtchn_alloc_unbound` (`EVTCHNOP_alloc_unbound`).
        "struct evtchn_alloc_unbound" size 8 align 4;
        pub struct EvtchnAllocUnbound {
            /// The domain to allocate in (`DOMID_SELF` or, privileged, another).
            0 dom: DomId,
            /// The domain allowed to bind the other end.
            2 remote_dom: DomId,
            /// Out: the new port.
            4 port: EvtchnPort,
        }

        /// `struct evtchn_bind_interdomain` (`EVTCHNOP_bind_interdomain`).
        "struct evtchn_bind_interdomain" size 12 align 4;
        pub struct EvtchnBindInterdomain {
            /// The remote domain.
            0 remote_dom: DomId,
            /// Padding.
            2 _pad0: u16,
            /// Its unbound port.
            4 remote_port: EvtchnPort,
            /// Out: the local port.
            8 local_port: EvtchnPort,
        }

        /// `struct evtchn_bind_virq` (`EVTCHNOP_bind_virq`).
        "struct evtchn_bind_virq" size 12 align 4;
        pub struct EvtchnBindVirq {
            /// `VIRQ_*`.
            0 virq: u32,
            /// The vCPU to deliver to.
            4 vcpu: u32,
            /// Out: the port.
            8 port: EvtchnPort,
        }

        /// `struct evtchn_bind_pirq` (`EVTCHNOP_bind_pirq`).
        "struct evtchn_bind_pirq" size 12 align 4;
        pub struct EvtchnBindPirq {
            /// The PIRQ.
            0 pirq: u32,
            /// `BIND_PIRQ__WILL_SHARE`.
            4 flags: u32,
            /// Out: the port.
            8 port: EvtchnPort,
        }

        /// `struct evtchn_bind_ipi` (`EVTCHNOP_bind_ipi`).
        "struct evtchn_bind_ipi" size 8 align 4;
        pub struct EvtchnBindIpi {
            /// The vCPU to deliver to.
            0 vcpu: u32,
            /// Out: the port.
            4 port: EvtchnPort,
        }

        /// `struct evtchn_close` (`EVTCHNOP_close`).
        "struct evtchn_close" size 4 align 4;
        pub struct EvtchnClose {
            /// The port.
            0 port: EvtchnPort,
        }

        /// `struct evtchn_send` (`EVTCHNOP_send`).
        "struct evtchn_send" size 4 align 4;
        pub struct EvtchnSend {
            /// The port.
            0 port: EvtchnPort,
        }

        /// `struct evtchn_status` (`EVTCHNOP_status`).
        "struct evtchn_status" size 24 align 4;
        pub struct EvtchnStatus {
            /// The domain.
            0 dom: DomId,
            /// Padding.
            2 _pad0: u16,
            /// The port.
            4 port: EvtchnPort,
            /// Out: `EVTCHNSTAT_*`.
            8 status: u32,
            /// Out: the vCPU it is bound to.
            12 vcpu: u32,
            /// Out: `u.unbound.dom` / `u.interdomain.{dom,port}` / `u.pirq` / `u.virq`, by status.
            16 u: [u32; 2],
        }

        /// `struct evtchn_bind_vcpu` (`EVTCHNOP_bind_vcpu`).
        "struct evtchn_bind_vcpu" size 8 align 4;
        pub struct EvtchnBindVcpu {
            /// The port.
            0 port: EvtchnPort,
            /// The new vCPU.
            4 vcpu: u32,
        }

        /// `struct evtchn_unmask` (`EVTCHNOP_unmask`).
        "struct evtchn_unmask" size 4 align 4;
        pub struct EvtchnUnmask {
            /// The port.
            0 port: EvtchnPort,
        }

        /// `struct evtchn_reset` (`EVTCHNOP_reset`).
        "struct evtchn_reset" size 2 align 2;
        pub struct EvtchnReset {
            /// The domain.
            0 dom: DomId,
        }

        /// `struct evtchn_init_control` (`EVTCHNOP_init_control`): switch to the FIFO ABI.
        "struct evtchn_init_control" size 24 align 8;
        pub struct EvtchnInitControl {
            /// The control block's frame.
            0 control_gfn: u64,
            /// Its offset in the frame.
            8 offset: u32,
            /// The vCPU.
            12 vcpu: u32,
            /// Out: `EVTCHN_FIFO_LINK_BITS`.
            16 link_bits: u8,
            /// Padding.
            17 _pad: [u8; 7],
        }

        /// `struct evtchn_expand_array` (`EVTCHNOP_expand_array`).
        "struct evtchn_expand_array" size 8 align 8;
        pub struct EvtchnExpandArray {
            /// The next event-array page.
            0 array_gfn: u64,
        }

        /// `struct evtchn_set_priority` (`EVTCHNOP_set_priority`).
        "struct evtchn_set_priority" size 8 align 4;
        pub struct EvtchnSetPriority {
            /// The port.
            0 port: EvtchnPort,
            /// `EVTCHN_FIFO_PRIORITY_*` range.
            4 priority: u32,
        }

        /// `struct evtchn_op` (the compat `HYPERVISOR_event_channel_op_compat` argument).
        "struct evtchn_op" size 28 align 4;
        pub struct EvtchnOpCompat {
            /// `EVTCHNOP_*`.
            0 cmd: u32,
            /// The sub-op's struct, by `cmd`.
            4 u: [u32; 6],
        }

        /// `struct evtchn_fifo_control_block`: one per vCPU under the FIFO ABI.
        "struct evtchn_fifo_control_block" size 72 align 4;
        pub struct EvtchnFifoControlBlock {
            /// Bit per priority with a non-empty queue.
            0 ready: u32,
            /// Reserved.
            4 _rsvd: u32,
            /// Head port of each priority queue.
            8 head: [EvtchnPort; 16],
        }
    }
    enums {
        /// A `HYPERVISOR_event_channel_op` command (`EVTCHNOP_*`).
        pub enum EvtchnOp: u32 {
            /// Bind to another domain's unbound port.
            BindInterdomain = EVTCHNOP_bind_interdomain = 0,
            /// Bind a VIRQ.
            BindVirq = EVTCHNOP_bind_virq = 1,
            /// Bind a physical IRQ.
            BindPirq = EVTCHNOP_bind_pirq = 2,
            /// Close a port.
            Close = EVTCHNOP_close = 3,
            /// Notify the other end.
            Send = EVTCHNOP_send = 4,
            /// Query a port.
            Status = EVTCHNOP_status = 5,
            /// Allocate an unbound port.
            AllocUnbound = EVTCHNOP_alloc_unbound = 6,
            /// Bind an IPI.
            BindIpi = EVTCHNOP_bind_ipi = 7,
            /// Move a port to a vCPU.
            BindVcpu = EVTCHNOP_bind_vcpu = 8,
            /// Unmask a port.
            Unmask = EVTCHNOP_unmask = 9,
            /// Close every port of a domain.
            Reset = EVTCHNOP_reset = 10,
            /// Switch to FIFO: register a control block.
            InitControl = EVTCHNOP_init_control = 11,
            /// FIFO: add an event-array page.
            ExpandArray = EVTCHNOP_expand_array = 12,
            /// FIFO: set a port's priority.
            SetPriority = EVTCHNOP_set_priority = 13,
        }

        /// A port status (`EVTCHNSTAT_*`).
        pub enum EvtchnStat: u32 {
            /// Closed.
            Closed = EVTCHNSTAT_closed = 0,
            /// Allocated, not bound.
            Unbound = EVTCHNSTAT_unbound = 1,
            /// Bound to another domain.
            Interdomain = EVTCHNSTAT_interdomain = 2,
            /// Bound to a PIRQ.
            Pirq = EVTCHNSTAT_pirq = 3,
            /// Bound to a VIRQ.
            Virq = EVTCHNSTAT_virq = 4,
            /// Bound to an IPI.
            Ipi = EVTCHNSTAT_ipi = 5,
        }
    }
    consts {
        /// `evtchn_bind_pirq.flags`: the IRQ may be shared.
        pub const BIND_PIRQ__WILL_SHARE: u32 = 1;
        /// Continuation of `EVTCHNOP_reset` (Xen-internal: a preempted reset re-enters with it).
        pub const EVTCHNOP_reset_cont: u32 = 14 => since "__XEN__ only";
        /// Ports of the 2-level ABI on a 64-bit guest.
        pub const EVTCHN_2L_NR_CHANNELS: u64 = 4096;
        /// FIFO: highest priority.
        pub const EVTCHN_FIFO_PRIORITY_MAX: u32 = 0;
        /// FIFO: default priority.
        pub const EVTCHN_FIFO_PRIORITY_DEFAULT: u32 = 7;
        /// FIFO: lowest priority.
        pub const EVTCHN_FIFO_PRIORITY_MIN: u32 = 15;
        /// FIFO: number of queues.
        pub const EVTCHN_FIFO_MAX_QUEUES: u32 = 16;
        /// Event-word bit: pending.
        pub const EVTCHN_FIFO_PENDING: u32 = 31;
        /// Event-word bit: masked.
        pub const EVTCHN_FIFO_MASKED: u32 = 30;
        /// Event-word bit: linked into a queue.
        pub const EVTCHN_FIFO_LINKED: u32 = 29;
        /// Event-word bit: busy (being unlinked).
        pub const EVTCHN_FIFO_BUSY: u32 = 28;
        /// Bits of the link field.
        pub const EVTCHN_FIFO_LINK_BITS: u32 = 17;
        /// Mask of the link field.
        pub const EVTCHN_FIFO_LINK_MASK: u32 = (1 << 17) - 1;
        /// Ports of the FIFO ABI.
        pub const EVTCHN_FIFO_NR_CHANNELS: u32 = 1 << 17;
    }
}
