use super::*;
use crate::io::shared_page::AtomicPage;

#[derive(Clone, Copy, Debug, PartialEq, Eq, FromBytes, IntoBytes, Immutable, KnownLayout)]
#[repr(C)]
struct Req {
    id: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, FromBytes, IntoBytes, Immutable, KnownLayout)]
#[repr(C)]
struct Rsp {
    id: u64,
    status: u32,
    pad: u32,
}

#[test]
fn sizes_follow_ring_h() {
    assert_eq!(entry_size::<Req, Rsp>(), 16);
    assert_eq!(ring_size(4096, 16), 128);
    assert_eq!(ring_size(4096, 112), 32);
    assert_eq!(ring_size(64, 8), 0);
    assert_eq!(ring_size(4096, 0), 0);
    // BLK_RING_SIZE and NET_TX_RING_SIZE for a 4 KiB page, as Linux computes them.
    use crate::io::{blkif, netif};
    assert_eq!(
        ring_size(
            4096,
            entry_size::<blkif::BlkifRequest, blkif::BlkifResponse>()
        ),
        32
    );
    assert_eq!(
        ring_size(
            4096,
            entry_size::<netif::NetifTxRequest, netif::NetifTxResponse>()
        ),
        256
    );
}

#[test]
fn hostile_producer_index_is_an_error() {
    let page = AtomicPage::<1024>::new();
    init_shared(&page, 0);
    let mut back = BackRing::<_, Req, Rsp>::attach(&page, 0).unwrap();
    page.store_index(SRING_REQ_PROD, 1000);
    assert_eq!(back.get_request(), Err(RingError::Overflow));
    page.store_index(SRING_REQ_PROD, 128);
    assert_eq!(back.unconsumed_requests(), 128);
    let mut front = FrontRing::<_, Req, Rsp>::attach(&page, 0).unwrap();
    page.store_index(SRING_RSP_PROD, 7);
    assert_eq!(front.get_response(), Err(RingError::Overflow));
    let tiny = AtomicPage::<16>::new();
    assert!(matches!(
        FrontRing::<_, Req, Rsp>::attach(&tiny, 0),
        Err(RingError::TooSmall)
    ));
}

#[test]
fn two_threads_through_wraparound() {
    const N: u64 = 20_000;
    // Start just below u32::MAX so the free-running indices wrap as well as the slots.
    const START: RingIdx = 0xffff_ff00;
    let page = AtomicPage::<1024>::new();
    init_shared(&page, START);
    std::thread::scope(|s| {
        s.spawn(|| {
            let mut back = BackRing::<_, Req, Rsp>::attach(&page, START).unwrap();
            let mut expect = 0;
            while expect < N {
                let mut any = false;
                while let Some(req) = back.get_request().unwrap() {
                    assert_eq!(req.id, expect);
                    expect += 1;
                    back.put_response(&Rsp {
                        id: req.id * 2,
                        status: 1,
                        pad: 0,
                    })
                    .unwrap();
                    any = true;
                }
                if any {
                    back.push_responses();
                } else if back.final_check_for_requests() == 0 {
                    std::thread::yield_now();
                }
            }
        });
        let mut front = FrontRing::<_, Req, Rsp>::attach(&page, START).unwrap();
        let (mut sent, mut got) = (0, 0);
        while got < N {
            while sent < N && !front.is_full() {
                front.put_request(&Req { id: sent }).unwrap();
                sent += 1;
            }
            front.push_requests();
            while let Some(rsp) = front.get_response().unwrap() {
                assert_eq!(
                    rsp,
                    Rsp {
                        id: got * 2,
                        status: 1,
                        pad: 0
                    }
                );
                got += 1;
            }
            if front.final_check_for_responses() == 0 {
                std::thread::yield_now();
            }
        }
        assert!(front.req_prod_pvt() < START, "the indices wrapped");
    });
}
