//! From the PVH entry to the guest's cases (Xen's `docs/misc/pvh.pandoc`): entry.S gets to long
//! mode, [`guest_rust_start`] finds Xen, picks the console, loads the IDT, keeps a copy of
//! `hvm_start_info` (`arch-x86/hvm/start_info.h`) and calls the guest's `ferrite_guest_main`.

use ferrite_abi::hvm::start_info::HvmStartInfo;

use crate::console::{self, Sink};
use crate::harness::{Status, finish};
use crate::once::Once;
use crate::{idt, xen};

core::arch::global_asm!(include_str!("entry.S"), options(att_syntax));

/// What the loader passed in EBX, and a copy of the start_info it points to.
#[derive(Clone, Copy, Debug)]
pub struct Boot {
    /// The physical address in EBX at entry.
    pub start_info_paddr: u64,
    /// A copy of the struct (version-0 loaders leave the version-1 tail as whatever follows:
    /// check `version` before using the memory-map fields).
    pub start_info: HvmStartInfo,
}

static BOOT: Once<Boot> = Once::new();

/// The boot information, once [`guest_rust_start`] stored it (None if EBX was 0).
pub fn boot() -> Option<&'static Boot> {
    BOOT.get()
}

/// Reads `len` bytes of guest-physical memory below 4 GiB (identity-mapped by entry.S) into
/// `out`; false if the range leaves the mapping.
pub fn read_phys(paddr: u64, out: &mut [u8]) -> bool {
    let end = paddr.checked_add(out.len() as u64);
    if paddr == 0 || end.is_none_or(|e| e > 1 << 32) {
        return false;
    }
    for (i, b) in out.iter_mut().enumerate() {
        // SAFETY: the range is within the identity-mapped first 4 GiB (checked above); a
        // volatile byte read is valid for any value and has no side effect on RAM.
        *b = unsafe { core::ptr::read_volatile((paddr as *const u8).add(i)) };
    }
    true
}

/// The value of `key=` in the guest's command line (`hvm_start_info.cmdline_paddr`), copied
/// into `buf` (the first 1024 bytes of the line are searched). None without a command line or
/// without the key.
pub fn cmdline_value<'a>(key: &str, buf: &'a mut [u8]) -> Option<&'a str> {
    let si = &boot()?.start_info;
    let mut line = [0u8; 1024];
    if !read_phys(si.cmdline_paddr, &mut line) {
        return None;
    }
    let end = line.iter().position(|&c| c == 0).unwrap_or(line.len());
    let text = core::str::from_utf8(line.get(..end)?).ok()?;
    let value = text
        .split_ascii_whitespace()
        .find_map(|word| word.strip_prefix(key)?.strip_prefix('='))?;
    let out = buf.get_mut(..value.len())?;
    out.copy_from_slice(value.as_bytes());
    core::str::from_utf8(out).ok()
}

unsafe extern "Rust" {
    /// Defined by the guest's `guest!` invocation.
    fn ferrite_guest_main() -> !;
}

/// The Rust entry, called by entry.S in long mode with the start_info address.
#[unsafe(no_mangle)]
extern "C" fn guest_rust_start(start_info_paddr: u64) -> ! {
    let found = xen::init();
    console::init(match found {
        None => Sink::Ports,
        Some(_) => Sink::ConsoleIo,
    });
    idt::init();
    let mut raw = [0u8; core::mem::size_of::<HvmStartInfo>()];
    if read_phys(start_info_paddr, &mut raw) {
        // SAFETY: HvmStartInfo is plain integers (any bit pattern is valid) and `raw` has
        // exactly its size; read_unaligned copes with the byte array's alignment.
        let start_info = unsafe { core::ptr::read_unaligned(raw.as_ptr().cast::<HvmStartInfo>()) };
        BOOT.set(Boot {
            start_info_paddr,
            start_info,
        });
    }
    if found.is_some() && !xen::hypercalls_ready() {
        finish(
            Status::Error,
            Some(format_args!("the hypercall page was not filled in")),
        );
    }
    // SAFETY: `guest!` defines this function with exactly this signature.
    unsafe { ferrite_guest_main() }
}

#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    let (file, line) = info.location().map_or(("?", 0), |l| (l.file(), l.line()));
    crate::println!("PANIC at {file}:{line}: {}", info.message());
    finish(
        Status::Error,
        Some(format_args!("panic at {file}:{line}: {}", info.message())),
    )
}
