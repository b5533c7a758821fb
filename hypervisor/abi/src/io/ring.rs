//! `xen/include/public/io/ring.h` (Xen 4.20): the shared request/response ring of every
//! split driver (block, net, console back-ends, ...), as a generic type over any
//! [`RingMemory`].
//!
//! The shared page starts with a 64-byte header (`req_prod`, `req_event`, `rsp_prod`,
//! `rsp_event`, 4 private bytes, 44 bytes of padding) followed by `nr_ents` entries, each the
//! size of `union { Req; Rsp; }`, where `nr_ents` is the largest power of two that fits
//! (`__RING_SIZE`). Indices are free-running `u32`s: slot = index & (nr_ents - 1).
//!
//! The peer is not trusted: a back end bounds what it consumes like
//! `RING_HAS_UNCONSUMED_REQUESTS` and rejects a producer index that overruns the ring
//! (`RING_REQUEST_PROD_OVERFLOW`); the front end does the same for responses.
//! Entries are copied out before use (`RING_COPY_REQUEST`), so the peer cannot change them
//! under us.

use super::shared_page::RingMemory;
use core::marker::PhantomData;
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

xen_abi! {
    header "io/ring.h";
    consts {
        /// Ring and hypercall pages are 4 KiB on every architecture.
        pub const XEN_PAGE_SHIFT: u32 = 12;
    }
}

/// `RING_IDX`.
pub type RingIdx = u32;

/// Offset of `req_prod` in the shared ring.
pub const SRING_REQ_PROD: usize = 0;
/// Offset of `req_event`.
pub const SRING_REQ_EVENT: usize = 4;
/// Offset of `rsp_prod`.
pub const SRING_RSP_PROD: usize = 8;
/// Offset of `rsp_event`.
pub const SRING_RSP_EVENT: usize = 12;
/// Offset of the private bytes (`pvt`).
pub const SRING_PVT: usize = 16;
/// Offset of the first entry (`ring[0]`).
pub const SRING_ENTRIES: usize = 64;

/// A type that can travel through a ring: any bit pattern is valid and it has no padding.
pub trait RingEntry: FromBytes + IntoBytes + Immutable + KnownLayout {}
impl<T: FromBytes + IntoBytes + Immutable + KnownLayout> RingEntry for T {}

/// What can go wrong on a ring.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RingError {
    /// The buffer has no room for even one entry.
    TooSmall,
    /// No free slot (front: ring full; back: no consumed request left to answer).
    Full,
    /// The peer published a producer index that overruns the ring.
    Overflow,
}

/// The size of `union { Req; Rsp; }`: the larger size rounded up to the larger alignment.
pub const fn entry_size<Req, Rsp>() -> usize {
    let (sq, sp) = (core::mem::size_of::<Req>(), core::mem::size_of::<Rsp>());
    let (aq, ap) = (core::mem::align_of::<Req>(), core::mem::align_of::<Rsp>());
    let size = if sq > sp { sq } else { sp };
    let align = if aq > ap { aq } else { ap };
    size.div_ceil(align) * align
}

/// `__RING_SIZE`: how many entries of `entry` bytes fit in `bytes`, rounded down to a power of
/// two (0 if none fit).
pub const fn ring_size(bytes: usize, entry: usize) -> u32 {
    if entry == 0 || bytes <= SRING_ENTRIES {
        return 0;
    }
    let n = (bytes - SRING_ENTRIES) / entry;
    let n = if n > u32::MAX as usize {
        u32::MAX
    } else {
        n as u32
    };
    if n == 0 {
        0
    } else {
        1 << (31 - n.leading_zeros())
    }
}

/// `SHARED_RING_INIT` with both producers at `start` (normally 0): producers and consumers
/// equal, events one past them, private bytes and padding zeroed.
pub fn init_shared<M: RingMemory>(mem: &M, start: RingIdx) {
    mem.write_bytes(SRING_PVT, &[0; SRING_ENTRIES - SRING_PVT]);
    mem.store_index(SRING_REQ_EVENT, start.wrapping_add(1));
    mem.store_index(SRING_RSP_EVENT, start.wrapping_add(1));
    mem.store_index(SRING_REQ_PROD, start);
    mem.store_index(SRING_RSP_PROD, start);
}

/// `(new - event) < (new - old)`: whether the peer asked to be notified of an index in
/// `(old, new]`.
const fn needs_notify(old: RingIdx, new: RingIdx, event: RingIdx) -> bool {
    new.wrapping_sub(event) < new.wrapping_sub(old)
}

struct Slots<M, Req, Rsp> {
    mem: M,
    nr_ents: u32,
    entry: usize,
    types: PhantomData<fn() -> (Req, Rsp)>,
}

impl<M: RingMemory, Req: RingEntry, Rsp: RingEntry> Slots<M, Req, Rsp> {
    fn new(mem: M) -> Result<Self, RingError> {
        let entry = entry_size::<Req, Rsp>();
        let nr_ents = ring_size(mem.size(), entry);
        if nr_ents == 0 {
            return Err(RingError::TooSmall);
        }
        Ok(Self {
            mem,
            nr_ents,
            entry,
            types: PhantomData,
        })
    }

    fn offset(&self, idx: RingIdx) -> usize {
        // The mask keeps the slot below nr_ents, which fits in the buffer by construction.
        SRING_ENTRIES + (idx & (self.nr_ents - 1)) as usize * self.entry
    }

    fn read<T: RingEntry>(&self, idx: RingIdx) -> T {
        let mut value = T::new_zeroed();
        self.mem.read_bytes(self.offset(idx), value.as_mut_bytes());
        value
    }

    fn write<T: RingEntry>(&self, idx: RingIdx, value: &T) {
        self.mem.write_bytes(self.offset(idx), value.as_bytes());
    }

    /// `RING_PUSH_*_AND_CHECK_NOTIFY`: publish `new` at `prod`, then read `event`.
    fn push(&self, prod: usize, event: usize, new: RingIdx) -> bool {
        let old = self.mem.load_index(prod);
        self.mem.store_index(prod, new);
        self.mem.full_fence();
        needs_notify(old, new, self.mem.load_index(event))
    }
}

/// The front end (request producer, response consumer): `struct *_front_ring`.
pub struct FrontRing<M, Req, Rsp> {
    slots: Slots<M, Req, Rsp>,
    req_prod_pvt: RingIdx,
    rsp_cons: RingIdx,
}

impl<M: RingMemory, Req: RingEntry, Rsp: RingEntry> FrontRing<M, Req, Rsp> {
    /// `FRONT_RING_ATTACH` at index `start` (`FRONT_RING_INIT` when 0). Does not touch the
    /// shared header; see [`init_shared`].
    pub fn attach(mem: M, start: RingIdx) -> Result<Self, RingError> {
        Ok(Self {
            slots: Slots::new(mem)?,
            req_prod_pvt: start,
            rsp_cons: start,
        })
    }

    /// `RING_SIZE`.
    pub fn size(&self) -> u32 {
        self.slots.nr_ents
    }

    /// The private request producer.
    pub fn req_prod_pvt(&self) -> RingIdx {
        self.req_prod_pvt
    }

    /// The response consumer.
    pub fn rsp_cons(&self) -> RingIdx {
        self.rsp_cons
    }

    /// `RING_FREE_REQUESTS`.
    pub fn free_requests(&self) -> u32 {
        self.size()
            .wrapping_sub(self.req_prod_pvt.wrapping_sub(self.rsp_cons))
    }

    /// `RING_FULL`.
    pub fn is_full(&self) -> bool {
        self.free_requests() == 0
    }

    /// Writes a request into the next private slot (`RING_GET_REQUEST` + `req_prod_pvt++`).
    pub fn put_request(&mut self, req: &Req) -> Result<(), RingError> {
        if self.is_full() {
            return Err(RingError::Full);
        }
        self.slots.write(self.req_prod_pvt, req);
        self.req_prod_pvt = self.req_prod_pvt.wrapping_add(1);
        Ok(())
    }

    /// `RING_PUSH_REQUESTS_AND_CHECK_NOTIFY`: publishes the private requests and says whether
    /// the back end must be notified.
    pub fn push_requests(&mut self) -> bool {
        self.slots
            .push(SRING_REQ_PROD, SRING_REQ_EVENT, self.req_prod_pvt)
    }

    /// `XEN_RING_NR_UNCONSUMED_RESPONSES`.
    pub fn unconsumed_responses(&self) -> u32 {
        self.slots
            .mem
            .load_index(SRING_RSP_PROD)
            .wrapping_sub(self.rsp_cons)
    }

    /// Copies out the next response, if any. A response producer beyond the requests we made
    /// is an error (stricter than `RING_RESPONSE_PROD_OVERFLOW`, which only bounds it by the
    /// ring size).
    pub fn get_response(&mut self) -> Result<Option<Rsp>, RingError> {
        let prod = self.slots.mem.load_index(SRING_RSP_PROD);
        let outstanding = self.req_prod_pvt.wrapping_sub(self.rsp_cons);
        if prod.wrapping_sub(self.rsp_cons) > outstanding {
            return Err(RingError::Overflow);
        }
        if prod == self.rsp_cons {
            return Ok(None);
        }
        let rsp = self.slots.read(self.rsp_cons);
        self.rsp_cons = self.rsp_cons.wrapping_add(1);
        Ok(Some(rsp))
    }

    /// `RING_FINAL_CHECK_FOR_RESPONSES`: re-arms `rsp_event` when idle; returns the number of
    /// responses waiting (0: safe to sleep until notified).
    pub fn final_check_for_responses(&mut self) -> u32 {
        let work = self.unconsumed_responses();
        if work != 0 {
            return work;
        }
        self.slots
            .mem
            .store_index(SRING_RSP_EVENT, self.rsp_cons.wrapping_add(1));
        self.slots.mem.full_fence();
        self.unconsumed_responses()
    }
}

/// The back end (request consumer, response producer): `struct *_back_ring`.
pub struct BackRing<M, Req, Rsp> {
    slots: Slots<M, Req, Rsp>,
    rsp_prod_pvt: RingIdx,
    req_cons: RingIdx,
}

impl<M: RingMemory, Req: RingEntry, Rsp: RingEntry> BackRing<M, Req, Rsp> {
    /// `BACK_RING_ATTACH` at index `start` (`BACK_RING_INIT` when 0).
    pub fn attach(mem: M, start: RingIdx) -> Result<Self, RingError> {
        Ok(Self {
            slots: Slots::new(mem)?,
            rsp_prod_pvt: start,
            req_cons: start,
        })
    }

    /// `RING_SIZE`.
    pub fn size(&self) -> u32 {
        self.slots.nr_ents
    }

    /// The private response producer.
    pub fn rsp_prod_pvt(&self) -> RingIdx {
        self.rsp_prod_pvt
    }

    /// The request consumer.
    pub fn req_cons(&self) -> RingIdx {
        self.req_cons
    }

    /// `XEN_RING_NR_UNCONSUMED_REQUESTS`: bounded by the free response slots, so a lying front
    /// end cannot make us read more than a ring's worth.
    pub fn unconsumed_requests(&self) -> u32 {
        let req = self
            .slots
            .mem
            .load_index(SRING_REQ_PROD)
            .wrapping_sub(self.req_cons);
        let rsp = self
            .size()
            .wrapping_sub(self.req_cons.wrapping_sub(self.rsp_prod_pvt));
        req.min(rsp)
    }

    /// Copies out the next request, if any. A request producer that overruns the ring
    /// (`RING_REQUEST_PROD_OVERFLOW`) is an error: the front end is broken or hostile.
    pub fn get_request(&mut self) -> Result<Option<Req>, RingError> {
        let prod = self.slots.mem.load_index(SRING_REQ_PROD);
        if prod.wrapping_sub(self.rsp_prod_pvt) > self.size() {
            return Err(RingError::Overflow);
        }
        if self.unconsumed_requests() == 0 {
            return Ok(None);
        }
        let req = self.slots.read(self.req_cons);
        self.req_cons = self.req_cons.wrapping_add(1);
        Ok(Some(req))
    }

    /// Writes a response into the next private slot; there must be a consumed request it
    /// answers.
    pub fn put_response(&mut self, rsp: &Rsp) -> Result<(), RingError> {
        if self.rsp_prod_pvt == self.req_cons {
            return Err(RingError::Full);
        }
        self.slots.write(self.rsp_prod_pvt, rsp);
        self.rsp_prod_pvt = self.rsp_prod_pvt.wrapping_add(1);
        Ok(())
    }

    /// `RING_PUSH_RESPONSES_AND_CHECK_NOTIFY`.
    pub fn push_responses(&mut self) -> bool {
        self.slots
            .push(SRING_RSP_PROD, SRING_RSP_EVENT, self.rsp_prod_pvt)
    }

    /// `RING_FINAL_CHECK_FOR_REQUESTS`: re-arms `req_event` when idle; returns the number of
    /// requests waiting.
    pub fn final_check_for_requests(&mut self) -> u32 {
        let work = self.unconsumed_requests();
        if work != 0 {
            return work;
        }
        self.slots
            .mem
            .store_index(SRING_REQ_EVENT, self.req_cons.wrapping_add(1));
        self.slots.mem.full_fence();
        self.unconsumed_requests()
    }
}

#[cfg(test)]
mod tests;
