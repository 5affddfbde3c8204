//! Reading an image's manifest and signatures from where containers/image 5.34 keeps them on
//! disk: `dir:` directories (`skopeo copy ... dir:PATH`) and OCI image layouts (`oci:PATH`).
//!
//! Only the reading is here; every decision is the core's.

use std::io;

use serde_json::{Map, Value};
use vouch::manifest::manifest_matches_digest;
use vouch::{Digest, Signature};

use crate::Failure;
use crate::paths::{go_join, read};

/// The manifest of a `dir:` image: `PATH/manifest.json` (the top-level manifest; for a
/// multi-arch image, the list, which is what containers/image evaluates the policy on).
pub(crate) fn dir_manifest_path(dir: &str) -> String {
    go_join(dir, "manifest.json")
}

/// The signatures stored beside a manifest as `DIR/signature-1`, `-2`, ... until one does not
/// exist (`dirImageSource.GetSignaturesWithFormat`), each read as `signature.FromBlob` reads
/// it: simple signing as its bare OpenPGP message (or `\0simple-signing\n` + message), sigstore
/// as `\0sigstore-json\n` + `{"mimeType","payload","annotations"}`.
///
/// A file that exists but cannot be read, or that is no signature, is a failure, as it is for
/// containers/image.
pub(crate) fn read_signatures(dir: &str) -> Result<Vec<Signature>, Failure> {
    let mut signatures = Vec::new();
    for n in 1.. {
        let path = go_join(dir, &format!("signature-{n}"));
        let blob = match std::fs::read(&path) {
            Ok(blob) => blob,
            Err(e) if e.kind() == io::ErrorKind::NotFound => break,
            Err(e) => return Err(crate::paths::unreadable("the signature", &path, &e)),
        };
        let signature = Signature::from_stored(&blob).map_err(|why| {
            Failure::message(
                io::ErrorKind::InvalidData,
                format!("parsing signature {path:?}: {why}"),
            )
        })?;
        signatures.push(signature);
    }
    Ok(signatures)
}

const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
const REF_NAME: &str = "org.opencontainers.image.ref.name";

/// The manifest an `oci:` reference names, read and checked against its descriptor.
#[derive(Debug)]
pub(crate) struct OciManifest {
    pub(crate) bytes: Vec<u8>,
    /// Where the blob was read.
    pub(crate) path: String,
    /// The descriptor's digest.
    pub(crate) digest: String,
    /// Its position in `index.json`'s `manifests`.
    pub(crate) position: usize,
}

/// One entry of `index.json`'s `manifests`, the fields the layout transport reads.
#[derive(Debug, Default)]
struct Descriptor {
    media_type: String,
    digest: String,
    ref_name: Option<String>,
}

/// Reads the manifest that `image` (what follows `oci:PATH:`: empty, a ref name, or `@N`)
/// selects in the layout at `dir`, as containers/image's `getManifestDescriptor` selects it:
/// `@N` the N-th entry; a name, the first entry whose `org.opencontainers.image.ref.name` is the
/// name and whose media type is an OCI manifest or index; nothing, the only entry (an error
/// when there is not exactly one). The blob is read from `dir/blobs/<alg>/<hex>` and must match
/// the descriptor's digest.
pub(crate) fn oci_manifest(dir: &str, image: &str) -> Result<OciManifest, Failure> {
    let fail = |message: String| Failure::message(io::ErrorKind::InvalidData, message);
    let index_path = go_join(dir, "index.json");
    let index = read("the OCI index", &index_path)?;
    let manifests = read_index(&index).map_err(|why| fail(format!("{index_path}: {why}")))?;
    let position = select(&manifests, image).map_err(|why| fail(format!("oci:{dir}: {why}")))?;
    let descriptor = &manifests[position];
    let digest = Digest::parse(&descriptor.digest).map_err(|e| {
        fail(format!(
            "{index_path}: unexpected digest reference {}: {e}",
            descriptor.digest
        ))
    })?;
    let text = digest.to_string();
    let (algorithm, encoded) = text.split_once(':').unwrap_or((&text, ""));
    let path = go_join(dir, &format!("blobs/{algorithm}/{encoded}"));
    let bytes = read("the manifest blob", &path)?;
    match manifest_matches_digest(&bytes, &digest) {
        Ok(true) => {}
        Ok(false) => {
            return Err(fail(format!(
                "the manifest blob {path} does not match its digest {text} (index.json \
                 manifests[{position}]); only sha256 manifests are checked, as containers/image \
                 checks them"
            )));
        }
        Err(e) => return Err(fail(format!("the manifest blob {path}: {e}"))),
    }
    Ok(OciManifest {
        bytes,
        path,
        digest: text,
        position,
    })
}

fn select(manifests: &[Descriptor], image: &str) -> Result<usize, String> {
    if let Some(index) = image.strip_prefix('@') {
        // The core has already accepted the reference, so this is Go's Atoi of a number >= 0.
        let digits = index.trim_start_matches(['+', '-']);
        let n = digits.parse::<usize>().unwrap_or(usize::MAX);
        if n >= manifests.len() {
            return Err(format!(
                "index {index} is too large, only {} entries available",
                manifests.len()
            ));
        }
        return Ok(n);
    }
    if image.is_empty() {
        if manifests.len() != 1 {
            return Err(format!(
                "more than one image in oci, choose an image ({} entries in index.json; name one \
                 with oci:PATH:REF or oci:PATH:@N)",
                manifests.len()
            ));
        }
        return Ok(0);
    }
    let mut unsupported = Vec::new();
    for (i, descriptor) in manifests.iter().enumerate() {
        if descriptor.ref_name.as_deref() == Some(image) {
            if descriptor.media_type == OCI_MANIFEST || descriptor.media_type == OCI_INDEX {
                return Ok(i);
            }
            unsupported.push(format!("{:?}", descriptor.media_type));
        }
    }
    if !unsupported.is_empty() {
        return Err(format!(
            "reference {image:?} matches unsupported manifest MIME types [{}]",
            unsupported.join(" ")
        ));
    }
    Err(format!("no descriptor found for reference {image:?}"))
}

/// `index.json` decoded as Go's `json.Decoder` decodes it into an `imgspecv1.Index`: the first
/// JSON value in the file (anything after it is not read), object keys matched exactly or else
/// without regard to case, `null` as absent. Only the fields the selection reads are decoded.
fn read_index(bytes: &[u8]) -> Result<Vec<Descriptor>, String> {
    let root = serde_json::Deserializer::from_slice(bytes)
        .into_iter::<Value>()
        .next()
        .ok_or("unexpected end of JSON input")?
        .map_err(|e| e.to_string())?;
    let root = match &root {
        Value::Null => return Ok(Vec::new()),
        Value::Object(members) => members,
        other => return Err(type_error(other, "", "v1.Index")),
    };
    let manifests = match field(root, "manifests") {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(other) => return Err(type_error(other, "manifests", "[]v1.Descriptor")),
    };
    manifests
        .iter()
        .map(|item| {
            let members = match item {
                Value::Null => return Ok(Descriptor::default()),
                Value::Object(members) => members,
                other => return Err(type_error(other, "manifests", "v1.Descriptor")),
            };
            let string = |name: &str| match field(members, name) {
                None | Some(Value::Null) => Ok(String::new()),
                Some(Value::String(s)) => Ok(s.clone()),
                Some(other) => Err(type_error(other, &format!("manifests.{name}"), "string")),
            };
            let ref_name = match field(members, "annotations") {
                None | Some(Value::Null) => None,
                Some(Value::Object(annotations)) => {
                    if let Some(other) = annotations
                        .values()
                        .find(|v| !matches!(v, Value::String(_) | Value::Null))
                    {
                        return Err(type_error(other, "manifests.annotations", "string"));
                    }
                    annotations
                        .get(REF_NAME)
                        .map(|v| v.as_str().unwrap_or_default().to_string())
                }
                Some(other) => {
                    return Err(type_error(
                        other,
                        "manifests.annotations",
                        "map[string]string",
                    ));
                }
            };
            Ok(Descriptor {
                media_type: string("mediaType")?,
                digest: string("digest")?,
                ref_name,
            })
        })
        .collect()
}

/// A struct field as Go finds it: the exact key, else one that differs only in case.
fn field<'a>(members: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    members.get(name).or_else(|| {
        members
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value)
    })
}

fn type_error(value: &Value, field: &str, go_type: &str) -> String {
    let kind = match value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    format!("json: cannot unmarshal {kind} into Go struct field {field} of type {go_type}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(json: &str) -> Vec<Descriptor> {
        read_index(json.as_bytes()).expect("index")
    }

    #[test]
    fn the_index_is_read_as_go_reads_it() {
        let manifests = index(
            r#"{"schemaVersion":2,"Manifests":[{"MediaType":"m","digest":"d","annotations":{"org.opencontainers.image.ref.name":"v1"}},null]} trailing"#,
        );
        assert_eq!(manifests.len(), 2);
        assert_eq!(manifests[0].media_type, "m");
        assert_eq!(manifests[0].ref_name.as_deref(), Some("v1"));
        assert_eq!(manifests[1].digest, "");
        assert!(index("null").is_empty());
        assert!(index(r#"{"manifests":null}"#).is_empty());
        assert!(read_index(b"[]").is_err());
        assert!(read_index(br#"{"manifests":[{"digest":5}]}"#).is_err());
        assert!(read_index(b"").is_err());
    }

    #[test]
    fn selection_follows_the_layout_transport() {
        let d = |media_type: &str, name: Option<&str>| Descriptor {
            media_type: media_type.into(),
            digest: String::new(),
            ref_name: name.map(Into::into),
        };
        let manifests = [
            d(OCI_MANIFEST, Some("a")),
            d(
                "application/vnd.docker.distribution.manifest.v2+json",
                Some("b"),
            ),
            d(OCI_INDEX, Some("c")),
            d(OCI_MANIFEST, Some("c")),
        ];
        assert_eq!(select(&manifests, "a"), Ok(0));
        assert_eq!(select(&manifests, "c"), Ok(2), "the first match");
        assert_eq!(select(&manifests, "@3"), Ok(3));
        assert_eq!(select(&manifests, "@+1"), Ok(1));
        assert!(select(&manifests, "@4").unwrap_err().contains("too large"));
        assert!(
            select(&manifests, "b")
                .unwrap_err()
                .contains("unsupported manifest MIME types")
        );
        assert!(
            select(&manifests, "z")
                .unwrap_err()
                .contains("no descriptor found")
        );
        assert!(
            select(&manifests, "")
                .unwrap_err()
                .contains("more than one")
        );
        assert!(select(&[], "").unwrap_err().contains("more than one"));
        assert_eq!(select(&manifests[..1], ""), Ok(0));
    }
}
