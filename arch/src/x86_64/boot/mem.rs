//! Reading boot structures through the 1:1 map.

use crate::boot::phys::{BootError, PhysRead};

/// Physical memory below `limit`, reached 1:1 (the boot tables map the first 4 GiB).
pub struct IdentityMem {
    pub limit: u64,
}

impl IdentityMem {
    /// What the boot page tables map.
    pub const BOOT: IdentityMem = IdentityMem { limit: 1 << 32 };
}

impl PhysRead for IdentityMem {
    fn read(&self, paddr: u64, buf: &mut [u8]) -> Result<(), BootError> {
        let len = buf.len() as u64;
        let end = paddr
            .checked_add(len)
            .filter(|&e| e <= self.limit && paddr != 0);
        if end.is_none() {
            return Err(BootError::Unreadable { paddr, len });
        }
        // SAFETY: the range is non-null, lies below `limit`, which the active page tables map
        // 1:1, and is only read (loaders leave their structures in RAM or ROM).
        unsafe { core::ptr::copy_nonoverlapping(paddr as *const u8, buf.as_mut_ptr(), buf.len()) };
        Ok(())
    }
}

/// A boot-time byte range (command line, module) as a slice, if it lies below `limit`.
///
/// The bytes belong to the loader's structures, which the frame allocator never hands out
/// (they are reserved), so they stay valid and unchanged for the kernel's lifetime.
pub fn phys_slice(paddr: u64, len: u64, limit: u64) -> Option<&'static [u8]> {
    let end = paddr.checked_add(len)?;
    if paddr == 0 || end > limit {
        return None;
    }
    // SAFETY: the range is mapped 1:1 (below `limit`), reserved from the frame allocator for
    // good, and never written by Ferrite, so a shared 'static slice of it is sound.
    Some(unsafe { core::slice::from_raw_parts(paddr as *const u8, len as usize) })
}
