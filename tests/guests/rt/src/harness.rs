//! Named test cases and the one-line verdict, in the form Xen's XTF prints
//! (`Test result: SUCCESS`, or `FAILURE`/`SKIP`/`ERROR` with a reason), then the shutdown.
//!
//! A case is `fn() -> Outcome`: `Ok(())` passes, `Err(Verdict::Fail(..))` fails and
//! `Err(Verdict::Skip(..))` skips, usually through the [`fail!`](crate::fail),
//! [`skip!`](crate::skip) and [`check!`](crate::check) macros. The guest's result is FAILURE if a
//! case failed (the first failure is the reason), SKIP if every case skipped, SUCCESS otherwise.
//! An exception or panic ends the guest at once with ERROR.

use core::fmt::{self, Write};
use core::sync::atomic::{AtomicBool, Ordering};

use crate::{exit, println, xen};

/// Longest reason kept; longer text is cut. Small enough that `Outcome` stays a cheap return
/// value (clippy's `result_large_err` limit is 128 bytes).
pub const REASON_MAX: usize = 118;

/// A reason: formatted text in a fixed buffer (the guest has no allocator).
#[derive(Clone, Copy)]
pub struct Reason {
    buf: [u8; REASON_MAX],
    len: u8,
}

impl Reason {
    /// Formats `args` into a reason.
    pub fn new(args: fmt::Arguments<'_>) -> Reason {
        let mut r = Reason {
            buf: [0; REASON_MAX],
            len: 0,
        };
        let _ = r.write_fmt(args);
        r
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        let bytes = self.buf.get(..usize::from(self.len)).unwrap_or_default();
        // Cutting may split a UTF-8 sequence: keep the valid prefix.
        match core::str::from_utf8(bytes) {
            Ok(s) => s,
            Err(e) => core::str::from_utf8(bytes.get(..e.valid_up_to()).unwrap_or_default())
                .unwrap_or_default(),
        }
    }
}

impl Write for Reason {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for &b in s.as_bytes() {
            if let Some(slot) = self.buf.get_mut(usize::from(self.len)) {
                *slot = b;
                self.len += 1;
            }
        }
        Ok(())
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

/// Why a case did not pass.
#[derive(Clone, Copy, Debug)]
pub enum Verdict {
    /// The case found a bug.
    Fail(Reason),
    /// The case cannot run here (feature missing, ...).
    Skip(Reason),
}

/// What a case returns.
pub type Outcome = Result<(), Verdict>;

/// A named test case.
#[derive(Clone, Copy)]
pub struct Case {
    /// Printed as `Test: <name>`.
    pub name: &'static str,
    /// The case itself.
    pub run: fn() -> Outcome,
}

/// The guest's overall result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Every case passed (or some skipped).
    Success,
    /// A case failed.
    Failure,
    /// Nothing could run.
    Skip,
    /// The guest itself broke (exception, panic, broken environment).
    Error,
}

impl Status {
    fn word(self) -> &'static str {
        match self {
            Status::Success => "SUCCESS",
            Status::Failure => "FAILURE",
            Status::Skip => "SKIP",
            Status::Error => "ERROR",
        }
    }
}

static REPORTED: AtomicBool = AtomicBool::new(false);

/// Prints the result line (once per guest) and shuts down: `SHUTDOWN_poweroff` after SUCCESS,
/// FAILURE or SKIP, `SHUTDOWN_crash` after ERROR (see [`exit::shut_down`]).
pub fn finish(status: Status, reason: Option<fmt::Arguments<'_>>) -> ! {
    if !REPORTED.swap(true, Ordering::AcqRel) {
        match reason {
            Some(r) => println!("Test result: {} ({})", status.word(), r),
            None => println!("Test result: {}", status.word()),
        }
    }
    exit::shut_down(status)
}

/// Runs `cases` in order and finishes with the guest's result. Without Xen the guest reports
/// SKIP without running anything.
pub fn run(title: &str, cases: &[Case]) -> ! {
    println!("--- Ferrite test guest: {title} ---");
    let Some(x) = xen::info() else {
        println!("Xen not found");
        finish(Status::Skip, Some(format_args!("not running on Xen")))
    };
    println!(
        "Environment: PVH 64-bit, Xen {}.{} (CPUID base {:#x}), hypercall page {}",
        x.major(),
        x.minor(),
        x.base,
        if xen::hypercalls_ready() {
            "installed"
        } else {
            "MISSING"
        }
    );
    let mut first_failure: Option<(&'static str, Reason)> = None;
    let mut first_skip: Option<(&'static str, Reason)> = None;
    let (mut passed, mut failed, mut skipped) = (0u32, 0u32, 0u32);
    for case in cases {
        println!("Test: {}", case.name);
        match (case.run)() {
            Ok(()) => {
                passed += 1;
                println!("PASS: {}", case.name);
            }
            Err(Verdict::Fail(r)) => {
                failed += 1;
                println!("FAIL: {}: {}", case.name, r);
                first_failure.get_or_insert((case.name, r));
            }
            Err(Verdict::Skip(r)) => {
                skipped += 1;
                println!("SKIP: {}: {}", case.name, r);
                first_skip.get_or_insert((case.name, r));
            }
        }
    }
    println!("{passed} passed, {failed} failed, {skipped} skipped");
    if let Some((name, r)) = first_failure {
        finish(Status::Failure, Some(format_args!("{name}: {r}")))
    }
    if passed == 0 {
        if let Some((name, r)) = first_skip {
            finish(Status::Skip, Some(format_args!("{name}: {r}")))
        }
        finish(Status::Skip, Some(format_args!("no test cases")))
    }
    finish(Status::Success, None)
}

/// Fails the current case: `fail!("got {x}")` returns `Err(Verdict::Fail(..))`.
#[macro_export]
macro_rules! fail {
    ($($arg:tt)*) => {
        return ::core::result::Result::Err($crate::harness::Verdict::Fail(
            $crate::harness::Reason::new(format_args!($($arg)*)),
        ))
    };
}

/// Skips the current case: `skip!("no VIRQ_TIMER")`.
#[macro_export]
macro_rules! skip {
    ($($arg:tt)*) => {
        return ::core::result::Result::Err($crate::harness::Verdict::Skip(
            $crate::harness::Reason::new(format_args!($($arg)*)),
        ))
    };
}

/// Fails the current case unless `cond` holds: `check!(ret == 0, "ret {ret}")`.
#[macro_export]
macro_rules! check {
    ($cond:expr, $($arg:tt)*) => {
        if !$cond {
            $crate::fail!($($arg)*);
        }
    };
}

/// Declares the guest: its title and its cases, in order, by function name.
///
/// ```ignore
/// ferrite_guest_rt::guest!("hello", [start_info, cpuid_leaves]);
/// ```
#[macro_export]
macro_rules! guest {
    ($title:expr, [$($case:path),* $(,)?]) => {
        /// The entry the runtime calls after boot (`boot::guest_rust_start`).
        #[unsafe(no_mangle)]
        fn ferrite_guest_main() -> ! {
            $crate::harness::run(
                $title,
                &[$($crate::harness::Case { name: stringify!($case), run: $case }),*],
            )
        }
    };
}
