//! Prometheus metrics of vouch's decisions (text exposition format 0.0.4).
//!
//! The core keeps no clock and no global state: the embedder owns a [`Metrics`], hands it each
//! request and answer (any surface's: an evaluation decision, a node answer, an
//! AdmissionReview) with the time the decision took as it measured it, and renders the text
//! when Prometheus scrapes. Labels are bounded: results, reason codes, requirement types,
//! transports, ops and kinds. Image names and namespaces appear only when the embedder opts in
//! ([`MetricsOptions`]), since they grow without bound.
//!
//! KEP-2535 checks are counted under the kubelet's own names
//! (`kubelet_imagemanager_image_mustpull_checks_total`,
//! `kubelet_image_manager_ensure_image_requests_total`), with its labels and values, so that a
//! dashboard built for the kubelet reads vouch's decisions too.

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt::Write as _;

use serde_json::Value;

/// Latency histogram buckets, in seconds.
pub const BUCKETS: [f64; 14] = [
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];

/// What may appear in labels beyond the bounded ones.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MetricsOptions {
    /// Count decisions per namespace too (`vouch_namespace_decisions_total`).
    pub namespaces: bool,
    /// Count decisions per image too (`vouch_image_name_decisions_total`).
    pub images: bool,
}

type Labels = Vec<(&'static str, String)>;

#[derive(Clone, Debug, Default, PartialEq)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

/// The metric families vouch writes: name, type and help.
const FAMILIES: &[(&str, &str, &str)] = &[
    (
        "vouch_image_decisions_total",
        "counter",
        "Image policy decisions, by result, reason code and transport.",
    ),
    (
        "vouch_requirement_outcomes_total",
        "counter",
        "Policy requirement outcomes, by requirement type, verdict and reason code.",
    ),
    (
        "vouch_image_decision_duration_seconds",
        "histogram",
        "Time an image policy decision took, as the embedder measured it.",
    ),
    (
        "vouch_bundle_verifications_total",
        "counter",
        "Sigstore bundle verifications, by result and reason code.",
    ),
    (
        "kubelet_imagemanager_image_mustpull_checks_total",
        "counter",
        "KEP-2535 checks whether a pod must pull an image present on the node, by result (the kubelet's metric).",
    ),
    (
        "kubelet_image_manager_ensure_image_requests_total",
        "counter",
        "Image requests, by pull policy, whether the image was present and whether a pull was required (the kubelet's metric).",
    ),
    (
        "vouch_node_decisions_total",
        "counter",
        "Kubernetes node decisions, by op and outcome.",
    ),
    (
        "vouch_node_decision_duration_seconds",
        "histogram",
        "Time a node decision took, as the embedder measured it.",
    ),
    (
        "vouch_admission_reviews_total",
        "counter",
        "AdmissionReviews answered, by kind and result.",
    ),
    (
        "vouch_admission_failures_total",
        "counter",
        "Failures found in admitted or denied reviews, by reason code.",
    ),
    (
        "vouch_admission_review_duration_seconds",
        "histogram",
        "Time an AdmissionReview took, as the embedder measured it.",
    ),
    (
        "vouch_namespace_decisions_total",
        "counter",
        "Admission results per namespace (only when namespaces are opted in).",
    ),
    (
        "vouch_image_name_decisions_total",
        "counter",
        "Image policy results per image (only when image names are opted in).",
    ),
];

/// Counters and histograms of decisions, owned by the embedder.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Metrics {
    options: MetricsOptions,
    counters: BTreeMap<(&'static str, Labels), u64>,
    histograms: BTreeMap<(&'static str, Labels), Histogram>,
}

fn text(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

fn truth(v: Option<bool>) -> String {
    match v {
        Some(true) => "true".into(),
        Some(false) => "false".into(),
        None => "unknown".into(),
    }
}

impl Metrics {
    /// No observations yet.
    pub fn new(options: MetricsOptions) -> Self {
        Self {
            options,
            ..Self::default()
        }
    }

    fn count(&mut self, name: &'static str, labels: Labels) {
        *self.counters.entry((name, labels)).or_default() += 1;
    }

    fn time(&mut self, name: &'static str, labels: Labels, seconds: Option<f64>) {
        let Some(seconds) = seconds.filter(|s| s.is_finite() && *s >= 0.0) else {
            return;
        };
        let h = self.histograms.entry((name, labels)).or_default();
        for (i, bound) in BUCKETS.iter().enumerate() {
            if seconds <= *bound {
                h.counts[i] += 1;
            }
        }
        h.count += 1;
        h.sum += seconds;
    }

    /// Counts one decision: the request as the surface received it (for the op and the
    /// namespace; may be empty), the answer it gave, and how long it took in seconds (`None`
    /// when not measured). Answers that are not JSON are ignored.
    pub fn observe(&mut self, request: &[u8], answer: &[u8], seconds: Option<f64>) {
        let Ok(answer) = serde_json::from_slice::<Value>(answer) else {
            return;
        };
        let request: Value = serde_json::from_slice(request).unwrap_or(Value::Null);
        if answer.get("kind").and_then(Value::as_str) == Some("AdmissionReview") {
            self.admission(&request, &answer, seconds);
        } else if answer.get("requirements").is_some() || answer.get("policy_error").is_some() {
            self.decision(&answer, seconds);
        } else if answer.get("verified").is_some() {
            let result = if answer["verified"] == true {
                "verified"
            } else {
                "rejected"
            };
            self.count(
                "vouch_bundle_verifications_total",
                alloc::vec![
                    ("result", result.into()),
                    ("reason", text(&answer, "error_kind"))
                ],
            );
        } else if let Some(op) = request.get("op").and_then(Value::as_str) {
            self.node(op, &request, &answer, seconds);
        } else if answer.get("images").is_some() {
            self.count(
                "vouch_node_decisions_total",
                alloc::vec![
                    ("op", "admit_plan".into()),
                    ("outcome", text(&answer, "error_kind"))
                ],
            );
        }
    }

    fn decision(&mut self, answer: &Value, seconds: Option<f64>) {
        let result = if answer["allowed"] == true {
            "allowed"
        } else {
            "denied"
        };
        let transport = answer
            .get("image")
            .map(|i| text(i, "transport"))
            .unwrap_or_default();
        self.count(
            "vouch_image_decisions_total",
            alloc::vec![
                ("result", result.into()),
                ("reason", text(answer, "error_kind")),
                ("transport", transport)
            ],
        );
        for r in answer
            .get("requirements")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            self.count(
                "vouch_requirement_outcomes_total",
                alloc::vec![
                    ("type", text(r, "type")),
                    ("verdict", text(r, "verdict")),
                    ("reason", text(r, "reason"))
                ],
            );
        }
        self.time(
            "vouch_image_decision_duration_seconds",
            alloc::vec![("result", result.into())],
            seconds,
        );
        if self.options.images
            && let Some(image) = answer
                .get("image")
                .and_then(|i| i.get("docker_reference"))
                .and_then(Value::as_str)
        {
            self.count(
                "vouch_image_name_decisions_total",
                alloc::vec![("image", image.into()), ("result", result.into())],
            );
        }
    }

    fn node(&mut self, op: &str, request: &Value, answer: &Value, seconds: Option<f64>) {
        let error = text(answer, "error_kind");
        let outcome = match op {
            "kubelet_pull" => {
                let result = text(answer, "result");
                if !result.is_empty() {
                    self.count(
                        "kubelet_imagemanager_image_mustpull_checks_total",
                        alloc::vec![("result", result.clone())],
                    );
                }
                self.ensure_image(request, answer);
                if error.is_empty() {
                    if answer["must_pull"] == true {
                        "must_pull".into()
                    } else {
                        "use_cached".into()
                    }
                } else {
                    error.clone()
                }
            }
            "trust_reuse" if error.is_empty() => text(answer, "outcome"),
            "userns_validate" if error.is_empty() => {
                if answer["ok"] == true {
                    "valid".into()
                } else {
                    "invalid".into()
                }
            }
            _ if error.is_empty() => "ok".into(),
            _ => error.clone(),
        };
        let op = if crate::json::NODE_OPS.contains(&op) {
            op.to_string()
        } else {
            "unknown".into()
        };
        self.count(
            "vouch_node_decisions_total",
            alloc::vec![("op", op.clone()), ("outcome", outcome)],
        );
        self.time(
            "vouch_node_decision_duration_seconds",
            alloc::vec![("op", op)],
            seconds,
        );
    }

    /// `kubelet_image_manager_ensure_image_requests_total`, labelled as the kubelet labels each
    /// path through `EnsureImageExists` (1.35 on).
    fn ensure_image(&mut self, request: &Value, answer: &Value) {
        let policy = text(request, "pull_policy");
        let policy = if policy.is_empty() {
            "IfNotPresent".to_string()
        } else {
            policy
        };
        let present = !text(request, "image_ref").is_empty();
        let error = text(answer, "error_kind");
        let must_pull = answer["must_pull"] == true;
        let (present_locally, pull_required) = match (error.as_str(), policy.as_str()) {
            ("invalid_image_name" | "invalid_config" | "invalid_request", _) => (None, None),
            (_, "Always") => (None, Some(true)),
            (_, "Never") if !present => (Some(false), None),
            _ if !present => (Some(false), Some(true)),
            ("credentials", _) => (Some(true), None),
            _ => (Some(true), Some(must_pull)),
        };
        self.count(
            "kubelet_image_manager_ensure_image_requests_total",
            alloc::vec![
                ("pull_policy", policy.to_ascii_lowercase()),
                ("present_locally", truth(present_locally)),
                ("pull_required", truth(pull_required)),
            ],
        );
    }

    fn admission(&mut self, request: &Value, answer: &Value, seconds: Option<f64>) {
        let response = &answer["response"];
        let reasons = response
            .get("auditAnnotations")
            .and_then(|a| a.get("vouch.dev/reasons"))
            .and_then(Value::as_str)
            .unwrap_or_default();
        let result = match (
            response["allowed"] == true,
            reasons.is_empty(),
            response.get("warnings").is_some(),
        ) {
            (false, _, _) => "denied",
            (true, true, _) => "allowed",
            (true, false, true) => "warned",
            (true, false, false) => "audited",
        };
        let kind = request
            .pointer("/review/request/kind/kind")
            .and_then(Value::as_str)
            .filter(|k| {
                [
                    "Pod",
                    "Deployment",
                    "StatefulSet",
                    "DaemonSet",
                    "ReplicaSet",
                    "Job",
                    "CronJob",
                ]
                .contains(k)
            })
            .unwrap_or("other");
        self.count(
            "vouch_admission_reviews_total",
            alloc::vec![("kind", kind.into()), ("result", result.into())],
        );
        for reason in reasons.split(',').filter(|r| !r.is_empty()) {
            self.count(
                "vouch_admission_failures_total",
                alloc::vec![("reason", reason.into())],
            );
        }
        self.time(
            "vouch_admission_review_duration_seconds",
            alloc::vec![("result", result.into())],
            seconds,
        );
        if self.options.namespaces {
            let namespace = request
                .pointer("/review/request/namespace")
                .and_then(Value::as_str)
                .unwrap_or_default();
            self.count(
                "vouch_namespace_decisions_total",
                alloc::vec![("namespace", namespace.into()), ("result", result.into())],
            );
        }
    }

    /// The text exposition: every family observed, with `HELP` and `TYPE`, in a fixed order.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for (name, kind, help) in FAMILIES {
            let counters: Vec<_> = self
                .counters
                .iter()
                .filter(|((n, _), _)| n == name)
                .collect();
            let histograms: Vec<_> = self
                .histograms
                .iter()
                .filter(|((n, _), _)| n == name)
                .collect();
            if counters.is_empty() && histograms.is_empty() {
                continue;
            }
            let _ = writeln!(out, "# HELP {name} {help}");
            let _ = writeln!(out, "# TYPE {name} {kind}");
            for ((_, labels), value) in counters {
                let _ = writeln!(out, "{name}{} {value}", render_labels(labels, None));
            }
            for ((_, labels), h) in histograms {
                for (i, bound) in BUCKETS.iter().enumerate() {
                    let _ = writeln!(
                        out,
                        "{name}_bucket{} {}",
                        render_labels(labels, Some(&format_float(*bound))),
                        h.counts[i]
                    );
                }
                let _ = writeln!(
                    out,
                    "{name}_bucket{} {}",
                    render_labels(labels, Some("+Inf")),
                    h.count
                );
                let _ = writeln!(
                    out,
                    "{name}_sum{} {}",
                    render_labels(labels, None),
                    format_float(h.sum)
                );
                let _ = writeln!(
                    out,
                    "{name}_count{} {}",
                    render_labels(labels, None),
                    h.count
                );
            }
        }
        out
    }
}

/// A float as Prometheus writes one: the shortest text that reads back the same.
fn format_float(v: f64) -> String {
    let s = alloc::format!("{v}");
    if s.contains('.') || s.contains('e') || s.contains("inf") || s.contains("NaN") {
        s
    } else {
        alloc::format!("{s}.0")
    }
}

fn render_labels(labels: &Labels, le: Option<&str>) -> String {
    if labels.is_empty() && le.is_none() {
        return String::new();
    }
    let mut out = String::from("{");
    let mut first = true;
    for (key, value) in labels
        .iter()
        .map(|(k, v)| (*k, v.as_str()))
        .chain(le.map(|l| ("le", l)))
    {
        if !first {
            out.push(',');
        }
        first = false;
        out.push_str(key);
        out.push_str("=\"");
        for c in value.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '"' => out.push_str("\\\""),
                '\n' => out.push_str("\\n"),
                c => out.push(c),
            }
        }
        out.push('"');
    }
    out.push('}');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_kubelet_checks_under_the_kubelets_names() {
        let mut m = Metrics::new(MetricsOptions::default());
        m.observe(
            br#"{"op":"kubelet_pull","image":"nginx","image_ref":"sha256:a","pull_policy":"IfNotPresent"}"#,
            br#"{"must_pull":true,"result":"mustAuthenticate","error_kind":"","error":""}"#,
            Some(0.0003),
        );
        m.observe(
            br#"{"op":"kubelet_pull","image":"nginx","pull_policy":"Never"}"#,
            br#"{"must_pull":true,"result":"","error_kind":"image_never_pull","error":"x"}"#,
            None,
        );
        let text = m.render();
        assert!(
            text.contains(
                "kubelet_imagemanager_image_mustpull_checks_total{result=\"mustAuthenticate\"} 1\n"
            ),
            "{text}"
        );
        assert!(text.contains("kubelet_image_manager_ensure_image_requests_total{pull_policy=\"ifnotpresent\",present_locally=\"true\",pull_required=\"true\"} 1\n"));
        assert!(text.contains("kubelet_image_manager_ensure_image_requests_total{pull_policy=\"never\",present_locally=\"false\",pull_required=\"unknown\"} 1\n"));
        assert!(text.contains(
            "vouch_node_decision_duration_seconds_bucket{op=\"kubelet_pull\",le=\"0.0005\"} 1\n"
        ));
        assert!(
            text.contains("vouch_node_decision_duration_seconds_count{op=\"kubelet_pull\"} 1\n")
        );
    }

    #[test]
    fn names_and_namespaces_only_when_opted_in() {
        let request =
            br#"{"review":{"request":{"uid":"u","namespace":"team","kind":{"kind":"Pod"}}}}"#;
        let answer = br#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"u","allowed":false,"auditAnnotations":{"vouch.dev/reasons":"policy_denied,pull_policy"}}}"#;
        let mut plain = Metrics::new(MetricsOptions::default());
        plain.observe(request, answer, Some(0.01));
        assert!(!plain.render().contains("team"));
        assert!(
            plain
                .render()
                .contains("vouch_admission_failures_total{reason=\"pull_policy\"} 1")
        );
        let mut opted = Metrics::new(MetricsOptions {
            namespaces: true,
            images: true,
        });
        opted.observe(request, answer, None);
        assert!(
            opted.render().contains(
                "vouch_namespace_decisions_total{namespace=\"team\",result=\"denied\"} 1"
            )
        );
        assert_eq!(
            render_labels(&alloc::vec![("a", "x\"\\\n".into())], None),
            "{a=\"x\\\"\\\\\\n\"}"
        );
    }
}
