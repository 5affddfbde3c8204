//! Trust-decision records: vouch's extension of KEP-2535 from credentials to signatures.
//!
//! With per-namespace signature policies (CRI-O's `signature_policy_dir`, one policy per
//! namespace) and `imagePullPolicy: IfNotPresent`, an image that a lax namespace's policy
//! admitted is on the node, and a pod in a strict namespace can start from it without the strict
//! policy ever seeing the image: the runtime only checks signatures when it pulls. A
//! trust-decision record closes that gap. For each image ID it records which policy, by digest,
//! admitted (or denied) the image for which namespace; before a pod uses a cached image, the
//! decision [`trust_reuse`] says whether a decision by the same policy covers it, or the image
//! must be evaluated again under the pod's namespace's policy.
//!
//! The record is a file like the kubelet's (`ImageTrustRecord`, `vouch.dev/v1alpha1`, named
//! `sha256-<hex of the image ID>`), read as strictly and written as exactly.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use sha2::{Digest as _, Sha256};

use crate::go::json::{self as gojson, Member, Value};
use crate::go::time as gotime;
use crate::policy::{FileLookup, Files, Policy};

const API_VERSION: &str = "vouch.dev/v1alpha1";
const KIND: &str = "ImageTrustRecord";

/// At most this many namespaces' decisions are kept per image ID; the oldest go first.
pub const MAX_TRUST_DECISIONS: usize = 100;

/// Record files larger than this are refused unread.
pub const MAX_TRUST_RECORD_BYTES: usize = 1024 * 1024;

/// The identity of a policy and everything it reads: SHA-256 over the policy document's bytes
/// and, for each file it names (sorted by path), the path and the file's bytes (or that it is
/// missing or unreadable). Two namespaces whose policies have the same digest decide every
/// image alike; a changed key file changes the digest even when `policy.json` does not.
/// Returned as `sha256:<hex>`.
pub fn policy_digest(policy: &[u8], files: &Files) -> String {
    let mut hash = Sha256::new();
    let mut field = |bytes: &[u8]| {
        hash.update((bytes.len() as u64).to_be_bytes());
        hash.update(bytes);
    };
    field(b"vouch policy digest v1");
    field(policy);
    let mut names: Vec<String> = Policy::parse(policy)
        .map(|p| p.files_needed().into_iter().map(String::from).collect())
        .unwrap_or_default();
    names.sort();
    names.dedup();
    for name in &names {
        field(name.as_bytes());
        match files.lookup(name) {
            FileLookup::Read(bytes) => {
                field(b"file");
                field(bytes);
            }
            FileLookup::Unreadable(_) => field(b"unreadable"),
            FileLookup::Missing => field(b"missing"),
        }
    }
    let digest = hash.finalize();
    let mut out = String::from("sha256:");
    for byte in digest {
        out.push(char::from(b"0123456789abcdef"[usize::from(byte >> 4)]));
        out.push(char::from(b"0123456789abcdef"[usize::from(byte & 15)]));
    }
    out
}

/// One namespace's decision about an image ID.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustDecision {
    /// The pod's namespace.
    pub namespace: String,
    /// [`policy_digest`] of the namespace's policy when it decided.
    pub policy_digest: String,
    /// The image as the pod wrote it.
    pub image: String,
    /// The digest of the manifest the policy decided on.
    pub manifest_digest: String,
    /// Whether the policy admitted the image.
    pub allowed: bool,
    /// When (seconds since the Unix epoch); `None` writes `null`.
    pub decided_at: Option<i64>,
}

/// An `ImageTrustRecord`: the decisions about one image ID, one per namespace.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustRecord {
    /// The image ID.
    pub image_ref: String,
    /// Per namespace.
    pub decisions: BTreeMap<String, TrustDecision>,
}

/// Why a trust record does not read.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TrustRecordError {
    /// Larger than [`MAX_TRUST_RECORD_BYTES`].
    TooLarge(usize),
    /// Not JSON, or not one object.
    Syntax(String),
    /// Wrong or missing `kind` or `apiVersion`.
    TypeMeta(String),
    /// An unknown, repeated or mistyped field, or a bad time.
    Field(String),
}

impl fmt::Display for TrustRecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLarge(n) => write!(
                f,
                "the trust record is {n} bytes; at most {MAX_TRUST_RECORD_BYTES} are read"
            ),
            Self::Syntax(why) | Self::TypeMeta(why) | Self::Field(why) => f.write_str(why),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for TrustRecordError {}

fn check_fields(members: &[Member], allowed: &[&str], what: &str) -> Result<(), TrustRecordError> {
    for (i, m) in members.iter().enumerate() {
        if !allowed.contains(&m.key.as_str()) {
            return Err(TrustRecordError::Field(alloc::format!(
                "{what}: unknown field {:?}",
                m.key
            )));
        }
        if members[..i].iter().any(|p| p.key == m.key) {
            return Err(TrustRecordError::Field(alloc::format!(
                "{what}: duplicate field {:?}",
                m.key
            )));
        }
    }
    Ok(())
}

fn get<'n>(members: &'n [Member], key: &str) -> Option<&'n Value> {
    members
        .iter()
        .find(|m| m.key == key)
        .map(|m| &m.value.value)
}

fn text(members: &[Member], key: &str, what: &str) -> Result<String, TrustRecordError> {
    match get(members, key) {
        None | Some(Value::Null) => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(other) => Err(TrustRecordError::Field(alloc::format!(
            "{what}.{key} must be a string, not {}",
            other.go_kind()
        ))),
    }
}

impl TrustRecord {
    /// Reads a record file (strict, as the kubelet reads its own records).
    pub fn decode(bytes: &[u8]) -> Result<Self, TrustRecordError> {
        if bytes.len() > MAX_TRUST_RECORD_BYTES {
            return Err(TrustRecordError::TooLarge(bytes.len()));
        }
        let root = gojson::parse(bytes).map_err(|e| {
            TrustRecordError::Syntax(alloc::format!(
                "not valid JSON: {} (byte {})",
                e.message,
                e.offset
            ))
        })?;
        let Value::Object(members) = &root.value else {
            return Err(TrustRecordError::Syntax("not a JSON object".into()));
        };
        check_fields(
            members,
            &["kind", "apiVersion", "imageRef", "decisions"],
            "ImageTrustRecord",
        )?;
        if get(members, "kind") != Some(&Value::String(KIND.into()))
            || get(members, "apiVersion") != Some(&Value::String(API_VERSION.into()))
        {
            return Err(TrustRecordError::TypeMeta(alloc::format!(
                "not an {KIND} of {API_VERSION}"
            )));
        }
        let mut out = Self {
            image_ref: text(members, "imageRef", "ImageTrustRecord")?,
            decisions: BTreeMap::new(),
        };
        let items = match get(members, "decisions") {
            None | Some(Value::Null) => &[][..],
            Some(Value::Array(items)) => items.as_slice(),
            Some(other) => {
                return Err(TrustRecordError::Field(alloc::format!(
                    "decisions must be an array, not {}",
                    other.go_kind()
                )));
            }
        };
        if items.len() > MAX_TRUST_DECISIONS {
            return Err(TrustRecordError::Field(alloc::format!(
                "{} decisions; at most {MAX_TRUST_DECISIONS} are kept",
                items.len()
            )));
        }
        for item in items {
            let Value::Object(d) = &item.value else {
                return Err(TrustRecordError::Field(
                    "a decision must be an object".into(),
                ));
            };
            let what = "decision";
            check_fields(
                d,
                &[
                    "namespace",
                    "policyDigest",
                    "image",
                    "manifestDigest",
                    "allowed",
                    "decidedAt",
                ],
                what,
            )?;
            let allowed = match get(d, "allowed") {
                None | Some(Value::Null) => false,
                Some(Value::Bool(b)) => *b,
                Some(other) => {
                    return Err(TrustRecordError::Field(alloc::format!(
                        "decision.allowed must be true or false, not {}",
                        other.go_kind()
                    )));
                }
            };
            let decided_at = match get(d, "decidedAt") {
                None | Some(Value::Null) => None,
                Some(Value::String(s)) => {
                    let t = gotime::parse_rfc3339(s).ok_or_else(|| {
                        TrustRecordError::Field(alloc::format!(
                            "decision.decidedAt {s:?} is not an RFC 3339 time"
                        ))
                    })?;
                    (!t.is_zero()).then_some(t.seconds)
                }
                Some(other) => {
                    return Err(TrustRecordError::Field(alloc::format!(
                        "decision.decidedAt must be a string, not {}",
                        other.go_kind()
                    )));
                }
            };
            let decision = TrustDecision {
                namespace: text(d, "namespace", what)?,
                policy_digest: text(d, "policyDigest", what)?,
                image: text(d, "image", what)?,
                manifest_digest: text(d, "manifestDigest", what)?,
                allowed,
                decided_at,
            };
            let ns = decision.namespace.clone();
            if out.decisions.insert(ns.clone(), decision).is_some() {
                return Err(TrustRecordError::Field(alloc::format!(
                    "two decisions for namespace {ns:?}"
                )));
            }
        }
        Ok(out)
    }

    /// The file: compact JSON and a newline, decisions sorted by namespace, Go's escaping.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = String::from("{\"kind\":\"");
        out.push_str(KIND);
        out.push_str("\",\"apiVersion\":\"");
        out.push_str(API_VERSION);
        out.push_str("\",\"imageRef\":");
        gojson::write_string(&mut out, self.image_ref.as_bytes());
        out.push_str(",\"decisions\":[");
        for (i, d) in self.decisions.values().enumerate() {
            if i > 0 {
                out.push(',');
            }
            for (j, (name, value)) in [
                ("namespace", &d.namespace),
                ("policyDigest", &d.policy_digest),
                ("image", &d.image),
                ("manifestDigest", &d.manifest_digest),
            ]
            .into_iter()
            .enumerate()
            {
                out.push(if j == 0 { '{' } else { ',' });
                out.push('"');
                out.push_str(name);
                out.push_str("\":");
                gojson::write_string(&mut out, value.as_bytes());
            }
            out.push_str(",\"allowed\":");
            out.push_str(if d.allowed { "true" } else { "false" });
            out.push_str(",\"decidedAt\":");
            match d.decided_at {
                Some(t) => {
                    out.push('"');
                    out.push_str(&gotime::format_rfc3339(t));
                    out.push('"');
                }
                None => out.push_str("null"),
            }
            out.push('}');
        }
        out.push_str("]}\n");
        out.into_bytes()
    }

    /// The record with `decision` in place of the namespace's previous one. Beyond
    /// [`MAX_TRUST_DECISIONS`] namespaces, the oldest decision (undated first, then by time,
    /// then by namespace) is dropped.
    pub fn with_decision(&self, decision: TrustDecision) -> Self {
        let mut out = self.clone();
        out.decisions.insert(decision.namespace.clone(), decision);
        while out.decisions.len() > MAX_TRUST_DECISIONS {
            let oldest = out
                .decisions
                .values()
                .min_by(|a, b| (a.decided_at, &a.namespace).cmp(&(b.decided_at, &b.namespace)))
                .map(|d| d.namespace.clone());
            if let Some(ns) = oldest {
                out.decisions.remove(&ns);
            }
        }
        out
    }
}

/// Whether a pod may start from a cached image without its namespace's policy deciding again.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TrustReuse {
    /// A decision by the same policy (same digest) admitted this image ID: for this namespace,
    /// or for another whose policy is identical.
    Reuse {
        /// The namespace whose decision applies.
        namespace: String,
    },
    /// The image must be evaluated under the namespace's policy (with its manifest and
    /// signatures) before the pod uses it; the reason says why no decision covers it.
    Evaluate(ReuseReason),
    /// The same policy denied this image ID: the pod must not use it.
    Denied {
        /// The namespace whose decision applies.
        namespace: String,
    },
}

/// Why no recorded decision lets a pod reuse an image.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReuseReason {
    /// No trust record for the image ID.
    NoRecord,
    /// The record does not read.
    RecordInvalid(TrustRecordError),
    /// The record is about another image ID.
    OtherImage,
    /// The namespace decided under another version of its policy.
    PolicyChanged,
    /// Only other policies decided about this image ID.
    OtherPolicies,
    /// The matching decision is older than the allowed age.
    Expired,
}

impl ReuseReason {
    /// The stable reason code.
    pub const fn code(&self) -> &'static str {
        match self {
            Self::NoRecord => "no_record",
            Self::RecordInvalid(_) => "record_invalid",
            Self::OtherImage => "other_image",
            Self::PolicyChanged => "policy_changed",
            Self::OtherPolicies => "other_policies",
            Self::Expired => "expired",
        }
    }
}

impl fmt::Display for ReuseReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoRecord => f.write_str("no trust decision is recorded for this image ID"),
            Self::RecordInvalid(e) => write!(f, "the trust record does not read: {e}"),
            Self::OtherImage => f.write_str("the trust record is about another image ID"),
            Self::PolicyChanged => f.write_str(
                "this namespace decided under another version of its policy (or of the files it names)",
            ),
            Self::OtherPolicies => f.write_str(
                "only namespaces with other policies decided about this image; this namespace's policy has not seen it",
            ),
            Self::Expired => f.write_str("the matching decision is older than the allowed age"),
        }
    }
}

/// What [`trust_reuse`] needs.
#[derive(Clone, Copy, Debug)]
pub struct ReuseCheck<'a> {
    /// The image ID on the node.
    pub image_ref: &'a str,
    /// The pod's namespace.
    pub namespace: &'a str,
    /// [`policy_digest`] of the namespace's policy now.
    pub policy_digest: &'a str,
    /// The trust record file for the image ID, if any.
    pub record: Option<&'a [u8]>,
    /// The time now and the oldest acceptable decision's age, both in seconds, if decisions
    /// expire.
    pub max_age: Option<(i64, i64)>,
}

/// May a pod in `namespace` start from the cached image without its policy deciding again?
/// Yes only when a decision by a policy with the same digest admitted this very image ID (and,
/// with `max_age`, recently enough). The pod's own namespace's decision is preferred; a denial
/// by the same policy is final.
pub fn trust_reuse(check: &ReuseCheck<'_>) -> TrustReuse {
    let Some(bytes) = check.record else {
        return TrustReuse::Evaluate(ReuseReason::NoRecord);
    };
    let record = match TrustRecord::decode(bytes) {
        Ok(r) => r,
        Err(e) => return TrustReuse::Evaluate(ReuseReason::RecordInvalid(e)),
    };
    if record.image_ref != check.image_ref {
        return TrustReuse::Evaluate(ReuseReason::OtherImage);
    }
    let fresh = |d: &TrustDecision| match check.max_age {
        None => true,
        Some((now, age)) => d.decided_at.is_some_and(|t| t <= now && now - t <= age),
    };
    let same_policy = |d: &&TrustDecision| d.policy_digest == check.policy_digest;
    // The namespace's own decision first, then any other with the same policy.
    let own = record.decisions.get(check.namespace).filter(same_policy);
    let candidates: Vec<&TrustDecision> = own
        .into_iter()
        .chain(
            record
                .decisions
                .values()
                .filter(same_policy)
                .filter(|d| d.namespace != check.namespace),
        )
        .collect();
    if candidates.is_empty() {
        return TrustReuse::Evaluate(if record.decisions.contains_key(check.namespace) {
            ReuseReason::PolicyChanged
        } else if record.decisions.is_empty() {
            ReuseReason::NoRecord
        } else {
            ReuseReason::OtherPolicies
        });
    }
    let Some(decision) = candidates.into_iter().find(|d| fresh(d)) else {
        return TrustReuse::Evaluate(ReuseReason::Expired);
    };
    if decision.allowed {
        TrustReuse::Reuse {
            namespace: decision.namespace.clone(),
        }
    } else {
        TrustReuse::Denied {
            namespace: decision.namespace.clone(),
        }
    }
}

impl TrustReuse {
    /// The stable code: `reuse`, `denied`, or the reason to evaluate.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Reuse { .. } => "reuse",
            Self::Denied { .. } => "denied",
            Self::Evaluate(reason) => reason.code(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decision(ns: &str, digest: &str, allowed: bool, at: i64) -> TrustDecision {
        TrustDecision {
            namespace: ns.into(),
            policy_digest: digest.into(),
            image: "registry.example/app:v1".into(),
            manifest_digest: "sha256:m".into(),
            allowed,
            decided_at: Some(at),
        }
    }

    #[test]
    fn a_lax_namespace_does_not_open_the_image_to_a_strict_one() {
        let record = TrustRecord {
            image_ref: "sha256:img".into(),
            ..TrustRecord::default()
        }
        .with_decision(decision("lax", "sha256:lax", true, 100));
        let bytes = record.encode();
        let check = |ns: &'static str, digest: &'static str| ReuseCheck {
            image_ref: "sha256:img",
            namespace: ns,
            policy_digest: digest,
            record: Some(&bytes),
            max_age: None,
        };
        assert_eq!(
            trust_reuse(&check("strict", "sha256:strict")),
            TrustReuse::Evaluate(ReuseReason::OtherPolicies)
        );
        assert_eq!(
            trust_reuse(&check("lax", "sha256:lax")),
            TrustReuse::Reuse {
                namespace: "lax".into()
            }
        );
        // Another namespace with the identical policy may reuse the decision.
        assert_eq!(
            trust_reuse(&check("twin", "sha256:lax")),
            TrustReuse::Reuse {
                namespace: "lax".into()
            }
        );
        assert_eq!(
            trust_reuse(&check("lax", "sha256:lax2")),
            TrustReuse::Evaluate(ReuseReason::PolicyChanged)
        );
        let with_age = ReuseCheck {
            max_age: Some((200, 50)),
            ..check("lax", "sha256:lax")
        };
        assert_eq!(
            trust_reuse(&with_age),
            TrustReuse::Evaluate(ReuseReason::Expired)
        );
        let denied = record
            .with_decision(decision("strict", "sha256:strict", false, 150))
            .encode();
        let c = ReuseCheck {
            record: Some(&denied),
            ..check("strict", "sha256:strict")
        };
        assert_eq!(
            trust_reuse(&c),
            TrustReuse::Denied {
                namespace: "strict".into()
            }
        );
        assert_eq!(
            trust_reuse(&ReuseCheck { record: None, ..c }),
            TrustReuse::Evaluate(ReuseReason::NoRecord)
        );
    }

    #[test]
    fn records_round_trip_and_read_strictly() {
        let record = TrustRecord {
            image_ref: "sha256:<&>".into(),
            decisions: BTreeMap::new(),
        }
        .with_decision(decision("b", "d", true, 0))
        .with_decision(decision("a", "d", false, 1_800_000_000));
        let bytes = record.encode();
        assert!(bytes.starts_with(br#"{"kind":"ImageTrustRecord","apiVersion":"vouch.dev/v1alpha1","imageRef":"sha256:\u003c\u0026\u003e","decisions":[{"namespace":"a""#));
        assert_eq!(TrustRecord::decode(&bytes).unwrap(), record);
        for bad in [
            r#"{"kind":"ImageTrustRecord","apiVersion":"vouch.dev/v1alpha1","imageRef":"x","extra":1}"#,
            r#"{"kind":"ImageTrustRecord","apiVersion":"vouch.dev/v1","imageRef":"x"}"#,
            r#"{"kind":"ImageTrustRecord","apiVersion":"vouch.dev/v1alpha1","imageRef":"x","imageRef":"y"}"#,
            r#"{"kind":"ImageTrustRecord","apiVersion":"vouch.dev/v1alpha1","decisions":[{"namespace":"a"},{"namespace":"a"}]}"#,
            r#"{"kind":"ImageTrustRecord","apiVersion":"vouch.dev/v1alpha1","decisions":[{"allowed":"yes"}]}"#,
            r#"{"kind":"ImageTrustRecord","apiVersion":"vouch.dev/v1alpha1","decisions":[{"decidedAt":"yesterday"}]}"#,
            "[]",
        ] {
            assert!(TrustRecord::decode(bad.as_bytes()).is_err(), "{bad}");
        }
        // The oldest decision goes beyond the limit.
        let mut many = TrustRecord::default();
        for i in 0..=MAX_TRUST_DECISIONS {
            many = many.with_decision(decision(
                &alloc::format!("ns{i:03}"),
                "d",
                true,
                1000 + i as i64,
            ));
        }
        assert_eq!(many.decisions.len(), MAX_TRUST_DECISIONS);
        assert!(!many.decisions.contains_key("ns000"));
    }

    #[test]
    fn policy_digests_cover_the_files_named() {
        let policy = br#"{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k.gpg"}]}"#;
        let mut files = Files::new();
        let missing = policy_digest(policy, &files);
        files.insert("/k.gpg", b"key one".to_vec());
        let one = policy_digest(policy, &files);
        files.insert("/unrelated", b"x".to_vec());
        assert_eq!(policy_digest(policy, &files), one);
        files.insert("/k.gpg", b"key two".to_vec());
        assert_ne!(policy_digest(policy, &files), one);
        assert_ne!(one, missing);
        assert!(one.starts_with("sha256:") && one.len() == 71);
    }
}
