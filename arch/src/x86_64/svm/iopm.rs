//! The SVM I/O permission map (AMD APM vol. 2, 15.10.1): one bit per port, 12 KiB (the last
//! bits cover accesses that run past port 0xffff). A set bit makes `IN`/`OUT` to that port
//! exit. dom0 owns the ports of the machine except those Ferrite itself drives, as with Xen.

/// Bytes of the map.
pub const SIZE: usize = 12288;

/// Makes ports `[first, first + count)` exit.
pub fn deny(map: &mut [u8; SIZE], first: u16, count: u16) {
    for port in u32::from(first)..(u32::from(first) + u32::from(count)).min(0x1_0000) {
        if let Some(b) = map.get_mut((port / 8) as usize) {
            *b |= 1 << (port % 8);
        }
    }
}

/// Whether an access to `port` exits under `map`.
pub fn denied(map: &[u8; SIZE], port: u16) -> bool {
    map.get(usize::from(port / 8))
        .is_some_and(|b| b & (1 << (port % 8)) != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bits_per_port() {
        let mut m = [0u8; SIZE];
        deny(&mut m, 0x3f8, 8);
        deny(&mut m, 0xfffe, 10);
        assert!(denied(&m, 0x3f8) && denied(&m, 0x3ff) && denied(&m, 0xffff));
        assert!(!denied(&m, 0x3f7) && !denied(&m, 0x400) && !denied(&m, 0x80));
        assert_eq!(m[0x3f8 / 8], 0xff);
    }
}
