//! `xen/include/public/hvm/dm_op.h` (Xen 4.20): `HYPERVISOR_dm_op`, the device-model interface
//! (ioreq servers, interrupt levels, memory types, event injection). The call takes an array of
//! [`XenDmOpBuf`]; the first holds a [`XenDmOp`].

use crate::GuestHandle;

xen_abi! {
    header "hvm/dm_op.h";
    structs {
        /// `struct xen_dm_op_create_ioreq_server`.
        "struct xen_dm_op_create_ioreq_server" size 6 align 2;
        pub struct XenDmOpCreateIoreqServer {
            /// `HVM_IOREQSRV_BUFIOREQ_*`.
            0 handle_bufioreq: u8,
            /// Unused.
            1 pad: [u8; 3],
            /// Out: the server id.
            4 id: u16,
        }

        /// `struct xen_dm_op_get_ioreq_server_info`.
        "struct xen_dm_op_get_ioreq_server_info" size 24 align 8;
        pub struct XenDmOpGetIoreqServerInfo {
            /// Server id.
            0 id: u16,
            /// `XEN_DMOP_no_gfns`.
            2 flags: u16,
            /// Out: buffered ioreq event channel.
            4 bufioreq_port: u32,
            /// Out: synchronous ioreq page.
            8 ioreq_gfn: u64,
            /// Out: buffered ioreq page.
            16 bufioreq_gfn: u64,
        }

        /// `struct xen_dm_op_ioreq_server_range` (map/unmap I/O range).
        "struct xen_dm_op_ioreq_server_range" size 24 align 8;
        pub struct XenDmOpIoreqServerRange {
            /// Server id.
            0 id: u16,
            /// Unused.
            2 pad: u16,
            /// `XEN_DMOP_IO_RANGE_*`.
            4 kind as "type": u32,
            /// First address (inclusive).
            8 start: u64,
            /// Last address (inclusive).
            16 end: u64,
        }

        /// `struct xen_dm_op_set_ioreq_server_state`.
        "struct xen_dm_op_set_ioreq_server_state" size 4 align 2;
        pub struct XenDmOpSetIoreqServerState {
            /// Server id.
            0 id: u16,
            /// Enable.
            2 enabled: u8,
            /// Unused.
            3 pad: u8,
        }

        /// `struct xen_dm_op_destroy_ioreq_server`.
        "struct xen_dm_op_destroy_ioreq_server" size 4 align 2;
        pub struct XenDmOpDestroyIoreqServer {
            /// Server id.
            0 id: u16,
            /// Unused.
            2 pad: u16,
        }

        /// `struct xen_dm_op_track_dirty_vram`.
        "struct xen_dm_op_track_dirty_vram" size 16 align 8;
        pub struct XenDmOpTrackDirtyVram {
            /// Pages.
            0 nr: u32,
            /// Unused.
            4 pad: u32,
            /// First frame.
            8 first_pfn: u64,
        }

        /// `struct xen_dm_op_set_pci_intx_level`.
        "struct xen_dm_op_set_pci_intx_level" size 6 align 2;
        pub struct XenDmOpSetPciIntxLevel {
            /// PCI segment.
            0 domain: u16,
            /// Bus.
            2 bus: u8,
            /// Device.
            3 device: u8,
            /// INTx pin.
            4 intx: u8,
            /// Level.
            5 level: u8,
        }

        /// `struct xen_dm_op_set_isa_irq_level`.
        "struct xen_dm_op_set_isa_irq_level" size 2 align 1;
        pub struct XenDmOpSetIsaIrqLevel {
            /// ISA IRQ.
            0 isa_irq: u8,
            /// Level.
            1 level: u8,
        }

        /// `struct xen_dm_op_modified_memory`.
        "struct xen_dm_op_modified_memory" size 8 align 4;
        pub struct XenDmOpModifiedMemory {
            /// Extents.
            0 nr_extents: u32,
            /// Progress (must be 0).
            4 opaque: u32,
        }

        /// `struct xen_dm_op_set_mem_type`.
        "struct xen_dm_op_set_mem_type" size 16 align 8;
        pub struct XenDmOpSetMemType {
            /// Pages.
            0 nr: u32,
            /// `HVMMEM_*`.
            4 mem_type: u16,
            /// Unused.
            6 pad: u16,
            /// First frame.
            8 first_pfn: u64,
        }

        /// `struct xen_dm_op_inject_event`.
        "struct xen_dm_op_inject_event" size 24 align 8;
        pub struct XenDmOpInjectEvent {
            /// vCPU.
            0 vcpuid: u32,
            /// Vector.
            4 vector: u8,
            /// `XEN_DMOP_EVENT_*`.
            5 kind as "type": u8,
            /// Instruction length.
            6 insn_len: u8,
            /// Unused.
            7 pad0: u8,
            /// Error code (or `~0`).
            8 error_code: u32,
            /// Unused.
            12 pad1: u32,
            /// CR2 for page faults.
            16 cr2: u64,
        }

        /// `struct xen_dm_op_inject_msi`.
        "struct xen_dm_op_inject_msi" size 16 align 8;
        pub struct XenDmOpInjectMsi {
            /// MSI data.
            0 data: u32,
            /// Unused.
            4 pad: u32,
            /// MSI address.
            8 addr: u64,
        }

        /// `struct xen_dm_op_set_pci_link_route`.
        "struct xen_dm_op_set_pci_link_route" size 2 align 1;
        pub struct XenDmOpSetPciLinkRoute {
            /// PCI link (0-3).
            0 link: u8,
            /// ISA IRQ (1-15), 0 disables the link.
            1 isa_irq: u8,
        }

        /// `struct xen_dm_op_modified_memory_extent`, an element of the array a
        /// `modified_memory` call passes in the following buffer.
        "struct xen_dm_op_modified_memory_extent" size 16 align 8;
        pub struct XenDmOpModifiedMemoryExtent {
            /// Number of frames.
            0 nr: u32,
            /// Unused.
            4 pad: u32,
            /// First frame.
            8 first_pfn: u64,
        }

        /// `struct xen_dm_op_map_mem_type_to_ioreq_server`.
        "struct xen_dm_op_map_mem_type_to_ioreq_server" size 16 align 8;
        pub struct XenDmOpMapMemTypeToIoreqServer {
            /// The server id.
            0 id: u16,
            /// `HVMMEM_*`.
            2 mem_type as "type": u16,
            /// `XEN_DMOP_IOREQ_MEM_ACCESS_*`; 0 unmaps.
            4 flags: u32,
            /// Continuation state; zero on the first call.
            8 opaque: u64,
        }

        /// `struct xen_dm_op_relocate_memory`.
        "struct xen_dm_op_relocate_memory" size 24 align 8;
        pub struct XenDmOpRelocateMemory {
            /// Number of frames (updated on preemption).
            0 size: u32,
            /// Unused.
            4 pad: u32,
            /// Source frame.
            8 src_gfn: u64,
            /// Destination frame.
            16 dst_gfn: u64,
        }

        /// `struct xen_dm_op_pin_memory_cacheattr`.
        "struct xen_dm_op_pin_memory_cacheattr" size 24 align 8;
        pub struct XenDmOpPinMemoryCacheattr {
            /// First frame.
            0 start: u64,
            /// Last frame.
            8 end: u64,
            /// `XEN_DMOP_MEM_CACHEATTR_*` or [`XEN_DMOP_DELETE_MEM_CACHEATTR`].
            16 cache_type as "type": u32,
            /// Unused.
            20 pad: u32,
        }

        /// `struct xen_dm_op_remote_shutdown`.
        "struct xen_dm_op_remote_shutdown" size 4 align 4;
        pub struct XenDmOpRemoteShutdown {
            /// `SHUTDOWN_*`.
            0 reason: u32,
        }

        /// `struct xen_dm_op_set_irq_level`.
        "struct xen_dm_op_set_irq_level" size 8 align 4;
        pub struct XenDmOpSetIrqLevel {
            /// IRQ.
            0 irq: u32,
            /// Level.
            4 level: u8,
            /// Unused.
            5 pad: [u8; 3],
        }

        /// `struct xen_dm_op_nr_vcpus`.
        "struct xen_dm_op_nr_vcpus" size 4 align 4;
        pub struct XenDmOpNrVcpus {
            /// Out: vCPU count.
            0 vcpus: u32,
        }

        /// `struct xen_dm_op`: the first buffer of `HYPERVISOR_dm_op`.
        "struct xen_dm_op" size 32 align 8;
        pub struct XenDmOp {
            /// `XEN_DMOP_*`.
            0 op: u32,
            /// Unused.
            4 pad: u32,
            /// The sub-op's struct.
            8 u: [u64; 3],
        }

        /// `struct xen_dm_op_buf`: one buffer argument of `HYPERVISOR_dm_op`.
        "struct xen_dm_op_buf" size 16 align 8;
        pub struct XenDmOpBuf {
            /// The buffer.
            0 h: GuestHandle<u8>,
            /// Its size.
            8 size: u64,
        }
    }
    enums {
        /// A device-model operation (`XEN_DMOP_*`).
        pub enum DmOp: u32 {
            /// Create an ioreq server.
            CreateIoreqServer = XEN_DMOP_create_ioreq_server = 1,
            /// Query an ioreq server.
            GetIoreqServerInfo = XEN_DMOP_get_ioreq_server_info = 2,
            /// Claim an I/O range.
            MapIoRangeToIoreqServer = XEN_DMOP_map_io_range_to_ioreq_server = 3,
            /// Release an I/O range.
            UnmapIoRangeFromIoreqServer = XEN_DMOP_unmap_io_range_from_ioreq_server = 4,
            /// Enable or disable a server.
            SetIoreqServerState = XEN_DMOP_set_ioreq_server_state = 5,
            /// Destroy a server.
            DestroyIoreqServer = XEN_DMOP_destroy_ioreq_server = 6,
            /// Dirty VRAM tracking.
            TrackDirtyVram = XEN_DMOP_track_dirty_vram = 7,
            /// Set a PCI INTx level.
            SetPciIntxLevel = XEN_DMOP_set_pci_intx_level = 8,
            /// Set an ISA IRQ level.
            SetIsaIrqLevel = XEN_DMOP_set_isa_irq_level = 9,
            /// Route a PCI link.
            SetPciLinkRoute = XEN_DMOP_set_pci_link_route = 0xa,
            /// Mark memory dirty.
            ModifiedMemory = XEN_DMOP_modified_memory = 0xb,
            /// Set `HVMMEM_*` types.
            SetMemType = XEN_DMOP_set_mem_type = 0xc,
            /// Inject an event.
            InjectEvent = XEN_DMOP_inject_event = 0xd,
            /// Inject an MSI.
            InjectMsi = XEN_DMOP_inject_msi = 0xe,
            /// Claim a memory type.
            MapMemTypeToIoreqServer = XEN_DMOP_map_mem_type_to_ioreq_server = 0xf,
            /// Shut the domain down.
            RemoteShutdown = XEN_DMOP_remote_shutdown = 0x10,
            /// Move memory.
            RelocateMemory = XEN_DMOP_relocate_memory = 0x11,
            /// Pin cache attributes.
            PinMemoryCacheattr = XEN_DMOP_pin_memory_cacheattr = 0x12,
            /// Set an IRQ level (Arm).
            SetIrqLevel = XEN_DMOP_set_irq_level = 0x13,
            /// vCPU count.
            NrVcpus = XEN_DMOP_nr_vcpus = 0x14,
        }
    }
    consts {
        /// Port range.
        pub const XEN_DMOP_IO_RANGE_PORT: u32 = 0;
        /// MMIO range.
        pub const XEN_DMOP_IO_RANGE_MEMORY: u32 = 1;
        /// PCI SBDF range.
        pub const XEN_DMOP_IO_RANGE_PCI: u32 = 2;
        /// Injected event type: external interrupt (matches `X86_EVENTTYPE_*`).
        pub const XEN_DMOP_EVENT_ext_int: u8 = 0;
        /// Injected event type: NMI.
        pub const XEN_DMOP_EVENT_nmi: u8 = 2;
        /// Injected event type: hardware exception.
        pub const XEN_DMOP_EVENT_hw_exc: u8 = 3;
        /// Injected event type: software interrupt (`INT n`).
        pub const XEN_DMOP_EVENT_sw_int: u8 = 4;
        /// Injected event type: privileged software exception (`ICEBP`).
        pub const XEN_DMOP_EVENT_pri_sw_exc: u8 = 5;
        /// Injected event type: software exception (`INT3`, `INTO`).
        pub const XEN_DMOP_EVENT_sw_exc: u8 = 6;
        /// Forward reads of the memory type to the ioreq server.
        pub const XEN_DMOP_IOREQ_MEM_ACCESS_READ: u32 = 1 << 0;
        /// Forward writes of the memory type to the ioreq server.
        pub const XEN_DMOP_IOREQ_MEM_ACCESS_WRITE: u32 = 1 << 1;
        /// `pin_memory_cacheattr.type` that removes a pinned range.
        pub const XEN_DMOP_DELETE_MEM_CACHEATTR: u32 = !0;
        /// Uncachable.
        pub const XEN_DMOP_MEM_CACHEATTR_UC: u32 = 0;
        /// Write-combining.
        pub const XEN_DMOP_MEM_CACHEATTR_WC: u32 = 1;
        /// Write-through.
        pub const XEN_DMOP_MEM_CACHEATTR_WT: u32 = 4;
        /// Write-protect.
        pub const XEN_DMOP_MEM_CACHEATTR_WP: u32 = 5;
        /// Write-back.
        pub const XEN_DMOP_MEM_CACHEATTR_WB: u32 = 6;
        /// UC-.
        pub const XEN_DMOP_MEM_CACHEATTR_UCM: u32 = 7;
        /// Don't map the ioreq pages.
        pub const XEN_DMOP_no_gfns: u32 = 1;
    }
}
