//! "Kubernetes node decisions" (`vouch node`): one request per line, `op` selecting the
//! decision (docs/node.md). Unknown ops and unknown fields are errors; every answer has
//! `error_kind` and `error`, empty on success.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::{Map, Value as Json};

use crate::go::json::{self as gojson, Member, Node, Value};
use crate::go::{base64::base64_std_encode, base64_std};
use crate::node::{
    CredentialPolicy, Keyring, KubernetesVersion, PodCredentials, PodPullSecret, PullCheck,
    PullIntent, PullPolicy, PullSecret, PullServiceAccount, PulledRecord, PulledWith,
    VerificationPolicy, kubelet_pull, record_file_name, record_pulled,
};

/// The longest request line `vouch node` reads (records of many images and secrets fit).
pub const MAX_NODE_REQUEST: usize = 16 * 1024 * 1024;

type Failure = (&'static str, String);

fn invalid(why: impl Into<String>) -> Failure {
    ("invalid_request", why.into())
}

/// An answer with the empty `error_kind` and `error` of a success.
fn succeeded(mut out: Map<String, Json>) -> Map<String, Json> {
    out.insert("error_kind".into(), Json::String(String::new()));
    out.insert("error".into(), Json::String(String::new()));
    out
}

/// A request's members, each looked up at most once; what is left over is unknown.
struct Fields<'n> {
    members: &'n [Member],
    op: &'static str,
}

impl<'n> Fields<'n> {
    fn new(members: &'n [Member], op: &'static str, allowed: &[&str]) -> Result<Self, Failure> {
        for (i, m) in members.iter().enumerate() {
            if !allowed.contains(&m.key.as_str()) && !matches!(m.key.as_str(), "op" | "id") {
                return Err(invalid(alloc::format!(
                    "{op}: unknown request field {:?}",
                    m.key
                )));
            }
            if members[..i].iter().any(|p| p.key == m.key) {
                return Err(invalid(alloc::format!(
                    "{op}: field {:?} appears twice",
                    m.key
                )));
            }
        }
        Ok(Self { members, op })
    }

    fn get(&self, name: &str) -> Option<&'n Node> {
        self.members
            .iter()
            .find(|m| m.key == name)
            .map(|m| &m.value)
            .filter(|n| n.value != Value::Null)
    }

    fn str(&self, name: &str) -> Result<Option<&'n str>, Failure> {
        match self.get(name).map(|n| &n.value) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(invalid(alloc::format!(
                "{}: {name} must be a string, not {}",
                self.op,
                other.go_kind()
            ))),
        }
    }

    fn required(&self, name: &str) -> Result<&'n str, Failure> {
        self.str(name)?
            .ok_or_else(|| invalid(alloc::format!("{}: {name} is required", self.op)))
    }

    fn bool(&self, name: &str) -> Result<bool, Failure> {
        match self.get(name).map(|n| &n.value) {
            None => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(other) => Err(invalid(alloc::format!(
                "{}: {name} must be true or false, not {}",
                self.op,
                other.go_kind()
            ))),
        }
    }

    fn base64(&self, name: &str) -> Result<Option<Vec<u8>>, Failure> {
        self.str(name)?
            .map(|text| {
                base64_std(text).map_err(|at| {
                    invalid(alloc::format!(
                        "{}: {name} is not valid base64 (at character {at})",
                        self.op
                    ))
                })
            })
            .transpose()
    }

    fn array(&self, name: &str) -> Result<&'n [Node], Failure> {
        match self.get(name).map(|n| &n.value) {
            None => Ok(&[]),
            Some(Value::Array(items)) => Ok(items),
            Some(other) => Err(invalid(alloc::format!(
                "{}: {name} must be an array, not {}",
                self.op,
                other.go_kind()
            ))),
        }
    }

    fn strings(&self, name: &str) -> Result<Vec<&'n str>, Failure> {
        self.array(name)?
            .iter()
            .map(|n| match &n.value {
                Value::String(s) => Ok(s.as_str()),
                other => Err(invalid(alloc::format!(
                    "{}: {name} must hold strings, not {}",
                    self.op,
                    other.go_kind()
                ))),
            })
            .collect()
    }

    fn object(&self, name: &str) -> Result<Option<Self>, Failure> {
        match self.get(name).map(|n| &n.value) {
            None => Ok(None),
            Some(Value::Object(members)) => Ok(Some(Self {
                members,
                op: self.op,
            })),
            Some(other) => Err(invalid(alloc::format!(
                "{}: {name} must be an object, not {}",
                self.op,
                other.go_kind()
            ))),
        }
    }

    fn version(&self) -> Result<KubernetesVersion, Failure> {
        match self.str("kubernetes_version")? {
            None => Ok(KubernetesVersion::default()),
            Some(name) => KubernetesVersion::from_name(name).ok_or_else(|| {
                invalid(alloc::format!(
                    "{}: kubernetes_version {name:?} is not one of 1.33, 1.34, 1.35, 1.36",
                    self.op
                ))
            }),
        }
    }

    fn now(&self) -> Result<Option<i64>, Failure> {
        self.str("now")?
            .map(|text| {
                crate::go::time::parse_rfc3339(text)
                    .map(|t| t.seconds)
                    .ok_or_else(|| {
                        invalid(alloc::format!("{}: now is not an RFC 3339 time", self.op))
                    })
            })
            .transpose()
    }
}

fn object_fields<'n>(
    node: &'n Node,
    op: &'static str,
    what: &str,
    allowed: &[&str],
) -> Result<Fields<'n>, Failure> {
    match &node.value {
        Value::Object(members) => {
            for (i, m) in members.iter().enumerate() {
                if !allowed.contains(&m.key.as_str()) {
                    return Err(invalid(alloc::format!(
                        "{op}: {what}: unknown field {:?}",
                        m.key
                    )));
                }
                if members[..i].iter().any(|p| p.key == m.key) {
                    return Err(invalid(alloc::format!(
                        "{op}: {what}: field {:?} appears twice",
                        m.key
                    )));
                }
            }
            Ok(Fields { members, op })
        }
        other => Err(invalid(alloc::format!(
            "{op}: {what} must be an object, not {}",
            other.go_kind()
        ))),
    }
}

fn pull_secret(node: &Node, op: &'static str, what: &str) -> Result<PullSecret, Failure> {
    let f = object_fields(
        node,
        op,
        what,
        &["uid", "namespace", "name", "credential_hash"],
    )?;
    Ok(PullSecret {
        uid: f.str("uid")?.unwrap_or_default().into(),
        namespace: f.str("namespace")?.unwrap_or_default().into(),
        name: f.str("name")?.unwrap_or_default().into(),
        credential_hash: f.str("credential_hash")?.unwrap_or_default().into(),
    })
}

fn service_account(
    node: &Node,
    op: &'static str,
    what: &str,
) -> Result<PullServiceAccount, Failure> {
    let f = object_fields(node, op, what, &["uid", "namespace", "name"])?;
    Ok(PullServiceAccount {
        uid: f.str("uid")?.unwrap_or_default().into(),
        namespace: f.str("namespace")?.unwrap_or_default().into(),
        name: f.str("name")?.unwrap_or_default().into(),
    })
}

/// A Kubernetes Secret object as the API serves it (fields vouch does not use are ignored).
fn secret_object(node: &Node, op: &'static str) -> Result<PodPullSecret, Failure> {
    let Value::Object(members) = &node.value else {
        return Err(invalid(alloc::format!(
            "{op}: pull_secrets must hold Secret objects"
        )));
    };
    let f = Fields { members, op };
    let mut out = PodPullSecret {
        secret_type: f.str("type")?.unwrap_or_default().into(),
        ..PodPullSecret::default()
    };
    if let Some(meta) = f.object("metadata")? {
        out.uid = meta.str("uid")?.unwrap_or_default().into();
        out.namespace = meta.str("namespace")?.unwrap_or_default().into();
        out.name = meta.str("name")?.unwrap_or_default().into();
    }
    if let Some(data) = f.object("data")? {
        for m in data.members {
            let value = match &m.value.value {
                Value::Null => Vec::new(),
                Value::String(s) => base64_std(s).map_err(|at| {
                    invalid(alloc::format!(
                        "{op}: secret {}: data {:?} is not valid base64 (at character {at})",
                        out.name,
                        m.key
                    ))
                })?,
                other => {
                    return Err(invalid(alloc::format!(
                        "{op}: secret data must be base64 strings, not {}",
                        other.go_kind()
                    )));
                }
            };
            out.data.insert(m.key.clone(), value);
        }
    }
    Ok(out)
}

fn pull_secrets(f: &Fields<'_>) -> Result<Vec<PodPullSecret>, Failure> {
    f.array("pull_secrets")?
        .iter()
        .map(|n| secret_object(n, f.op))
        .collect()
}

fn policy(f: &Fields<'_>, version: KubernetesVersion) -> Result<VerificationPolicy, Failure> {
    let name = f.str("policy")?;
    let policy = match name {
        None => CredentialPolicy::default(),
        Some(name) => CredentialPolicy::from_name(name).ok_or_else(|| {
            (
                "invalid_config",
                alloc::format!("unknown image pull credential verification policy: {name}"),
            )
        })?,
    };
    let allowlist = f.strings("allowlist")?;
    VerificationPolicy::validate_config(policy, &allowlist, version)
        .map_err(|e| ("invalid_config", e))?;
    VerificationPolicy::new(policy, &allowlist, version)
        .map_err(|e| ("invalid_config", e.to_string()))
}

fn b64(bytes: &[u8]) -> Json {
    Json::String(base64_std_encode(bytes))
}

/// `op: "kubelet_pull"`.
fn kubelet_pull_op(members: &[Member]) -> Result<Map<String, Json>, Failure> {
    let f = Fields::new(
        members,
        "kubelet_pull",
        &[
            "kubernetes_version",
            "policy",
            "allowlist",
            "image",
            "image_ref",
            "pull_policy",
            "pulled_record",
            "pull_intent",
            "intent_exists",
            "pod_secrets",
            "pull_secrets",
            "pod_service_account",
            "now",
        ],
    )?;
    let version = f.version()?;
    let image = f.required("image")?;
    let image_ref = f.str("image_ref")?.unwrap_or_default();
    let pull_policy = match f.str("pull_policy")? {
        None => PullPolicy::IfNotPresent,
        Some(name) => PullPolicy::from_name(name).ok_or_else(|| {
            invalid(alloc::format!(
                "kubelet_pull: pull_policy {name:?} is not Always, IfNotPresent or Never"
            ))
        })?,
    };
    let record = f.base64("pulled_record")?;
    let intent = f.base64("pull_intent")?;
    let secrets: Vec<PullSecret> = f
        .array("pod_secrets")?
        .iter()
        .map(|n| pull_secret(n, "kubelet_pull", "pod_secrets"))
        .collect::<Result<_, _>>()?;
    let raw_secrets = pull_secrets(&f)?;
    if !secrets.is_empty() && !raw_secrets.is_empty() {
        return Err(invalid(
            "kubelet_pull: give pod_secrets or pull_secrets, not both",
        ));
    }
    let account = f
        .get("pod_service_account")
        .map(|n| service_account(n, "kubelet_pull", "pod_service_account"))
        .transpose()?;
    let now = f.now()?;
    let intent_exists = f.bool("intent_exists")?;
    let policy = policy(&f, version)?;
    let keyring;
    let credentials = if f.get("pull_secrets").is_some() {
        keyring = Keyring::from_secrets(&raw_secrets, version);
        PodCredentials::Keyring(&keyring)
    } else {
        PodCredentials::Resolved(&secrets)
    };
    let decision = kubelet_pull(&PullCheck {
        version,
        policy: &policy,
        image,
        image_ref,
        pull_policy,
        pulled_record: record.as_deref(),
        pull_intent: intent.as_deref(),
        intent_exists,
        credentials,
        service_account: account.as_ref(),
        now,
    });
    let mut out = Map::new();
    out.insert("must_pull".into(), Json::Bool(decision.must_pull));
    out.insert(
        "result".into(),
        Json::String(
            decision
                .result
                .map(|r| r.label())
                .unwrap_or_default()
                .into(),
        ),
    );
    let (kind, error) = decision
        .error
        .as_ref()
        .map(|e| (e.kind(), e.to_string()))
        .unwrap_or_default();
    out.insert("error_kind".into(), Json::String(kind.into()));
    out.insert("error".into(), Json::String(error));
    out.insert(
        "record_error".into(),
        Json::String(
            decision
                .record_error
                .map(|e| e.to_string())
                .unwrap_or_default(),
        ),
    );
    out.insert(
        "record".into(),
        decision
            .record
            .map_or(Json::Null, |r| b64(&r.encode(version))),
    );
    Ok(out)
}

/// `op: "record_pulled"`: the record after a successful pull.
fn record_pulled_op(members: &[Member]) -> Result<Map<String, Json>, Failure> {
    const OP: &str = "record_pulled";
    let f = Fields::new(
        members,
        OP,
        &[
            "kubernetes_version",
            "image",
            "image_ref",
            "pulled_record",
            "pulled_with",
            "now",
        ],
    )?;
    let version = f.version()?;
    let image = f.required("image")?;
    let image_ref = f.required("image_ref")?;
    let existing = f.base64("pulled_record")?;
    let now = f.now()?;
    let secret;
    let account;
    let with = match f.get("pulled_with") {
        None => PulledWith::Node,
        Some(node) => {
            let Value::Object(members) = &node.value else {
                return Err(invalid("record_pulled: pulled_with must be an object"));
            };
            let kind =
                members
                    .iter()
                    .find(|m| m.key == "kind")
                    .and_then(|m| match &m.value.value {
                        Value::String(s) => Some(s.as_str()),
                        _ => None,
                    });
            let rest: Vec<Member> = members
                .iter()
                .filter(|m| m.key != "kind")
                .cloned()
                .collect();
            let rest = Node {
                value: Value::Object(rest),
                start: node.start,
                end: node.end,
            };
            match kind {
                Some("node") if members.len() == 1 => PulledWith::Node,
                Some("secret") => {
                    secret = pull_secret(&rest, OP, "pulled_with")?;
                    PulledWith::Secret(&secret)
                }
                Some("service_account") => {
                    account = service_account(&rest, OP, "pulled_with")?;
                    PulledWith::ServiceAccount(&account)
                }
                _ => {
                    return Err(invalid(
                        "record_pulled: pulled_with.kind must be \"node\", \"secret\" or \"service_account\"",
                    ));
                }
            }
        }
    };
    let record = record_pulled(version, image, image_ref, existing.as_deref(), with, now)
        .map_err(|e| ("invalid_image_name", e.to_string()))?;
    let mut out = Map::new();
    out.insert("error_kind".into(), Json::String(String::new()));
    out.insert("error".into(), Json::String(String::new()));
    out.insert(
        "file_name".into(),
        Json::String(record_file_name(image_ref)),
    );
    out.insert(
        "record".into(),
        record.map_or(Json::Null, |r| b64(&r.encode(version))),
    );
    Ok(out)
}

/// `op: "credential_hash"`.
fn credential_hash_op(members: &[Member]) -> Result<Map<String, Json>, Failure> {
    let f = Fields::new(
        members,
        "credential_hash",
        &["username", "password", "email", "auth"],
    )?;
    let username = f.str("username")?.unwrap_or_default();
    let password = f.str("password")?.unwrap_or_default();
    let email = f.str("email")?.unwrap_or_default();
    let auth = f.str("auth")?.unwrap_or_default();
    // The docker config entry as the kubelet reads it: `auth`, when present, wins.
    let config = serde_json::json!({"auths": {"r": {
        "username": username, "password": password, "email": email, "auth": auth}}});
    let secret = PodPullSecret {
        secret_type: crate::node::DOCKER_CONFIG_JSON.into(),
        data: [(".dockerconfigjson".into(), config.to_string().into_bytes())].into(),
        ..PodPullSecret::default()
    };
    let keyring = Keyring::from_secrets(&[secret], KubernetesVersion::default())
        .map_err(|e| ("auth_invalid", e.to_string()))?;
    let hash = keyring
        .lookup("r")
        .first()
        .map(|c| c.secret.credential_hash.clone())
        .unwrap_or_default();
    let mut out = Map::new();
    out.insert("credential_hash".into(), Json::String(hash));
    Ok(succeeded(out))
}

/// `op: "pod_credentials"`: the keyring's credentials for an image.
fn pod_credentials_op(members: &[Member]) -> Result<Map<String, Json>, Failure> {
    const OP: &str = "pod_credentials";
    let f = Fields::new(
        members,
        OP,
        &["kubernetes_version", "image", "pull_secrets"],
    )?;
    let version = f.version()?;
    let image = f.required("image")?;
    let secrets = pull_secrets(&f)?;
    let repository = crate::reference::Reference::parse_normalized_in(
        image,
        crate::reference::Dialect::Distribution,
    )
    .map_err(|e| {
        (
            "invalid_image_name",
            alloc::format!("couldn't parse image name {image:?}: {e}"),
        )
    })?;
    let keyring =
        Keyring::from_secrets(&secrets, version).map_err(|e| ("credentials", e.to_string()))?;
    let found: Vec<Json> = keyring
        .lookup(repository.name())
        .into_iter()
        .map(|c| {
            serde_json::json!({
                "uid": c.secret.uid, "namespace": c.secret.namespace, "name": c.secret.name,
                "credential_hash": c.secret.credential_hash,
            })
        })
        .collect();
    let mut out = Map::new();
    out.insert("repository".into(), Json::String(repository.name().into()));
    out.insert("credentials".into(), Json::Array(found));
    Ok(succeeded(out))
}

/// `op: "pull_record"`: read a record or intent file as the kubelet does, and write it back.
fn pull_record_op(members: &[Member]) -> Result<Map<String, Json>, Failure> {
    const OP: &str = "pull_record";
    let f = Fields::new(members, OP, &["kubernetes_version", "kind", "record"])?;
    let version = f.version()?;
    let bytes = f
        .base64("record")?
        .ok_or_else(|| invalid("pull_record: record is required"))?;
    let (key, encoded) = match f.str("kind")?.unwrap_or("pulled") {
        "pulled" => {
            let r = PulledRecord::decode(&bytes, version)
                .map_err(|e| ("record_invalid", e.to_string()))?;
            (r.image_ref.clone(), r.encode(version))
        }
        "intent" => {
            let r = PullIntent::decode(&bytes, version)
                .map_err(|e| ("record_invalid", e.to_string()))?;
            (r.image.clone(), r.encode(version))
        }
        other => {
            return Err(invalid(alloc::format!(
                "pull_record: kind {other:?} is not \"pulled\" or \"intent\""
            )));
        }
    };
    let mut out = Map::new();
    out.insert("ok".into(), Json::Bool(true));
    out.insert("error_kind".into(), Json::String(String::new()));
    out.insert("error".into(), Json::String(String::new()));
    out.insert("file_name".into(), Json::String(record_file_name(&key)));
    out.insert("record".into(), b64(&encoded));
    Ok(out)
}

/// `op: "verification_policy"`: the policy's answer for one image.
fn verification_policy_op(members: &[Member]) -> Result<Map<String, Json>, Failure> {
    let f = Fields::new(
        members,
        "verification_policy",
        &[
            "kubernetes_version",
            "policy",
            "allowlist",
            "image",
            "pulled_by_kubelet",
        ],
    )?;
    let version = f.version()?;
    let image = f.required("image")?;
    let pulled = f.bool("pulled_by_kubelet")?;
    let policy = policy(&f, version)?;
    let mut out = Map::new();
    out.insert(
        "requires_verification".into(),
        Json::Bool(policy.requires_verification(image, pulled)),
    );
    Ok(succeeded(out))
}

/// The JSON of a request member, as `serde_json` reads it (for Kubernetes objects).
fn object_json(input: &[u8], node: &Node, what: &str, op: &str) -> Result<Json, Failure> {
    serde_json::from_slice(&input[node.start..node.end])
        .map_err(|e| invalid(alloc::format!("{op}: {what} does not read: {e}")))
}

/// `op: "userns_validate"`.
fn userns_validate_op(input: &[u8], members: &[Member]) -> Result<Map<String, Json>, Failure> {
    const OP: &str = "userns_validate";
    let f = Fields::new(
        members,
        OP,
        &["kubernetes_version", "pod", "feature_gates", "pod_security"],
    )?;
    let version = f.version()?;
    let pod_node = f
        .get("pod")
        .ok_or_else(|| invalid("userns_validate: pod is required"))?;
    let pod = object_json(input, pod_node, "pod", OP)?;
    let spec = crate::node::pod_spec(&pod)
        .ok_or_else(|| invalid("userns_validate: pod must be a Pod object or a PodSpec"))?;
    let mut options = crate::node::UsernsOptions::default();
    if let Some(gates) = f.object("feature_gates")? {
        options.host_network_support = gates.bool("UserNamespacesHostNetworkSupport")?;
        options.pod_security_standards_gate = gates.bool("UserNamespacesPodSecurityStandards")?;
        for m in gates.members {
            if !matches!(
                m.key.as_str(),
                "UserNamespacesHostNetworkSupport" | "UserNamespacesPodSecurityStandards"
            ) {
                return Err(invalid(alloc::format!(
                    "userns_validate: unknown feature gate {:?}",
                    m.key
                )));
            }
        }
    }
    let errors = crate::node::validate_spec(spec, "spec", version, options);
    let mut out = Map::new();
    out.insert("ok".into(), Json::Bool(errors.is_empty()));
    out.insert(
        "errors".into(),
        Json::Array(
            errors
                .iter()
                .map(|e| serde_json::json!({"field": e.field, "type": e.error_type, "detail": e.detail, "message": e.message}))
                .collect(),
        ),
    );
    if let Some(pss) = f.object("pod_security")? {
        let level = pss.str("level")?.unwrap_or("restricted");
        let level = crate::node::PssLevel::from_name(level).ok_or_else(|| {
            invalid(alloc::format!("userns_validate: pod_security.level {level:?} is not privileged, baseline or restricted"))
        })?;
        let policy_version = match pss.str("version")?.unwrap_or("latest") {
            "latest" => None,
            other => Some(
                other
                    .strip_prefix("v1.")
                    .and_then(|m| m.parse::<u32>().ok())
                    .ok_or_else(|| invalid(alloc::format!("userns_validate: pod_security.version {other:?} is not \"latest\" or \"v1.N\"")))?,
            ),
        };
        let checks = crate::node::pss_checks(spec, level, policy_version, version, options);
        out.insert(
            "pod_security".into(),
            Json::Array(
                checks
                    .iter()
                    .map(|c| serde_json::json!({"check": c.check, "allowed": c.allowed, "relaxed": c.relaxed, "reason": c.reason, "detail": c.detail}))
                    .collect(),
            ),
        );
    }
    Ok(succeeded(out))
}

fn number(f: &Fields<'_>, name: &str) -> Result<Option<u64>, Failure> {
    match f.get(name).map(|n| &n.value) {
        None => Ok(None),
        Some(Value::Number(text)) => text.parse::<u64>().map(Some).map_err(|_| {
            invalid(alloc::format!(
                "{}: {name} must be a whole number from 0 to 2^64-1",
                f.op
            ))
        }),
        Some(other) => Err(invalid(alloc::format!(
            "{}: {name} must be a number, not {}",
            f.op,
            other.go_kind()
        ))),
    }
}

/// `op: "userns_allocate"`.
fn userns_allocate_op(members: &[Member]) -> Result<Map<String, Json>, Failure> {
    use crate::node::{IdAllocator, IdRanges};
    const OP: &str = "userns_allocate";
    let f = Fields::new(
        members,
        OP,
        &[
            "kubernetes_version",
            "ids_per_pod",
            "first_id",
            "length",
            "subids",
            "max_pods",
            "pods",
            "allocate",
            "release",
        ],
    )?;
    f.version()?;
    let ids = number(&f, "ids_per_pod")?
        .filter(|n| *n != 0)
        .unwrap_or(crate::node::IDS_PER_POD_UNIT);
    let max_pods = number(&f, "max_pods")?.unwrap_or(110);
    let config = |e: crate::node::IdRangeError| ("invalid_config", e.to_string());
    let (first, length) = match (
        f.str("subids")?,
        number(&f, "first_id")?,
        number(&f, "length")?,
    ) {
        (Some(text), None, None) => IdRanges::parse_subids(text).map_err(config)?,
        (None, Some(first), Some(length)) => (first, length),
        (None, None, None) => (ids, (1u64 << 32).saturating_sub(ids)),
        _ => {
            return Err(invalid(
                "userns_allocate: give subids, or first_id with length, or neither (the default range)",
            ));
        }
    };
    let ranges = IdRanges::new(first, length, ids, max_pods).map_err(config)?;
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for node in f.array("pods")? {
        let pod = object_fields(node, OP, "pods", &["uid", "userns"])?;
        let uid = pod.required("uid")?.to_string();
        files.push((uid, pod.base64("userns")?.unwrap_or_default()));
    }
    let view: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_slice()))
        .collect();
    let mut allocator =
        IdAllocator::load(ranges, &view).map_err(|e| ("invalid_state", e.to_string()))?;
    for pod in f.strings("release")? {
        allocator.release(pod);
    }
    let mut results = Vec::new();
    for pod in f.strings("allocate")? {
        results.push(match allocator.allocate(pod) {
            Ok(m) => serde_json::json!({"uid": pod, "host_id": m.host_id, "length": m.length,
                "userns": base64_std_encode(m.file().as_bytes()), "error_kind": "", "error": ""}),
            Err(e) => {
                serde_json::json!({"uid": pod, "host_id": null, "length": null, "userns": null,
                "error_kind": "exhausted", "error": e.to_string()})
            }
        });
    }
    let pods: Vec<Json> = allocator
        .mappings()
        .map(|(uid, m)| {
            serde_json::json!({"uid": uid, "host_id": m.host_id, "length": m.length,
            "userns": base64_std_encode(m.file().as_bytes())})
        })
        .collect();
    let mut out = Map::new();
    out.insert("allocated".into(), Json::Array(results));
    out.insert("pods".into(), Json::Array(pods));
    out.insert("in_use".into(), Json::from(allocator.allocated()));
    out.insert("free".into(), Json::from(allocator.free()));
    out.insert("total".into(), Json::from(ranges.total()));
    out.insert("ids_per_pod".into(), Json::from(ranges.ids_per_pod()));
    Ok(succeeded(out))
}

/// The policy digest a request names: `policy_digest` as given, or computed from `policy`
/// (the policy half of an evaluation request: `policy`/`policy_text`/`policy_base64` and
/// `files`).
fn requested_policy_digest(input: &[u8], f: &Fields<'_>) -> Result<String, Failure> {
    match (f.str("policy_digest")?, f.get("policy")) {
        (Some(digest), None) => {
            let ok = digest.strip_prefix("sha256:").is_some_and(|h| {
                h.len() == 64
                    && h.bytes()
                        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
            });
            if !ok {
                return Err(invalid(alloc::format!(
                    "{}: policy_digest must be sha256:<64 lowercase hex>",
                    f.op
                )));
            }
            Ok(digest.into())
        }
        (None, Some(node)) => {
            let half = super::request::read_part(
                &input[node.start..node.end],
                super::request::Part::Policy,
            )
            .map_err(|(_, e)| invalid(alloc::format!("{}: policy: {e}", f.op)))?;
            Ok(crate::node::policy_digest(&half.policy, &half.files))
        }
        _ => Err(invalid(alloc::format!(
            "{}: give policy_digest, or policy (the policy half of an evaluation request), not both",
            f.op
        ))),
    }
}

/// `op: "policy_digest"`.
fn policy_digest_op(input: &[u8], members: &[Member]) -> Result<Map<String, Json>, Failure> {
    let f = Fields::new(members, "policy_digest", &["policy"])?;
    if f.get("policy").is_none() {
        return Err(invalid("policy_digest: policy is required"));
    }
    let digest = requested_policy_digest(input, &f)?;
    let mut out = Map::new();
    out.insert("policy_digest".into(), Json::String(digest));
    Ok(succeeded(out))
}

/// `op: "trust_reuse"`.
fn trust_reuse_op(input: &[u8], members: &[Member]) -> Result<Map<String, Json>, Failure> {
    const OP: &str = "trust_reuse";
    let f = Fields::new(
        members,
        OP,
        &[
            "image_ref",
            "namespace",
            "policy_digest",
            "policy",
            "trust_record",
            "now",
            "max_age_seconds",
        ],
    )?;
    let image_ref = f.required("image_ref")?;
    let namespace = f.required("namespace")?;
    let digest = requested_policy_digest(input, &f)?;
    let record = f.base64("trust_record")?;
    let max_age = match (f.now()?, number(&f, "max_age_seconds")?) {
        (_, None) => None,
        (Some(now), Some(age)) => Some((now, i64::try_from(age).unwrap_or(i64::MAX))),
        (None, Some(_)) => return Err(invalid("trust_reuse: max_age_seconds needs now")),
    };
    let outcome = crate::node::trust_reuse(&crate::node::ReuseCheck {
        image_ref,
        namespace,
        policy_digest: &digest,
        record: record.as_deref(),
        max_age,
    });
    let (decided_by, message) = match &outcome {
        crate::node::TrustReuse::Reuse { namespace: by } => (
            by.clone(),
            alloc::format!(
                "the same policy ({digest}) admitted this image ID for namespace {by:?}"
            ),
        ),
        crate::node::TrustReuse::Denied { namespace: by } => (
            by.clone(),
            alloc::format!("the same policy ({digest}) denied this image ID for namespace {by:?}"),
        ),
        crate::node::TrustReuse::Evaluate(reason) => (
            String::new(),
            alloc::format!(
                "evaluate the image under namespace {namespace:?}'s policy before the pod uses it: {reason}"
            ),
        ),
    };
    let mut out = Map::new();
    out.insert(
        "reuse".into(),
        Json::Bool(matches!(outcome, crate::node::TrustReuse::Reuse { .. })),
    );
    out.insert("outcome".into(), Json::String(outcome.code().into()));
    out.insert("decided_by".into(), Json::String(decided_by));
    out.insert("message".into(), Json::String(message));
    out.insert("policy_digest".into(), Json::String(digest));
    Ok(succeeded(out))
}

/// `op: "trust_record"`: the record after a namespace's policy decided about an image.
fn trust_record_op(input: &[u8], members: &[Member]) -> Result<Map<String, Json>, Failure> {
    const OP: &str = "trust_record";
    let f = Fields::new(
        members,
        OP,
        &[
            "image_ref",
            "namespace",
            "policy_digest",
            "policy",
            "trust_record",
            "image",
            "manifest_digest",
            "allowed",
            "now",
        ],
    )?;
    let image_ref = f.required("image_ref")?;
    let decision = crate::node::TrustDecision {
        namespace: f.required("namespace")?.into(),
        policy_digest: requested_policy_digest(input, &f)?,
        image: f.str("image")?.unwrap_or_default().into(),
        manifest_digest: f.str("manifest_digest")?.unwrap_or_default().into(),
        allowed: f.bool("allowed")?,
        decided_at: f.now()?,
    };
    let existing = f.base64("trust_record")?;
    let mut record_error = String::new();
    let base = match existing.as_deref().map(crate::node::TrustRecord::decode) {
        Some(Ok(r)) if r.image_ref == image_ref => r,
        Some(Err(e)) => {
            record_error = e.to_string();
            crate::node::TrustRecord::default()
        }
        _ => crate::node::TrustRecord::default(),
    };
    let record = crate::node::TrustRecord {
        image_ref: image_ref.into(),
        ..base
    }
    .with_decision(decision);
    let mut out = Map::new();
    out.insert("record".into(), b64(&record.encode()));
    out.insert(
        "file_name".into(),
        Json::String(record_file_name(image_ref)),
    );
    out.insert("record_error".into(), Json::String(record_error));
    Ok(succeeded(out))
}

/// The ops `vouch node` answers.
pub const NODE_OPS: &[&str] = &[
    "kubelet_pull",
    "record_pulled",
    "credential_hash",
    "pod_credentials",
    "pull_record",
    "verification_policy",
    "userns_validate",
    "userns_allocate",
    "policy_digest",
    "trust_record",
    "trust_reuse",
];

/// Answers one `vouch node` request line with one line of JSON (without the newline).
pub fn node_line(input: &[u8]) -> String {
    let input = input.strip_suffix(b"\r").unwrap_or(input);
    let (id, answer) = node_answer(input);
    let mut out = Map::new();
    if let Some(id) = id {
        out.insert("id".into(), Json::String(id));
    }
    match answer {
        Ok(fields) => out.extend(fields),
        Err((kind, error)) => {
            out.insert("error_kind".into(), Json::String(kind.into()));
            out.insert("error".into(), Json::String(error));
        }
    }
    Json::Object(out).to_string()
}

fn node_answer(input: &[u8]) -> (Option<String>, Result<Map<String, Json>, Failure>) {
    if input.len() > MAX_NODE_REQUEST {
        return (
            None,
            Err(invalid(alloc::format!(
                "the request is {} bytes; at most {MAX_NODE_REQUEST} are read",
                input.len()
            ))),
        );
    }
    let root = match gojson::parse(input) {
        Ok(root) => root,
        Err(e) => {
            return (
                None,
                Err(invalid(alloc::format!(
                    "the request is not valid JSON: {} (byte {})",
                    e.message,
                    e.offset
                ))),
            );
        }
    };
    let Value::Object(members) = &root.value else {
        return (None, Err(invalid("the request must be a JSON object")));
    };
    let id = members
        .iter()
        .find(|m| m.key == "id")
        .and_then(|m| match &m.value.value {
            Value::String(s) => Some(s.clone()),
            _ => None,
        });
    let op = members
        .iter()
        .find(|m| m.key == "op")
        .map(|m| &m.value.value);
    let answer = match op {
        Some(Value::String(op)) => match op.as_str() {
            "kubelet_pull" => kubelet_pull_op(members),
            "record_pulled" => record_pulled_op(members),
            "credential_hash" => credential_hash_op(members),
            "pod_credentials" => pod_credentials_op(members),
            "pull_record" => pull_record_op(members),
            "verification_policy" => verification_policy_op(members),
            "userns_validate" => userns_validate_op(input, members),
            "userns_allocate" => userns_allocate_op(members),
            "policy_digest" => policy_digest_op(input, members),
            "trust_record" => trust_record_op(input, members),
            "trust_reuse" => trust_reuse_op(input, members),
            other => Err(invalid(alloc::format!(
                "unknown op {other:?} (one of {})",
                NODE_OPS.join(", ")
            ))),
        },
        _ => Err(invalid("op is required: a string naming the decision")),
    };
    (id, answer)
}
