//! Pod admission (`vouch admit`, docs/admission.md): an AdmissionReview (`admission.k8s.io/v1`)
//! for a Pod or the pod template of a Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or
//! CronJob, decided in two I/O-free phases.
//!
//! 1. [`plan_line`]: the images whose manifests and signatures the caller must fetch (each once,
//!    as written in the pod spec).
//! 2. [`admit_line`]: with that evidence, the decision: every container's image (init and
//!    ephemeral ones included) under the policy, `imagePullPolicy: Always` where configured,
//!    `hostUsers: false` where configured; optionally the images pinned to their digests by a
//!    JSONPatch. One image in many containers is decided once. The response names every failing
//!    container and why; modes `enforce`, `warn` and `audit`.
//!
//! Multi-arch images: the policy decides the manifest the image as written resolves to, as
//! containers/image does when it pulls: for a multi-arch tag that is the image index, and its
//! signatures must be on the index's digest (where `cosign sign` puts them for a tag). An image
//! written with a digest is decided on the manifest with that digest: evidence whose manifest
//! has another digest is refused. Pinning uses the digest that was decided.

mod review;

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::{Map, Value, json};

use crate::json::CompiledPolicy;
use crate::reference::{Dialect, Reference};
use review::{ContainerRef, WORKLOADS, containers, pointer_segment, spec_at};

/// The longest admission line read (a review, its configuration and its evidence).
pub const MAX_ADMIT_REQUEST: usize = 64 * 1024 * 1024;

/// What the admission controller does with a failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// Deny the request.
    Enforce,
    /// Admit it, with a warning per failure.
    Warn,
    /// Admit it, with the failures in an audit annotation.
    Audit,
}

/// Which images must use `imagePullPolicy: Always`.
#[derive(Clone, Debug, PartialEq, Eq)]
enum AlwaysPull {
    None,
    All,
    /// Images whose registry (or registry and path prefix) is one of these.
    Registries(Vec<String>),
}

/// The admission configuration (docs/admission.md).
struct Config {
    mode: Mode,
    policy: Option<CompiledPolicy>,
    always_pull: AlwaysPull,
    require_user_namespaces: bool,
    pin_digests: bool,
    pin_exclude: Vec<String>,
    now: Option<String>,
}

fn config_error(why: impl Into<String>) -> (&'static str, String) {
    ("invalid_config", why.into())
}

fn read_config(value: Option<&Value>, need_policy: bool) -> Result<Config, (&'static str, String)> {
    let empty = Map::new();
    let object = match value {
        None | Some(Value::Null) => &empty,
        Some(Value::Object(o)) => o,
        Some(_) => return Err(config_error("config must be an object")),
    };
    const FIELDS: &[&str] = &[
        "mode",
        "policy",
        "require_always_pull",
        "require_user_namespaces",
        "pin_digests",
        "pin_exclude",
        "now",
    ];
    if let Some(unknown) = object.keys().find(|k| !FIELDS.contains(&k.as_str())) {
        return Err(config_error(alloc::format!(
            "config: unknown field {unknown:?}"
        )));
    }
    let mode = match object
        .get("mode")
        .and_then(Value::as_str)
        .unwrap_or("enforce")
    {
        "enforce" => Mode::Enforce,
        "warn" => Mode::Warn,
        "audit" => Mode::Audit,
        other => {
            return Err(config_error(alloc::format!(
                "config.mode {other:?} is not enforce, warn or audit"
            )));
        }
    };
    let policy = match object.get("policy") {
        None | Some(Value::Null) if need_policy => {
            return Err(config_error(
                "config.policy is required: the policy half of an evaluation request (policy, policy_text or policy_base64, and files)",
            ));
        }
        None | Some(Value::Null) => None,
        Some(p @ Value::Object(_)) => {
            let compiled = CompiledPolicy::compile(p.to_string().as_bytes());
            let report = compiled.report();
            if !report.accepted {
                return Err(config_error(alloc::format!(
                    "config.policy is not usable: {}{}",
                    report.error,
                    report.policy_error
                )));
            }
            Some(compiled)
        }
        Some(_) => return Err(config_error("config.policy must be an object")),
    };
    let always_pull = match object.get("require_always_pull") {
        None | Some(Value::Null) | Some(Value::Bool(false)) => AlwaysPull::None,
        Some(Value::Bool(true)) => AlwaysPull::All,
        Some(Value::Array(items)) => AlwaysPull::Registries(
            items
                .iter()
                .map(|i| i.as_str().map(String::from).filter(|s| !s.is_empty()))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| {
                    config_error(
                        "config.require_always_pull must be true, false or a list of registries",
                    )
                })?,
        ),
        Some(_) => {
            return Err(config_error(
                "config.require_always_pull must be true, false or a list of registries",
            ));
        }
    };
    let flag = |name: &str| -> Result<bool, (&'static str, String)> {
        match object.get(name) {
            None | Some(Value::Null) => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(_) => Err(config_error(alloc::format!(
                "config.{name} must be true or false"
            ))),
        }
    };
    let pin_exclude = match object.get("pin_exclude") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| i.as_str().map(String::from))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| config_error("config.pin_exclude must be a list of image patterns"))?,
        Some(_) => {
            return Err(config_error(
                "config.pin_exclude must be a list of image patterns",
            ));
        }
    };
    let now = match object.get("now") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if crate::go::time::parse_rfc3339(s).is_some() => Some(s.clone()),
        Some(_) => return Err(config_error("config.now must be an RFC 3339 time")),
    };
    Ok(Config {
        mode,
        policy,
        always_pull,
        require_user_namespaces: flag("require_user_namespaces")?,
        pin_digests: flag("pin_digests")?,
        pin_exclude,
        now,
    })
}

/// A wildcard match: `*` any run of characters (slashes too), `?` one character.
fn wildcard(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// The image's normalised repository (`docker.io/library/nginx`), or `None` if it does not parse.
fn repository(image: &str) -> Option<String> {
    Reference::parse_normalized_in(image, Dialect::ContainersImage)
        .ok()
        .map(|r| r.name().to_string())
}

impl AlwaysPull {
    fn applies(&self, image: &str) -> bool {
        match self {
            Self::None => false,
            Self::All => true,
            Self::Registries(list) => {
                let Some(repo) = repository(image) else {
                    return true;
                };
                list.iter().any(|r| {
                    let r = r.trim_end_matches('/');
                    repo == r || repo.starts_with(&alloc::format!("{r}/"))
                })
            }
        }
    }
}

/// One failure, for the message.
struct Failure {
    who: String,
    code: &'static str,
    why: String,
}

/// The request's parts.
struct Review<'a> {
    uid: String,
    operation: &'a str,
    sub_resource: &'a str,
    kind: String,
    object: Option<&'a Value>,
}

fn read_review(line: &Value) -> Result<Review<'_>, (String, String)> {
    let review = line
        .get("review")
        .ok_or_else(|| (String::new(), String::from("the line has no review")))?;
    let request = review
        .get("request")
        .filter(|r| r.is_object())
        .ok_or_else(|| {
            (
                String::new(),
                String::from("the AdmissionReview has no request"),
            )
        })?;
    let uid = request
        .get("uid")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    if review.get("apiVersion").and_then(Value::as_str) != Some("admission.k8s.io/v1")
        || review.get("kind").and_then(Value::as_str) != Some("AdmissionReview")
    {
        return Err((
            uid,
            String::from("not an AdmissionReview of admission.k8s.io/v1"),
        ));
    }
    if uid.is_empty() {
        return Err((uid, String::from("the request has no uid")));
    }
    let kind = request
        .get("kind")
        .and_then(|k| k.get("kind"))
        .and_then(Value::as_str)
        .or_else(|| {
            request
                .get("object")
                .and_then(|o| o.get("kind"))
                .and_then(Value::as_str)
        })
        .unwrap_or_default()
        .to_string();
    Ok(Review {
        uid,
        operation: request
            .get("operation")
            .and_then(Value::as_str)
            .unwrap_or_default(),
        sub_resource: request
            .get("subResource")
            .and_then(Value::as_str)
            .unwrap_or_default(),
        kind,
        object: request.get("object").filter(|o| o.is_object()),
    })
}

/// A review's pod spec, the JSON Pointer to it, and its containers.
type PodOf<'a> = (&'a Value, String, Vec<ContainerRef>);

/// Where the review's pod spec is, and its containers; `Ok(None)` when there is nothing to decide
/// (a delete, a connect, a status update).
fn pod_of<'a>(review: &Review<'a>) -> Result<Option<PodOf<'a>>, String> {
    if !matches!(review.operation, "CREATE" | "UPDATE") {
        return Ok(None);
    }
    if !matches!(review.sub_resource, "" | "ephemeralcontainers") {
        return Ok(None);
    }
    let workload = WORKLOADS.iter().find(|w| w.kind == review.kind).ok_or_else(|| {
        alloc::format!(
            "vouch admit decides Pods and the pod templates of Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs and CronJobs, not {:?}",
            review.kind
        )
    })?;
    let object = review
        .object
        .ok_or_else(|| String::from("the request has no object"))?;
    let spec = spec_at(object, workload).ok_or_else(|| {
        alloc::format!(
            "the {} has no pod spec at {}",
            workload.kind,
            workload.spec_path.join(".")
        )
    })?;
    let list = containers(spec)?;
    if list.is_empty() {
        return Err(String::from("the pod spec has no containers"));
    }
    let pointer: String = workload
        .spec_path
        .iter()
        .map(|s| alloc::format!("/{}", pointer_segment(s)))
        .collect();
    Ok(Some((spec, pointer, list)))
}

/// `vouch admit --plan`: the images the caller must fetch evidence for, each once, in order.
pub fn plan_line(input: &[u8]) -> String {
    let answer = |images: Vec<String>, kind: &str, error: String| {
        json!({"images": images, "error_kind": kind, "error": error}).to_string()
    };
    let line: Value = match serde_json::from_slice(input) {
        Ok(v) => v,
        Err(e) => {
            return answer(
                Vec::new(),
                "invalid_review",
                alloc::format!("the line is not JSON: {e}"),
            );
        }
    };
    let review = match read_review(&line) {
        Ok(r) => r,
        Err((_, why)) => return answer(Vec::new(), "invalid_review", why),
    };
    match pod_of(&review) {
        Ok(None) => answer(Vec::new(), "", String::new()),
        Ok(Some((_, _, list))) => {
            let mut images: Vec<String> = Vec::new();
            for c in list {
                if !images.contains(&c.image) {
                    images.push(c.image);
                }
            }
            answer(images, "", String::new())
        }
        Err(why) => answer(Vec::new(), "invalid_review", why),
    }
}

/// The AdmissionReview answering `uid`.
fn respond(uid: &str, response: Map<String, Value>) -> String {
    let mut r = response;
    r.insert("uid".into(), Value::String(uid.into()));
    json!({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "response": r})
        .to_string()
}

fn denial(uid: &str, message: String) -> String {
    let mut r = Map::new();
    r.insert("allowed".into(), Value::Bool(false));
    r.insert(
        "status".into(),
        json!({"status": "Failure", "reason": "Forbidden", "code": 403, "message": message}),
    );
    respond(uid, r)
}

/// The decision about one image: allowed, or why not; and the digest decided.
struct ImageVerdict {
    failure: Option<(&'static str, String)>,
    digest: Option<String>,
}

fn decide_image(image: &str, evidence: Option<&Value>, config: &Config) -> ImageVerdict {
    let refuse = |code: &'static str, why: String| ImageVerdict {
        failure: Some((code, why)),
        digest: None,
    };
    let Some(policy) = &config.policy else {
        return refuse("invalid_config", "no policy".into());
    };
    let Some(evidence) = evidence.and_then(Value::as_object) else {
        return refuse(
            "no_evidence",
            String::from(
                "no manifest and signatures were given for it (fetch what `vouch admit --plan` lists)",
            ),
        );
    };
    if let Some(unknown) = evidence
        .keys()
        .find(|k| !matches!(k.as_str(), "manifest" | "signatures"))
    {
        return refuse(
            "invalid_evidence",
            alloc::format!("evidence field {unknown:?} is unknown"),
        );
    }
    let Some(manifest_b64) = evidence.get("manifest").and_then(Value::as_str) else {
        return refuse("no_evidence", String::from("its evidence has no manifest"));
    };
    let Ok(manifest) = crate::go::base64_std(manifest_b64) else {
        return refuse(
            "invalid_evidence",
            String::from("its manifest is not base64"),
        );
    };
    let digest = match crate::manifest::manifest_digest(&manifest) {
        Ok(d) => d.to_string(),
        Err(e) => {
            return refuse(
                "invalid_evidence",
                alloc::format!("its manifest does not read: {e}"),
            );
        }
    };
    if let Ok(reference) = Reference::parse_normalized_in(image, Dialect::ContainersImage)
        && let Some(named) = reference.digest()
        && named.to_string() != digest
    {
        return refuse(
            "manifest_mismatch",
            alloc::format!(
                "the manifest given has digest {digest}, not the {named} the image names"
            ),
        );
    }
    let mut half = Map::new();
    half.insert("transport".into(), Value::String("docker".into()));
    half.insert("reference".into(), Value::String(image.into()));
    half.insert("manifest".into(), Value::String(manifest_b64.into()));
    half.insert(
        "signatures".into(),
        evidence
            .get("signatures")
            .cloned()
            .unwrap_or(Value::Array(Vec::new())),
    );
    if let Some(now) = &config.now {
        half.insert("now".into(), Value::String(now.clone()));
    }
    let decision = policy.evaluate_answer(Value::Object(half).to_string().as_bytes());
    if decision.allowed {
        ImageVerdict {
            failure: None,
            digest: Some(digest),
        }
    } else {
        refuse(
            "policy_denied",
            alloc::format!("the image policy denies it: {}", decision.error),
        )
    }
}

/// `vouch admit`: one line `{"review", "config", "evidence"}` in, one AdmissionReview out.
/// Compiles the configuration's policy for this line alone; [`Admitter`] keeps it between lines.
pub fn admit_line(input: &[u8]) -> String {
    Admitter::new().admit_line(input)
}

/// Decides admission lines, compiling each configuration once: lines with the same `config` as
/// the previous one reuse its compiled policy, and with it the evaluator's verification cache.
/// The answers are exactly [`admit_line`]'s.
#[derive(Default)]
pub struct Admitter {
    /// The `config` member the compiled configuration was read from, compared by value (no
    /// re-serialisation per line), and the configuration.
    cached: Option<(Value, Config)>,
}

impl core::fmt::Debug for Admitter {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Admitter")
            .field("compiled", &self.cached.is_some())
            .finish()
    }
}

impl Admitter {
    /// Nothing compiled yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Decides one line, as [`admit_line`] does.
    pub fn admit_line(&mut self, input: &[u8]) -> String {
        decide_line(input, &mut self.cached)
    }
}

fn decide_line(input: &[u8], cached: &mut Option<(Value, Config)>) -> String {
    if input.len() > MAX_ADMIT_REQUEST {
        return denial(
            "",
            alloc::format!(
                "vouch: the admission line is {} bytes; at most {MAX_ADMIT_REQUEST} are read",
                input.len()
            ),
        );
    }
    let line: Value = match serde_json::from_slice(input) {
        Ok(v) => v,
        Err(e) => {
            return denial(
                "",
                alloc::format!("vouch: the admission line is not JSON: {e}"),
            );
        }
    };
    if let Some(unknown) = line.as_object().and_then(|o| {
        o.keys()
            .find(|k| !matches!(k.as_str(), "review" | "config" | "evidence"))
    }) {
        let uid = line
            .pointer("/review/request/uid")
            .and_then(Value::as_str)
            .unwrap_or_default();
        return denial(
            uid,
            alloc::format!("vouch: unknown field {unknown:?} in the admission line"),
        );
    }
    let review = match read_review(&line) {
        Ok(r) => r,
        Err((uid, why)) => return denial(&uid, alloc::format!("vouch: {why}")),
    };
    let (spec, pointer, list) = match pod_of(&review) {
        Ok(Some(found)) => found,
        Ok(None) => {
            let mut r = Map::new();
            r.insert("allowed".into(), Value::Bool(true));
            return respond(&review.uid, r);
        }
        Err(why) => return denial(&review.uid, alloc::format!("vouch: {why}")),
    };
    let key = line.get("config").unwrap_or(&Value::Null);
    if cached.as_ref().is_none_or(|(k, _)| k != key) {
        *cached = None;
        match read_config(line.get("config"), true) {
            Ok(c) => *cached = Some((key.clone(), c)),
            Err((_, why)) => return denial(&review.uid, alloc::format!("vouch: {why}")),
        }
    }
    let Some((_, config)) = cached.as_ref() else {
        return denial(
            &review.uid,
            String::from("vouch: internal error: no configuration"),
        );
    };
    let evidence = line.get("evidence").and_then(Value::as_object);
    if line
        .get("evidence")
        .is_some_and(|e| !e.is_object() && !e.is_null())
    {
        return denial(
            &review.uid,
            String::from("vouch: evidence must be an object keyed by image"),
        );
    }
    let mut failures: Vec<Failure> = Vec::new();
    // Each image once.
    let mut verdicts: BTreeMap<&str, ImageVerdict> = BTreeMap::new();
    for c in &list {
        if !verdicts.contains_key(c.image.as_str()) {
            let verdict = decide_image(&c.image, evidence.and_then(|e| e.get(&c.image)), config);
            verdicts.insert(&c.image, verdict);
        }
    }
    for c in &list {
        if let Some((code, why)) = &verdicts[c.image.as_str()].failure {
            failures.push(Failure {
                who: alloc::format!("{} ({})", c.label(), c.image),
                code,
                why: why.clone(),
            });
        }
        if c.pull_policy != "Always" && config.always_pull.applies(&c.image) {
            let how = if c.pull_policy_written {
                "is"
            } else {
                "defaults to"
            };
            failures.push(Failure {
                who: alloc::format!("{} ({})", c.label(), c.image),
                code: "pull_policy",
                why: alloc::format!(
                    "imagePullPolicy {how} {}; images of this registry must be pulled with imagePullPolicy: Always, so that the node checks the pod's credentials on every start",
                    c.pull_policy
                ),
            });
        }
    }
    if config.require_user_namespaces && crate::node::host_users(spec) != Some(false) {
        failures.push(Failure {
            who: String::from("the pod"),
            code: "user_namespaces",
            why: String::from("hostUsers must be false: pods here run in their own user namespace (spec.hostUsers: false), so that a container breakout is not root on the node"),
        });
    }
    let mut r = Map::new();
    let message = failures
        .iter()
        .map(|f| alloc::format!("{}: {}", f.who, f.why))
        .collect::<Vec<_>>()
        .join("; ");
    let allowed = failures.is_empty() || config.mode != Mode::Enforce;
    r.insert("allowed".into(), Value::Bool(allowed));
    if !failures.is_empty() {
        match config.mode {
            Mode::Enforce => {
                r.insert(
                    "status".into(),
                    json!({"status": "Failure", "reason": "Forbidden", "code": 403,
                           "message": alloc::format!("vouch denied the {}: {message}", review.kind)}),
                );
            }
            Mode::Warn => {
                r.insert(
                    "warnings".into(),
                    Value::Array(
                        failures
                            .iter()
                            .map(|f| Value::String(alloc::format!("vouch: {}: {}", f.who, f.why)))
                            .collect(),
                    ),
                );
            }
            Mode::Audit => {}
        }
        let codes: Vec<&str> = failures.iter().map(|f| f.code).collect();
        r.insert(
            "auditAnnotations".into(),
            json!({"vouch.dev/violations": message, "vouch.dev/reasons": codes.join(",")}),
        );
    }
    if config.pin_digests && allowed && config.mode != Mode::Audit {
        let mut ops = Vec::new();
        for c in &list {
            let Some(digest) = verdicts[c.image.as_str()].digest.as_deref() else {
                continue;
            };
            if c.image.contains('@') || config.pin_exclude.iter().any(|p| wildcard(p, &c.image)) {
                continue;
            }
            ops.push(json!({"op": "replace", "path": alloc::format!("{pointer}/{}/{}/image", c.list, c.index),
                            "value": alloc::format!("{}@{digest}", c.image)}));
        }
        if !ops.is_empty() {
            r.insert("patchType".into(), Value::String("JSONPatch".into()));
            r.insert(
                "patch".into(),
                Value::String(crate::go::base64::base64_std_encode(
                    Value::Array(ops).to_string().as_bytes(),
                )),
            );
        }
    }
    respond(&review.uid, r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_match_across_slashes() {
        assert!(wildcard(
            "registry.example/dev/*",
            "registry.example/dev/team/app:v1"
        ));
        assert!(!wildcard(
            "registry.example/dev/*",
            "registry.example/prod/app"
        ));
        assert!(wildcard("*:latest", "nginx:latest"));
        assert!(wildcard("ngin?", "nginx"));
    }
}
