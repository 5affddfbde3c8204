//! A Rekor SET (the `dev.sigstore.cosign/bundle` annotation) checked exactly as containers/image
//! 5.34 checks it (`internal.VerifyRekorSET`): the annotation read strictly, its `Payload`
//! canonicalized (RFC 8785, cyberphone's canonicalizer) and its signature verified with any of
//! the policy's Rekor keys (ECDSA over SHA-256, DER); then the signed entry read strictly, and
//! its body — a `hashedrekord` 0.0.1 entry, decoded as Rekor's generated models decode it —
//! bound to this very signature: the same public key or certificate (DER), the same signature
//! bytes, and the SHA-256 of this payload. The entry's `integratedTime` is the result.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use sha2::{Digest as _, Sha256};

use super::jcs;
use crate::crypto::{SignatureBytes, VerifyingKey};
use crate::go::json::{self as gojson, Any, Node, Value};
use crate::go::pem;

/// The default budget for a SET annotation, in bytes (a real one is a few KiB: the entry body
/// holds the certificate); see `SignatureBudget::rekor_set_bytes`.
pub const MAX_REKOR_SET: usize = 64 * 1024;

/// How deeply the SET and its entry body may nest.
const MAX_DEPTH: usize = 32;

/// Why a Rekor SET does not vouch for a signature (`rekor_set_invalid`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RekorProblem {
    /// The annotation is not the JSON object containers/image reads
    /// (`SignedEntryTimestamp`, `Payload`); what is wrong, for a person.
    Format(&'static str),
    /// The SET's payload cannot be canonicalized (RFC 8785).
    Canonicalization(&'static str),
    /// No Rekor public key of the policy verifies the SET.
    Signature,
    /// The signed payload is not `body`, `integratedTime`, `logIndex`, `logID`.
    Payload(&'static str),
    /// The entry body is not a `hashedrekord` 0.0.1 entry as Rekor's models read it.
    Body(&'static str),
    /// A field the entry must have is absent (its path in the entry).
    Missing(&'static str),
    /// The entry's public key or certificate is not one PEM block, or the signature's is not.
    Pem(&'static str),
    /// The entry holds another public key or certificate than the signature's.
    KeyMismatch,
    /// The signature annotation is not base64.
    SignatureNotBase64,
    /// The entry holds another signature.
    SignatureMismatch,
    /// The entry's hash algorithm is not `sha256` (the algorithm it names).
    HashAlgorithm(String),
    /// The entry's hash value is not hex.
    HashNotHex,
    /// The entry is for another payload.
    PayloadMismatch,
}

impl fmt::Display for RekorProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Format(what) => write!(f, "the Rekor SET annotation is malformed: {what}"),
            Self::Canonicalization(what) => {
                write!(f, "the Rekor SET payload cannot be canonicalized: {what}")
            }
            Self::Signature => {
                f.write_str("no Rekor public key of the policy verifies the Rekor SET")
            }
            Self::Payload(what) => write!(f, "the Rekor SET payload is malformed: {what}"),
            Self::Body(what) => write!(
                f,
                "the Rekor entry is not a hashedrekord 0.0.1 entry: {what}"
            ),
            Self::Missing(field) => write!(f, "the Rekor entry has no {field:?}"),
            Self::Pem(what) => f.write_str(what),
            Self::KeyMismatch => f.write_str(
                "the Rekor entry is for another public key or certificate than the signature's",
            ),
            Self::SignatureNotBase64 => f.write_str("the signature annotation is not base64"),
            Self::SignatureMismatch => {
                f.write_str("the Rekor entry is for another signature than this one")
            }
            Self::HashAlgorithm(algorithm) => {
                write!(
                    f,
                    "the Rekor entry's hash algorithm is {algorithm:?}, not sha256"
                )
            }
            Self::HashNotHex => f.write_str("the Rekor entry's hash value is not hex"),
            Self::PayloadMismatch => {
                f.write_str("the Rekor entry is for another payload than this signature's")
            }
        }
    }
}

impl core::error::Error for RekorProblem {}

/// Checks `set` (the bundle annotation's bytes) for the signature `base64_signature` over
/// `payload` made with the key or certificate `key_or_cert_pem`, with the policy's Rekor keys.
/// Gives the entry's `integratedTime`.
pub(crate) fn verify_set(
    rekor_keys: &[VerifyingKey],
    set: &[u8],
    key_or_cert_pem: &[u8],
    base64_signature: &str,
    payload: &[u8],
) -> Result<i64, RekorProblem> {
    let (timestamp, raw_payload) = read_set(set)?;
    let canonical = jcs::transform(raw_payload).map_err(|e| RekorProblem::Canonicalization(e.0))?;
    if !rekor_keys
        .iter()
        .any(|key| key.verify(&canonical, SignatureBytes::EcdsaDer(&timestamp)))
    {
        return Err(RekorProblem::Signature);
    }
    let (body, integrated_time) = read_payload(&canonical)?;
    let entry = read_hashedrekord(&body)?;
    // The public key or certificate: one PEM block each, nothing after it, the same DER.
    let (entry_key, rest) = pem::decode(&entry.public_key).ok_or(RekorProblem::Pem(
        "publicKey in Rekor SET is not in PEM format",
    ))?;
    if !rest.is_empty() {
        return Err(RekorProblem::Pem(
            "publicKey in Rekor SET has trailing data",
        ));
    }
    let (ours, rest) = pem::decode(key_or_cert_pem).ok_or(RekorProblem::Pem(
        "the public key or certificate to match against the Rekor entry is not in PEM format",
    ))?;
    if !rest.is_empty() {
        return Err(RekorProblem::Pem(
            "the public key or certificate to match against the Rekor entry has trailing data",
        ));
    }
    if entry_key.bytes != ours.bytes {
        return Err(RekorProblem::KeyMismatch);
    }
    let signature =
        crate::go::base64_std(base64_signature).map_err(|_| RekorProblem::SignatureNotBase64)?;
    if entry.signature != signature {
        return Err(RekorProblem::SignatureMismatch);
    }
    let algorithm = entry
        .hash_algorithm
        .ok_or(RekorProblem::Missing("data.hash.algorithm"))?;
    if algorithm != "sha256" {
        return Err(RekorProblem::HashAlgorithm(algorithm));
    }
    let value = entry
        .hash_value
        .ok_or(RekorProblem::Missing("data.hash.value"))?;
    let value = crate::go::hex_decode(&value).ok_or(RekorProblem::HashNotHex)?;
    if value[..] != Sha256::digest(payload)[..] {
        return Err(RekorProblem::PayloadMismatch);
    }
    Ok(integrated_time)
}

/// `UntrustedRekorSET`'s strict reading: the whole annotation valid JSON, an object with
/// exactly `SignedEntryTimestamp` (base64 bytes) and `Payload` (kept raw).
fn read_set(set: &[u8]) -> Result<(Vec<u8>, &[u8]), RekorProblem> {
    let root =
        gojson::parse_bounded(set, MAX_DEPTH).map_err(|_| RekorProblem::Format("not JSON"))?;
    let Value::Object(members) = &root.value else {
        return Err(RekorProblem::Format("not a JSON object"));
    };
    let (mut timestamp, mut payload) = (None, None);
    for member in members {
        let slot = match member.key.as_str() {
            "SignedEntryTimestamp" => &mut timestamp,
            "Payload" => &mut payload,
            _ => return Err(RekorProblem::Format("an unknown key")),
        };
        if slot.replace(&member.value).is_some() {
            return Err(RekorProblem::Format("a repeated key"));
        }
    }
    let (Some(timestamp), Some(payload)) = (timestamp, payload) else {
        return Err(RekorProblem::Format("a key is missing"));
    };
    let timestamp = go_bytes(timestamp).ok_or(RekorProblem::Format(
        "SignedEntryTimestamp is not base64 bytes",
    ))?;
    let raw = set
        .get(payload.start..payload.end)
        .ok_or(RekorProblem::Format("internal offset error"))?;
    Ok((timestamp, raw))
}

/// `UntrustedRekorPayload`'s strict reading of the canonical payload: exactly `body` (base64
/// bytes), `integratedTime` and `logIndex` (int64) and `logID` (a string).
fn read_payload(canonical: &[u8]) -> Result<(Vec<u8>, i64), RekorProblem> {
    let root = gojson::parse_bounded(canonical, MAX_DEPTH)
        .map_err(|_| RekorProblem::Payload("not JSON"))?;
    let Value::Object(members) = &root.value else {
        return Err(RekorProblem::Payload("not a JSON object"));
    };
    let (mut body, mut time, mut index, mut id) = (None, None, None, None);
    for member in members {
        let slot = match member.key.as_str() {
            "body" => &mut body,
            "integratedTime" => &mut time,
            "logIndex" => &mut index,
            "logID" => &mut id,
            _ => return Err(RekorProblem::Payload("an unknown key")),
        };
        if slot.replace(&member.value).is_some() {
            return Err(RekorProblem::Payload("a repeated key"));
        }
    }
    let (Some(body), Some(time), Some(index), Some(id)) = (body, time, index, id) else {
        return Err(RekorProblem::Payload("a key is missing"));
    };
    let body = go_bytes(body).ok_or(RekorProblem::Payload("body is not base64 bytes"))?;
    let time = go_int64(time).ok_or(RekorProblem::Payload("integratedTime is not an int64"))?;
    go_int64(index).ok_or(RekorProblem::Payload("logIndex is not an int64"))?;
    if !matches!(id.value, Value::String(_) | Value::Null) {
        return Err(RekorProblem::Payload("logID is not a string"));
    }
    Ok((body, time))
}

/// Go's decoding of a JSON value into `[]byte`: a base64 string (standard, padded, line
/// breaks skipped) or `null`.
fn go_bytes(node: &Node) -> Option<Vec<u8>> {
    match &node.value {
        Value::String(text) => crate::go::base64_std(text).ok(),
        Value::Null => Some(Vec::new()),
        _ => None,
    }
}

/// Go's decoding of a JSON value into `int64`: an integer literal in range, or `null` (0).
fn go_int64(node: &Node) -> Option<i64> {
    match &node.value {
        Value::Number(text) => text.parse().ok(),
        Value::Null => Some(0),
        _ => None,
    }
}

/// What containers/image reads of a `hashedrekord` 0.0.1 entry.
#[derive(Debug, Default)]
struct HashedRekord {
    signature: Vec<u8>,
    public_key: Vec<u8>,
    hash_algorithm: Option<String>,
    hash_value: Option<String>,
}

/// The entry body as Rekor's `models.Hashedrekord` decodes it (valid JSON throughout, then
/// Go's lenient decoder: fields matched without regard to case, the last of a repeated key wins,
/// unknown keys ignored), `kind` exactly `hashedrekord` and `apiVersion` exactly `0.0.1`; then
/// its `spec` marshalled again and decoded into `HashedrekordV001Schema`, as containers/image
/// does, with the required fields present.
fn read_hashedrekord(body: &[u8]) -> Result<HashedRekord, RekorProblem> {
    // `json.Unmarshal` checks the whole body before the model's decoder reads its first value.
    let root =
        gojson::parse_bounded(body, MAX_DEPTH).map_err(|_| RekorProblem::Body("not JSON"))?;
    let members: &[gojson::Member] = match &root.value {
        Value::Object(members) => members,
        Value::Null => &[],
        _ => return Err(RekorProblem::Body("not a JSON object")),
    };
    let (mut api_version, mut spec, mut kind) = (None, Any::Null, String::new());
    for member in members {
        if gojson::go_field_matches(&member.key, "apiversion") {
            api_version = match &member.value.value {
                Value::String(text) => Some(text.clone()),
                Value::Null => None,
                _ => return Err(RekorProblem::Body("apiVersion is not a string")),
            };
        } else if gojson::go_field_matches(&member.key, "spec") {
            spec = Any::from_node(&member.value);
        }
        if gojson::go_field_matches(&member.key, "kind") {
            match &member.value.value {
                Value::String(text) => kind.clone_from(text),
                Value::Null => {}
                _ => return Err(RekorProblem::Body("kind is not a string")),
            }
        }
    }
    if kind != "hashedrekord" {
        return Err(RekorProblem::Body("kind is not hashedrekord"));
    }
    match api_version.as_deref() {
        None => return Err(RekorProblem::Body("apiVersion is missing")),
        Some("0.0.1") => {}
        Some(_) => return Err(RekorProblem::Body("apiVersion is not 0.0.1")),
    }
    let schema =
        decode_schema(&spec).ok_or(RekorProblem::Body("spec is not a hashedrekord spec"))?;
    let signature = schema.signature.ok_or(RekorProblem::Missing("signature"))?;
    let public_key = signature
        .public_key
        .ok_or(RekorProblem::Missing("signature.publicKey"))?;
    let data = schema.data.ok_or(RekorProblem::Missing("data"))?;
    let hash = data.hash.ok_or(RekorProblem::Missing("data.hash"))?;
    Ok(HashedRekord {
        signature: signature.content,
        public_key: public_key.content,
        hash_algorithm: hash.algorithm,
        hash_value: hash.value,
    })
}

// `HashedrekordV001Schema` and its parts, as Go decodes them from the re-marshalled spec: the
// map's keys in byte order, each matched to a field without regard to case; a pointer field
// set to `null` is cleared, one given an object is filled in place (so case variants of one
// key merge); `strfmt.Base64` reads a base64 string, `null` as empty.

#[derive(Default)]
struct Schema {
    data: Option<Data>,
    signature: Option<Signature>,
}

#[derive(Default)]
struct Data {
    hash: Option<Hash>,
}

#[derive(Default)]
struct Hash {
    algorithm: Option<String>,
    value: Option<String>,
}

#[derive(Default)]
struct Signature {
    content: Vec<u8>,
    public_key: Option<PublicKeyField>,
}

#[derive(Default)]
struct PublicKeyField {
    content: Vec<u8>,
}

fn decode_schema(value: &Any) -> Option<Schema> {
    let mut schema = Schema::default();
    for_each_field(value, |key, value| {
        if gojson::go_field_matches(key, "data") {
            pointer(&mut schema.data, value, |data, value| {
                for_each_field(value, |key, value| {
                    if gojson::go_field_matches(key, "hash") {
                        pointer(&mut data.hash, value, |hash, value| {
                            for_each_field(value, |key, value| {
                                if gojson::go_field_matches(key, "algorithm") {
                                    hash.algorithm = string_pointer(value)?;
                                } else if gojson::go_field_matches(key, "value") {
                                    hash.value = string_pointer(value)?;
                                }
                                Some(())
                            })
                        })?;
                    }
                    Some(())
                })
            })?;
        } else if gojson::go_field_matches(key, "signature") {
            pointer(&mut schema.signature, value, |signature, value| {
                for_each_field(value, |key, value| {
                    if gojson::go_field_matches(key, "content") {
                        signature.content = base64_field(value)?;
                    } else if gojson::go_field_matches(key, "publickey") {
                        pointer(&mut signature.public_key, value, |public_key, value| {
                            for_each_field(value, |key, value| {
                                if gojson::go_field_matches(key, "content") {
                                    public_key.content = base64_field(value)?;
                                }
                                Some(())
                            })
                        })?;
                    }
                    Some(())
                })
            })?;
        }
        Some(())
    })?;
    Some(schema)
}

/// Each member of an object, in Go's map order; `null` has none; anything else cannot be
/// decoded into a struct.
fn for_each_field(value: &Any, mut field: impl FnMut(&str, &Any) -> Option<()>) -> Option<()> {
    match value {
        Any::Null => Some(()),
        Any::Object(map) => map.iter().try_for_each(|(key, value)| field(key, value)),
        _ => None,
    }
}

/// A pointer-to-struct field: `null` clears it, an object fills it (allocated if absent).
fn pointer<T: Default>(
    slot: &mut Option<T>,
    value: &Any,
    fill: impl FnOnce(&mut T, &Any) -> Option<()>,
) -> Option<()> {
    match value {
        Any::Null => {
            *slot = None;
            Some(())
        }
        Any::Object(_) => fill(slot.get_or_insert_with(T::default), value),
        _ => None,
    }
}

/// A `*string` field.
fn string_pointer(value: &Any) -> Option<Option<String>> {
    match value {
        Any::Null => Some(None),
        Any::String(text) => Some(Some(text.clone())),
        _ => None,
    }
}

/// A `strfmt.Base64` field (its `UnmarshalJSON`).
fn base64_field(value: &Any) -> Option<Vec<u8>> {
    match value {
        Any::Null => Some(Vec::new()),
        Any::String(text) => crate::go::base64_std(text).ok(),
        _ => None,
    }
}
