//! The evaluation request's schema, defined once: every field, which half of a request it
//! belongs to, the type of its value, whether it is required, and what it means. The reader
//! (`request`) takes field membership, halves and requiredness from here, and the TypeScript
//! declarations of the requests are generated from it (`typescript`), so the two cannot drift.

/// Which half of a request a field belongs to: the policy with its files (compiled once), or
/// the image with its evidence (decided many times).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Half {
    Policy,
    Image,
}

/// The JSON type of a field's value, and how it is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FieldType {
    /// A string.
    String,
    /// A string holding standard base64 with padding.
    Base64,
    /// A string holding an RFC 3339 time.
    Time,
    /// The policy document itself, as a JSON object.
    Document,
    /// An object of strings holding base64, keyed by path.
    Base64Map,
    /// An object of strings.
    StringMap,
    /// An array of signatures ([`SIGNATURE_KINDS`]).
    Signatures,
}

#[cfg_attr(not(feature = "ts"), allow(dead_code))]
impl FieldType {
    /// The TypeScript type of the value.
    pub(crate) const fn typescript(self) -> &'static str {
        match self {
            Self::String | Self::Base64 | Self::Time => "string",
            Self::Document => "Record<string, unknown>",
            Self::Base64Map | Self::StringMap => "{ [key in string]: string }",
            Self::Signatures => "Array<RequestSignature>",
        }
    }
}

/// One field of a request or of a signature.
#[derive(Clone, Copy, Debug)]
#[cfg_attr(not(feature = "ts"), allow(dead_code))]
pub(crate) struct Field {
    pub(crate) name: &'static str,
    pub(crate) half: Half,
    pub(crate) ty: FieldType,
    /// Required in every document that may hold the field.
    pub(crate) required: bool,
    pub(crate) doc: &'static str,
}

const fn field(
    name: &'static str,
    half: Half,
    ty: FieldType,
    required: bool,
    doc: &'static str,
) -> Field {
    Field {
        name,
        half,
        ty,
        required,
        doc,
    }
}

/// The fields of an evaluation request, in the order they are documented.
pub(crate) const REQUEST: &[Field] = &[
    field(
        "id",
        Half::Image,
        FieldType::String,
        false,
        "Echoed in the decision.",
    ),
    field(
        "policy",
        Half::Policy,
        FieldType::Document,
        false,
        "The policy document (give one of `policy`, `policy_text`, `policy_base64`).",
    ),
    field(
        "policy_text",
        Half::Policy,
        FieldType::String,
        false,
        "The policy document as text: keeps its bytes exactly (error positions, duplicate keys).",
    ),
    field(
        "policy_base64",
        Half::Policy,
        FieldType::Base64,
        false,
        "The policy document's bytes, base64.",
    ),
    field(
        "policy_dialect",
        Half::Policy,
        FieldType::String,
        false,
        "The requirement types the policy may use: `vouch` (the default: containers/image's and \
         vouch's `vouchSigstoreBundle`) or `containers-image` (exactly what containers/image \
         accepts).",
    ),
    field(
        "files",
        Half::Policy,
        FieldType::Base64Map,
        false,
        "The files the policy names, by path as written in the policy, base64.",
    ),
    field(
        "files_unreadable",
        Half::Policy,
        FieldType::StringMap,
        false,
        "Files the policy names that exist but could not be read, by path as written in the \
         policy: why, for a person (\"permission denied\").",
    ),
    field(
        "transport",
        Half::Image,
        FieldType::String,
        true,
        "The transport (`docker`, `oci`, ...).",
    ),
    field(
        "reference",
        Half::Image,
        FieldType::String,
        true,
        "The reference within the transport.",
    ),
    field(
        "manifest",
        Half::Image,
        FieldType::Base64,
        false,
        "The manifest bytes, base64.",
    ),
    field(
        "signatures",
        Half::Image,
        FieldType::Signatures,
        false,
        "The signatures, in the order the registry returned them.",
    ),
    field(
        "now",
        Half::Image,
        FieldType::Time,
        false,
        "The time of the decision, RFC 3339.",
    ),
];

/// The fields that give the policy document; exactly one of them is required.
pub(crate) const POLICY_DOCUMENT: &[&str] = &["policy", "policy_text", "policy_base64"];

/// One kind of signature in a request's `signatures`.
#[derive(Clone, Copy, Debug)]
#[cfg_attr(not(feature = "ts"), allow(dead_code))]
pub(crate) struct SignatureKind {
    /// The value of `kind`.
    pub(crate) kind: &'static str,
    pub(crate) doc: &'static str,
    /// The fields besides `kind` (their `half` is the image's).
    pub(crate) fields: &'static [Field],
}

/// The kinds of signature a request carries.
pub(crate) const SIGNATURE_KINDS: &[SignatureKind] = &[
    SignatureKind {
        kind: "bundle",
        doc: "A sigstore bundle attached through the OCI referrers API (cosign v3); give one of \
              `bundle`, `bundle_text`, `bundle_base64`. Only `vouchSigstoreBundle` reads it.",
        fields: &[
            field(
                "bundle",
                Half::Image,
                FieldType::Document,
                false,
                "The bundle document: its bytes exactly as they stand in the request.",
            ),
            field(
                "bundle_text",
                Half::Image,
                FieldType::String,
                false,
                "The bundle document as text.",
            ),
            field(
                "bundle_base64",
                Half::Image,
                FieldType::Base64,
                false,
                "The bundle document's bytes, base64.",
            ),
        ],
    },
    SignatureKind {
        kind: "simple",
        doc: "containers-signature(5) simple signing: an OpenPGP message.",
        fields: &[field(
            "blob",
            Half::Image,
            FieldType::Base64,
            true,
            "The message, base64.",
        )],
    },
    SignatureKind {
        kind: "sigstore",
        doc: "A cosign signature: payload and annotations.",
        fields: &[
            field(
                "mime",
                Half::Image,
                FieldType::String,
                false,
                "The attachment's MIME type (default: cosign's simple-signing type).",
            ),
            field(
                "payload",
                Half::Image,
                FieldType::Base64,
                true,
                "The payload, base64.",
            ),
            field(
                "annotations",
                Half::Image,
                FieldType::StringMap,
                false,
                "The annotations (`dev.cosignproject.cosign/signature`, certificates, bundle).",
            ),
        ],
    },
];

/// The spec of the request field `name`.
pub(crate) fn request_field(name: &str) -> Option<&'static Field> {
    REQUEST.iter().find(|f| f.name == name)
}

const fn count(half: Half) -> usize {
    let mut n = 0;
    let mut i = 0;
    while i < REQUEST.len() {
        if REQUEST[i].half as u8 == half as u8 {
            n += 1;
        }
        i += 1;
    }
    n
}

const fn names<const N: usize>(half: Half) -> [&'static str; N] {
    let mut out = [""; N];
    let (mut i, mut j) = (0, 0);
    while i < REQUEST.len() {
        if REQUEST[i].half as u8 == half as u8 {
            out[j] = REQUEST[i].name;
            j += 1;
        }
        i += 1;
    }
    out
}

const POLICY_NAMES: [&str; count(Half::Policy)] = names(Half::Policy);
const IMAGE_NAMES: [&str; count(Half::Image)] = names(Half::Image);

/// The fields of the policy half of a request (see [`CompiledPolicy`](super::CompiledPolicy)).
pub const POLICY_FIELDS: &[&str] = &POLICY_NAMES;
/// The fields of the image half of a request (see [`CompiledPolicy`](super::CompiledPolicy)).
pub const IMAGE_FIELDS: &[&str] = &IMAGE_NAMES;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halves_partition_the_fields() {
        assert_eq!(POLICY_FIELDS.len() + IMAGE_FIELDS.len(), REQUEST.len());
        assert!(POLICY_FIELDS.contains(&"files_unreadable"));
        assert!(IMAGE_FIELDS.contains(&"now"));
        for name in POLICY_DOCUMENT {
            assert_eq!(request_field(name).map(|f| f.half), Some(Half::Policy));
        }
        let mut seen = alloc::collections::BTreeSet::new();
        assert!(REQUEST.iter().all(|f| seen.insert(f.name)));
    }
}
