//! Reading an AdmissionReview (`admission.k8s.io/v1`): the request's identity, the object, and
//! where its pod spec and containers are, for Pods and the pod templates of workloads.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::Value;

/// A kind `vouch admit` decides, and the JSON path of its pod spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Workload {
    /// The kind (`Pod`, `Deployment`, …).
    pub(crate) kind: &'static str,
    /// The pod spec's path in the object, as JSON Pointer segments.
    pub(crate) spec_path: &'static [&'static str],
}

/// The kinds vouch decides: Pods, and the workloads whose pod templates make Pods.
pub(crate) const WORKLOADS: &[Workload] = &[
    Workload {
        kind: "Pod",
        spec_path: &["spec"],
    },
    Workload {
        kind: "Deployment",
        spec_path: &["spec", "template", "spec"],
    },
    Workload {
        kind: "StatefulSet",
        spec_path: &["spec", "template", "spec"],
    },
    Workload {
        kind: "DaemonSet",
        spec_path: &["spec", "template", "spec"],
    },
    Workload {
        kind: "ReplicaSet",
        spec_path: &["spec", "template", "spec"],
    },
    Workload {
        kind: "Job",
        spec_path: &["spec", "template", "spec"],
    },
    Workload {
        kind: "CronJob",
        spec_path: &["spec", "jobTemplate", "spec", "template", "spec"],
    },
];

/// One container of the pod spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ContainerRef {
    /// `containers`, `initContainers` or `ephemeralContainers`.
    pub(crate) list: &'static str,
    /// Its index in that list.
    pub(crate) index: usize,
    /// Its name.
    pub(crate) name: String,
    /// Its image as written.
    pub(crate) image: String,
    /// Its `imagePullPolicy`, or the one Kubernetes defaults it to.
    pub(crate) pull_policy: String,
    /// Whether the pull policy was written (not defaulted).
    pub(crate) pull_policy_written: bool,
}

impl ContainerRef {
    /// How an operator names the container in a message.
    pub(crate) fn label(&self) -> String {
        let kind = match self.list {
            "initContainers" => "init container",
            "ephemeralContainers" => "ephemeral container",
            _ => "container",
        };
        alloc::format!("{kind} {:?}", self.name)
    }
}

/// Kubernetes' default `imagePullPolicy` (`SetDefaults_Container`): `Always` when the image's
/// tag, as the kubelet's parser reads it, is `latest` (which an image with neither tag nor digest
/// gets), else `IfNotPresent`, also for an image that does not parse.
pub(crate) fn default_pull_policy(image: &str) -> &'static str {
    use crate::reference::{Dialect, Reference};
    match Reference::parse_normalized_in(image, Dialect::Distribution) {
        Ok(r) if r.tag() == Some("latest") || (r.tag().is_none() && r.digest().is_none()) => {
            "Always"
        }
        _ => "IfNotPresent",
    }
}

/// The pod spec at a workload's path.
pub(crate) fn spec_at<'a>(object: &'a Value, workload: &Workload) -> Option<&'a Value> {
    let mut at = object;
    for segment in workload.spec_path {
        at = at.get(segment)?;
    }
    at.is_object().then_some(at)
}

/// The containers of a pod spec, in the API server's order (regular, init, ephemeral). A
/// container without a string `image` is an error (the API server would refuse it).
pub(crate) fn containers(spec: &Value) -> Result<Vec<ContainerRef>, String> {
    let mut out = Vec::new();
    for list in ["containers", "initContainers", "ephemeralContainers"] {
        let Some(items) = spec.get(list) else {
            continue;
        };
        if items.is_null() {
            continue;
        }
        let items = items
            .as_array()
            .ok_or_else(|| alloc::format!("{list} is not a list"))?;
        for (index, c) in items.iter().enumerate() {
            let name = c
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let image = c
                .get("image")
                .and_then(Value::as_str)
                .filter(|i| !i.is_empty())
                .ok_or_else(|| alloc::format!("{list}[{index}] ({name:?}) has no image"))?
                .to_string();
            let written = c
                .get("imagePullPolicy")
                .and_then(Value::as_str)
                .filter(|p| !p.is_empty());
            out.push(ContainerRef {
                list,
                index,
                pull_policy: written
                    .map_or_else(|| default_pull_policy(&image).to_string(), String::from),
                pull_policy_written: written.is_some(),
                name,
                image,
            });
        }
    }
    Ok(out)
}

/// A JSON Pointer segment (`~` and `/` escaped).
pub(crate) fn pointer_segment(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_the_pull_policy_as_kubernetes_does() {
        assert_eq!(default_pull_policy("nginx"), "Always");
        assert_eq!(default_pull_policy("nginx:latest"), "Always");
        assert_eq!(default_pull_policy("nginx:1.25"), "IfNotPresent");
        assert_eq!(default_pull_policy("localhost:5000/app"), "Always");
        let digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        assert_eq!(
            default_pull_policy(&alloc::format!("nginx@{digest}")),
            "IfNotPresent"
        );
        assert_eq!(
            default_pull_policy(&alloc::format!("nginx:latest@{digest}")),
            "Always"
        );
        // An image the kubelet's parser refuses has no tag: IfNotPresent, as in Kubernetes.
        assert_eq!(default_pull_policy("nginx@sha256:abc"), "IfNotPresent");
        assert_eq!(default_pull_policy("Nginx"), "IfNotPresent");
    }
}
