//! The CPUID a guest sees: the host's leaves with what a guest must not see hidden, plus
//! Xen's leaves at 0x40000000 (`public/arch-x86/cpuid.h`; Xen's
//! `xen/arch/x86/cpuid.c` `cpuid_hypervisor_leaves`).

use ferrite_abi::arch_x86::cpuid::{
    XEN_CPUID_FIRST_LEAF, XEN_CPUID_MAX_NUM_LEAVES, XEN_CPUID_SIGNATURE_EBX,
    XEN_CPUID_SIGNATURE_ECX, XEN_CPUID_SIGNATURE_EDX, XEN_HVM_CPUID_DOMID_PRESENT,
    XEN_HVM_CPUID_UPCALL_VECTOR, XEN_HVM_CPUID_VCPU_ID_PRESENT,
};

/// The Xen version Ferrite presents (`XENVER_version`, CPUID base+1): 4.20.
pub const XEN_MAJOR: u32 = 4;
pub const XEN_MINOR: u32 = 20;

/// The MSR a guest writes to have its hypercall page filled (CPUID base+2 EBX).
pub const HYPERCALL_PAGE_MSR: u32 = 0x4000_0000;

/// Who is asking.
#[derive(Clone, Copy, Debug)]
pub struct Caller {
    pub domid: u16,
    pub vcpu: u32,
    /// The vCPU's CR4.OSXSAVE, which CPUID.1:ECX.OSXSAVE reflects.
    pub osxsave: bool,
    /// The vCPU's XCR0, which sizes the XSAVE area CPUID 0xD.0 reports.
    pub xcr0: u64,
}

/// `[eax, ebx, ecx, edx]` for `leaf`/`subleaf`, given the host's answer for the same leaf.
pub fn guest_cpuid(
    leaf: u32,
    subleaf: u32,
    host: impl Fn(u32, u32) -> [u32; 4],
    who: Caller,
) -> [u32; 4] {
    let base = XEN_CPUID_FIRST_LEAF;
    if (base..=base + 0xffff).contains(&leaf) {
        return xen_leaf(leaf - base, who);
    }
    let [eax, ebx, ecx, edx] = host(leaf, subleaf);
    match leaf {
        1 => {
            // Hide VMX (5), MONITOR (3), x2APIC (21) and TSC-deadline (24), which Ferrite does
            // not virtualise yet; say a hypervisor is present (31). EBX[31:24] is the initial
            // APIC ID: the vCPU number.
            let mut ecx = (ecx & !((1 << 5) | (1 << 3) | (1 << 21) | (1 << 24))) | (1 << 31);
            // OSXSAVE (27) mirrors the guest's CR4, not the host's, where XSAVE (26) exists.
            ecx &= !(1 << 27);
            if who.osxsave && ecx & (1 << 26) != 0 {
                ecx |= 1 << 27;
            }
            let ebx = (ebx & 0x00ff_ffff) | ((who.vcpu & 0xff) << 24);
            // No machine-check architecture (MCE 7, MCA 14): Ferrite has no virtual MCE
            // banks, so a guest must not go looking for them.
            let edx = edx & !((1 << 7) | (1 << 14));
            [eax, ebx, ecx, edx]
        }
        // MONITOR/MWAIT leaf: hidden with the feature.
        5 => [0; 4],
        // XSAVE: the area for the guest's own XCR0; no XSAVES (EAX bit 3), as guests have no
        // IA32_XSS to go with it.
        0xd if subleaf == 0 => [eax, xsave_area_size(who.xcr0, &host), ecx, edx],
        0xd if subleaf == 1 => [eax & !(1 << 3), ebx, ecx, edx],
        // Hide SVM (ECX bit 2) from the guest: no nested virtualisation.
        0x8000_0001 => [eax, ebx, ecx & !(1 << 2), edx],
        // The SVM feature leaf.
        0x8000_000a => [0; 4],
        _ => [eax, ebx, ecx, edx],
    }
}

/// The standard-format XSAVE area size for the components in `xcr0`: the end of the furthest
/// enabled component (its size and offset from CPUID 0xD, sub-leaf = component), at least
/// the 512-byte legacy region and the 64-byte header.
fn xsave_area_size(xcr0: u64, host: impl Fn(u32, u32) -> [u32; 4]) -> u32 {
    (2..63u32)
        .filter(|i| xcr0 & (1 << i) != 0)
        .map(|i| {
            let [size, offset, _, _] = host(0xd, i);
            offset.saturating_add(size)
        })
        .fold(512 + 64, u32::max)
}

fn xen_leaf(idx: u32, who: Caller) -> [u32; 4] {
    match idx {
        0 => [
            XEN_CPUID_FIRST_LEAF + XEN_CPUID_MAX_NUM_LEAVES,
            XEN_CPUID_SIGNATURE_EBX,
            XEN_CPUID_SIGNATURE_ECX,
            XEN_CPUID_SIGNATURE_EDX,
        ],
        1 => [(XEN_MAJOR << 16) | XEN_MINOR, 0, 0, 0],
        // One hypercall page, filled through MSR 0x40000000.
        2 => [1, HYPERCALL_PAGE_MSR, 0, 0],
        // TSC leaf: native TSC, no emulation (all zero flags).
        3 => [0; 4],
        4 => [
            // HVMOP_set_evtchn_upcall_vector works (the per-vCPU upcall vector).
            XEN_HVM_CPUID_VCPU_ID_PRESENT
                | XEN_HVM_CPUID_DOMID_PRESENT
                | XEN_HVM_CPUID_UPCALL_VECTOR,
            who.vcpu,
            u32::from(who.domid),
            0,
        ],
        _ => [0; 4],
    }
}

/// Xen's hypercall page: 32 bytes per hypercall, `mov $nr, %eax; vmmcall; ret` on AMD
/// (`vmcall` on Intel), the rest `int3` (`xen/arch/x86/hvm/svm/svm.c`
/// `svm_init_hypercall_page`).
pub fn hypercall_page(amd: bool) -> [u8; 4096] {
    let mut page = [0xcc_u8; 4096];
    for (nr, stub) in page.chunks_exact_mut(32).enumerate() {
        stub[0] = 0xb8;
        stub[1..5].copy_from_slice(&(nr as u32).to_le_bytes());
        stub[5..8].copy_from_slice(if amd {
            &[0x0f, 0x01, 0xd9]
        } else {
            &[0x0f, 0x01, 0xc1]
        });
        stub[8] = 0xc3;
    }
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(leaf: u32, _: u32) -> [u32; 4] {
        match leaf {
            1 => [0x800f12, 0x0102_0800, 0xffff_ffff, 0xffff_ffff],
            0x8000_0001 => [0, 0, 0xffff_ffff, 0],
            _ => [leaf, 1, 2, 3],
        }
    }

    const WHO: Caller = Caller {
        domid: 0,
        vcpu: 2,
        osxsave: false,
        xcr0: 1,
    };

    #[test]
    fn xen_leaves() {
        let sig = guest_cpuid(0x4000_0000, 0, host, WHO);
        let mut s = [0u8; 12];
        s[..4].copy_from_slice(&sig[1].to_le_bytes());
        s[4..8].copy_from_slice(&sig[2].to_le_bytes());
        s[8..].copy_from_slice(&sig[3].to_le_bytes());
        assert_eq!(&s, b"XenVMMXenVMM");
        assert!(sig[0] >= 0x4000_0002);
        assert_eq!(guest_cpuid(0x4000_0001, 0, host, WHO)[0], 0x0004_0014);
        assert_eq!(
            guest_cpuid(0x4000_0002, 0, host, WHO)[..2],
            [1, 0x4000_0000]
        );
        let hvm = guest_cpuid(0x4000_0004, 0, host, WHO);
        assert_eq!(hvm[1], 2);
    }

    #[test]
    fn hides_what_guests_must_not_see() {
        let l1 = guest_cpuid(1, 0, host, WHO);
        assert_eq!(l1[2] & (1 << 5), 0, "VMX");
        assert_ne!(l1[2] & (1 << 31), 0, "hypervisor bit");
        assert_eq!(l1[1] >> 24, 2, "APIC ID = vCPU");
        assert_eq!(l1[3] & ((1 << 7) | (1 << 14)), 0, "MCE, MCA");
        assert_ne!(l1[3] & (1 << 9), 0, "the local APIC stays");
        assert_eq!(
            guest_cpuid(0x8000_0001, 0, host, WHO)[2] & (1 << 2),
            0,
            "SVM"
        );
        assert_eq!(guest_cpuid(0x8000_000a, 0, host, WHO), [0; 4]);
        assert_eq!(guest_cpuid(7, 0, host, WHO), [7, 1, 2, 3]);
    }

    /// CPUID.1:ECX.OSXSAVE follows the guest's CR4, and leaf 0xD sizes the guest's XCR0.
    #[test]
    fn xsave_leaves_follow_the_guest() {
        let host = |leaf: u32, sub: u32| -> [u32; 4] {
            match (leaf, sub) {
                // XSAVE (26) and OSXSAVE (27) as the host has them.
                (1, _) => [0, 0, (1 << 26) | (1 << 27), 0],
                (0xd, 0) => [7, 2696, 2696, 0],
                (0xd, 1) => [0b1111, 0, 0, 0],
                (0xd, 2) => [256, 576, 0, 0],
                _ => [0; 4],
            }
        };
        let off = guest_cpuid(1, 0, host, WHO);
        assert_eq!(off[2] & (1 << 27), 0, "guest CR4.OSXSAVE clear");
        let on = Caller {
            osxsave: true,
            xcr0: 7,
            ..WHO
        };
        assert_ne!(guest_cpuid(1, 0, host, on)[2] & (1 << 27), 0);
        assert_eq!(guest_cpuid(0xd, 0, host, WHO)[1], 576, "x87 only");
        assert_eq!(guest_cpuid(0xd, 0, host, on), [7, 832, 2696, 0]);
        assert_eq!(guest_cpuid(0xd, 1, host, on)[0], 0b0111, "no XSAVES");
    }

    #[test]
    fn xsave_area_size_follows_the_enabled_components() {
        // AVX at 576 (256 bytes), AVX-512's three from 1088, PKRU at 2688 (8 bytes).
        let host = |leaf: u32, sub: u32| -> [u32; 4] {
            assert_eq!(leaf, 0xd);
            match sub {
                2 => [256, 576, 0, 0],
                5 => [64, 1088, 0, 0],
                6 => [512, 1152, 0, 0],
                7 => [1024, 1664, 0, 0],
                9 => [8, 2688, 0, 0],
                _ => [0; 4],
            }
        };
        assert_eq!(xsave_area_size(0b11, host), 576);
        assert_eq!(xsave_area_size(0b111, host), 832);
        assert_eq!(xsave_area_size(0b1110_0111, host), 2688);
        assert_eq!(xsave_area_size(0b10_0000_0111, host), 2696);
    }

    #[test]
    fn hypercall_page_layout() {
        let p = hypercall_page(true);
        // xen_version is hypercall 17: mov $17, %eax; vmmcall; ret
        assert_eq!(
            &p[17 * 32..17 * 32 + 9],
            &[0xb8, 17, 0, 0, 0, 0x0f, 0x01, 0xd9, 0xc3]
        );
        assert_eq!(p[17 * 32 + 9], 0xcc);
        let i = hypercall_page(false);
        assert_eq!(&i[5..8], &[0x0f, 0x01, 0xc1]);
    }
}
