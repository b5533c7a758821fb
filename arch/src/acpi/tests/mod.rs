//! Host tests for the ACPI reader: synthetic tables in fake memory.

mod builder;
mod malformed;
mod prop;
mod valid;
