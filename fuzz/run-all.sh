#!/usr/bin/env bash
# Runs every fuzz target in fuzz/Cargo.toml for N seconds each (default 10), one after another.
# Usage: fuzz/run-all.sh [seconds]. Needs nightly and cargo-fuzz (`cargo install cargo-fuzz --locked`).
# Longer runs: cargo fuzz run <target> -- -max_total_time=3600 (from fuzz/); findings land in
# fuzz/artifacts/<target>/, the corpus in fuzz/corpus/<target>/.
set -euo pipefail
cd "$(dirname "$0")"
secs="${1:-10}"
if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "run-all.sh: cargo-fuzz is missing; install it with: cargo install cargo-fuzz --locked" >&2
    exit 1
fi
targets=$(cargo fuzz list)
cargo fuzz build
passed=0
failed=0
for t in $targets; do
    echo "== fuzz $t for ${secs}s"
    if cargo fuzz run "$t" -- -max_total_time="$secs" -print_final_stats=1 2>&1 | tail -n 15; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAILED: fuzz target $t (see fuzz/artifacts/$t/)"
    fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
