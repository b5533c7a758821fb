//! Whole-line tests of [`crate::parse()`]: the grammar, each option, the registry and
//! arbitrary bytes.

mod grammar;
mod options;
mod random;
mod registry;

use crate::{Diagnostic, Parsed, parse};

/// Parses `line` and collects the diagnostics.
fn run(line: &[u8]) -> (Parsed<'_>, Vec<Diagnostic<'_>>) {
    let mut seen = Vec::new();
    let parsed = parse(line, &mut |d| seen.push(d));
    (parsed, seen)
}

/// Parses `line` and returns the diagnostics' messages.
fn messages(line: &[u8]) -> Vec<String> {
    run(line).1.iter().map(ToString::to_string).collect()
}

/// Parses `line`, which must produce no diagnostics.
fn clean(line: &[u8]) -> Parsed<'_> {
    let (parsed, seen) = run(line);
    assert!(
        seen.is_empty(),
        "{}: {seen:?}",
        String::from_utf8_lossy(line)
    );
    parsed
}
