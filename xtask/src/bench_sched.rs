//! The scheduler figures of `cargo xtask bench`: `do_schedule` cost per decision for each
//! scheduler at 4, 64, 1024 and 4096 vCPUs, measured on the host by
//! `hypervisor/sched/examples/sched_bench.rs` (table on stdout, JSON beside the boot figures).

use std::process::Command;

use crate::deps;

pub fn run() -> Result<(), String> {
    let root = deps::root();
    let out = root.join("target/xtask/bench/sched.json");
    let st = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(&root)
        .args([
            "run",
            "--quiet",
            "--release",
            "-p",
            "ferrite-sched",
            "--example",
            "sched_bench",
            "--",
            "--json",
        ])
        .arg(&out)
        .status()
        .map_err(|e| format!("cannot run the scheduler benchmark: {e}"))?;
    if !st.success() {
        return Err(format!("scheduler benchmark failed ({st})"));
    }
    println!("{}", out.display());
    Ok(())
}
