//! Signature packets (RFC 4880 §5.2), version 3 and 4, and the digests they sign: over a
//! document, over a key and a user ID, or over a key alone.

use alloc::vec::Vec;

use sha1::Digest as _;

use super::PgpError;
use super::packet::{Reader, invalid};
use crate::signature::problem::OpenPgpProblem;

/// Signature types vouch uses (RFC 4880 §5.2.1).
pub(super) mod kind {
    pub(in super::super) const BINARY: u8 = 0x00;
    pub(in super::super) const TEXT: u8 = 0x01;
    pub(in super::super) const DIRECT_KEY: u8 = 0x1f;
    pub(in super::super) const KEY_REVOCATION: u8 = 0x20;
    pub(in super::super) const SUBKEY_BINDING: u8 = 0x18;
    pub(in super::super) const SUBKEY_REVOCATION: u8 = 0x28;
}

/// Whether `kind` certifies a user ID (generic, persona, casual or positive).
pub(super) fn is_certification(kind: u8) -> bool {
    (0x10..=0x13).contains(&kind)
}

/// A parsed signature packet.
#[derive(Clone, Debug)]
pub(super) struct Sig {
    pub(super) version: u8,
    pub(super) kind: u8,
    pub(super) key_algorithm: u8,
    pub(super) hash: u8,
    /// What the signature hashes after the signed data: for version 4 the packet from its
    /// version through the hashed subpackets, then the trailer; for version 3 the type and
    /// creation time.
    hashed_tail: Vec<u8>,
    /// Creation time (version 3: the field; version 4: the hashed subpacket).
    pub(super) created: Option<u32>,
    /// Seconds after creation when the signature expires (hashed subpacket 3).
    pub(super) expires_after: Option<u32>,
    /// Seconds after the key's creation when the key expires (hashed subpacket 9).
    pub(super) key_expires_after: Option<u32>,
    /// Key flags (hashed subpacket 27): its first byte; `Some(0)` when present but empty.
    pub(super) key_flags: Option<u8>,
    /// Designated revokers (hashed revocation-key subpackets): their fingerprints.
    pub(super) revocation_keys: Vec<[u8; 20]>,
    /// Issuer key IDs and version-4 issuer fingerprints, from both subpacket areas.
    pub(super) issuer_ids: Vec<[u8; 8]>,
    pub(super) issuer_fingerprints: Vec<[u8; 20]>,
    /// The algorithm-specific signature values.
    pub(super) mpis: Vec<Vec<u8>>,
    /// A critical subpacket of a type gpg does not know. gpg reads such a signature to its end
    /// (so damaged framing after it is still damaged framing) and only refuses it as bad
    /// once its key is found and its cryptography holds (`check_signature_end_simple`).
    pub(super) unknown_critical: bool,
}

/// Subpacket types gpg understands; a critical subpacket of any other type makes the
/// signature invalid (RFC 4880 §5.2.3.1).
const KNOWN_SUBPACKETS: [u8; 25] = [
    2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 16, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34,
];

impl Sig {
    /// Reads a signature packet's body.
    pub(super) fn parse(body: &[u8]) -> Result<Self, PgpError> {
        let mut r = Reader::new(body);
        let version = r.u8("the signature version")?;
        let mut sig = Self {
            version,
            kind: 0,
            key_algorithm: 0,
            hash: 0,
            hashed_tail: Vec::new(),
            created: None,
            expires_after: None,
            key_expires_after: None,
            key_flags: None,
            revocation_keys: Vec::new(),
            issuer_ids: Vec::new(),
            issuer_fingerprints: Vec::new(),
            mpis: Vec::new(),
            unknown_critical: false,
        };
        match version {
            2 | 3 => {
                if r.u8("the signature's hashed length")? != 5 {
                    return Err(invalid(
                        "a version 3 signature whose hashed length is not 5",
                    ));
                }
                let hashed = r.bytes(5, "the signature's hashed fields")?;
                sig.kind = hashed[0];
                sig.hashed_tail = hashed.to_vec();
                sig.created = Some(u32::from_be_bytes(super::packet::be(&hashed[1..])));
                sig.issuer_ids
                    .push(super::packet::be(r.bytes(8, "the signer's key ID")?));
                sig.key_algorithm = r.u8("the signature's key algorithm")?;
                sig.hash = r.u8("the signature's hash algorithm")?;
            }
            4 => {
                sig.kind = r.u8("the signature type")?;
                sig.key_algorithm = r.u8("the signature's key algorithm")?;
                sig.hash = r.u8("the signature's hash algorithm")?;
                let hashed_len = usize::from(r.u16("the hashed subpacket length")?);
                let hashed = r.bytes(hashed_len, "the hashed subpackets")?;
                sig.subpackets(hashed, true)?;
                let unhashed_len = usize::from(r.u16("the unhashed subpacket length")?);
                let unhashed = r.bytes(unhashed_len, "the unhashed subpackets")?;
                sig.subpackets(unhashed, false)?;
                let hashed_part = &body[..6 + hashed_len];
                let mut tail = Vec::with_capacity(hashed_part.len() + 6);
                tail.extend_from_slice(hashed_part);
                tail.extend_from_slice(&[0x04, 0xff]);
                tail.extend_from_slice(&(hashed_part.len() as u32).to_be_bytes());
                sig.hashed_tail = tail;
            }
            other => {
                return Err(PgpError::Malformed(OpenPgpProblem::SignatureVersion(other)));
            }
        }
        // The left 16 bits of the digest: a quick check gpg does not hold signatures to.
        r.bytes(2, "the digest's left 16 bits")?;
        let count = match sig.key_algorithm {
            1 | 3 => 1,
            _ => 2,
        };
        for _ in 0..count {
            sig.mpis.push(r.mpi("the signature value")?.to_vec());
        }
        if !r.rest.is_empty() {
            return Err(invalid("bytes after the signature value"));
        }
        Ok(sig)
    }

    fn subpackets(&mut self, mut area: &[u8], hashed: bool) -> Result<(), PgpError> {
        while let Some((&first, rest)) = area.split_first() {
            let mut r = Reader::new(rest);
            let len = match first {
                0..=191 => usize::from(first),
                192..=254 => {
                    ((usize::from(first) - 192) << 8)
                        + usize::from(r.u8("a subpacket length")?)
                        + 192
                }
                255 => r.u32("a subpacket length")? as usize,
            };
            let packet = r.bytes(len, "a subpacket")?;
            area = r.rest;
            let Some((&type_byte, data)) = packet.split_first() else {
                return Err(invalid("an empty subpacket"));
            };
            let critical = type_byte & 0x80 != 0;
            let kind = type_byte & 0x7f;
            if critical && !KNOWN_SUBPACKETS.contains(&kind) {
                self.unknown_critical = true;
            }
            let time = || -> Result<u32, PgpError> {
                match data {
                    [a, b, c, d] => Ok(u32::from_be_bytes([*a, *b, *c, *d])),
                    _ => Err(PgpError::Malformed(OpenPgpProblem::SubpacketLength(kind))),
                }
            };
            match kind {
                16 => self.issuer_ids.push(
                    data.try_into()
                        .map_err(|_| invalid("an issuer subpacket that is not 8 bytes"))?,
                ),
                33 => {
                    if let [4, fingerprint @ ..] = data
                        && fingerprint.len() == 20
                    {
                        self.issuer_fingerprints
                            .push(super::packet::be(fingerprint));
                    }
                }
                2 if hashed => self.created = Some(time()?),
                3 if hashed => self.expires_after = Some(time()?),
                9 if hashed => self.key_expires_after = Some(time()?),
                27 if hashed => self.key_flags = Some(data.first().copied().unwrap_or(0)),
                // Class (0x80 set), public-key algorithm, then a version 4 fingerprint.
                12 if hashed => {
                    if let [class, _, fingerprint @ ..] = data
                        && class & 0x80 != 0
                        && fingerprint.len() == 20
                    {
                        self.revocation_keys.push(super::packet::be(fingerprint));
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// The digest this signature signs, over `parts` (already prefixed as the signature
    /// type requires). `None` for a hash algorithm vouch does not verify with.
    fn digest(&self, parts: &[&[u8]]) -> Option<Vec<u8>> {
        let mut hasher = Hasher::new(self.hash)?;
        for part in parts {
            hasher.update(part);
        }
        hasher.update(&self.hashed_tail);
        Some(hasher.finalize())
    }

    /// Whether `other` is the very same signature (the same hashed part and value).
    pub(super) fn same_as(&self, other: &Self) -> bool {
        self.hashed_tail == other.hashed_tail && self.mpis == other.mpis
    }

    /// The digest over a document. A text signature hashes the content with its line
    /// endings made CR LF.
    pub(super) fn document_digest(&self, content: &[u8]) -> Option<Vec<u8>> {
        if self.kind == kind::TEXT {
            let text = crlf(content);
            self.digest(&[&text])
        } else {
            self.digest(&[content])
        }
    }

    /// The digest over a key alone (direct-key signatures and key revocations).
    pub(super) fn key_digest(&self, key_body: &[u8]) -> Option<Vec<u8>> {
        let header = key_header(key_body);
        self.digest(&[&header, key_body])
    }

    /// The digest over a primary key and a subkey (bindings and subkey revocations).
    pub(super) fn subkey_digest(&self, key_body: &[u8], subkey_body: &[u8]) -> Option<Vec<u8>> {
        let header = key_header(key_body);
        let sub_header = key_header(subkey_body);
        self.digest(&[&header, key_body, &sub_header, subkey_body])
    }

    /// The digest over a key and one of its user IDs (certifications).
    pub(super) fn user_id_digest(&self, key_body: &[u8], user_id: &[u8]) -> Option<Vec<u8>> {
        let header = key_header(key_body);
        if self.version == 4 {
            let mut prefix = [0xb4u8, 0, 0, 0, 0];
            prefix[1..].copy_from_slice(&(user_id.len() as u32).to_be_bytes());
            self.digest(&[&header, key_body, &prefix, user_id])
        } else {
            self.digest(&[&header, key_body, user_id])
        }
    }
}

/// A key packet as it is hashed: `0x99`, the body's two-byte length (callers refuse keys
/// longer than that), the body.
pub(super) fn key_header(body: &[u8]) -> [u8; 3] {
    let len = (body.len() as u16).to_be_bytes();
    [0x99, len[0], len[1]]
}

/// `content` with every line ending (LF, CR, or CR LF) made CR LF.
fn crlf(content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len() + content.len() / 16);
    let mut bytes = content.iter().peekable();
    while let Some(&b) = bytes.next() {
        match b {
            b'\r' => {
                out.extend_from_slice(b"\r\n");
                if bytes.peek() == Some(&&b'\n') {
                    bytes.next();
                }
            }
            b'\n' => out.extend_from_slice(b"\r\n"),
            _ => out.push(b),
        }
    }
    out
}

/// The hash algorithms vouch verifies OpenPGP signatures with (RFC 4880 §9.4): SHA-1 and
/// SHA-256/384/512, the digests both crypto backends verify with. MD5 is refused, as gpg
/// refuses it; RIPEMD-160 and SHA-224, which gpg 2.2 still verifies, are refused because
/// aws-lc-rs verifies no RSA signature over them (docs/decisions.md).
pub(super) enum Hasher {
    Sha1(sha1::Sha1),
    Sha256(sha2::Sha256),
    Sha384(sha2::Sha384),
    Sha512(sha2::Sha512),
}

impl Hasher {
    pub(super) fn new(algorithm: u8) -> Option<Self> {
        Some(match algorithm {
            2 => Self::Sha1(sha1::Sha1::new()),
            8 => Self::Sha256(sha2::Sha256::new()),
            9 => Self::Sha384(sha2::Sha384::new()),
            10 => Self::Sha512(sha2::Sha512::new()),
            _ => return None,
        })
    }

    pub(super) fn update(&mut self, data: &[u8]) {
        match self {
            Self::Sha1(h) => h.update(data),
            Self::Sha256(h) => h.update(data),
            Self::Sha384(h) => h.update(data),
            Self::Sha512(h) => h.update(data),
        }
    }

    pub(super) fn finalize(self) -> Vec<u8> {
        match self {
            Self::Sha1(h) => h.finalize().to_vec(),
            Self::Sha256(h) => h.finalize().to_vec(),
            Self::Sha384(h) => h.finalize().to_vec(),
            Self::Sha512(h) => h.finalize().to_vec(),
        }
    }
}

/// The crypto interface's name for an OpenPGP hash algorithm vouch verifies with.
pub(super) fn crypto_hash(algorithm: u8) -> Option<crate::crypto::Hash> {
    use crate::crypto::Hash;
    Some(match algorithm {
        2 => Hash::Sha1,
        8 => Hash::Sha256,
        9 => Hash::Sha384,
        10 => Hash::Sha512,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_line_endings_become_crlf() {
        assert_eq!(crlf(b"a\nb\r\nc\rd"), b"a\r\nb\r\nc\r\nd".to_vec());
        assert_eq!(crlf(b"\r\r\n\n"), b"\r\n\r\n\r\n".to_vec());
    }

    #[test]
    fn version_4_fields_and_subpackets() {
        // Type 0, RSA, SHA-256; hashed: created (2) and issuer fingerprint (33); unhashed:
        // issuer (16); left 16 bits; one MPI of 9 bits.
        let mut body = alloc::vec![4, 0, 1, 8];
        let mut hashed = alloc::vec![5, 2, 0, 0, 1, 0, 22, 33, 4];
        hashed.extend_from_slice(&[0xaa; 20]);
        body.extend_from_slice(&(hashed.len() as u16).to_be_bytes());
        body.extend_from_slice(&hashed);
        let unhashed = [9u8, 16, 1, 2, 3, 4, 5, 6, 7, 8];
        body.extend_from_slice(&(unhashed.len() as u16).to_be_bytes());
        body.extend_from_slice(&unhashed);
        body.extend_from_slice(&[0xab, 0xcd, 0, 9, 1, 0xff]);
        let sig = Sig::parse(&body).unwrap();
        assert_eq!(
            (sig.version, sig.kind, sig.key_algorithm, sig.hash),
            (4, 0, 1, 8)
        );
        assert_eq!(sig.created, Some(256));
        assert_eq!(sig.issuer_ids, alloc::vec![[1, 2, 3, 4, 5, 6, 7, 8]]);
        assert_eq!(sig.issuer_fingerprints, alloc::vec![[0xaa; 20]]);
        assert_eq!(sig.mpis, alloc::vec![alloc::vec![1, 0xff]]);
        assert_eq!(
            &sig.hashed_tail[..6 + hashed.len()],
            &body[..6 + hashed.len()]
        );
        // A critical subpacket of an unknown type makes it unusable, once it is checked.
        let mut critical = body.clone();
        critical[7] = 0x80 | 100;
        assert!(Sig::parse(&critical).unwrap().unknown_critical);
        assert!(!sig.unknown_critical);
        // Trailing bytes, and a subpacket running past its area, are refused.
        let mut long = body.clone();
        long.push(0);
        assert!(Sig::parse(&long).is_err());
        let mut overrun = body;
        overrun[6] = 50;
        assert!(Sig::parse(&overrun).is_err());
        assert!(Sig::parse(&[5, 0]).is_err());
    }
}
