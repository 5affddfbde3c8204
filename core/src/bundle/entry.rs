//! A transparency-log entry's body (`canonicalizedBody`) parsed as sigstore-go 1.3 parses it
//! when it reads a bundle (`tlog.NewTlogEntry`): first as a Rekor v2 entry (protobuf's JSON;
//! only `hashedrekord` 0.0.2), else as a Rekor v1 entry (Go's `encoding/json` through Rekor's
//! generated models; the kinds sigstore-go registers: `hashedrekord` 0.0.1, `dsse` 0.0.1 and
//! `intoto` 0.0.2), each held to its schema. A `hashedrekord` 0.0.1 body's own signature is
//! verified while it is read, as Rekor's model does.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::go::json::{self as gojson, Any, Node, Value};
use crate::go::protojson::{self as pj, Field};

/// How deeply a body may nest.
const MAX_DEPTH: usize = 32;

/// Why an entry does not read.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EntryError {
    /// A field every entry must have is missing: the body, the log ID, the kind and version,
    /// or a log index that is not negative.
    NilValue,
    /// An inclusion proof without a checkpoint.
    MissingCheckpoint,
    /// An inclusion proof with an empty checkpoint.
    EmptyCheckpoint,
    /// A body that no supported kind and version reads (what the Rekor v1 reading said).
    UnrecognizedBody(String),
}

impl fmt::Display for EntryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NilValue => f.write_str("validation error: nil value in transaction log entry"),
            Self::MissingCheckpoint => f.write_str("inclusion proof missing required checkpoint"),
            Self::EmptyCheckpoint => f.write_str("inclusion proof checkpoint empty"),
            Self::UnrecognizedBody(why) => write!(
                f,
                "entry body is not a recognizable Rekor v1 or Rekor v2 type: {why}"
            ),
        }
    }
}

impl core::error::Error for EntryError {}

/// A digest named by its algorithm, as an entry holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct NamedHash {
    pub(crate) algorithm: String,
    /// The value as written (hex in Rekor v1 bodies).
    pub(crate) value: String,
}

/// A Rekor v2 `hashedrekord` 0.0.2 verifier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum V2Key {
    PublicKey(Vec<u8>),
    Certificate(Vec<u8>),
    Neither,
}

/// A parsed body: what verification compares with the bundle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Body {
    /// `hashedrekord` 0.0.1 (its signature already verified).
    HashedRekord {
        signature: Vec<u8>,
        /// The PEM text of the key or certificate.
        public_key: Vec<u8>,
        hash: NamedHash,
    },
    /// `dsse` 0.0.1: the first signature (base64 text) and verifier (PEM), and the payload's
    /// hash.
    Dsse {
        signature: String,
        verifier: Vec<u8>,
        payload_hash: Option<NamedHash>,
    },
    /// `intoto` 0.0.2: the first signature (still the envelope's base64 text) and public key
    /// (PEM), and the payload's hash.
    Intoto {
        sig: Vec<u8>,
        public_key: Vec<u8>,
        payload_hash: Option<NamedHash>,
    },
    /// Rekor v2 `hashedrekord` 0.0.2 (checked when verified: `data`, a non-empty signature
    /// and its verifier must be there).
    HashedRekordV2 {
        has_data: bool,
        signature: Option<Vec<u8>>,
        verifier: Option<V2Key>,
    },
}

/// Parses a body: Rekor v2 first, then Rekor v1.
pub(crate) fn parse_body(body: &[u8]) -> Result<Body, EntryError> {
    if let Some(v2) = rekor_v2(body) {
        return Ok(v2);
    }
    rekor_v1(body).map_err(EntryError::UnrecognizedBody)
}

const V2_ENTRY: [Field; 3] = [
    Field::new("kind", "kind"),
    Field::new("apiVersion", "api_version"),
    Field::new("spec", "spec"),
];
const V2_SPEC: [Field; 2] = [
    Field::of("hashedRekordV002", "hashed_rekord_v002", 0),
    Field::of("dsseV002", "dsse_v002", 0),
];
const V2_HASHEDREKORD: [Field; 2] = [
    Field::new("data", "data"),
    Field::new("signature", "signature"),
];
const V2_HASH_OUTPUT: [Field; 2] = [
    Field::new("algorithm", "algorithm"),
    Field::new("digest", "digest"),
];
const V2_SIGNATURE: [Field; 2] = [
    Field::new("content", "content"),
    Field::new("verifier", "verifier"),
];
const V2_VERIFIER: [Field; 3] = [
    Field::of("publicKey", "public_key", 0),
    Field::of("x509Certificate", "x509_certificate", 0),
    Field::new("keyDetails", "key_details"),
];
const RAW_BYTES: [Field; 1] = [Field::new("rawBytes", "raw_bytes")];
const V2_DSSE: [Field; 2] = [
    Field::new("envelope", "envelope"),
    Field::new("verifiers", "verifiers"),
];

/// A Rekor v2 body, when it is one sigstore-go verifies (`hashedrekord` 0.0.2).
fn rekor_v2(body: &[u8]) -> Option<Body> {
    let document = pj::document(body).ok()?;
    let [kind, api_version, spec] = pj::message(&document, &V2_ENTRY, "Entry").ok()?;
    pj::string(kind, "kind").ok()?;
    let api_version = pj::string(api_version, "apiVersion").ok()?;
    let (hashed, dsse) = match spec {
        Some(spec) => {
            let [hashed, dsse] = pj::message(spec, &V2_SPEC, "Spec").ok()?;
            (hashed, dsse)
        }
        None => (None, None),
    };
    if let Some(dsse) = dsse {
        // Read to find JSON errors; never verified (sigstore-go has no Rekor v2 DSSE).
        pj::message(dsse, &V2_DSSE, "DSSELogEntryV002").ok()?;
    }
    let out = match hashed {
        Some(hashed) => v2_hashedrekord(hashed)?,
        None => return None,
    };
    (api_version == "0.0.2").then_some(out)
}

fn v2_hashedrekord(node: &Node) -> Option<Body> {
    let [data, signature] = pj::message(node, &V2_HASHEDREKORD, "HashedRekordLogEntryV002").ok()?;
    if let Some(data) = data {
        let [algorithm, digest] = pj::message(data, &V2_HASH_OUTPUT, "HashOutput").ok()?;
        pj::enumeration(algorithm, super::root::HASH_ALGORITHMS, "algorithm").ok()?;
        pj::bytes(digest, "digest").ok()?;
    }
    let (content, verifier) = match signature {
        Some(signature) => {
            let [content, verifier] = pj::message(signature, &V2_SIGNATURE, "Signature").ok()?;
            let verifier = match verifier {
                Some(v) => {
                    let [public_key, certificate, details] =
                        pj::message(v, &V2_VERIFIER, "Verifier").ok()?;
                    pj::enumeration(details, super::root::KEY_DETAILS, "keyDetails").ok()?;
                    let raw = |n: &Node| -> Option<Vec<u8>> {
                        let [raw] = pj::message(n, &RAW_BYTES, "raw").ok()?;
                        pj::bytes(raw, "rawBytes").ok()
                    };
                    Some(match (public_key, certificate) {
                        (Some(k), _) => V2Key::PublicKey(raw(k)?),
                        (_, Some(c)) => V2Key::Certificate(raw(c)?),
                        _ => V2Key::Neither,
                    })
                }
                None => None,
            };
            (Some(pj::bytes(content, "content").ok()?), verifier)
        }
        None => (None, None),
    };
    Some(Body::HashedRekordV2 {
        has_data: data.is_some(),
        signature: content,
        verifier,
    })
}

/// A Rekor v1 body, or why not, in Rekor's words.
fn rekor_v1(body: &[u8]) -> Result<Body, String> {
    let node = gojson::parse_first(body, MAX_DEPTH).map_err(|e| e.message)?;
    let Value::Object(members) = &node.value else {
        return Err("json: cannot unmarshal into Go value of type models.ProposedEntry".into());
    };
    let kind = match gojson::go_field(members, "kind").map(|n| &n.value) {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(kind)) => kind.clone(),
        Some(_) => return Err("json: cannot unmarshal kind".into()),
    };
    if kind.is_empty() {
        return Err("kind in body is required".into());
    }
    let version = match kind.as_str() {
        "hashedrekord" => "0.0.1",
        "dsse" => "0.0.1",
        "intoto" => "0.0.2",
        "alpine" | "cose" | "helm" | "jar" | "rekord" | "rfc3161" | "rpm" | "tuf" => {
            return Err(alloc::format!(
                "could not unmarshal entry for kind '{kind}'"
            ));
        }
        _ => return Err(alloc::format!("invalid kind value: {kind:?}")),
    };
    let api_version = match gojson::go_field(members, "apiversion").map(|n| &n.value) {
        None | Some(Value::Null) => return Err("api version cannot be nil".into()),
        Some(Value::String(v)) => v.clone(),
        Some(_) => return Err("json: cannot unmarshal apiVersion".into()),
    };
    if !same_semver(&api_version, version) {
        return Err(alloc::format!(
            "{kind} implementation for version '{api_version}' not found"
        ));
    }
    let spec = gojson::go_field(members, "spec").map_or(Any::Null, Any::from_node);
    match kind.as_str() {
        "hashedrekord" => hashedrekord(&spec),
        "dsse" => dsse(&spec),
        _ => intoto(&spec),
    }
}

/// Whether `text` is, as `blang/semver` parses and compares it, the release `version`
/// (build metadata ignored).
fn same_semver(text: &str, version: &str) -> bool {
    let core = text.split_once('+').map_or(
        text,
        |(core, build)| {
            if build.is_empty() { "" } else { core }
        },
    );
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes().all(|b| b.is_ascii_digit())
                && (p.len() == 1 || !p.starts_with('0'))
        })
        && core == version
}

fn object(value: &Any) -> Option<&alloc::collections::BTreeMap<String, Any>> {
    match value {
        Any::Object(map) => Some(map),
        _ => None,
    }
}

fn text<'a>(map: &'a alloc::collections::BTreeMap<String, Any>, key: &str) -> Option<&'a str> {
    match map.get(key) {
        Some(Any::String(s)) => Some(s),
        _ => None,
    }
}

/// Go's `base64.StdEncoding` of a non-empty string field, as Rekor's `DecodeEntry` reads one
/// (`None`: absent or empty; an error: not base64).
fn base64_field(
    map: &alloc::collections::BTreeMap<String, Any>,
    key: &str,
) -> Result<Option<Vec<u8>>, String> {
    match text(map, key) {
        Some(s) if !s.is_empty() => crate::go::base64_std(s)
            .map(Some)
            .map_err(|at| alloc::format!("illegal base64 data at input byte {at}")),
        _ => Ok(None),
    }
}

fn named_hash(value: Option<&Any>, what: &str) -> Result<Option<NamedHash>, String> {
    let Some(map) = value.and_then(object) else {
        return Ok(None);
    };
    let algorithm = text(map, "algorithm");
    let hash_value = text(map, "value");
    let (Some(algorithm), Some(hash_value)) = (algorithm, hash_value) else {
        return Err(alloc::format!("{what}: algorithm and value are required"));
    };
    Ok(Some(NamedHash {
        algorithm: algorithm.into(),
        value: hash_value.into(),
    }))
}

fn hashedrekord(spec: &Any) -> Result<Body, String> {
    let spec = object(spec);
    let signature = spec.and_then(|s| s.get("signature")).and_then(object);
    let data_hash = spec
        .and_then(|s| s.get("data"))
        .and_then(object)
        .and_then(|d| d.get("hash"))
        .and_then(object);
    let data_present = spec.and_then(|s| s.get("data")).and_then(object).is_some();
    if !data_present {
        return Err("data in body is required".into());
    }
    let Some(signature) = signature else {
        return Err("signature in body is required".into());
    };
    let content = base64_field(signature, "content")?;
    let public_key = signature.get("publicKey").and_then(object);
    let key = match public_key {
        Some(k) => base64_field(k, "content")?,
        None => None,
    };
    let hash = match data_hash {
        Some(h) => {
            let algorithm = text(h, "algorithm");
            if !matches!(algorithm, Some("sha256" | "sha384" | "sha512")) {
                return Err(
                    "hash.algorithm in body should be one of [sha256 sha384 sha512]".into(),
                );
            }
            let Some(value) = text(h, "value") else {
                return Err("hash.value in body is required".into());
            };
            Some(NamedHash {
                algorithm: algorithm.unwrap_or_default().into(),
                value: value.into(),
            })
        }
        None => None,
    };
    // Rekor's `validate`.
    let Some(content) = content else {
        return Err("missing signature".into());
    };
    if public_key.is_none() {
        return Err("missing public key".into());
    }
    let key_pem = key.unwrap_or_default();
    let key = super::keys::rekor_public_key(&key_pem)?;
    let Some(hash) = hash else {
        return Err("missing hash".into());
    };
    let want = match hash.algorithm.as_str() {
        "sha384" => 96,
        "sha512" => 128,
        _ => 64,
    };
    if hash.value.len() != want {
        return Err("invalid value for hash".into());
    }
    let digest = crate::go::hex_decode(&hash.value).ok_or("invalid value for hash")?;
    if !super::keys::verify_prehashed(&key, &hash.algorithm, &digest, &content) {
        return Err("verifying signature: invalid signature".into());
    }
    Ok(Body::HashedRekord {
        signature: content,
        public_key: key_pem,
        hash,
    })
}

fn dsse(spec: &Any) -> Result<Body, String> {
    let spec = object(spec);
    let signatures = spec.and_then(|s| s.get("signatures"));
    let items: Vec<&alloc::collections::BTreeMap<String, Any>> = match signatures {
        Some(Any::Array(items)) => items.iter().filter_map(object).collect(),
        _ => Vec::new(),
    };
    if let Some(Any::Array(all)) = signatures
        && all.is_empty()
    {
        return Err("signatures in body should have at least 1 items".into());
    }
    let mut first = None;
    for item in &items {
        let Some(signature) = text(item, "signature") else {
            return Err("signature in body is required".into());
        };
        if !is_padded_base64(signature) {
            return Err("signature in body should match the base64 pattern".into());
        }
        let verifier = base64_field(item, "verifier")?;
        let Some(verifier) = verifier else {
            return Err("verifier in body is required".into());
        };
        first.get_or_insert((String::from(signature), verifier));
    }
    let envelope_hash = named_hash(spec.and_then(|s| s.get("envelopeHash")), "envelopeHash")?;
    let payload_hash = named_hash(spec.and_then(|s| s.get("payloadHash")), "payloadHash")?;
    for hash in [&envelope_hash, &payload_hash].into_iter().flatten() {
        if hash.algorithm != "sha256" {
            return Err("algorithm in body should be one of [sha256]".into());
        }
    }
    if spec.and_then(|s| s.get("proposedContent")).is_some() {
        return Err("proposedContent in a bundle's dsse entry is not read by vouch".into());
    }
    let (Some(_), Some(_), Some((signature, verifier))) = (&envelope_hash, &payload_hash, first)
    else {
        return Err(
            "either proposedContent or envelopeHash, payloadHash, and signatures must be present"
                .into(),
        );
    };
    Ok(Body::Dsse {
        signature,
        verifier,
        payload_hash,
    })
}

fn intoto(spec: &Any) -> Result<Body, String> {
    let spec = object(spec);
    let Some(content) = spec.and_then(|s| s.get("content")).and_then(object) else {
        return Err("content in body is required".into());
    };
    let Some(envelope) = content.get("envelope").and_then(object) else {
        return Err("content.envelope in body is required".into());
    };
    if text(envelope, "payloadType").is_none() {
        return Err("content.envelope.payloadType in body is required".into());
    }
    let payload = base64_field(envelope, "payload")
        .map_err(|e| alloc::format!("failed parsing base64 data for payload: {e}"))?;
    let signatures: Vec<&alloc::collections::BTreeMap<String, Any>> =
        match envelope.get("signatures") {
            Some(Any::Array(items)) => items.iter().filter_map(object).collect(),
            _ => return Err("content.envelope.signatures in body is required".into()),
        };
    if signatures.is_empty() {
        return Err("content.envelope.signatures in body should have at least 1 items".into());
    }
    let mut first = None;
    for item in &signatures {
        let sig = base64_field(item, "sig")
            .map_err(|e| alloc::format!("failed parsing base64 data for signature: {e}"))?;
        let key = base64_field(item, "publicKey")
            .map_err(|e| alloc::format!("failed parsing base64 data for public key: {e}"))?;
        let (Some(sig), Some(key)) = (sig, key) else {
            return Err("publicKey and sig in body are required".into());
        };
        first.get_or_insert((sig, key));
    }
    let hash = named_hash(content.get("hash"), "hash")?;
    let payload_hash = named_hash(content.get("payloadHash"), "payloadHash")?;
    for h in [&hash, &payload_hash].into_iter().flatten() {
        if h.algorithm != "sha256" {
            return Err("algorithm in body should be one of [sha256]".into());
        }
    }
    let payload_hash = match payload {
        // The form a client proposes: the envelope itself, verified by every key it names,
        // and the payload's hash computed (whatever the body says).
        Some(payload_text) => {
            let payload_type = text(envelope, "payloadType").unwrap_or_default();
            let all: Vec<(Vec<u8>, Vec<u8>)> = signatures
                .iter()
                .filter_map(|item| {
                    let sig = base64_field(item, "sig").ok()??;
                    let key = base64_field(item, "publicKey").ok()??;
                    Some((sig, key))
                })
                .collect();
            verify_proposed_envelope(payload_type, &payload_text, &all)?;
            let payload = crate::go::base64_std(&String::from_utf8_lossy(&payload_text))
                .map_err(|_| String::from("could not decode envelope payload"))?;
            Some(NamedHash {
                algorithm: "sha256".into(),
                value: hex_encode(&<sha2::Sha256 as sha2::Digest>::digest(&payload)),
            })
        }
        None => payload_hash,
    };
    let (sig, public_key) = first.unwrap_or_default();
    Ok(Body::Intoto {
        sig,
        public_key,
        payload_hash,
    })
}

/// Rekor's `verifyEnvelope` for an intoto 0.0.2 entry that holds its envelope: each key (a
/// PEM key or certificate) must verify some signature over the envelope's PAE, hashing with
/// SHA-256 whatever the key, and every signature must be verified by some key.
fn verify_proposed_envelope(
    payload_type: &str,
    payload_text: &[u8],
    signatures: &[(Vec<u8>, Vec<u8>)],
) -> Result<(), String> {
    let lenient = |bytes: &[u8]| -> Option<Vec<u8>> {
        let text = String::from_utf8_lossy(bytes);
        crate::go::base64_std(&text)
            .ok()
            .or_else(|| crate::go::base64_url(&text).ok())
    };
    let payload = lenient(payload_text)
        .ok_or("could not verify envelope: unable to base64 decode payload")?;
    let pae = super::dsse::pae(payload_type, &payload);
    let digest: [u8; 32] = <sha2::Sha256 as sha2::Digest>::digest(&pae).into();
    let mut verified = alloc::vec![false; signatures.len()];
    for (_, key_pem) in signatures {
        let key = super::keys::rekor_public_key(key_pem)
            .map_err(|e| alloc::format!("could not parse public key as x509: {e}"))?;
        let mut accepted = false;
        for (i, (sig_text, _)) in signatures.iter().enumerate() {
            let Some(sig) = lenient(sig_text) else {
                continue;
            };
            if super::keys::verify_sha256(&key, &digest, &pae, &sig) {
                verified[i] = true;
                accepted = true;
            }
        }
        if !accepted {
            return Err("could not verify envelope: accepted signatures do not match threshold, Found: 0, Expected 1".into());
        }
    }
    if verified.contains(&false) {
        return Err("all signatures must have a key that verifies it".into());
    }
    Ok(())
}

/// Lower-case hex.
pub(crate) fn hex_encode(bytes: &[u8]) -> String {
    bytes.iter().map(|b| alloc::format!("{b:02x}")).collect()
}

/// The pattern Rekor's schema holds a DSSE signature to: padded standard base64.
fn is_padded_base64(s: &str) -> bool {
    let b = s.as_bytes();
    if b.is_empty() || !b.len().is_multiple_of(4) {
        return false;
    }
    let alphabet = |c: &u8| c.is_ascii_alphanumeric() || *c == b'+' || *c == b'/';
    let (body, tail) = b.split_at(b.len() - 4);
    body.iter().all(alphabet)
        && match tail {
            [a, b2, b'=', b'='] => alphabet(a) && alphabet(b2),
            [a, b2, c, b'='] => alphabet(a) && alphabet(b2) && alphabet(c),
            t => t.iter().all(alphabet),
        }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semver_as_blang_reads_it() {
        assert!(same_semver("0.0.1", "0.0.1"));
        assert!(same_semver("0.0.1+build", "0.0.1"));
        assert!(!same_semver("0.0.1-rc", "0.0.1"));
        assert!(!same_semver("0.0.01", "0.0.1"));
        assert!(!same_semver("0.1", "0.0.1"));
    }

    #[test]
    fn dsse_signatures_are_padded_base64() {
        assert!(is_padded_base64("YWJj"));
        assert!(is_padded_base64("YWI="));
        assert!(is_padded_base64("YQ=="));
        assert!(!is_padded_base64("YQ"));
        assert!(!is_padded_base64("Y==="));
        assert!(!is_padded_base64("YW-j"));
    }

    #[test]
    fn kinds_sigstore_go_does_not_register_are_refused() {
        let err = |body: &str| parse_body(body.as_bytes()).expect_err(body);
        assert!(matches!(
            err(r#"{"kind":"rekord","apiVersion":"0.0.1","spec":{}}"#),
            EntryError::UnrecognizedBody(_)
        ));
        assert!(matches!(
            err(r#"{"kind":"intoto","apiVersion":"0.0.1","spec":{}}"#),
            EntryError::UnrecognizedBody(_)
        ));
        assert!(matches!(
            err(r#"{"apiVersion":"0.0.1"}"#),
            EntryError::UnrecognizedBody(_)
        ));
    }
}
