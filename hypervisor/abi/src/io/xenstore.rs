//! The xenstore wire protocol (`io/xs_wire.h`, `docs/misc/xenstore.txt`): a decoder for
//! messages read from a xenstore ring and an encoder for replies, watch events and requests.
//!
//! A message is a 16-byte [`XsdSockmsg`] header and `len` payload bytes (at most
//! `XENSTORE_PAYLOAD_MAX`). Payloads are NUL-terminated strings, except `XS_WRITE`'s value and
//! `XS_READ`'s reply, which are raw bytes. Everything here works on untrusted bytes and returns
//! an [`XsError`] instead of panicking.

use super::xs_wire::{XENSTORE_ABS_PATH_MAX, XENSTORE_PAYLOAD_MAX, XENSTORE_REL_PATH_MAX};
use super::xs_wire::{XSD_ERRORS, XsdSockmsg, XsdSockmsgType};
use crate::Errno;
use zerocopy::{FromBytes, IntoBytes};

/// Bytes in a message header.
pub const HEADER_LEN: usize = 16;

/// Why a message could not be decoded or encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum XsError {
    /// Not enough bytes yet: `needed` in total for this message.
    Incomplete {
        /// Bytes the whole message needs.
        needed: usize,
    },
    /// The header's `len` exceeds `XENSTORE_PAYLOAD_MAX`.
    TooLong(u32),
    /// The header's type is not a request or reply Xen defines.
    UnknownType(u32),
    /// The payload does not have the type's format.
    Malformed(&'static str),
    /// The output buffer is too small.
    NoSpace,
}

impl XsError {
    /// The errno xenstored answers with.
    pub fn errno(self) -> Errno {
        match self {
            XsError::TooLong(_) | XsError::NoSpace => Errno::E2BIG,
            _ => Errno::EINVAL,
        }
    }
}

/// One framed message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Message<'a> {
    /// The header as received.
    pub header: XsdSockmsg,
    /// Its type.
    pub kind: XsdSockmsgType,
    /// Exactly `header.len` bytes.
    pub payload: &'a [u8],
}

/// Splits the first message off `bytes`, returning it and the bytes after it.
pub fn split_message(bytes: &[u8]) -> Result<(Message<'_>, &[u8]), XsError> {
    let (header, rest) = XsdSockmsg::read_from_prefix(bytes)
        .map_err(|_| XsError::Incomplete { needed: HEADER_LEN })?;
    if header.len > XENSTORE_PAYLOAD_MAX {
        return Err(XsError::TooLong(header.len));
    }
    let kind =
        XsdSockmsgType::try_from(header.kind).map_err(|_| XsError::UnknownType(header.kind))?;
    let len = header.len as usize;
    let (Some(payload), Some(after)) = (rest.get(..len), rest.get(len..)) else {
        return Err(XsError::Incomplete {
            needed: HEADER_LEN + len,
        });
    };
    Ok((
        Message {
            header,
            kind,
            payload,
        },
        after,
    ))
}

/// A permission entry: `n`, `r`, `w` or `b` followed by a domid (`docs/misc/xenstore.txt`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Perm {
    /// `b'n'` none, `b'r'` read, `b'w'` write, `b'b'` both.
    pub access: u8,
    /// The domain it applies to (the first entry names the owner).
    pub domid: u32,
}

impl Perm {
    fn parse(field: &[u8]) -> Result<Perm, XsError> {
        let (&access, digits) = field
            .split_first()
            .ok_or(XsError::Malformed("empty permission"))?;
        if !matches!(access, b'n' | b'r' | b'w' | b'b') {
            return Err(XsError::Malformed("permission letter"));
        }
        Ok(Perm {
            access,
            domid: number(digits)?,
        })
    }
}

/// The permissions of `XS_SET_PERMS` (validated; iterate with [`PermList::iter`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PermList<'a> {
    fields: &'a [u8],
}

impl<'a> PermList<'a> {
    /// The entries, owner first.
    pub fn iter(&self) -> impl Iterator<Item = Perm> + 'a {
        nul_terminated(self.fields).filter_map(|f| Perm::parse(f).ok())
    }
}

/// A decoded request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Request<'a> {
    /// `XS_CONTROL`: implementation-defined strings.
    Control(&'a [u8]),
    /// `XS_DIRECTORY`.
    Directory(&'a str),
    /// `XS_READ`.
    Read(&'a str),
    /// `XS_GET_PERMS`.
    GetPerms(&'a str),
    /// `XS_WATCH`.
    Watch {
        /// Path or `@special`.
        path: &'a str,
        /// Echoed in events.
        token: &'a [u8],
    },
    /// `XS_UNWATCH`.
    Unwatch {
        /// Path or `@special`.
        path: &'a str,
        /// The token given to `XS_WATCH`.
        token: &'a [u8],
    },
    /// `XS_TRANSACTION_START`.
    TransactionStart,
    /// `XS_TRANSACTION_END`: commit (`T`) or abort (`F`).
    TransactionEnd(bool),
    /// `XS_INTRODUCE`.
    Introduce {
        /// The domain.
        domid: u32,
        /// Its xenstore ring frame.
        mfn: u64,
        /// Its xenstore event channel.
        port: u32,
    },
    /// `XS_RELEASE`.
    Release(u32),
    /// `XS_GET_DOMAIN_PATH`.
    GetDomainPath(u32),
    /// `XS_WRITE`: the value is raw bytes.
    Write {
        /// The node.
        path: &'a str,
        /// Its new value.
        value: &'a [u8],
    },
    /// `XS_MKDIR`.
    Mkdir(&'a str),
    /// `XS_RM`.
    Rm(&'a str),
    /// `XS_SET_PERMS`.
    SetPerms {
        /// The node.
        path: &'a str,
        /// At least one entry.
        perms: PermList<'a>,
    },
    /// `XS_IS_DOMAIN_INTRODUCED`.
    IsDomainIntroduced(u32),
    /// `XS_RESUME`.
    Resume(u32),
    /// `XS_SET_TARGET`.
    SetTarget {
        /// The device-model domain.
        domid: u32,
        /// The domain it serves.
        target: u32,
    },
    /// `XS_RESET_WATCHES`.
    ResetWatches,
    /// `XS_DIRECTORY_PART`.
    DirectoryPart {
        /// The node.
        path: &'a str,
        /// Byte offset into the child list.
        offset: u64,
    },
}

/// Splits `payload` into NUL-terminated fields; bytes after the last NUL are not a field.
fn nul_terminated(payload: &[u8]) -> impl Iterator<Item = &[u8]> {
    let complete = payload.iter().rposition(|&b| b == 0).map_or(0, |i| i + 1);
    payload
        .get(..complete)
        .unwrap_or(&[])
        .split_inclusive(|&b| b == 0)
        .map(|f| f.strip_suffix(&[0]).unwrap_or(f))
}

/// Exactly `N` NUL-terminated fields and nothing else.
fn fields<const N: usize>(payload: &[u8]) -> Result<[&[u8]; N], XsError> {
    if payload.last() != Some(&0) {
        return Err(XsError::Malformed("payload not NUL-terminated"));
    }
    let mut out = [&[][..]; N];
    let mut it = nul_terminated(payload);
    for slot in &mut out {
        *slot = it.next().ok_or(XsError::Malformed("too few fields"))?;
    }
    match it.next() {
        None => Ok(out),
        Some(_) => Err(XsError::Malformed("too many fields")),
    }
}

/// A decimal number without sign or leading '+', as xenstored prints them.
fn number<T: TryFrom<u64>>(digits: &[u8]) -> Result<T, XsError> {
    if digits.is_empty() || digits.len() > 20 {
        return Err(XsError::Malformed("number"));
    }
    let mut v: u64 = 0;
    for &d in digits {
        let d = d
            .checked_sub(b'0')
            .filter(|d| *d < 10)
            .ok_or(XsError::Malformed("number"))?;
        v = v
            .checked_mul(10)
            .and_then(|v| v.checked_add(u64::from(d)))
            .ok_or(XsError::Malformed("number"))?;
    }
    T::try_from(v).map_err(|_| XsError::Malformed("number out of range"))
}

/// A node path: `[A-Za-z0-9/_@-]`, no empty components, no trailing '/' (except "/"), within
/// `XENSTORE_ABS_PATH_MAX` (absolute) or `XENSTORE_REL_PATH_MAX` (relative); or, where
/// `special` is allowed, `@` followed by a name (watches on `@introduceDomain`, ...).
fn path(field: &[u8], special: bool) -> Result<&str, XsError> {
    let s = core::str::from_utf8(field).map_err(|_| XsError::Malformed("path"))?;
    let max = if s.starts_with('/') {
        XENSTORE_ABS_PATH_MAX
    } else {
        XENSTORE_REL_PATH_MAX
    };
    if s.is_empty() || s.len() > max as usize {
        return Err(XsError::Malformed("path length"));
    }
    if let Some(name) = s.strip_prefix('@') {
        if special && !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Ok(s);
        }
        return Err(XsError::Malformed("special path"));
    }
    let valid = s
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'_' | b'@' | b'-'));
    if !valid || s.contains("//") || (s.len() > 1 && s.ends_with('/')) {
        return Err(XsError::Malformed("path"));
    }
    Ok(s)
}

/// Decodes a request message's payload.
pub fn parse_request<'a>(msg: &Message<'a>) -> Result<Request<'a>, XsError> {
    use XsdSockmsgType as T;
    let p = msg.payload;
    Ok(match msg.kind {
        T::Control => Request::Control(p),
        T::Directory => Request::Directory(path(fields::<1>(p)?[0], false)?),
        T::Read => Request::Read(path(fields::<1>(p)?[0], false)?),
        T::GetPerms => Request::GetPerms(path(fields::<1>(p)?[0], false)?),
        T::Mkdir => Request::Mkdir(path(fields::<1>(p)?[0], false)?),
        T::Rm => Request::Rm(path(fields::<1>(p)?[0], false)?),
        T::Watch | T::Unwatch => {
            let [pa, token] = fields::<2>(p)?;
            let path = path(pa, true)?;
            if msg.kind == T::Watch {
                Request::Watch { path, token }
            } else {
                Request::Unwatch { path, token }
            }
        }
        // xenstored ignores the payload of these two.
        T::TransactionStart => Request::TransactionStart,
        T::ResetWatches => Request::ResetWatches,
        T::TransactionEnd => match fields::<1>(p)?[0] {
            b"T" => Request::TransactionEnd(true),
            b"F" => Request::TransactionEnd(false),
            _ => return Err(XsError::Malformed("transaction end")),
        },
        T::Introduce => {
            let [d, m, port] = fields::<3>(p)?;
            Request::Introduce {
                domid: number(d)?,
                mfn: number(m)?,
                port: number(port)?,
            }
        }
        T::Release => Request::Release(number(fields::<1>(p)?[0])?),
        T::GetDomainPath => Request::GetDomainPath(number(fields::<1>(p)?[0])?),
        T::IsDomainIntroduced => Request::IsDomainIntroduced(number(fields::<1>(p)?[0])?),
        T::Resume => Request::Resume(number(fields::<1>(p)?[0])?),
        T::SetTarget => {
            let [d, t] = fields::<2>(p)?;
            Request::SetTarget {
                domid: number(d)?,
                target: number(t)?,
            }
        }
        T::Write => {
            let nul = p
                .iter()
                .position(|&b| b == 0)
                .ok_or(XsError::Malformed("write path"))?;
            let (pa, value) = (p.get(..nul).unwrap_or(&[]), p.get(nul + 1..).unwrap_or(&[]));
            Request::Write {
                path: path(pa, false)?,
                value,
            }
        }
        T::SetPerms => {
            if p.last() != Some(&0) {
                return Err(XsError::Malformed("payload not NUL-terminated"));
            }
            let nul = p.iter().position(|&b| b == 0).unwrap_or(0);
            let (pa, rest) = (p.get(..nul).unwrap_or(&[]), p.get(nul + 1..).unwrap_or(&[]));
            let mut n = 0;
            for f in nul_terminated(rest) {
                Perm::parse(f)?;
                n += 1;
            }
            if n == 0 {
                return Err(XsError::Malformed("no permissions"));
            }
            Request::SetPerms {
                path: path(pa, false)?,
                perms: PermList { fields: rest },
            }
        }
        T::DirectoryPart => {
            let [pa, off] = fields::<2>(p)?;
            Request::DirectoryPart {
                path: path(pa, false)?,
                offset: number(off)?,
            }
        }
        T::WatchEvent | T::Error => return Err(XsError::Malformed("not a request")),
    })
}

/// Builds one message in a caller's buffer.
struct Writer<'b> {
    buf: &'b mut [u8],
    pos: usize,
}

impl<'b> Writer<'b> {
    fn new(buf: &'b mut [u8]) -> Result<Self, XsError> {
        if buf.len() < HEADER_LEN {
            return Err(XsError::NoSpace);
        }
        Ok(Writer {
            buf,
            pos: HEADER_LEN,
        })
    }

    fn put(&mut self, bytes: &[u8]) -> Result<(), XsError> {
        let end = self.pos.checked_add(bytes.len()).ok_or(XsError::NoSpace)?;
        self.buf
            .get_mut(self.pos..end)
            .ok_or(XsError::NoSpace)?
            .copy_from_slice(bytes);
        self.pos = end;
        Ok(())
    }

    fn put_str0(&mut self, bytes: &[u8]) -> Result<(), XsError> {
        self.put(bytes)?;
        self.put(&[0])
    }

    fn put_num0(&mut self, mut v: u64) -> Result<(), XsError> {
        let mut digits = [0u8; 20];
        let mut i = digits.len();
        loop {
            i -= 1;
            digits[i] = b'0' + (v % 10) as u8;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        self.put_str0(digits.get(i..).unwrap_or(&[]))
    }

    fn finish(self, kind: XsdSockmsgType, req_id: u32, tx_id: u32) -> Result<usize, XsError> {
        let len = (self.pos - HEADER_LEN) as u32;
        if len > XENSTORE_PAYLOAD_MAX {
            return Err(XsError::TooLong(len));
        }
        let header = XsdSockmsg {
            kind: kind.raw(),
            req_id,
            tx_id,
            len,
        };
        self.buf
            .get_mut(..HEADER_LEN)
            .ok_or(XsError::NoSpace)?
            .copy_from_slice(header.as_bytes());
        Ok(self.pos)
    }
}

/// A reply's payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reply<'a> {
    /// `"OK"`: success of a request with no data.
    Ok,
    /// An `XS_ERROR` reply naming the errno (one of `XSD_ERRORS`, else `EINVAL`).
    Error(Errno),
    /// `XS_READ`'s value (raw bytes).
    Data(&'a [u8]),
    /// `XS_DIRECTORY`'s child names.
    Names(&'a [&'a str]),
    /// A number (`XS_TRANSACTION_START`'s id).
    Number(u64),
    /// A path (`XS_GET_DOMAIN_PATH`).
    Path(&'a str),
    /// `"T"` or `"F"` (`XS_IS_DOMAIN_INTRODUCED`).
    Bool(bool),
    /// `XS_GET_PERMS`' entries.
    Perms(&'a [Perm]),
    /// `XS_DIRECTORY_PART`: the generation, then names, then an empty string at the end.
    DirectoryPart {
        /// Changes when the child list changes.
        generation: u64,
        /// This part's names.
        names: &'a [&'a str],
        /// Whether this part ends the list.
        last: bool,
    },
}

/// Encodes the reply to a request of type `kind` into `out`; returns the bytes written.
pub fn encode_reply(
    kind: XsdSockmsgType,
    req_id: u32,
    tx_id: u32,
    reply: &Reply<'_>,
    out: &mut [u8],
) -> Result<usize, XsError> {
    let mut w = Writer::new(out)?;
    let mut kind = kind;
    match *reply {
        Reply::Ok => w.put_str0(b"OK")?,
        Reply::Error(e) => {
            let e = if XSD_ERRORS.contains(&e) {
                e
            } else {
                Errno::EINVAL
            };
            w.put_str0(e.name().as_bytes())?;
            kind = XsdSockmsgType::Error;
        }
        Reply::Data(d) => w.put(d)?,
        Reply::Names(names) => names.iter().try_for_each(|n| w.put_str0(n.as_bytes()))?,
        Reply::Number(n) => w.put_num0(n)?,
        Reply::Path(p) => w.put_str0(p.as_bytes())?,
        Reply::Bool(b) => w.put_str0(if b { b"T" } else { b"F" })?,
        Reply::Perms(perms) => {
            for p in perms {
                w.put(&[p.access])?;
                w.put_num0(u64::from(p.domid))?;
            }
        }
        Reply::DirectoryPart {
            generation,
            names,
            last,
        } => {
            w.put_num0(generation)?;
            names.iter().try_for_each(|n| w.put_str0(n.as_bytes()))?;
            if last {
                w.put(&[0])?;
            }
        }
    }
    w.finish(kind, req_id, tx_id)
}

/// Encodes an `XS_WATCH_EVENT` (`path\0token\0`, request and transaction ids 0).
pub fn encode_watch_event(path: &str, token: &[u8], out: &mut [u8]) -> Result<usize, XsError> {
    let mut w = Writer::new(out)?;
    w.put_str0(path.as_bytes())?;
    w.put_str0(token)?;
    w.finish(XsdSockmsgType::WatchEvent, 0, 0)
}

/// Encodes a request (what a client sends); [`parse_request`] decodes it back.
pub fn encode_request(
    req: &Request<'_>,
    req_id: u32,
    tx_id: u32,
    out: &mut [u8],
) -> Result<usize, XsError> {
    use XsdSockmsgType as T;
    let mut w = Writer::new(out)?;
    let kind = match *req {
        Request::Control(args) => {
            w.put(args)?;
            T::Control
        }
        Request::Directory(p) => (w.put_str0(p.as_bytes())?, T::Directory).1,
        Request::Read(p) => (w.put_str0(p.as_bytes())?, T::Read).1,
        Request::GetPerms(p) => (w.put_str0(p.as_bytes())?, T::GetPerms).1,
        Request::Mkdir(p) => (w.put_str0(p.as_bytes())?, T::Mkdir).1,
        Request::Rm(p) => (w.put_str0(p.as_bytes())?, T::Rm).1,
        Request::Watch { path, token } | Request::Unwatch { path, token } => {
            w.put_str0(path.as_bytes())?;
            w.put_str0(token)?;
            if matches!(req, Request::Watch { .. }) {
                T::Watch
            } else {
                T::Unwatch
            }
        }
        Request::TransactionStart => (w.put(&[0])?, T::TransactionStart).1,
        Request::ResetWatches => T::ResetWatches,
        Request::TransactionEnd(commit) => {
            (
                w.put_str0(if commit { b"T" } else { b"F" })?,
                T::TransactionEnd,
            )
                .1
        }
        Request::Introduce { domid, mfn, port } => {
            w.put_num0(u64::from(domid))?;
            w.put_num0(mfn)?;
            w.put_num0(u64::from(port))?;
            T::Introduce
        }
        Request::Release(d) => (w.put_num0(u64::from(d))?, T::Release).1,
        Request::GetDomainPath(d) => (w.put_num0(u64::from(d))?, T::GetDomainPath).1,
        Request::IsDomainIntroduced(d) => (w.put_num0(u64::from(d))?, T::IsDomainIntroduced).1,
        Request::Resume(d) => (w.put_num0(u64::from(d))?, T::Resume).1,
        Request::SetTarget { domid, target } => {
            w.put_num0(u64::from(domid))?;
            w.put_num0(u64::from(target))?;
            T::SetTarget
        }
        Request::Write { path, value } => {
            w.put_str0(path.as_bytes())?;
            w.put(value)?;
            T::Write
        }
        Request::SetPerms { path, perms } => {
            w.put_str0(path.as_bytes())?;
            w.put(perms.fields)?;
            T::SetPerms
        }
        Request::DirectoryPart { path, offset } => {
            w.put_str0(path.as_bytes())?;
            w.put_num0(offset)?;
            T::DirectoryPart
        }
    };
    w.finish(kind, req_id, tx_id)
}

#[cfg(test)]
mod tests;
