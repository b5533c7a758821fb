//! The command-line parser: tokens in, [`Parsed`] and diagnostics out.
//!
//! Mirrors `parse_params()` in `xen/common/kernel.c` (look the name up exactly, strip a
//! leading `no-` when the full name is not an option, report unknown names and invalid
//! values, keep going) and the ` -- ` split in `xen/arch/x86/setup.c`. Allocation-free:
//! it runs before the heap exists.
//!
//! Where Xen's behaviour is undefined or silently odd, Ferrite reports `Malformed` and
//! keeps the previous value instead: `no-opt=value` (Xen flips booleans twice), an
//! empty `opt=` on a boolean (Xen: true), a bare or `no-` integer (Xen: 0), negative or
//! overflowing numbers (Xen wraps). Names match exactly, as in Xen (`-` and `_` are not
//! interchangeable), but an unknown name gets a did-you-mean for such a near miss.
//! Lists apply their good items and report each bad one, as Xen's list parsers do.

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::lexer::{split_dom0, split_option, tokens};
use crate::registry::{Known, lookup, lookup_indexed, suggest};
use crate::report::{Arg, Report};

/// The result of parsing a command line. Borrowed strings point into the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Parsed<'a> {
    /// Every supported option, typed, with Xen's defaults where not given.
    pub config: Config,
    /// `dtuart=`: the console UART's device-tree path or alias, with any `:options`.
    /// Default `""`.
    pub dtuart: &'a str,
    /// The part of the line holding Ferrite's options (before any `--` token).
    pub xen_cmdline: &'a [u8],
    /// Everything after the first standalone `--` token, leading whitespace removed:
    /// dom0's command line. `None` when there is no `--`.
    pub dom0_cmdline: Option<&'a [u8]>,
}

/// The `expected` text when `no-` is combined with a value.
const NEGATED_WITH_VALUE: &str = "no value after the 'no-' prefix";

/// Parses a whole command line. Every option that cannot be applied yields exactly one
/// diagnostic through `diag` (list options: one per bad item); the rest still apply.
/// Never panics, whatever the bytes.
pub fn parse<'a>(cmdline: &'a [u8], diag: &mut dyn FnMut(Diagnostic<'a>)) -> Parsed<'a> {
    let (xen_cmdline, dom0_cmdline) = split_dom0(cmdline);
    let mut parsed = Parsed {
        config: Config::default(),
        dtuart: "",
        xen_cmdline,
        dom0_cmdline,
    };
    for token in tokens(xen_cmdline) {
        parse_token(&mut parsed, token.bytes, diag);
    }
    parsed
}

/// Parses one whitespace-free token.
fn parse_token<'a>(parsed: &mut Parsed<'a>, token: &'a [u8], diag: &mut dyn FnMut(Diagnostic<'a>)) {
    if core::str::from_utf8(token).is_err() {
        diag(Diagnostic::NotUtf8 { token });
        return;
    }
    let option = split_option(token);
    // Everything before the first '=', "no-" included.
    let key = token.split(|&b| b == b'=').next().unwrap_or(token);
    if key.is_empty() {
        diag(Diagnostic::MissingName { token });
        return;
    }
    let plain = option.value.map_or(Arg::Bare, Arg::Value);
    // The full key first, so documented names that start with "no-" (no-real-mode)
    // are found; then the name after "no-", which negates it.
    let (known, arg) = match (lookup(key), option.negated) {
        (Some(known), _) => (known, plain),
        (None, true) => match lookup(option.name) {
            Some(known) if option.value.is_some() => {
                if let Known::Supported(spec) = known {
                    diag(Diagnostic::Malformed {
                        option: spec.name,
                        value: token,
                        expected: NEGATED_WITH_VALUE,
                    });
                    return;
                }
                (known, plain)
            }
            Some(known) => (known, Arg::Negated),
            None => return unknown(key, option.name, diag),
        },
        (None, false) => return unknown(key, option.name, diag),
    };
    let spec = match known {
        Known::Unsupported(name) => {
            diag(Diagnostic::KnownUnsupported { name });
            return;
        }
        Known::Supported(spec) => spec,
    };
    let mut report = Report::new(spec.name, diag);
    if (spec.apply)(parsed, arg, &mut report).is_err() {
        let value = match arg {
            Arg::Bare => &[],
            Arg::Negated => token,
            Arg::Value(value) => value,
        };
        report.malformed(value, spec.expected);
    }
}

/// Reports a name no option has (unless it is an indexed one such as `ivrs_hpet[0]`).
fn unknown<'a>(key: &'a [u8], name: &'a [u8], diag: &mut dyn FnMut(Diagnostic<'a>)) {
    if let Some(name) = lookup_indexed(key) {
        diag(Diagnostic::KnownUnsupported { name });
        return;
    }
    diag(Diagnostic::Unknown {
        name: key,
        suggestion: suggest(key).or_else(|| suggest(name)),
    });
}
