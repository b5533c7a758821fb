//! The crash report every architecture prints on a fatal trap or a panic, in the shape of
//! Xen's (`xen/arch/*/traps.c` `show_execution_state`, `xen/drivers/char/console.c` `panic`).
//!
//! Arch code fills a [`CrashReport`]; the formatting and the frame-pointer walk are shared.

use core::fmt;

/// What the kernel does with a crash report: print it and stop per the reboot policy.
pub type Handler = fn(&CrashReport<'_>) -> !;

static HANDLER: spin::Once<Handler> = spin::Once::new();
/// What to do when a crash happens before the kernel registered a handler: the arch's raw
/// early console write and its stop.
type EarlyWrite = fn(&[u8]);
type EarlyStop = fn() -> !;
static EARLY: spin::Once<(EarlyWrite, EarlyStop)> = spin::Once::new();

/// Registers the kernel's crash handler (once).
pub fn set_handler(h: Handler) {
    HANDLER.call_once(|| h);
}

/// Registers the architecture's early fallback: a raw write and a stop.
pub fn set_early(write: fn(&[u8]), stop: fn() -> !) {
    EARLY.call_once(|| (write, stop));
}

/// Hands `r` to the kernel's handler, or prints it raw if there is none yet.
pub fn report(r: &CrashReport<'_>) -> ! {
    if let Some(h) = HANDLER.get() {
        h(r)
    }
    match EARLY.get() {
        Some((write, stop)) => {
            r.emit(&mut |a| {
                let mut line = LineBuf::new();
                let _ = fmt::Write::write_fmt(&mut line, format_args!("(XEN) {a}\r\n"));
                write(line.as_bytes());
            });
            stop()
        }
        None => loop {
            core::hint::spin_loop();
        },
    }
}

/// A fixed buffer for one report line (longer lines are cut).
struct LineBuf {
    buf: [u8; 160],
    len: usize,
}

impl LineBuf {
    fn new() -> LineBuf {
        LineBuf {
            buf: [0; 160],
            len: 0,
        }
    }

    fn as_bytes(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or(&[])
    }
}

impl fmt::Write for LineBuf {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for &b in s.as_bytes() {
            if let Some(slot) = self.buf.get_mut(self.len) {
                *slot = b;
                self.len += 1;
            }
        }
        Ok(())
    }
}

/// Frames the backtrace follows at most.
pub const MAX_FRAMES: usize = 24;

/// What to print about one crash.
pub struct CrashReport<'a> {
    /// One line naming what happened, e.g. `FATAL TRAP: vector = 14 (page fault)`.
    pub what: fmt::Arguments<'a>,
    pub cpu: u32,
    pub arch: &'static str,
    /// The instruction pointer and stack pointer at the fault.
    pub ip: u64,
    pub sp: u64,
    /// Architecture registers, in print order, three to a line.
    pub regs: &'a [(&'static str, u64)],
    /// Control/system registers (CR0/CR2/CR3/CR4, ESR/FAR/SPSR, ...).
    pub system: &'a [(&'static str, u64)],
    /// Return addresses, innermost first.
    pub backtrace: &'a [u64],
}

impl CrashReport<'_> {
    /// Emits the report one line at a time.
    pub fn emit(&self, out: &mut dyn FnMut(fmt::Arguments<'_>)) {
        out(format_args!(
            "----[ Ferrite-{}  {}  Not tainted ]----",
            env!("CARGO_PKG_VERSION"),
            self.arch
        ));
        out(format_args!("CPU:    {}", self.cpu));
        out(format_args!("IP:     [<{:016x}>]", self.ip));
        out(format_args!("SP:     {:016x}", self.sp));
        for chunk in self.regs.chunks(3) {
            emit_row(chunk, out);
        }
        for chunk in self.system.chunks(3) {
            emit_row(chunk, out);
        }
        out(format_args!("Ferrite call trace:"));
        out(format_args!("   [<{:016x}>] (fault)", self.ip));
        for ra in self.backtrace {
            out(format_args!("   [<{ra:016x}>]"));
        }
        out(format_args!("****************************************"));
        out(format_args!("Panic on CPU {}:", self.cpu));
        out(self.what);
        out(format_args!("****************************************"));
    }
}

fn emit_row(regs: &[(&'static str, u64)], out: &mut dyn FnMut(fmt::Arguments<'_>)) {
    match regs {
        [(a, x)] => out(format_args!("{a:>6}: {x:016x}")),
        [(a, x), (b, y)] => out(format_args!("{a:>6}: {x:016x}   {b:>6}: {y:016x}")),
        [(a, x), (b, y), (c, z), ..] => out(format_args!(
            "{a:>6}: {x:016x}   {b:>6}: {y:016x}   {c:>6}: {z:016x}"
        )),
        [] => {}
    }
}

/// Follows a frame-pointer chain from `fp`: each frame holds the caller's frame pointer at
/// `fp` and the return address at `fp + 8`. `read` returns a word if the address lies in
/// memory that is safe to read (a known stack); the walk stops at a null, misaligned,
/// unreadable or non-ascending frame pointer.
pub fn walk_frames(mut fp: u64, read: impl Fn(u64) -> Option<u64>, out: &mut [u64]) -> usize {
    let mut n = 0;
    while n < out.len() {
        if fp == 0 || !fp.is_multiple_of(8) {
            break;
        }
        let (Some(next), Some(ra)) = (read(fp), fp.checked_add(8).and_then(&read)) else {
            break;
        };
        if ra == 0 {
            break;
        }
        if let Some(slot) = out.get_mut(n) {
            *slot = ra;
        }
        n += 1;
        if next <= fp {
            break;
        }
        fp = next;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;
    use std::format;
    use std::string::String;
    use std::vec::Vec;

    #[test]
    fn walks_a_chain_and_stops_safely() {
        let mut mem = HashMap::new();
        // frames at 0x1000 -> 0x1100 -> 0x1200 -> 0 (end)
        mem.insert(0x1000u64, 0x1100u64);
        mem.insert(0x1008, 0xaaaa);
        mem.insert(0x1100, 0x1200);
        mem.insert(0x1108, 0xbbbb);
        mem.insert(0x1200, 0);
        mem.insert(0x1208, 0xcccc);
        let read = |a: u64| mem.get(&a).copied();
        let mut out = [0u64; 8];
        let n = walk_frames(0x1000, read, &mut out);
        assert_eq!(&out[..n], &[0xaaaa, 0xbbbb, 0xcccc]);
        // A loop (fp pointing back down) stops instead of spinning.
        mem.insert(0x1200, 0x1000);
        let read = |a: u64| mem.get(&a).copied();
        assert_eq!(walk_frames(0x1000, read, &mut out), 3);
        // Unreadable, misaligned, null: nothing.
        assert_eq!(walk_frames(0x5000, |_| None, &mut out), 0);
        assert_eq!(walk_frames(0x1001, |_| Some(1), &mut out), 0);
        assert_eq!(walk_frames(0, |_| Some(1), &mut out), 0);
        // Bounded by the output length even on an endless ascending chain.
        let mut small = [0u64; 4];
        assert_eq!(walk_frames(8, |a| Some(a + 16), &mut small), 4);
    }

    #[test]
    fn report_shape() {
        let regs = [("rax", 1u64), ("rbx", 2), ("rcx", 3), ("rdx", 4)];
        let r = CrashReport {
            what: format_args!("FATAL TRAP: vector = 14 (page fault)"),
            cpu: 2,
            arch: "x86_64",
            ip: 0x20_1000,
            sp: 0x30_0000,
            regs: &regs,
            system: &[("cr2", 0xdead)],
            backtrace: &[0x20_2000],
        };
        let mut lines: Vec<String> = Vec::new();
        r.emit(&mut |a| lines.push(format!("{a}")));
        assert!(lines.iter().any(|l| l == "Panic on CPU 2:"));
        assert!(lines.iter().any(|l| l.contains("FATAL TRAP: vector = 14")));
        assert!(lines.iter().any(|l| l.contains("cr2: 000000000000dead")));
        assert!(lines.iter().any(|l| l.contains("[<0000000000202000>]")));
        assert!(lines.iter().any(|l| l.contains("rdx: 0000000000000004")));
    }
}
