//! Host interrupt vectors for global system interrupts (GSIs) that Ferrite passes to a guest
//! (Xen's `xen/arch/x86/irq.c`: `assign_irq_vector`, `do_IRQ`, and the guest-bound IRQ's
//! deferred acknowledgement; `xen/arch/x86/io_apic.c` for the I/O APIC side).
//!
//! The bookkeeping here is lock-free where the interrupt handler reads it: which GSI a vector
//! belongs to, whether that GSI is level-triggered, and a bitmap of GSIs that fired and are
//! waiting for the run loop. Interrupt context never takes a domain's lock: it only sets a
//! bit, and the run loop drains the bitmap into the guest's emulated I/O APIC. The hardware
//! side (programming pins, the handler itself) is [`super::irq_bind`].

use core::sync::atomic::{AtomicU16, AtomicU64, Ordering};

/// The vectors handed out for GSIs: above the exceptions (0..=31) and a gap, below
/// Ferrite's own (the timer at 0xf0 and the IPIs, error and spurious vectors above it).
pub const FIRST_VECTOR: u8 = 0x30;
pub const LAST_VECTOR: u8 = 0xef;
/// GSIs Ferrite can route (four 64-pin words; PCs have 24 to 120).
pub const MAX_GSIS: u32 = 256;
const WORDS: usize = (MAX_GSIS / 64) as usize;

/// Which GSI owns each vector, which GSIs are level-triggered, and which fired.
///
/// # Invariants
/// `owner[v]` is 0 (free) or `gsi + 1` for one GSI below [`MAX_GSIS`], and only vectors in
/// `FIRST_VECTOR..=LAST_VECTOR` are ever owned.
pub struct GsiVectors {
    owner: [AtomicU16; 256],
    level: [AtomicU64; WORDS],
    pending: [AtomicU64; WORDS],
}

impl Default for GsiVectors {
    fn default() -> Self {
        Self::new()
    }
}

fn word_bit(gsi: u32) -> Option<(usize, u64)> {
    (gsi < MAX_GSIS).then(|| ((gsi / 64) as usize, 1u64 << (gsi % 64)))
}

impl GsiVectors {
    pub const fn new() -> GsiVectors {
        GsiVectors {
            owner: [const { AtomicU16::new(0) }; 256],
            level: [const { AtomicU64::new(0) }; WORDS],
            pending: [const { AtomicU64::new(0) }; WORDS],
        }
    }

    /// The GSI that owns `vector` (interrupt context: lock-free).
    pub fn gsi_of(&self, vector: u8) -> Option<u32> {
        match self.owner[usize::from(vector)].load(Ordering::Acquire) {
            0 => None,
            o => Some(u32::from(o) - 1),
        }
    }

    /// The vector `gsi` already has.
    pub fn vector_of(&self, gsi: u32) -> Option<u8> {
        (FIRST_VECTOR..=LAST_VECTOR).find(|&v| self.gsi_of(v) == Some(gsi))
    }

    /// `gsi`'s vector: the one it has, else the first free one. `None` if `gsi` is out of
    /// range or every vector is taken. Callers serialise allocations (one lock); readers
    /// need none.
    pub fn alloc(&self, gsi: u32) -> Option<u8> {
        word_bit(gsi)?;
        if let Some(v) = self.vector_of(gsi) {
            return Some(v);
        }
        let v = (FIRST_VECTOR..=LAST_VECTOR)
            .find(|&v| self.owner[usize::from(v)].load(Ordering::Acquire) == 0)?;
        // INVARIANT: `v` is in the handed-out range and `gsi < MAX_GSIS`.
        self.owner[usize::from(v)].store(gsi as u16 + 1, Ordering::Release);
        Some(v)
    }

    /// Gives `gsi`'s vector back; forgets its trigger and anything pending.
    pub fn free(&self, gsi: u32) {
        if let Some(v) = self.vector_of(gsi) {
            self.owner[usize::from(v)].store(0, Ordering::Release);
        }
        self.set_level(gsi, false);
        if let Some((w, b)) = word_bit(gsi) {
            self.pending[w].fetch_and(!b, Ordering::AcqRel);
        }
    }

    /// Records `gsi`'s trigger mode (the handler masks level-triggered pins).
    pub fn set_level(&self, gsi: u32, level: bool) {
        if let Some((w, b)) = word_bit(gsi) {
            if level {
                self.level[w].fetch_or(b, Ordering::AcqRel);
            } else {
                self.level[w].fetch_and(!b, Ordering::AcqRel);
            }
        }
    }

    pub fn is_level(&self, gsi: u32) -> bool {
        word_bit(gsi).is_some_and(|(w, b)| self.level[w].load(Ordering::Acquire) & b != 0)
    }

    /// `gsi` fired (interrupt context).
    pub fn raise(&self, gsi: u32) {
        if let Some((w, b)) = word_bit(gsi) {
            self.pending[w].fetch_or(b, Ordering::AcqRel);
        }
    }

    /// Whether any GSI fired since the last [`GsiVectors::drain`].
    pub fn any_pending(&self) -> bool {
        self.pending.iter().any(|w| w.load(Ordering::Acquire) != 0)
    }

    /// Takes every GSI that fired, lowest first, and hands each to `f` once.
    pub fn drain(&self, mut f: impl FnMut(u32)) {
        for (i, word) in self.pending.iter().enumerate() {
            // Most calls find nothing: look before writing.
            if word.load(Ordering::Acquire) == 0 {
                continue;
            }
            let mut bits = word.swap(0, Ordering::AcqRel);
            while bits != 0 {
                let b = bits.trailing_zeros();
                bits &= bits - 1;
                f(i as u32 * 64 + b);
            }
        }
    }
}

/// A host I/O APIC redirection entry for a GSI passed to a guest (82093AA datasheet,
/// 3.2.4): fixed delivery in physical destination mode to the APIC `dest`, the guest's
/// trigger and polarity, masked or not.
pub fn host_rte(vector: u8, level: bool, active_low: bool, dest: u8, masked: bool) -> u64 {
    u64::from(vector)
        | u64::from(active_low) << 13
        | u64::from(level) << 15
        | u64::from(masked) << 16
        | u64::from(dest) << 56
}

/// The GSI that ISA IRQ `irq` arrives on: an interrupt source override's, else the same
/// number (ACPI 6.5, 5.2.12.5). `overrides` are the MADT's `(bus, irq, gsi, flags)`.
pub fn isa_gsi(irq: u8, overrides: &[(u8, u8, u32, u16)]) -> u32 {
    overrides
        .iter()
        .find(|o| o.0 == 0 && o.1 == irq)
        .map_or(u32::from(irq), |o| o.2)
}

/// The ISA IRQ of a legacy UART at `io_base` (COM1/COM3 on 4, COM2/COM4 on 3).
pub fn uart_isa_irq(io_base: u16) -> Option<u8> {
    match io_base {
        0x3f8 | 0x3e8 => Some(4),
        0x2f8 | 0x2e8 => Some(3),
        _ => None,
    }
}

/// The GSIs Ferrite keeps for itself and never passes to a guest: the PIT (ISA IRQ 0), the
/// 8259 cascade (IRQ 2, and GSI 0, where the 8259's ExtINT arrives), and the IRQs of the
/// UARTs Ferrite drives (`uart_bases`).
pub fn ferrite_gsis(overrides: &[(u8, u8, u32, u16)], uart_bases: &[u16]) -> alloc::vec::Vec<u32> {
    let mut gsis = alloc::vec![0, isa_gsi(0, overrides), isa_gsi(2, overrides)];
    gsis.extend(
        uart_bases
            .iter()
            .filter_map(|&b| uart_isa_irq(b))
            .map(|irq| isa_gsi(irq, overrides)),
    );
    gsis.sort_unstable();
    gsis.dedup();
    gsis
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vectors_are_handed_out_from_the_free_range() {
        let t = GsiVectors::new();
        assert_eq!(t.alloc(8), Some(FIRST_VECTOR));
        assert_eq!(t.alloc(9), Some(FIRST_VECTOR + 1));
        assert_eq!(t.alloc(8), Some(FIRST_VECTOR), "a GSI keeps its vector");
        assert_eq!(t.gsi_of(FIRST_VECTOR), Some(8));
        assert_eq!(t.gsi_of(0xf0), None, "Ferrite's timer is never handed out");
        t.free(8);
        assert_eq!(t.gsi_of(FIRST_VECTOR), None);
        assert_eq!(t.alloc(20), Some(FIRST_VECTOR), "freed vectors are reused");
        assert_eq!(t.alloc(MAX_GSIS), None, "out of range");
        // Exhaustion: every vector in the range, then none.
        let t = GsiVectors::new();
        let n = u32::from(LAST_VECTOR - FIRST_VECTOR) + 1;
        for gsi in 0..n {
            let v = t.alloc(gsi);
            assert!(v.is_some_and(|v| (FIRST_VECTOR..=LAST_VECTOR).contains(&v)));
        }
        assert_eq!(t.alloc(n), None);
        assert!(
            (0..32).all(|v| t.gsi_of(v).is_none()),
            "no exception vector"
        );
        assert!((0xf0..=0xff).all(|v| t.gsi_of(v).is_none()));
    }

    #[test]
    fn pending_gsis_drain_once_in_order() {
        let t = GsiVectors::new();
        assert!(!t.any_pending());
        for g in [200, 8, 63, 64, 8] {
            t.raise(g);
        }
        t.raise(MAX_GSIS); // ignored
        assert!(t.any_pending());
        let mut got = alloc::vec::Vec::new();
        t.drain(|g| got.push(g));
        assert_eq!(got, [8, 63, 64, 200]);
        assert!(!t.any_pending());
        t.drain(|_| panic!("drained twice"));
        t.raise(5);
        t.free(5);
        assert!(!t.any_pending(), "freeing a GSI drops what it had pending");
    }

    #[test]
    fn trigger_modes() {
        let t = GsiVectors::new();
        t.set_level(16, true);
        assert!(t.is_level(16) && !t.is_level(17));
        t.set_level(16, false);
        assert!(!t.is_level(16));
        t.set_level(999, true);
        assert!(!t.is_level(999));
    }

    #[test]
    fn host_entries() {
        assert_eq!(host_rte(0x30, false, false, 0, false), 0x30);
        assert_eq!(
            host_rte(0x31, true, true, 3, true),
            0x31 | 1 << 13 | 1 << 15 | 1 << 16 | 3 << 56
        );
    }

    #[test]
    fn ferrite_keeps_the_pit_cascade_and_its_uarts() {
        // QEMU's MADT: IRQ 0 on GSI 2, the PCI IRQs level-triggered.
        let ovr = [(0, 0, 2, 0), (0, 5, 5, 0xd), (0, 9, 9, 0xd)];
        assert_eq!(isa_gsi(0, &ovr), 2);
        assert_eq!(isa_gsi(8, &ovr), 8, "no override: identity");
        assert_eq!(isa_gsi(0, &[(1, 0, 7, 0)]), 0, "another bus's override");
        assert_eq!(ferrite_gsis(&ovr, &[0x3f8, 0]), [0, 2, 4]);
        assert_eq!(ferrite_gsis(&[], &[0x2f8, 0x3f8]), [0, 2, 3, 4]);
        assert_eq!(ferrite_gsis(&[(0, 4, 20, 0)], &[0x3e8]), [0, 2, 20]);
        assert_eq!(uart_isa_irq(0x1234), None);
    }
}
