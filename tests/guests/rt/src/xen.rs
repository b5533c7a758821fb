//! Finding Xen (or Ferrite) through CPUID and installing the hypercall page, as a PVH guest does
//! (`xen/include/public/arch-x86/cpuid.h`; the MSR protocol of Xen's `docs/misc/hypercall-abi.pandoc`).

use core::sync::atomic::{AtomicBool, Ordering};

use ferrite_abi::arch_x86::cpuid::{
    XEN_CPUID_FIRST_LEAF, XEN_CPUID_SIGNATURE_EBX, XEN_CPUID_SIGNATURE_ECX, XEN_CPUID_SIGNATURE_EDX,
};

use crate::cpu::{self, cpuid};
use crate::once::Once;

/// Where Xen's CPUID leaves are and what they said at boot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct XenInfo {
    /// The base leaf (0x40000000, or 0x40000100 etc. when another interface comes first).
    pub base: u32,
    /// EAX of the base leaf: the highest Xen leaf.
    pub max_leaf: u32,
    /// EAX of leaf base+1: `major << 16 | minor`.
    pub version: u32,
    /// EAX of leaf base+2: how many hypercall pages there are.
    pub hypercall_pages: u32,
    /// EBX of leaf base+2: the MSR that installs a hypercall page.
    pub hypercall_msr: u32,
}

impl XenInfo {
    /// Major version from the version leaf.
    pub fn major(&self) -> u32 {
        self.version >> 16
    }

    /// Minor version from the version leaf.
    pub fn minor(&self) -> u32 {
        self.version & 0xffff
    }
}

/// The highest base probed; Xen searches the same range in steps of 0x100.
const LAST_BASE: u32 = 0x4001_0000;

/// Looks for the "XenVMMXenVMM" signature at 0x40000000..0x40010000 in steps of 0x100. A base
/// counts only when it has at least the version and hypercall leaves (max leaf >= base + 2).
pub fn detect() -> Option<XenInfo> {
    let mut base = XEN_CPUID_FIRST_LEAF;
    while base < LAST_BASE {
        let r = cpuid(base, 0);
        if (r.ebx, r.ecx, r.edx)
            == (
                XEN_CPUID_SIGNATURE_EBX,
                XEN_CPUID_SIGNATURE_ECX,
                XEN_CPUID_SIGNATURE_EDX,
            )
            && r.eax >= base + 2
        {
            let version = cpuid(base + 1, 0).eax;
            let hc = cpuid(base + 2, 0);
            return Some(XenInfo {
                base,
                max_leaf: r.eax,
                version,
                hypercall_pages: hc.eax,
                hypercall_msr: hc.ebx,
            });
        }
        base += 0x100;
    }
    None
}

static XEN: Once<XenInfo> = Once::new();
static HYPERCALL_PAGE_READY: AtomicBool = AtomicBool::new(false);

unsafe extern "C" {
    /// A page-aligned page of .bss (entry.S) that the hypervisor fills with hypercall stubs.
    static guest_hypercall_page: [u8; 4096];
}

/// What boot found, if we run on Xen (or a hypervisor that answers as Xen does).
pub fn info() -> Option<&'static XenInfo> {
    XEN.get()
}

/// True once the hypercall page holds the hypervisor's stubs.
pub fn hypercalls_ready() -> bool {
    HYPERCALL_PAGE_READY.load(Ordering::Acquire)
}

/// Guest-physical (= virtual) address of the hypercall page.
pub fn hypercall_page_addr() -> u64 {
    (&raw const guest_hypercall_page) as u64
}

/// One byte of the hypercall page, read afresh (the hypervisor writes the page, not Rust).
pub fn hypercall_page_byte(offset: usize) -> Option<u8> {
    if offset >= 4096 {
        return None;
    }
    let base = (&raw const guest_hypercall_page).cast::<u8>();
    // SAFETY: offset < 4096 keeps the read inside the page, which is mapped for the life of the
    // guest; a volatile read because the hypervisor, not Rust, wrote it.
    Some(unsafe { core::ptr::read_volatile(base.add(offset)) })
}

/// Boot step: detects Xen and installs the hypercall page. Returns what was found.
pub(crate) fn init() -> Option<&'static XenInfo> {
    let found = detect()?;
    XEN.set(found);
    if found.hypercall_pages >= 1 && found.hypercall_msr != 0 {
        // SAFETY: the page is ours (a .bss page no Rust reference points to), page-aligned, and
        // the MSR Xen named for this purpose only makes the hypervisor write into that page.
        unsafe { cpu::wrmsr(found.hypercall_msr, hypercall_page_addr()) };
        // A hypervisor that ignores the MSR leaves the page zeroed: don't call into it then.
        if (0..32).any(|i| hypercall_page_byte(i).is_some_and(|b| b != 0)) {
            HYPERCALL_PAGE_READY.store(true, Ordering::Release);
        }
    }
    XEN.get()
}
