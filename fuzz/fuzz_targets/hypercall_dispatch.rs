//! Random hypercalls with random arguments against a fake guest (`ferrite::hypercall`, Xen's
//! `hypercall_table` and each handler's argument checks): no panic, and every result is a
//! value or one of Xen's errno (never a stray negative number), whatever the numbers,
//! sub-ops, guest addresses and guest memory contents.
#![no_main]

use ferrite::hypercall::fake::{FakeGuest, call};
use libfuzzer_sys::fuzz_target;

/// The highest errno Xen defines (`EISCONN` is 106 on x86; the table ends well below 200).
const MAX_ERRNO: i64 = 200;

/// An argument from two bytes: mostly addresses inside the fake's 64 KiB of memory (where
/// the structures the fuzzer wrote are), else small numbers, huge ones, or values just past
/// the memory.
fn arg(lo: u8, hi: u8) -> u64 {
    let v = u64::from(lo) | (u64::from(hi & 0x3f) << 8);
    match hi >> 6 {
        0 => 0x1000 + (v & 0xfff),
        1 => u64::from(lo),
        2 => u64::MAX - u64::from(lo),
        _ => 0x1_0000 - u64::from(lo),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let mut g = FakeGuest::new();
    g.privileged = flags & 1 == 0;
    g.long_mode = flags & 2 == 0;
    g.vcpu = u32::from(flags >> 2) % 5;
    // The first half is the calls; the rest (up to 4 KiB) becomes guest memory at 0x1000,
    // where the structures the calls read are.
    let (calls, mem) = rest.split_at(rest.len() / 2 / 11 * 11);
    let mem = &mem[..mem.len().min(4096)];
    g.mem[0x1000..0x1000 + mem.len()].copy_from_slice(mem);
    for rec in calls.chunks_exact(11) {
        let nr = u64::from(rec[0] % 64);
        let a = core::array::from_fn(|i| arg(rec[1 + 2 * i], rec[2 + 2 * i]));
        let r = call(&mut g, nr, a);
        assert!(r >= -MAX_ERRNO, "hypercall {nr} {a:x?} returned {r}");
    }
});
