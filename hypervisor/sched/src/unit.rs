//! Per-unit and per-pCPU tables that every scheduler keeps (Xen's `sched_unit->priv` and
//! `sched_resource->sched_priv`, `xen/common/sched/private.h`).
//!
//! Units are named by a [`UnitId`] the caller chooses (dense small numbers), so lookups are an
//! index, never a search. Nothing here panics on an unknown id: lookups return `None`.

use alloc::vec::Vec;

use crate::core::{Cpu, UnitId};

/// A table indexed by a dense id; missing entries are `None`.
#[derive(Clone, Debug)]
pub struct Slab<T> {
    slots: Vec<Option<T>>,
}

impl<T> Default for Slab<T> {
    fn default() -> Self {
        Slab { slots: Vec::new() }
    }
}

impl<T> Slab<T> {
    /// Stores `value` at `index`, returning what was there.
    pub fn insert(&mut self, index: usize, value: T) -> Option<T> {
        if self.slots.len() <= index {
            self.slots.resize_with(index + 1, || None);
        }
        self.slots.get_mut(index).and_then(|s| s.replace(value))
    }

    /// Removes and returns the entry at `index`.
    pub fn remove(&mut self, index: usize) -> Option<T> {
        self.slots.get_mut(index).and_then(Option::take)
    }

    /// The entry at `index`.
    pub fn get(&self, index: usize) -> Option<&T> {
        self.slots.get(index).and_then(Option::as_ref)
    }

    /// The entry at `index`, mutably.
    pub fn get_mut(&mut self, index: usize) -> Option<&mut T> {
        self.slots.get_mut(index).and_then(Option::as_mut)
    }

    /// Present entries with their index.
    pub fn iter(&self) -> impl Iterator<Item = (usize, &T)> {
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.as_ref().map(|v| (i, v)))
    }

    /// Present entries with their index, mutably.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (usize, &mut T)> {
        self.slots
            .iter_mut()
            .enumerate()
            .filter_map(|(i, s)| s.as_mut().map(|v| (i, v)))
    }
}

/// Units of a scheduler, by [`UnitId`].
pub type Units<T> = Slab<T>;

/// Helpers to index a [`Slab`] by unit or CPU without casts at every call site.
pub trait ById<T> {
    /// The entry for `unit`.
    fn unit(&self, unit: UnitId) -> Option<&T>;
    /// The entry for `unit`, mutably.
    fn unit_mut(&mut self, unit: UnitId) -> Option<&mut T>;
    /// The entry for `cpu`.
    fn cpu(&self, cpu: Cpu) -> Option<&T>;
    /// The entry for `cpu`, mutably.
    fn cpu_mut(&mut self, cpu: Cpu) -> Option<&mut T>;
}

impl<T> ById<T> for Slab<T> {
    fn unit(&self, unit: UnitId) -> Option<&T> {
        self.get(unit.0 as usize)
    }
    fn unit_mut(&mut self, unit: UnitId) -> Option<&mut T> {
        self.get_mut(unit.0 as usize)
    }
    fn cpu(&self, cpu: Cpu) -> Option<&T> {
        self.get(cpu as usize)
    }
    fn cpu_mut(&mut self, cpu: Cpu) -> Option<&mut T> {
        self.get_mut(cpu as usize)
    }
}
