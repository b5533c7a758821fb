//! Xen's error numbers (`xen/include/public/errno.h`, Xen 4.20).
//!
//! Hypercalls return `-errno` in the result register. These values are Xen's own: they match
//! Linux's on x86 but are part of the Xen ABI on every architecture.

use core::fmt;

/// A Xen error number. The invariant is that the value is one of Xen's positive errno values.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Errno(u16);

macro_rules! errnos {
    ($($name:ident = $val:expr, $doc:literal;)*) => {
        impl Errno {
            $( #[doc = $doc] pub const $name: Errno = Errno($val); )*

            /// Every errno Xen defines, with its name.
            pub const ALL: &'static [(Errno, &'static str)] = &[$((Errno::$name, stringify!($name)),)*];
        }

        /// This header's entry in the layout table (`enum xen_errno` names them `XEN_E*`).
        pub(crate) const TABLE: crate::layout::ModuleTable = crate::layout::ModuleTable {
            module: module_path!(),
            header: "errno.h",
            structs: &[],
            raw_round_trip: |raw| match u16::try_from(raw).ok().and_then(Errno::from_value) {
                Some(e) if u64::from(e.value()) != raw => Err("Errno"),
                Some(_) => Ok(1),
                None => Ok(0),
            },
            consts: &[&[$(crate::layout::ConstLayout {
                c_name: concat!("XEN_", stringify!($name)),
                value: $val,
                since: errno_since(stringify!($name)),
            },)*
            crate::layout::ConstLayout { c_name: "XEN_EWOULDBLOCK", value: 11, since: None },
            crate::layout::ConstLayout { c_name: "XEN_EDEADLOCK", value: 35, since: None },
            ]],
        };
    };
}

errnos! {
    EPERM = 1, "Operation not permitted";
    ENOENT = 2, "No such file or directory";
    ESRCH = 3, "No such process";
    EINTR = 4, "Interrupted system call";
    EIO = 5, "I/O error";
    ENXIO = 6, "No such device or address";
    E2BIG = 7, "Arg list too long";
    ENOEXEC = 8, "Exec format error";
    EBADF = 9, "Bad file number";
    ECHILD = 10, "No child processes";
    EAGAIN = 11, "Try again";
    ENOMEM = 12, "Out of memory";
    EACCES = 13, "Permission denied";
    EFAULT = 14, "Bad address";
    EBUSY = 16, "Device or resource busy";
    EEXIST = 17, "File exists";
    EXDEV = 18, "Cross-device link";
    ENODEV = 19, "No such device";
    ENOTDIR = 20, "Not a directory";
    EISDIR = 21, "Is a directory";
    EINVAL = 22, "Invalid argument";
    ENFILE = 23, "File table overflow";
    EMFILE = 24, "Too many open files";
    ENOSPC = 28, "No space left on device";
    EROFS = 30, "Read-only file system";
    EMLINK = 31, "Too many links";
    EDOM = 33, "Math argument out of domain of func";
    ERANGE = 34, "Math result not representable";
    EDEADLK = 35, "Resource deadlock would occur";
    ENAMETOOLONG = 36, "File name too long";
    ENOLCK = 37, "No record locks available";
    ENOSYS = 38, "Function not implemented";
    ENOTEMPTY = 39, "Directory not empty";
    ENODATA = 61, "No data available";
    ETIME = 62, "Timer expired";
    EBADMSG = 74, "Not a data message";
    EOVERFLOW = 75, "Value too large for defined data type";
    EILSEQ = 84, "Illegal byte sequence";
    ERESTART = 85, "Interrupted system call should be restarted";
    ENOTSOCK = 88, "Socket operation on non-socket";
    EMSGSIZE = 90, "Message too large";
    EOPNOTSUPP = 95, "Operation not supported on transport endpoint";
    EADDRINUSE = 98, "Address already in use";
    EADDRNOTAVAIL = 99, "Cannot assign requested address";
    ENOBUFS = 105, "No buffer space available";
    EISCONN = 106, "Transport endpoint is already connected";
    ENOTCONN = 107, "Transport endpoint is not connected";
    ETIMEDOUT = 110, "Connection timed out";
    ECONNREFUSED = 111, "Connection refused";
}

/// `EINTR` and `ERESTART` are defined only inside Xen (`#ifdef __XEN__`): never returned to a guest, so the
/// guest-visible headers the layout test compiles against do not have them.
const fn errno_since(name: &str) -> Option<&'static str> {
    match name.as_bytes() {
        b"EINTR" | b"ERESTART" => Some("defined only for Xen itself (__XEN__)"),
        _ => None,
    }
}

impl Errno {
    /// `EWOULDBLOCK` is `EAGAIN` in Xen.
    pub const EWOULDBLOCK: Errno = Errno::EAGAIN;
    /// `EDEADLOCK` is `EDEADLK` in Xen.
    pub const EDEADLOCK: Errno = Errno::EDEADLK;

    /// The positive errno value.
    pub const fn value(self) -> u16 {
        self.0
    }

    /// The value a hypercall leaves in its result register: `-errno`.
    pub const fn to_ret(self) -> i64 {
        -(self.0 as i64)
    }

    /// The errno for a positive raw value, if Xen defines it.
    pub fn from_value(v: u16) -> Option<Errno> {
        Errno::ALL.iter().find(|(e, _)| e.0 == v).map(|(e, _)| *e)
    }

    /// The symbolic name, e.g. `"EINVAL"`.
    pub fn name(self) -> &'static str {
        Errno::ALL
            .iter()
            .find(|(e, _)| *e == self)
            .map_or("E?", |(_, n)| n)
    }
}

impl fmt::Debug for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}({})", self.name(), self.0)
    }
}

impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "-{}", self.name())
    }
}

/// A hypercall result: a non-negative value or an [`Errno`].
pub type XenResult<T> = Result<T, Errno>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for (e, n) in Errno::ALL {
            assert_eq!(Errno::from_value(e.value()), Some(*e));
            assert_eq!(e.name(), *n);
            assert!(e.to_ret() < 0);
        }
        assert_eq!(Errno::from_value(0), None);
        assert_eq!(Errno::ENOSYS.to_ret(), -38);
    }
}
