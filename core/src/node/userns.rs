//! User namespaces (KEP-127): the API server's validation of a pod with `hostUsers: false` as
//! each release runs it, and the Pod Security Standards checks that user namespaces relax.
//!
//! The pod is JSON as the API serves it (a Pod, or a bare PodSpec). Only the rules that concern
//! user namespaces are checked; a pod that passes may still fail the API server elsewhere.

use alloc::collections::BTreeSet;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::Value;

use super::KubernetesVersion;

/// One validation error, as the API server reports it (`field.Error`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// The field path (`spec.hostNetwork`, `spec.containers[0].volumeDevices`).
    pub field: String,
    /// `Forbidden` or `Invalid`.
    pub error_type: &'static str,
    /// The message after the type (`when \`hostUsers\` is false`).
    pub detail: String,
    /// The whole error as the API server prints it.
    pub message: String,
}

impl FieldError {
    fn forbidden(field: String, detail: &str) -> Self {
        let message = alloc::format!("{field}: Forbidden: {detail}");
        Self {
            field,
            error_type: "Forbidden",
            detail: detail.into(),
            message,
        }
    }

    fn invalid(field: String, value: &str, detail: &str) -> Self {
        let message = alloc::format!("{field}: Invalid value: {value:?}: {detail}");
        Self {
            field,
            error_type: "Invalid",
            detail: detail.into(),
            message,
        }
    }
}

/// Feature gates and update context that change the validation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct UsernsOptions {
    /// `UserNamespacesHostNetworkSupport` (alpha from 1.35, off by default): `hostNetwork` with
    /// `hostUsers: false`.
    pub host_network_support: bool,
    /// `UserNamespacesPodSecurityStandards` (alpha in 1.33 and 1.34, off by default): the Pod
    /// Security Standards relaxations before they became part of policy version 1.35.
    pub pod_security_standards_gate: bool,
}

/// A pod as the API serves it, a Pod object or a bare PodSpec, read from JSON once for the checks
/// of this module.
///
/// ```
/// use vouch::node::{KubernetesVersion, PodJson, UsernsOptions, validate_user_namespaces};
///
/// let pod = PodJson::from_json(br#"{"kind":"Pod","spec":{"hostUsers":false,"hostPID":true,"containers":[]}}"#)?;
/// assert_eq!(pod.host_users(), Some(false));
/// let errors = validate_user_namespaces(&pod, "spec", KubernetesVersion::V1_36, UsernsOptions::default());
/// assert_eq!(errors[0].message, "spec.HostPID: Forbidden: when `hostUsers` is false");
/// # Ok::<(), vouch::node::PodJsonError>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct PodJson {
    spec: Value,
}

/// The most bytes [`PodJson::from_json`] reads: the API server's own limit on a request body
/// (`MaxRequestBodyBytes`, 3 MiB), so that no pod the API server accepts is refused here.
pub const MAX_POD_BYTES: usize = 3 * 1024 * 1024;

/// Why bytes are not a pod.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PodJsonError {
    /// Larger than [`MAX_POD_BYTES`]; not read.
    TooLarge {
        /// The length of the input.
        len: usize,
    },
    /// Not JSON (the parser's words).
    Json(String),
    /// JSON, but neither a Pod object with an object `spec` nor a PodSpec object.
    NotAPod,
}

impl core::fmt::Display for PodJsonError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::TooLarge { len } => write!(
                f,
                "the pod is {len} bytes; at most {MAX_POD_BYTES} are read (the API server's request limit)"
            ),
            Self::Json(why) => write!(f, "the pod is not JSON: {why}"),
            Self::NotAPod => f.write_str("the JSON is not a Pod object or a PodSpec"),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for PodJsonError {}

impl PodJson {
    /// Reads a Pod object or a bare PodSpec of at most [`MAX_POD_BYTES`].
    pub fn from_json(bytes: &[u8]) -> Result<Self, PodJsonError> {
        if bytes.len() > MAX_POD_BYTES {
            return Err(PodJsonError::TooLarge { len: bytes.len() });
        }
        let pod: Value =
            serde_json::from_slice(bytes).map_err(|e| PodJsonError::Json(e.to_string()))?;
        let spec = pod_spec(&pod).ok_or(PodJsonError::NotAPod)?.clone();
        Ok(Self { spec })
    }

    /// `spec.hostUsers`: `Some(false)` is a user-namespaced pod.
    pub fn host_users(&self) -> Option<bool> {
        host_users(&self.spec)
    }
}

/// The API server's validation of user namespaces for `pod`'s spec at `path` (`spec` for a Pod,
/// `spec.template.spec` for a workload), as `version` runs it for a new pod.
pub fn validate_user_namespaces(
    pod: &PodJson,
    path: &str,
    version: KubernetesVersion,
    options: UsernsOptions,
) -> Vec<FieldError> {
    validate_spec(&pod.spec, path, version, options)
}

/// The Pod Security Standards checks that user namespaces relax, for `pod` at `level` and policy
/// `version` (`pod-security.kubernetes.io/enforce-version`: `None` for `latest`, else `Some(n)`
/// for `v1.n`), as Pod Security Admission of the cluster's release evaluates them.
///
/// From 1.35 (policy version 1.35 or later) a user-namespaced pod may run as root
/// (`runAsNonRoot`, `runAsUser`) and, at baseline, unmask `/proc`; restricted keeps
/// `procMount`. In 1.33 and 1.34 the same three relax only with the alpha gate
/// `UserNamespacesPodSecurityStandards`, whatever the policy version.
pub fn pss_user_namespace_checks(
    pod: &PodJson,
    level: PssLevel,
    policy_version: Option<u32>,
    cluster: KubernetesVersion,
    options: UsernsOptions,
) -> Vec<PssCheck> {
    pss_checks(&pod.spec, level, policy_version, cluster, options)
}

/// The PodSpec of a Pod object, or the object itself when it is a bare PodSpec; `None` when it
/// is not an object.
pub(crate) fn pod_spec(pod: &Value) -> Option<&Value> {
    let object = pod.as_object()?;
    if object.contains_key("spec") && !object.contains_key("containers") {
        object.get("spec").filter(|s| s.is_object())
    } else {
        Some(pod)
    }
}

fn flag(spec: &Value, name: &str) -> bool {
    spec.get(name).and_then(Value::as_bool).unwrap_or(false)
}

/// `spec.hostUsers` of a PodSpec.
pub(crate) fn host_users(spec: &Value) -> Option<bool> {
    spec.get("hostUsers")?.as_bool()
}

/// The containers of `kinds`, in that order, as (kind, index, container); their field paths
/// are formatted only for an error. The API server validates containers regular, init,
/// ephemeral (`validateContainers` and the next two) but visits them init first
/// (`VisitContainersWithPath`), and the order of its errors follows.
fn containers<'a>(
    spec: &'a Value,
    kinds: [&'static str; 3],
) -> impl Iterator<Item = (&'static str, usize, &'a Value)> + 'a {
    kinds.into_iter().flat_map(move |kind| {
        spec.get(kind)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
            .map(move |(i, c)| (kind, i, c))
    })
}

const VALIDATION_ORDER: [&str; 3] = ["containers", "initContainers", "ephemeralContainers"];
const VISIT_ORDER: [&str; 3] = ["initContainers", "containers", "ephemeralContainers"];

/// [`validate_user_namespaces`] of a PodSpec.
pub(crate) fn validate_spec(
    spec: &Value,
    path: &str,
    version: KubernetesVersion,
    options: UsernsOptions,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let host_users = host_users(spec);
    // ValidateSecurityContext, per container: `Unmasked` needs a user namespace.
    if host_users != Some(false) {
        for (kind, i, c) in containers(spec, VALIDATION_ORDER) {
            if c.get("securityContext")
                .and_then(|s| s.get("procMount"))
                .and_then(Value::as_str)
                == Some("Unmasked")
            {
                errors.push(FieldError::invalid(
                    alloc::format!("{path}.{kind}[{i}].securityContext.procMount"),
                    "Unmasked",
                    "`hostUsers` must be false to use `Unmasked`",
                ));
            }
        }
    }
    // validateHostUsers.
    if host_users == Some(false) {
        let detail = if version == KubernetesVersion::V1_33 {
            "when `pod.Spec.HostUsers` is false"
        } else {
            "when `hostUsers` is false"
        };
        let host_network_allowed =
            version >= KubernetesVersion::V1_35 && options.host_network_support;
        if flag(spec, "hostNetwork") && !host_network_allowed {
            errors.push(FieldError::forbidden(
                alloc::format!("{path}.hostNetwork"),
                detail,
            ));
        }
        // The API server names these two fields with capitals.
        if flag(spec, "hostPID") {
            errors.push(FieldError::forbidden(
                alloc::format!("{path}.HostPID"),
                detail,
            ));
        }
        if flag(spec, "hostIPC") {
            errors.push(FieldError::forbidden(
                alloc::format!("{path}.HostIPC"),
                detail,
            ));
        }
        if version >= KubernetesVersion::V1_34 {
            for (kind, i, c) in containers(spec, VISIT_ORDER) {
                if c.get("volumeDevices")
                    .and_then(Value::as_array)
                    .is_some_and(|d| !d.is_empty())
                {
                    errors.push(FieldError::forbidden(
                        alloc::format!("{path}.{kind}[{i}].volumeDevices"),
                        detail,
                    ));
                }
            }
        }
    }
    // validateWindows: any hostUsers on a Windows pod (reported at `<spec>.hostUsers`).
    let windows = spec
        .get("os")
        .and_then(|o| o.get("name"))
        .and_then(Value::as_str)
        == Some("windows");
    if windows && host_users.is_some() {
        errors.push(FieldError::forbidden(
            alloc::format!("{path}.hostUsers"),
            "cannot be set for a windows pod",
        ));
    }
    errors
}

/// A Pod Security Standards level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PssLevel {
    /// `privileged`: no checks.
    Privileged,
    /// `baseline`.
    Baseline,
    /// `restricted`.
    Restricted,
}

impl PssLevel {
    /// The level with the given name.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "privileged" => Some(Self::Privileged),
            "baseline" => Some(Self::Baseline),
            "restricted" => Some(Self::Restricted),
            _ => None,
        }
    }
}

/// The result of one Pod Security Standards check that user namespaces relax.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PssCheck {
    /// The check's ID (`procMount`, `procMount_restricted`, `runAsNonRoot`, `runAsUser`).
    pub check: &'static str,
    /// Whether the pod passes it.
    pub allowed: bool,
    /// Whether it passes only because the pod has its own user namespace.
    pub relaxed: bool,
    /// The forbidden reason (empty when allowed).
    pub reason: String,
    /// The forbidden detail (empty when allowed).
    pub detail: String,
}

fn join_quote(items: &[String]) -> String {
    if items.is_empty() {
        return String::new();
    }
    alloc::format!("\"{}\"", items.join("\", \""))
}

fn pluralize(count: usize, singular: &'static str, plural: &'static str) -> &'static str {
    if count == 1 { singular } else { plural }
}

/// Containers in Pod Security Admission's order (init, regular, ephemeral) with their names.
fn psa_containers(spec: &Value) -> Vec<(String, &Value)> {
    let mut out = Vec::new();
    for kind in ["initContainers", "containers", "ephemeralContainers"] {
        for c in spec
            .get(kind)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let name = c
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            out.push((name, c));
        }
    }
    out
}

fn security(c: &Value, field: &str) -> Option<Value> {
    c.get("securityContext")?
        .get(field)
        .cloned()
        .filter(|v| !v.is_null())
}

fn proc_mount(spec: &Value) -> (bool, String, String) {
    let mut bad = Vec::new();
    let mut kinds = BTreeSet::new();
    for (name, c) in psa_containers(spec) {
        if let Some(Value::String(kind)) = security(c, "procMount")
            && kind != "Default"
        {
            bad.push(name);
            kinds.insert(kind);
        }
    }
    if bad.is_empty() {
        return (true, String::new(), String::new());
    }
    let kinds: Vec<String> = kinds.into_iter().collect();
    (
        false,
        "procMount".into(),
        alloc::format!(
            "{} {} must not set securityContext.procMount to {}",
            pluralize(bad.len(), "container", "containers"),
            join_quote(&bad),
            join_quote(&kinds)
        ),
    )
}

fn run_as_non_root(spec: &Value) -> (bool, String, String) {
    let mut setters: Vec<String> = Vec::new();
    let mut pod_true = false;
    match spec
        .get("securityContext")
        .and_then(|s| s.get("runAsNonRoot"))
        .and_then(Value::as_bool)
    {
        Some(false) => setters.push("pod".into()),
        Some(true) => pod_true = true,
        None => {}
    }
    let (mut explicit, mut implicit) = (Vec::new(), Vec::new());
    for (name, c) in psa_containers(spec) {
        match security(c, "runAsNonRoot").and_then(|v| v.as_bool()) {
            Some(false) => explicit.push(name),
            Some(true) => {}
            None if !pod_true => implicit.push(name),
            None => {}
        }
    }
    if !explicit.is_empty() {
        setters.push(alloc::format!(
            "{} {}",
            pluralize(explicit.len(), "container", "containers"),
            join_quote(&explicit)
        ));
    }
    if !setters.is_empty() {
        return (
            false,
            "runAsNonRoot != true".into(),
            alloc::format!(
                "{} must not set securityContext.runAsNonRoot=false",
                setters.join(" and ")
            ),
        );
    }
    if !implicit.is_empty() {
        return (
            false,
            "runAsNonRoot != true".into(),
            alloc::format!(
                "pod or {} {} must set securityContext.runAsNonRoot=true",
                pluralize(implicit.len(), "container", "containers"),
                join_quote(&implicit)
            ),
        );
    }
    (true, String::new(), String::new())
}

fn run_as_user(spec: &Value) -> (bool, String, String) {
    let zero = |v: Option<Value>| v.and_then(|v| v.as_i64()) == Some(0);
    let mut setters: Vec<String> = Vec::new();
    if zero(
        spec.get("securityContext")
            .and_then(|s| s.get("runAsUser"))
            .cloned(),
    ) {
        setters.push("pod".into());
    }
    let bad: Vec<String> = psa_containers(spec)
        .into_iter()
        .filter(|(_, c)| zero(security(c, "runAsUser")))
        .map(|(name, _)| name)
        .collect();
    if !bad.is_empty() {
        setters.push(alloc::format!(
            "{} {}",
            pluralize(bad.len(), "container", "containers"),
            join_quote(&bad)
        ));
    }
    if setters.is_empty() {
        return (true, String::new(), String::new());
    }
    (
        false,
        "runAsUser=0".into(),
        alloc::format!("{} must not set runAsUser=0", setters.join(" and ")),
    )
}

/// A policy version: `None` for `latest`, else the minor version of 1.x.
fn policy_minor(version: Option<u32>) -> u32 {
    version.unwrap_or(u32::MAX)
}

/// [`pss_user_namespace_checks`] of a PodSpec.
pub(crate) fn pss_checks(
    spec: &Value,
    level: PssLevel,
    policy_version: Option<u32>,
    cluster: KubernetesVersion,
    options: UsernsOptions,
) -> Vec<PssCheck> {
    let userns = host_users(spec) == Some(false);
    let minor = policy_minor(policy_version);
    let new_rules = cluster >= KubernetesVersion::V1_35 && minor >= 35;
    let gate = cluster < KubernetesVersion::V1_35 && options.pod_security_standards_gate;
    let mut out = Vec::new();
    let mut push = |check: &'static str, relaxable: bool, result: (bool, String, String)| {
        let relaxed = relaxable && userns && !result.0;
        let allowed = result.0 || relaxed;
        out.push(PssCheck {
            check,
            allowed,
            relaxed,
            reason: if allowed { String::new() } else { result.1 },
            detail: if allowed { String::new() } else { result.2 },
        });
    };
    if level >= PssLevel::Baseline {
        if new_rules && level == PssLevel::Restricted {
            // procMount_restricted overrides the baseline check and never relaxes.
            push("procMount_restricted", false, proc_mount(spec));
        } else {
            push("procMount", new_rules || gate, proc_mount(spec));
        }
    }
    if level == PssLevel::Restricted {
        push("runAsNonRoot", new_rules || gate, run_as_non_root(spec));
        if minor >= 23 {
            push("runAsUser", new_rules || gate, run_as_user(spec));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pod_json_refuses_what_is_not_a_pod() {
        assert!(matches!(
            PodJson::from_json(b"{not json"),
            Err(PodJsonError::Json(_))
        ));
        for not_a_pod in [&b"[]"[..], b"\"pod\"", b"{\"spec\":[]}", b"null"] {
            assert_eq!(PodJson::from_json(not_a_pod), Err(PodJsonError::NotAPod));
        }
        // Over the API server's request limit: refused unread, with the length.
        let mut big = br#"{"kind":"Pod","spec":{"containers":[],"x":""#.to_vec();
        big.resize(MAX_POD_BYTES, b'a');
        big.extend_from_slice(br#""}}"#);
        assert_eq!(
            PodJson::from_json(&big),
            Err(PodJsonError::TooLarge { len: big.len() })
        );
        big.truncate(MAX_POD_BYTES - 3);
        big.extend_from_slice(br#""}}"#);
        assert!(
            PodJson::from_json(&big).is_ok(),
            "at the limit, a pod is read"
        );
        let bare = PodJson::from_json(br#"{"hostUsers":true,"containers":[]}"#).expect("a PodSpec");
        assert_eq!(bare.host_users(), Some(true));
    }
}
