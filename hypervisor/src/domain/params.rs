//! A domain's HVM parameters (`public/hvm/params.h`) with Xen's access rules for
//! `HVMOP_set_param` / `HVMOP_get_param` (Xen's `xen/arch/x86/hvm/hvm.c`,
//! `hvm_allow_set_param` / `hvm_allow_get_param`): which indices the guest may set or read on
//! itself, which are deprecated, and which may be written only once.

use ferrite_abi::Errno;
use ferrite_abi::hvm::params::{
    HVM_NR_PARAMS, HVM_PARAM_CALLBACK_IRQ_TYPE_MASK, HVM_PARAM_CALLBACK_TYPE_VECTOR, HvmParam,
};

/// Where the guest wants its event-channel upcall (`HVM_PARAM_CALLBACK_IRQ`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Callback {
    /// Not set: events stay pending in shared_info until the guest looks.
    None,
    /// An IDT vector injected directly (`HVM_PARAM_CALLBACK_TYPE_VECTOR`).
    Vector(u8),
    /// A GSI or PCI INTx line (emulated interrupt controllers do not exist yet: recorded,
    /// not delivered).
    Line(u64),
}

/// Who is asking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Caller {
    /// The domain about itself.
    SelfDomain,
    /// A privileged domain (the toolstack) about another.
    Toolstack,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HvmParams {
    values: [u64; HVM_NR_PARAMS as usize],
}

impl Default for HvmParams {
    fn default() -> Self {
        HvmParams {
            values: [0; HVM_NR_PARAMS as usize],
        }
    }
}

fn deprecated(p: HvmParam) -> bool {
    use HvmParam::*;
    matches!(
        p,
        PaeEnabled
            | DmDomain
            | MemoryEventCr0
            | MemoryEventCr3
            | MemoryEventCr4
            | MemoryEventInt3
            | Nestedhvm
            | MemoryEventSingleStep
            | BufioreqEvtchn
            | MemoryEventMsr
    )
}

fn index(i: u32) -> Result<(usize, Option<HvmParam>), Errno> {
    if i >= HVM_NR_PARAMS {
        return Err(Errno::EINVAL);
    }
    // Holes in the numbering (3, 7, 8) are valid indices with no meaning.
    Ok((i as usize, HvmParam::try_from(i).ok()))
}

impl HvmParams {
    /// `HVMOP_set_param`.
    pub fn set(&mut self, caller: Caller, i: u32, value: u64) -> Result<(), Errno> {
        use HvmParam::*;
        let (slot, p) = index(i)?;
        match p {
            Some(
                CallbackIrq | Vm86Tss | Vm86TssSized | AcpiIoportsLocation | VmGenerationIdAddr
                | StoreEvtchn | ConsoleEvtchn | X87FipWidth,
            ) => {}
            Some(Altp2m) => return Err(Errno::EEXIST),
            Some(p) if deprecated(p) => return Err(Errno::EINVAL),
            _ if caller == Caller::SelfDomain => return Err(Errno::EPERM),
            _ => {}
        }
        let old = self.values.get(slot).copied().unwrap_or(0);
        if matches!(
            p,
            Some(Viridian | IoreqPfn | BufioreqPfn | IoreqServerPfn | NrIoreqServerPages | McaCap)
        ) && old != 0
            && old != value
        {
            return Err(Errno::EEXIST);
        }
        match p {
            Some(TimerMode) if value > 3 => return Err(Errno::EINVAL),
            // Viridian enlightenments are not built in (Xen without CONFIG_VIRIDIAN).
            Some(Viridian) => return Err(Errno::ENODEV),
            _ => {}
        }
        if let Some(v) = self.values.get_mut(slot) {
            *v = value;
        }
        Ok(())
    }

    /// `HVMOP_get_param`.
    pub fn get(&self, caller: Caller, i: u32) -> Result<u64, Errno> {
        use HvmParam::*;
        let (slot, p) = index(i)?;
        match p {
            Some(
                CallbackIrq | Vm86Tss | Vm86TssSized | AcpiIoportsLocation | VmGenerationIdAddr
                | StorePfn | StoreEvtchn | ConsolePfn | ConsoleEvtchn | Altp2m | X87FipWidth,
            ) => {}
            Some(p) if deprecated(p) => return Err(Errno::EINVAL),
            _ if caller == Caller::SelfDomain => return Err(Errno::EPERM),
            _ => {}
        }
        Ok(self.values.get(slot).copied().unwrap_or(0))
    }

    /// Sets a parameter as the domain builder does (no access rules).
    pub fn init(&mut self, p: HvmParam, value: u64) {
        if let Some(v) = self.values.get_mut(p.raw() as usize) {
            *v = value;
        }
    }

    /// How event-channel upcalls reach the domain.
    pub fn callback(&self) -> Callback {
        let v = self.values[HvmParam::CallbackIrq as usize];
        match v & HVM_PARAM_CALLBACK_IRQ_TYPE_MASK {
            0 if v == 0 => Callback::None,
            t if t == HVM_PARAM_CALLBACK_TYPE_VECTOR << 56 => Callback::Vector(v as u8),
            _ => Callback::Line(v),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Caller::*;

    #[test]
    fn guest_may_set_only_its_own_kind() {
        let mut p = HvmParams::default();
        assert_eq!(p.set(SelfDomain, 0, (2 << 56) | 0xf3), Ok(()));
        assert_eq!(p.callback(), Callback::Vector(0xf3));
        assert_eq!(p.get(SelfDomain, 0), Ok((2 << 56) | 0xf3));
        // The xenstore frame: toolstack only; readable by the guest.
        assert_eq!(p.set(SelfDomain, 1, 0x1000), Err(Errno::EPERM));
        assert_eq!(p.set(Toolstack, 1, 0x1000), Ok(()));
        assert_eq!(p.get(SelfDomain, 1), Ok(0x1000));
        // Deprecated, out of range, read-only, private.
        assert_eq!(p.set(SelfDomain, 4, 1), Err(Errno::EINVAL));
        assert_eq!(p.get(Toolstack, 24), Err(Errno::EINVAL));
        assert_eq!(p.set(SelfDomain, HVM_NR_PARAMS, 1), Err(Errno::EINVAL));
        assert_eq!(p.get(SelfDomain, u32::MAX), Err(Errno::EINVAL));
        assert_eq!(p.set(Toolstack, 35, 1), Err(Errno::EEXIST));
        assert_eq!(p.get(SelfDomain, 12), Err(Errno::EPERM));
        assert_eq!(p.get(SelfDomain, 7), Err(Errno::EPERM), "a hole");
    }

    #[test]
    fn write_once_and_checked_values() {
        let mut p = HvmParams::default();
        assert_eq!(p.set(Toolstack, 5, 0x10), Ok(()));
        assert_eq!(p.set(Toolstack, 5, 0x10), Ok(()), "same value again");
        assert_eq!(p.set(Toolstack, 5, 0x20), Err(Errno::EEXIST));
        assert_eq!(p.set(Toolstack, 10, 4), Err(Errno::EINVAL));
        assert_eq!(p.set(Toolstack, 10, 3), Ok(()));
        assert_eq!(p.set(Toolstack, 9, 1), Err(Errno::ENODEV));
    }

    #[test]
    fn callback_kinds() {
        let mut p = HvmParams::default();
        assert_eq!(p.callback(), Callback::None);
        p.init(HvmParam::CallbackIrq, 5);
        assert_eq!(p.callback(), Callback::Line(5));
        p.init(HvmParam::CallbackIrq, (1 << 56) | 0x18);
        assert_eq!(p.callback(), Callback::Line((1 << 56) | 0x18));
    }
}
