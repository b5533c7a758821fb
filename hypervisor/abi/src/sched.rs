//! `xen/include/public/sched.h` (Xen 4.20): `HYPERVISOR_sched_op` sub-ops and shutdown codes.

use crate::GuestHandle;
use crate::event_channel::EvtchnPort;
use crate::xen::DomId;

xen_abi! {
    header "sched.h";
    structs {
        /// `struct sched_shutdown` (`SCHEDOP_shutdown`, `SCHEDOP_shutdown_code`).
        "struct sched_shutdown" size 4 align 4;
        pub struct SchedShutdown {
            /// `SHUTDOWN_*`.
            0 reason: u32,
        }

        /// `struct sched_poll` (`SCHEDOP_poll`).
        "struct sched_poll" size 24 align 8;
        pub struct SchedPoll {
            /// The ports to wait on.
            0 ports: GuestHandle<EvtchnPort>,
            /// How many.
            8 nr_ports: u32,
            /// Padding.
            12 _pad0: u32,
            /// Absolute system-time timeout (0: none).
            16 timeout: u64,
        }

        /// `struct sched_remote_shutdown` (`SCHEDOP_remote_shutdown`).
        "struct sched_remote_shutdown" size 8 align 4;
        pub struct SchedRemoteShutdown {
            /// The domain to shut down.
            0 domain_id: DomId,
            /// Padding.
            2 _pad0: u16,
            /// `SHUTDOWN_*`.
            4 reason: u32,
        }

        /// `struct sched_watchdog` (`SCHEDOP_watchdog`).
        "struct sched_watchdog" size 8 align 4;
        pub struct SchedWatchdog {
            /// 0 to create, else the id to pet or destroy.
            0 id: u32,
            /// Seconds (0 destroys).
            4 timeout: u32,
        }

        /// `struct sched_pin_override` (`SCHEDOP_pin_override`).
        "struct sched_pin_override" size 4 align 4;
        pub struct SchedPinOverride {
            /// The pCPU, or -1 to undo.
            0 pcpu: i32,
        }
    }
    enums {
        /// A `HYPERVISOR_sched_op` command (`SCHEDOP_*`).
        pub enum SchedOp: u32 {
            /// Give up the pCPU.
            Yield = SCHEDOP_yield = 0,
            /// Block until an event arrives.
            Block = SCHEDOP_block = 1,
            /// Shut the domain down.
            Shutdown = SCHEDOP_shutdown = 2,
            /// Block until one of some ports is pending.
            Poll = SCHEDOP_poll = 3,
            /// Shut another domain down.
            RemoteShutdown = SCHEDOP_remote_shutdown = 4,
            /// Set the reason for a later shutdown.
            ShutdownCode = SCHEDOP_shutdown_code = 5,
            /// Watchdog control.
            Watchdog = SCHEDOP_watchdog = 6,
            /// Temporarily pin the vCPU (dom0).
            PinOverride = SCHEDOP_pin_override = 7,
        }

        /// A shutdown reason (`SHUTDOWN_*`).
        pub enum ShutdownReason: u32 {
            /// Power off.
            Poweroff = SHUTDOWN_poweroff = 0,
            /// Reboot.
            Reboot = SHUTDOWN_reboot = 1,
            /// Suspend (for save or migration).
            Suspend = SHUTDOWN_suspend = 2,
            /// Crashed.
            Crash = SHUTDOWN_crash = 3,
            /// Watchdog fired.
            Watchdog = SHUTDOWN_watchdog = 4,
            /// Soft reset.
            SoftReset = SHUTDOWN_soft_reset = 5,
        }
    }
    consts {
        /// The highest shutdown reason.
        pub const SHUTDOWN_MAX: u32 = 5;
    }
}
