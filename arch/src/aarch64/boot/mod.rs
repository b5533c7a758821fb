//! The aarch64 entry: the arm64 `Image` header, the boot CPU's first instructions and the
//! first Rust code (Linux's `Documentation/arch/arm64/booting.rst`; Xen's `xen/arch/arm/arm64/head.S`
//! boots the same way).

use core::sync::atomic::{AtomicBool, Ordering};

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

/// The highest address the boot tables map (1:1, 512 GiB).
const BOOT_MAP_LIMIT: u64 = 512 << 30;

/// The device tree the loader passed, as bytes: the header is read first for `totalsize`.
/// Mutable, so that FDT_NOP tokens can be squeezed out in place; call it once.
pub fn dtb_bytes(pa: u64) -> Result<&'static mut [u8], DtError> {
    if pa == 0 {
        return Err(DtError::NoBlob);
    }
    if !pa.is_multiple_of(8) || pa.saturating_add(check::MAX_SIZE as u64) > BOOT_MAP_LIMIT {
        return Err(DtError::Malformed {
            what: "the DTB address is misaligned or outside the boot map",
            offset: pa,
        });
    }
    // SAFETY: `pa` is 8-byte aligned and below the 512 GiB the boot tables map 1:1, so the
    // header's 40 bytes are mapped and readable; the bytes are only read.
    let header = unsafe { core::slice::from_raw_parts(pa as *const u8, check::HEADER_LEN) };
    let total = check::total_size(header)?;
    // SAFETY: as above; `total` is at most MAX_SIZE, and `pa + MAX_SIZE` is inside the map.
    // The loader handed this memory to Ferrite; the kernel takes this slice once, at boot, and
    // keeps the blob reserved (never given to the frame allocator), so nothing else aliases it.
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
