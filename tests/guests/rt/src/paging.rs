//! The runtime's own page tables (entry.S: 4 GiB identity-mapped with 2 MiB pages), and a way
//! to punch a hole in them so tests can place a buffer across the edge of a mapping.

unsafe extern "C" {
    /// 2048 page-directory entries, one per 2 MiB of the first 4 GiB (entry.S).
    static mut guest_pd: [u64; 2048];
}

/// Removes the 2 MiB mapping that contains `va` (below 4 GiB); false if out of range.
/// Touching the hole afterwards faults: only hand its addresses to the hypervisor.
pub fn unmap_2m(va: u64) -> bool {
    let i = (va >> 21) as usize;
    if i >= 2048 {
        return false;
    }
    // SAFETY: the entry is one of the runtime's own page-directory entries; clearing it
    // and flushing the TLB entry only makes that range unmapped, which the caller asked for
    // (nothing the runtime uses lives that high: its image, stack and tables are at 1 MiB).
    unsafe {
        let e = (&raw mut guest_pd).cast::<u64>().add(i);
        core::ptr::write_volatile(e, 0);
        core::arch::asm!("invlpg [{}]", in(reg) va, options(nostack, preserves_flags));
    }
    true
}
