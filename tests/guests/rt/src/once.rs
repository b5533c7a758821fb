//! A value set once during boot and read by the test cases afterwards (no allocator, no std).

use core::cell::UnsafeCell;
use core::sync::atomic::{AtomicU8, Ordering};

const EMPTY: u8 = 0;
const WRITING: u8 = 1;
const READY: u8 = 2;

/// A write-once cell usable in a `static`.
pub struct Once<T> {
    state: AtomicU8,
    value: UnsafeCell<Option<T>>,
}

// SAFETY: the value is written only by the one caller that wins the EMPTY -> WRITING exchange,
// and read only after READY is published with Release (and observed with Acquire); it is never
// written again, so shared references handed out by `get` never alias a write.
unsafe impl<T: Sync + Send> Sync for Once<T> {}

impl<T> Once<T> {
    /// An empty cell.
    pub const fn new() -> Self {
        Once {
            state: AtomicU8::new(EMPTY),
            value: UnsafeCell::new(None),
        }
    }

    /// Stores `value` if the cell is empty; returns false (and drops it) otherwise.
    pub fn set(&self, value: T) -> bool {
        if self
            .state
            .compare_exchange(EMPTY, WRITING, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            return false;
        }
        // SAFETY: winning the exchange makes this the only writer, and no reader looks at the
        // value before READY is stored below.
        unsafe { *self.value.get() = Some(value) };
        self.state.store(READY, Ordering::Release);
        true
    }

    /// The value, once set.
    pub fn get(&self) -> Option<&T> {
        if self.state.load(Ordering::Acquire) != READY {
            return None;
        }
        // SAFETY: READY means the single write has finished and no other write will happen.
        unsafe { (*self.value.get()).as_ref() }
    }
}

impl<T> Default for Once<T> {
    fn default() -> Self {
        Self::new()
    }
}
