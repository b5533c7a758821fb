//! The CPU: ID registers and the EL2 features Ferrite cares about (Xen's
//! `xen/arch/arm/cpufeature.c`), MPIDR, interrupts masking and halting.

macro_rules! read_sysreg {
    ($name:literal) => {{
        let v: u64;
        // SAFETY: reading an ID or status register has no side effect.
        unsafe { core::arch::asm!(concat!("mrs {}, ", $name), out(reg) v, options(nomem, nostack, preserves_flags)) };
        v
    }};
}
pub(crate) use read_sysreg;

/// What the ID registers say.
#[derive(Clone, Copy, Debug)]
pub struct Features {
    pub midr: u64,
    pub pfr0: u64,
    pub mmfr0: u64,
    pub mmfr1: u64,
}

impl Features {
    pub fn read() -> Features {
        Features {
            midr: read_sysreg!("midr_el1"),
            pfr0: read_sysreg!("id_aa64pfr0_el1"),
            mmfr0: read_sysreg!("id_aa64mmfr0_el1"),
            mmfr1: read_sysreg!("id_aa64mmfr1_el1"),
        }
    }

    /// Physical address bits (PARange).
    pub fn pa_bits(&self) -> u32 {
        match self.mmfr0 & 0xf {
            0 => 32,
            1 => 36,
            2 => 40,
            3 => 42,
            4 => 44,
            5 => 48,
            _ => 52,
        }
    }

    /// VHE (FEAT_VHE): Ferrite does not use it yet, but says whether it is there.
    pub fn vhe(&self) -> bool {
        (self.mmfr1 >> 8) & 0xf != 0
    }

    pub fn vmid_bits(&self) -> u32 {
        if (self.mmfr1 >> 4) & 0xf == 2 { 16 } else { 8 }
    }

    /// The GIC system-register interface (GICv3+) is implemented.
    pub fn gic_sysregs(&self) -> bool {
        (self.pfr0 >> 24) & 0xf != 0
    }

    pub fn sve(&self) -> bool {
        (self.pfr0 >> 32) & 0xf != 0
    }

    pub fn el2_aarch64(&self) -> bool {
        (self.pfr0 >> 8) & 0xf != 0
    }

    pub fn implementer(&self) -> u8 {
        (self.midr >> 24) as u8
    }

    pub fn part(&self) -> u16 {
        ((self.midr >> 4) & 0xfff) as u16
    }
}

/// MPIDR_EL1's affinity fields packed as Aff3:Aff2:Aff1:Aff0 (32 bits).
pub fn mpidr_affinity() -> u32 {
    let m = read_sysreg!("mpidr_el1");
    ((m & 0x00ff_ffff) | ((m >> 8) & 0xff00_0000)) as u32
}

/// MPIDR_EL1's affinity fields in their register positions (as the DT and PSCI name CPUs).
pub fn mpidr() -> u64 {
    read_sysreg!("mpidr_el1") & 0xff_00ff_ffff
}

pub fn enable_interrupts() {
    // SAFETY: unmasks IRQs; the vectors and the GIC are set up before this is called.
    unsafe { core::arch::asm!("msr daifclr, #2", options(nomem, nostack)) };
}

pub fn disable_interrupts() {
    // SAFETY: masks IRQs only.
    unsafe { core::arch::asm!("msr daifset, #2", options(nomem, nostack)) };
}

/// Masks IRQs; returns whether they were unmasked.
pub fn irq_save() -> bool {
    let daif = read_sysreg!("daif");
    disable_interrupts();
    daif & (1 << 7) == 0
}

/// Unmasks IRQs if `was_on`.
pub fn irq_restore(was_on: bool) {
    if was_on {
        enable_interrupts();
    }
}

/// Sleeps until the next interrupt unless `done()` already holds: the check runs with IRQs
/// masked, and WFI still wakes for an IRQ that is pending while masked, so the awaited
/// interrupt cannot slip in between (it is taken when IRQs are unmasked again).
pub fn wait_unless(done: &dyn Fn() -> bool) {
    let was_on = irq_save();
    if !done() {
        halt();
    }
    irq_restore(was_on);
}

/// Waits for an interrupt.
pub fn halt() {
    // SAFETY: WFI only waits.
    unsafe { core::arch::asm!("wfi", options(nomem, nostack)) };
}

/// Stops this CPU for good.
pub fn halt_forever() -> ! {
    disable_interrupts();
    loop {
        halt();
    }
}

/// The frame pointer of the caller's frame.
#[inline(always)]
pub fn frame_pointer() -> u64 {
    let fp: u64;
    // SAFETY: reads x29.
    unsafe {
        core::arch::asm!("mov {}, x29", out(reg) fp, options(nomem, nostack, preserves_flags))
    };
    fp
}

/// The physical counter (CNTPCT_EL0).
pub fn counter() -> u64 {
    let v: u64;
    // SAFETY: reading the counter has no side effect; the ISB keeps it in program order.
    unsafe { core::arch::asm!("isb", "mrs {}, cntpct_el0", out(reg) v, options(nomem, nostack)) };
    v
}

/// The virtual counter (CNTVCT_EL0): with CNTVOFF_EL2 = 0 the same as the physical one.
pub fn virtual_counter() -> u64 {
    let v: u64;
    // SAFETY: as in `counter`.
    unsafe { core::arch::asm!("isb", "mrs {}, cntvct_el0", out(reg) v, options(nomem, nostack)) };
    v
}
