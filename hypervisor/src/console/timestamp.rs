//! `console_timestamps=`: none, date, datems, boot, raw (`docs/misc/xen-command-line.pandoc`).

use core::fmt::Write;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Timestamps {
    None,
    /// `[YYYY-MM-DD HH:MM:SS]`
    Date,
    /// `[YYYY-MM-DD HH:MM:SS.mmm]`
    DateMs,
    /// `[ssss.uuuuuu]` since boot
    Boot,
    /// `[<ns since boot, hex>]`
    Raw,
}

/// A small stack buffer for one timestamp.
pub struct Buf {
    data: [u8; 40],
    len: usize,
}

impl Buf {
    pub const fn new() -> Buf {
        Buf {
            data: [0; 40],
            len: 0,
        }
    }

    pub fn as_bytes(&self) -> &[u8] {
        self.data.get(..self.len).unwrap_or(&[])
    }
}

impl Default for Buf {
    fn default() -> Self {
        Self::new()
    }
}

impl Write for Buf {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        let end = self.len + s.len();
        let dst = self.data.get_mut(self.len..end).ok_or(core::fmt::Error)?;
        dst.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// (year, month, day) for days since 1970-01-01 (Howard Hinnant's civil-from-days).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

impl Timestamps {
    /// Formats the stamp for `now_ns` since boot (plus a space), or nothing.
    pub fn format(self, now_ns: u64, wallclock_at_boot: Option<u64>, out: &mut Buf) {
        let _ = match self {
            Timestamps::None => Ok(()),
            Timestamps::Boot => write!(
                out,
                "[{:5}.{:06}] ",
                now_ns / 1_000_000_000,
                (now_ns / 1000) % 1_000_000
            ),
            Timestamps::Raw => write!(out, "[{now_ns:016x}] "),
            Timestamps::Date | Timestamps::DateMs => {
                let Some(base) = wallclock_at_boot else {
                    // No wallclock yet: say so rather than print a wrong date.
                    let _ = write!(out, "[----------]");
                    let _ = out.write_str(" ");
                    return;
                };
                let secs = base + now_ns / 1_000_000_000;
                let (y, mo, d) = civil((secs / 86_400) as i64);
                let t = secs % 86_400;
                let _ = write!(
                    out,
                    "[{y:04}-{mo:02}-{d:02} {:02}:{:02}:{:02}",
                    t / 3600,
                    (t / 60) % 60,
                    t % 60
                );
                if self == Timestamps::DateMs {
                    let _ = write!(out, ".{:03}", (now_ns / 1_000_000) % 1000);
                }
                out.write_str("] ")
            }
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(t: Timestamps, ns: u64, wc: Option<u64>) -> String {
        let mut b = Buf::new();
        t.format(ns, wc, &mut b);
        String::from_utf8(b.as_bytes().to_vec()).unwrap()
    }

    #[test]
    fn formats() {
        assert_eq!(fmt(Timestamps::None, 5, None), "");
        assert_eq!(
            fmt(Timestamps::Boot, 1_234_567_890, None),
            "[    1.234567] "
        );
        assert_eq!(fmt(Timestamps::Raw, 255, None), "[00000000000000ff] ");
        // 2025-01-01T00:00:00Z = 1735689600
        assert_eq!(
            fmt(Timestamps::Date, 61_000_000_000, Some(1_735_689_600)),
            "[2025-01-01 00:01:01] "
        );
        assert_eq!(
            fmt(Timestamps::DateMs, 1_250_000_000, Some(1_735_689_600)),
            "[2025-01-01 00:00:01.250] "
        );
        assert_eq!(civil(0), (1970, 1, 1));
        assert_eq!(civil(19_723), (2024, 1, 1));
    }
}
