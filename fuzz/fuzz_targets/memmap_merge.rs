//! Arbitrary memory-map entries merged into a `MemoryMap`, then a frame allocator seeded from it
//! and exercised: the map's invariants must hold, and no frame may be handed out twice or outside
//! RAM.
#![no_main]

use ferrite_arch::mm::frame::{FRAME_SIZE, FrameAllocator, PhysAddr};
use ferrite_arch::mm::memmap::MemoryMap;
use libfuzzer_sys::fuzz_target;

fn u64_at(data: &[u8], at: usize) -> u64 {
    let mut b = [0u8; 8];
    if let Some(src) = data.get(at..at + 8) {
        b.copy_from_slice(src);
    }
    u64::from_le_bytes(b)
}

fuzz_target!(|data: &[u8]| {
    // 17-byte records: base, length, type (E820 numbering; odd types are scaled down so that
    // overlaps are common).
    let mut map = MemoryMap::new();
    for rec in data.chunks_exact(17) {
        let (mut base, mut len, ty) = (u64_at(rec, 0), u64_at(rec, 8), rec[16]);
        if ty & 0x80 != 0 {
            base %= 1 << 24;
            len %= 1 << 22;
        }
        map.add_e820(base, len, u32::from(ty & 7), &mut |_| {});
    }
    for w in map.regions().windows(2) {
        assert!(w[0].end <= w[1].start);
        assert!(!(w[0].end == w[1].start && w[0].kind == w[1].kind));
    }
    assert!(map.iter().all(|r| r.start < r.end));

    let reserved = [0x10_0000..0x20_0000];
    let mut frames = FrameAllocator::new();
    let _ = frames.init(&map, &reserved);
    let mut got: [Option<PhysAddr>; 64] = [None; 64];
    for (i, slot) in got.iter_mut().enumerate() {
        let count = (i % 4 + 1) as u64;
        let Some(addr) = frames.alloc(count, 1 << (i % 3)) else { break };
        let end = addr.0 + count * FRAME_SIZE;
        assert!(map.is_ram(addr.0..end));
        assert!(end <= reserved[0].start || addr.0 >= reserved[0].end);
        *slot = Some(addr);
    }
    for (i, addr) in got.iter().enumerate() {
        if let Some(addr) = *addr {
            assert!(frames.free(addr, (i % 4 + 1) as u64).is_ok());
            assert!(frames.free(addr, 1).is_err());
        }
    }
    assert_eq!(frames.free_frames(), frames.total_frames());
});
