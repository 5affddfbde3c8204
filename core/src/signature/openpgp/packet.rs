//! OpenPGP packet framing (RFC 4880 §4.2): old- and new-format headers, partial body lengths,
//! and the bodies of the few packets a signed message holds (literal data, one-pass signature,
//! compressed data). Every length is checked against what is left; nothing is read past it.

use alloc::borrow::Cow;
use alloc::vec::Vec;

use super::PgpError;
use crate::signature::problem::OpenPgpProblem;

/// Packet tags vouch reads.
pub(super) mod tag {
    pub(in super::super) const SIGNATURE: u8 = 2;
    pub(in super::super) const SECRET_KEY: u8 = 5;
    pub(in super::super) const PUBLIC_KEY: u8 = 6;
    pub(in super::super) const SECRET_SUBKEY: u8 = 7;
    pub(in super::super) const ONE_PASS_SIGNATURE: u8 = 4;
    pub(in super::super) const COMPRESSED: u8 = 8;
    pub(in super::super) const MARKER: u8 = 10;
    pub(in super::super) const LITERAL: u8 = 11;
    pub(in super::super) const USER_ID: u8 = 13;
    pub(in super::super) const PUBLIC_SUBKEY: u8 = 14;
    pub(in super::super) const USER_ATTRIBUTE: u8 = 17;
    pub(in super::super) const PADDING: u8 = 21;
}

/// A malformed packet sequence: the words "invalid packet content" mark framing damage in
/// reasons (the differential tests rely on them to tell framing from cryptography).
pub(super) fn invalid(what: &'static str) -> PgpError {
    PgpError::Malformed(OpenPgpProblem::InvalidPacket(what))
}

/// The reason for a length field that runs past the data.
pub(super) fn short() -> PgpError {
    PgpError::Malformed(OpenPgpProblem::Truncated)
}

/// One packet: its tag and its body (borrowed, or joined from partial-length chunks).
#[derive(Debug)]
pub(super) struct Packet<'a> {
    pub(super) tag: u8,
    pub(super) body: Cow<'a, [u8]>,
}

/// The packets of `bytes`, in order. The first framing error ends the sequence.
pub(super) struct Packets<'a> {
    rest: &'a [u8],
    failed: bool,
}

impl<'a> Packets<'a> {
    pub(super) fn new(bytes: &'a [u8]) -> Self {
        Self {
            rest: bytes,
            failed: false,
        }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], PgpError> {
        if self.rest.len() < n {
            return Err(short());
        }
        let (head, tail) = self.rest.split_at(n);
        self.rest = tail;
        Ok(head)
    }

    fn read(&mut self) -> Result<Packet<'a>, PgpError> {
        let ctb = self.take(1)?[0];
        if ctb & 0x80 == 0 {
            return Err(PgpError::Malformed(OpenPgpProblem::PacketHeader(ctb)));
        }
        if ctb & 0x40 == 0 {
            // Old format: the tag in bits 5–2, the length's size in bits 1–0.
            let tag = (ctb >> 2) & 0x0f;
            let len = match ctb & 3 {
                0 => usize::from(self.take(1)?[0]),
                1 => usize::from(u16::from_be_bytes(be(self.take(2)?))),
                2 => u32::from_be_bytes(be(self.take(4)?)) as usize,
                // Indeterminate: the packet runs to the end of the data.
                _ => self.rest.len(),
            };
            return self.finish(tag, len);
        }
        let tag = ctb & 0x3f;
        let (mut len, mut partial) = self.new_length()?;
        if !partial {
            return self.finish(tag, len);
        }
        // Partial body lengths: chunks of 2^n bytes, ended by a definite length.
        if !matches!(tag, tag::LITERAL | tag::COMPRESSED) {
            return Err(PgpError::Malformed(OpenPgpProblem::PartialLength(tag)));
        }
        let mut body = Vec::new();
        while partial {
            body.extend_from_slice(self.take(len)?);
            (len, partial) = self.new_length()?;
        }
        body.extend_from_slice(self.take(len)?);
        Ok(Packet {
            tag,
            body: Cow::Owned(body),
        })
    }

    /// A new-format body length (RFC 4880 §4.2.2), and whether it is a partial one.
    fn new_length(&mut self) -> Result<(usize, bool), PgpError> {
        let first = self.take(1)?[0];
        Ok(match first {
            0..=191 => (usize::from(first), false),
            192..=223 => {
                let second = usize::from(self.take(1)?[0]);
                (((usize::from(first) - 192) << 8) + second + 192, false)
            }
            255 => (u32::from_be_bytes(be(self.take(4)?)) as usize, false),
            partial => (1usize << (partial & 0x1f), true),
        })
    }

    fn finish(&mut self, tag: u8, len: usize) -> Result<Packet<'a>, PgpError> {
        if tag == 0 {
            return Err(invalid("a packet of the reserved tag 0"));
        }
        Ok(Packet {
            tag,
            body: Cow::Borrowed(self.take(len)?),
        })
    }
}

impl<'a> Iterator for Packets<'a> {
    type Item = Result<Packet<'a>, PgpError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.rest.is_empty() {
            return None;
        }
        let packet = self.read();
        self.failed = packet.is_err();
        Some(packet)
    }
}

/// The first `N` bytes of `bytes` (which the callers have checked are there).
pub(super) fn be<const N: usize>(bytes: &[u8]) -> [u8; N] {
    let mut out = [0u8; N];
    out.copy_from_slice(&bytes[..N]);
    out
}

/// A cursor over a packet body, for the fixed fields of its packet type.
pub(super) struct Reader<'a> {
    pub(super) rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(super) fn new(body: &'a [u8]) -> Self {
        Self { rest: body }
    }

    pub(super) fn bytes(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], PgpError> {
        if self.rest.len() < n {
            return Err(PgpError::Malformed(OpenPgpProblem::FieldOverrun(what)));
        }
        let (head, tail) = self.rest.split_at(n);
        self.rest = tail;
        Ok(head)
    }

    pub(super) fn u8(&mut self, what: &'static str) -> Result<u8, PgpError> {
        Ok(self.bytes(1, what)?[0])
    }

    pub(super) fn u16(&mut self, what: &'static str) -> Result<u16, PgpError> {
        Ok(u16::from_be_bytes(be(self.bytes(2, what)?)))
    }

    pub(super) fn u32(&mut self, what: &'static str) -> Result<u32, PgpError> {
        Ok(u32::from_be_bytes(be(self.bytes(4, what)?)))
    }

    /// A multiprecision integer (RFC 4880 §3.2): a bit count, then its bytes. Leading zero
    /// bytes are dropped, as in every other reader of these numbers.
    pub(super) fn mpi(&mut self, what: &'static str) -> Result<&'a [u8], PgpError> {
        let bits = usize::from(self.u16(what)?);
        let bytes = self.bytes(bits.div_ceil(8), what)?;
        let zeros = bytes.iter().take_while(|&&b| b == 0).count();
        Ok(&bytes[zeros..])
    }
}

/// A literal data packet's content (RFC 4880 §5.9): the format, file name and date are not
/// signed and are skipped.
pub(super) fn literal_content(body: &[u8]) -> Result<&[u8], PgpError> {
    let mut r = Reader::new(body);
    r.u8("the literal data format")?;
    let name = usize::from(r.u8("the literal data file name")?);
    r.bytes(name, "the literal data file name")?;
    r.u32("the literal data date")?;
    Ok(r.rest)
}

/// A one-pass signature packet (RFC 4880 §5.4): its version and hash algorithm.
pub(super) fn one_pass(body: &[u8]) -> Result<(u8, u8), PgpError> {
    let mut r = Reader::new(body);
    let version = r.u8("the one-pass signature version")?;
    if version != 3 {
        return Ok((version, 0));
    }
    let _type = r.u8("the one-pass signature type")?;
    let hash = r.u8("the one-pass signature hash algorithm")?;
    r.bytes(10, "the one-pass signature")?;
    if !r.rest.is_empty() {
        return Err(invalid("a one-pass signature packet longer than 13 bytes"));
    }
    Ok((version, hash))
}

/// The packets inside a compressed data packet (RFC 4880 §5.6), at most `limit` bytes of them.
pub(super) fn decompress(body: &[u8], limit: usize) -> Result<Vec<u8>, PgpError> {
    let (&algorithm, data) = body
        .split_first()
        .ok_or_else(|| invalid("an empty compressed data packet"))?;
    let inflated = match algorithm {
        0 => return Ok(data.to_vec()),
        1 => miniz_oxide::inflate::decompress_to_vec_with_limit(data, limit),
        2 => miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(data, limit),
        3 => {
            return Err(PgpError::Malformed(OpenPgpProblem::Bzip2));
        }
        other => {
            return Err(PgpError::Malformed(OpenPgpProblem::CompressionAlgorithm(
                other,
            )));
        }
    };
    inflated.map_err(|e| {
        use miniz_oxide::inflate::TINFLStatus;
        PgpError::Malformed(match e.status {
            TINFLStatus::HasMoreOutput => OpenPgpProblem::DecompressesTooLarge(limit),
            TINFLStatus::FailedCannotMakeProgress | TINFLStatus::NeedsMoreInput => {
                OpenPgpProblem::CorruptCompression("incomplete deflate stream")
            }
            TINFLStatus::Adler32Mismatch => {
                OpenPgpProblem::CorruptCompression("the zlib checksum does not match")
            }
            _ => OpenPgpProblem::CorruptCompression("corrupt deflate stream"),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(bytes: &[u8]) -> Result<Vec<(u8, Vec<u8>)>, PgpError> {
        Packets::new(bytes)
            .map(|p| p.map(|p| (p.tag, p.body.into_owned())))
            .collect()
    }

    #[test]
    fn headers_of_both_formats_and_every_length_form() {
        // Old format, 1-, 2- and 4-byte lengths, and indeterminate.
        assert_eq!(all(&[0x88, 1, 7]), Ok(alloc::vec![(2, alloc::vec![7])]));
        assert_eq!(all(&[0x89, 0, 1, 7]), Ok(alloc::vec![(2, alloc::vec![7])]));
        assert_eq!(
            all(&[0x8a, 0, 0, 0, 1, 7]),
            Ok(alloc::vec![(2, alloc::vec![7])])
        );
        assert_eq!(
            all(&[0xa3, 1, 2, 3]),
            Ok(alloc::vec![(8, alloc::vec![1, 2, 3])])
        );
        // New format: one, two and five bytes.
        assert_eq!(all(&[0xc2, 1, 7]), Ok(alloc::vec![(2, alloc::vec![7])]));
        let mut two = alloc::vec![0xc2, 192, 8];
        two.extend_from_slice(&[1; 200]);
        assert_eq!(all(&two).unwrap()[0].1.len(), 200);
        assert_eq!(
            all(&[0xc2, 255, 0, 0, 0, 1, 7]),
            Ok(alloc::vec![(2, alloc::vec![7])])
        );
        // Partial lengths: 2 bytes, then 1 byte, then a definite 1.
        assert_eq!(
            all(&[0xcb, 0xe1, 1, 2, 0xe0, 3, 1, 4]),
            Ok(alloc::vec![(11, alloc::vec![1, 2, 3, 4])])
        );
    }

    #[test]
    fn damaged_framing_is_refused() {
        assert_eq!(all(&[0x88, 2, 7]), Err(short()));
        assert!(all(&[0x08, 1, 7]).is_err());
        assert!(all(&[0xc0, 0]).is_err());
        // Partial lengths are for data packets only.
        assert!(all(&[0xc2, 0xe0, 1, 0]).is_err());
        // The sequence ends at the first error.
        let mut it = Packets::new(&[0x88, 9, 1, 0xc2, 0]);
        assert!(it.next().unwrap().is_err());
        assert!(it.next().is_none());
    }

    #[test]
    fn literal_and_one_pass_fields() {
        assert_eq!(
            literal_content(&[b'b', 1, b'x', 0, 0, 0, 0, 9, 9]),
            Ok(&[9u8, 9][..])
        );
        assert!(literal_content(&[b'b', 5, b'x']).is_err());
        let ops = [3, 0, 8, 1, 1, 2, 3, 4, 5, 6, 7, 8, 1];
        assert_eq!(one_pass(&ops), Ok((3, 8)));
        assert_eq!(one_pass(&[4, 0]), Ok((4, 0)));
        assert!(one_pass(&ops[..12]).is_err());
    }

    #[test]
    fn compressed_data_is_inflated_within_its_limit() {
        let packed = miniz_oxide::deflate::compress_to_vec(b"hello hello hello", 6);
        let mut body = alloc::vec![1u8];
        body.extend_from_slice(&packed);
        assert_eq!(
            decompress(&body, 100).as_deref(),
            Ok(&b"hello hello hello"[..])
        );
        assert!(decompress(&body, 5).is_err());
        let truncated = &body[..body.len() - 3];
        let Err(PgpError::Malformed(why)) = decompress(truncated, 100) else {
            panic!()
        };
        assert_eq!(
            why,
            OpenPgpProblem::CorruptCompression("incomplete deflate stream")
        );
        assert!(decompress(&[3, 0], 10).is_err());
        assert_eq!(decompress(&[0, 5], 10), Ok(alloc::vec![5]));
    }
}
