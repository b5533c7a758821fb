//! Prints the README's Markdown table of supported command-line options:
//! `cargo run -q -p ferrite-cmdline --example options_table`.

use std::io::Write;

fn main() -> std::io::Result<()> {
    let mut table = String::new();
    ferrite_cmdline::write_supported_options_markdown(&mut table)
        .map_err(|_| std::io::Error::other("formatting the table failed"))?;
    std::io::stdout().write_all(table.as_bytes())
}
