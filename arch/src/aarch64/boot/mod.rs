//! The aarch64 entry: the arm64 `Image` header, the boot CPU's first instructions and the
//! first Rust code (Linux's `Documentation/arch/arm64/booting.rst`; Xen's `xen/arch/arm/arm64/head.S`
//! boots the same way).

use core::ops::Range;
use core::sync::atomic::{AtomicBool, Ordering};

use super::paging::{Kind, MapError, PAGE_4K, TableMemory, Tables};
use crate::boot::fdt::{DtError, check};

core::arch::global_asm!(include_str!("entry.S"));

/// Whether the boot CPU entered at EL2 (otherwise no EL2 register may be touched).
static AT_EL2: AtomicBool = AtomicBool::new(false);

pub fn at_el2() -> bool {
    AT_EL2.load(Ordering::Relaxed)
}

/// Linker-script symbols bounding the image and its sections (shared names, see
/// [`crate::layout`]).
pub use crate::layout;

// The boot tables' pool of pages (entry.S): its first page is the root; entry.S maps the
// image from it, [`map_early`] the rest.
unsafe extern "C" {
    static boot_pt_pool: u8;
    static boot_pt_pool_end: u8;
    static mut boot_pt_used: u64;
    static boot_link_address: u64;
}

/// The pool's first page (the root) and its size in pages.
fn boot_pool() -> (u64, u64) {
    // Taking the addresses of the linker symbols; they are never read through.
    let start = core::ptr::addr_of!(boot_pt_pool) as u64;
    let end = core::ptr::addr_of!(boot_pt_pool_end) as u64;
    (start, (end - start) / PAGE_4K)
}

/// Serialises edits of the boot tables.
static BOOT_PT_LOCK: spin::Mutex<()> = spin::Mutex::new(());

/// The boot tables' memory: the pool in the image's bss, mapped 1:1 since entry.S.
struct BootPool;

impl TableMemory for BootPool {
    fn read_entry(&self, table: u64, index: usize) -> u64 {
        // SAFETY: `table` is a page of the pool (entry.S and `alloc_table` only link those),
        // which the boot tables map; `index & 511` stays inside it.
        unsafe { core::ptr::read_volatile((table as *const u64).add(index & 511)) }
    }

    fn write_entry(&mut self, table: u64, index: usize, value: u64) {
        // SAFETY: as in `read_entry`; callers hold BOOT_PT_LOCK.
        unsafe { core::ptr::write_volatile((table as *mut u64).add(index & 511), value) }
    }

    fn alloc_table(&mut self) -> Option<u64> {
        let (pool, pages) = boot_pool();
        let used = core::ptr::addr_of_mut!(boot_pt_used);
        // SAFETY: the count is only touched by entry.S (before Rust runs) and under
        // BOOT_PT_LOCK.
        let n = unsafe { used.read_volatile() };
        if n >= pages {
            return None;
        }
        // SAFETY: as above; the page handed out is still zero (bss, never used so far).
        unsafe { used.write_volatile(n + 1) };
        Some(pool + n * PAGE_4K)
    }
}

/// Adds `range` (widened to pages) to the boot tables as `kind`, leaving what they map
/// already as it is: the DTB, the console UART and RAM, before the final tables exist.
pub fn map_early(range: Range<u64>, kind: Kind) -> Result<(), MapError> {
    let start = range.start & !(PAGE_4K - 1);
    let end = range
        .end
        .checked_next_multiple_of(PAGE_4K)
        .ok_or(MapError::BadRange)?;
    if end <= start {
        return Ok(());
    }
    let _guard = BOOT_PT_LOCK.lock();
    let tables = Tables {
        root: boot_pool().0,
    };
    let r = tables.fill(&mut BootPool, start, end - start, kind);
    // SAFETY: only orders the table writes before later accesses through them (no valid
    // entry was changed, so no TLB entry is stale).
    unsafe { core::arch::asm!("dsb ishst", "isb", options(nostack)) };
    r
}

/// Where the image was linked (entry.S relocated it to [`crate::layout::image_start`]).
pub fn link_address() -> u64 {
    // SAFETY: an 8-byte aligned quad in .text, written by the linker, never changed.
    unsafe { core::ptr::read_volatile(core::ptr::addr_of!(boot_link_address)) }
}

/// The device tree the loader passed, as bytes: the header is mapped and read first for
/// `totalsize`, then the whole blob. Mutable, so that FDT_NOP tokens can be squeezed out in
/// place; call it once.
pub fn dtb_bytes(pa: u64) -> Result<&'static mut [u8], DtError> {
    if pa == 0 {
        return Err(DtError::NoBlob);
    }
    let unmappable = DtError::Malformed {
        what: "the DTB address is misaligned or cannot be mapped",
        offset: pa,
    };
    let header_end = pa.checked_add(check::HEADER_LEN as u64);
    let Some(header_end) = header_end.filter(|_| pa.is_multiple_of(8)) else {
        return Err(unmappable);
    };
    map_early(pa..header_end, Kind::ReadWrite).map_err(|_| unmappable)?;
    // SAFETY: `pa` is 8-byte aligned and its header's bytes were just mapped (Normal
    // memory); the bytes are only read.
    let header = unsafe { core::slice::from_raw_parts(pa as *const u8, check::HEADER_LEN) };
    let total = check::total_size(header)?;
    map_early(pa..pa.saturating_add(total as u64), Kind::ReadWrite).map_err(|_| unmappable)?;
    // SAFETY: `total` is at most MAX_SIZE and `[pa, pa + total)` was just mapped. The loader
    // handed this memory to Ferrite; the kernel takes this slice once, at boot, and keeps the
    // blob reserved (never given to the frame allocator), so nothing else aliases it.
    Ok(unsafe { core::slice::from_raw_parts_mut(pa as *mut u8, total) })
}

/// In test images: the DTB address xtask patched in, if any.
pub fn dtb_override() -> Option<u64> {
    unsafe extern "C" {
        static dtb_override_slot: u64;
    }
    // SAFETY: an 8-byte aligned quad in .data, defined in entry.S; read volatile because xtask
    // changes it in the image file, after compilation.
    let v = unsafe { core::ptr::read_volatile(core::ptr::addr_of!(dtb_override_slot)) };
    (v != 0).then_some(v)
}

/// First Rust code, on the boot stack with the MMU on: `el` is the exception level the
/// loader entered at.
#[unsafe(no_mangle)]
extern "C" fn aarch64_start(dtb: u64, el: u64) -> ! {
    crate::crash::set_early(super::early_write, super::cpu::halt_forever);
    if el == 2 {
        AT_EL2.store(true, Ordering::Relaxed);
        super::percpu::init_this_cpu(0, super::cpu::mpidr_affinity());
        crate::stacks::register(
            layout::boot_stack_bottom_addr(),
            layout::boot_stack_top_addr(),
        );
        let (bottom, top) = exc_stack();
        crate::stacks::register(bottom, top);
    }
    super::ferrite_main(el as u32, dtb)
}

unsafe extern "C" {
    static boot_exc_stack_bottom: u8;
    static boot_exc_stack_top: u8;
}

/// The boot CPU's exception stack (SP_EL2), `[bottom, top)`; a guard page lies below it.
pub fn exc_stack() -> (u64, u64) {
    // Taking the addresses of the linker symbols; they are never read through.
    (
        core::ptr::addr_of!(boot_exc_stack_bottom) as u64,
        core::ptr::addr_of!(boot_exc_stack_top) as u64,
    )
}
