//! Scheduler options: `sched=` and `credit2_runqueue=`.
//!
//! Mirrors `docs/misc/xen-command-line.pandoc`, `opt_sched` in
//! `xen/common/sched/core.c` (default `CONFIG_SCHED_DEFAULT`, `credit2`) and
//! `parse_credit2_runqueue()` in `xen/common/sched/credit2.c`.

/// The scheduler for the default cpupool.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Scheduler {
    /// `credit`.
    Credit,
    /// `credit2` (Xen's default).
    #[default]
    Credit2,
    /// `rtds`.
    Rtds,
    /// `arinc653`.
    Arinc653,
    /// `null`.
    Null,
}

/// The `expected` text for `sched=`.
pub const SCHED_EXPECTED: &str = "one of credit, credit2, rtds, arinc653, null";

/// Parses a scheduler name.
pub fn parse_scheduler(value: &[u8]) -> Option<Scheduler> {
    Some(match value {
        b"credit" => Scheduler::Credit,
        b"credit2" => Scheduler::Credit2,
        b"rtds" => Scheduler::Rtds,
        b"arinc653" => Scheduler::Arinc653,
        b"null" => Scheduler::Null,
        _ => return None,
    })
}

/// Which host CPUs share a credit2 runqueue.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RunqueueArrangement {
    /// `cpu`: one per logical CPU.
    Cpu,
    /// `core`: one per physical core.
    Core,
    /// `socket`: one per socket (Xen's default).
    #[default]
    Socket,
    /// `node`: one per NUMA node.
    Node,
    /// `all`: one for the whole host.
    All,
}

/// The `expected` text for `credit2_runqueue=`.
pub const RUNQUEUE_EXPECTED: &str = "one of cpu, core, socket, node, all";

/// Parses a runqueue arrangement.
pub fn parse_runqueue(value: &[u8]) -> Option<RunqueueArrangement> {
    Some(match value {
        b"cpu" => RunqueueArrangement::Cpu,
        b"core" => RunqueueArrangement::Core,
        b"socket" => RunqueueArrangement::Socket,
        b"node" => RunqueueArrangement::Node,
        b"all" => RunqueueArrangement::All,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(parse_scheduler(b"credit"), Some(Scheduler::Credit));
        assert_eq!(parse_scheduler(b"credit2"), Some(Scheduler::Credit2));
        assert_eq!(parse_scheduler(b"rtds"), Some(Scheduler::Rtds));
        assert_eq!(parse_scheduler(b"arinc653"), Some(Scheduler::Arinc653));
        assert_eq!(parse_scheduler(b"null"), Some(Scheduler::Null));
        assert_eq!(parse_scheduler(b"Credit"), None);
        assert_eq!(parse_scheduler(b""), None);
        assert_eq!(parse_runqueue(b"cpu"), Some(RunqueueArrangement::Cpu));
        assert_eq!(parse_runqueue(b"core"), Some(RunqueueArrangement::Core));
        assert_eq!(parse_runqueue(b"socket"), Some(RunqueueArrangement::Socket));
        assert_eq!(parse_runqueue(b"node"), Some(RunqueueArrangement::Node));
        assert_eq!(parse_runqueue(b"all"), Some(RunqueueArrangement::All));
        assert_eq!(parse_runqueue(b"sockets"), None);
    }
}
