//! The README's table of supported options, rendered from the registry.
//!
//! Uses the column meanings of `docs/misc/xen-command-line.pandoc` (`> Default:` and the
//! applicability tag of each `###` heading).

use core::fmt;

use crate::registry::OPTIONS;

/// Writes a Markdown table of every option Ferrite implements: name, type, arch,
/// default and description, one row each, in the doc's order. Allocation-free, so it
/// can also print the table from the hypervisor.
pub fn write_supported_options_markdown(out: &mut dyn fmt::Write) -> fmt::Result {
    writeln!(out, "| Option | Type | Arch | Default | Description |")?;
    writeln!(out, "| --- | --- | --- | --- | --- |")?;
    for spec in OPTIONS {
        writeln!(
            out,
            "| `{}` | {} | {} | {} | {} |",
            spec.name,
            spec.kind.as_str(),
            spec.arch.as_str(),
            Cell(spec.default),
            Cell(spec.description),
        )?;
    }
    Ok(())
}

/// Table-cell text with `|` escaped.
struct Cell<'a>(&'a str);

impl fmt::Display for Cell<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, part) in self.0.split('|').enumerate() {
            if index > 0 {
                f.write_str("\\|")?;
            }
            f.write_str(part)?;
        }
        Ok(())
    }
}
