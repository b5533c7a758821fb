//! Physical interrupts for a PVH dom0 through its emulated I/O APICs, as Xen routes them for
//! its hardware domain: `xen/arch/x86/hvm/vioapic.c` (`vioapic_write_redirent` binds the
//! host GSI when dom0 unmasks a pin, `vioapic_update_EOI` broadcasts the EOI),
//! `xen/arch/x86/hvm/irq.c` (`hvm_gsi_assert` / `hvm_gsi_deassert`) and
//! `xen/drivers/passthrough/x86/hvm.c` (`hvm_dirq_assist`, `hvm_dpci_eoi`).
//!
//! A host interrupt on a bound GSI only sets a bit (`irq_bind`); the run loop calls
//! [`Domain::deliver_host_irqs`] at its top, which asserts the GSI's vIO-APIC pin, so the
//! vector reaches the destination vCPU's vLAPIC and the normal injection path (and the wake
//! of a vCPU blocked in HLT) picks it up. A level-triggered GSI stays asserted, its host pin
//! masked, until dom0 EOIs the vector: [`Domain::vioapic_eoi`] deasserts it and unmasks
//! the host pin, which fires again if the device still asserts its line.

use alloc::vec::Vec;

use ferrite_arch::x86_64::irq_bind;
use ferrite_arch::x86_64::vioapic::{self, HostPin, Rte, RteWrite};

use super::build::Domain;

/// The host GSIs a domain may have and those it has bound.
pub struct HostIrqs {
    /// GSIs Ferrite keeps (the PIT, the 8259 cascade, its UARTs).
    denied: Vec<u32>,
    /// `(gsi, level, active_low)` of each GSI bound to this domain.
    bound: Vec<(u32, bool, bool)>,
}

impl HostIrqs {
    /// Every GSI but `denied` may be bound.
    pub fn new(denied: Vec<u32>) -> HostIrqs {
        HostIrqs {
            denied,
            bound: Vec::new(),
        }
    }

    /// No host GSIs at all (a domain without I/O APICs).
    pub fn none() -> HostIrqs {
        HostIrqs::new(Vec::new())
    }

    fn permitted(&self, gsi: u32) -> bool {
        !self.denied.contains(&gsi)
    }

    fn binding(&self, gsi: u32) -> Option<(bool, bool)> {
        self.bound
            .iter()
            .find(|b| b.0 == gsi)
            .map(|&(_, level, low)| (level, low))
    }

    fn is_bound(&self, gsi: u32) -> bool {
        self.binding(gsi).is_some()
    }
}

/// Whether a bound host GSI fired and waits for [`Domain::deliver_host_irqs`] (the idle
/// loop checks it with interrupts off before it sleeps).
pub(super) fn host_irq_pending() -> bool {
    irq_bind::any_pending()
}

impl Domain {
    /// Asserts the vIO-APIC pin of every bound host GSI that fired since the last call;
    /// the vector lands in its destination vLAPIC's IRR. True if any was asserted.
    pub(super) fn deliver_host_irqs(&mut self) -> bool {
        let mut any = false;
        let Domain {
            vioapics,
            vlapics,
            host_irqs,
            ..
        } = self;
        irq_bind::take_pending(|gsi| {
            if !host_irqs.is_bound(gsi) {
                return;
            }
            for io in vioapics.iter_mut() {
                if let Some(pin) = io.pin_of(gsi) {
                    io.assert(pin, vlapics);
                    any = true;
                }
            }
        });
        any
    }

    /// dom0 rewrote redirection entry `w.pin` of vIO-APIC `i`: an unmasked pin of a GSI
    /// it may have is bound to the host GSI with the entry's trigger and polarity, and the
    /// host pin follows the entry's mask.
    pub(super) fn vioapic_rte_written(&mut self, i: usize, w: RteWrite) {
        let d = self.core.id;
        let Some(io) = self.vioapics.get_mut(i) else {
            return;
        };
        let gsi = io.gsi_base.saturating_add(w.pin as u32);
        let permitted = self.host_irqs.permitted(gsi);
        let level = match vioapic::host_pin(permitted, self.host_irqs.binding(gsi), w.new) {
            HostPin::Leave => {
                if !permitted && !w.new.masked() && w.old.masked() {
                    log::debug!("d{d}: GSI {gsi} is Ferrite's; not bound");
                }
                return;
            }
            HostPin::Mask => {
                irq_bind::mask(gsi);
                return;
            }
            HostPin::Enable {
                rebind,
                level,
                active_low,
            } => {
                if rebind {
                    match irq_bind::bind(gsi, level, active_low) {
                        Ok(vector) => {
                            self.host_irqs.bound.retain(|b| b.0 != gsi);
                            self.host_irqs.bound.push((gsi, level, active_low));
                            // A changed trigger starts from an idle line.
                            io.deassert(w.pin);
                            log::info!(
                                "d{d}: GSI {gsi} bound to host vector {vector:#x} ({}, active {})",
                                if level { "level" } else { "edge" },
                                if active_low { "low" } else { "high" }
                            );
                        }
                        Err(e) => {
                            log::warn!("d{d}: GSI {gsi} cannot be bound ({e:?})");
                            return;
                        }
                    }
                }
                level
            }
        };
        // A level-triggered line that is asserted is sent now that it is unmasked; the host
        // pin stays masked while the line is asserted or a delivery awaits its EOI.
        if level {
            io.service(w.pin, &mut self.vlapics);
            if io.holds_host_pin(w.pin) {
                return;
            }
        }
        irq_bind::unmask(gsi);
    }

    /// A vLAPIC reported the EOI of level-triggered `vector`: every vIO-APIC pin it ends
    /// gets its remote IRR cleared; a bound host GSI's line is deasserted and its host pin
    /// unmasked (if dom0 still has the pin unmasked); a line still asserted is sent again.
    pub(super) fn vioapic_eoi(&mut self, vector: u8) {
        let Domain {
            vioapics,
            vlapics,
            host_irqs,
            ..
        } = self;
        for io in vioapics.iter_mut() {
            for pin in io.eoi(vector) {
                let gsi = io.gsi_base.saturating_add(pin as u32);
                if host_irqs.is_bound(gsi) {
                    io.deassert(pin);
                    let masked = io.entry(pin).is_none_or(|e| Rte(e).masked());
                    if !masked {
                        irq_bind::eoi(gsi);
                    }
                }
                io.service(pin, vlapics);
            }
        }
    }
}
