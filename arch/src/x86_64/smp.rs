//! Bringing up the application processors: INIT-SIPI-SIPI per MADT entry, one at a time
//! (Intel SDM vol. 3 §9.4, "MP initialization"), through the trampoline in
//! `boot/trampoline.S`.

use core::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use super::apic::{self, Delivery};
use super::cpu::{self, MSR_EFER, rdmsr};
use super::time;

core::arch::global_asm!(include_str!("boot/trampoline.S"), options(att_syntax));

unsafe extern "C" {
    static ap_trampoline_start: u8;
    static ap_trampoline_end: u8;
    static ap_trampoline_long: u8;
}

/// Offsets in the trampoline's data page (the page after the code; trampoline.S `TP_*`).
mod data {
    pub const GDT: u64 = 0x1000;
    pub const GDT_PTR: u64 = 0x1018;
    pub const FAR: u64 = 0x1020;
    pub const CR3: u64 = 0x1028;
    pub const CR4: u64 = 0x1030;
    pub const EFER: u64 = 0x1038;
    pub const STACK: u64 = 0x1040;
    pub const ENTRY: u64 = 0x1048;
    pub const CPU: u64 = 0x1050;
}

/// Set by `stop_others`: an NMI then parks the CPU.
static STOP: AtomicBool = AtomicBool::new(false);
/// The index of the AP that last reported in.
static ARRIVED: AtomicU32 = AtomicU32::new(u32::MAX);

/// Pages per AP stack.
const AP_STACK_PAGES: u64 = 8;

pub fn stop_requested() -> bool {
    STOP.load(Ordering::Acquire)
}

/// Why an AP did not come up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApError {
    NoMemory,
    NoResponse,
}

/// What an AP runs once it is in long mode on its own stack; it must not return.
pub type ApMain = fn(u32) -> !;

static AP_MAIN: spin::Once<ApMain> = spin::Once::new();

/// The trampoline page (below 1 MiB), prepared once.
pub struct Trampoline {
    page: u64,
}

impl Trampoline {
    /// Copies the trampoline into two free pages below 1 MiB: code (then mapped RX) and data.
    pub fn prepare(main: ApMain) -> Option<Trampoline> {
        AP_MAIN.call_once(|| main);
        let page = crate::memory::alloc_zeroed_below(0x10_0000, 2, 1)?;
        let start = core::ptr::addr_of!(ap_trampoline_start);
        let len = core::ptr::addr_of!(ap_trampoline_end) as u64 - start as u64;
        let long_off = core::ptr::addr_of!(ap_trampoline_long) as u64 - start as u64;
        if len > 0x1000 {
            return None;
        }
        // SAFETY: start/len bound the trampoline's bytes in the image's rodata; the two pages
        // are fresh frames below 1 MiB, mapped 1:1 and writable; they do not overlap.
        unsafe {
            core::ptr::copy_nonoverlapping(start, page as *mut u8, len as usize);
            write64(page + data::GDT, 0);
            write64(page + data::GDT + 8, 0x00af_9a00_0000_ffff); // 0x08: 64-bit code
            write64(page + data::GDT + 16, 0x00cf_9200_0000_ffff); // 0x10: data
            core::ptr::write_unaligned((page + data::GDT_PTR) as *mut u16, 23);
            write32(page + data::GDT_PTR + 2, (page + data::GDT) as u32);
            write32(page + data::FAR, (page + long_off) as u32);
            core::ptr::write_unaligned((page + data::FAR + 4) as *mut u16, 0x08);
        }
        // The code page becomes read-only and executable (W^X); the data page stays RW+NX.
        super::space::protect(page, 1, super::paging::Perms::RX).ok()?;
        Some(Trampoline { page })
    }

    /// Starts the CPU with `apic_id` as Ferrite CPU `index`, and waits for it to report in.
    pub fn start_ap(&self, index: u32, apic_id: u32, cr3: u64) -> Result<(), ApError> {
        let (_, stack_top) = super::space::alloc_stack(AP_STACK_PAGES).ok_or(ApError::NoMemory)?;
        let [_, _, _, cr4] = cpu::control_regs();
        // SAFETY: EFER exists in long mode.
        let efer = unsafe { rdmsr(MSR_EFER) };
        let page = self.page;
        // SAFETY: the parameter block lies inside the trampoline's data page prepared above.
        unsafe {
            write64(page + data::CR3, cr3);
            write64(page + data::CR4, cr4);
            write64(page + data::EFER, efer & ((1 << 8) | (1 << 11))); // LME | NXE
            write64(page + data::STACK, stack_top);
            write64(page + data::ENTRY, ap_entry as *const () as u64);
            write64(page + data::CPU, u64::from(index));
        }
        ARRIVED.store(u32::MAX, Ordering::Release);
        let vector = (page >> 12) as u8;
        apic::send_ipi(apic_id, Delivery::Init);
        spin_wait_us(10_000);
        for _ in 0..2 {
            apic::send_ipi(apic_id, Delivery::Startup(vector));
            spin_wait_us(200);
            if ARRIVED.load(Ordering::Acquire) == index {
                return Ok(());
            }
        }
        // TCG on a loaded host can be slow: wait up to 2 s of TSC time for the AP.
        let deadline = time::now_ns() + 2_000_000_000;
        while time::now_ns() < deadline {
            if ARRIVED.load(Ordering::Acquire) == index {
                return Ok(());
            }
            core::hint::spin_loop();
        }
        Err(ApError::NoResponse)
    }
}

/// Tells the BSP this AP is alive (called by the AP's main early).
pub fn report_arrival(index: u32) {
    ARRIVED.store(index, Ordering::Release);
}

extern "C" fn ap_entry(index: u32) -> ! {
    match AP_MAIN.get() {
        Some(main) => main(index),
        None => cpu::halt_forever(),
    }
}

/// Busy-waits about `us` microseconds on the TSC.
pub fn spin_wait_us(us: u64) {
    let end = time::now_ns() + us * 1000;
    while time::now_ns() < end {
        core::hint::spin_loop();
    }
}

/// Stops every other CPU (crash, shutdown): an NMI to each online CPU.
pub fn stop_others(me: u32) {
    STOP.store(true, Ordering::Release);
    for i in 0..crate::percpu::MAX_CPUS as u32 {
        if i == me {
            continue;
        }
        if let Some(c) = crate::percpu::cpu(i)
            && c.online.load(Ordering::Acquire)
        {
            apic::send_ipi(c.hw_id.load(Ordering::Relaxed), Delivery::Nmi);
        }
    }
}

/// # Safety
/// `addr` must be valid for a 4-byte write.
unsafe fn write32(addr: u64, v: u32) {
    // SAFETY: the caller's contract.
    unsafe { core::ptr::write_unaligned(addr as *mut u32, v) }
}

/// # Safety
/// `addr` must be valid for an 8-byte write.
unsafe fn write64(addr: u64, v: u64) {
    // SAFETY: the caller's contract.
    unsafe { core::ptr::write_unaligned(addr as *mut u64, v) }
}
