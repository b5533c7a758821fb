//! `HYPERVISOR_xen_version` (`public/version.h`; Xen's `xen/common/kernel.c`
//! `do_xen_version`).

use ferrite_abi::Errno;
use ferrite_abi::features::XenFeat;
use ferrite_abi::version::XenverCmd;

use super::Guest;
use crate::cpuid::{XEN_MAJOR, XEN_MINOR};

const EXTRAVERSION: &[u8] = b".0-ferrite";
const CAPABILITIES: &[u8] = b"hvm-3.0-x86_64 hvm-3.0-x86_32 hvm-3.0-x86_32p";
const CHANGESET: &[u8] = b"ferrite";

/// The XENFEAT bits Ferrite implements for this guest (submap 0): exactly these.
pub fn features<G: Guest>(g: &G) -> u32 {
    // Nested paging (auto-translated), event upcalls through an IDT vector, a
    // vcpu_time_info that is safe to use as the guest's clock, and the runstate and time
    // areas registered by guest-physical address (`VCPUOP_register_*_phys_area`).
    let mut f = (1u32 << (XenFeat::AutoTranslatedPhysmap as u32))
        | (1 << (XenFeat::HvmCallbackVector as u32))
        | (1 << (XenFeat::HvmSafePvclock as u32))
        | (1 << (XenFeat::RunstatePhysArea as u32))
        | (1 << (XenFeat::VcpuTimePhysArea as u32));
    if g.privileged() {
        f |= 1 << (XenFeat::Dom0 as u32);
    }
    f
}

/// Copies `s` into a fixed `len`-byte buffer at `gva`, NUL-padded (Xen's fixed-size strings).
fn copy_fixed<G: Guest>(g: &mut G, gva: u64, s: &[u8], len: usize) -> Result<i64, Errno> {
    let mut buf = alloc::vec![0u8; len];
    let n = s.len().min(len.saturating_sub(1));
    buf[..n].copy_from_slice(&s[..n]);
    g.copy_to(gva, &buf)?;
    Ok(0)
}

/// The 4.20 `xen_varbuf` sub-ops: `len` in, the string's length out.
fn varbuf<G: Guest>(g: &mut G, gva: u64, s: &[u8]) -> Result<i64, Errno> {
    let mut l = [0u8; 4];
    g.copy_from(gva, &mut l)?;
    let user_len = u32::from_le_bytes(l) as usize;
    if user_len != 0 {
        if user_len < s.len() {
            return Err(Errno::ENOBUFS);
        }
        g.copy_to(gva.checked_add(4).ok_or(Errno::EFAULT)?, s)?;
    }
    Ok(s.len() as i64)
}

pub fn xen_version<G: Guest>(g: &mut G, a: &[u64; 5]) -> Result<i64, Errno> {
    let cmd = u32::try_from(a[0]).map_err(|_| Errno::ENOSYS)?;
    let arg = a[1];
    match XenverCmd::try_from(cmd).map_err(|_| Errno::ENOSYS)? {
        XenverCmd::Version => Ok(i64::from((XEN_MAJOR << 16) | XEN_MINOR)),
        XenverCmd::Extraversion => copy_fixed(g, arg, EXTRAVERSION, 16),
        XenverCmd::CompileInfo => {
            let mut info = [0u8; 144];
            let fields: [(&[u8], usize, usize); 4] = [
                (b"rustc (nightly)", 0, 64),
                (b"ferrite", 64, 16),
                (b"localdomain", 80, 32),
                (env!("CARGO_PKG_VERSION").as_bytes(), 112, 32),
            ];
            for (s, at, len) in fields {
                let n = s.len().min(len - 1);
                info[at..at + n].copy_from_slice(&s[..n]);
            }
            g.copy_to(arg, &info)?;
            Ok(0)
        }
        XenverCmd::Capabilities => copy_fixed(g, arg, CAPABILITIES, 1024),
        XenverCmd::Changeset => copy_fixed(g, arg, CHANGESET, 64),
        // HVM guests have no hypervisor hole: virt_start is 0.
        XenverCmd::PlatformParameters => {
            g.copy_to(arg, &0u64.to_le_bytes())?;
            Ok(0)
        }
        XenverCmd::GetFeatures => {
            let mut idx = [0u8; 4];
            g.copy_from(arg, &mut idx)?;
            let submap = match u32::from_le_bytes(idx) {
                0 => features(g),
                _ => return Err(Errno::EINVAL),
            };
            g.copy_to(
                arg.checked_add(4).ok_or(Errno::EFAULT)?,
                &submap.to_le_bytes(),
            )?;
            Ok(0)
        }
        XenverCmd::Pagesize => Ok(4096),
        // The domain handle (a UUID set by the toolstack): all zero for dom0.
        XenverCmd::GuestHandle => copy_fixed(g, arg, &[], 16),
        XenverCmd::Commandline => {
            if !g.privileged() {
                return Err(Errno::EPERM);
            }
            let line: alloc::vec::Vec<u8> = g.hypervisor_cmdline().to_vec();
            copy_fixed(g, arg, &line, 1024)
        }
        XenverCmd::BuildId => {
            if !g.privileged() {
                return Err(Errno::EPERM);
            }
            Err(Errno::ENODATA)
        }
        XenverCmd::Extraversion2 => varbuf(g, arg, EXTRAVERSION),
        XenverCmd::Capabilities2 => varbuf(g, arg, CAPABILITIES),
        XenverCmd::Changeset2 => varbuf(g, arg, CHANGESET),
        XenverCmd::Commandline2 => {
            if !g.privileged() {
                return Err(Errno::EPERM);
            }
            let line: alloc::vec::Vec<u8> = g.hypervisor_cmdline().to_vec();
            varbuf(g, arg, &line)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fake::*;

    #[test]
    fn every_subop() {
        let mut g = FakeGuest::new();
        assert_eq!(call(&mut g, 17, [0, 0, 0, 0, 0]), 0x0004_0014);
        assert_eq!(call(&mut g, 17, [1, 0x100, 0, 0, 0]), 0);
        assert!(g.mem[0x100..].starts_with(b".0-ferrite\0"));
        assert_eq!(call(&mut g, 17, [2, 0x200, 0, 0, 0]), 0);
        assert_eq!(call(&mut g, 17, [3, 0x400, 0, 0, 0]), 0);
        assert!(g.mem[0x400..].starts_with(b"hvm-3.0-x86_64"));
        assert_eq!(call(&mut g, 17, [4, 0x900, 0, 0, 0]), 0);
        assert_eq!(call(&mut g, 17, [5, 0x900, 0, 0, 0]), 0);
        g.put(0xa00, &0u32.to_le_bytes());
        assert_eq!(call(&mut g, 17, [6, 0xa00, 0, 0, 0]), 0);
        let f = u32::from_le_bytes(g.mem[0xa04..0xa08].try_into().unwrap());
        assert_eq!(
            f,
            (1 << 2) | (1 << 8) | (1 << 9) | (1 << 11) | (1 << 18) | (1 << 19)
        );
        g.put(0xa00, &1u32.to_le_bytes());
        assert_eq!(call(&mut g, 17, [6, 0xa00, 0, 0, 0]), -22, "no submap 1");
        assert_eq!(call(&mut g, 17, [7, 0, 0, 0, 0]), 4096);
        assert_eq!(call(&mut g, 17, [8, 0xb00, 0, 0, 0]), 0);
        assert_eq!(call(&mut g, 17, [9, 0xc00, 0, 0, 0]), 0);
        assert!(g.mem[0xc00..].starts_with(b"loglvl=all\0"));
        assert_eq!(call(&mut g, 17, [10, 0xc00, 0, 0, 0]), -61);
        // varbuf: query, too small, copy.
        g.put(0x2000, &0u32.to_le_bytes());
        assert_eq!(call(&mut g, 17, [11, 0x2000, 0, 0, 0]), 10);
        g.put(0x2000, &4u32.to_le_bytes());
        assert_eq!(call(&mut g, 17, [11, 0x2000, 0, 0, 0]), -105);
        g.put(0x2000, &64u32.to_le_bytes());
        assert_eq!(call(&mut g, 17, [11, 0x2000, 0, 0, 0]), 10);
        assert!(g.mem[0x2004..].starts_with(b".0-ferrite"));
        assert_eq!(call(&mut g, 17, [99, 0, 0, 0, 0]), -38);
        assert_eq!(
            call(&mut g, 17, [1, 0xfff8, 0, 0, 0]),
            -14,
            "buffer crosses the end"
        );
    }

    #[test]
    fn unprivileged_limits() {
        let mut g = FakeGuest::new();
        g.privileged = false;
        assert_eq!(call(&mut g, 17, [9, 0xc00, 0, 0, 0]), -1);
        g.put(0xa00, &0u32.to_le_bytes());
        assert_eq!(call(&mut g, 17, [6, 0xa00, 0, 0, 0]), 0);
        assert_eq!(
            u32::from_le_bytes(g.mem[0xa04..0xa08].try_into().unwrap()),
            (1 << 2) | (1 << 8) | (1 << 9) | (1 << 18) | (1 << 19)
        );
    }
}
