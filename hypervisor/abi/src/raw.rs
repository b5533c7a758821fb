//! Conversions from raw guest-supplied numbers: the error for a number Xen does not define.

use core::fmt;

/// A raw number that is not one of the values Xen defines for `kind` (an unknown hypercall,
/// subop, parameter index, ...). Callers turn it into the errno their hypercall specifies,
/// usually `ENOSYS` for an operation and `EINVAL` for an argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unknown {
    /// The Rust type the number was meant for, e.g. `"Hypercall"`.
    pub kind: &'static str,
    /// The number as given (sign-extended when the raw type is signed).
    pub raw: u64,
}

impl fmt::Display for Unknown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown {} {:#x}", self.kind, self.raw)
    }
}
