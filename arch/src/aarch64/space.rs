//! Ferrite's own address space on aarch64: the final EL2 stage-1 tables that replace the boot
//! tables (see `paging.rs` for the rules), and stacks with guard pages.

use core::ops::Range;
use core::sync::atomic::{AtomicU64, Ordering};

use super::boot::layout;
use super::paging::{Kind, MapError, PAGE_4K, Tables};
use crate::memory;

/// Table memory through the 1:1 map, from anywhere in RAM.
fn direct() -> memory::DirectTables {
    memory::DirectTables { below: u64::MAX }
}

impl crate::stacks::UnmapPage for Tables {
    fn unmap_page(&self, va: u64) -> bool {
        self.unmap_4k(&mut direct(), va).is_ok()
    }
}

static KERNEL_PT: spin::Mutex<Option<Tables>> = spin::Mutex::new(None);
/// TTBR0/TCR/MAIR/SCTLR of the final tables, for secondary CPUs.
static ROOT: AtomicU64 = AtomicU64::new(0);

/// What to map besides the image.
pub struct Layout<'a> {
    /// RAM banks (Normal memory, RW, XN).
    pub ram: &'a [Range<u64>],
    /// Device register ranges (Device memory).
    pub devices: &'a [Range<u64>],
}

fn page_range(r: &Range<u64>) -> (u64, u64) {
    let s = r.start & !(PAGE_4K - 1);
    let e = r.end.div_ceil(PAGE_4K) * PAGE_4K;
    (s, e.saturating_sub(s))
}

/// Builds the final tables and switches TTBR0_EL2 to them; then turns on WXN.
pub fn switch_to_final_tables(l: &Layout<'_>) -> Result<(), MapError> {
    let mut mem = direct();
    let pt = Tables::new(&mut mem)?;
    for r in l.ram {
        let (s, len) = page_range(r);
        pt.map(&mut mem, s, len, Kind::ReadWrite)?;
    }
    for r in l.devices {
        let (s, len) = page_range(r);
        if len > 0 {
            pt.map(&mut mem, s, len, Kind::Device)?;
        }
    }
    let (text, rodata) = (
        layout::image_start()..layout::text_end(),
        layout::rodata_start()..layout::rodata_end(),
    );
    pt.map(&mut mem, text.start, text.end - text.start, Kind::Text)?;
    pt.map(
        &mut mem,
        rodata.start,
        rodata.end - rodata.start,
        Kind::ReadOnly,
    )?;
    pt.map(
        &mut mem,
        layout::data_start(),
        layout::image_end() - layout::data_start(),
        Kind::ReadWrite,
    )?;
    // The guard pages of the boot stack and of the boot CPU's exception stack.
    pt.unmap_4k(&mut mem, layout::boot_stack_bottom_addr() - PAGE_4K)?;
    pt.unmap_4k(&mut mem, super::boot::exc_stack().0 - PAGE_4K)?;
    // SAFETY: the new tables map the running image (text RX, stacks and data RW), all RAM
    // and the devices in use at the same addresses as the boot tables, so execution goes on
    // seamlessly; the barriers make the table writes visible to the walker first. WXN then
    // makes any writable page non-executable as a second line of W^X.
    unsafe {
        core::arch::asm!(
            "dsb ishst",
            "msr ttbr0_el2, {root}",
            "isb",
            "tlbi alle2",
            "dsb ish",
            "isb",
            "mrs {tmp}, sctlr_el2",
            "orr {tmp}, {tmp}, #(1 << 19)",
            "msr sctlr_el2, {tmp}",
            "isb",
            "tlbi alle2",
            "dsb ish",
            "isb",
            root = in(reg) pt.root,
            tmp = out(reg) _,
            options(nostack)
        )
    };
    ROOT.store(pt.root, Ordering::Release);
    *KERNEL_PT.lock() = Some(pt);
    Ok(())
}

/// The final tables' root (0 before they exist).
pub fn kernel_root() -> u64 {
    ROOT.load(Ordering::Acquire)
}

fn flush_tlb_page(addr: u64) {
    // SAFETY: drops one TLB entry (EL2 regime) and waits for it.
    unsafe {
        core::arch::asm!("dsb ishst", "tlbi vae2is, {}", "dsb ish", "isb", in(reg) addr >> 12,
            options(nostack))
    };
}

/// Allocates a stack of `pages` pages with an unmapped guard page below it; returns
/// `(bottom, top)` of the usable part.
pub fn alloc_stack(pages: u64) -> Option<(u64, u64)> {
    crate::stacks::alloc_guarded(pages, &KERNEL_PT, flush_tlb_page)
}
