//! A vCPU's FPU, SSE and extended state (x87, XMM, YMM, ... : Intel SDM vol. 1 ch. 13,
//! AMD APM vol. 2 §11.5; Xen's `xen/arch/x86/xstate.c` and `i387.c`). SVM switches none of
//! it, so each vCPU keeps its own in a save area, loaded right before VMRUN and saved right
//! after (eager switching: Ferrite itself never touches these registers, being built
//! soft-float). XCR0 is the guest's while it runs: Ferrite intercepts XSETBV, checks the
//! value and sets it on entry. CPUs without XSAVE use FXSAVE/FXRSTOR (x87 and SSE).

/// XCR0 bits (SDM vol. 1 §13.3).
pub const X87: u64 = 1 << 0;
pub const SSE: u64 = 1 << 1;
pub const AVX: u64 = 1 << 2;
const BNDREGS: u64 = 1 << 3;
const BNDCSR: u64 = 1 << 4;
const AVX512: u64 = 0b111 << 5;
const AMX: u64 = 0b11 << 17;

/// Whether a guest may set XCR0 to `value` on a CPU whose XCR0 may hold `supported` (the
/// rules XSETBV itself enforces, SDM vol. 1 §13.3): x87 always on, AVX only with SSE, the
/// AVX-512 and AMX groups whole and with their prerequisites, nothing unsupported.
pub fn xcr0_valid(value: u64, supported: u64) -> bool {
    let has = |m: u64| value & m == m;
    let any = |m: u64| value & m != 0;
    value & !supported == 0
        && has(X87)
        && (!any(AVX) || has(SSE))
        && (!any(AVX512) || (has(AVX512) && has(AVX)))
        && (has(BNDREGS) == has(BNDCSR))
        && (!any(AMX) || has(AMX))
}

#[cfg(target_os = "none")]
pub use hw::{XState, init_this_cpu};

#[cfg(target_os = "none")]
mod hw {
    use core::sync::atomic::{AtomicBool, AtomicU64, Ordering};

    use super::{SSE, X87};
    use crate::memory;
    use crate::x86_64::cpu;

    static XSAVE: AtomicBool = AtomicBool::new(false);
    static SUPPORTED: AtomicU64 = AtomicU64::new(X87 | SSE);
    /// Bytes a save area needs for everything the CPU supports.
    static AREA_BYTES: AtomicU64 = AtomicU64::new(512);

    const CR4_OSFXSR: u64 = 1 << 9;
    const CR4_OSXMMEXCPT: u64 = 1 << 10;
    const CR4_OSXSAVE: u64 = 1 << 18;

    /// Lets this CPU save and load guest state: CR4.OSFXSR (FXSAVE covers the XMM
    /// registers only with it) and, with XSAVE, CR4.OSXSAVE. Each CPU runs it once, early.
    pub fn init_this_cpu() {
        let leaf1 = cpu::cpuid(1, 0);
        let xsave = leaf1.ecx & (1 << 26) != 0;
        let mut cr4 = read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT;
        if xsave {
            cr4 |= CR4_OSXSAVE;
        }
        // SAFETY: the bits set are supported (FXSR is architectural on x86_64; OSXSAVE only
        // when CPUID reports XSAVE) and change nothing for code that uses no FPU or SSE.
        unsafe { core::arch::asm!("mov cr4, {}", in(reg) cr4, options(nostack)) };
        if xsave {
            let d = cpu::cpuid(0xd, 0);
            let supported = u64::from(d.eax) | (u64::from(d.edx) << 32);
            SUPPORTED.store(supported, Ordering::Relaxed);
            AREA_BYTES.store(u64::from(d.ecx).max(512 + 64), Ordering::Relaxed);
        }
        XSAVE.store(xsave, Ordering::Relaxed);
    }

    fn read_cr4() -> u64 {
        let v: u64;
        // SAFETY: reading CR4 has no side effects.
        unsafe { core::arch::asm!("mov {}, cr4", out(reg) v, options(nomem, nostack)) };
        v
    }

    /// The XCR0 bits this CPU supports (x87 and SSE without XSAVE).
    pub fn supported() -> u64 {
        SUPPORTED.load(Ordering::Relaxed)
    }

    /// One vCPU's saved state and its XCR0.
    pub struct XState {
        /// Page-aligned frames (XSAVE wants 64-byte alignment), owned by this vCPU.
        area: u64,
        pages: u64,
        xcr0: u64,
    }

    impl XState {
        /// The state a CPU has after reset: x87 control word 0x37f, MXCSR 0x1f80, all else
        /// in its initial configuration (XSTATE_BV 0), XCR0 = x87.
        pub fn new() -> Option<XState> {
            let pages = AREA_BYTES.load(Ordering::Relaxed).div_ceil(4096).max(1);
            let area = memory::alloc_zeroed(pages, 1)?;
            // SAFETY: the frames are fresh, mapped 1:1, and at least 512 bytes long.
            unsafe {
                core::ptr::write_unaligned(area as *mut u16, 0x37f);
                core::ptr::write_unaligned((area + 24) as *mut u32, 0x1f80);
            }
            Some(XState {
                area,
                pages,
                xcr0: X87,
            })
        }

        pub fn xcr0(&self) -> u64 {
            self.xcr0
        }

        /// XSETBV by the guest: `false` (the guest gets #GP) unless XCR0 may be `value`.
        pub fn set_xcr0(&mut self, value: u64) -> bool {
            let ok = XSAVE.load(Ordering::Relaxed) && super::xcr0_valid(value, supported());
            if ok {
                self.xcr0 = value;
            }
            ok
        }

        /// Loads the guest's state into the CPU (interrupts off, right before VMRUN).
        pub fn load(&self) {
            if XSAVE.load(Ordering::Relaxed) {
                // SAFETY: CR4.OSXSAVE is set on every CPU that runs guests
                // (`init_this_cpu`); XCR0 is a valid value (`set_xcr0` checked it); the area
                // is this vCPU's, 64-byte aligned and large enough for every supported
                // component, and holds what XSAVE stored or the initial image.
                unsafe {
                    xsetbv(self.xcr0);
                    core::arch::asm!(
                        "xrstor64 [{}]",
                        in(reg) self.area,
                        in("eax") self.xcr0 as u32,
                        in("edx") (self.xcr0 >> 32) as u32,
                        options(nostack)
                    );
                }
            } else {
                // SAFETY: FXRSTOR needs a 16-byte-aligned 512-byte image: the area is a
                // page, holding what FXSAVE stored or the initial image.
                unsafe { core::arch::asm!("fxrstor64 [{}]", in(reg) self.area, options(nostack)) };
            }
        }

        /// Saves the guest's state from the CPU (interrupts off, right after the exit).
        pub fn save(&mut self) {
            if XSAVE.load(Ordering::Relaxed) {
                // SAFETY: as in `load`; XCR0 still holds this guest's value (the guest
                // cannot change it without an exit, XSETBV being intercepted).
                unsafe {
                    core::arch::asm!(
                        "xsave64 [{}]",
                        in(reg) self.area,
                        in("eax") self.xcr0 as u32,
                        in("edx") (self.xcr0 >> 32) as u32,
                        options(nostack)
                    );
                }
            } else {
                // SAFETY: as in `load`.
                unsafe { core::arch::asm!("fxsave64 [{}]", in(reg) self.area, options(nostack)) };
            }
        }
    }

    impl Drop for XState {
        fn drop(&mut self) {
            // Frames that come back are zeroed by the allocator's free path.
            let _ = memory::free(self.area, self.pages);
        }
    }

    /// # Safety
    /// CR4.OSXSAVE must be set and `v` a valid XCR0 for this CPU.
    unsafe fn xsetbv(v: u64) {
        // SAFETY: the caller's contract.
        unsafe {
            core::arch::asm!(
                "xsetbv",
                in("ecx") 0u32,
                in("eax") v as u32,
                in("edx") (v >> 32) as u32,
                options(nomem, nostack)
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: u64 = X87 | SSE | AVX | BNDREGS | BNDCSR | AVX512 | (1 << 9) | AMX;

    #[test]
    fn xcr0_rules() {
        assert!(xcr0_valid(X87, ALL));
        assert!(xcr0_valid(X87 | SSE | AVX, ALL));
        assert!(xcr0_valid(X87 | SSE | AVX | AVX512, ALL));
        assert!(!xcr0_valid(0, ALL), "x87 is always on");
        assert!(!xcr0_valid(SSE, ALL), "x87 is always on");
        assert!(!xcr0_valid(X87 | AVX, ALL), "AVX needs SSE");
        assert!(
            !xcr0_valid(X87 | SSE | AVX | (1 << 5), ALL),
            "AVX-512 is all or none"
        );
        assert!(!xcr0_valid(X87 | SSE | AVX512, ALL), "AVX-512 needs AVX");
        assert!(!xcr0_valid(X87 | BNDREGS, ALL), "MPX is both or none");
        assert!(
            !xcr0_valid(X87 | SSE | (1 << 17), ALL),
            "AMX is both or none"
        );
        assert!(!xcr0_valid(X87 | SSE | AVX, X87 | SSE), "unsupported");
        assert!(!xcr0_valid(X87 | (1 << 63), ALL), "reserved");
    }
}
