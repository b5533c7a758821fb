//! `cargo xtask`: build Ferrite, make boot images, boot them under QEMU, run the test suite and
//! the benchmarks. Each command first checks the host tools it needs (see `deps`).

mod arm;
mod bench;
mod bench_sched;
mod build;
mod debian;
mod deps;
mod guests;
mod image;
mod initramfs;
mod qemu;
mod scenario;
mod test;
mod wrap;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  build [--arch x86_64|aarch64] [--release] [--features F]
        Build the kernel; the image path is the last line on stdout.
  image --boot grub-bios|grub-efi|pvh|kernel [--arch A] [--release] [--cmdline \"..\"] [--module FILE[=ARGS]]...
        Make a boot image (a GRUB2 ISO for grub-*); its path is the last line on stdout.
  run   [--arch A] [--release] [--cmdline \"..\"] [--smp N] [--mem M] [--machine M] [--cpu C]
        [--boot kernel|pvh|grub-bios|grub-efi] [--module FILE[=ARGS]]... [-- qemu args]
        [--kernel-wrap bzimage-xz|bzimage-gzip|xz|gzip]
        Boot Ferrite under QEMU with the serial console on stdio (--kernel-wrap: first wrap
        the first module, dom0's ELF kernel, as a bzImage or compressed file). Module FILEs
        may be @guest:NAME (a test guest), @debian:kernel or @debian:initramfs (Debian's
        current kernel / a busybox initramfs, fetched with apt-get download;
        FERRITE_DEBIAN_KERNEL and FERRITE_DEBIAN_BUSYBOX name local files instead).
  test  [filter] [--no-host] [--jobs N] [--list]
        Host unit tests, then every QEMU scenario of tests/scenarios.toml (matching filter).
  bench [--runs N]
        Boot figures (instructions to ready, image size, heap in use) and scheduler costs
        (ns per do_schedule decision), as tables and JSON under target/xtask/bench/.
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((cmd, rest)) = args.split_first() else {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    };
    let result = match cmd.as_str() {
        "build" => build::cmd(rest),
        "image" => image::cmd(rest),
        "run" => qemu::cmd_run(rest),
        "test" => test::cmd(rest),
        "bench" => bench::cmd(rest),
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command '{other}'\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Small helpers for the hand-written option parsing each command does.
pub mod args {
    /// Splits `args` at a standalone `--`.
    pub fn split_dashdash(args: &[String]) -> (&[String], &[String]) {
        match args.iter().position(|a| a == "--") {
            Some(i) => (&args[..i], &args[i + 1..]),
            None => (args, &[]),
        }
    }

    /// An option parser over `--name value` pairs and `--flag`s.
    pub struct Opts<'a> {
        args: &'a [String],
        i: usize,
    }

    impl<'a> Opts<'a> {
        pub fn new(args: &'a [String]) -> Self {
            Opts { args, i: 0 }
        }

        /// The next option name (or positional), if any.
        pub fn next_arg(&mut self) -> Option<&'a str> {
            let a = self.args.get(self.i)?;
            self.i += 1;
            Some(a.as_str())
        }

        /// The value that follows option `name`.
        pub fn value(&mut self, name: &str) -> Result<&'a str, String> {
            let v = self
                .args
                .get(self.i)
                .ok_or_else(|| format!("option {name} needs a value"))?;
            self.i += 1;
            Ok(v.as_str())
        }
    }
}
