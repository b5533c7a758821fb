//! `xen/include/public/vcpu.h` (Xen 4.20): `HYPERVISOR_vcpu_op` sub-ops: bring-up, runstate,
//! timers, and registering `vcpu_info`, runstate and time areas.

use crate::GuestHandle;
use crate::xen::VcpuTimeInfo;

xen_abi! {
    header "vcpu.h";
    structs {
        /// `struct vcpu_runstate_info`.
        "struct vcpu_runstate_info" size 48 align 8;
        pub struct VcpuRunstateInfo {
            /// `RUNSTATE_*`.
            0 state: i32,
            /// Padding.
            4 _pad0: u32,
            /// System time of the last state change; bit 63 is `XEN_RUNSTATE_UPDATE`.
            8 state_entry_time: u64,
            /// Time spent in each state (ns).
            16 time: [u64; 4],
        }

        /// `struct vcpu_register_runstate_memory_area`: a guest virtual address (PV) or handle.
        "struct vcpu_register_runstate_memory_area" size 8 align 8;
        pub struct VcpuRegisterRunstateMemoryArea {
            /// `addr.h` / `addr.v` / `addr.p`.
            0 addr as "addr.p": GuestHandle<VcpuRunstateInfo>,
        }

        /// `struct vcpu_set_periodic_timer`.
        "struct vcpu_set_periodic_timer" size 8 align 8;
        pub struct VcpuSetPeriodicTimer {
            /// Period in ns.
            0 period_ns: u64,
        }

        /// `struct vcpu_set_singleshot_timer`.
        "struct vcpu_set_singleshot_timer" size 16 align 8;
        pub struct VcpuSetSingleshotTimer {
            /// Absolute system time of expiry.
            0 timeout_abs_ns: u64,
            /// `VCPU_SSHOTTMR_*`.
            8 flags: u32,
            /// Padding.
            12 _pad0: u32,
        }

        /// `struct vcpu_register_vcpu_info`: where to move this vCPU's `vcpu_info`.
        "struct vcpu_register_vcpu_info" size 16 align 8;
        pub struct VcpuRegisterVcpuInfo {
            /// Frame (gfn for translated guests).
            0 mfn: u64,
            /// Offset in that frame.
            8 offset: u32,
            /// Must be zero.
            12 rsvd: u32,
        }

        /// `struct vcpu_get_physid`.
        "struct vcpu_get_physid" size 8 align 8;
        pub struct VcpuGetPhysid {
            /// x86: APIC id in the low half, ACPI id in the high half.
            0 phys_id: u64,
        }

        /// `struct vcpu_register_time_memory_area` (also the `_phys_area` variants' argument).
        "struct vcpu_register_time_memory_area" size 8 align 8;
        pub struct VcpuRegisterTimeMemoryArea {
            /// `addr.h` / `addr.v` / `addr.p`.
            0 addr as "addr.p": GuestHandle<VcpuTimeInfo>,
        }
    }
    enums {
        /// A `HYPERVISOR_vcpu_op` command (`VCPUOP_*`).
        pub enum VcpuOp: u32 {
            /// Set the initial context (PV, Arm).
            Initialise = VCPUOP_initialise = 0,
            /// Bring the vCPU up.
            Up = VCPUOP_up = 1,
            /// Take it down.
            Down = VCPUOP_down = 2,
            /// Whether it is up.
            IsUp = VCPUOP_is_up = 3,
            /// Copy out its runstate.
            GetRunstateInfo = VCPUOP_get_runstate_info = 4,
            /// Register a runstate area by virtual address.
            RegisterRunstateMemoryArea = VCPUOP_register_runstate_memory_area = 5,
            /// Periodic timer.
            SetPeriodicTimer = VCPUOP_set_periodic_timer = 6,
            /// Stop the periodic timer.
            StopPeriodicTimer = VCPUOP_stop_periodic_timer = 7,
            /// One-shot timer.
            SetSingleshotTimer = VCPUOP_set_singleshot_timer = 8,
            /// Stop the one-shot timer.
            StopSingleshotTimer = VCPUOP_stop_singleshot_timer = 9,
            /// Move `vcpu_info`.
            RegisterVcpuInfo = VCPUOP_register_vcpu_info = 10,
            /// Send an NMI (PV).
            SendNmi = VCPUOP_send_nmi = 11,
            /// Physical CPU id (dom0).
            GetPhysid = VCPUOP_get_physid = 12,
            /// Register a time area by virtual address.
            RegisterVcpuTimeMemoryArea = VCPUOP_register_vcpu_time_memory_area = 13,
            /// Register a runstate area by guest physical address.
            RegisterRunstatePhysArea = VCPUOP_register_runstate_phys_area = 14 => since "4.18",
            /// Register a time area by guest physical address.
            RegisterVcpuTimePhysArea = VCPUOP_register_vcpu_time_phys_area = 15 => since "4.18",
        }

        /// A runstate (`RUNSTATE_*`).
        pub enum Runstate: i32 {
            /// Running.
            Running = RUNSTATE_running = 0,
            /// Runnable, waiting for a pCPU.
            Runnable = RUNSTATE_runnable = 1,
            /// Blocked.
            Blocked = RUNSTATE_blocked = 2,
            /// Offline.
            Offline = RUNSTATE_offline = 3,
        }
    }
    consts {
        /// Set in `state_entry_time` while Xen updates the runstate.
        pub const XEN_RUNSTATE_UPDATE: u64 = 1 << 63;
        /// Fail with `-ETIME` if the timeout is already past.
        pub const VCPU_SSHOTTMR_future: u32 = 1 << 0;
    }
}
