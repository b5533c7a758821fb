use super::*;

fn frame(kind: u32, payload: &[u8]) -> Vec<u8> {
    let h = XsdSockmsg {
        kind,
        req_id: 7,
        tx_id: 3,
        len: payload.len() as u32,
    };
    let mut v = h.as_bytes().to_vec();
    v.extend_from_slice(payload);
    v
}

fn parse(kind: u32, payload: &[u8]) -> Result<Request<'static>, XsError> {
    let bytes: &'static [u8] = Box::leak(frame(kind, payload).into_boxed_slice());
    let (msg, rest) = split_message(bytes)?;
    assert!(rest.is_empty());
    parse_request(&msg)
}

#[test]
fn decodes_every_request_type() {
    assert_eq!(
        parse(2, b"/local/domain/1/name\0"),
        Ok(Request::Read("/local/domain/1/name"))
    );
    assert_eq!(parse(1, b"device\0"), Ok(Request::Directory("device")));
    assert_eq!(
        parse(4, b"@releaseDomain\0tok\0"),
        Ok(Request::Watch {
            path: "@releaseDomain",
            token: b"tok"
        })
    );
    assert_eq!(parse(6, b"\0"), Ok(Request::TransactionStart));
    assert_eq!(parse(7, b"F\0"), Ok(Request::TransactionEnd(false)));
    assert_eq!(
        parse(8, b"5\x00123456\x002\0"),
        Ok(Request::Introduce {
            domid: 5,
            mfn: 123_456,
            port: 2
        })
    );
    assert_eq!(
        parse(11, b"a/b\0va\0lue"),
        Ok(Request::Write {
            path: "a/b",
            value: b"va\0lue"
        })
    );
    let Ok(Request::SetPerms { path, perms }) = parse(14, b"/x\0n0\0r5\0") else {
        panic!()
    };
    assert_eq!(path, "/x");
    assert_eq!(
        perms.iter().collect::<Vec<_>>(),
        [
            Perm {
                access: b'n',
                domid: 0
            },
            Perm {
                access: b'r',
                domid: 5
            }
        ]
    );
    assert_eq!(
        parse(19, b"1\x002\0"),
        Ok(Request::SetTarget {
            domid: 1,
            target: 2
        })
    );
    assert_eq!(parse(21, b""), Ok(Request::ResetWatches));
    assert_eq!(
        parse(22, b"/a\x0010\0"),
        Ok(Request::DirectoryPart {
            path: "/a",
            offset: 10
        })
    );
    assert_eq!(parse(0, b"log\0x\0"), Ok(Request::Control(b"log\0x\0")));
}

#[test]
fn rejects_bad_input() {
    assert_eq!(
        split_message(&[0; 10]).map(|m| m.0),
        Err(XsError::Incomplete { needed: 16 })
    );
    assert_eq!(
        split_message(&frame(2, b"/a\0")[..17]).map(|m| m.0),
        Err(XsError::Incomplete { needed: 19 })
    );
    assert_eq!(
        split_message(&frame(20, b"")).map(|m| m.0),
        Err(XsError::UnknownType(20))
    );
    let mut big = frame(2, b"");
    big[12..16].copy_from_slice(&4097u32.to_le_bytes());
    assert_eq!(
        split_message(&big).map(|m| m.0),
        Err(XsError::TooLong(4097))
    );
    for (kind, payload) in [
        (2u32, &b"/a"[..]),
        (2, b"/a\0/b\0"),
        (2, b"/a//b\0"),
        (2, b"/a/\0"),
        (2, b"/a.b\0"),
        (2, b"@x\0"),
        (8, b"5\0x\x002\0"),
        (8, b"99999999999999999999999\x001\x002\0"),
        (9, b"4294967296\0"),
        (7, b"X\0"),
        (14, b"/x\0"),
        (14, b"/x\0q1\0"),
        (16, b"EINVAL\0"),
    ] {
        assert!(parse(kind, payload).is_err(), "{kind} {payload:?}");
    }
}

#[test]
fn encodes_replies_and_round_trips_requests() {
    let mut out = [0u8; 64];
    let n = encode_reply(
        XsdSockmsgType::Read,
        9,
        0,
        &Reply::Error(Errno::ENOENT),
        &mut out,
    )
    .unwrap();
    let (msg, _) = split_message(&out[..n]).unwrap();
    assert_eq!(
        (msg.kind, msg.header.req_id, msg.payload),
        (XsdSockmsgType::Error, 9, &b"ENOENT\0"[..])
    );
    let n = encode_reply(
        XsdSockmsgType::TransactionStart,
        1,
        0,
        &Reply::Number(0),
        &mut out,
    )
    .unwrap();
    assert_eq!(&out[16..n], b"0\0");
    let n = encode_reply(
        XsdSockmsgType::DirectoryPart,
        1,
        0,
        &Reply::DirectoryPart {
            generation: 42,
            names: &["a", "b"],
            last: true,
        },
        &mut out,
    )
    .unwrap();
    assert_eq!(&out[16..n], b"42\0a\0b\0\0");
    assert_eq!(
        encode_reply(XsdSockmsgType::Read, 1, 0, &Reply::Data(&[0; 60]), &mut out),
        Err(XsError::NoSpace)
    );
    let n = encode_watch_event("/a", b"t", &mut out).unwrap();
    assert_eq!(&out[16..n], b"/a\0t\0");

    let req = Request::Introduce {
        domid: 3,
        mfn: u64::MAX,
        port: 9,
    };
    let n = encode_request(&req, 5, 6, &mut out).unwrap();
    let (msg, _) = split_message(&out[..n]).unwrap();
    assert_eq!(parse_request(&msg), Ok(req));
}
