//! Xen's command-line grammar (`docs/misc/xen-command-line.pandoc`) and Ferrite's one
//! option registry.
//!
//! [`parse()`] turns the boot command line into a typed [`Config`] plus dom0's command
//! line, reporting each option it cannot apply as a [`Diagnostic`]. It allocates
//! nothing and never panics, so it can run before the heap exists and on any bytes.
//! [`registry::OPTIONS`] drives both the parser and the README table
//! ([`write_supported_options_markdown`]).
//!
//! ```
//! use ferrite_cmdline::{Diagnostic, parse};
//!
//! let line = b"loglvl=all com1=115200,8n1 hpetbroadcast -- root=/dev/xvda1";
//! let mut problems = 0;
//! let parsed = parse(line, &mut |problem: Diagnostic<'_>| {
//!     problems += 1;
//!     assert_eq!(problem.to_string(), "option 'hpetbroadcast' is known but not supported yet");
//! });
//! assert_eq!(problems, 1);
//! assert!(parsed.config.com1.is_some());
//! assert_eq!(parsed.dom0_cmdline, Some(&b"root=/dev/xvda1"[..]));
//! ```
#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]

pub mod config;
pub mod console;
pub mod diagnostic;
pub mod dom0;
pub mod iommu;
pub mod lexer;
pub mod markdown;
pub mod parse;
pub mod registry;
pub mod report;
pub mod sched;
pub mod serial;
pub mod shutdown;
pub mod unsupported;
pub mod values;
pub mod xen_options;

#[cfg(test)]
mod tests;

pub use config::Config;
pub use diagnostic::Diagnostic;
pub use markdown::write_supported_options_markdown;
pub use parse::{Parsed, parse};
pub use registry::{OPTIONS, OptionKind, OptionSpec};
