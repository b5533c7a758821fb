//! `HYPERVISOR_console_io` (`public/xen.h` CONSOLEIO_*; Xen's `xen/drivers/char/console.c`
//! `do_console_io`).

use ferrite_abi::Errno;
use ferrite_abi::xen::ConsoleIoCmd;

use super::Guest;

/// Bytes copied per step of a write.
const CHUNK: usize = 128;
/// The most one call writes (Xen preempts long writes; Ferrite bounds them instead).
const MAX_WRITE: u64 = 1 << 20;

pub fn console_io<G: Guest>(g: &mut G, a: &[u64; 5]) -> Result<i64, Errno> {
    let cmd = u32::try_from(a[0]).map_err(|_| Errno::ENOSYS)?;
    let count = a[1];
    let buf = a[2];
    match ConsoleIoCmd::try_from(cmd).map_err(|_| Errno::ENOSYS)? {
        ConsoleIoCmd::Write => {
            if count > MAX_WRITE {
                return Err(Errno::E2BIG);
            }
            let mut chunk = [0u8; CHUNK];
            let mut done = 0u64;
            while done < count {
                let n = (count - done).min(CHUNK as u64) as usize;
                let piece = chunk.get_mut(..n).ok_or(Errno::EFAULT)?;
                g.copy_from(buf.checked_add(done).ok_or(Errno::EFAULT)?, piece)?;
                g.console_write(piece);
                done += n as u64;
            }
            Ok(0)
        }
        ConsoleIoCmd::Read => {
            if !g.privileged() {
                return Err(Errno::EPERM);
            }
            // No console input is buffered for dom0 yet: nothing to read.
            Ok(0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fake::*;

    #[test]
    fn write_copies_and_checks() {
        let mut g = FakeGuest::new();
        let msg = b"hello from the guest\n";
        g.put(0x100, msg);
        assert_eq!(call(&mut g, 18, [0, msg.len() as u64, 0x100, 0, 0]), 0);
        assert_eq!(&g.console, msg);
        // 300 bytes cross several chunks.
        g.put(0x1000, &[b'x'; 300]);
        assert_eq!(call(&mut g, 18, [0, 300, 0x1000, 0, 0]), 0);
        assert_eq!(g.console.len(), msg.len() + 300);
        assert_eq!(
            call(&mut g, 18, [0, 16, 0xdead_0000, 0, 0]),
            -14,
            "bad buffer"
        );
        assert_eq!(
            call(&mut g, 18, [0, 32, 0xfff0, 0, 0]),
            -14,
            "runs off the end"
        );
        assert_eq!(
            call(&mut g, 18, [0, 1 << 30, 0x100, 0, 0]),
            -7,
            "absurd count"
        );
        assert_eq!(call(&mut g, 18, [7, 1, 0x100, 0, 0]), -38, "unknown subop");
    }

    #[test]
    fn read_is_dom0_only() {
        let mut g = FakeGuest::new();
        assert_eq!(call(&mut g, 18, [1, 16, 0x100, 0, 0]), 0);
        g.privileged = false;
        assert_eq!(call(&mut g, 18, [1, 16, 0x100, 0, 0]), -1);
    }
}
