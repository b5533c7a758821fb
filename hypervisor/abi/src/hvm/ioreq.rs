//! `xen/include/public/hvm/ioreq.h` (Xen 4.20): the requests Xen forwards to an ioreq server
//! (device model): the synchronous per-vCPU page, the buffered ring, and the ACPI PM block
//! addresses.

xen_abi! {
    header "hvm/ioreq.h";
    structs {
        /// `struct ioreq`: one emulation request to a device model (one per vCPU in the shared page).
        "struct ioreq" size 32 align 8;
        pub struct Ioreq {
            /// Physical address or port.
            0 addr: u64,
            /// Data, or the guest address of it when `data_is_ptr`.
            8 data: u64,
            /// Repeat count.
            16 count: u32,
            /// Access size in bytes.
            20 size: u32,
            /// Event channel to notify the device model.
            24 vp_eport: u32,
            /// Unused.
            28 _pad0: u16,
            /// Bit fields: `state` (bits 0-3), `data_is_ptr` (4), `dir` (5), `df` (6); see the accessors.
            30 bits as "": u8,
            /// `IOREQ_TYPE_*`.
            31 kind as "type": u8,
        }

        /// `struct shared_iopage`: the synchronous ioreq page. C declares one slot; the page
        /// really holds one [`Ioreq`] per vCPU, indexed by vCPU id.
        "struct shared_iopage" size 32 align 8;
        pub struct SharedIopage {
            /// vCPU 0's slot (the others follow it in the page).
            0 vcpu_ioreq: [Ioreq; 1],
        }

        /// `struct buf_ioreq`: one buffered (write-only) request.
        "struct buf_ioreq" size 8 align 4;
        pub struct BufIoreq {
            /// Bit fields: `type` (bits 0-7), `pad` (8), `dir` (9), `size` (10-11), `addr` (12-31).
            0 word0 as "type": u32,
            /// Data.
            4 data: u32,
        }

        /// `struct buffered_iopage`: the buffered ioreq ring page.
        "struct buffered_iopage" size 4096 align 4;
        pub struct BufferedIopage {
            /// Consumer.
            0 read_pointer: u32,
            /// Producer.
            4 write_pointer: u32,
            /// The slots.
            8 buf_ioreq: [BufIoreq; 511],
        }
    }
    consts {
        /// Direction: read.
        pub const IOREQ_READ: u32 = 1;
        /// Direction: write.
        pub const IOREQ_WRITE: u32 = 0;
        /// Slot free.
        pub const STATE_IOREQ_NONE: u32 = 0;
        /// Request ready.
        pub const STATE_IOREQ_READY: u32 = 1;
        /// Being handled.
        pub const STATE_IOREQ_INPROCESS: u32 = 2;
        /// Response ready.
        pub const STATE_IORESP_READY: u32 = 3;
        /// Port I/O.
        pub const IOREQ_TYPE_PIO: u32 = 0;
        /// MMIO.
        pub const IOREQ_TYPE_COPY: u32 = 1;
        /// PCI config space.
        pub const IOREQ_TYPE_PCI_CONFIG: u32 = 2;
        /// RTC time offset.
        pub const IOREQ_TYPE_TIMEOFFSET: u32 = 7;
        /// Map-cache invalidate.
        pub const IOREQ_TYPE_INVALIDATE: u32 = 8;
        /// Slots in the buffered page.
        pub const IOREQ_BUFFER_SLOT_NUM: u32 = 0x1ff;
        /// PM1a event block (v0).
        pub const ACPI_PM1A_EVT_BLK_ADDRESS_V0: u32 = 0x1f40;
        /// PM1a control block (v0).
        pub const ACPI_PM1A_CNT_BLK_ADDRESS_V0: u32 = 0x1f44;
        /// PM timer (v0).
        pub const ACPI_PM_TMR_BLK_ADDRESS_V0: u32 = 0x1f48;
        /// GPE0 block (v0).
        pub const ACPI_GPE0_BLK_ADDRESS_V0: u32 = 0x1f68;
        /// GPE0 length (v0).
        pub const ACPI_GPE0_BLK_LEN_V0: u32 = 8;
        /// PM1a event block (v1).
        pub const ACPI_PM1A_EVT_BLK_ADDRESS_V1: u32 = 0xb000;
        /// PM1a control block (v1).
        pub const ACPI_PM1A_CNT_BLK_ADDRESS_V1: u32 = 0xb004;
        /// PM timer (v1).
        pub const ACPI_PM_TMR_BLK_ADDRESS_V1: u32 = 0xb008;
        /// GPE0 block (v1).
        pub const ACPI_GPE0_BLK_ADDRESS_V1: u32 = 0xafe0;
        /// GPE0 length (v1).
        pub const ACPI_GPE0_BLK_LEN_V1: u32 = 4;
        /// PM1a event block (the compatibility name, = v0).
        pub const ACPI_PM1A_EVT_BLK_ADDRESS: u32 = ACPI_PM1A_EVT_BLK_ADDRESS_V0;
        /// PM1a control block (= v0).
        pub const ACPI_PM1A_CNT_BLK_ADDRESS: u32 = ACPI_PM1A_CNT_BLK_ADDRESS_V0;
        /// PM timer (= v0).
        pub const ACPI_PM_TMR_BLK_ADDRESS: u32 = ACPI_PM_TMR_BLK_ADDRESS_V0;
        /// GPE0 block (= v0).
        pub const ACPI_GPE0_BLK_ADDRESS: u32 = ACPI_GPE0_BLK_ADDRESS_V0;
        /// GPE0 length (= v0).
        pub const ACPI_GPE0_BLK_LEN: u32 = ACPI_GPE0_BLK_LEN_V0;
    }
}

impl Ioreq {
    /// `state`: `STATE_IOREQ_*`.
    pub const fn state(&self) -> u8 {
        self.bits & 0xf
    }
    /// `data_is_ptr`: `data` is a guest address.
    pub const fn data_is_ptr(&self) -> bool {
        self.bits & (1 << 4) != 0
    }
    /// `dir`: `IOREQ_READ` or `IOREQ_WRITE`.
    pub const fn dir(&self) -> u8 {
        (self.bits >> 5) & 1
    }
    /// `df`: direction flag for repeated accesses.
    pub const fn df(&self) -> bool {
        self.bits & (1 << 6) != 0
    }
    /// Sets the bit fields.
    pub const fn set_bits(&mut self, state: u8, data_is_ptr: bool, dir: u8, df: bool) {
        self.bits = (state & 0xf) | (data_is_ptr as u8) << 4 | (dir & 1) << 5 | (df as u8) << 6;
    }
}
