//! Go's `encoding/asn1` as sigstore's ECDSA verifier uses it to tell an ASN.1 signature from
//! IEEE P1363 `r || s` (a leniency parity needs, so it is hand-written): definite, minimal
//! lengths; minimal INTEGER encodings; trailing data after the first element tolerated.

/// Universal tags used here.
pub(crate) const INTEGER: u8 = 0x02;
pub(crate) const SEQUENCE: u8 = 0x30;

/// One TLV element: its tag and its content.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Element<'a> {
    pub(crate) tag: u8,
    pub(crate) content: &'a [u8],
}

/// Reads the first element of `input`; the rest follows it.
pub(crate) fn element(input: &[u8]) -> Option<(Element<'_>, &[u8])> {
    let (&tag, after_tag) = input.split_first()?;
    // High tag numbers (0x1f) never occur in what is read here.
    if tag & 0x1f == 0x1f {
        return None;
    }
    let (&first, mut rest) = after_tag.split_first()?;
    let len = if first < 0x80 {
        usize::from(first)
    } else {
        let count = usize::from(first & 0x7f);
        // 0x80 is the indefinite form (BER only); more than 4 length bytes is absurd here.
        if count == 0 || count > 4 || rest.len() < count {
            return None;
        }
        let (bytes, after) = rest.split_at(count);
        rest = after;
        // Minimal: no leading zero byte, and the long form only for 128 and more.
        if bytes[0] == 0 {
            return None;
        }
        let len = bytes
            .iter()
            .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
        if len < 0x80 {
            return None;
        }
        len
    };
    if rest.len() < len {
        return None;
    }
    let (content, after) = rest.split_at(len);
    Some((Element { tag, content }, after))
}

/// Reads an element that must have `tag`.
pub(crate) fn expect(input: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    let (element, rest) = element(input)?;
    (element.tag == tag).then_some((element.content, rest))
}

/// An INTEGER's content, minimal as DER requires (Go refuses anything else). Negative values
/// are allowed here; callers decide.
pub(crate) fn integer(input: &[u8]) -> Option<(&[u8], &[u8])> {
    let (content, rest) = expect(input, INTEGER)?;
    match content {
        [] => None,
        [0x00, next, ..] if next & 0x80 == 0 => None,
        [0xff, next, ..] if next & 0x80 != 0 => None,
        _ => Some((content, rest)),
    }
}

/// `asn1.Unmarshal(bytes, &someString)` followed by a check that nothing trails it (as
/// containers/image reads Fulcio's issuer v2 extension): the bytes of one universal string —
/// UTF8String (valid UTF-8), PrintableString (Go's set, with `*` and `&`), IA5String (ASCII),
/// NumericString (digits and space), T61String and GeneralString (as bytes), BMPString
/// (UTF-16BE).
pub(crate) fn unmarshal_string(input: &[u8]) -> Option<alloc::vec::Vec<u8>> {
    let (element, rest) = element(input)?;
    if !rest.is_empty() {
        return None;
    }
    let content = element.content;
    match element.tag {
        0x0c => core::str::from_utf8(content)
            .ok()
            .map(|s| s.as_bytes().to_vec()),
        0x13 => content
            .iter()
            .all(|&b| {
                b.is_ascii_alphanumeric()
                    || matches!(
                        b,
                        b' ' | b'\''
                            | b'('
                            | b')'
                            | b'+'
                            | b','
                            | b'-'
                            | b'.'
                            | b'/'
                            | b':'
                            | b'='
                            | b'?'
                            | b'*'
                            | b'&'
                    )
            })
            .then(|| content.to_vec()),
        0x16 => content.is_ascii().then(|| content.to_vec()),
        0x12 => content
            .iter()
            .all(|&b| b.is_ascii_digit() || b == b' ')
            .then(|| content.to_vec()),
        0x14 | 0x1b => Some(content.to_vec()),
        0x1e => {
            if content.len() % 2 != 0 {
                return None;
            }
            let units = content.chunks(2).map(|c| u16::from_be_bytes([c[0], c[1]]));
            let text: alloc::string::String = char::decode_utf16(units)
                .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
                .collect();
            Some(text.into_bytes())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_unmarshal_as_go_reads_them() {
        assert_eq!(
            unmarshal_string(b"\x0c\x03abc").as_deref(),
            Some(&b"abc"[..])
        );
        assert_eq!(
            unmarshal_string(b"\x13\x03a*&").as_deref(),
            Some(&b"a*&"[..])
        );
        assert_eq!(unmarshal_string(b"\x13\x01@"), None);
        assert_eq!(unmarshal_string(b"\x16\x01\x80"), None);
        assert_eq!(unmarshal_string(b"\x12\x02 1").as_deref(), Some(&b" 1"[..]));
        assert_eq!(
            unmarshal_string(b"\x1e\x02\x00A").as_deref(),
            Some(&b"A"[..])
        );
        assert_eq!(unmarshal_string(b"\x1e\x01\x00"), None);
        assert_eq!(unmarshal_string(b"\x0c\x01\xff"), None);
        assert_eq!(unmarshal_string(b"\x0c\x01a\x00"), None, "trailing data");
        assert_eq!(
            unmarshal_string(b"\x04\x01a"),
            None,
            "an OCTET STRING is not a string"
        );
    }

    #[test]
    fn lengths_are_definite_and_minimal() {
        assert!(element(&[0x04, 0x01, 0xaa]).is_some());
        assert!(element(&[0x04, 0x81, 0x01, 0xaa]).is_none());
        assert!(element(&[0x04, 0x80, 0x00, 0x00]).is_none());
        assert!(element(&[0x04, 0x82, 0x00, 0x80]).is_none());
        assert!(element(&[0x04, 0x02, 0xaa]).is_none());
        let long = [&[0x04, 0x81, 0x80][..], &[0u8; 0x80]].concat();
        assert_eq!(element(&long).unwrap().0.content.len(), 0x80);
    }

    #[test]
    fn integers_are_minimal() {
        assert!(integer(&[0x02, 0x00]).is_none());
        assert!(integer(&[0x02, 0x02, 0x00, 0x01]).is_none());
        assert!(integer(&[0x02, 0x02, 0xff, 0x80]).is_none());
        assert_eq!(integer(&[0x02, 0x02, 0x00, 0x80]).unwrap().0, [0x00, 0x80]);
    }
}
