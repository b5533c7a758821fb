//! Holding boot diagnostics until the console can print them.

/// A fixed buffer of up to `N` values; later ones are counted, not kept.
pub struct Held<T: Copy, const N: usize> {
    items: [Option<T>; N],
    len: usize,
    dropped: usize,
}

impl<T: Copy, const N: usize> Held<T, N> {
    pub const fn new() -> Self {
        Held {
            items: [None; N],
            len: 0,
            dropped: 0,
        }
    }

    pub fn push(&mut self, t: T) {
        match self.items.get_mut(self.len) {
            Some(slot) => {
                *slot = Some(t);
                self.len += 1;
            }
            None => self.dropped += 1,
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = &T> {
        self.items.iter().flatten()
    }

    /// How many did not fit.
    pub fn dropped(&self) -> usize {
        self.dropped
    }
}

impl<T: Copy, const N: usize> Default for Held<T, N> {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_n_counts_the_rest() {
        let mut h: Held<u8, 2> = Held::new();
        for i in 0..5 {
            h.push(i);
        }
        assert_eq!(h.iter().copied().collect::<Vec<_>>(), [0, 1]);
        assert_eq!(h.dropped(), 3);
    }
}
