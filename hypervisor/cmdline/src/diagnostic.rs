//! What the parser reports about options it could not apply.
//!
//! Xen prints `parameter "x" unknown!` and `parameter "x" has invalid value "y"` from
//! `parse_params()` (`xen/common/kernel.c`) and keeps booting; Ferrite reports the same
//! cases as values, one line each, and also keeps booting.

use core::fmt;

/// One problem found on the command line. Parsing always goes on after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Diagnostic<'a> {
    /// Neither Ferrite nor Xen 4.20's documentation knows this option name.
    Unknown {
        /// The name as written (after `no-`, before `=`).
        name: &'a [u8],
        /// A known option spelled the same up to `-`/`_`, which Xen does not treat as
        /// interchangeable.
        suggestion: Option<&'static str>,
    },
    /// A token with nothing before its `=`, such as `=x`.
    MissingName {
        /// The whole token.
        token: &'a [u8],
    },
    /// An option Xen 4.20 documents but Ferrite does not implement yet; it is ignored.
    KnownUnsupported {
        /// The option's documented name.
        name: &'static str,
    },
    /// A value Xen accepts for an option Ferrite supports, but Ferrite cannot act on
    /// yet (for example `console=dbgp`); it is ignored.
    UnsupportedValue {
        /// The option's name.
        option: &'static str,
        /// The value, or the list item, as written.
        value: &'a [u8],
    },
    /// A value (or one list item) that does not fit the option's grammar; the option,
    /// or that item, keeps its previous value.
    Malformed {
        /// The option's name.
        option: &'static str,
        /// The value, list item or token as written; empty when the value is missing.
        value: &'a [u8],
        /// What the option accepts, in the doc's words.
        expected: &'static str,
    },
    /// A token that is not valid UTF-8; it is ignored.
    NotUtf8 {
        /// The whole token.
        token: &'a [u8],
    },
}

impl fmt::Display for Diagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Unknown {
                name,
                suggestion: None,
            } => write!(f, "unknown option '{}'", Escaped(name)),
            Self::Unknown {
                name,
                suggestion: Some(known),
            } => write!(
                f,
                "unknown option '{}' (did you mean '{known}'?)",
                Escaped(name)
            ),
            Self::MissingName { token } => {
                write!(f, "option without a name in '{}'", Escaped(token))
            }
            Self::KnownUnsupported { name } => {
                write!(f, "option '{name}' is known but not supported yet")
            }
            Self::UnsupportedValue { option, value } => write!(
                f,
                "option '{option}': value '{}' is known but not supported yet",
                Escaped(value)
            ),
            Self::Malformed {
                option,
                value: [],
                expected,
            } => write!(f, "option '{option}': missing value (expected {expected})"),
            Self::Malformed {
                option,
                value,
                expected,
            } => write!(
                f,
                "option '{option}': malformed value '{}' (expected {expected})",
                Escaped(value)
            ),
            Self::NotUtf8 { token } => {
                write!(f, "option '{}' is not valid UTF-8", Escaped(token))
            }
        }
    }
}

/// How many bytes of a value a message shows before eliding the rest.
const SHOWN_BYTES: usize = 64;

/// Writes command-line bytes on one printable line: printable ASCII as is (with `\` and
/// `'` escaped), anything else as `\xNN`, and at most 64 of them.
pub struct Escaped<'a>(pub &'a [u8]);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (shown, elided) = self.0.split_at(self.0.len().min(SHOWN_BYTES));
        for &byte in shown {
            match byte {
                b'\\' | b'\'' => write!(f, "\\{}", char::from(byte))?,
                b' '..=b'~' => write!(f, "{}", char::from(byte))?,
                _ => write!(f, "\\x{byte:02x}")?,
            }
        }
        if !elided.is_empty() {
            write!(f, "...")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_one_clear_line() {
        let cases: [(Diagnostic<'_>, &str); 9] = [
            (
                Diagnostic::Unknown {
                    name: b"foo",
                    suggestion: None,
                },
                "unknown option 'foo'",
            ),
            (
                Diagnostic::Unknown {
                    name: b"sync-console",
                    suggestion: Some("sync_console"),
                },
                "unknown option 'sync-console' (did you mean 'sync_console'?)",
            ),
            (
                Diagnostic::MissingName { token: b"=x" },
                "option without a name in '=x'",
            ),
            (
                Diagnostic::KnownUnsupported {
                    name: "hpetbroadcast",
                },
                "option 'hpetbroadcast' is known but not supported yet",
            ),
            (
                Diagnostic::UnsupportedValue {
                    option: "console",
                    value: b"dbgp",
                },
                "option 'console': value 'dbgp' is known but not supported yet",
            ),
            (
                Diagnostic::Malformed {
                    option: "loglvl",
                    value: b"bogus",
                    expected: "one of none, error, warning, info, debug, all[/<level>]",
                },
                "option 'loglvl': malformed value 'bogus' (expected one of none, error, \
                 warning, info, debug, all[/<level>])",
            ),
            (
                Diagnostic::Malformed {
                    option: "maxcpus",
                    value: b"",
                    expected: "an integer",
                },
                "option 'maxcpus': missing value (expected an integer)",
            ),
            (
                Diagnostic::NotUtf8 {
                    token: b"a\xffb\n'\\",
                },
                "option 'a\\xffb\\x0a\\'\\\\' is not valid UTF-8",
            ),
            (
                Diagnostic::Unknown {
                    name: &[b'x'; 70],
                    suggestion: None,
                },
                "unknown option 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\
                 xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...'",
            ),
        ];
        for (diagnostic, line) in cases {
            assert_eq!(diagnostic.to_string(), line);
        }
    }
}
