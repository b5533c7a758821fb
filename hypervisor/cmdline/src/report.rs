//! The channel through which option parsers report problems, and the shape of what
//! followed an option's name.
//!
//! Mirrors how `parse_params()` in `xen/common/kernel.c` hands a value to a parameter's
//! handler (`custom_param` functions receive `""` for a bare name and `"no"` for
//! `no-name`).

use crate::diagnostic::Diagnostic;

/// What followed an option's name in its token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arg<'a> {
    /// `name` alone.
    Bare,
    /// `no-name` (without a value).
    Negated,
    /// `name=value` (the value may be empty).
    Value(&'a [u8]),
}

impl<'a> Arg<'a> {
    /// The text Xen passes to a custom handler: `""` for a bare name, `"no"` for
    /// `no-name`, else the value.
    pub fn as_custom_text(self) -> &'a [u8] {
        match self {
            Self::Bare => b"",
            Self::Negated => b"no",
            Self::Value(value) => value,
        }
    }
}

/// Reports problems with one option's value to the caller's diagnostic sink.
pub struct Report<'a, 'd> {
    option: &'static str,
    sink: &'d mut dyn FnMut(Diagnostic<'a>),
}

impl<'a, 'd> Report<'a, 'd> {
    /// A reporter for `option` that forwards to `sink`.
    pub fn new(option: &'static str, sink: &'d mut dyn FnMut(Diagnostic<'a>)) -> Self {
        Self { option, sink }
    }

    /// The option being parsed.
    pub fn option(&self) -> &'static str {
        self.option
    }

    /// Reports `value` (a whole value or one list item) as not fitting `expected`.
    pub fn malformed(&mut self, value: &'a [u8], expected: &'static str) {
        (self.sink)(Diagnostic::Malformed {
            option: self.option,
            value,
            expected,
        });
    }

    /// Reports `value` as valid for Xen but not implemented by Ferrite.
    pub fn unsupported(&mut self, value: &'a [u8]) {
        (self.sink)(Diagnostic::UnsupportedValue {
            option: self.option,
            value,
        });
    }
}

/// The option's value as a whole does not fit its grammar; the caller reports it with
/// the option's `expected` text and keeps the previous value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rejected;

/// Calls `each` for every comma-separated item of a list value. Empty items are
/// reported once, against the whole list, since showing an empty value would not help.
pub fn for_each_item<'a>(
    list: &'a [u8],
    report: &mut Report<'a, '_>,
    expected: &'static str,
    mut each: impl FnMut(&'a [u8], &mut Report<'a, '_>),
) {
    let mut empty_reported = false;
    for item in list.split(|&b| b == b',') {
        if !item.is_empty() {
            each(item, report);
        } else if !empty_reported {
            empty_reported = true;
            report.malformed(list, expected);
        }
    }
}
