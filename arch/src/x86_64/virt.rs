//! Hardware virtualisation detection: AMD SVM (CPUID 0x8000000A; AMD APM vol. 2 §15) and
//! Intel VMX (the IA32_VMX_* MSRs; SDM vol. 3 appendix A). Detection only reads CPUID and,
//! when CPUID reports VMX, the VMX MSRs; it never sets EFER.SVME or CR4.VMXE.

use super::cpu::{self, cpuid};

/// SVM capabilities.
#[derive(Clone, Copy, Debug, Default)]
pub struct SvmCaps {
    pub revision: u32,
    pub asids: u32,
    pub features: u32,
    /// VM_CR.SVMDIS: firmware disabled SVM.
    pub disabled_by_firmware: bool,
}

/// SVM feature bits (CPUID 0x8000000A EDX) and Xen's names for them.
pub const SVM_FEATURES: &[(u32, &str)] = &[
    (0, "Nested Page Tables (NPT)"),
    (1, "Last Branch Record (LBR) Virtualisation"),
    (2, "SVM Lock"),
    (3, "Next-RIP Saved on #VMEXIT"),
    (4, "TSC Rate MSR"),
    (5, "VMCB Clean Bits"),
    (6, "Flush by ASID"),
    (7, "DecodeAssists"),
    (10, "Pause-Intercept Filter"),
    (12, "Pause-Intercept Filter Threshold"),
    (13, "AVIC"),
    (15, "Virtual VMLOAD/VMSAVE"),
    (16, "Virtual GIF"),
    (17, "Guest Mode Execute Trap"),
    (25, "VMCB Address Check"),
];

impl SvmCaps {
    pub fn npt(&self) -> bool {
        self.features & 1 != 0
    }
    pub fn nrips(&self) -> bool {
        self.features & (1 << 3) != 0
    }
}

/// VMX capabilities.
#[derive(Clone, Copy, Debug, Default)]
pub struct VmxCaps {
    pub basic: u64,
    pub ept: bool,
    pub vpid: bool,
    pub unrestricted: bool,
    /// IA32_FEATURE_CONTROL locked without VMX outside SMX: firmware disabled VMX.
    pub disabled_by_firmware: bool,
}

/// What this CPU offers.
#[derive(Clone, Copy, Debug, Default)]
pub struct VirtCaps {
    pub svm: Option<SvmCaps>,
    pub vmx: Option<VmxCaps>,
}

pub fn detect(f: &cpu::Features) -> VirtCaps {
    let mut caps = VirtCaps::default();
    if f.svm && f.max_ext_leaf >= 0x8000_000a {
        let r = cpuid(0x8000_000a, 0);
        // SAFETY: VM_CR exists on every CPU that reports SVM in CPUID.
        let vm_cr = unsafe { cpu::rdmsr(cpu::MSR_VM_CR) };
        caps.svm = Some(SvmCaps {
            revision: r.eax & 0xff,
            asids: r.ebx,
            features: r.edx,
            disabled_by_firmware: vm_cr & (1 << 4) != 0,
        });
    }
    if f.vmx {
        // SAFETY: these MSRs exist on every CPU that reports VMX in CPUID.1:ECX[5]; they are
        // read-only capability registers.
        let (fc, basic, proc, proc2, ept_vpid) = unsafe {
            (
                cpu::rdmsr(cpu::MSR_IA32_FEATURE_CONTROL),
                cpu::rdmsr(cpu::MSR_IA32_VMX_BASIC),
                cpu::rdmsr(cpu::MSR_IA32_VMX_PROCBASED_CTLS),
                cpu::rdmsr(cpu::MSR_IA32_VMX_PROCBASED_CTLS2),
                cpu::rdmsr(cpu::MSR_IA32_VMX_EPT_VPID_CAP),
            )
        };
        let secondary = proc & (1 << 63) != 0;
        let allowed2 = if secondary { proc2 >> 32 } else { 0 };
        caps.vmx = Some(VmxCaps {
            basic,
            ept: allowed2 & (1 << 1) != 0 && ept_vpid != 0,
            vpid: allowed2 & (1 << 5) != 0,
            unrestricted: allowed2 & (1 << 7) != 0,
            disabled_by_firmware: fc & 1 != 0 && fc & (1 << 2) == 0,
        });
    }
    caps
}
