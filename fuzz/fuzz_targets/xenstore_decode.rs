//! Xenstore wire decoder (`ferrite_abi::io::xenstore`) on arbitrary ring bytes: decoding never
//! panics, and every request it accepts re-encodes to a message that decodes to the same request.
#![no_main]

use ferrite_abi::io::xenstore::{encode_request, parse_request, split_message};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut rest = data;
    let mut out = vec![0u8; 16 + 4096 + 64];
    while let Ok((msg, after)) = split_message(rest) {
        rest = after;
        let Ok(req) = parse_request(&msg) else { continue };
        let n = encode_request(&req, msg.header.req_id, msg.header.tx_id, &mut out)
            .expect("an accepted request re-encodes");
        let (again, tail) = split_message(&out[..n]).expect("re-encoded message frames");
        assert!(tail.is_empty());
        assert_eq!((again.header.req_id, again.header.tx_id), (msg.header.req_id, msg.header.tx_id));
        assert_eq!(parse_request(&again), Ok(req));
    }
});
