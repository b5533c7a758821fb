//! Drives `ferrite_abi::io::ring` and Xen's own `io/ring.h` macros (compiled with the host
//! `gcc` against `/usr/include/xen`) through the same pseudo-random sequence of produce,
//! consume, respond and final-check steps on an 8-entry ring whose indices start just below
//! `u32::MAX`, and compares every index, count and notify decision after every step.

use ferrite_abi::io::ring::{BackRing, FrontRing, RingIdx, init_shared};
use ferrite_abi::io::shared_page::{AtomicPage, RingMemory};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::Command;
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

const STEPS: u32 = 600;
const START: RingIdx = 0xffff_ffe0;

#[derive(Clone, Copy, FromBytes, IntoBytes, Immutable, KnownLayout)]
#[repr(C)]
struct Req {
    id: u64,
}

#[derive(Clone, Copy, FromBytes, IntoBytes, Immutable, KnownLayout)]
#[repr(C)]
struct Rsp {
    id: u64,
    status: u32,
    pad: u32,
}

const C_PROGRAM: &str = r#"
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#define xen_mb() __sync_synchronize()
#define xen_rmb() __sync_synchronize()
#define xen_wmb() __sync_synchronize()
/* Xen 4.17's ring.h spells the barriers without the prefix. */
#define mb() __sync_synchronize()
#define rmb() __sync_synchronize()
#define wmb() __sync_synchronize()
#include <xen/io/ring.h>
struct req { uint64_t id; };
struct rsp { uint64_t id; uint32_t status; uint32_t pad; };
DEFINE_RING_TYPES(t, struct req, struct rsp);
static unsigned char page[192] __attribute__((aligned(64)));
int main(void) {
    t_sring_t *s = (t_sring_t *)page;
    t_front_ring_t f;
    t_back_ring_t b;
    unsigned start = START_IDX;
    uint64_t x = 1, sent = 0, answered = 0, got = 0, consumed_sum = 0;
    int step;
    SHARED_RING_INIT(s);
    s->req_prod = s->rsp_prod = start;
    s->req_event = s->rsp_event = start + 1;
    FRONT_RING_ATTACH(&f, s, start, sizeof(page));
    BACK_RING_ATTACH(&b, s, start, sizeof(page));
    printf("layout %zu %zu %zu %zu %zu %zu size %u\n",
           offsetof(t_sring_t, req_prod), offsetof(t_sring_t, req_event),
           offsetof(t_sring_t, rsp_prod), offsetof(t_sring_t, rsp_event),
           offsetof(t_sring_t, pvt), offsetof(t_sring_t, ring), (unsigned)RING_SIZE(&f));
    for (step = 0; step < STEPS; step++) {
        unsigned r, op, k, n = 0;
        int notify = 0, w1 = 0, w2 = 0;
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        r = (unsigned)(x >> 33);
        op = r % 4;
        k = (r >> 4) % 6;
        switch (op) {
        case 0:
            while (k-- && !RING_FULL(&f)) {
                RING_GET_REQUEST(&f, f.req_prod_pvt)->id = sent++;
                f.req_prod_pvt++;
                n++;
            }
            RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&f, notify);
            printf("P %u %d", n, notify);
            break;
        case 1:
            while (k-- && RING_HAS_UNCONSUMED_REQUESTS(&b)) {
                struct req q;
                RING_COPY_REQUEST(&b, b.req_cons, &q);
                b.req_cons++;
                consumed_sum += q.id;
                n++;
            }
            printf("Q %u %llu", n, (unsigned long long)consumed_sum);
            break;
        case 2:
            while (k-- && b.rsp_prod_pvt != b.req_cons) {
                struct rsp *p = RING_GET_RESPONSE(&b, b.rsp_prod_pvt);
                p->id = answered++ * 2;
                p->status = 1;
                p->pad = 0;
                b.rsp_prod_pvt++;
                n++;
            }
            RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&b, notify);
            printf("R %u %d", n, notify);
            break;
        default:
            while (k-- && RING_HAS_UNCONSUMED_RESPONSES(&f)) {
                struct rsp p;
                RING_COPY_RESPONSE(&f, f.rsp_cons, &p);
                f.rsp_cons++;
                if (p.id != got * 2) printf("BAD ");
                got++;
                n++;
            }
            RING_FINAL_CHECK_FOR_RESPONSES(&f, w1);
            RING_FINAL_CHECK_FOR_REQUESTS(&b, w2);
            printf("C %u %d %d", n, w1, w2);
        }
        printf(" | %u %u %u %u | %u %u %u %u | %u %u %u\n",
               s->req_prod, s->req_event, s->rsp_prod, s->rsp_event,
               f.req_prod_pvt, f.rsp_cons, b.rsp_prod_pvt, b.req_cons,
               (unsigned)RING_FREE_REQUESTS(&f), (unsigned)RING_HAS_UNCONSUMED_REQUESTS(&b),
               (unsigned)RING_HAS_UNCONSUMED_RESPONSES(&f));
    }
    return 0;
}
"#;

fn rust_trace() -> String {
    let page = AtomicPage::<48>::new();
    init_shared(&page, START);
    let mut f = FrontRing::<_, Req, Rsp>::attach(&page, START).unwrap();
    let mut b = BackRing::<_, Req, Rsp>::attach(&page, START).unwrap();
    let mut out = String::new();
    writeln!(out, "layout 0 4 8 12 16 64 size {}", f.size()).unwrap();
    let (mut x, mut sent, mut answered, mut got, mut consumed_sum) = (1u64, 0u64, 0u64, 0u64, 0u64);
    for _ in 0..STEPS {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let r = (x >> 33) as u32;
        let mut k = (r >> 4) % 6;
        let mut n = 0;
        match r % 4 {
            0 => {
                while k > 0 && !f.is_full() {
                    k -= 1;
                    f.put_request(&Req { id: sent }).unwrap();
                    sent += 1;
                    n += 1;
                }
                let notify = f.push_requests();
                write!(out, "P {n} {}", u8::from(notify)).unwrap();
            }
            1 => {
                while k > 0 && b.unconsumed_requests() > 0 {
                    k -= 1;
                    let q = b.get_request().unwrap().unwrap();
                    consumed_sum += q.id;
                    n += 1;
                }
                write!(out, "Q {n} {consumed_sum}").unwrap();
            }
            2 => {
                while k > 0 && b.rsp_prod_pvt() != b.req_cons() {
                    k -= 1;
                    b.put_response(&Rsp {
                        id: answered * 2,
                        status: 1,
                        pad: 0,
                    })
                    .unwrap();
                    answered += 1;
                    n += 1;
                }
                let notify = b.push_responses();
                write!(out, "R {n} {}", u8::from(notify)).unwrap();
            }
            _ => {
                while k > 0 && f.unconsumed_responses() > 0 {
                    k -= 1;
                    let p = f.get_response().unwrap().unwrap();
                    if p.id != got * 2 {
                        out.push_str("BAD ");
                    }
                    got += 1;
                    n += 1;
                }
                let w1 = f.final_check_for_responses();
                let w2 = b.final_check_for_requests();
                write!(out, "C {n} {w1} {w2}").unwrap();
            }
        }
        writeln!(
            out,
            " | {} {} {} {} | {} {} {} {} | {} {} {}",
            page.load_index(0),
            page.load_index(4),
            page.load_index(8),
            page.load_index(12),
            f.req_prod_pvt(),
            f.rsp_cons(),
            b.rsp_prod_pvt(),
            b.req_cons(),
            f.free_requests(),
            b.unconsumed_requests(),
            f.unconsumed_responses()
        )
        .unwrap();
    }
    out
}

#[test]
fn index_arithmetic_matches_ring_h() {
    if !std::path::Path::new("/usr/include/xen/io/ring.h").exists()
        || Command::new("gcc").arg("--version").output().is_err()
    {
        let msg = "ring_c: needs gcc and /usr/include/xen/io/ring.h; install with \
                   `apt-get install -y gcc libxen-dev`";
        assert!(std::env::var_os("CI").is_none(), "{msg}");
        eprintln!("SKIPPED {msg}");
        return;
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("ring_c");
    std::fs::create_dir_all(&dir).unwrap();
    let src = dir.join("ring.c");
    let bin = dir.join("ring");
    std::fs::write(&src, C_PROGRAM).unwrap();
    let cc = Command::new("gcc")
        .args([
            "-O1",
            "-Wall",
            &format!("-DSTART_IDX={START}u"),
            &format!("-DSTEPS={STEPS}"),
        ])
        .arg("-o")
        .arg(&bin)
        .arg(&src)
        .output()
        .unwrap();
    assert!(
        cc.status.success(),
        "gcc: {}",
        String::from_utf8_lossy(&cc.stderr)
    );
    let run = Command::new(&bin).output().unwrap();
    assert!(run.status.success());
    let c = String::from_utf8(run.stdout).unwrap();
    let rust = rust_trace();
    let mut mismatches = 0;
    for (i, (cl, rl)) in c.lines().zip(rust.lines()).enumerate() {
        if cl != rl {
            mismatches += 1;
            println!("step {i}: C    {cl}\n        Rust {rl}");
        }
    }
    assert_eq!(c.lines().count(), rust.lines().count());
    assert!(!c.contains("BAD"), "responses out of order");
    println!(
        "ring_c: {} steps compared with io/ring.h, {mismatches} mismatches",
        STEPS
    );
    assert_eq!(mismatches, 0);
}
