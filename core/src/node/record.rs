//! The kubelet's KEP-2535 files: `ImagePullIntent` (written before a pull, in
//! `image_manager/pulling/`) and `ImagePulledRecord` (which credentials pulled an image ID, in
//! `image_manager/pulled/`), read as strictly as the kubelet's decoder reads them and written
//! byte for byte as its encoder writes them.
//!
//! Reading (`kubelet.config.k8s.io`, strict): exactly one JSON object (Go's syntax; invalid
//! UTF-8 becomes U+FFFD); `kind` and `apiVersion` exact; field names exact (case-sensitive);
//! an unknown or repeated field, a repeated mapping key, a value of the wrong type or a time
//! Go's `time.Parse(time.RFC3339, …)` refuses is an error; `null` reads as the zero value.
//! 1.33 and 1.34 read `v1alpha1` only, 1.35 on both versions; 1.33 has no service accounts.
//! Two divergences, both refusals (docs/node.md): the kubelet's universal decoder also reads a
//! file that does not start with `{` as YAML, and an `apiVersion` of `…/__internal` with Go's
//! field names; vouch reads neither.
//!
//! Writing: compact JSON and one newline, fields in the Go structs' order, mapping keys sorted
//! by bytes, Go's string escaping, the time in UTC to the second (`null` for the zero time);
//! 1.33 and 1.34 write `v1alpha1` with `kubernetesSecrets` always present (`null` when there are
//! none), 1.35 on write `v1beta1` and leave empty lists out.

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use sha2::{Digest as _, Sha256};

use super::KubernetesVersion;
use crate::go::json::{self as gojson, Member, Node, Value};
use crate::go::time::{self as gotime, Instant};

const GROUP: &str = "kubelet.config.k8s.io";
const V1ALPHA1: &str = "kubelet.config.k8s.io/v1alpha1";
const V1BETA1: &str = "kubelet.config.k8s.io/v1beta1";
const PULLED_KIND: &str = "ImagePulledRecord";
const INTENT_KIND: &str = "ImagePullIntent";

/// Record files larger than this are refused unread. A record holds one entry per image name
/// and at most about a hundred credentials per entry; 4 MiB is far beyond what the kubelet
/// writes.
pub const MAX_RECORD_BYTES: usize = 4 * 1024 * 1024;

/// A secret that pulled an image: its coordinates and the hash of the credential it held
/// ([`credential_hash`](super::credential_hash)).
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PullSecret {
    /// The secret's `metadata.uid`.
    pub uid: String,
    /// The secret's namespace.
    pub namespace: String,
    /// The secret's name.
    pub name: String,
    /// The kubelet's hash of the credential used.
    pub credential_hash: String,
}

/// A service account whose token a credential provider exchanged to pull an image (1.34 on).
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PullServiceAccount {
    /// The service account's `metadata.uid`.
    pub uid: String,
    /// Its namespace.
    pub namespace: String,
    /// Its name.
    pub name: String,
}

/// The credentials recorded for one image name (`ImagePullCredentials`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PullCredentials {
    /// `kubernetesSecrets`. `None` and `Some(vec![])` differ only in how 1.33 and 1.34 write
    /// them (`null` and `[]`).
    pub kubernetes_secrets: Option<Vec<PullSecret>>,
    /// `kubernetesServiceAccounts` (1.34 on).
    pub kubernetes_service_accounts: Vec<PullServiceAccount>,
    /// `nodePodsAccessible`: pulled without pod credentials, so every pod on the node may use it.
    pub node_pods_accessible: bool,
}

impl PullCredentials {
    /// The recorded secrets (none when absent).
    pub fn secrets(&self) -> &[PullSecret] {
        self.kubernetes_secrets.as_deref().unwrap_or_default()
    }
}

/// An `ImagePulledRecord`: the credentials that pulled one image ID, per image name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PulledRecord {
    /// `lastUpdatedTime`: seconds since the Unix epoch, `None` for Go's zero time (`null`).
    pub last_updated: Option<i64>,
    /// Sub-second part of `lastUpdatedTime` as read (never written: the kubelet writes whole
    /// seconds).
    pub last_updated_nanos: u32,
    /// `imageRef`: the image ID the runtime reported.
    pub image_ref: String,
    /// `credentialMapping`: per image name (see docs/node.md for which form of the name each
    /// release uses), sorted as the kubelet writes it.
    pub credential_mapping: BTreeMap<String, PullCredentials>,
}

/// An `ImagePullIntent`: the kubelet is about to pull `image` (as written in the pod).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PullIntent {
    /// The image as written in the pod.
    pub image: String,
}

/// Why a record file does not read.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RecordError {
    /// Larger than [`MAX_RECORD_BYTES`].
    TooLarge {
        /// The file's length.
        len: usize,
    },
    /// Not a JSON object: the kubelet would try it as YAML; vouch reads JSON only.
    NotJsonObject,
    /// Not valid JSON.
    Syntax {
        /// What was wrong.
        message: String,
        /// At which byte.
        offset: usize,
    },
    /// No `kind` or no `apiVersion`.
    MissingTypeMeta(&'static str),
    /// An `apiVersion` this release does not read.
    UnsupportedVersion(String),
    /// A `kind` other than the file's.
    WrongKind {
        /// The kind expected.
        expected: &'static str,
        /// The kind found.
        found: String,
    },
    /// A field the type does not have (names are case-sensitive).
    UnknownField(String),
    /// A field, or a mapping key, given twice.
    DuplicateField(String),
    /// A value of the wrong JSON type.
    WrongType {
        /// Where.
        field: String,
        /// The Go type it must decode into.
        expected: &'static str,
        /// The JSON kind found.
        found: &'static str,
    },
    /// `lastUpdatedTime` is not an RFC 3339 time as Go parses it.
    BadTime(String),
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLarge { len } => write!(
                f,
                "the record is {len} bytes; at most {MAX_RECORD_BYTES} are read"
            ),
            Self::NotJsonObject => f.write_str(
                "not a JSON object (the kubelet would also try YAML; vouch reads the JSON it writes)",
            ),
            Self::Syntax { message, offset } => {
                write!(f, "not valid JSON: {message} (byte {offset})")
            }
            Self::MissingTypeMeta(field) => write!(f, "Object '{field}' is missing"),
            Self::UnsupportedVersion(version) => write!(
                f,
                "apiVersion {version:?} is not one this kubelet reads"
            ),
            Self::WrongKind { expected, found } => {
                write!(f, "kind {found:?} where {expected} was expected")
            }
            Self::UnknownField(field) => write!(f, "strict decoding error: unknown field {field:?}"),
            Self::DuplicateField(field) => {
                write!(f, "strict decoding error: duplicate field {field:?}")
            }
            Self::WrongType {
                field,
                expected,
                found,
            } => write!(
                f,
                "json: cannot unmarshal {found} into Go value of type {expected} (field {field})"
            ),
            Self::BadTime(text) => write!(f, "lastUpdatedTime {text:?} is not an RFC 3339 time"),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for RecordError {}

/// The file name the kubelet stores a record under: `sha256-` and the SHA-256 of `key` in
/// lowercase hex (the image ID for records, the image as written for intents).
///
/// ```
/// assert_eq!(
///     vouch::node::record_file_name("nginx"),
///     "sha256-5be1ecc7935f1dd85635d4feedaf660594030253cc97c9e9ca3819ffeac36b65"
/// );
/// ```
pub fn record_file_name(key: &str) -> String {
    let mut name = String::from("sha256-");
    for byte in Sha256::digest(key.as_bytes()) {
        name.push(char::from(b"0123456789abcdef"[usize::from(byte >> 4)]));
        name.push(char::from(b"0123456789abcdef"[usize::from(byte & 15)]));
    }
    name
}

/// The members of the file's object after its `kind` and `apiVersion` were checked.
fn open<'n>(
    bytes: &[u8],
    root: &'n mut Option<Node>,
    kind: &'static str,
    version: KubernetesVersion,
) -> Result<&'n [Member], RecordError> {
    if bytes.len() > MAX_RECORD_BYTES {
        return Err(RecordError::TooLarge { len: bytes.len() });
    }
    let first = bytes
        .iter()
        .find(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'));
    if first != Some(&b'{') {
        return Err(RecordError::NotJsonObject);
    }
    let node = gojson::parse(bytes).map_err(|e| RecordError::Syntax {
        message: e.message,
        offset: e.offset,
    })?;
    let Value::Object(members) = &root.insert(node).value else {
        return Err(RecordError::NotJsonObject);
    };
    let type_meta = |field: &'static str| -> Result<Option<&str>, RecordError> {
        match members
            .iter()
            .rev()
            .find(|m| m.key == field)
            .map(|m| &m.value.value)
        {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.is_empty() => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(wrong_type(field, "string", other)),
        }
    };
    let found_kind = type_meta("kind")?;
    let api_version = type_meta("apiVersion")?;
    let Some(api_version) = api_version else {
        return Err(RecordError::MissingTypeMeta("apiVersion"));
    };
    let Some(found_kind) = found_kind else {
        return Err(RecordError::MissingTypeMeta("Kind"));
    };
    let readable =
        api_version == V1ALPHA1 || (api_version == V1BETA1 && version >= KubernetesVersion::V1_35);
    if !readable {
        return Err(RecordError::UnsupportedVersion(api_version.to_string()));
    }
    if found_kind != kind {
        return Err(RecordError::WrongKind {
            expected: kind,
            found: found_kind.to_string(),
        });
    }
    Ok(members)
}

fn wrong_type(field: &str, expected: &'static str, found: &Value) -> RecordError {
    RecordError::WrongType {
        field: field.to_string(),
        expected,
        found: found.go_kind(),
    }
}

/// Checks an object's members against its fields (exact names, each once) and calls `each`
/// for every member that is not `null`.
fn fields<'n>(
    members: &'n [Member],
    allowed: &[&str],
    mut each: impl FnMut(&str, &'n Value) -> Result<(), RecordError>,
) -> Result<(), RecordError> {
    for (i, member) in members.iter().enumerate() {
        if !allowed.contains(&member.key.as_str()) {
            return Err(RecordError::UnknownField(member.key.clone()));
        }
        if members[..i].iter().any(|m| m.key == member.key) {
            return Err(RecordError::DuplicateField(member.key.clone()));
        }
        if member.value.value != Value::Null {
            each(&member.key, &member.value.value)?;
        }
    }
    Ok(())
}

fn string(field: &str, value: &Value) -> Result<String, RecordError> {
    match value {
        Value::String(s) => Ok(s.clone()),
        other => Err(wrong_type(field, "string", other)),
    }
}

fn object<'n>(
    field: &str,
    value: &'n Value,
    go_type: &'static str,
) -> Result<&'n [Member], RecordError> {
    match value {
        Value::Object(members) => Ok(members),
        other => Err(wrong_type(field, go_type, other)),
    }
}

fn array<'n>(
    field: &str,
    value: &'n Value,
    go_type: &'static str,
) -> Result<&'n [Node], RecordError> {
    match value {
        Value::Array(items) => Ok(items),
        other => Err(wrong_type(field, go_type, other)),
    }
}

fn secret(value: &Value) -> Result<PullSecret, RecordError> {
    let mut out = PullSecret::default();
    if *value == Value::Null {
        return Ok(out);
    }
    let members = object("kubernetesSecrets", value, "v1.ImagePullSecret")?;
    fields(
        members,
        &["uid", "namespace", "name", "credentialHash"],
        |key, v| {
            let s = string(key, v)?;
            match key {
                "uid" => out.uid = s,
                "namespace" => out.namespace = s,
                "name" => out.name = s,
                _ => out.credential_hash = s,
            }
            Ok(())
        },
    )?;
    Ok(out)
}

fn service_account(value: &Value) -> Result<PullServiceAccount, RecordError> {
    let mut out = PullServiceAccount::default();
    if *value == Value::Null {
        return Ok(out);
    }
    let members = object(
        "kubernetesServiceAccounts",
        value,
        "v1.ImagePullServiceAccount",
    )?;
    fields(members, &["uid", "namespace", "name"], |key, v| {
        let s = string(key, v)?;
        match key {
            "uid" => out.uid = s,
            "namespace" => out.namespace = s,
            _ => out.name = s,
        }
        Ok(())
    })?;
    Ok(out)
}

fn credentials(value: &Value, version: KubernetesVersion) -> Result<PullCredentials, RecordError> {
    let mut out = PullCredentials::default();
    let members = object("credentialMapping", value, "v1.ImagePullCredentials")?;
    let allowed: &[&str] = if version.has_service_accounts() {
        &[
            "kubernetesSecrets",
            "kubernetesServiceAccounts",
            "nodePodsAccessible",
        ]
    } else {
        &["kubernetesSecrets", "nodePodsAccessible"]
    };
    fields(members, allowed, |key, v| {
        match key {
            "kubernetesSecrets" => {
                let items = array(key, v, "[]v1.ImagePullSecret")?;
                out.kubernetes_secrets = Some(
                    items
                        .iter()
                        .map(|n| secret(&n.value))
                        .collect::<Result<_, _>>()?,
                );
            }
            "kubernetesServiceAccounts" => {
                let items = array(key, v, "[]v1.ImagePullServiceAccount")?;
                out.kubernetes_service_accounts = items
                    .iter()
                    .map(|n| service_account(&n.value))
                    .collect::<Result<_, _>>()?;
            }
            _ => match v {
                Value::Bool(b) => out.node_pods_accessible = *b,
                other => return Err(wrong_type(key, "bool", other)),
            },
        }
        Ok(())
    })?;
    Ok(out)
}

impl PulledRecord {
    /// Reads a record file as the kubelet of `version` does.
    pub fn decode(bytes: &[u8], version: KubernetesVersion) -> Result<Self, RecordError> {
        let mut root = None;
        let members = open(bytes, &mut root, PULLED_KIND, version)?;
        let mut out = Self::default();
        fields(
            members,
            &[
                "kind",
                "apiVersion",
                "lastUpdatedTime",
                "imageRef",
                "credentialMapping",
            ],
            |key, value| {
                match key {
                    "lastUpdatedTime" => {
                        let text = string(key, value)?;
                        let at = gotime::parse_rfc3339(&text).ok_or(RecordError::BadTime(text))?;
                        if !at.is_zero() {
                            out.last_updated = Some(at.seconds);
                            out.last_updated_nanos = at.nanos;
                        }
                    }
                    "imageRef" => out.image_ref = string(key, value)?,
                    "credentialMapping" => {
                        let entries = object(key, value, "map[string]v1.ImagePullCredentials")?;
                        for entry in entries {
                            let creds = match entry.value.value {
                                Value::Null => PullCredentials::default(),
                                ref v => credentials(v, version)?,
                            };
                            if out
                                .credential_mapping
                                .insert(entry.key.clone(), creds)
                                .is_some()
                            {
                                return Err(RecordError::DuplicateField(alloc::format!(
                                    "credentialMapping[{:?}]",
                                    entry.key
                                )));
                            }
                        }
                    }
                    _ => {}
                }
                Ok(())
            },
        )?;
        Ok(out)
    }

    /// The file as the kubelet of `version` writes it.
    pub fn encode(&self, version: KubernetesVersion) -> Vec<u8> {
        let mut out = String::with_capacity(256);
        type_meta(&mut out, PULLED_KIND, version);
        out.push_str(",\"lastUpdatedTime\":");
        match self.last_updated {
            Some(seconds) if !(Instant { seconds, nanos: 0 }).is_zero() => {
                out.push('"');
                out.push_str(&gotime::format_rfc3339(seconds));
                out.push('"');
            }
            _ => out.push_str("null"),
        }
        out.push_str(",\"imageRef\":");
        gojson::write_string(&mut out, self.image_ref.as_bytes());
        if !self.credential_mapping.is_empty() {
            out.push_str(",\"credentialMapping\":{");
            for (i, (key, creds)) in self.credential_mapping.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                gojson::write_string(&mut out, key.as_bytes());
                out.push(':');
                write_credentials(&mut out, creds, version);
            }
            out.push('}');
        }
        out.push_str("}\n");
        out.into_bytes()
    }
}

impl PullIntent {
    /// Reads an intent file as the kubelet of `version` does.
    pub fn decode(bytes: &[u8], version: KubernetesVersion) -> Result<Self, RecordError> {
        let mut root = None;
        let members = open(bytes, &mut root, INTENT_KIND, version)?;
        let mut out = Self::default();
        fields(members, &["kind", "apiVersion", "image"], |key, value| {
            if key == "image" {
                out.image = string(key, value)?;
            }
            Ok(())
        })?;
        Ok(out)
    }

    /// The file as the kubelet of `version` writes it.
    pub fn encode(&self, version: KubernetesVersion) -> Vec<u8> {
        let mut out = String::with_capacity(96 + self.image.len());
        type_meta(&mut out, INTENT_KIND, version);
        out.push_str(",\"image\":");
        gojson::write_string(&mut out, self.image.as_bytes());
        out.push_str("}\n");
        out.into_bytes()
    }
}

/// The API version the kubelet of `version` writes.
fn written_version(version: KubernetesVersion) -> &'static str {
    if version >= KubernetesVersion::V1_35 {
        V1BETA1
    } else {
        V1ALPHA1
    }
}

fn type_meta(out: &mut String, kind: &str, version: KubernetesVersion) {
    debug_assert!(written_version(version).starts_with(GROUP));
    out.push_str("{\"kind\":\"");
    out.push_str(kind);
    out.push_str("\",\"apiVersion\":\"");
    out.push_str(written_version(version));
    out.push('"');
}

fn write_credentials(out: &mut String, creds: &PullCredentials, version: KubernetesVersion) {
    let mut first = true;
    let mut sep = |out: &mut String| {
        if !first {
            out.push(',');
        }
        first = false;
    };
    out.push('{');
    let secrets = creds.secrets();
    if version < KubernetesVersion::V1_35 || !secrets.is_empty() {
        sep(out);
        out.push_str("\"kubernetesSecrets\":");
        if creds.kubernetes_secrets.is_none() {
            out.push_str("null");
        } else {
            out.push('[');
            for (i, s) in secrets.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str("{\"uid\":");
                gojson::write_string(out, s.uid.as_bytes());
                out.push_str(",\"namespace\":");
                gojson::write_string(out, s.namespace.as_bytes());
                out.push_str(",\"name\":");
                gojson::write_string(out, s.name.as_bytes());
                out.push_str(",\"credentialHash\":");
                gojson::write_string(out, s.credential_hash.as_bytes());
                out.push('}');
            }
            out.push(']');
        }
    }
    if version.has_service_accounts() && !creds.kubernetes_service_accounts.is_empty() {
        sep(out);
        out.push_str("\"kubernetesServiceAccounts\":[");
        for (i, s) in creds.kubernetes_service_accounts.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str("{\"uid\":");
            gojson::write_string(out, s.uid.as_bytes());
            out.push_str(",\"namespace\":");
            gojson::write_string(out, s.namespace.as_bytes());
            out.push_str(",\"name\":");
            gojson::write_string(out, s.name.as_bytes());
            out.push('}');
        }
        out.push(']');
    }
    if creds.node_pods_accessible {
        sep(out);
        out.push_str("\"nodePodsAccessible\":true");
    }
    out.push('}');
}
