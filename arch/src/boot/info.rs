//! What every boot path hands to the kernel: one [`BootInfo`], whichever loader started us.
//!
//! Mirrors the loader-independent part of Xen's `struct boot_info`
//! (`xen/arch/x86/include/asm/bootinfo.h`) and what `__start_xen` (`xen/arch/x86/setup.c`) checks
//! about modules. Strings stay where the loader put them: [`PhysStr`] is an address and a length
//! (without the NUL), found by scanning at most [`STRING_MAX`] bytes. The kernel turns it into a
//! slice through its identity map, or copies it; a bounded copy here would cost 4 KiB of early
//! stack per string and buy nothing, since the boot structures stay reserved (see
//! [`BootInfo::boot_ranges`]) until the kernel has parsed them.
//!
//! Nothing here allocates; capacities are the consts below.

use core::fmt;
use core::ops::Range;

use crate::mm::memmap::{MapRepair, MemoryMap};

/// Most boot modules kept (more are reported and ignored).
pub const MAX_MODULES: usize = 16;
/// Most physical ranges recorded for the boot structures themselves.
pub const MAX_BOOT_RANGES: usize = 48;
/// Longest string scanned for its NUL (command lines, module strings, loader names). Xen keeps
/// 1024 bytes of its own command line (`xen_commandline_t`, `public/version.h`); we accept the
/// 4 KiB page the PVH and multiboot loaders commonly use, and let the parser apply its limit.
pub const STRING_MAX: u64 = 4096;
/// Most raw memory-map entries read from one source (firmware maps hold a few hundred).
pub const MAX_RAW_MMAP_ENTRIES: u64 = 4096;
/// Length of an ACPI 1.0 RSDP.
pub const RSDP_V1_LEN: usize = 20;
/// Length of an ACPI 2.0+ RSDP (XSDP).
pub const RSDP_V2_LEN: usize = 36;

/// Which boot protocol started Ferrite.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Loader {
    /// Multiboot 1 (GRUB legacy, QEMU `-kernel`, iPXE).
    Multiboot1,
    /// Multiboot 2; `efi` when the loader passed EFI tags (system table or EFI memory map).
    Multiboot2 { efi: bool },
    /// Xen's PVH boot ABI (`hvm_start_info`), as QEMU uses for an ELF with the PVH note.
    Pvh,
    /// A flattened device tree (Arm), later.
    Fdt,
}

impl Loader {
    /// A short name for the boot banner.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Multiboot1 => "multiboot1",
            Self::Multiboot2 { efi: false } => "multiboot2",
            Self::Multiboot2 { efi: true } => "multiboot2 (EFI)",
            Self::Pvh => "PVH",
            Self::Fdt => "device tree",
        }
    }
}

/// A physical byte range `[start, end)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PhysRange {
    /// First byte.
    pub start: u64,
    /// One past the last byte.
    pub end: u64,
}

impl PhysRange {
    /// As a `Range`.
    pub const fn as_range(self) -> Range<u64> {
        self.start..self.end
    }
}

/// A string in physical memory: `len` bytes at `paddr`, NUL not included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PhysStr {
    /// Address of the first byte.
    pub paddr: u64,
    /// Bytes before the NUL (at most [`STRING_MAX`]).
    pub len: u64,
}

impl PhysStr {
    /// The bytes as a range (`paddr + len` is checked not to wrap when the string is found).
    pub const fn range(self) -> Range<u64> {
        self.paddr..self.paddr.saturating_add(self.len)
    }
}

/// A boot module (dom0 kernel, initrd, XSM policy, microcode, ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Module {
    /// First byte.
    pub start: u64,
    /// One past the last byte.
    pub end: u64,
    /// The module's string (its command line), if the loader gave one.
    pub cmdline: Option<PhysStr>,
}

/// Where the ACPI RSDP is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rsdp {
    /// The firmware's RSDP is at this address (PVH `rsdp_paddr`).
    Address(u64),
    /// The loader copied the RSDP into the boot information (multiboot2 tag 14 or 15): the
    /// copy's bytes, how many are valid (20 or up to 36), and where the copy itself lives.
    Copy {
        paddr: u64,
        bytes: [u8; RSDP_V2_LEN],
        len: usize,
    },
}

impl Rsdp {
    /// A physical address holding an RSDP (the firmware's or the loader's copy).
    pub const fn paddr(&self) -> u64 {
        match *self {
            Self::Address(paddr) | Self::Copy { paddr, .. } => paddr,
        }
    }

    /// The loader's copy of the RSDP bytes, if this is one.
    pub fn copy_bytes(&self) -> Option<&[u8]> {
        match self {
            Self::Address(_) => None,
            Self::Copy { bytes, len, .. } => bytes.get(..*len),
        }
    }
}

/// The EFI system table pointer (multiboot2 tag 11 or 12).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EfiSystemTable {
    /// Its physical address.
    pub paddr: u64,
    /// Whether it is a 64-bit table (tag 12) rather than a 32-bit one (tag 11).
    pub is_64bit: bool,
}

/// The loader's linear framebuffer (multiboot1 flag 12, multiboot2 tag 8).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Framebuffer {
    /// Physical address.
    pub paddr: u64,
    /// Bytes per line.
    pub pitch: u32,
    /// Pixels per line.
    pub width: u32,
    /// Lines.
    pub height: u32,
    /// Bits per pixel.
    pub bpp: u8,
    /// 0 indexed, 1 direct RGB, 2 EGA text.
    pub kind: u8,
}

/// A problem in a module found by [`BootInfo::validate`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModuleProblem {
    /// Zero length, or its end lies before its start.
    Empty,
    /// It overlaps Ferrite's own image.
    OverlapsImage,
    /// It overlaps module `index` (original numbering), which was kept.
    OverlapsModule { index: usize },
    /// Part of it is not RAM in the memory map.
    OutsideRam,
}

/// A non-fatal finding of a boot-info reader; the kernel prints each as a warning.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BootDiag {
    /// The memory map repaired an entry.
    Memmap(MapRepair),
    /// The loader passed `count` modules; those past [`MAX_MODULES`] are ignored.
    TooManyModules { count: u64 },
    /// Module `index` (the loader's numbering) `[start, end)` was dropped.
    ModuleDropped {
        index: usize,
        start: u64,
        end: u64,
        problem: ModuleProblem,
    },
    /// A string has no NUL within its bound; it was cut at the bound.
    StringUnterminated { what: &'static str, paddr: u64 },
    /// A table pointer is null although its count is not; the table was ignored.
    NullPointer { what: &'static str },
    /// A string (or another optional field) could not be read; it was ignored.
    Unreadable { what: &'static str, paddr: u64 },
    /// [`MAX_BOOT_RANGES`] was reached; this boot-structure range is not recorded.
    BootRangesFull { start: u64, end: u64 },
    /// A multiboot2 tag of an unknown type was skipped.
    UnknownTag { ty: u32, offset: u32 },
    /// A multiboot2 tag is too short for its type (or its entries are malformed); ignored.
    BadTag { ty: u32, offset: u32, size: u32 },
    /// The multiboot2 information has no end tag before `total_size`.
    MissingEndTag,
    /// A memory map source held more than [`MAX_RAW_MMAP_ENTRIES`] entries; the rest were
    /// ignored.
    TooManyMmapEntries { what: &'static str },
    /// A memory map entry (multiboot1 size-prefixed) has an impossible size; the rest of the map
    /// was ignored.
    BadMmapEntry {
        what: &'static str,
        paddr: u64,
        size: u32,
    },
    /// No memory map was given; one was made from the basic lower/upper sizes.
    SynthesizedMemoryMap { lower_kib: u32, upper_kib: u32 },
    /// No memory map and no basic memory information were given.
    NoMemoryMap,
    /// A structure has a newer version than the reader knows; it was read as the newest known.
    NewerVersion { what: &'static str, version: u32 },
}

impl fmt::Display for BootDiag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Memmap(r) => r.fmt(f),
            Self::TooManyModules { count } => {
                write!(
                    f,
                    "{count} boot modules; only the first {MAX_MODULES} are used"
                )
            }
            Self::ModuleDropped {
                index,
                start,
                end,
                problem,
            } => {
                write!(f, "boot module {index} [{start:#x}, {end:#x}) dropped: ")?;
                match problem {
                    ModuleProblem::Empty => write!(f, "empty"),
                    ModuleProblem::OverlapsImage => write!(f, "overlaps the Ferrite image"),
                    ModuleProblem::OverlapsModule { index } => {
                        write!(f, "overlaps boot module {index}")
                    }
                    ModuleProblem::OutsideRam => write!(f, "not in RAM"),
                }
            }
            Self::StringUnterminated { what, paddr } => {
                write!(
                    f,
                    "{what} at {paddr:#x} has no NUL in {STRING_MAX} bytes; truncated"
                )
            }
            Self::NullPointer { what } => write!(f, "{what} pointer is null; ignored"),
            Self::Unreadable { what, paddr } => write!(f, "{what} at {paddr:#x} unreadable"),
            Self::BootRangesFull { start, end } => {
                write!(
                    f,
                    "too many boot ranges; [{start:#x}, {end:#x}) not reserved"
                )
            }
            Self::UnknownTag { ty, offset } => {
                write!(
                    f,
                    "multiboot2: skipped unknown tag {ty} at offset {offset:#x}"
                )
            }
            Self::BadTag { ty, offset, size } => write!(
                f,
                "multiboot2: ignored malformed tag {ty} (size {size:#x}) at offset {offset:#x}"
            ),
            Self::MissingEndTag => write!(f, "multiboot2: no end tag"),
            Self::TooManyMmapEntries { what } => {
                write!(
                    f,
                    "{what}: more than {MAX_RAW_MMAP_ENTRIES} entries; rest ignored"
                )
            }
            Self::BadMmapEntry { what, paddr, size } => {
                write!(
                    f,
                    "{what}: entry at {paddr:#x} has bad size {size}; rest ignored"
                )
            }
            Self::SynthesizedMemoryMap {
                lower_kib,
                upper_kib,
            } => write!(
                f,
                "no memory map: using {lower_kib} KiB low and {upper_kib} KiB high memory"
            ),
            Self::NoMemoryMap => write!(f, "the loader passed no memory information"),
            Self::NewerVersion { what, version } => {
                write!(
                    f,
                    "{what} version {version} is newer than known; reading as known"
                )
            }
        }
    }
}

/// Everything the loader told us. Build it with [`BootInfo::new`] in a static (it is several
/// KiB) and fill it with one of the readers (`multiboot1::parse`, `multiboot2::parse`,
/// `pvh::parse`).
#[derive(Clone, Debug)]
pub struct BootInfo {
    /// Which protocol.
    pub loader: Loader,
    /// The loader's name (multiboot), if given.
    pub loader_name: Option<PhysStr>,
    /// Ferrite's command line as the loader passed it (see [`cook_cmdline`]).
    pub cmdline: Option<PhysStr>,
    modules: [Module; MAX_MODULES],
    module_count: usize,
    /// The merged memory map.
    pub memory_map: MemoryMap,
    /// Basic memory sizes in KiB (multiboot `mem_lower`/`mem_upper`), if given.
    pub basic_mem_kib: Option<(u32, u32)>,
    /// The ACPI RSDP.
    pub rsdp: Option<Rsdp>,
    /// The EFI system table.
    pub efi_system_table: Option<EfiSystemTable>,
    /// The EFI image handle (multiboot2 tags 19/20).
    pub efi_image_handle: Option<u64>,
    /// EFI boot services are still running (multiboot2 tag 18): the kernel must call
    /// `ExitBootServices` before it uses boot-services memory, which the map lists as RAM.
    pub efi_boot_services_active: bool,
    /// Where the loader placed a relocatable image (multiboot2 tag 21).
    pub load_base: Option<u64>,
    /// The framebuffer.
    pub framebuffer: Option<Framebuffer>,
    boot_ranges: [PhysRange; MAX_BOOT_RANGES],
    boot_range_count: usize,
}

impl BootInfo {
    const NO_MODULE: Module = Module {
        start: 0,
        end: 0,
        cmdline: None,
    };
    const NO_RANGE: PhysRange = PhysRange { start: 0, end: 0 };

    /// An empty record for `loader`.
    pub const fn new(loader: Loader) -> Self {
        Self {
            loader,
            loader_name: None,
            cmdline: None,
            modules: [Self::NO_MODULE; MAX_MODULES],
            module_count: 0,
            memory_map: MemoryMap::new(),
            basic_mem_kib: None,
            rsdp: None,
            efi_system_table: None,
            efi_image_handle: None,
            efi_boot_services_active: false,
            load_base: None,
            framebuffer: None,
            boot_ranges: [Self::NO_RANGE; MAX_BOOT_RANGES],
            boot_range_count: 0,
        }
    }

    /// Empties the record in place (no large temporary on the stack).
    pub fn reset(&mut self, loader: Loader) {
        self.loader = loader;
        self.loader_name = None;
        self.cmdline = None;
        self.module_count = 0;
        self.memory_map.clear();
        self.basic_mem_kib = None;
        self.rsdp = None;
        self.efi_system_table = None;
        self.efi_image_handle = None;
        self.efi_boot_services_active = false;
        self.load_base = None;
        self.framebuffer = None;
        self.boot_range_count = 0;
    }

    /// The modules, in the loader's order (minus any [`Self::validate`] dropped).
    pub fn modules(&self) -> &[Module] {
        self.modules.get(..self.module_count).unwrap_or(&[])
    }

    /// Appends a module; `false` when [`MAX_MODULES`] are already held.
    pub fn push_module(&mut self, module: Module) -> bool {
        let Some(slot) = self.modules.get_mut(self.module_count) else {
            return false;
        };
        *slot = module;
        self.module_count += 1;
        true
    }

    /// The physical ranges the boot structures occupy (information structure, module list,
    /// memory map, strings), to keep away from the frame allocator until they are parsed.
    pub fn boot_ranges(&self) -> &[PhysRange] {
        self.boot_ranges.get(..self.boot_range_count).unwrap_or(&[])
    }

    /// Records a boot-structure range; empty ranges are ignored.
    pub fn push_boot_range(&mut self, range: Range<u64>, diag: &mut dyn FnMut(BootDiag)) {
        if range.start >= range.end {
            return;
        }
        match self.boot_ranges.get_mut(self.boot_range_count) {
            Some(slot) => {
                *slot = PhysRange {
                    start: range.start,
                    end: range.end,
                };
                self.boot_range_count += 1;
            }
            None => diag(BootDiag::BootRangesFull {
                start: range.start,
                end: range.end,
            }),
        }
    }

    /// Drops every module that is empty, overlaps Ferrite's `image`, lies outside RAM (checked
    /// only when the map has RAM at all), or overlaps an earlier module that was kept; each drop
    /// is reported with the module's original index and range.
    pub fn validate(&mut self, image: Range<u64>, diag: &mut dyn FnMut(BootDiag)) {
        let check_ram = self.memory_map.totals().ram > 0;
        let mut original = [0usize; MAX_MODULES];
        let mut kept = 0;
        for index in 0..self.module_count {
            let Some(&m) = self.modules.get(index) else {
                break;
            };
            let problem = if m.end <= m.start {
                Some(ModuleProblem::Empty)
            } else if m.start < image.end && image.start < m.end {
                Some(ModuleProblem::OverlapsImage)
            } else if check_ram && !self.memory_map.is_ram(m.start..m.end) {
                Some(ModuleProblem::OutsideRam)
            } else {
                let earlier = self.modules.get(..kept).unwrap_or(&[]);
                earlier
                    .iter()
                    .zip(original)
                    .find(|(k, _)| m.start < k.end && k.start < m.end)
                    .map(|(_, index)| ModuleProblem::OverlapsModule { index })
            };
            match problem {
                Some(problem) => diag(BootDiag::ModuleDropped {
                    index,
                    start: m.start,
                    end: m.end,
                    problem,
                }),
                None => {
                    if let (Some(slot), Some(orig)) =
                        (self.modules.get_mut(kept), original.get_mut(kept))
                    {
                        *slot = m;
                        *orig = index;
                        kept += 1;
                    }
                }
            }
        }
        self.module_count = kept;
    }

    /// The ranges the frame allocator must not hand out: the first page, Ferrite's `image`,
    /// every module and every boot-structure range. The caller may push more.
    pub fn reserved_ranges(&self, image: Range<u64>) -> ReservedRanges {
        let mut out = ReservedRanges::new();
        out.push(0..4096);
        out.push(image);
        for m in self.modules() {
            out.push(m.start..m.end);
        }
        for r in self.boot_ranges() {
            out.push(r.as_range());
        }
        out
    }
}

/// Capacity of [`ReservedRanges`].
pub const MAX_RESERVED_RANGES: usize = 2 + MAX_MODULES + MAX_BOOT_RANGES + 14;

/// A fixed-capacity list of byte ranges for `FrameAllocator::init`.
#[derive(Clone, Debug)]
pub struct ReservedRanges {
    items: [Range<u64>; MAX_RESERVED_RANGES],
    len: usize,
}

impl Default for ReservedRanges {
    fn default() -> Self {
        Self::new()
    }
}

impl ReservedRanges {
    /// An empty list.
    pub const fn new() -> Self {
        Self {
            items: [const { 0..0 }; MAX_RESERVED_RANGES],
            len: 0,
        }
    }

    /// Adds a range; `false` when the list is full. Empty ranges are accepted and ignored.
    pub fn push(&mut self, range: Range<u64>) -> bool {
        if range.start >= range.end {
            return true;
        }
        let Some(slot) = self.items.get_mut(self.len) else {
            return false;
        };
        *slot = range;
        self.len += 1;
        true
    }

    /// The ranges.
    pub fn as_slice(&self) -> &[Range<u64>] {
        self.items.get(..self.len).unwrap_or(&[])
    }
}

/// Xen's `cmdline_cook`: strips leading spaces and, unless the loader is known not to prepend
/// it (PVH, or GRUB 2 whose name contains `"GRUB "` followed by anything but `0`), the image
/// name that multiboot loaders such as GRUB legacy and QEMU put first.
pub fn cook_cmdline<'a>(cmdline: &'a [u8], loader: Loader, loader_name: &[u8]) -> &'a [u8] {
    let skip_spaces = |s: &'a [u8]| {
        let n = s.iter().take_while(|&&b| b == b' ').count();
        s.get(n..).unwrap_or(&[])
    };
    let line = skip_spaces(cmdline);
    let is_grub2 = loader_name
        .windows(5)
        .position(|w| w == b"GRUB ")
        .is_some_and(|at| loader_name.get(at + 5) != Some(&b'0'));
    if matches!(loader, Loader::Pvh | Loader::Fdt) || is_grub2 {
        return line;
    }
    let word = line.iter().take_while(|&&b| b != b' ').count();
    skip_spaces(line.get(word..).unwrap_or(&[]))
}

/// Finds a string for a reader: scans at most [`STRING_MAX`] bytes, reports a missing NUL or an
/// unreadable pointer, and records its range as a boot range. A null pointer means "none".
pub(crate) fn find_string(
    mem: &dyn super::phys::PhysRead,
    paddr: u64,
    what: &'static str,
    info: &mut BootInfo,
    diag: &mut dyn FnMut(BootDiag),
) -> Option<PhysStr> {
    if paddr == 0 {
        return None;
    }
    let limit = STRING_MAX.min(u64::MAX - paddr);
    match super::phys::scan_c_string(mem, paddr, limit) {
        Ok(s) => {
            if !s.terminated {
                diag(BootDiag::StringUnterminated { what, paddr });
            }
            // Include the NUL when there is one: it belongs to the structure too.
            let end = (paddr + s.len).saturating_add(u64::from(s.terminated));
            info.push_boot_range(paddr..end, diag);
            Some(PhysStr { paddr, len: s.len })
        }
        Err(_) => {
            diag(BootDiag::Unreadable { what, paddr });
            None
        }
    }
}

#[cfg(test)]
mod tests;
