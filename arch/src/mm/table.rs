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
