//! Signed certificate timestamps embedded in a Fulcio certificate (RFC 6962 §3.3), verified as
//! sigstore-go 1.3 verifies them (`verify.VerifySignedCertificateTimestamp` with
//! certificate-transparency-go): each SCT of a CT log the trusted root knows, at a time within
//! the log key's validity, over the precertificate entry rebuilt from the leaf (its TBS without
//! the SCT list) and its issuer's key hash; one verified log per threshold unit.

use alloc::vec::Vec;
use core::fmt;

use sha2::{Digest as _, Sha256};

use super::root::TrustedRoot;
use crate::crypto::keys::PublicKey;
use crate::crypto::{Hash, SignatureBytes};
use crate::trust::certificate::Certificate;

/// The SCT list extension (1.3.6.1.4.1.11129.2.4.2), DER-encoded OID contents.
const SCT_LIST_OID: &[u8] = &[0x2b, 0x06, 0x01, 0x04, 0x01, 0xd6, 0x79, 0x02, 0x04, 0x02];

/// Why the embedded SCTs do not satisfy the policy.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SctError {
    /// No verified chain to rebuild the precertificate entry from.
    NoChains,
    /// The SCT list or one of its SCTs does not parse.
    Malformed(&'static str),
    /// Fewer CT logs verified than required.
    Threshold {
        /// Logs whose SCT verified.
        verified: usize,
        /// Logs required.
        required: usize,
    },
}

impl fmt::Display for SctError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoChains => f.write_str("no chains provided"),
            Self::Malformed(why) => write!(f, "failed to parse certificate: {why}"),
            Self::Threshold { verified, required } => write!(
                f,
                "only able to verify {verified} SCT entries; unable to meet threshold of {required}"
            ),
        }
    }
}

impl core::error::Error for SctError {}

/// One SCT.
struct Sct<'a> {
    version: u8,
    log_id: &'a [u8],
    timestamp: u64,
    extensions: &'a [u8],
    hash: u8,
    algorithm: u8,
    signature: &'a [u8],
}

/// A TLS reader.
struct Tls<'a>(&'a [u8]);

impl<'a> Tls<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }
    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }
    fn u16(&mut self) -> Option<usize> {
        self.take(2)
            .map(|b| usize::from(b[0]) << 8 | usize::from(b[1]))
    }
    fn u64(&mut self) -> Option<u64> {
        self.take(8)
            .map(|b| b.iter().fold(0u64, |acc, &x| acc << 8 | u64::from(x)))
    }
    fn opaque16(&mut self) -> Option<&'a [u8]> {
        let n = self.u16()?;
        self.take(n)
    }
}

/// The SCTs of the leaf's SCT list extension (none when it has none).
fn scts(leaf: &Certificate) -> Result<Vec<Sct<'_>>, SctError> {
    let Some((_, value)) = leaf
        .view
        .extensions
        .iter()
        .find(|(oid, _)| oid.as_bytes() == SCT_LIST_OID)
    else {
        return Ok(Vec::new());
    };
    // An OCTET STRING holding the TLS list.
    let (tag, list, rest) = tlv(value).ok_or(SctError::Malformed("SCT list"))?;
    if tag != 0x04 || !rest.is_empty() {
        return Err(SctError::Malformed("SCT list"));
    }
    let mut outer = Tls(list);
    let body = outer.opaque16().ok_or(SctError::Malformed("SCT list"))?;
    if !outer.0.is_empty() || body.is_empty() {
        return Err(SctError::Malformed("SCT list"));
    }
    let mut items = Tls(body);
    let mut out = Vec::new();
    while !items.0.is_empty() {
        let serialized = items
            .opaque16()
            .filter(|s| !s.is_empty())
            .ok_or(SctError::Malformed("SCT list"))?;
        let mut r = Tls(serialized);
        let sct = (|| {
            Some(Sct {
                version: r.u8()?,
                log_id: r.take(32)?,
                timestamp: r.u64()?,
                extensions: r.opaque16()?,
                hash: r.u8()?,
                algorithm: r.u8()?,
                signature: r.opaque16()?,
            })
        })()
        .filter(|_| r.0.is_empty())
        .ok_or(SctError::Malformed("error extracting SCT"))?;
        out.push(sct);
    }
    Ok(out)
}

/// Verifies the leaf's SCTs against the trusted root's CT logs with the issuers of `chains`
/// (Go's verified chains, the leaf first).
pub(crate) fn verify(
    chains: &[Vec<&Certificate>],
    root: &TrustedRoot,
    threshold: usize,
) -> Result<(), SctError> {
    let Some(leaf) = chains.first().and_then(|c| c.first()) else {
        return Err(SctError::NoChains);
    };
    let scts = scts(leaf)?;
    let Some(tbs) = precertificate_tbs(&leaf.view.raw_tbs) else {
        return Err(SctError::Malformed("the TBS certificate"));
    };
    let mut verified: Vec<&[u8]> = Vec::new();
    for sct in &scts {
        if verified.contains(&sct.log_id) {
            continue;
        }
        let Some(log) = root.ctlog(sct.log_id) else {
            continue;
        };
        let at = i128::from(sct.timestamp) * 1_000_000;
        if !log.validity.contains(at) {
            continue;
        }
        let ok = chains.iter().filter(|c| c.len() >= 2).any(|chain| {
            let issuer_key_hash = Sha256::digest(&chain[1].view.spki);
            verify_one(
                sct,
                &log.key,
                log.verifying.as_ref(),
                &tbs,
                &issuer_key_hash,
            )
        });
        if ok {
            verified.push(sct.log_id);
        }
    }
    if verified.len() < threshold {
        return Err(SctError::Threshold {
            verified: verified.len(),
            required: threshold,
        });
    }
    Ok(())
}

/// One SCT's signature over the precertificate entry (RFC 6962 §3.2).
fn verify_one(
    sct: &Sct<'_>,
    key: &PublicKey,
    verifying: Option<&crate::crypto::VerifyingKey>,
    tbs: &[u8],
    issuer_key_hash: &[u8],
) -> bool {
    let Some(verifying) = verifying else {
        return false;
    };
    if sct.version != 0 || tbs.len() >= 1 << 24 || sct.extensions.len() >= 1 << 16 {
        return false;
    }
    let mut signed = Vec::with_capacity(tbs.len() + 64);
    signed.push(0); // v1
    signed.push(0); // certificate_timestamp
    signed.extend_from_slice(&sct.timestamp.to_be_bytes());
    signed.extend_from_slice(&[0, 1]); // precert_entry
    signed.extend_from_slice(issuer_key_hash);
    let n = tbs.len();
    signed.extend_from_slice(&[(n >> 16) as u8, (n >> 8) as u8, n as u8]);
    signed.extend_from_slice(tbs);
    let e = sct.extensions.len();
    signed.extend_from_slice(&[(e >> 8) as u8, e as u8]);
    signed.extend_from_slice(sct.extensions);
    let hash = match sct.hash {
        4 => Hash::Sha256,
        5 => Hash::Sha384,
        6 => Hash::Sha512,
        // MD5, SHA-1, SHA-224: ct-go takes them; vouch verifies none (fail closed).
        _ => return false,
    };
    let digest = super::keys::digest(hash, &signed);
    match (key, sct.algorithm) {
        // ct-go's verifier takes RSA keys of 2,048 bits or more and ECDSA keys on P-256 only.
        (PublicKey::Rsa { n, .. }, 1) if super::keys::rsa_bits(n) >= 2048 => {
            verifying.verify_digest(hash, &digest, SignatureBytes::RsaPkcs1(sct.signature))
        }
        (PublicKey::P256(_), 3) => {
            // `asn1.Unmarshal` into {R, S}: trailing bytes tolerated, then R and S re-encoded.
            let Some(der) = lenient_ecdsa(sct.signature) else {
                return false;
            };
            verifying.verify_digest(hash, &digest, SignatureBytes::EcdsaDer(&der))
        }
        _ => false,
    }
}

/// An ECDSA signature's `SEQUENCE { r, s }` read as Go's `asn1.Unmarshal` reads it (bytes after
/// it ignored; r and s positive), encoded again as DER.
fn lenient_ecdsa(signature: &[u8]) -> Option<Vec<u8>> {
    let (tag, body, _) = tlv(signature)?;
    if tag != 0x30 {
        return None;
    }
    let (t1, r, rest) = tlv(body)?;
    let (t2, s, rest) = tlv(rest)?;
    if t1 != 0x02 || t2 != 0x02 || !rest.is_empty() {
        return None;
    }
    let positive =
        |x: &[u8]| x.first().is_some_and(|&b| b & 0x80 == 0) && x.iter().any(|&b| b != 0);
    if !positive(r) || !positive(s) {
        return None;
    }
    Some(crate::crypto::ecdsa_der(r, s))
}

/// One DER TLV: tag, contents, rest.
fn tlv(data: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, data) = data.split_first()?;
    let (&first, data) = data.split_first()?;
    let (len, data) = if first < 0x80 {
        (usize::from(first), data)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 || data.len() < n {
            return None;
        }
        let len = data[..n]
            .iter()
            .fold(0usize, |acc, &b| acc << 8 | usize::from(b));
        (len, &data[n..])
    };
    (data.len() >= len).then(|| (tag, &data[..len], &data[len..]))
}

/// A DER TLV from its tag and contents.
fn encode(tag: u8, contents: &[u8]) -> Vec<u8> {
    let mut out = alloc::vec![tag];
    let n = contents.len();
    if n < 0x80 {
        out.push(n as u8);
    } else {
        let bytes = n.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(contents);
    out
}

/// The TBS certificate without its one SCT list extension (ct-go's `RemoveSCTList`), as DER.
fn precertificate_tbs(raw_tbs: &[u8]) -> Option<Vec<u8>> {
    let (tag, body, rest) = tlv(raw_tbs)?;
    if tag != 0x30 || !rest.is_empty() {
        return None;
    }
    let mut fields = Vec::new();
    let mut rest = body;
    let mut found = 0;
    while !rest.is_empty() {
        let (tag, contents, after) = tlv(rest)?;
        let whole = &rest[..rest.len() - after.len()];
        if tag == 0xa3 {
            let (seq_tag, extensions, tail) = tlv(contents)?;
            if seq_tag != 0x30 || !tail.is_empty() {
                return None;
            }
            let mut kept = Vec::new();
            let mut list = extensions;
            while !list.is_empty() {
                let (ext_tag, ext, next) = tlv(list)?;
                let whole_ext = &list[..list.len() - next.len()];
                let (oid_tag, oid, _) = tlv(ext)?;
                if ext_tag == 0x30 && oid_tag == 0x06 && oid == SCT_LIST_OID {
                    found += 1;
                } else {
                    kept.extend_from_slice(whole_ext);
                }
                list = next;
            }
            if !kept.is_empty() {
                fields.extend(encode(0xa3, &encode(0x30, &kept)));
            }
        } else {
            fields.extend_from_slice(whole);
        }
        rest = after;
    }
    (found == 1).then(|| encode(0x30, &fields))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sct_list_is_removed_from_the_tbs() {
        // SEQUENCE { INTEGER 2, [3] { SEQUENCE { ext(other), ext(SCT) } } }
        let other = encode(
            0x30,
            &[
                encode(0x06, &[0x55, 0x1d, 0x0f]),
                encode(0x04, &[3, 2, 7, 0x80]),
            ]
            .concat(),
        );
        let sct = encode(
            0x30,
            &[encode(0x06, SCT_LIST_OID), encode(0x04, &[0x04, 0x00])].concat(),
        );
        let tbs = encode(
            0x30,
            &[
                encode(0x02, &[2]),
                encode(0xa3, &encode(0x30, &[other.clone(), sct.clone()].concat())),
            ]
            .concat(),
        );
        let want = encode(
            0x30,
            &[encode(0x02, &[2]), encode(0xa3, &encode(0x30, &other))].concat(),
        );
        assert_eq!(precertificate_tbs(&tbs), Some(want));
        let only = encode(
            0x30,
            &[encode(0x02, &[2]), encode(0xa3, &encode(0x30, &sct))].concat(),
        );
        assert_eq!(
            precertificate_tbs(&only),
            Some(encode(0x30, &encode(0x02, &[2])))
        );
        let none = encode(
            0x30,
            &[encode(0x02, &[2]), encode(0xa3, &encode(0x30, &other))].concat(),
        );
        assert_eq!(precertificate_tbs(&none), None);
    }

    #[test]
    fn lenient_ecdsa_signatures() {
        let sig = encode(0x30, &[encode(0x02, &[1]), encode(0x02, &[2])].concat());
        let mut trailing = sig.clone();
        trailing.push(0);
        assert_eq!(lenient_ecdsa(&trailing), Some(sig.clone()));
        assert!(
            lenient_ecdsa(&encode(
                0x30,
                &[encode(0x02, &[0x81]), encode(0x02, &[2])].concat()
            ))
            .is_none()
        );
    }
}
