//! Translation-table memory, as the page-table builders of every architecture see it: table
//! entries reached by the table's physical address, and zeroed frames for new tables. The
//! kernel backs it with its 1:1 map (`memory::DirectTables`); tests with a fake memory.

/// Access to page-table memory by physical address.
pub trait TableMemory {
    fn read_entry(&self, table: u64, index: usize) -> u64;
    fn write_entry(&mut self, table: u64, index: usize, value: u64);
    /// A zeroed 4 KiB frame for a new table, or `None` when memory is exhausted.
    fn alloc_table(&mut self) -> Option<u64>;
}

/// Fake table memory for host tests: each table is a 512-entry array keyed by its address;
/// at most `limit` tables can be allocated.
#[cfg(test)]
pub(crate) struct FakeTables {
    pub tables: std::collections::HashMap<u64, std::vec::Vec<u64>>,
    next: u64,
    limit: usize,
}

#[cfg(test)]
impl FakeTables {
    pub fn new(limit: usize) -> FakeTables {
        FakeTables {
            tables: std::collections::HashMap::new(),
            next: 0x100_0000,
            limit,
        }
    }
}

#[cfg(test)]
impl TableMemory for FakeTables {
    fn read_entry(&self, t: u64, i: usize) -> u64 {
        self.tables
            .get(&t)
            .and_then(|v| v.get(i))
            .copied()
            .unwrap_or(0)
    }
    fn write_entry(&mut self, t: u64, i: usize, v: u64) {
        if let Some(e) = self.tables.get_mut(&t).and_then(|tab| tab.get_mut(i)) {
            *e = v;
        }
    }
    fn alloc_table(&mut self) -> Option<u64> {
        if self.tables.len() >= self.limit {
            return None;
        }
        let a = self.next;
        self.next += 0x1000;
        self.tables.insert(a, std::vec![0; 512]);
        Some(a)
    }
}
