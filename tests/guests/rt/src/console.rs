//! The guest's console. On Xen: `console_io(CONSOLEIO_write)` (Xen's `xen.h`), one hypercall per
//! line, through the hypercall page or, if the hypervisor did not fill it, straight through
//! VMMCALL/VMCALL (so that even that failure gets reported); a refused write goes to port 0xe9,
//! which Xen forwards (`XEN_HVM_DEBUGCONS_IOPORT`). Without Xen (QEMU booting the guest
//! directly): QEMU's debug port 0xe9 and COM1 both.

use core::fmt::{self, Write};
use core::sync::atomic::{AtomicU8, Ordering};

use ferrite_abi::arch_x86::xen::XEN_HVM_DEBUGCONS_IOPORT;

use crate::cpu::{inb, outb};
use crate::hypercall;

const COM1: u16 = 0x3f8;

/// Where output goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sink {
    /// Debug port and COM1 (no hypervisor found).
    Ports = 0,
    /// `console_io` hypercalls.
    ConsoleIo = 1,
}

static SINK: AtomicU8 = AtomicU8::new(Sink::Ports as u8);

/// The current sink.
pub fn sink() -> Sink {
    match SINK.load(Ordering::Relaxed) {
        1 => Sink::ConsoleIo,
        _ => Sink::Ports,
    }
}

/// Boot step: picks the sink and sets COM1 up (115200 8n1) when it is used.
pub(crate) fn init(sink: Sink) {
    SINK.store(sink as u8, Ordering::Relaxed);
    if sink == Sink::Ports {
        outb(COM1 + 1, 0x00); // no interrupts
        outb(COM1 + 3, 0x80); // DLAB
        outb(COM1, 0x01); // divisor 1: 115200 baud
        outb(COM1 + 1, 0x00);
        outb(COM1 + 3, 0x03); // 8n1
        outb(COM1 + 2, 0xc7); // FIFOs on and cleared
        outb(COM1 + 4, 0x03); // DTR, RTS
    }
}

fn com1_byte(b: u8) {
    // Bounded wait for the transmitter: a missing UART must not hang the guest.
    for _ in 0..100_000 {
        if inb(COM1 + 5) & 0x20 != 0 {
            break;
        }
    }
    outb(COM1, b);
}

/// Writes raw bytes to the console.
pub fn write_bytes(bytes: &[u8]) {
    match sink() {
        Sink::ConsoleIo => {
            // A failed console write has nowhere better to go; the debug port is the fallback.
            if hypercall::console_write(bytes) < 0 {
                bytes
                    .iter()
                    .for_each(|&b| outb(XEN_HVM_DEBUGCONS_IOPORT as u16, b));
            }
        }
        Sink::Ports => {
            for &b in bytes {
                outb(XEN_HVM_DEBUGCONS_IOPORT as u16, b);
                if b == b'\n' {
                    com1_byte(b'\r');
                }
                com1_byte(b);
            }
        }
    }
}

/// Collects formatted output and hands it to the console a line (or 256 bytes) at a time.
struct LineWriter {
    buf: [u8; 256],
    len: usize,
}

impl LineWriter {
    fn flush(&mut self) {
        if let Some(chunk) = self.buf.get(..self.len).filter(|c| !c.is_empty()) {
            write_bytes(chunk);
        }
        self.len = 0;
    }
}

impl Write for LineWriter {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for &b in s.as_bytes() {
            if let Some(slot) = self.buf.get_mut(self.len) {
                *slot = b;
                self.len += 1;
            }
            if b == b'\n' || self.len == self.buf.len() {
                self.flush();
            }
        }
        Ok(())
    }
}

/// Prints `args` (what `print!` and `println!` expand to).
pub fn print(args: fmt::Arguments<'_>) {
    let mut w = LineWriter {
        buf: [0; 256],
        len: 0,
    };
    let _ = w.write_fmt(args);
    w.flush();
}

/// Prints to the guest console.
#[macro_export]
macro_rules! print {
    ($($arg:tt)*) => { $crate::console::print(format_args!($($arg)*)) };
}

/// Prints a line to the guest console.
#[macro_export]
macro_rules! println {
    () => { $crate::console::print(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::console::print(format_args!("{}\n", format_args!($($arg)*))) };
}
