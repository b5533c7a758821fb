//! Fuzzes Ferrite's command-line parser (`ferrite-cmdline`, Xen's
//! `docs/misc/xen-command-line.pandoc` grammar) with arbitrary bytes: it must never
//! panic, every diagnostic must render as one line, and the Xen/dom0 split must
//! account for the input.
#![no_main]

use core::fmt::{self, Write};

use libfuzzer_sys::fuzz_target;

/// Renders a diagnostic and checks it is one printable line.
struct OneLine;

impl Write for OneLine {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        assert!(!text.chars().any(char::is_control), "{text:?}");
        Ok(())
    }
}

fuzz_target!(|data: &[u8]| {
    let parsed = ferrite_cmdline::parse(data, &mut |diagnostic| {
        write!(OneLine, "{diagnostic}").expect("rendering a diagnostic");
    });
    assert!(data.starts_with(parsed.xen_cmdline));
    if let Some(dom0) = parsed.dom0_cmdline {
        assert!(data.ends_with(dom0));
        assert!(parsed.xen_cmdline.len() + dom0.len() + 2 <= data.len());
    }
});
