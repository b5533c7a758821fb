//! The host's MMIO for the hardware domain (Xen maps a PVH dom0's non-RAM address space 1:1:
//! `xen/arch/x86/hvm/dom0_build.c`, `pvh_setup_p2m` and the identity maps of
//! `xen/drivers/passthrough/x86/iommu.c`). Ferrite maps it on first touch: a nested page
//! fault by dom0 on an address that is neither its memory nor host RAM nor a device Ferrite
//! emulates (the local APIC, the I/O APICs) or keeps (the HPET) becomes an uncached 1:1 mapping, and the access
//! is retried. Firmware reads PCI, HPET and chipset registers this way from its AML.
//! A frame populated as RAM first stays RAM; a populate over mapped MMIO is refused.

use ferrite_arch::x86_64::paging::{PAGE_2M, PAGE_4K, Perms};
use ferrite_arch::x86_64::{space, vlapic};

use super::build::Domain;

/// The end of the guest-physical space nested paging maps (46 bits): neither host MMIO nor
/// populated RAM goes above it.
pub(super) const GPA_LIMIT: u64 = 1 << 46;

impl Domain {
    /// Whether `[start, end)` may be mapped 1:1 into this domain as host MMIO.
    pub(super) fn host_mmio(&self, start: u64, end: u64) -> bool {
        let overlaps = |&(s, e): &(u64, u64)| start < e && s < end;
        let m = &self.mem;
        self.core.privileged
            && end <= GPA_LIMIT
            && start >= m.ram_bytes
            && !m.extra.range(start >> 12..end.div_ceil(4096)).any(|_| true)
            && !self.host_ram.iter().any(overlaps)
            && !self.reserved.iter().any(overlaps)
            && !self.kept_mmio.iter().any(overlaps)
            && !overlaps(&(vlapic::BASE, vlapic::BASE + PAGE_4K))
            && !self
                .vioapics
                .iter()
                .any(|io| overlaps(&(io.base & !0xfff, (io.base & !0xfff) + PAGE_4K)))
    }

    /// Whether `gpa` is in host MMIO already mapped 1:1 (which a populate must not replace).
    pub(super) fn mmio_mapped_at(&self, gpa: u64) -> bool {
        self.mmio_mapped.iter().any(|&(s, e)| (s..e).contains(&gpa))
    }

    /// Maps the host MMIO around `gpa` 1:1 (a 2 MiB page where all of it qualifies, else
    /// 4 KiB); false if `gpa` is not host MMIO dom0 may reach.
    pub(super) fn map_host_mmio(&mut self, gpa: u64) -> bool {
        let big = gpa & !(PAGE_2M - 1);
        let (start, len) = if self.host_mmio(big, big + PAGE_2M) {
            (big, PAGE_2M)
        } else {
            (gpa & !(PAGE_4K - 1), PAGE_4K)
        };
        if !self.host_mmio(start, start + len) {
            return false;
        }
        match space::nested_map(&self.npt, start, start, len, Perms::MMIO) {
            Ok(()) => {
                self.mmio_mapped.push((start, start + len));
                log::debug!(
                    "d{}: host MMIO [{start:#x}, {:#x}) mapped 1:1",
                    self.core.id,
                    start + len
                );
                true
            }
            Err(e) => {
                log::warn!(
                    "d{}: cannot map host MMIO at {start:#x}: {e:?}",
                    self.core.id
                );
                false
            }
        }
    }
}
