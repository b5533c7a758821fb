//! NMI blocking for a guest on SVM without vNMI (AMD APM vol. 2 15.20 "Event Injection" and
//! 15.9 "Instruction Intercepts"; KVM's `iret_interception` and `HF_NMI_MASK` in
//! `arch/x86/kvm/svm/svm.c`, Xen's `VMEXIT_IRET` case in `xen/arch/x86/hvm/svm/svm.c`).
//!
//! The VMCB holds no NMI-blocked state, so software keeps it: once an NMI is injected, no
//! other until the guest's handler returns with IRET. The IRET intercept exits *before* the
//! IRET runs, so the window opens at the first later exit whose RIP has moved on from it
//! (KVM's `awaiting_iret_completion`). An interrupt shadow (STI, MOV SS) holds an NMI off
//! too. The guest cannot clear GIF (STGI/CLGI are intercepted), so GIF needs no check.
//!
//! An NMI that waits for the end of an IRET or a shadow should not wait for some unrelated
//! exit: as KVM's `nmi_singlestep`, the guest is run for one instruction with RFLAGS.TF set
//! and #DB intercepted, so it exits right after (unless the guest single-steps itself).

/// One vCPU's NMI blocking.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NmiState {
    /// An injected NMI's handler has not returned yet.
    blocked: bool,
    /// RIP of the intercepted IRET that ends the handler, until it has run.
    iret_at: Option<u64>,
    /// An NMI waits for the window (an injection was refused).
    wanted: bool,
}

impl NmiState {
    /// Whether an NMI may be injected now: not blocked by an earlier one, not in an
    /// interrupt shadow, and no other event already queued for injection.
    pub fn can_inject(&self, shadow: bool, queued: bool) -> bool {
        !self.blocked && !shadow && !queued
    }

    /// An NMI was queued for injection: NMIs are blocked until its IRET.
    pub fn injected(&mut self) {
        self.blocked = true;
        self.iret_at = None;
        self.wanted = false;
    }

    /// An NMI could not be injected now: it waits for the window.
    pub fn refused(&mut self) {
        self.wanted = true;
    }

    /// Whether the next run should single-step to open the window: an NMI waits, and what
    /// holds it off ends with the next instruction (the IRET already seen, or an interrupt
    /// shadow). Not when the guest steps itself (`guest_tf`): its #DB is its own.
    pub fn single_step(&self, shadow: bool, guest_tf: bool) -> bool {
        self.wanted && !guest_tf && (shadow || (self.blocked && self.iret_at.is_some()))
    }

    /// Whether the next run must intercept IRET: blocked, and the IRET not yet seen.
    pub fn intercept_iret(&self) -> bool {
        self.blocked && self.iret_at.is_none()
    }

    /// Called after every exit with the guest's RIP; `iret` for an IRET intercept. An IRET
    /// seen earlier has completed once RIP has left it.
    pub fn exited(&mut self, rip: u64, iret: bool) {
        if self.iret_at.is_some_and(|at| at != rip) {
            self.blocked = false;
            self.iret_at = None;
        }
        if iret && self.blocked {
            self.iret_at = Some(rip);
        }
    }

    /// Whether NMIs are blocked.
    pub fn blocked(&self) -> bool {
        self.blocked
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocked_from_injection_until_the_iret_has_run() {
        let mut n = NmiState::default();
        assert!(n.can_inject(false, false));
        assert!(!n.can_inject(true, false), "interrupt shadow");
        assert!(!n.can_inject(false, true), "an event already queued");
        assert!(!n.intercept_iret());
        n.injected();
        assert!(!n.can_inject(false, false));
        assert!(n.intercept_iret());
        // Exits inside the handler change nothing.
        n.exited(0x5000, false);
        assert!(n.blocked());
        // The IRET exits before it runs: still blocked, no more IRET intercepts.
        n.exited(0x5100, true);
        assert!(n.blocked());
        assert!(!n.intercept_iret());
        // An exit at the same RIP (the IRET has not run yet) keeps the block.
        n.exited(0x5100, false);
        assert!(n.blocked());
        // Once RIP has moved on, the window is open.
        n.exited(0x1234, false);
        assert!(!n.blocked());
        assert!(n.can_inject(false, false));
    }

    #[test]
    fn single_steps_only_over_the_last_obstacle() {
        let mut n = NmiState::default();
        assert!(!n.single_step(true, false), "nothing waits");
        n.injected();
        n.refused();
        assert!(
            !n.single_step(false, false),
            "the handler runs: wait for its IRET"
        );
        n.exited(0x5100, true);
        assert!(n.single_step(false, false), "step over the IRET");
        assert!(!n.single_step(false, true), "the guest's own TF");
        n.exited(0x1234, false);
        assert!(n.can_inject(false, false));
        assert!(n.single_step(true, false), "step out of a shadow");
        n.injected();
        assert!(!n.single_step(true, false), "delivered");
    }

    #[test]
    fn an_iret_outside_a_handler_is_ignored() {
        let mut n = NmiState::default();
        n.exited(0x5100, true);
        assert!(!n.blocked());
        n.exited(0x6000, false);
        assert!(n.can_inject(false, false));
    }
}
