//! Host GSIs bound to a guest (Xen's `xen/arch/x86/irq.c` guest-bound IRQs and
//! `xen/drivers/passthrough/x86/hvm.c` `hvm_dirq_assist`, reduced to one destination CPU):
//! a bound GSI gets a vector from [`super::irq`], its host I/O APIC pin is programmed with
//! the guest's trigger and polarity and aimed at the boot CPU, and its interrupts are
//! recorded for the run loop in a lock-free pending bitmap.
//!
//! Edge-triggered: the local APIC gets its EOI at once. Level-triggered: the handler masks
//! the pin, then EOIs the local APIC (so other vectors are not held up behind it, as leaving
//! it unacknowledged would do), and the pin stays masked until the guest EOIs the vector;
//! then [`eoi`] unmasks it, and a line that is still asserted fires again.

use core::sync::atomic::{AtomicU8, Ordering};

use super::irq::{GsiVectors, host_rte};
use super::trap::{self, TrapFrame};
use super::{apic, ioapic};

static GSIS: GsiVectors = GsiVectors::new();
/// Serialises vector allocation (never taken in interrupt context).
static ALLOC: spin::Mutex<()> = spin::Mutex::new(());
/// The APIC id bound GSIs are delivered to (the boot CPU's, where the run loop is).
static DEST: AtomicU8 = AtomicU8::new(0);

/// Why a GSI could not be bound.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BindError {
    /// No host I/O APIC pin carries this GSI.
    NoPin,
    /// The GSI is beyond what Ferrite routes, or every vector is taken.
    NoVector,
}

/// Sets the APIC id that bound GSIs are delivered to (call once the LAPIC is up).
pub fn set_destination(apic_id: u32) {
    // Physical destination mode reaches APIC ids below 255 only (no interrupt remapping).
    DEST.store(u8::try_from(apic_id).unwrap_or(0), Ordering::Relaxed);
}

/// Binds `gsi`: gives it a vector and programs its host pin with the trigger and polarity
/// given, masked. Rebinding changes the trigger and polarity. Returns the vector.
pub fn bind(gsi: u32, level: bool, active_low: bool) -> Result<u8, BindError> {
    if !ioapic::has_gsi(gsi) {
        return Err(BindError::NoPin);
    }
    let vector = {
        let _g = ALLOC.lock();
        GSIS.alloc(gsi).ok_or(BindError::NoVector)?
    };
    // Masked before its trigger changes: a level-triggered interrupt the handler took for
    // an edge one would fire again at once until the entry is rewritten.
    ioapic::set_masked(gsi, true);
    GSIS.set_level(gsi, level);
    trap::set_handler(vector, interrupt);
    let rte = host_rte(
        vector,
        level,
        active_low,
        DEST.load(Ordering::Relaxed),
        true,
    );
    if !ioapic::set_entry(gsi, rte) {
        return Err(BindError::NoPin);
    }
    Ok(vector)
}

/// Masks `gsi`'s pin and gives its vector back.
pub fn unbind(gsi: u32) {
    ioapic::set_masked(gsi, true);
    let _g = ALLOC.lock();
    GSIS.free(gsi);
}

/// Lets a bound `gsi` interrupt (the guest unmasked it).
pub fn unmask(gsi: u32) {
    if GSIS.vector_of(gsi).is_some() {
        ioapic::set_masked(gsi, false);
    }
}

/// Stops `gsi` from interrupting (the guest masked it).
pub fn mask(gsi: u32) {
    ioapic::set_masked(gsi, true);
}

/// The guest EOI'd a level-triggered `gsi`: its pin may fire again.
pub fn eoi(gsi: u32) {
    unmask(gsi);
}

/// Whether a bound GSI fired since the last [`take_pending`] (checked with interrupts off
/// before the run loop sleeps).
pub fn any_pending() -> bool {
    GSIS.any_pending()
}

/// Hands every bound GSI that fired to `f`, once each.
pub fn take_pending(f: impl FnMut(u32)) {
    GSIS.drain(f);
}

/// The common handler of every bound GSI's vector: interrupt context, so it touches only
/// atomics and the I/O APIC window lock.
fn interrupt(frame: &mut TrapFrame) {
    let vector = frame.vector as u8;
    if let Some(gsi) = GSIS.gsi_of(vector) {
        if GSIS.is_level(gsi) {
            // Masked before the EOI: the EOI clears the pin's remote IRR, and a still
            // asserted line must not fire again until the guest is done with it.
            ioapic::set_masked(gsi, true);
        }
        GSIS.raise(gsi);
    }
    apic::eoi();
}
