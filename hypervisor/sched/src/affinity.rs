//! CPU masks and hard/soft affinity (`xen/include/xen/cpumask.h`, `xen/common/sched/core.c`:
//! `sched_set_affinity`, `vcpu_set_hard_affinity`, and the `dom0_vcpus_pin` option in
//! `docs/misc/xen-command-line.pandoc`).
//!
//! Hard affinity is a constraint: a unit never runs outside it. Soft affinity is a preference that
//! schedulers use when picking a pCPU; it is ignored when it does not intersect the hard one.

use alloc::vec::Vec;

use crate::core::Cpu;

/// A set of pCPU numbers. The bits past the stored words all have the value `rest`, so the mask
/// "every CPU, including ones that come online later" (Xen's `cpumask_setall`) is cheap.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct CpuMask {
    words: Vec<u64>,
    rest: bool,
}

impl CpuMask {
    /// Adds every CPU of `self` to `out` and empties `self` (a scheduler handing over the
    /// CPUs it tickled).
    pub fn drain_into(&mut self, out: &mut CpuMask) {
        for c in self.iter() {
            out.set(c);
        }
        *self = CpuMask::empty();
    }

    /// The empty mask.
    pub const fn empty() -> Self {
        CpuMask {
            words: Vec::new(),
            rest: false,
        }
    }

    /// Every CPU, present and future.
    pub const fn all() -> Self {
        CpuMask {
            words: Vec::new(),
            rest: true,
        }
    }

    /// A mask holding just `cpu`.
    pub fn single(cpu: Cpu) -> Self {
        let mut m = Self::empty();
        m.set(cpu);
        m
    }

    /// A mask from a list of CPUs.
    pub fn from_cpus(cpus: &[Cpu]) -> Self {
        let mut m = Self::empty();
        for &c in cpus {
            m.set(c);
        }
        m
    }

    /// Whether `cpu` is in the mask.
    pub fn test(&self, cpu: Cpu) -> bool {
        let w = (cpu / 64) as usize;
        match self.words.get(w) {
            Some(word) => word & (1u64 << (cpu % 64)) != 0,
            None => self.rest,
        }
    }

    fn grow(&mut self, words: usize) {
        let fill = if self.rest { u64::MAX } else { 0 };
        while self.words.len() < words {
            self.words.push(fill);
        }
    }

    /// Adds `cpu`.
    pub fn set(&mut self, cpu: Cpu) {
        let w = (cpu / 64) as usize;
        if self.rest && w >= self.words.len() {
            return;
        }
        self.grow(w + 1);
        if let Some(word) = self.words.get_mut(w) {
            *word |= 1u64 << (cpu % 64);
        }
    }

    /// Removes `cpu`.
    pub fn clear(&mut self, cpu: Cpu) {
        let w = (cpu / 64) as usize;
        if !self.rest && w >= self.words.len() {
            return;
        }
        self.grow(w + 1);
        if let Some(word) = self.words.get_mut(w) {
            *word &= !(1u64 << (cpu % 64));
        }
    }

    /// Whether the two masks share a CPU among the first `limit` CPUs (or any, if both are
    /// infinite).
    pub fn intersects(&self, other: &CpuMask) -> bool {
        if self.rest && other.rest {
            return true;
        }
        let n = self.words.len().max(other.words.len());
        (0..n).any(|i| self.word(i) & other.word(i) != 0)
    }

    fn word(&self, i: usize) -> u64 {
        match self.words.get(i) {
            Some(w) => *w,
            None if self.rest => u64::MAX,
            None => 0,
        }
    }

    /// The intersection of two masks.
    pub fn and(&self, other: &CpuMask) -> CpuMask {
        let n = self.words.len().max(other.words.len());
        CpuMask {
            words: (0..n).map(|i| self.word(i) & other.word(i)).collect(),
            rest: self.rest && other.rest,
        }
    }

    /// Whether no CPU is in the mask.
    pub fn is_empty(&self) -> bool {
        !self.rest && self.words.iter().all(|w| *w == 0)
    }

    /// Whether the mask is the infinite "all CPUs" mask.
    pub fn is_all(&self) -> bool {
        self.rest && self.words.iter().all(|w| *w == u64::MAX)
    }

    /// The CPUs of a finite mask in increasing order (nothing past the stored words of an
    /// infinite one: intersect with a finite mask first).
    pub fn iter(&self) -> impl Iterator<Item = Cpu> + '_ {
        self.words.iter().enumerate().flat_map(|(i, &w)| {
            (0..64u32)
                .filter(move |b| w & (1u64 << b) != 0)
                .map(move |b| i as u32 * 64 + b)
        })
    }

    /// How many CPUs a finite mask holds.
    pub fn weight(&self) -> u32 {
        self.words.iter().map(|w| w.count_ones()).sum()
    }

    /// The lowest CPU of a finite mask.
    pub fn first(&self) -> Option<Cpu> {
        self.iter().next()
    }

    /// The highest CPU of a finite mask.
    pub fn last(&self) -> Option<Cpu> {
        self.iter().last()
    }
}

/// A unit's hard and soft affinity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Affinity {
    /// Where the unit may run.
    pub hard: CpuMask,
    /// Where the unit prefers to run.
    pub soft: CpuMask,
}

impl Default for Affinity {
    fn default() -> Self {
        Affinity {
            hard: CpuMask::all(),
            soft: CpuMask::all(),
        }
    }
}

impl Affinity {
    /// Pinned to one CPU (what `dom0_vcpus_pin` and `xl vcpu-pin` with one CPU produce).
    pub fn pinned(cpu: Cpu) -> Self {
        Affinity {
            hard: CpuMask::single(cpu),
            soft: CpuMask::all(),
        }
    }

    /// Whether the unit may run on `cpu`.
    pub fn allows(&self, cpu: Cpu) -> bool {
        self.hard.test(cpu)
    }

    /// Whether soft affinity restricts anything useful: it must be narrower than, and intersect,
    /// the hard affinity (Xen's `has_soft_affinity`).
    pub fn has_soft(&self) -> bool {
        !self.soft.is_all() && self.soft.intersects(&self.hard)
    }

    /// Whether `cpu` is preferred: allowed and, if soft affinity matters, within it.
    pub fn prefers(&self, cpu: Cpu) -> bool {
        self.hard.test(cpu) && (!self.has_soft() || self.soft.test(cpu))
    }

    /// Picks the first CPU from `candidates` that satisfies the affinity, preferring soft
    /// affinity (Xen's two balance steps, `BALANCE_SOFT_AFFINITY` then `BALANCE_HARD_AFFINITY`).
    pub fn pick<I: Iterator<Item = Cpu> + Clone>(&self, candidates: I) -> Option<Cpu> {
        if self.has_soft()
            && let Some(c) = candidates.clone().find(|&c| self.prefers(c))
        {
            return Some(c);
        }
        candidates.into_iter().find(|&c| self.allows(c))
    }
}

/// Dom0's vCPU `vcpu` affinity under `dom0_vcpus_pin`: pinned to the pool's CPUs in turn, as
/// Xen's `dom0_setup_vcpu` cycles through dom0's CPUs. Without pinning, all CPUs.
pub fn dom0_vcpu_affinity(vcpu: u32, pin: bool, pool_cpus: &CpuMask) -> Affinity {
    let n = pool_cpus.weight();
    if !pin || n == 0 {
        return Affinity::default();
    }
    match pool_cpus.iter().nth((vcpu % n) as usize) {
        Some(cpu) => Affinity::pinned(cpu),
        None => Affinity::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn infinite_masks_and_clear() {
        let mut m = CpuMask::all();
        assert!(m.test(1000));
        m.clear(3);
        assert!(!m.test(3) && m.test(4) && m.test(1000));
        let f = CpuMask::from_cpus(&[1, 3, 70]);
        assert_eq!(m.and(&f).iter().collect::<Vec<_>>(), [1, 70]);
        assert!(!CpuMask::empty().intersects(&f));
        assert_eq!(f.last(), Some(70));
    }

    #[test]
    fn soft_affinity_is_preferred_but_not_required() {
        let a = Affinity {
            hard: CpuMask::from_cpus(&[0, 1, 2]),
            soft: CpuMask::single(2),
        };
        assert_eq!(a.pick(0..4u32), Some(2));
        let b = Affinity {
            hard: CpuMask::from_cpus(&[0, 1]),
            soft: CpuMask::single(3),
        };
        assert!(!b.has_soft());
        assert_eq!(b.pick(0..4u32), Some(0));
    }

    #[test]
    fn dom0_pinning_cycles_through_pool_cpus() {
        let pool = CpuMask::from_cpus(&[2, 5]);
        assert_eq!(dom0_vcpu_affinity(0, true, &pool), Affinity::pinned(2));
        assert_eq!(dom0_vcpu_affinity(3, true, &pool), Affinity::pinned(5));
        assert_eq!(dom0_vcpu_affinity(3, false, &pool), Affinity::default());
    }
}
