//! Runtime for Ferrite's test guests: small PVH kernels in the style of Xen's XTF
//! (xen-project/xen-test-framework) that run as dom0 under Ferrite or Xen and end with one
//! `Test result:` line.
//!
//! A guest is a binary crate next to this one that calls [`guest!`] with its cases; the
//! runtime supplies the PVH entry and ELF note (`entry.S`), the layout (`guest.ld`, linked at
//! 1 MiB), Xen detection and the hypercall page ([`xen`]), hypercall wrappers ([`hypercall`]),
//! the console ([`console`], [`println!`]), an exception reporter ([`idt`]), the harness
//! ([`harness`]) and the shutdown ([`exit`]).
#![no_std]

pub mod acpi;
pub mod boot;
pub mod console;
pub mod cpu;
pub mod events;
pub mod exit;
pub mod harness;
pub mod hypercall;
pub mod idt;
pub mod once;
pub mod paging;
pub mod smp;
pub mod time;
pub mod xen;

pub use ferrite_abi as abi;
pub use harness::{Case, Outcome, Reason, Status, Verdict};
