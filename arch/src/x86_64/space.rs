//! Ferrite's own address space on x86_64: the final page tables that replace the boot
//! identity map (see `paging.rs` for the layout rules).

use core::ops::Range;

use super::boot::layout;
use super::paging::{MapError, PAGE_1G, PAGE_4K, PageTable, Perms};
use crate::memory;

/// Page-table memory through the 1:1 map; tables below 4 GiB, since APs load CR3 from
/// 16-bit code, which writes only 32 bits.
fn direct() -> memory::DirectTables {
    memory::DirectTables { below: 1 << 32 }
}

impl crate::stacks::UnmapPage for PageTable {
    fn unmap_page(&self, va: u64) -> bool {
        self.unmap_4k(&mut direct(), va).is_ok()
    }
}

static KERNEL_PT: spin::Mutex<Option<PageTable>> = spin::Mutex::new(None);

/// What to map.
pub struct Layout<'a> {
    /// Bytes of physical address space to map 1:1 (all RAM, firmware tables, MMIO below it).
    pub phys_limit: u64,
    /// Ranges mapped uncached (MMIO: the 3.x–4 GiB hole, LAPIC, IOAPIC, HPET ...).
    pub uncached: &'a [Range<u64>],
    pub nx: bool,
    pub huge_1g: bool,
}

/// Builds the final tables and switches CR3 to them.
pub fn switch_to_final_tables(l: &Layout<'_>) -> Result<(), MapError> {
    let mut mem = direct();
    let pt = PageTable::new(&mut mem, l.nx, l.huge_1g)?;
    let limit = l.phys_limit.div_ceil(PAGE_1G) * PAGE_1G;
    pt.map(&mut mem, 0, 0, limit, Perms::RW)?;
    for r in l.uncached {
        let s = r.start & !(PAGE_4K - 1);
        let e = r.end.div_ceil(PAGE_4K) * PAGE_4K;
        if e > s && e <= limit {
            pt.map(&mut mem, s, s, e - s, Perms::MMIO)?;
        }
    }
    // The image, W^X.
    let text = layout::image_start()..layout::text_end();
    let rodata = layout::rodata_start()..layout::rodata_end();
    pt.map(
        &mut mem,
        text.start,
        text.start,
        text.end - text.start,
        Perms::RX,
    )?;
    pt.map(
        &mut mem,
        rodata.start,
        rodata.start,
        rodata.end - rodata.start,
        Perms::R,
    )?;
    // Page 0 is read-only: a null write faults, while firmware data there (the BIOS data
    // area's EBDA pointer, read by the ACPI RSDP scan) stays readable.
    pt.map(&mut mem, 0, 0, PAGE_4K, Perms::R)?;
    // The boot stack's guard page.
    pt.unmap_4k(&mut mem, layout::boot_stack_bottom_addr() - PAGE_4K)?;
    if l.nx {
        // SAFETY: EFER exists in long mode; NXE must be on before tables with NX bits load.
        unsafe {
            let efer = super::cpu::rdmsr(super::cpu::MSR_EFER);
            super::cpu::wrmsr(super::cpu::MSR_EFER, efer | super::cpu::EFER_NXE);
        }
    }
    // SAFETY: the new tables map the running image (text RX, stack and data RW) and all of
    // memory the kernel touches at the same addresses as the boot tables, so execution
    // continues seamlessly after the switch.
    unsafe { core::arch::asm!("mov cr3, {}", in(reg) pt.root, options(nostack, preserves_flags)) };
    *KERNEL_PT.lock() = Some(pt);
    MAPPED_LIMIT.store(limit, core::sync::atomic::Ordering::Release);
    Ok(())
}

/// The root of the kernel tables (for APs to load).
pub fn kernel_root() -> Option<u64> {
    KERNEL_PT.lock().as_ref().map(|p| p.root)
}

/// Changes the mapping of `pages` pages at `pa` (1:1) to `perms`.
pub fn protect(pa: u64, pages: u64, perms: Perms) -> Result<(), MapError> {
    let lock = KERNEL_PT.lock();
    let pt = lock.as_ref().ok_or(MapError::OutOfMemory)?;
    pt.map(&mut direct(), pa, pa, pages * PAGE_4K, perms)?;
    for i in 0..pages {
        flush_tlb_page(pa + i * PAGE_4K);
    }
    Ok(())
}

/// An empty nested (NPT) page table for a guest.
pub fn nested_new(huge_1g: bool) -> Result<PageTable, MapError> {
    PageTable::new_nested(&mut direct(), huge_1g)
}

/// Maps guest-physical `[gpa, gpa+len)` to host-physical `hpa` in a nested table.
pub fn nested_map(
    pt: &PageTable,
    gpa: u64,
    hpa: u64,
    len: u64,
    perms: Perms,
) -> Result<(), MapError> {
    pt.map(&mut direct(), gpa, hpa, len, perms)
}

/// Removes guest-physical page `gpa` from a nested table (splitting a large page around
/// it); the caller flushes the guest's TLB.
pub fn nested_unmap_4k(pt: &PageTable, gpa: u64) -> Result<(), MapError> {
    pt.unmap_4k(&mut direct(), gpa)
}

/// Allocates a stack of `pages` pages with an unmapped guard page below it; returns
/// `(bottom, top)` of the usable part.
pub fn alloc_stack(pages: u64) -> Option<(u64, u64)> {
    crate::stacks::alloc_guarded(pages, &KERNEL_PT, flush_tlb_page)
}

fn flush_tlb_page(addr: u64) {
    // SAFETY: INVLPG only drops a TLB entry.
    unsafe { core::arch::asm!("invlpg [{}]", in(reg) addr, options(nostack, preserves_flags)) };
}

/// The highest physical address the final tables map (0 before they exist).
static MAPPED_LIMIT: core::sync::atomic::AtomicU64 = core::sync::atomic::AtomicU64::new(0);

/// A reader for firmware tables through the 1:1 map.
pub fn acpi_memory() -> crate::acpi::IdentityHandler {
    let limit = match MAPPED_LIMIT.load(core::sync::atomic::Ordering::Acquire) {
        0 => 1 << 32,
        l => l,
    };
    // SAFETY: every physical address below `limit` is mapped 1:1 and readable: by the boot
    // tables (first 4 GiB) or by the final tables (`phys_limit`, recorded when they load).
    unsafe { crate::acpi::IdentityHandler::new(limit) }
}

/// Boot-time bytes (a module, a string) as a slice, if the final tables map them.
///
/// Boot modules and strings are reserved from the frame allocator for good and never
/// written by Ferrite, so a shared 'static slice of them is sound.
pub fn boot_bytes(paddr: u64, len: u64) -> Option<&'static [u8]> {
    let limit = match MAPPED_LIMIT.load(core::sync::atomic::Ordering::Acquire) {
        0 => 1 << 32,
        l => l,
    };
    super::boot::mem::phys_slice(paddr, len, limit)
}
