//! Xen's scalar value grammars: `<boolean>`, `<integer>`, `<size>`, sub-option booleans
//! and PCI coordinates.
//!
//! Mirrors "Types of parameter" in `docs/misc/xen-command-line.pandoc` and the helpers
//! behind it: `parse_bool()` and `parse_boolean()` in `xen/common/kernel.c`,
//! `simple_strtoull()` in `xen/lib/strtoull.c`, `parse_size_and_unit()` in
//! `xen/lib/parse-size.c` and `parse_pci()` in `xen/drivers/pci/pci.c`. Unlike the C
//! helpers these reject overflow and trailing junk instead of wrapping or stopping.

/// Xen's `<boolean>` values: `yes`/`on`/`true`/`enable`/`1` and
/// `no`/`off`/`false`/`disable`/`0`, case-sensitive.
pub fn parse_bool(value: &[u8]) -> Option<bool> {
    match value {
        b"1" | b"on" | b"yes" | b"true" | b"enable" => Some(true),
        b"0" | b"no" | b"off" | b"false" | b"disable" => Some(false),
        _ => None,
    }
}

/// Parses the leading unsigned integer of `text` the way `simple_strtoull(s, &e, 0)`
/// chooses its base: `0x`/`0X` followed by a hex digit is hex, another leading `0` is
/// octal, anything else decimal. Returns the value and the unparsed rest, or `None`
/// when there is no digit or the value does not fit in `u64`.
pub fn parse_uint_prefix(text: &[u8]) -> Option<(u64, &[u8])> {
    let (radix, digits) = match text {
        [b'0', b'x' | b'X', next, ..] if next.is_ascii_hexdigit() => (16, text.get(2..)?),
        [b'0', ..] => (8, text),
        _ => (10, text),
    };
    let mut value: u64 = 0;
    let mut used = 0;
    for &byte in digits {
        let Some(digit) = char::from(byte).to_digit(radix) else {
            break;
        };
        value = value
            .checked_mul(u64::from(radix))?
            .checked_add(u64::from(digit))?;
        used += 1;
    }
    if used == 0 {
        return None;
    }
    Some((value, digits.get(used..)?))
}

/// Xen's `<integer>` without a sign, as a whole value.
pub fn parse_u64(value: &[u8]) -> Option<u64> {
    match parse_uint_prefix(value)? {
        (number, []) => Some(number),
        _ => None,
    }
}

/// Xen's `<integer>` without a sign, that must fit in `u32`.
pub fn parse_u32(value: &[u8]) -> Option<u32> {
    u32::try_from(parse_u64(value)?).ok()
}

/// Xen's `<integer>` with an optional leading `-`, that must fit in `i32`.
pub fn parse_i32(value: &[u8]) -> Option<i32> {
    match value.strip_prefix(b"-") {
        Some(magnitude) => {
            let magnitude = i64::try_from(parse_u64(magnitude)?).ok()?;
            i32::try_from(-magnitude).ok()
        }
        None => i32::try_from(parse_u64(value)?).ok(),
    }
}

/// Parses the leading `<size>` of `text` like `parse_size_and_unit()`: an integer and one
/// of the suffixes `T`, `G`, `M`, `K` or `B` (either case), KiB when there is none.
/// With `percent_follows`, a `%` right after the number is left unconsumed and the
/// number is returned unscaled (the `dom0_mem` fraction form). Returns the size in bytes
/// and the rest, or `None` on no digits or overflow.
pub fn parse_size_prefix(text: &[u8], percent_follows: bool) -> Option<(u64, &[u8])> {
    let (number, rest) = parse_uint_prefix(text)?;
    let (shift, rest) = match rest {
        [b'T' | b't', tail @ ..] => (40, tail),
        [b'G' | b'g', tail @ ..] => (30, tail),
        [b'M' | b'm', tail @ ..] => (20, tail),
        [b'K' | b'k', tail @ ..] => (10, tail),
        [b'B' | b'b', tail @ ..] => (0, tail),
        [b'%', ..] if percent_follows => (0, rest),
        _ => (10, rest),
    };
    Some((number.checked_mul(1u64 << shift)?, rest))
}

/// Xen's `<size>` as a whole value, in bytes.
pub fn parse_size(value: &[u8]) -> Option<u64> {
    match parse_size_prefix(value, false)? {
        (bytes, []) => Some(bytes),
        _ => None,
    }
}

/// How one list item relates to a named boolean sub-option (`parse_boolean()`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SubBool {
    /// The item is not about this sub-option.
    NoMatch,
    /// `name`, `no-name` or `name=<boolean>`.
    Value(bool),
    /// `name=<something that is not a boolean>`.
    BadValue,
}

/// Matches a list item against the boolean sub-option `name`: `name` is true,
/// `no-name` false, `name=<boolean>` its value.
pub fn parse_sub_bool(name: &str, item: &[u8]) -> SubBool {
    let name = name.as_bytes();
    if let Some(rest) = item.strip_prefix(b"no-") {
        return if rest == name {
            SubBool::Value(false)
        } else {
            SubBool::NoMatch
        };
    }
    let Some(rest) = item.strip_prefix(name) else {
        return SubBool::NoMatch;
    };
    match rest {
        [] => SubBool::Value(true),
        [b'=', value @ ..] => parse_bool(value).map_or(SubBool::BadValue, SubBool::Value),
        _ => SubBool::NoMatch,
    }
}

/// A PCI device location, `<bus>:<device>.<function>`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PciBdf {
    /// Bus number (hex on the command line).
    pub bus: u8,
    /// Device number, 0 to 0x1f (hex on the command line).
    pub device: u8,
    /// Function number, 0 to 7.
    pub function: u8,
}

/// Parses `[<seg>:]<bus>:<device>.<function>` (bus and device hex); like `parse_pci()`
/// without a segment pointer, a segment is accepted only if it is 0.
pub fn parse_pci_bdf(text: &[u8]) -> Option<PciBdf> {
    let (first, rest) = parse_hex_prefix(text)?;
    let rest = rest.strip_prefix(b":")?;
    let (second, rest) = parse_hex_prefix(rest)?;
    let (bus, device, rest) = match rest.strip_prefix(b":") {
        Some(after_bus) => {
            let (device, rest) = parse_hex_prefix(after_bus)?;
            if first != 0 {
                return None;
            }
            (second, device, rest)
        }
        None => (first, second, rest),
    };
    let function = parse_u64(rest.strip_prefix(b".")?)?;
    if device > 0x1f || function > 7 {
        return None;
    }
    Some(PciBdf {
        bus: u8::try_from(bus).ok()?,
        device: u8::try_from(device).ok()?,
        function: u8::try_from(function).ok()?,
    })
}

/// Leading hex digits (no `0x` needed), as `simple_strtoul(s, &e, 16)` reads them.
fn parse_hex_prefix(text: &[u8]) -> Option<(u64, &[u8])> {
    let digits = text.strip_prefix(b"0x").unwrap_or(text);
    let used = digits.iter().take_while(|b| b.is_ascii_hexdigit()).count();
    let (hex, rest) = digits.split_at_checked(used)?;
    if hex.is_empty() {
        return None;
    }
    let mut value: u64 = 0;
    for &byte in hex {
        let digit = char::from(byte).to_digit(16)?;
        value = value.checked_mul(16)?.checked_add(u64::from(digit))?;
    }
    Some((value, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booleans() {
        for yes in ["1", "on", "yes", "true", "enable"] {
            assert_eq!(parse_bool(yes.as_bytes()), Some(true), "{yes}");
        }
        for no in ["0", "no", "off", "false", "disable"] {
            assert_eq!(parse_bool(no.as_bytes()), Some(false), "{no}");
        }
        for bad in ["", "Yes", "ON", "2", "y", "enabled", "true "] {
            assert_eq!(parse_bool(bad.as_bytes()), None, "{bad}");
        }
    }

    #[test]
    fn integers() {
        assert_eq!(parse_u64(b"0"), Some(0));
        assert_eq!(parse_u64(b"42"), Some(42));
        assert_eq!(parse_u64(b"0x1F"), Some(31));
        assert_eq!(parse_u64(b"0X1f"), Some(31));
        assert_eq!(parse_u64(b"010"), Some(8));
        assert_eq!(parse_u64(b"18446744073709551615"), Some(u64::MAX));
        assert_eq!(parse_u64(b"18446744073709551616"), None);
        assert_eq!(parse_u64(b"0x10000000000000000"), None);
        for bad in ["", "-1", "+1", "09", "0x", "0xg", "12a", " 1", "1 "] {
            assert_eq!(parse_u64(bad.as_bytes()), None, "{bad}");
        }
        assert_eq!(parse_u32(b"4294967295"), Some(u32::MAX));
        assert_eq!(parse_u32(b"4294967296"), None);
        assert_eq!(parse_i32(b"-1"), Some(-1));
        assert_eq!(parse_i32(b"-2147483648"), Some(i32::MIN));
        assert_eq!(parse_i32(b"-2147483649"), None);
        assert_eq!(parse_i32(b"2147483648"), None);
        assert_eq!(parse_i32(b"--1"), None);
        assert_eq!(parse_i32(b"-"), None);
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size(b"16"), Some(16 << 10), "no suffix means KiB");
        assert_eq!(parse_size(b"16k"), Some(16 << 10));
        assert_eq!(parse_size(b"16K"), Some(16 << 10));
        assert_eq!(parse_size(b"3m"), Some(3 << 20));
        assert_eq!(parse_size(b"2G"), Some(2 << 30));
        assert_eq!(parse_size(b"1t"), Some(1 << 40));
        assert_eq!(parse_size(b"100b"), Some(100));
        assert_eq!(parse_size(b"100B"), Some(100));
        assert_eq!(parse_size(b"0x10M"), Some(16 << 20));
        assert_eq!(
            parse_size(b"0x1b"),
            Some(0x1b << 10),
            "b is a hex digit here"
        );
        assert_eq!(parse_size(b"16777215T"), Some(16_777_215 << 40));
        assert_eq!(parse_size(b"16777216T"), None, "overflow");
        for bad in ["", "M", "1MB", "1X", "1%", "-1M", "1 M"] {
            assert_eq!(parse_size(bad.as_bytes()), None, "{bad}");
        }
        assert_eq!(parse_size_prefix(b"25%", true), Some((25, &b"%"[..])));
        assert_eq!(
            parse_size_prefix(b"25%", false),
            Some((25 << 10, &b"%"[..]))
        );
    }

    #[test]
    fn sub_booleans() {
        assert_eq!(parse_sub_bool("shadow", b"shadow"), SubBool::Value(true));
        assert_eq!(
            parse_sub_bool("shadow", b"no-shadow"),
            SubBool::Value(false)
        );
        assert_eq!(
            parse_sub_bool("shadow", b"shadow=off"),
            SubBool::Value(false)
        );
        assert_eq!(parse_sub_bool("shadow", b"shadow=maybe"), SubBool::BadValue);
        assert_eq!(parse_sub_bool("shadow", b"shadows"), SubBool::NoMatch);
        assert_eq!(parse_sub_bool("shadow", b"no-shadow=1"), SubBool::NoMatch);
        assert_eq!(parse_sub_bool("shadow", b"verbose"), SubBool::NoMatch);
    }

    #[test]
    fn pci_coordinates() {
        let bdf = |bus, device, function| PciBdf {
            bus,
            device,
            function,
        };
        assert_eq!(parse_pci_bdf(b"0:1f.3"), Some(bdf(0, 0x1f, 3)));
        assert_eq!(parse_pci_bdf(b"ff:00.7"), Some(bdf(0xff, 0, 7)));
        assert_eq!(parse_pci_bdf(b"0000:03:00.1"), Some(bdf(3, 0, 1)));
        for bad in [
            "",
            "0",
            "0:1f",
            "1:03:00.1",
            "100:0.0",
            "0:20.0",
            "0:0.8",
            "0:0.1x",
        ] {
            assert_eq!(parse_pci_bdf(bad.as_bytes()), None, "{bad}");
        }
    }
}
