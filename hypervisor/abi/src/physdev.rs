//! `xen/include/public/physdev.h` (Xen 4.20): `HYPERVISOR_physdev_op` — PIRQs, EOI, IOPL and
//! I/O bitmaps (PV), PCI device registration and MMCONFIG (dom0).

use crate::GuestHandle;
use crate::xen::{DomId, XenPfn};

xen_abi! {
    header "physdev.h";
    structs {
        /// `struct physdev_eoi` (`PHYSDEVOP_eoi`).
        "struct physdev_eoi" size 4 align 4;
        pub struct PhysdevEoi {
            /// The PIRQ.
            0 irq: u32,
        }

        /// `struct physdev_pirq_eoi_gmfn` (`PHYSDEVOP_pirq_eoi_gmfn_v1/v2`).
        "struct physdev_pirq_eoi_gmfn" size 8 align 8;
        pub struct PhysdevPirqEoiGmfn {
            /// Frame of the PIRQ EOI bitmap.
            0 gmfn: XenPfn,
        }

        /// `struct physdev_irq_status_query` (`PHYSDEVOP_irq_status_query`).
        "struct physdev_irq_status_query" size 8 align 4;
        pub struct PhysdevIrqStatusQuery {
            /// The PIRQ.
            0 irq: u32,
            /// Out: `XENIRQSTAT_*`.
            4 flags: u32,
        }

        /// `struct physdev_set_iopl` (`PHYSDEVOP_set_iopl`).
        "struct physdev_set_iopl" size 4 align 4;
        pub struct PhysdevSetIopl {
            /// The I/O privilege level.
            0 iopl: u32,
        }

        /// `struct physdev_set_iobitmap` (`PHYSDEVOP_set_iobitmap`).
        "struct physdev_set_iobitmap" size 16 align 8;
        pub struct PhysdevSetIobitmap {
            /// The bitmap.
            0 bitmap: GuestHandle<u8>,
            /// Ports it covers.
            8 nr_ports: u32,
            /// Padding.
            12 _pad0: u32,
        }

        /// `struct physdev_apic` (`PHYSDEVOP_apic_read/write`).
        "struct physdev_apic" size 16 align 8;
        pub struct PhysdevApic {
            /// IOAPIC base.
            0 apic_physbase: u64,
            /// Register.
            8 reg: u32,
            /// Value.
            12 value: u32,
        }

        /// `struct physdev_irq` (`PHYSDEVOP_alloc/free_irq_vector`).
        "struct physdev_irq" size 8 align 4;
        pub struct PhysdevIrq {
            /// The IRQ.
            0 irq: u32,
            /// The vector.
            4 vector: u32,
        }

        /// `struct physdev_map_pirq` (`PHYSDEVOP_map_pirq`).
        "struct physdev_map_pirq" size 40 align 8;
        pub struct PhysdevMapPirq {
            /// The domain.
            0 domid: DomId,
            /// Padding.
            2 _pad0: u16,
            /// `MAP_PIRQ_TYPE_*`.
            4 kind as "type": i32,
            /// GSI or MSI index.
            8 index: i32,
            /// In/out: the PIRQ.
            12 pirq: i32,
            /// PCI bus (MSI).
            16 bus: i32,
            /// PCI devfn (MSI).
            20 devfn: i32,
            /// MSI-X entry or multi-MSI count.
            24 entry_nr: i32,
            /// Padding.
            28 _pad1: u32,
            /// MSI-X table base.
            32 table_base: u64,
        }

        /// `struct physdev_unmap_pirq` (`PHYSDEVOP_unmap_pirq`).
        "struct physdev_unmap_pirq" size 8 align 4;
        pub struct PhysdevUnmapPirq {
            /// The domain.
            0 domid: DomId,
            /// Padding.
            2 _pad0: u16,
            /// The PIRQ.
            4 pirq: i32,
        }

        /// `struct physdev_manage_pci` (`PHYSDEVOP_manage_pci_add/remove`).
        "struct physdev_manage_pci" size 2 align 1;
        pub struct PhysdevManagePci {
            /// Bus.
            0 bus: u8,
            /// devfn.
            1 devfn: u8,
        }

        /// `struct physdev_restore_msi` (`PHYSDEVOP_restore_msi`).
        "struct physdev_restore_msi" size 2 align 1;
        pub struct PhysdevRestoreMsi {
            /// Bus.
            0 bus: u8,
            /// devfn.
            1 devfn: u8,
        }

        /// `struct physdev_manage_pci_ext` (`PHYSDEVOP_manage_pci_add_ext`).
        "struct physdev_manage_pci_ext" size 16 align 4;
        pub struct PhysdevManagePciExt {
            /// Bus.
            0 bus: u8,
            /// devfn.
            1 devfn: u8,
            /// Padding.
            2 _pad0: u16,
            /// An extended function.
            4 is_extfn: u32,
            /// A virtual function.
            8 is_virtfn: u32,
            /// The physical function's bus (`physfn.bus`).
            12 physfn_bus as "physfn.bus": u8,
            /// The physical function's devfn (`physfn.devfn`).
            13 physfn_devfn as "physfn.devfn": u8,
            /// Padding.
            14 _pad1: u16,
        }

        /// `struct physdev_op` (the compat `HYPERVISOR_physdev_op_compat` argument).
        "struct physdev_op" size 24 align 8;
        pub struct PhysdevOpCompat {
            /// `PHYSDEVOP_*`.
            0 cmd: u32,
            /// Padding.
            4 _pad0: u32,
            /// The sub-op's struct, by `cmd`.
            8 u: [u64; 2],
        }

        /// `struct physdev_setup_gsi` (`PHYSDEVOP_setup_gsi`).
        "struct physdev_setup_gsi" size 8 align 4;
        pub struct PhysdevSetupGsi {
            /// The GSI.
            0 gsi: i32,
            /// Edge (0) or level (1).
            4 triggering: u8,
            /// High (0) or low (1).
            5 polarity: u8,
            /// Padding.
            6 _pad0: u16,
        }

        /// `struct physdev_get_free_pirq` (`PHYSDEVOP_get_free_pirq`).
        "struct physdev_get_free_pirq" size 8 align 4;
        pub struct PhysdevGetFreePirq {
            /// `MAP_PIRQ_TYPE_*`.
            0 kind as "type": i32,
            /// Out: the PIRQ.
            4 pirq: u32,
        }

        /// `struct physdev_pci_mmcfg_reserved` (`PHYSDEVOP_pci_mmcfg_reserved`).
        "struct physdev_pci_mmcfg_reserved" size 16 align 8;
        pub struct PhysdevPciMmcfgReserved {
            /// MMCONFIG base.
            0 address: u64,
            /// Segment.
            8 segment: u16,
            /// First bus.
            10 start_bus: u8,
            /// Last bus.
            11 end_bus: u8,
            /// `XEN_PCI_MMCFG_RESERVED`.
            12 flags: u32,
        }

        /// `struct physdev_pci_device_add` header (`PHYSDEVOP_pci_device_add`); `optarr` follows.
        "struct physdev_pci_device_add" size 12 align 4;
        pub struct PhysdevPciDeviceAdd {
            /// Segment.
            0 seg: u16,
            /// Bus.
            2 bus: u8,
            /// devfn.
            3 devfn: u8,
            /// `XEN_PCI_DEV_*`.
            4 flags: u32,
            /// The physical function's bus.
            8 physfn_bus as "physfn.bus": u8,
            /// The physical function's devfn.
            9 physfn_devfn as "physfn.devfn": u8,
            /// Padding.
            10 _pad0: u16,
            /// Optional array (`XEN_PCI_DEV_PXM`: the proximity domain).
            12 optarr: [u32; 0],
        }

        /// `struct physdev_pci_device` (`PHYSDEVOP_pci_device_remove`, `restore_msi_ext`, ...).
        "struct physdev_pci_device" size 4 align 2;
        pub struct PhysdevPciDevice {
            /// Segment.
            0 seg: u16,
            /// Bus.
            2 bus: u8,
            /// devfn.
            3 devfn: u8,
        }

        /// `struct pci_device_reset` (`PHYSDEVOP_pci_device_reset`).
        "struct pci_device_reset" size 8 align 4 since "4.20";
        pub struct PciDeviceReset {
            /// The device.
            0 dev: PhysdevPciDevice,
            /// `PCI_DEVICE_RESET_*`.
            4 flags: u32,
        }

        /// `struct physdev_dbgp_op` (`PHYSDEVOP_dbgp_op`).
        "struct physdev_dbgp_op" size 6 align 2;
        pub struct PhysdevDbgpOp {
            /// `PHYSDEVOP_DBGP_RESET_*`.
            0 op: u8,
            /// `PHYSDEVOP_DBGP_BUS_*`.
            1 bus: u8,
            /// `u.pci`.
            2 pci as "u.pci": PhysdevPciDevice,
        }
    }
    enums {
        /// A `HYPERVISOR_physdev_op` command (`PHYSDEVOP_*`).
        pub enum PhysdevOp: u32 {
            /// Unmask notify (old).
            IrqUnmaskNotify = PHYSDEVOP_IRQ_UNMASK_NOTIFY = 4,
            /// Query an IRQ.
            IrqStatusQuery = PHYSDEVOP_irq_status_query = 5,
            /// Set IOPL.
            SetIopl = PHYSDEVOP_set_iopl = 6,
            /// Set the I/O bitmap.
            SetIobitmap = PHYSDEVOP_set_iobitmap = 7,
            /// Read an IOAPIC register.
            ApicRead = PHYSDEVOP_apic_read = 8,
            /// Write an IOAPIC register.
            ApicWrite = PHYSDEVOP_apic_write = 9,
            /// Allocate a vector.
            AllocIrqVector = PHYSDEVOP_alloc_irq_vector = 10,
            /// Free a vector.
            FreeIrqVector = PHYSDEVOP_free_irq_vector = 11,
            /// EOI a PIRQ.
            Eoi = PHYSDEVOP_eoi = 12,
            /// Map a PIRQ.
            MapPirq = PHYSDEVOP_map_pirq = 13,
            /// Unmap a PIRQ.
            UnmapPirq = PHYSDEVOP_unmap_pirq = 14,
            /// Add a PCI device.
            ManagePciAdd = PHYSDEVOP_manage_pci_add = 15,
            /// Remove a PCI device.
            ManagePciRemove = PHYSDEVOP_manage_pci_remove = 16,
            /// Register the PIRQ EOI bitmap (v1).
            PirqEoiGmfnV1 = PHYSDEVOP_pirq_eoi_gmfn_v1 = 17,
            /// Restore MSI state.
            RestoreMsi = PHYSDEVOP_restore_msi = 19,
            /// Add a PCI device (extended).
            ManagePciAddExt = PHYSDEVOP_manage_pci_add_ext = 20,
            /// Set up a GSI.
            SetupGsi = PHYSDEVOP_setup_gsi = 21,
            /// Get a free PIRQ.
            GetFreePirq = PHYSDEVOP_get_free_pirq = 23,
            /// Report a reserved MMCONFIG region.
            PciMmcfgReserved = PHYSDEVOP_pci_mmcfg_reserved = 24,
            /// Add a PCI device (segment-aware).
            PciDeviceAdd = PHYSDEVOP_pci_device_add = 25,
            /// Remove a PCI device.
            PciDeviceRemove = PHYSDEVOP_pci_device_remove = 26,
            /// Restore MSI state (segment-aware).
            RestoreMsiExt = PHYSDEVOP_restore_msi_ext = 27,
            /// Register the PIRQ EOI bitmap (v2).
            PirqEoiGmfnV2 = PHYSDEVOP_pirq_eoi_gmfn_v2 = 28,
            /// USB debug port.
            DbgpOp = PHYSDEVOP_dbgp_op = 29,
            /// Prepare MSI-X.
            PrepareMsix = PHYSDEVOP_prepare_msix = 30,
            /// Release MSI-X.
            ReleaseMsix = PHYSDEVOP_release_msix = 31,
            /// Reset a PCI device.
            PciDeviceReset = PHYSDEVOP_pci_device_reset = 32 => since "4.20",
        }

        /// A PIRQ mapping type (`MAP_PIRQ_TYPE_*`).
        pub enum MapPirqType: i32 {
            /// MSI.
            Msi = MAP_PIRQ_TYPE_MSI = 0,
            /// GSI.
            Gsi = MAP_PIRQ_TYPE_GSI = 1,
            /// Unknown.
            Unknown = MAP_PIRQ_TYPE_UNKNOWN = 2,
            /// MSI with segment.
            MsiSeg = MAP_PIRQ_TYPE_MSI_SEG = 3,
            /// Multi-vector MSI.
            MultiMsi = MAP_PIRQ_TYPE_MULTI_MSI = 4,
        }
    }
    consts {
        /// The PIRQ needs an EOI.
        pub const XENIRQSTAT_needs_eoi: u32 = 1 << 0;
        /// The PIRQ is shared.
        pub const XENIRQSTAT_shared: u32 = 1 << 1;
        /// `physdev_pci_mmcfg_reserved.flags`: reserved in E820.
        pub const XEN_PCI_MMCFG_RESERVED: u32 = 0x1;
        /// An extended function.
        pub const XEN_PCI_DEV_EXTFN: u32 = 0x1;
        /// A virtual function.
        pub const XEN_PCI_DEV_VIRTFN: u32 = 0x2;
        /// `optarr[0]` is the proximity domain.
        pub const XEN_PCI_DEV_PXM: u32 = 0x4;
        /// Cold reset.
        pub const PCI_DEVICE_RESET_COLD: u32 = 0x0 => since "4.20";
        /// Warm reset.
        pub const PCI_DEVICE_RESET_WARM: u32 = 0x1 => since "4.20";
        /// Hot reset.
        pub const PCI_DEVICE_RESET_HOT: u32 = 0x2 => since "4.20";
        /// Function-level reset.
        pub const PCI_DEVICE_RESET_FLR: u32 = 0x3 => since "4.20";
        /// Reset type mask.
        pub const PCI_DEVICE_RESET_MASK: u32 = 0x3 => since "4.20";
        /// The current name of `PHYSDEVOP_pirq_eoi_gmfn` (v2 since interface 4.2).
        pub const PHYSDEVOP_pirq_eoi_gmfn: u32 = PHYSDEVOP_pirq_eoi_gmfn_v2;
        /// Upper-case alias of `PHYSDEVOP_irq_status_query` (interface < 4.6).
        pub const PHYSDEVOP_IRQ_STATUS_QUERY: u32 = PHYSDEVOP_irq_status_query => since "interface < 0x00040600";
        /// Upper-case alias of `PHYSDEVOP_set_iopl` (interface < 4.6).
        pub const PHYSDEVOP_SET_IOPL: u32 = PHYSDEVOP_set_iopl => since "interface < 0x00040600";
        /// Upper-case alias of `PHYSDEVOP_set_iobitmap` (interface < 4.6).
        pub const PHYSDEVOP_SET_IOBITMAP: u32 = PHYSDEVOP_set_iobitmap => since "interface < 0x00040600";
        /// Upper-case alias of `PHYSDEVOP_apic_read` (interface < 4.6).
        pub const PHYSDEVOP_APIC_READ: u32 = PHYSDEVOP_apic_read => since "interface < 0x00040600";
        /// Upper-case alias of `PHYSDEVOP_apic_write` (interface < 4.6).
        pub const PHYSDEVOP_APIC_WRITE: u32 = PHYSDEVOP_apic_write => since "interface < 0x00040600";
        /// Old name of `PHYSDEVOP_alloc_irq_vector` (interface < 4.6).
        pub const PHYSDEVOP_ASSIGN_VECTOR: u32 = PHYSDEVOP_alloc_irq_vector => since "interface < 0x00040600";
        /// Old name of `PHYSDEVOP_free_irq_vector` (interface < 4.6).
        pub const PHYSDEVOP_FREE_VECTOR: u32 = PHYSDEVOP_free_irq_vector => since "interface < 0x00040600";
        /// Old name of [`XENIRQSTAT_needs_eoi`] (interface < 4.6).
        pub const PHYSDEVOP_IRQ_NEEDS_UNMASK_NOTIFY: u32 = XENIRQSTAT_needs_eoi => since "interface < 0x00040600";
        /// Old name of [`XENIRQSTAT_shared`] (interface < 4.6).
        pub const PHYSDEVOP_IRQ_SHARED: u32 = XENIRQSTAT_shared => since "interface < 0x00040600";
        /// Debug port: about to reset.
        pub const PHYSDEVOP_DBGP_RESET_PREPARE: u32 = 1;
        /// Debug port: reset done.
        pub const PHYSDEVOP_DBGP_RESET_DONE: u32 = 2;
        /// Debug port bus: unknown.
        pub const PHYSDEVOP_DBGP_BUS_UNKNOWN: u32 = 0;
        /// Debug port bus: PCI.
        pub const PHYSDEVOP_DBGP_BUS_PCI: u32 = 1;
    }
}
