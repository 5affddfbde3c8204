//! PEM blocks as Go's `encoding/pem.Decode` finds them: the first block that decodes, with
//! Go's tolerance (headers skipped, spaces and tabs in the body ignored, a bad block skipped in
//! favour of a later one) and Go's strictness (the END line must name the same type).

use alloc::string::String;
use alloc::vec::Vec;

/// A decoded PEM block: its type and its bytes (headers are read past, not kept: only
/// whether there were any, which `x509.CertPool.AppendCertsFromPEM` asks).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Block {
    pub(crate) kind: String,
    pub(crate) bytes: Vec<u8>,
    pub(crate) has_headers: bool,
}

const START: &[u8] = b"\n-----BEGIN ";
const END: &[u8] = b"\n-----END ";
const DASHES: &[u8] = b"-----";

/// The first PEM block in `data` that decodes, and the bytes after it.
pub(crate) fn decode(data: &[u8]) -> Option<(Block, &[u8])> {
    let mut rest = data;
    loop {
        if rest.starts_with(&START[1..]) {
            rest = &rest[START.len() - 1..];
        } else if let Some(at) = find(rest, START) {
            rest = &rest[at + START.len()..];
        } else {
            return None;
        }
        let (type_line, after) = line(rest);
        rest = after;
        let Some(kind) = type_line.strip_suffix(DASHES) else {
            continue;
        };
        // Headers ("Key: value" lines) are read past.
        let mut headers = false;
        loop {
            if rest.is_empty() {
                return None;
            }
            let (header, next) = line(rest);
            if !header.contains(&b':') {
                break;
            }
            headers = true;
            rest = next;
        }
        let (end_index, trailer_index) = if !headers && rest.starts_with(&END[1..]) {
            (0, END.len() - 1)
        } else {
            match find(rest, END) {
                Some(at) => (at, at + END.len()),
                None => continue,
            }
        };
        let trailer = &rest[trailer_index..];
        let trailer_len = kind.len() + DASHES.len();
        if trailer.len() < trailer_len {
            continue;
        }
        let (end_line, rest_of_end_line) = trailer.split_at(trailer_len);
        if !end_line.starts_with(kind) || !end_line.ends_with(DASHES) {
            continue;
        }
        if !line(rest_of_end_line).0.is_empty() {
            continue;
        }
        let body: Vec<u8> = rest[..end_index]
            .iter()
            .copied()
            .filter(|&b| b != b' ' && b != b'\t')
            .collect();
        let Ok(text) = core::str::from_utf8(&body) else {
            continue;
        };
        let Ok(bytes) = crate::go::base64_std(text) else {
            continue;
        };
        let (_, after_block) = line(&rest[end_index + END.len() - 1..]);
        let kind = String::from_utf8_lossy(kind).into_owned();
        return Some((
            Block {
                kind,
                bytes,
                has_headers: headers,
            },
            after_block,
        ));
    }
}

/// Go's `pem.EncodeToMemory` for a block without headers: the base64 body in lines of 64.
pub(crate) fn encode(kind: &str, bytes: &[u8]) -> Vec<u8> {
    let body = crate::go::base64::base64_std_encode(bytes);
    let mut out = Vec::with_capacity(body.len() + body.len() / 64 + 2 * kind.len() + 40);
    out.extend_from_slice(b"-----BEGIN ");
    out.extend_from_slice(kind.as_bytes());
    out.extend_from_slice(b"-----\n");
    for line in body.as_bytes().chunks(64) {
        out.extend_from_slice(line);
        out.push(b'\n');
    }
    out.extend_from_slice(b"-----END ");
    out.extend_from_slice(kind.as_bytes());
    out.extend_from_slice(b"-----\n");
    out
}

/// Go's `getLine`: the first line without its `\n` (or `\r\n`) and trailing spaces and tabs,
/// and what follows the line break.
fn line(data: &[u8]) -> (&[u8], &[u8]) {
    let (mut end, next) = match data.iter().position(|&b| b == b'\n') {
        Some(i) => (i, i + 1),
        None => (data.len(), data.len()),
    };
    if next > end && end > 0 && data[end - 1] == b'\r' {
        end -= 1;
    }
    let mut text = &data[..end];
    while let [head @ .., b' ' | b'\t'] = text {
        text = head;
    }
    (text, &data[next..])
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "-----BEGIN PUBLIC KEY-----\nAAEC\n-----END PUBLIC KEY-----\n";

    #[test]
    fn first_block_and_rest() {
        let doc = alloc::format!("{KEY}-----BEGIN X-----\nAw==\n-----END X-----");
        let (block, rest) = decode(doc.as_bytes()).unwrap();
        assert_eq!(block.kind, "PUBLIC KEY");
        assert_eq!(block.bytes, [0, 1, 2]);
        let (second, _) = decode(rest).unwrap();
        assert_eq!(
            (second.kind.as_str(), second.bytes.as_slice()),
            ("X", &[3][..])
        );
    }

    #[test]
    fn go_tolerances() {
        // Leading text, CRLF, headers, spaces in the body, trailing spaces on lines.
        let doc = "junk\r\n-----BEGIN PUBLIC KEY-----  \r\nProc-Type: 4\r\n\r\nAA EC\t\r\n-----END PUBLIC KEY-----  \r\n";
        assert_eq!(decode(doc.as_bytes()).unwrap().0.bytes, [0, 1, 2]);
        // A block that does not decode is skipped for a later one.
        let doc =
            alloc::format!("-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----\n{KEY}");
        assert_eq!(decode(doc.as_bytes()).unwrap().0.bytes, [0, 1, 2]);
    }

    #[test]
    fn go_refusals() {
        for doc in [
            "",
            "-----BEGIN PUBLIC KEY-----\nAAEC\n-----END OTHER KEY-----\n",
            "-----BEGIN PUBLIC KEY-----\nAAEC\n-----END PUBLIC KEY----- x\n",
            "-----BEGIN PUBLIC KEY----\nAAEC\n-----END PUBLIC KEY-----\n",
            "-----BEGIN PUBLIC KEY-----\nAAEC\n",
            " -----BEGIN PUBLIC KEY-----\nAAEC\n-----END PUBLIC KEY-----\n",
        ] {
            assert_eq!(decode(doc.as_bytes()), None, "{doc:?}");
        }
    }
}
