//! Pod admission (`vouch::admit`): AdmissionReviews for Pods and workload templates decided with
//! real keyless cosign evidence, the plan phase, every configured check and mode, digest pinning,
//! and malformed reviews (always a well-formed denial).

use base64ct::{Base64, Encoding as _};
use serde_json::{Value, json};
use vouch::admit::{admit_line, plan_line};

use vouch_conformance::admit_cases::signed_image as signed;

fn review(kind: &str, object: Value) -> Value {
    json!({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
           "request": {"uid": "u-1", "kind": {"group": "", "version": "v1", "kind": kind},
                       "operation": "CREATE", "object": object}})
}

fn pod(spec: Value) -> Value {
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "ns"}, "spec": spec})
}

fn admit(line: &Value) -> Value {
    let out: Value = serde_json::from_str(&admit_line(line.to_string().as_bytes())).expect("json");
    assert_eq!(out["apiVersion"], "admission.k8s.io/v1");
    assert_eq!(out["kind"], "AdmissionReview");
    out["response"].clone()
}

fn patch(response: &Value) -> Value {
    let text = Base64::decode_vec(response["patch"].as_str().expect("patch")).expect("base64");
    serde_json::from_slice(&text).expect("json patch")
}

#[test]
fn signed_images_are_admitted_and_pinned_once_decided() {
    let (image, policy, evidence) = signed();
    let spec = json!({"containers": [{"name": "app", "image": image, "imagePullPolicy": "Always"},
                                     {"name": "sidecar", "image": image}],
                      "initContainers": [{"name": "init", "image": image}]});
    let config = json!({"policy": policy, "pin_digests": true});
    let line = json!({"review": review("Pod", pod(spec.clone())), "config": config, "evidence": {image.clone(): evidence}});
    let r = admit(&line);
    assert_eq!(r["uid"], "u-1");
    assert_eq!(r["allowed"], true, "{r}");
    let ops = patch(&r);
    assert_eq!(ops.as_array().expect("ops").len(), 3);
    assert_eq!(ops[0]["path"], "/spec/containers/0/image");
    assert_eq!(ops[2]["path"], "/spec/initContainers/0/image");
    let pinned = ops[0]["value"].as_str().expect("value");
    assert!(pinned.starts_with(&format!("{image}@sha256:")), "{pinned}");
    // Excluded images are not pinned; audit mode mutates nothing.
    let mut excluded = line.clone();
    excluded["config"]["pin_exclude"] = json!(["quay.io/ns/*"]);
    assert!(admit(&excluded).get("patch").is_none());
    // The plan lists the image once.
    let plan: Value = serde_json::from_str(&plan_line(
        json!({"review": review("Pod", pod(spec))})
            .to_string()
            .as_bytes(),
    ))
    .expect("json");
    assert_eq!(plan["images"], json!([image]));
}

#[test]
fn every_failing_container_is_named_with_its_reason() {
    let (image, policy, evidence) = signed();
    let mut forged = evidence.clone();
    let sig = &mut forged["signatures"][0];
    let payload = sig["payload"].as_str().map(str::to_string);
    if let Some(p) = payload {
        let mut bytes = Base64::decode_vec(&p).expect("payload");
        let last = bytes.len() - 2;
        bytes[last] ^= 1;
        sig["payload"] = json!(Base64::encode_string(&bytes));
    }
    let spec = json!({"containers": [{"name": "app", "image": "quay.io/ns/forged:1", "imagePullPolicy": "IfNotPresent"},
                                     {"name": "ok", "image": image, "imagePullPolicy": "Always"}],
                      "initContainers": [{"name": "init", "image": "quay.io/ns/missing:2"}],
                      "ephemeralContainers": [{"name": "debug", "image": "quay.io/ns/forged:1"}]});
    let evidence = json!({image.clone(): evidence, "quay.io/ns/forged:1": forged});
    let config = json!({"policy": policy, "require_always_pull": ["quay.io/ns"], "require_user_namespaces": true});
    let line = json!({"review": review("Pod", pod(spec)), "config": config, "evidence": evidence});
    let r = admit(&line);
    assert_eq!(r["allowed"], false);
    assert_eq!(r["status"]["code"], 403);
    let message = r["status"]["message"].as_str().expect("message");
    for needle in [
        "container \"app\" (quay.io/ns/forged:1): the image policy denies it",
        "container \"app\" (quay.io/ns/forged:1): imagePullPolicy is IfNotPresent",
        "init container \"init\" (quay.io/ns/missing:2): no manifest and signatures",
        "init container \"init\" (quay.io/ns/missing:2): imagePullPolicy defaults to IfNotPresent",
        "ephemeral container \"debug\" (quay.io/ns/forged:1): the image policy denies it",
        "the pod: hostUsers must be false",
    ] {
        assert!(message.contains(needle), "missing {needle:?} in {message}");
    }
    assert!(!message.contains("container \"ok\""), "{message}");
    // Warn admits with one warning per failure; audit admits with annotations only.
    let mut warn = line.clone();
    warn["config"]["mode"] = json!("warn");
    let w = admit(&warn);
    assert_eq!(w["allowed"], true);
    assert_eq!(w["warnings"].as_array().expect("warnings").len(), 7);
    let mut audit = line;
    audit["config"]["mode"] = json!("audit");
    let a = admit(&audit);
    assert_eq!(a["allowed"], true);
    assert!(a.get("warnings").is_none());
    assert!(
        a["auditAnnotations"]["vouch.dev/reasons"]
            .as_str()
            .expect("reasons")
            .contains("policy_denied")
    );
}

#[test]
fn workload_templates_are_decided_at_their_paths() {
    let (image, policy, evidence) = signed();
    let template = json!({"spec": {"containers": [{"name": "app", "image": image}]}});
    for (kind, object, path) in [
        (
            "Deployment",
            json!({"spec": {"template": template}}),
            "/spec/template/spec/containers/0/image",
        ),
        (
            "StatefulSet",
            json!({"spec": {"template": template}}),
            "/spec/template/spec/containers/0/image",
        ),
        (
            "DaemonSet",
            json!({"spec": {"template": template}}),
            "/spec/template/spec/containers/0/image",
        ),
        (
            "ReplicaSet",
            json!({"spec": {"template": template}}),
            "/spec/template/spec/containers/0/image",
        ),
        (
            "Job",
            json!({"spec": {"template": template}}),
            "/spec/template/spec/containers/0/image",
        ),
        (
            "CronJob",
            json!({"spec": {"jobTemplate": {"spec": {"template": template}}}}),
            "/spec/jobTemplate/spec/template/spec/containers/0/image",
        ),
    ] {
        let line = json!({"review": review(kind, object), "config": {"policy": policy, "pin_digests": true},
                          "evidence": {image.clone(): evidence}});
        let r = admit(&line);
        assert_eq!(r["allowed"], true, "{kind}: {r}");
        assert_eq!(patch(&r)[0]["path"], path, "{kind}");
    }
}

#[test]
fn a_digest_must_name_the_manifest_given() {
    let (image, policy, evidence) = signed();
    let pinned = format!("{image}@sha256:{}", "0".repeat(64));
    let spec = json!({"containers": [{"name": "app", "image": pinned}]});
    let line = json!({"review": review("Pod", pod(spec)), "config": {"policy": policy}, "evidence": {pinned.clone(): evidence}});
    let r = admit(&line);
    assert_eq!(r["allowed"], false);
    assert!(
        r["status"]["message"]
            .as_str()
            .expect("message")
            .contains("not the sha256:0000"),
        "{r}"
    );
}

#[test]
fn malformed_reviews_get_well_formed_denials() {
    let (image, policy, evidence) = signed();
    let good = json!({"review": review("Pod", pod(json!({"containers": [{"name": "a", "image": image}]}))),
                      "config": {"policy": policy}, "evidence": {image.clone(): evidence}});
    let text = good.to_string();
    let mut lines: Vec<String> = vec![
        String::new(),
        "null".into(),
        "[]".into(),
        r#"{"review":{}}"#.into(),
        r#"{"review":{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"x","kind":{"kind":"Secret"},"operation":"CREATE","object":{}}}}"#.into(),
        r#"{"review":{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"x","kind":{"kind":"Pod"},"operation":"CREATE","object":{"spec":{"containers":[{"name":"a"}]}}}}}"#.into(),
        text.replace("\"config\"", "\"confi\""),
        text.replace("\"policy\"", "\"polic\""),
    ];
    // Every truncation and a byte flipped at many places.
    for cut in (0..text.len()).step_by(97) {
        lines.push(text[..cut].to_string());
        let mut bytes = text.clone().into_bytes();
        bytes[cut] ^= 0x20;
        lines.push(String::from_utf8_lossy(&bytes).into_owned());
    }
    let mut denied = 0;
    for line in &lines {
        let out: Value = serde_json::from_str(&admit_line(line.as_bytes())).expect("always JSON");
        assert_eq!(out["kind"], "AdmissionReview");
        let allowed = out["response"]["allowed"].as_bool().expect("allowed");
        if !allowed {
            denied += 1;
            assert!(
                out["response"]["status"]["message"]
                    .as_str()
                    .is_some_and(|m| !m.is_empty())
            );
        }
        let _ = plan_line(line.as_bytes());
    }
    assert!(denied >= lines.len() * 3 / 4, "{denied} of {}", lines.len());
    // A delete has nothing to decide.
    let mut delete = good;
    delete["review"]["request"]["operation"] = json!("DELETE");
    assert_eq!(admit(&delete)["allowed"], true);
}
