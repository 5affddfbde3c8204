//! Signatures as containers/image stores them (`signature.FromBlob`): in `dir:` images as
//! `signature-N` files, in lookaside storage, and in the oracle's `blob` kind. A raw OpenPGP
//! message is recognised by its first byte; otherwise a 0 byte, a printable-ASCII format name
//! and a newline come before the data (`simple-signing`, or `sigstore-json`).

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::evidence::Signature;
use crate::go::json::{self as gojson, Node, Value, go_field};

/// The largest stored signature vouch reads (containers/image reads at most 4 MiB per
/// sigstore layer; simple-signing blobs are far smaller).
pub const MAX_STORED_SIGNATURE: usize = 16 * 1024 * 1024;

/// Why stored bytes are not a signature.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum StoredSignatureError {
    /// Larger than [`MAX_STORED_SIGNATURE`].
    TooLarge {
        /// Its size in bytes.
        size: usize,
    },
    /// No bytes at all.
    Empty,
    /// Not a format containers/image stores (the text says what it saw).
    UnknownFormat(String),
    /// A `sigstore-json` signature whose JSON does not decode (as Go's decoder words it).
    InvalidSigstoreJson(String),
}

impl core::fmt::Display for StoredSignatureError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::TooLarge { size } => write!(
                f,
                "signature of {size} bytes is larger than {MAX_STORED_SIGNATURE}"
            ),
            Self::Empty => f.write_str("empty signature blob"),
            Self::UnknownFormat(what) | Self::InvalidSigstoreJson(what) => f.write_str(what),
        }
    }
}

impl core::error::Error for StoredSignatureError {}

impl Signature {
    /// Reads a signature in containers/image's storage format (`signature.FromBlob`).
    pub fn from_stored(blob: &[u8]) -> Result<Self, StoredSignatureError> {
        if blob.len() > MAX_STORED_SIGNATURE {
            return Err(StoredSignatureError::TooLarge { size: blob.len() });
        }
        let Some(&first) = blob.first() else {
            return Err(StoredSignatureError::Empty);
        };
        Self::from_stored_format(blob, first)
            .map_err(StoredSignatureError::UnknownFormat)?
            .map_err(StoredSignatureError::InvalidSigstoreJson)
    }

    /// The format's header read (`Err`: not a stored format), then the signature itself
    /// (`Err`: a `sigstore-json` body that does not decode).
    fn from_stored_format(blob: &[u8], first: u8) -> Result<Result<Self, String>, String> {
        match first {
            // OpenPGP compressed data, one-pass signature or signature packets, old and new
            // formats. 0x3d is upstream's typo for 0x93, kept: it only affects sniffing.
            0xa0..=0xa3 | 0xc8 | 0x90..=0x92 | 0x3d | 0xc4 | 0x88..=0x8b | 0xc2 => {
                Ok(Ok(Self::Simple { blob: blob.into() }))
            }
            0x00 => {
                let rest = &blob[1..];
                let newline = rest
                    .iter()
                    .position(|&b| b == b'\n')
                    .ok_or_else(|| String::from("invalid signature format, missing newline"))?;
                let (name, data) = (&rest[..newline], &rest[newline + 1..]);
                if let Some(b) = name.iter().find(|&&b| !(32..0x7f).contains(&b)) {
                    return Err(format!("invalid signature format, non-ASCII byte {b:#x}"));
                }
                match name {
                    b"simple-signing" => Ok(Ok(Self::Simple { blob: data.into() })),
                    b"sigstore-json" => Ok(sigstore_json(data)),
                    _ => Err(format!(
                        "unrecognized signature format {:?}",
                        String::from_utf8_lossy(name)
                    )),
                }
            }
            other => Err(format!(
                "unrecognized signature format, starting with binary {other:#x}"
            )),
        }
    }
}

/// `{"mimeType", "payload" (base64), "annotations"}` decoded as Go's `json.Unmarshal` decodes
/// it into a struct: keys matched case-insensitively, the last duplicate wins, unknown keys and
/// a top-level `null` ignored.
fn sigstore_json(data: &[u8]) -> Result<Signature, String> {
    let root = gojson::parse(data).map_err(|e| e.message)?;
    let (mut mime, mut payload, mut annotations) = (String::new(), Vec::new(), BTreeMap::new());
    match &root.value {
        Value::Null => {}
        Value::Object(members) => {
            if let Some(node) = go_field(members, "mimetype") {
                mime = string_or_null(node, "mimeType")?;
            }
            if let Some(node) = go_field(members, "payload") {
                let text = string_or_null(node, "payload")?;
                payload = crate::go::base64_std(&text)
                    .map_err(|at| format!("payload: illegal base64 data at input byte {at}"))?;
            }
            if let Some(node) = go_field(members, "annotations") {
                match &node.value {
                    Value::Null => {}
                    Value::Object(entries) => {
                        for entry in entries {
                            let value = string_or_null(&entry.value, "annotations")?;
                            annotations.insert(entry.key.clone(), value);
                        }
                    }
                    other => return Err(type_error(other, "annotations", "map[string]string")),
                }
            }
        }
        other => {
            return Err(type_error(
                other,
                "",
                "signature.sigstoreJSONRepresentation",
            ));
        }
    }
    Ok(Signature::Sigstore {
        mime,
        payload,
        annotations,
    })
}

fn string_or_null(node: &Node, field: &str) -> Result<String, String> {
    match &node.value {
        Value::Null => Ok(String::new()),
        Value::String(s) => Ok(s.clone()),
        other => Err(type_error(other, field, "string")),
    }
}

fn type_error(value: &Value, field: &str, go_type: &str) -> String {
    format!(
        "json: cannot unmarshal {} into Go value {field} of type {go_type}",
        value.go_kind()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert!(matches!(
            Signature::from_stored(&[0xa3, 1]),
            Ok(Signature::Simple { .. })
        ));
        assert!(Signature::from_stored(&[0x93]).is_err());
        assert!(Signature::from_stored(b"").is_err());
        assert!(Signature::from_stored(b"\x00simple-signing").is_err());
        assert!(Signature::from_stored(b"\x00other\nx").is_err());
        assert!(Signature::from_stored(b"\x00a\x01\nx").is_err());
        let Ok(Signature::Simple { blob }) = Signature::from_stored(b"\x00simple-signing\nabc")
        else {
            panic!()
        };
        assert_eq!(blob, b"abc");
    }

    #[test]
    fn sigstore_json_as_go_decodes_it() {
        let stored = b"\x00sigstore-json\n{\"MIMETYPE\":\"a\",\"mimeType\":\"m\",\"payload\":\"eHl6\",\"annotations\":{\"k\":\"v\",\"k\":\"w\",\"n\":null},\"other\":[1]}";
        let Ok(Signature::Sigstore {
            mime,
            payload,
            annotations,
        }) = Signature::from_stored(stored)
        else {
            panic!()
        };
        assert_eq!((mime.as_str(), payload.as_slice()), ("m", &b"xyz"[..]));
        assert_eq!(annotations.get("k").map(String::as_str), Some("w"));
        assert_eq!(annotations.get("n").map(String::as_str), Some(""));
        assert!(Signature::from_stored(b"\x00sigstore-json\nnull").is_ok());
        assert!(Signature::from_stored(b"\x00sigstore-json\n[]").is_err());
        assert!(Signature::from_stored(b"\x00sigstore-json\n{\"payload\":\"!\"}").is_err());
    }
}
