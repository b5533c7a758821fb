//! An emulated local APIC in xAPIC mode (Intel SDM vol. 3 ch. 11; Xen's
//! `xen/arch/x86/hvm/vlapic.c` is the behaviour followed): the register file at
//! 0xfee00000, interrupt acceptance and priority (IRR/ISR/TPR/PPR), EOI, IPIs through the
//! ICR, and the timer in one-shot and periodic mode on a 100 MHz bus clock (Xen's).
//!
//! Pure state: the run loop turns a guest's MMIO access into [`Vlapic::read`] and
//! [`Vlapic::write`], acts on the returned [`Effect`], asks [`Vlapic::pending`] before
//! entering the guest and [`Vlapic::ack`]s what the guest took.

/// Guest-physical base of the local APIC page.
pub const BASE: u64 = 0xfee0_0000;
/// An LVT entry's mask bit, the SVR's software-enable bit and the timer LVT's periodic
/// mode.
const MASKED: u32 = 1 << 16;
const SVR_ENABLE: u32 = 1 << 8;
const TIMER_PERIODIC: u32 = 1 << 17;

/// LVT registers in offset order: timer, thermal, performance, LINT0, LINT1, error.
const LVT_FIRST: u32 = 0x320;
/// How many there are.
const LVTS: usize = 6;
/// Writable bits of each LVT (vector, delivery mode, polarity, trigger, mask, timer mode).
const LVT_MASKS: [u32; LVTS] = [
    0x0003_10ff,
    0x0001_07ff,
    0x0001_07ff,
    0x0001_a7ff,
    0x0001_a7ff,
    0x0001_00ff,
];

/// What a register write asks the caller to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    None,
    /// A level-triggered interrupt was completed: the caller broadcasts the EOI to the
    /// I/O APICs (edge-triggered ones end silently, as with EOI-broadcast on real APICs).
    Eoi(u8),
    /// Send an IPI as the ICR says.
    Ipi(Ipi),
    /// The timer was (re)programmed: its next expiry may have changed.
    Timer,
}

/// An IPI from the ICR.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ipi {
    pub vector: u8,
    /// Delivery mode: 0 fixed, 1 lowest priority, 2 SMI, 4 NMI, 5 INIT, 6 start-up.
    pub mode: u8,
    /// Logical (true) or physical destination.
    pub logical: bool,
    /// 0 none (use `dest`), 1 self, 2 all including self, 3 all excluding self.
    pub shorthand: u8,
    pub dest: u8,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vlapic {
    id: u8,
    tpr: u32,
    ldr: u32,
    dfr: u32,
    svr: u32,
    esr: u32,
    icr_lo: u32,
    icr_hi: u32,
    lvt: [u32; LVTS],
    tmict: u32,
    tdcr: u32,
    /// When the current count was loaded, and the next expiry.
    timer_start: u64,
    timer_next: Option<u64>,
    irr: [u32; 8],
    isr: [u32; 8],
    tmr: [u32; 8],
}

fn test(bits: &[u32; 8], v: u8) -> bool {
    bits[usize::from(v >> 5)] & (1 << (v & 31)) != 0
}

fn set(bits: &mut [u32; 8], v: u8, on: bool) {
    let w = &mut bits[usize::from(v >> 5)];
    if on {
        *w |= 1 << (v & 31);
    } else {
        *w &= !(1 << (v & 31));
    }
}

fn highest(bits: &[u32; 8]) -> Option<u8> {
    (0..8usize)
        .rev()
        .find(|&i| bits[i] != 0)
        .map(|i| (i as u8) * 32 + (31 - bits[i].leading_zeros() as u8))
}

/// Version 0x14 (integrated APIC), six LVT entries (max LVT index 5).
pub const VERSION: u32 = 0x0005_0014;

impl Vlapic {
    /// The state after reset (SDM 11.4.7.1) with APIC id `id`.
    pub fn new(id: u8) -> Vlapic {
        Vlapic {
            id,
            tpr: 0,
            ldr: 0,
            dfr: 0xffff_ffff,
            svr: 0xff,
            esr: 0,
            icr_lo: 0,
            icr_hi: 0,
            lvt: [MASKED; LVTS],
            tmict: 0,
            tdcr: 0,
            timer_start: 0,
            timer_next: None,
            irr: [0; 8],
            isr: [0; 8],
            tmr: [0; 8],
        }
    }

    pub fn id(&self) -> u8 {
        self.id
    }

    /// Software-enabled (SVR bit 8).
    pub fn enabled(&self) -> bool {
        self.svr & SVR_ENABLE != 0
    }

    /// Whether this APIC matches a logical destination (flat or cluster model).
    pub fn matches_logical(&self, dest: u8) -> bool {
        let ldr = (self.ldr >> 24) as u8;
        if self.dfr >> 28 == 0xf {
            ldr & dest != 0
        } else {
            ldr >> 4 == dest >> 4 && ldr & dest & 0xf != 0
        }
    }

    fn ppr(&self) -> u32 {
        let isr = highest(&self.isr).map_or(0, u32::from);
        if (self.tpr & 0xf0) >= (isr & 0xf0) {
            self.tpr & 0xff
        } else {
            isr & 0xf0
        }
    }

    fn period_ns(&self) -> u64 {
        /// Nanoseconds per bus-clock tick (100 MHz, as Xen's vLAPIC).
        const BUS_NS: u64 = 10;
        let d = (self.tdcr & 3) | ((self.tdcr & 8) >> 1);
        let divisor = if d == 7 { 1 } else { 2u64 << d };
        u64::from(self.tmict) * divisor * BUS_NS
    }

    /// Reads the 32-bit register at `offset` in the APIC page.
    pub fn read(&self, offset: u32, now_ns: u64) -> u32 {
        let reg = offset & 0xff0;
        match reg {
            0x20 => u32::from(self.id) << 24,
            0x30 => VERSION,
            0x80 => self.tpr,
            0xa0 => self.ppr(),
            0xd0 => self.ldr,
            0xe0 => self.dfr,
            0xf0 => self.svr,
            0x100..=0x170 => self.isr[((reg - 0x100) >> 4) as usize],
            0x180..=0x1f0 => self.tmr[((reg - 0x180) >> 4) as usize],
            0x200..=0x270 => self.irr[((reg - 0x200) >> 4) as usize],
            0x280 => self.esr,
            0x300 => self.icr_lo & !(1 << 12), // delivery is immediate: never pending
            0x310 => self.icr_hi,
            0x320..=0x370 => self.lvt[((reg - LVT_FIRST) >> 4) as usize],
            0x380 => self.tmict,
            0x390 => self.current_count(now_ns),
            0x3e0 => self.tdcr,
            _ => 0,
        }
    }

    fn current_count(&self, now: u64) -> u32 {
        let period = self.period_ns();
        if period == 0 || self.timer_next.is_none() {
            return 0;
        }
        let elapsed = now.saturating_sub(self.timer_start);
        let left = if self.lvt[0] & TIMER_PERIODIC != 0 {
            period - elapsed % period
        } else {
            period.saturating_sub(elapsed)
        };
        let per_count = period / u64::from(self.tmict).max(1);
        (left / per_count.max(1)) as u32
    }

    /// Writes the 32-bit register at `offset`.
    pub fn write(&mut self, offset: u32, value: u32, now_ns: u64) -> Effect {
        let reg = offset & 0xff0;
        match reg {
            0x20 => self.id = (value >> 24) as u8,
            0x80 => self.tpr = value & 0xff,
            0xb0 => {
                if let Some(v) = highest(&self.isr) {
                    set(&mut self.isr, v, false);
                    if test(&self.tmr, v) {
                        set(&mut self.tmr, v, false);
                        return Effect::Eoi(v);
                    }
                }
            }
            0xd0 => self.ldr = value & 0xff00_0000,
            0xe0 => self.dfr = (value & 0xf000_0000) | 0x0fff_ffff,
            0xf0 => {
                self.svr = value & 0x3ff;
                if !self.enabled() {
                    for l in &mut self.lvt {
                        *l |= MASKED;
                    }
                }
            }
            0x280 => self.esr = 0,
            0x300 => {
                self.icr_lo = value & 0x000c_cfff;
                return Effect::Ipi(Ipi {
                    vector: value as u8,
                    mode: ((value >> 8) & 7) as u8,
                    logical: value & (1 << 11) != 0,
                    shorthand: ((value >> 18) & 3) as u8,
                    dest: (self.icr_hi >> 24) as u8,
                });
            }
            0x310 => self.icr_hi = value & 0xff00_0000,
            0x320..=0x370 => {
                let i = ((reg - LVT_FIRST) >> 4) as usize;
                let mut v = value & LVT_MASKS[i];
                if !self.enabled() {
                    v |= MASKED;
                }
                self.lvt[i] = v;
                if i == 0 {
                    return Effect::Timer;
                }
            }
            0x380 => {
                self.tmict = value;
                self.timer_start = now_ns;
                self.timer_next = (value != 0).then(|| now_ns.saturating_add(self.period_ns()));
                return Effect::Timer;
            }
            0x3e0 => {
                self.tdcr = value & 0xb;
                return Effect::Timer;
            }
            _ => {}
        }
        Effect::None
    }

    /// When the timer next expires.
    pub fn timer_deadline(&self) -> Option<u64> {
        self.timer_next
    }

    /// Fires the timer if it is due: raises its vector (unless masked) and re-arms it in
    /// periodic mode. True if it expired.
    pub fn timer_tick(&mut self, now_ns: u64) -> bool {
        let Some(next) = self.timer_next.filter(|&n| n <= now_ns) else {
            return false;
        };
        let lvt = self.lvt[0];
        let period = self.period_ns();
        self.timer_next = if lvt & TIMER_PERIODIC != 0 && period > 0 {
            // Skip the periods that passed unseen: one interrupt, as a busy host would give.
            let missed = (now_ns - next) / period;
            Some(next + period * (missed + 1))
        } else {
            None
        };
        if lvt & MASKED == 0 {
            self.accept(lvt as u8);
        }
        true
    }

    /// Accepts fixed, edge-triggered interrupt `vector` into the IRR (vectors below 16 are
    /// illegal).
    pub fn accept(&mut self, vector: u8) {
        self.accept_irq(vector, false);
    }

    /// Accepts `vector` from an I/O APIC; a `level`-triggered one is marked in the TMR, so
    /// that its EOI is reported ([`Effect::Eoi`]) for the I/O APIC's remote IRR.
    pub fn accept_irq(&mut self, vector: u8, level: bool) {
        if vector >= 16 {
            set(&mut self.irr, vector, true);
            set(&mut self.tmr, vector, level);
        } else {
            self.esr |= 1 << 6; // received illegal vector
        }
    }

    /// The vector to deliver now: the highest requested one whose priority class is above
    /// the processor priority.
    pub fn pending(&self) -> Option<u8> {
        let v = highest(&self.irr)?;
        (u32::from(v) & 0xf0 > self.ppr() & 0xf0).then_some(v)
    }

    /// The guest took `vector`: it moves from requested to in service.
    pub fn ack(&mut self, vector: u8) {
        if test(&self.irr, vector) {
            set(&mut self.irr, vector, false);
            set(&mut self.isr, vector, true);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reset_state_and_identity() {
        let a = Vlapic::new(3);
        assert_eq!(a.read(0x20, 0), 3 << 24);
        assert_eq!(a.read(0x30, 0), VERSION);
        assert_eq!(a.read(0xf0, 0), 0xff);
        assert_eq!(a.read(0x320, 0), MASKED);
        assert_eq!(a.read(0xe0, 0), 0xffff_ffff);
        assert!(!a.enabled());
    }

    #[test]
    fn priority_and_eoi() {
        let mut a = Vlapic::new(0);
        a.write(0xf0, 0x1ff, 0);
        a.accept(0x31);
        a.accept(0x52);
        assert_eq!(a.pending(), Some(0x52));
        a.ack(0x52);
        // 0x31 is in a lower class than the one in service.
        assert_eq!(a.pending(), None);
        assert_eq!(a.read(0xa0, 0), 0x50);
        assert_eq!(
            a.write(0xb0, 0, 0),
            Effect::None,
            "edge: nothing to broadcast"
        );
        assert_eq!(a.pending(), Some(0x31));
        // TPR blocks its class and below.
        a.write(0x80, 0x30, 0);
        assert_eq!(a.pending(), None);
        a.write(0x80, 0x20, 0);
        assert_eq!(a.pending(), Some(0x31));
        a.accept(3);
        assert_eq!(a.read(0x280, 0), 0x40, "illegal vector received");
        a.write(0x280, 0, 0);
        assert_eq!(a.read(0x280, 0), 0, "a write clears the ESR");
        assert_eq!(a.write(0xb0, 0, 0), Effect::None, "nothing in service");
    }

    #[test]
    fn level_eoi_is_reported_with_its_vector() {
        let mut a = Vlapic::new(0);
        a.write(0xf0, 0x1ff, 0);
        a.accept_irq(0x61, true);
        a.accept_irq(0x40, false);
        assert_eq!(a.read(0x180 + 0x30, 0), 1 << 1, "TMR bit of 0x61");
        a.ack(0x61);
        assert_eq!(a.write(0xb0, 0, 0), Effect::Eoi(0x61));
        assert_eq!(a.read(0x180 + 0x30, 0), 0, "TMR cleared at EOI");
        a.ack(0x40);
        assert_eq!(a.write(0xb0, 0, 0), Effect::None);
    }

    #[test]
    fn icr_sends_ipis() {
        let mut a = Vlapic::new(0);
        a.write(0x310, 2 << 24, 0);
        let e = a.write(0x300, 0x0000_40f0, 0);
        assert_eq!(
            e,
            Effect::Ipi(Ipi {
                vector: 0xf0,
                mode: 0,
                logical: false,
                shorthand: 0,
                dest: 2
            })
        );
        let e = a.write(0x300, (3 << 18) | (5 << 8), 0);
        assert!(matches!(
            e,
            Effect::Ipi(Ipi {
                mode: 5,
                shorthand: 3,
                ..
            })
        ));
        assert_eq!(a.read(0x300, 0) & (1 << 12), 0, "never delivery-pending");
    }

    #[test]
    fn one_shot_and_periodic_timer() {
        let mut a = Vlapic::new(0);
        a.write(0xf0, 0x1ff, 0);
        a.write(0x3e0, 0xb, 0); // divide by 1
        a.write(0x320, 0x40, 0); // one-shot, vector 0x40
        a.write(0x380, 1000, 100); // 1000 ticks of 10 ns
        assert_eq!(a.timer_deadline(), Some(10_100));
        assert_eq!(a.read(0x390, 5_100), 500);
        assert!(!a.timer_tick(10_099));
        assert!(a.timer_tick(10_100));
        assert_eq!(a.pending(), Some(0x40));
        assert_eq!(a.timer_deadline(), None);
        assert_eq!(a.read(0x390, 20_000), 0);
        // Periodic, divide by 2: 20 us periods; a late tick skips what it missed.
        a.write(0x320, TIMER_PERIODIC | 0x41, 0);
        a.write(0x3e0, 0, 0);
        a.write(0x380, 1000, 0);
        assert_eq!(a.timer_deadline(), Some(20_000));
        assert!(a.timer_tick(65_000));
        assert_eq!(a.timer_deadline(), Some(80_000));
        // Masked: expires, raises nothing.
        a.ack(0x40);
        a.ack(0x41);
        a.write(0x320, MASKED | TIMER_PERIODIC | 0x41, 0);
        a.write(0x380, 1000, 0);
        assert!(a.timer_tick(20_000));
        assert_eq!(a.pending(), None);
        a.write(0x380, 0, 0);
        assert_eq!(a.timer_deadline(), None, "count 0 stops it");
    }

    #[test]
    fn disabling_masks_every_lvt() {
        let mut a = Vlapic::new(0);
        a.write(0xf0, 0x1ff, 0);
        a.write(0x350, 0x700, 0); // LINT0 ExtINT unmasked
        assert_eq!(a.read(0x350, 0), 0x700);
        a.write(0xf0, 0xff, 0);
        assert_eq!(a.read(0x350, 0) & MASKED, MASKED);
        a.write(0x360, 0x400, 0);
        assert_eq!(
            a.read(0x360, 0) & MASKED,
            MASKED,
            "stays masked while disabled"
        );
    }

    #[test]
    fn logical_destinations() {
        let mut a = Vlapic::new(1);
        a.write(0xd0, 0x0200_0000, 0);
        assert!(a.matches_logical(0x02) && a.matches_logical(0xff) && !a.matches_logical(0x01));
        a.write(0xe0, 0x0fff_ffff, 0); // cluster model
        a.write(0xd0, 0x1200_0000, 0);
        assert!(a.matches_logical(0x12) && !a.matches_logical(0x22));
    }

    #[test]
    fn any_offset_and_value_is_safe() {
        let mut a = Vlapic::new(0);
        for off in (0..0x1000).step_by(4) {
            for v in [0, u32::MAX, 0x8000_0000] {
                let _ = a.write(off, v, u64::from(off));
                let _ = a.read(off, u64::MAX);
                let _ = a.timer_tick(u64::MAX);
                let _ = a.pending();
            }
        }
    }
}
