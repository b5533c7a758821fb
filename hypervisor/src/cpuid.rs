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
            let ecx = (ecx & !((1 << 5) | (1 << 3) | (1 << 21) | (1 << 24))) | (1 << 31);
            let ebx = (ebx & 0x00ff_ffff) | ((who.vcpu & 0xff) << 24);
            // No machine-check architecture (MCE 7, MCA 14): Ferrite has no virtual MCE
            // banks, so a guest must not go looking for them.
            let edx = edx & !((1 << 7) | (1 << 14));
            [eax, ebx, ecx, edx]
        }
        // MONITOR/MWAIT leaf: hidden with the feature.
        5 => [0; 4],
        // Hide SVM (ECX bit 2) from the guest: no nested virtualisation.
        0x8000_0001 => [eax, ebx, ecx & !(1 << 2), edx],
        // The SVM feature leaf.
        0x8000_000a => [0; 4],
        _ => [eax, ebx, ecx, edx],
    }
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

    const WHO: Caller = Caller { domid: 0, vcpu: 2 };

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
