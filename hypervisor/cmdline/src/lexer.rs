//! Splitting the command line into tokens, and a token into `[no-]name[=value]`.
//!
//! Mirrors `parse_params()` in `xen/common/kernel.c` and the ` -- ` split in
//! `xen/arch/x86/setup.c` (`__start_xen`). Two deliberate differences, both more
//! forgiving: tab, CR and LF separate options as well as space (Xen only splits on
//! space, so a stray newline from a boot loader would glue two options together), and
//! the dom0 separator is any standalone `--` token, including one at the very start or
//! end (Xen looks for the substring `" -- "`).

/// Bytes that separate options.
pub fn is_separator(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\r')
}

/// One whitespace-delimited option on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token<'a> {
    /// Byte offset of the token in the slice given to [`tokens`].
    pub offset: usize,
    /// The token's bytes: never empty, never containing a separator.
    pub bytes: &'a [u8],
}

/// Iterator over the tokens of a command line; see [`tokens`].
#[derive(Clone, Debug)]
pub struct Tokens<'a> {
    input: &'a [u8],
    pos: usize,
}

/// Splits `input` into whitespace-delimited tokens. Every byte of `input` is either in
/// exactly one token or is a separator.
pub fn tokens(input: &[u8]) -> Tokens<'_> {
    Tokens { input, pos: 0 }
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        let rest = self.input.get(self.pos..)?;
        let start = self.pos + rest.iter().position(|&b| !is_separator(b))?;
        let tail = self.input.get(start..)?;
        let len = tail
            .iter()
            .position(|&b| is_separator(b))
            .unwrap_or(tail.len());
        self.pos = start + len;
        Some(Token {
            offset: start,
            bytes: tail.get(..len)?,
        })
    }
}

/// The token that ends Ferrite's (Xen's) options; the rest of the line is dom0's.
pub const DOM0_SEPARATOR: &[u8] = b"--";

/// Splits a command line at the first standalone `--` token.
///
/// Returns Xen's part (everything before the `--` token, trailing separators included)
/// and dom0's part (everything after it, with leading separators removed), or the whole
/// line and `None` when there is no `--` token.
pub fn split_dom0(cmdline: &[u8]) -> (&[u8], Option<&[u8]>) {
    for token in tokens(cmdline) {
        if token.bytes == DOM0_SEPARATOR {
            let end = token.offset + token.bytes.len();
            let xen = cmdline.get(..token.offset).unwrap_or(&[]);
            let after = cmdline.get(end..).unwrap_or(&[]);
            let skip = after
                .iter()
                .position(|&b| !is_separator(b))
                .unwrap_or(after.len());
            return (xen, Some(after.get(skip..).unwrap_or(&[])));
        }
    }
    (cmdline, None)
}

/// A token taken apart the way `parse_params()` does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OptionToken<'a> {
    /// The whole token.
    pub token: &'a [u8],
    /// The token started with `no-`.
    pub negated: bool,
    /// The name: after any `no-`, before the first `=`.
    pub name: &'a [u8],
    /// What follows the first `=`, or `None` when there is no `=`.
    pub value: Option<&'a [u8]>,
}

/// Splits a token into `[no-]name[=value]`. The value may itself contain `=`.
pub fn split_option(token: &[u8]) -> OptionToken<'_> {
    let (key, value) = match token.iter().position(|&b| b == b'=') {
        Some(eq) => (
            token.get(..eq).unwrap_or(&[]),
            Some(token.get(eq + 1..).unwrap_or(&[])),
        ),
        None => (token, None),
    };
    let (negated, name) = match key.strip_prefix(b"no-") {
        Some(rest) => (true, rest),
        None => (false, key),
    };
    OptionToken {
        token,
        negated,
        name,
        value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(input: &[u8]) -> Vec<(usize, &[u8])> {
        tokens(input).map(|t| (t.offset, t.bytes)).collect()
    }

    #[test]
    fn tokens_skip_every_kind_of_separator() {
        assert_eq!(
            collect(b"  a\tbb\r\nccc  "),
            vec![(2, &b"a"[..]), (4, &b"bb"[..]), (8, &b"ccc"[..])]
        );
        assert!(collect(b"").is_empty());
        assert!(collect(b" \t\r\n").is_empty());
    }

    #[test]
    fn split_dom0_takes_the_first_standalone_separator() {
        assert_eq!(
            split_dom0(b"loglvl=all -- console=hvc0 -- x"),
            (&b"loglvl=all "[..], Some(&b"console=hvc0 -- x"[..]))
        );
        assert_eq!(
            split_dom0(b"-- root=/dev/sda"),
            (&b""[..], Some(&b"root=/dev/sda"[..]))
        );
        assert_eq!(
            split_dom0(b"noreboot --"),
            (&b"noreboot "[..], Some(&b""[..]))
        );
        assert_eq!(split_dom0(b"a --x b"), (&b"a --x b"[..], None));
        assert_eq!(split_dom0(b"a x-- b"), (&b"a x-- b"[..], None));
        assert_eq!(split_dom0(b"a\t--\tb "), (&b"a\t"[..], Some(&b"b "[..])));
    }

    #[test]
    fn split_option_forms() {
        let o = split_option(b"no-smt");
        assert!(o.negated);
        assert_eq!((o.name, o.value), (&b"smt"[..], None));
        let o = split_option(b"com1=baud=9600,irq=4");
        assert!(!o.negated);
        assert_eq!(
            (o.name, o.value),
            (&b"com1"[..], Some(&b"baud=9600,irq=4"[..]))
        );
        let o = split_option(b"=x");
        assert_eq!((o.name, o.value), (&b""[..], Some(&b"x"[..])));
        let o = split_option(b"opt=");
        assert_eq!((o.name, o.value), (&b"opt"[..], Some(&b""[..])));
        let o = split_option(b"no-");
        assert!(o.negated);
        assert_eq!(o.name, b"");
    }
}
