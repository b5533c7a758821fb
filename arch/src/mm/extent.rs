//! A fixed-capacity set of `u64` numbers kept as sorted, disjoint, non-touching extents
//! `[start, end)`. The frame allocator keeps two of these (frames it owns, frames that are free).
//!
//! The role of Xen's boot allocator ranges in `xen/common/page_alloc.c` (`init_boot_pages`,
//! `alloc_boot_pages`), without its page-number arithmetic tricks.

use core::ops::Range;

/// The list has no room for the extent a split or an insertion needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExtentsFull;

/// Sorted, disjoint extents.
///
/// # Invariants
/// `items[..len]` are non-empty, sorted, and separated by gaps (never touching).
#[derive(Clone, Debug)]
pub struct ExtentList<const N: usize> {
    items: [(u64, u64); N],
    len: usize,
}

impl<const N: usize> Default for ExtentList<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> ExtentList<N> {
    /// An empty set.
    pub const fn new() -> Self {
        Self {
            items: [(0, 0); N],
            len: 0,
        }
    }

    /// The extents in ascending order.
    pub fn as_slice(&self) -> &[(u64, u64)] {
        self.items.get(..self.len).unwrap_or(&[])
    }

    /// Number of extents.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Sum of the extents' lengths.
    pub fn total(&self) -> u64 {
        self.as_slice().iter().map(|&(s, e)| e - s).sum()
    }

    /// Whether every number of the non-empty range is in the set (inside one extent).
    pub fn contains(&self, r: &Range<u64>) -> bool {
        r.start < r.end
            && self
                .as_slice()
                .iter()
                .any(|&(s, e)| s <= r.start && r.end <= e)
    }

    /// Whether any number of the range is in the set.
    pub fn overlaps(&self, r: &Range<u64>) -> bool {
        self.as_slice()
            .iter()
            .any(|&(s, e)| s < r.end && r.start < e)
    }

    /// Adds a range that must not overlap the set (the caller checks with [`Self::overlaps`]);
    /// merges with touching neighbours. Empty ranges are ignored.
    pub fn insert(&mut self, r: Range<u64>) -> Result<(), ExtentsFull> {
        if r.start >= r.end {
            return Ok(());
        }
        let at = self
            .as_slice()
            .iter()
            .position(|&(s, _)| s > r.start)
            .unwrap_or(self.len);
        let joins_prev = at
            .checked_sub(1)
            .and_then(|i| self.items.get(i))
            .is_some_and(|&(_, e)| e == r.start);
        let joins_next = at < self.len && self.items.get(at).is_some_and(|&(s, _)| s == r.end);
        match (joins_prev, joins_next) {
            (true, true) => {
                let next_end = self.items.get(at).map_or(r.end, |&(_, e)| e);
                if let Some(prev) = self.items.get_mut(at - 1) {
                    prev.1 = next_end;
                }
                self.remove_at(at);
            }
            (true, false) => {
                if let Some(prev) = self.items.get_mut(at - 1) {
                    prev.1 = r.end;
                }
            }
            (false, true) => {
                if let Some(next) = self.items.get_mut(at) {
                    next.0 = r.start;
                }
            }
            (false, false) => self.insert_at(at, (r.start, r.end))?,
        }
        Ok(())
    }

    /// Removes every number of `r` from the set; returns how many were present. Fails, changing
    /// nothing, when it would have to split an extent and the list is full.
    pub fn remove(&mut self, r: Range<u64>) -> Result<u64, ExtentsFull> {
        if r.start >= r.end {
            return Ok(0);
        }
        let splits = self
            .as_slice()
            .iter()
            .any(|&(s, e)| s < r.start && r.end < e);
        if splits && self.len >= N {
            return Err(ExtentsFull);
        }
        let mut removed = 0;
        let mut i = 0;
        while let Some(&(s, e)) = self.items.get(i).filter(|_| i < self.len) {
            if e <= r.start || s >= r.end {
                i += 1;
                continue;
            }
            removed += e.min(r.end) - s.max(r.start);
            let head = (s, r.start.max(s));
            let tail = (r.end.min(e), e);
            match (head.0 < head.1, tail.0 < tail.1) {
                (true, true) => {
                    if let Some(slot) = self.items.get_mut(i) {
                        *slot = head;
                    }
                    self.insert_at(i + 1, tail)?;
                    i += 2;
                }
                (true, false) => {
                    if let Some(slot) = self.items.get_mut(i) {
                        *slot = head;
                    }
                    i += 1;
                }
                (false, true) => {
                    if let Some(slot) = self.items.get_mut(i) {
                        *slot = tail;
                    }
                    i += 1;
                }
                (false, false) => self.remove_at(i),
            }
        }
        Ok(removed)
    }

    /// Whether removing `r` would split one extent in two (and so need a free slot).
    pub fn would_split(&self, r: &Range<u64>) -> bool {
        self.as_slice()
            .iter()
            .any(|&(s, e)| s < r.start && r.end < e)
    }

    /// Whether the list has no free slot.
    pub fn is_full(&self) -> bool {
        self.len >= N
    }

    fn insert_at(&mut self, at: usize, item: (u64, u64)) -> Result<(), ExtentsFull> {
        if self.len >= N || at > self.len {
            return Err(ExtentsFull);
        }
        if let Some(tail) = self.items.get_mut(at..=self.len) {
            tail.rotate_right(1);
            if let Some(first) = tail.first_mut() {
                *first = item;
            }
        }
        self.len += 1;
        Ok(())
    }

    fn remove_at(&mut self, at: usize) {
        if let Some(tail) = self.items.get_mut(at..self.len) {
            tail.rotate_left(1);
            self.len -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_merges_and_remove_splits() {
        let mut l = ExtentList::<3>::new();
        l.insert(10..20).unwrap();
        l.insert(30..40).unwrap();
        l.insert(20..30).unwrap();
        assert_eq!(l.as_slice(), [(10, 40)]);
        assert_eq!(l.remove(15..25), Ok(10));
        assert_eq!(l.as_slice(), [(10, 15), (25, 40)]);
        l.insert(50..60).unwrap();
        assert_eq!(l.insert(70..80), Err(ExtentsFull));
        assert_eq!(l.remove(30..35), Err(ExtentsFull));
        assert_eq!(l.remove(0..100), Ok(30));
        assert!(l.is_empty());
    }
}
