//! `cargo xtask test`: host unit tests, then the QEMU scenarios, two at a time.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use crate::args::Opts;
use crate::build::{self, Arch, BuildOpts};
use crate::deps;
use crate::image;
use crate::qemu::{self, Check};
use crate::scenario::{self, Scenario};

pub fn cmd(args: &[String]) -> Result<(), String> {
    let mut filter = None;
    let mut host = true;
    let mut jobs = 2usize;
    let mut list = false;
    let mut o = Opts::new(args);
    while let Some(a) = o.next_arg() {
        match a {
            "--no-host" => host = false,
            "--list" => list = true,
            "--jobs" => {
                jobs = o
                    .value(a)?
                    .parse()
                    .map_err(|_| "--jobs takes a number".to_string())?;
            }
            f if !f.starts_with('-') => filter = Some(f.to_string()),
            other => return Err(format!("test: unknown option '{other}'")),
        }
    }
    let root = deps::root();
    if list {
        for s in scenario::load(&root.join("tests/scenarios.toml"))? {
            if filter.as_deref().is_none_or(|f| s.name.contains(f)) {
                println!("{:<28} {}", s.name, s.description);
            }
        }
        return Ok(());
    }
    if host {
        eprintln!("xtask: host unit tests (cargo test --workspace)");
        let st = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .current_dir(&root)
            .args(["test", "--workspace"])
            .status()
            .map_err(|e| format!("cannot run cargo test: {e}"))?;
        if !st.success() {
            return Err("host unit tests failed".into());
        }
    }
    let all = scenario::load(&root.join("tests/scenarios.toml"))?;
    let chosen: Vec<Scenario> = all
        .into_iter()
        .filter(|s| filter.as_deref().is_none_or(|f| s.name.contains(f)))
        .collect();
    if chosen.is_empty() {
        return Err(format!(
            "no scenario matches '{}'",
            filter.unwrap_or_default()
        ));
    }
    run_scenarios(chosen, jobs.max(1))
}

fn run_scenarios(mut scenarios: Vec<Scenario>, jobs: usize) -> Result<(), String> {
    let root = deps::root();
    let logs = root.join("target/xtask/logs");
    std::fs::create_dir_all(&logs).map_err(|e| format!("{}: {e}", logs.display()))?;
    // Test guests named as `@guest:<name>` modules, Debian's packages as `@debian:<name>`,
    // then one test image per architecture, all built before any QEMU starts.
    crate::guests::resolve(
        scenarios
            .iter_mut()
            .flat_map(|s| s.machine.modules.iter_mut()),
    )?;
    for s in &mut scenarios {
        if let (Some(how), Some(m)) = (s.kernel_wrap, s.machine.modules.first_mut()) {
            m.path = crate::wrap::wrap_file(&m.path, how)?;
        }
    }
    // A Debian package that cannot be fetched fails the scenarios that need it, with the
    // reason, and not the others.
    let mut debian = crate::debian::Resolver::default();
    let setup: Vec<Option<String>> = scenarios
        .iter_mut()
        .map(|s| debian.resolve(s.machine.modules.iter_mut()).err())
        .collect();
    let mut images: BTreeMap<Arch, PathBuf> = BTreeMap::new();
    for s in &scenarios {
        if let std::collections::btree_map::Entry::Vacant(slot) = images.entry(s.machine.arch) {
            let opts = BuildOpts {
                arch: s.machine.arch,
                release: false,
                test_hooks: true,
            };
            slot.insert(build::build(&opts)?);
        }
    }
    let mut needs = Vec::new();
    for s in &scenarios {
        needs.extend(s.machine_needs());
    }
    deps::ensure(&needs)?;
    eprintln!(
        "xtask: {} QEMU scenarios, {jobs} at a time",
        scenarios.len()
    );
    let mut queue: Vec<_> = scenarios.into_iter().zip(setup).enumerate().collect();
    // Workers pop from the end: the longest-running scenarios (the largest timeouts, e.g. the
    // Debian kernel) start first, so they overlap the many short ones instead of ending last.
    queue.sort_by_key(|(_, (s, _))| s.timeout);
    let queue = Arc::new(Mutex::new(queue));
    let results = Arc::new(Mutex::new(Vec::new()));
    let images = Arc::new(images);
    let mut workers = Vec::new();
    for _ in 0..jobs {
        let queue = Arc::clone(&queue);
        let results = Arc::clone(&results);
        let images = Arc::clone(&images);
        let logs = logs.clone();
        workers.push(std::thread::spawn(move || {
            loop {
                let next = queue.lock().ok().and_then(|mut q| q.pop());
                let Some((idx, (s, setup))) = next else { break };
                let start = Instant::now();
                let log = logs.join(format!("{}.log", s.name));
                let res = match setup {
                    Some(e) => {
                        let _ = std::fs::write(&log, format!("# not run: {e}\n"));
                        Err(e)
                    }
                    None => run_one(&s, &images, &log),
                };
                let secs = start.elapsed().as_secs_f64();
                match &res {
                    Ok(()) => println!("PASS {} ({secs:.1} s)", s.name),
                    Err(e) => println!(
                        "FAIL {} ({secs:.1} s): {e}  [log: {}]",
                        s.name,
                        log.display()
                    ),
                }
                if let Ok(mut r) = results.lock() {
                    r.push((idx, s.name.clone(), res.is_ok()));
                }
            }
        }));
    }
    for w in workers {
        let _ = w.join();
    }
    let results = results.lock().map_err(|_| "result lock poisoned")?;
    let passed = results.iter().filter(|r| r.2).count();
    let failed = results.len() - passed;
    if failed > 0 {
        let mut names: Vec<&(usize, String, bool)> = results.iter().filter(|r| !r.2).collect();
        names.sort();
        println!(
            "failed: {}",
            names
                .iter()
                .map(|r| r.1.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        );
    }
    println!("{passed} passed, {failed} failed");
    if failed > 0 {
        Err(format!("{failed} scenario(s) failed"))
    } else {
        Ok(())
    }
}

fn run_one(
    s: &Scenario,
    images: &BTreeMap<Arch, PathBuf>,
    log: &std::path::Path,
) -> Result<(), String> {
    let elf = images
        .get(&s.machine.arch)
        .ok_or("no image for this architecture")?;
    let image = image::make(s.machine.boot, elf, &s.machine.cmdline, &s.machine.modules)?;
    let check = Check {
        log: log.to_path_buf(),
        timeout: s.timeout,
        expect: s.expect.clone(),
        fail: s.fail.clone(),
        end: s.end,
        screen_expect: s.screen_expect.clone(),
    };
    qemu::run_checked(&s.machine, &image, &check)
}

impl Scenario {
    fn machine_needs(&self) -> Vec<deps::Need> {
        self.machine.needs_pub()
    }
}
