//! The VGA text console (80x25 cells at 0xB8000, attribute 0x07), Xen's `console=vga` on
//! BIOS machines (`xen/drivers/video/vga.c`). The text logic works on any [`Cells`] buffer so
//! it is host-tested; the hardware buffer is [`VgaMemory`].

pub const COLS: usize = 80;
pub const ROWS: usize = 25;
const ATTR: u16 = 0x0700;

/// A grid of 16-bit character cells.
pub trait Cells {
    fn set(&mut self, index: usize, cell: u16);
    fn get(&self, index: usize) -> u16;
}

/// A text screen that scrolls.
pub struct TextScreen<C: Cells> {
    cells: C,
    row: usize,
    col: usize,
}

impl<C: Cells> TextScreen<C> {
    pub fn new(mut cells: C) -> Self {
        for i in 0..COLS * ROWS {
            cells.set(i, ATTR | u16::from(b' '));
        }
        TextScreen {
            cells,
            row: 0,
            col: 0,
        }
    }

    fn newline(&mut self) {
        self.col = 0;
        if self.row + 1 < ROWS {
            self.row += 1;
            return;
        }
        for i in 0..COLS * (ROWS - 1) {
            let c = self.cells.get(i + COLS);
            self.cells.set(i, c);
        }
        for i in COLS * (ROWS - 1)..COLS * ROWS {
            self.cells.set(i, ATTR | u16::from(b' '));
        }
    }

    pub fn write_bytes(&mut self, bytes: &[u8]) {
        for &b in bytes {
            match b {
                b'\n' => self.newline(),
                b'\r' => self.col = 0,
                _ => {
                    if self.col == COLS {
                        self.newline();
                    }
                    // Bytes outside printable ASCII show as '?': the font is code page 437.
                    let ch = if (0x20..0x7f).contains(&b) { b } else { b'?' };
                    self.cells
                        .set(self.row * COLS + self.col, ATTR | u16::from(ch));
                    self.col += 1;
                }
            }
        }
    }

    pub fn cells(&self) -> &C {
        &self.cells
    }
}

/// The legacy VGA text buffer.
#[cfg(all(target_arch = "x86_64", target_os = "none"))]
pub struct VgaMemory(());

#[cfg(all(target_arch = "x86_64", target_os = "none"))]
static VGA_CLAIMED: core::sync::atomic::AtomicBool = core::sync::atomic::AtomicBool::new(false);

#[cfg(all(target_arch = "x86_64", target_os = "none"))]
impl VgaMemory {
    const BASE: usize = 0xb8000;

    /// Claims the text buffer (once).
    ///
    /// The caller (boot code) must only do this on a machine booted through legacy BIOS,
    /// where the 0xB8000 text buffer exists and Ferrite maps it 1:1.
    pub fn claim() -> Option<VgaMemory> {
        let first = !VGA_CLAIMED.swap(true, core::sync::atomic::Ordering::AcqRel);
        first.then_some(VgaMemory(()))
    }
}

#[cfg(all(target_arch = "x86_64", target_os = "none"))]
impl Cells for VgaMemory {
    fn set(&mut self, index: usize, cell: u16) {
        if index < COLS * ROWS {
            // SAFETY: the index is inside the 80x25 text buffer at 0xB8000, which this value
            // owns exclusively (claimed once) and which is mapped 1:1, uncached.
            unsafe { core::ptr::write_volatile((Self::BASE as *mut u16).add(index), cell) }
        }
    }

    fn get(&self, index: usize) -> u16 {
        if index >= COLS * ROWS {
            return 0;
        }
        // SAFETY: as in `set`.
        unsafe { core::ptr::read_volatile((Self::BASE as *const u16).add(index)) }
    }
}

/// The VGA console type the kernel uses: the hardware buffer on bare-metal x86_64, a buffer
/// that drops everything elsewhere (host builds never create one).
#[cfg(all(target_arch = "x86_64", target_os = "none"))]
pub type VgaConsole = TextScreen<VgaMemory>;
#[cfg(not(all(target_arch = "x86_64", target_os = "none")))]
pub type VgaConsole = TextScreen<NoCells>;

/// Cells that are not there.
pub struct NoCells;

impl Cells for NoCells {
    fn set(&mut self, _: usize, _: u16) {}
    fn get(&self, _: usize) -> u16 {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::vec;
    use std::vec::Vec;

    struct Mem(Vec<u16>);
    impl Cells for Mem {
        fn set(&mut self, i: usize, c: u16) {
            self.0[i] = c;
        }
        fn get(&self, i: usize) -> u16 {
            self.0[i]
        }
    }

    fn row(s: &TextScreen<Mem>, r: usize) -> String {
        s.cells().0[r * COLS..(r + 1) * COLS]
            .iter()
            .map(|c| (c & 0xff) as u8 as char)
            .collect::<String>()
            .trim_end()
            .to_string()
    }

    #[test]
    fn writes_wraps_and_scrolls() {
        let mut s = TextScreen::new(Mem(vec![0; COLS * ROWS]));
        s.write_bytes(b"(XEN) hello\r\nsecond\xff\n");
        assert_eq!(row(&s, 0), "(XEN) hello");
        assert_eq!(row(&s, 1), "second?");
        for i in 0..30 {
            s.write_bytes(format!("line {i}\n").as_bytes());
        }
        assert_eq!(row(&s, ROWS - 2), "line 29");
        let long = [b'x'; COLS + 5];
        s.write_bytes(&long);
        assert_eq!(row(&s, ROWS - 1), "xxxxx");
        assert_eq!(s.cells().0[0] & 0xff00, ATTR);
    }
}
