//! Event channels (Xen's `xen/common/event_channel.c` and `event_2l.c`, ABI
//! `public/event_channel.h`): per-domain ports in [`Channels`], the guest-visible 2-level
//! bitmaps behind [`Bitmaps`]. FIFO (`event_fifo.c`) comes later.

mod bitmaps;
mod channels;
#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

pub use bitmaps::{
    AtomicBytes, BITS_PER_WORD, Bitmaps, EventMemory, LEGACY_VCPUS, MemBitmaps, MemBytes,
    MemEvents, NR_PORTS, TwoLevel, legacy_vcpu_info_offset, resync_vcpu, set_pending, unmask,
};
pub use channels::{
    Channels, Kick, NoPeers, PeerList, Peers, Port, PortState, Status, VirqKind, virq_kind,
};

/// What an event-channel hypercall reaches of the calling domain.
pub struct Events<'a> {
    /// The caller's ports.
    pub channels: &'a mut Channels,
    /// The caller's 2-level bitmaps.
    pub bits: &'a dyn Bitmaps,
    /// The other domains.
    pub peers: &'a mut dyn Peers,
}
