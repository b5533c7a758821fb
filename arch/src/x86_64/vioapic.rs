//! An emulated I/O APIC (82093AA datasheet; Intel ICH I/O APIC register set; Xen's
//! `xen/arch/x86/hvm/vioapic.c` for what a PVH dom0 expects): the indirect register window
//! (IOREGSEL at +0x00, IOWIN at +0x10), the id, version and arbitration registers, and the
//! redirection table a guest programs. dom0 sees one at each host I/O APIC's address with the
//! same number of pins.
//!
//! Pins are driven by the caller ([`Vioapic::assert`], [`Vioapic::deassert`]: for dom0, a
//! host interrupt on the same GSI); an unmasked pin sends its programmed vector to the
//! local APICs its entry names ([`deliver`]). A level-triggered pin then holds remote IRR
//! until the vector's EOI comes back from the local APIC ([`Vioapic::eoi`]), as Xen's
//! `vioapic_deliver` / `vioapic_update_EOI` do.

use alloc::vec::Vec;

use super::vlapic::Vlapic;

/// Version 0x11 (82093AA-compatible).
const VERSION: u32 = 0x11;
/// Delivery status (bit 12) and remote IRR (bit 14) are read-only.
const RO_BITS: u64 = (1 << 12) | (1 << 14);
const REMOTE_IRR: u64 = 1 << 14;
const LEVEL: u64 = 1 << 15;
const MASKED: u64 = 1 << 16;

/// A redirection entry's fields (82093AA datasheet, 3.2.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rte(pub u64);

impl Rte {
    pub fn vector(self) -> u8 {
        self.0 as u8
    }
    /// Delivery mode: 0 fixed, 1 lowest priority, 2 SMI, 4 NMI, 5 INIT, 7 ExtINT.
    pub fn mode(self) -> u8 {
        ((self.0 >> 8) & 7) as u8
    }
    pub fn logical(self) -> bool {
        self.0 & (1 << 11) != 0
    }
    pub fn active_low(self) -> bool {
        self.0 & (1 << 13) != 0
    }
    pub fn remote_irr(self) -> bool {
        self.0 & REMOTE_IRR != 0
    }
    pub fn level(self) -> bool {
        self.0 & LEVEL != 0
    }
    pub fn masked(self) -> bool {
        self.0 & MASKED != 0
    }
    pub fn dest(self) -> u8 {
        (self.0 >> 56) as u8
    }
}

/// A redirection entry the guest rewrote: pin, and the entry before and after.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RteWrite {
    pub pin: usize,
    pub old: Rte,
    pub new: Rte,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vioapic {
    /// Guest-physical base (the host I/O APIC's).
    pub base: u64,
    pub gsi_base: u32,
    id: u8,
    select: u32,
    redir: Vec<u64>,
    /// Each pin's input line (meaningful for level-triggered pins).
    asserted: Vec<bool>,
}

impl Vioapic {
    /// An I/O APIC with `pins` pins, every entry masked (the reset state).
    pub fn new(id: u8, base: u64, gsi_base: u32, pins: u8) -> Vioapic {
        let pins = usize::from(pins.max(1));
        Vioapic {
            base,
            gsi_base,
            id: id & 0xf,
            select: 0,
            redir: alloc::vec![MASKED; pins],
            asserted: alloc::vec![false; pins],
        }
    }

    /// The pin of global system interrupt `gsi`, if it is one of this I/O APIC's.
    pub fn pin_of(&self, gsi: u32) -> Option<usize> {
        let pin = gsi.checked_sub(self.gsi_base)? as usize;
        (pin < self.pins()).then_some(pin)
    }

    pub fn pins(&self) -> usize {
        self.redir.len()
    }

    /// Whether guest-physical `gpa` is in this I/O APIC's page.
    pub fn covers(&self, gpa: u64) -> bool {
        gpa >> 12 == self.base >> 12
    }

    /// The redirection entry of pin `pin`.
    pub fn entry(&self, pin: usize) -> Option<u64> {
        self.redir.get(pin).copied()
    }

    fn read_reg(&self) -> u32 {
        match self.select {
            0 => u32::from(self.id) << 24,
            1 => VERSION | ((self.pins() as u32 - 1) << 16),
            2 => u32::from(self.id) << 24,
            r @ 0x10..=0xff => {
                let i = ((r - 0x10) / 2) as usize;
                let e = self.redir.get(i).copied().unwrap_or(0);
                if r % 2 == 0 {
                    e as u32
                } else {
                    (e >> 32) as u32
                }
            }
            _ => 0,
        }
    }

    fn write_reg(&mut self, value: u32) -> Option<RteWrite> {
        match self.select {
            0 => self.id = ((value >> 24) & 0xf) as u8,
            r @ 0x10..=0xff => {
                let pin = ((r - 0x10) / 2) as usize;
                let e = self.redir.get_mut(pin)?;
                let old = *e;
                let mut new = if r % 2 == 0 {
                    (old & (0xffff_ffff_0000_0000 | RO_BITS)) | (u64::from(value) & !RO_BITS)
                } else {
                    (old & 0xffff_ffff) | (u64::from(value & 0xff00_0000) << 32)
                };
                // Remote IRR means nothing for an edge-triggered pin.
                if new & LEVEL == 0 {
                    new &= !REMOTE_IRR;
                }
                *e = new;
                return Some(RteWrite {
                    pin,
                    old: Rte(old),
                    new: Rte(new),
                });
            }
            // Version and arbitration are read-only.
            _ => {}
        }
        None
    }

    /// A 32-bit read at `offset` in the page.
    pub fn read(&self, offset: u32) -> u32 {
        match offset {
            0x00 => self.select,
            0x10 => self.read_reg(),
            _ => 0,
        }
    }

    /// A 32-bit write at `offset`; says which redirection entry it rewrote, if any.
    pub fn write(&mut self, offset: u32, value: u32) -> Option<RteWrite> {
        match offset {
            0x00 => self.select = value & 0xff,
            0x10 => return self.write_reg(value),
            _ => {}
        }
        None
    }

    /// Pin `pin`'s line goes high: an edge-triggered pin sends its vector if unmasked; a
    /// level-triggered one stays asserted and sends it unless masked or awaiting its EOI.
    /// True if a local APIC took the vector.
    pub fn assert(&mut self, pin: usize, lapics: &mut [Vlapic]) -> bool {
        let Some(rte) = self.entry(pin).map(Rte) else {
            return false;
        };
        if rte.level() {
            if let Some(a) = self.asserted.get_mut(pin) {
                *a = true;
            }
            return self.service(pin, lapics);
        }
        !rte.masked() && deliver(lapics, rte)
    }

    /// Whether pin `pin`'s line is asserted (level-triggered pins).
    pub fn asserted(&self, pin: usize) -> bool {
        self.asserted.get(pin).copied().unwrap_or(false)
    }

    /// Whether a level-triggered pin's host line must stay masked: its line is asserted or a
    /// delivery awaits its EOI (the EOI unmasks it).
    pub fn holds_host_pin(&self, pin: usize) -> bool {
        self.entry(pin)
            .map(Rte)
            .is_some_and(|e| e.level() && (e.remote_irr() || self.asserted(pin)))
    }

    /// Pin `pin`'s line goes low.
    pub fn deassert(&mut self, pin: usize) {
        if let Some(a) = self.asserted.get_mut(pin) {
            *a = false;
        }
    }

    /// Sends a level-triggered pin's vector if its line is asserted, it is unmasked and no
    /// earlier delivery awaits its EOI (after an EOI or an unmask). True if one was sent.
    pub fn service(&mut self, pin: usize, lapics: &mut [Vlapic]) -> bool {
        let asserted = self.asserted.get(pin).copied().unwrap_or(false);
        let Some(e) = self.redir.get_mut(pin) else {
            return false;
        };
        let rte = Rte(*e);
        if !asserted || !rte.level() || rte.masked() || rte.remote_irr() {
            return false;
        }
        let sent = deliver(lapics, rte);
        // Remote IRR only for a delivery some local APIC took: its EOI will clear it.
        if sent {
            *e |= REMOTE_IRR;
        }
        sent
    }

    /// The EOI of `vector` reached this I/O APIC: every level-triggered pin with that
    /// vector and remote IRR set is ready again. Returns those pins; the caller deasserts
    /// the lines that ended and [`Vioapic::service`]s them.
    pub fn eoi(&mut self, vector: u8) -> Vec<usize> {
        let mut ended = Vec::new();
        for (pin, e) in self.redir.iter_mut().enumerate() {
            let rte = Rte(*e);
            if rte.level() && rte.remote_irr() && rte.vector() == vector {
                *e &= !REMOTE_IRR;
                ended.push(pin);
            }
        }
        ended
    }
}

/// What the host pin of a GSI must do after the guest rewrote the GSI's entry (Xen's
/// `vioapic_write_redirent` for the hardware domain: the GSI is bound on its first unmask).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HostPin {
    /// Not a GSI the guest may have, or masked and never bound: nothing to do.
    Leave,
    /// Masked by the guest: mask the host pin too (the binding stays).
    Mask,
    /// Unmasked: first (re)bind the host GSI with this trigger and polarity if `rebind`,
    /// then let it interrupt unless [`Vioapic::holds_host_pin`].
    Enable {
        rebind: bool,
        level: bool,
        active_low: bool,
    },
}

/// The host pin's fate for entry `new` of a GSI the guest may have (`permitted`) and has
/// bound with `bound` = `(level, active_low)`, if it has.
pub fn host_pin(permitted: bool, bound: Option<(bool, bool)>, new: Rte) -> HostPin {
    match (permitted, new.masked(), bound) {
        (false, _, _) | (true, true, None) => HostPin::Leave,
        (true, true, Some(_)) => HostPin::Mask,
        (true, false, _) => {
            let (level, active_low) = (new.level(), new.active_low());
            HostPin::Enable {
                rebind: bound != Some((level, active_low)),
                level,
                active_low,
            }
        }
    }
}

/// Sends an entry's vector to the local APICs it names (Xen's `vioapic_deliver`): physical
/// destination = APIC id (0xff to all), logical = the LDR match; fixed delivery to every
/// enabled target, lowest priority to the first. Other modes (SMI, NMI, INIT, ExtINT)
/// are not offered to a PVH dom0 and are dropped. True if a local APIC took the vector.
pub fn deliver(lapics: &mut [Vlapic], rte: Rte) -> bool {
    let (vector, dest, level) = (rte.vector(), rte.dest(), rte.level());
    let hit = |l: &Vlapic| {
        if rte.logical() {
            l.matches_logical(dest)
        } else {
            dest == 0xff || l.id() == dest
        }
    };
    match rte.mode() {
        0 => {
            let mut any = false;
            for l in lapics.iter_mut().filter(|l| l.enabled() && hit(l)) {
                l.accept_irq(vector, level);
                any = true;
            }
            any
        }
        1 => match lapics.iter_mut().find(|l| l.enabled() && hit(l)) {
            Some(l) => {
                l.accept_irq(vector, level);
                true
            }
            None => false,
        },
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::x86_64::vlapic::Effect;

    #[test]
    fn registers_through_the_window() {
        let mut io = Vioapic::new(2, 0xfec0_0000, 0, 24);
        io.write(0, 1);
        assert_eq!(io.read(0x10), 0x0017_0011, "24 pins, version 0x11");
        io.write(0, 0);
        assert_eq!(io.read(0x10), 2 << 24);
        io.write(0x10, 5 << 24);
        assert_eq!(io.read(0x10), 5 << 24);
        // Pin 3: low word at 0x16, high at 0x17.
        io.write(0, 0x16);
        assert_eq!(io.read(0x10), 1 << 16, "masked at reset");
        io.write(0x10, 0x0000_8030 | (1 << 12) | (1 << 14));
        assert_eq!(
            io.read(0x10),
            0x0000_8030,
            "delivery status and remote IRR are read-only"
        );
        io.write(0, 0x17);
        io.write(0x10, 0x0300_00ff);
        assert_eq!(io.read(0x10), 0x0300_0000, "only the destination byte");
        assert_eq!(io.entry(3), Some(0x0300_0000_0000_8030));
        io.write(0, 1);
        io.write(0x10, 0);
        assert_eq!(io.read(0x10) & 0xff, 0x11, "version is read-only");
        assert!(io.covers(0xfec0_0010) && !io.covers(0xfec0_1000));
    }

    /// Local APICs 0..n, software-enabled.
    fn lapics(n: u8) -> Vec<Vlapic> {
        (0..n)
            .map(|i| {
                let mut l = Vlapic::new(i);
                l.write(0xf0, 0x1ff, 0);
                l
            })
            .collect()
    }

    /// Programs pin `pin` with `lo` and destination `dest` through the window.
    fn program(io: &mut Vioapic, pin: u32, lo: u32, dest: u8) -> Option<RteWrite> {
        io.write(0, 0x11 + pin * 2);
        io.write(0x10, u32::from(dest) << 24);
        io.write(0, 0x10 + pin * 2);
        io.write(0x10, lo)
    }

    #[test]
    fn rte_writes_are_reported() {
        let mut io = Vioapic::new(0, 0xfec0_0000, 0, 24);
        let w = program(&mut io, 8, 0x48, 1);
        assert_eq!(
            w,
            Some(RteWrite {
                pin: 8,
                old: Rte(1 << 56 | MASKED),
                new: Rte(1 << 56 | 0x48),
            })
        );
        let new = w.map(|w| w.new).unwrap_or(Rte(0));
        assert!(!new.masked() && !new.level() && !new.active_low() && new.dest() == 1);
        io.write(0, 1);
        assert_eq!(io.write(0x10, 0), None, "not an entry");
        assert_eq!(io.pin_of(8), Some(8));
        assert_eq!(Vioapic::new(1, 0, 24, 24).pin_of(30), Some(6));
        assert_eq!(Vioapic::new(1, 0, 24, 24).pin_of(48), None);
        assert_eq!(Vioapic::new(1, 0, 24, 24).pin_of(3), None);
    }

    #[test]
    fn edge_pins_deliver_to_their_destination_while_unmasked() {
        let mut io = Vioapic::new(0, 0xfec0_0000, 0, 24);
        let mut l = lapics(2);
        program(&mut io, 8, 0x48, 1);
        assert!(io.assert(8, &mut l));
        assert_eq!((l[0].pending(), l[1].pending()), (None, Some(0x48)));
        l[1].ack(0x48);
        assert_eq!(
            l[1].write(0xb0, 0, 0),
            Effect::None,
            "edge: no EOI broadcast"
        );
        // Every edge delivers; nothing is remembered.
        assert!(io.assert(8, &mut l));
        l[1].ack(0x48);
        l[1].write(0xb0, 0, 0);
        program(&mut io, 8, 0x48 | MASKED as u32, 1);
        assert!(!io.assert(8, &mut l), "masked");
        assert_eq!(l[1].pending(), None);
        program(&mut io, 8, 0x48, 1);
        assert_eq!(l[1].pending(), None, "a masked edge is lost, not latched");
        // Broadcast, and a destination nobody has.
        program(&mut io, 8, 0x49, 0xff);
        assert!(io.assert(8, &mut l));
        assert_eq!((l[0].pending(), l[1].pending()), (Some(0x49), Some(0x49)));
        program(&mut io, 9, 0x4a, 7);
        assert!(!io.assert(9, &mut l));
        // A disabled local APIC takes nothing.
        let mut off = alloc::vec![Vlapic::new(0)];
        program(&mut io, 10, 0x4b, 0);
        assert!(!io.assert(10, &mut off));
        assert!(!io.assert(99, &mut l), "no such pin");
    }

    #[test]
    fn level_pins_hold_remote_irr_until_the_eoi() {
        let mut io = Vioapic::new(0, 0xfec0_0000, 0, 24);
        let mut l = lapics(1);
        program(&mut io, 5, 0x55 | LEVEL as u32 | 1 << 13, 0);
        assert!(io.assert(5, &mut l));
        assert!(io.entry(5).is_some_and(|e| Rte(e).remote_irr()));
        io.write(0, 0x10 + 10);
        assert_eq!(io.read(0x10) & (1 << 14), 1 << 14, "remote IRR reads back");
        assert!(!io.assert(5, &mut l), "awaiting the EOI");
        l[0].ack(0x55);
        assert_eq!(l[0].write(0xb0, 0, 0), Effect::Eoi(0x55));
        assert_eq!(io.eoi(0x56), Vec::<usize>::new(), "another vector");
        assert_eq!(io.eoi(0x55), alloc::vec![5]);
        assert!(io.entry(5).is_some_and(|e| !Rte(e).remote_irr()));
        // Still asserted: delivered again.
        assert!(io.service(5, &mut l));
        assert_eq!(l[0].pending(), Some(0x55));
        l[0].ack(0x55);
        l[0].write(0xb0, 0, 0);
        assert_eq!(io.eoi(0x55), alloc::vec![5]);
        io.deassert(5);
        assert!(!io.service(5, &mut l), "the line went low");
        // Masked while asserted: held, and sent when unmasked.
        program(&mut io, 5, 0x55 | (LEVEL | MASKED) as u32, 0);
        assert!(!io.assert(5, &mut l));
        program(&mut io, 5, 0x55 | LEVEL as u32, 0);
        assert!(io.service(5, &mut l));
        // Rewritten as edge: remote IRR goes.
        let w = program(&mut io, 5, 0x55, 0);
        assert!(w.is_some_and(|w| w.old.remote_irr() && !w.new.remote_irr()));
    }

    #[test]
    fn logical_and_lowest_priority_destinations() {
        let mut io = Vioapic::new(0, 0xfec0_0000, 0, 24);
        let mut l = lapics(3);
        for (i, a) in l.iter_mut().enumerate() {
            a.write(0xd0, 1 << (24 + i), 0); // flat model, one bit each
        }
        // Fixed, logical 0b110: vCPUs 1 and 2.
        program(&mut io, 3, 0x63 | 1 << 11, 0b110);
        assert!(io.assert(3, &mut l));
        let got: Vec<_> = l.iter().map(|a| a.pending()).collect();
        assert_eq!(got, [None, Some(0x63), Some(0x63)]);
        // Lowest priority, logical 0b110: the first match only.
        program(&mut io, 4, 0x74 | 1 << 11 | 1 << 8, 0b110);
        assert!(io.assert(4, &mut l));
        let got: Vec<_> = l.iter().map(|a| a.pending()).collect();
        assert_eq!(got, [None, Some(0x74), Some(0x63)]);
        // NMI, SMI, INIT and ExtINT are not delivered.
        for mode in [2u32, 4, 5, 7] {
            program(&mut io, 6, 0x20 | mode << 8, 0);
            assert!(!io.assert(6, &mut l), "mode {mode}");
        }
    }

    #[test]
    fn host_pins_are_bound_on_unmask_and_follow_the_mask() {
        let edge_high = Rte(0x30);
        let level_low = Rte(0x30 | LEVEL | 1 << 13);
        let masked = Rte(0x30 | MASKED);
        assert_eq!(
            host_pin(false, None, edge_high),
            HostPin::Leave,
            "Ferrite's GSI"
        );
        assert_eq!(
            host_pin(false, Some((false, false)), masked),
            HostPin::Leave
        );
        assert_eq!(
            host_pin(true, None, masked),
            HostPin::Leave,
            "never unmasked"
        );
        assert_eq!(host_pin(true, Some((true, true)), masked), HostPin::Mask);
        let first = HostPin::Enable {
            rebind: true,
            level: false,
            active_low: false,
        };
        assert_eq!(
            host_pin(true, None, edge_high),
            first,
            "bound on first unmask"
        );
        assert_eq!(
            host_pin(true, Some((false, false)), edge_high),
            HostPin::Enable {
                rebind: false,
                level: false,
                active_low: false
            },
            "same trigger: just unmasked"
        );
        assert_eq!(
            host_pin(true, Some((false, false)), level_low),
            HostPin::Enable {
                rebind: true,
                level: true,
                active_low: true
            },
            "trigger or polarity changed: bound again"
        );
    }

    #[test]
    fn level_pins_hold_the_host_line_until_the_eoi() {
        let mut io = Vioapic::new(0, 0xfec0_0000, 0, 24);
        let mut l = lapics(1);
        program(&mut io, 9, 0x59 | LEVEL as u32, 0);
        assert!(!io.holds_host_pin(9), "idle");
        assert!(io.assert(9, &mut l));
        assert!(io.holds_host_pin(9), "delivered, awaiting the EOI");
        assert_eq!(io.eoi(0x59), alloc::vec![9]);
        assert!(io.holds_host_pin(9), "still asserted");
        io.deassert(9);
        assert!(!io.holds_host_pin(9));
        program(&mut io, 9, 0x59, 0);
        io.assert(9, &mut l);
        assert!(!io.holds_host_pin(9), "edge pins never hold it");
        assert!(!io.holds_host_pin(200));
    }

    #[test]
    fn out_of_range_is_harmless() {
        let mut io = Vioapic::new(0, 0xfec0_0000, 24, 1);
        for sel in 0..=0xff {
            io.write(0, sel);
            io.write(0x10, u32::MAX);
            let _ = io.read(0x10);
        }
        for off in (0..0x1000).step_by(4) {
            io.write(off, u32::MAX);
            let _ = io.read(off);
        }
        assert_eq!(io.pins(), 1);
    }
}
