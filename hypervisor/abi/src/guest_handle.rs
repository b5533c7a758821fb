//! `XEN_GUEST_HANDLE(type)`: a guest virtual (PV) or guest physical/linear (HVM, Arm) address of
//! one or more `T`s, never a pointer Ferrite may dereference.
//!
//! Mirrors `arch-x86/xen.h` (`struct { type *p; }`, 8 bytes on x86_64) and `arch-arm.h` (a union
//! of the pointer and a `uint64_t`, aligned to 8): both are 8 bytes with 8-byte alignment, so one
//! type serves both arches. Memory behind a handle is read only through `guest_mem`, which checks
//! it (house rule `guest-mem-only`).

use core::fmt;
use core::marker::PhantomData;
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

/// A guest address of a `T` (or of an array of them). Any bit pattern is a valid value; whether
/// it points anywhere is for `guest_mem` to decide.
#[repr(transparent)]
#[derive(FromBytes, IntoBytes, KnownLayout, Immutable)]
pub struct GuestHandle<T> {
    addr: u64,
    elem: PhantomData<T>,
}

impl<T> GuestHandle<T> {
    /// The null handle (Xen treats it as "no buffer" where an argument is optional).
    pub const NULL: Self = Self::from_addr(0);

    /// A handle for the guest address `addr`.
    pub const fn from_addr(addr: u64) -> Self {
        Self {
            addr,
            elem: PhantomData,
        }
    }

    /// The guest address.
    pub const fn addr(self) -> u64 {
        self.addr
    }

    /// Whether the guest passed a null handle.
    pub const fn is_null(self) -> bool {
        self.addr == 0
    }

    /// The handle of element `index` of the array it points to, or `None` when the address
    /// arithmetic overflows (`guest_handle_add_offset` in Xen).
    pub const fn elem(self, index: u64) -> Option<Self> {
        let Some(bytes) = index.checked_mul(core::mem::size_of::<T>() as u64) else {
            return None;
        };
        match self.addr.checked_add(bytes) {
            Some(addr) => Some(Self::from_addr(addr)),
            None => None,
        }
    }

    /// The same address, viewed as a handle of another type (`guest_handle_cast`).
    pub const fn cast<U>(self) -> GuestHandle<U> {
        GuestHandle::from_addr(self.addr)
    }
}

// Manual impls: deriving would wrongly require `T: Clone` etc.
impl<T> Clone for GuestHandle<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for GuestHandle<T> {}
impl<T> PartialEq for GuestHandle<T> {
    fn eq(&self, other: &Self) -> bool {
        self.addr == other.addr
    }
}
impl<T> Eq for GuestHandle<T> {}
impl<T> fmt::Debug for GuestHandle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "GuestHandle({:#x})", self.addr)
    }
}

const _: () = {
    assert!(core::mem::size_of::<GuestHandle<u64>>() == 8);
    assert!(core::mem::align_of::<GuestHandle<u8>>() == 8);
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn element_arithmetic_is_checked() {
        let h = GuestHandle::<u32>::from_addr(0x1000);
        assert_eq!(h.elem(3).map(GuestHandle::addr), Some(0x100c));
        assert_eq!(GuestHandle::<u64>::from_addr(u64::MAX - 7).elem(1), None);
        assert_eq!(h.elem(u64::MAX), None);
        assert!(GuestHandle::<u8>::NULL.is_null());
    }
}
