//! Ferrite's console (Xen's `xen/drivers/char/console.c`): every line goes to the console ring
//! and to the UARTs named by `console=`, with Xen's `(XEN)` prefix, optional timestamps, and
//! `loglvl=` filtering. It is also the `log` crate's logger.
//!
//! Lock order: the console lock is a leaf; nothing is taken while it is held. Interrupt
//! handlers do not log, except on the crash path, which only tries the lock (see
//! [`crash_write`]).

pub mod level;
pub mod ring;
pub mod timestamp;

use core::fmt::{self, Write};

use ferrite_drivers::vga::VgaConsole;
use ferrite_drivers::{SerialPort, Uart};
use spin::{Mutex, Once};

use level::{Decision, MsgLevel, RateLimit, Thresholds};
use ring::Ring;
pub use timestamp::Timestamps;

/// How the console behaves; built from the command line.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    pub host: Thresholds,
    pub guest: Thresholds,
    pub timestamps: Timestamps,
    /// `console_to_ring`: guest console output also goes to the ring.
    pub to_ring: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            host: Thresholds::HOST_DEFAULT,
            guest: Thresholds::GUEST_DEFAULT,
            timestamps: Timestamps::None,
            to_ring: false,
        }
    }
}

struct Console {
    sinks: [Option<Uart>; 2],
    vga: Option<VgaConsole>,
    ring: Ring,
    settings: Settings,
    ratelimit: RateLimit,
    at_line_start: bool,
}

static CONSOLE: Mutex<Console> = Mutex::new(Console {
    sinks: [None, None],
    vga: None,
    ring: Ring::new(),
    settings: Settings {
        host: Thresholds::HOST_DEFAULT,
        guest: Thresholds::GUEST_DEFAULT,
        timestamps: Timestamps::None,
        to_ring: false,
    },
    ratelimit: RateLimit::new(),
    at_line_start: true,
});

/// Nanoseconds since boot, once the architecture's clock runs.
static CLOCK: Once<fn() -> u64> = Once::new();
/// Seconds since the Unix epoch at boot (for `console_timestamps=date`).
static WALLCLOCK_AT_BOOT: Once<u64> = Once::new();

fn now_ns() -> u64 {
    CLOCK.get().map_or(0, |f| f())
}

/// Puts the console on the UARTs `sinks` (and the VGA text screen) with `settings`, and
/// makes it the `log` logger.
pub fn init(sinks: [Option<Uart>; 2], vga: Option<VgaConsole>, settings: Settings) {
    {
        let mut c = CONSOLE.lock();
        c.sinks = sinks;
        c.vga = vga;
        c.settings = settings;
    }
    // A second call (e.g. a test re-initialising) keeps the first logger; that is harmless.
    let _ = log::set_logger(&LOGGER);
    log::set_max_level(settings.host.max_log_level());
}

/// Tells the console how to read the time, for timestamps and rate limiting.
pub fn set_clock(f: fn() -> u64, wallclock_at_boot: Option<u64>) {
    CLOCK.call_once(|| f);
    if let Some(w) = wallclock_at_boot {
        WALLCLOCK_AT_BOOT.call_once(|| w);
    }
}

/// Moves the ring to the heap with `conring_size` bytes.
pub fn grow_ring(size: usize) {
    CONSOLE.lock().ring.grow(size);
}

/// The ring's size and how many bytes have gone through it.
pub fn ring_stats() -> (usize, u64) {
    let c = CONSOLE.lock();
    (c.ring.capacity(), c.ring.written())
}

/// Copies ring contents (oldest first, from offset `from`) into `out`.
pub fn read_ring(from: usize, out: &mut [u8]) -> usize {
    CONSOLE.lock().ring.read(from, out)
}

impl Console {
    fn emit(&mut self, bytes: &[u8]) {
        self.ring.write(bytes);
        for s in self.sinks.iter_mut().flatten() {
            s.write_bytes(bytes);
        }
        if let Some(v) = &mut self.vga {
            v.write_bytes(bytes);
        }
    }
}

/// Writes formatted text, adding the `(XEN)` prefix (and a timestamp) at each line start
/// and turning `\n` into `\r\n` for the UARTs.
struct LineWriter<'a> {
    c: &'a mut Console,
}

impl Write for LineWriter<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for chunk in s.split_inclusive('\n') {
            if self.c.at_line_start {
                self.c.emit(b"(XEN) ");
                let ts = self.c.settings.timestamps;
                let mut buf = timestamp::Buf::new();
                ts.format(now_ns(), WALLCLOCK_AT_BOOT.get().copied(), &mut buf);
                self.c.emit(buf.as_bytes());
                self.c.at_line_start = false;
            }
            match chunk.strip_suffix('\n') {
                Some(body) => {
                    self.c.emit(body.as_bytes());
                    self.c.emit(b"\r\n");
                    self.c.at_line_start = true;
                }
                None => self.c.emit(chunk.as_bytes()),
            }
        }
        Ok(())
    }
}

fn write_line(c: &mut Console, args: fmt::Arguments<'_>) {
    let mut w = LineWriter { c };
    let _ = w.write_fmt(args);
    if !w.c.at_line_start {
        let _ = w.write_str("\n");
    }
}

/// Prints a line whatever the log level (the banner, and what the user asked to see).
pub fn print(args: fmt::Arguments<'_>) {
    write_line(&mut CONSOLE.lock(), args);
}

/// One line of a guest's console output (`console_io`): dom0's goes out as it is, like a
/// native console; other domains' carry `(dN)` and obey `guest_loglvl=` (Xen's
/// `guest_console_write`).
pub fn guest_line(domid: u16, line: &str) {
    let mut c = CONSOLE.lock();
    if domid == 0 {
        c.emit(line.as_bytes());
        c.emit(b"\r\n");
        return;
    }
    let t = c.settings.guest;
    filtered(
        &mut c,
        t,
        MsgLevel::Warning,
        format_args!("(d{domid}) {line}"),
    );
}

/// Prints a message from a guest (`console_io`), filtered by `guest_loglvl=`.
pub fn guest_print(level: MsgLevel, args: fmt::Arguments<'_>) -> bool {
    let mut c = CONSOLE.lock();
    let t = c.settings.guest;
    filtered(&mut c, t, level, args)
}

fn filtered(c: &mut Console, t: Thresholds, level: MsgLevel, args: fmt::Arguments<'_>) -> bool {
    match t.decide(level) {
        Decision::Print => {}
        Decision::Drop => return false,
        Decision::RateLimited => {
            let (ok, suppressed) = c.ratelimit.admit(now_ns());
            if suppressed > 0 {
                write_line(c, format_args!("printk: {suppressed} messages suppressed."));
            }
            if !ok {
                return false;
            }
        }
    }
    write_line(c, args);
    true
}

/// The crash path: prints even if the console lock is held by the CPU that crashed (after a
/// bounded wait), falling back to `fallback` (a raw UART write from arch) if it stays held.
pub fn crash_write(args: fmt::Arguments<'_>, fallback: fn(&[u8])) {
    for _ in 0..10_000_000 {
        if let Some(mut c) = CONSOLE.try_lock() {
            write_line(&mut c, args);
            return;
        }
        core::hint::spin_loop();
    }
    struct Raw(fn(&[u8]));
    impl Write for Raw {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            (self.0)(s.as_bytes());
            Ok(())
        }
    }
    let _ = Raw(fallback).write_fmt(format_args!("(XEN) {args}\r\n"));
}

/// The `log` logger: records are Xen messages at the matching level.
pub struct Logger;

/// The one logger instance.
pub static LOGGER: Logger = Logger;

impl log::Log for Logger {
    fn enabled(&self, m: &log::Metadata<'_>) -> bool {
        m.level() <= log::max_level()
    }

    fn log(&self, record: &log::Record<'_>) {
        let mut c = CONSOLE.lock();
        let t = c.settings.host;
        filtered(
            &mut c,
            t,
            MsgLevel::from_log(record.level()),
            *record.args(),
        );
    }

    fn flush(&self) {}
}

/// Bytes shown as text without allocating: valid UTF-8 as is, each invalid byte as `\xNN`.
pub struct Lossy<'a>(pub &'a [u8]);

impl fmt::Display for Lossy<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for chunk in self.0.utf8_chunks() {
            for c in chunk.valid().chars() {
                if c.is_control() {
                    write!(f, "{}", c.escape_default())?;
                } else {
                    f.write_fmt(format_args!("{c}"))?;
                }
            }
            for b in chunk.invalid() {
                write!(f, "\\x{b:02x}")?;
            }
        }
        Ok(())
    }
}

/// `printk!`: an unlevelled message, at Xen's default level (warning), like Xen's `printk`.
#[macro_export]
macro_rules! printk {
    ($($arg:tt)*) => { log::warn!(target: "printk", $($arg)*) };
}
