//! Known stacks: the shared registry (`crate::stacks`), under the name every arch tree uses.

pub use crate::stacks::{read_stack_word, register};
