//! Generated admission lines (`vouch admit`): AdmissionReviews for Pods and workload templates
//! with real keyless cosign evidence (conformance/src/keyless_cases.rs), every configuration
//! knob and mode, missing and forged evidence, and malformed lines.

use base64ct::{Base64, Encoding as _};
use serde_json::{Map, Value, json};

use crate::generate::Rng;
use crate::keyless_cases::{accepted_fulcio, authorities};

/// The time the keyless authorities are made for.
const NOW: i64 = 1_795_348_800;

/// The signed image, its policy half and its evidence.
pub fn signed_image() -> (String, Value, Value) {
    let case = accepted_fulcio(&authorities(NOW));
    let r = case.vouch;
    let image = r["reference"].as_str().expect("reference").to_string();
    let policy = json!({"policy_text": r["policy_text"], "files": r["files"]});
    let evidence = json!({"manifest": r["manifest"], "signatures": r["signatures"]});
    (image, policy, evidence)
}

const KINDS: &[(&str, &[&str])] = &[
    ("Pod", &["spec"]),
    ("Deployment", &["spec", "template", "spec"]),
    ("StatefulSet", &["spec", "template", "spec"]),
    ("DaemonSet", &["spec", "template", "spec"]),
    ("ReplicaSet", &["spec", "template", "spec"]),
    ("Job", &["spec", "template", "spec"]),
    (
        "CronJob",
        &["spec", "jobTemplate", "spec", "template", "spec"],
    ),
];

fn nest(path: &[&str], spec: Value) -> Value {
    let mut value = spec;
    for segment in path.iter().rev() {
        let mut m = Map::new();
        m.insert((*segment).to_string(), value);
        value = Value::Object(m);
    }
    value
}

/// `n` admission lines from `seed` (some with evidence, some for `--plan`).
pub fn cases(seed: u64, n: usize) -> Vec<Value> {
    let (image, policy, evidence) = signed_image();
    let mut forged = evidence.clone();
    if let Some(p) = forged["signatures"][0]["payload"]
        .as_str()
        .map(str::to_string)
    {
        let mut bytes = Base64::decode_vec(&p).expect("payload");
        let at = bytes.len() / 2;
        bytes[at] ^= 1;
        forged["signatures"][0]["payload"] = json!(Base64::encode_string(&bytes));
    }
    let images = [
        image.as_str(),
        "quay.io/ns/unsigned:2",
        "busybox",
        "quay.io/ns/forged:1",
    ];
    let mut rng = Rng::new(seed);
    let mut out = Vec::new();
    for i in 0..n {
        let (kind, path) = *rng.pick(KINDS);
        let mut spec = Map::new();
        for (list, count) in [
            ("containers", 1 + rng.below(3)),
            ("initContainers", rng.below(2)),
            (
                "ephemeralContainers",
                usize::from(kind == "Pod" && rng.chance(15)),
            ),
        ] {
            let items: Vec<Value> = (0..count)
                .map(|k| {
                    let image = if rng.chance(65) {
                        images[0]
                    } else {
                        rng.pick_str(&images)
                    };
                    let mut c = json!({"name": format!("{list}-{k}"), "image": image});
                    if rng.chance(50) {
                        c["imagePullPolicy"] =
                            json!(rng.pick_str(&["Always", "IfNotPresent", "Never"]));
                    }
                    c
                })
                .collect();
            if !items.is_empty() {
                spec.insert(list.into(), Value::Array(items));
            }
        }
        if rng.chance(40) {
            spec.insert("hostUsers".into(), json!(!rng.chance(70)));
        }
        let object = {
            let mut o = nest(path, Value::Object(spec));
            o["apiVersion"] = json!(if kind == "Pod" { "v1" } else { "apps/v1" });
            o["kind"] = json!(kind);
            o["metadata"] = json!({"name": format!("w{i}"), "namespace": "team"});
            o
        };
        let operation = rng.pick_str(&["CREATE", "CREATE", "CREATE", "UPDATE", "DELETE"]);
        let review = json!({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
            "request": {"uid": format!("uid-{i}"), "kind": {"group": "", "version": "v1", "kind": kind},
                        "operation": operation, "namespace": "team", "object": object}});
        let mut config = json!({"policy": policy, "mode": rng.pick_str(&["enforce", "enforce", "warn", "audit"])});
        if rng.chance(40) {
            config["require_always_pull"] = if rng.chance(50) {
                json!(true)
            } else {
                json!(["quay.io/ns"])
            };
        }
        if rng.chance(30) {
            config["require_user_namespaces"] = json!(true);
        }
        if rng.chance(40) {
            config["pin_digests"] = json!(true);
            if rng.chance(30) {
                config["pin_exclude"] = json!(["quay.io/ns/*"]);
            }
        }
        let mut given = Map::new();
        if rng.chance(85) {
            given.insert(image.clone(), evidence.clone());
        }
        if rng.chance(50) {
            given.insert("quay.io/ns/forged:1".into(), forged.clone());
        }
        let mut line = json!({"review": review, "config": config, "evidence": given});
        if rng.chance(8) {
            // Broken on purpose.
            match rng.below(4) {
                0 => line["review"]["request"]["uid"] = Value::Null,
                1 => line["config"]["mode"] = json!("loud"),
                2 => line["review"]["request"]["kind"]["kind"] = json!("Secret"),
                _ => line["evidence"] = json!([]),
            }
        }
        out.push(line);
    }
    out
}
