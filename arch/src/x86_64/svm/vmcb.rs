//! The VMCB (AMD APM vol. 2 appendix B, "Layout of VMCB"): offsets and typed access over a
//! 4 KiB page. Pure logic over any byte buffer, so the layout is tested on the host.

/// Control-area and save-area offsets used by Ferrite.
pub mod off {
    pub const INTERCEPT_CR: usize = 0x000;
    pub const INTERCEPT_DR: usize = 0x004;
    pub const INTERCEPT_EXCEPTIONS: usize = 0x008;
    pub const INTERCEPT_MISC1: usize = 0x00c;
    pub const INTERCEPT_MISC2: usize = 0x010;
    /// PAUSE filter count: PAUSEs before one exits (when the CPU filters).
    pub const PAUSE_FILTER_COUNT: usize = 0x03e;
    pub const IOPM_BASE_PA: usize = 0x040;
    pub const MSRPM_BASE_PA: usize = 0x048;
    pub const TSC_OFFSET: usize = 0x050;
    pub const GUEST_ASID: usize = 0x058;
    pub const TLB_CONTROL: usize = 0x05c;
    pub const VINTR: usize = 0x060;
    pub const INTERRUPT_SHADOW: usize = 0x068;
    pub const EXITCODE: usize = 0x070;
    pub const EXITINFO1: usize = 0x078;
    pub const EXITINFO2: usize = 0x080;
    pub const EXITINTINFO: usize = 0x088;
    pub const NP_ENABLE: usize = 0x090;
    pub const EVENTINJ: usize = 0x0a8;
    pub const N_CR3: usize = 0x0b0;
    pub const VMCB_CLEAN: usize = 0x0c0;
    pub const NRIP: usize = 0x0c8;
    pub const GUEST_INSN_LEN: usize = 0x0d0;
    pub const GUEST_INSN_BYTES: usize = 0x0d1;

    pub const ES: usize = 0x400;
    pub const CS: usize = 0x410;
    pub const SS: usize = 0x420;
    pub const DS: usize = 0x430;
    pub const FS: usize = 0x440;
    pub const GS: usize = 0x450;
    pub const GDTR: usize = 0x460;
    pub const LDTR: usize = 0x470;
    pub const IDTR: usize = 0x480;
    pub const TR: usize = 0x490;
    pub const CPL: usize = 0x4cb;
    pub const EFER: usize = 0x4d0;
    pub const CR4: usize = 0x548;
    pub const CR3: usize = 0x550;
    pub const CR0: usize = 0x558;
    pub const DR7: usize = 0x560;
    pub const DR6: usize = 0x568;
    pub const RFLAGS: usize = 0x570;
    pub const RIP: usize = 0x578;
    pub const RSP: usize = 0x5d8;
    pub const RAX: usize = 0x5f8;
    pub const STAR: usize = 0x600;
    pub const LSTAR: usize = 0x608;
    pub const CSTAR: usize = 0x610;
    pub const SFMASK: usize = 0x618;
    pub const KERNEL_GS_BASE: usize = 0x620;
    pub const SYSENTER_CS: usize = 0x628;
    pub const SYSENTER_ESP: usize = 0x630;
    pub const SYSENTER_EIP: usize = 0x638;
    pub const CR2: usize = 0x640;
    pub const G_PAT: usize = 0x668;
}

/// Intercept bits in `INTERCEPT_MISC1`.
pub mod misc1 {
    pub const INTR: u32 = 1 << 0;
    pub const NMI: u32 = 1 << 1;
    pub const SMI: u32 = 1 << 2;
    pub const INIT: u32 = 1 << 3;
    pub const CPUID: u32 = 1 << 18;
    /// IRET (the NMI window without vNMI: `nmi.rs`).
    pub const IRET: u32 = 1 << 20;
    pub const PAUSE: u32 = 1 << 23;
    pub const HLT: u32 = 1 << 24;
    pub const INVLPGA: u32 = 1 << 26;
    pub const IOIO_PROT: u32 = 1 << 27;
    pub const MSR_PROT: u32 = 1 << 28;
    pub const SHUTDOWN: u32 = 1 << 31;
}

/// Intercept bits in `INTERCEPT_MISC2`.
pub mod misc2 {
    pub const VMRUN: u32 = 1 << 0;
    pub const VMMCALL: u32 = 1 << 1;
    pub const VMLOAD: u32 = 1 << 2;
    pub const VMSAVE: u32 = 1 << 3;
    pub const STGI: u32 = 1 << 4;
    pub const CLGI: u32 = 1 << 5;
    pub const SKINIT: u32 = 1 << 6;
    pub const XSETBV: u32 = 1 << 13;
}

/// A segment register as the VMCB stores it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Segment {
    pub selector: u16,
    /// Packed attributes: type (3:0), S (4), DPL (6:5), P (7), AVL (8), L (9), D/B (10), G (11).
    pub attrib: u16,
    pub limit: u32,
    pub base: u64,
}

impl Segment {
    /// Flat 4 GiB 32-bit code (execute/read, accessed), as PVH's entry state wants.
    pub const FLAT_CODE32: Segment = Segment {
        selector: 0x08,
        attrib: 0xc9b,
        limit: 0xffff_ffff,
        base: 0,
    };
    /// Flat 4 GiB data (read/write, accessed).
    pub const FLAT_DATA: Segment = Segment {
        selector: 0x10,
        attrib: 0xc93,
        limit: 0xffff_ffff,
        base: 0,
    };
    /// A busy 32-bit TSS of 0x68 bytes at 0 (PVH's TR).
    pub const TSS32: Segment = Segment {
        selector: 0x18,
        attrib: 0x8b,
        limit: 0x67,
        base: 0,
    };
    /// An unusable LDT.
    pub const NO_LDT: Segment = Segment {
        selector: 0,
        attrib: 0x82,
        limit: 0,
        base: 0,
    };
}

/// Typed access to a VMCB held in any 4 KiB buffer.
pub struct Vmcb<'a> {
    bytes: &'a mut [u8; 4096],
}

impl<'a> Vmcb<'a> {
    pub fn new(bytes: &'a mut [u8; 4096]) -> Vmcb<'a> {
        Vmcb { bytes }
    }

    fn slice<const N: usize>(&self, at: usize) -> [u8; N] {
        let mut b = [0u8; N];
        if let Some(s) = self.bytes.get(at..at + N) {
            b.copy_from_slice(s);
        }
        b
    }

    fn put(&mut self, at: usize, v: &[u8]) {
        if let Some(d) = self.bytes.get_mut(at..at + v.len()) {
            d.copy_from_slice(v);
        }
    }

    pub fn read_u64(&self, at: usize) -> u64 {
        u64::from_le_bytes(self.slice(at))
    }

    pub fn read_u8(&self, at: usize) -> u8 {
        self.slice::<1>(at)[0]
    }

    pub fn read_u32(&self, at: usize) -> u32 {
        u32::from_le_bytes(self.slice(at))
    }

    pub fn write_u64(&mut self, at: usize, v: u64) {
        self.put(at, &v.to_le_bytes());
    }

    pub fn write_u32(&mut self, at: usize, v: u32) {
        self.put(at, &v.to_le_bytes());
    }

    pub fn write_u16(&mut self, at: usize, v: u16) {
        self.write_u8(at, v as u8);
        self.write_u8(at + 1, (v >> 8) as u8);
    }

    pub fn write_u8(&mut self, at: usize, v: u8) {
        self.put(at, &[v]);
    }

    pub fn set_segment(&mut self, at: usize, s: Segment) {
        self.put(at, &s.selector.to_le_bytes());
        self.put(at + 2, &s.attrib.to_le_bytes());
        self.put(at + 4, &s.limit.to_le_bytes());
        self.put(at + 8, &s.base.to_le_bytes());
    }

    pub fn segment(&self, at: usize) -> Segment {
        Segment {
            selector: u16::from_le_bytes(self.slice(at)),
            attrib: u16::from_le_bytes(self.slice(at + 2)),
            limit: u32::from_le_bytes(self.slice(at + 4)),
            base: u64::from_le_bytes(self.slice(at + 8)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_land_at_their_offsets() {
        let mut page = [0u8; 4096];
        let mut v = Vmcb::new(&mut page);
        v.write_u64(off::RIP, 0x1122_3344_5566_7788);
        v.write_u32(off::GUEST_ASID, 7);
        v.set_segment(off::CS, Segment::FLAT_CODE32);
        assert_eq!(v.segment(off::CS), Segment::FLAT_CODE32);
        assert_eq!(v.read_u64(off::RIP), 0x1122_3344_5566_7788);
        assert_eq!(page[0x578], 0x88);
        assert_eq!(page[0x058], 7);
        // CS: selector 0x08, attrib 0xc9b, limit 0xffffffff at 0x410.
        assert_eq!(
            &page[0x410..0x418],
            &[0x08, 0, 0x9b, 0x0c, 0xff, 0xff, 0xff, 0xff]
        );
        // Writes past the page are ignored, not a panic.
        let mut v = Vmcb::new(&mut page);
        v.write_u64(4092, 1);
        assert_eq!(v.read_u64(4092), 0);
    }
}
