//! Writes the surface-parity corpus: requests across every requirement type, with the
//! decisions the Rust core gives, for `scripts/test.sh` to send through the CLI, the C
//! library, the plain wasm module and the npm package, which must answer byte-identically
//! (deep-equal for the npm package, which returns objects).
//!
//! `parity-corpus OUT_DIR` writes, one JSON value per line:
//! - `requests.jsonl`: whole requests (`docs/interchange.md`), and `expected.jsonl`: the core's
//!   decision for each (`vouch::json::evaluate_line`);
//! - `policies.jsonl` and `images.jsonl`: for every request that is a JSON object, its policy
//!   half and its image half, and `split-expected.jsonl`: the decision of the whole request,
//!   which a compiled policy (the C evaluator handle, the wasm `Evaluator`) must reproduce.
//!
//! - `bundle-requests.jsonl` and `bundle-expected.jsonl`: sigstore bundle requests (`vouch bundle`);
//! - `node-requests.jsonl` and `node-expected.jsonl`: Kubernetes node requests (`vouch node`);
//! - `admit-requests.jsonl` and `admit-expected.jsonl`: admission lines (`vouch admit`), and
//!   `plan-requests.jsonl` and `plan-expected.jsonl`: the same lines planned (`vouch admit --plan`);
//! - `metrics-requests.jsonl` and `metrics-answers.jsonl`: every request with its answer, and
//!   `metrics-expected.txt`: the Prometheus text the core renders after observing them all, the
//!   i-th taking (i mod 11) x 0.0004 seconds.
//!
//! Signatures are real: cosign signatures made by containers/image (the oracle named by
//! `VOUCH_ORACLE_534`) and openssl, simple-signing messages made by gpg.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use serde_json::{Map, Value, json};
use vouch::json::{CompiledPolicy, POLICY_FIELDS, evaluate_line};
use vouch_conformance::evaluations::{Tree, b64, decision_case};
use vouch_conformance::generate::Rng;
use vouch_conformance::gpg_cases::{self, Gpg};
use vouch_conformance::policies::policy_document;
use vouch_conformance::{oracle, sigstore_cases};

const DECISION_CASES: usize = 220;
const SIGSTORE_CASES: usize = 160;
const GPG_IMAGES: usize = 40;
const POLICY_DOCUMENTS: usize = 60;
const NOW: &str = "2026-11-22T12:00:00Z";

fn main() {
    let out = PathBuf::from(
        std::env::args()
            .nth(1)
            .expect("usage: parity-corpus OUT_DIR"),
    );
    std::fs::create_dir_all(&out).expect("out dir");
    let oracle = oracle::oracle_534().expect("VOUCH_ORACLE_534 must name the oracle");
    let mut rng = Rng::new(0x7061_7269);
    let mut requests: Vec<Value> = Vec::new();

    let scratch = std::env::temp_dir().join(format!("vouch-parity-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).expect("scratch");
    let tree = Tree::create(&scratch);
    for _ in 0..DECISION_CASES {
        requests.push(decision_case(&mut rng, &tree).vouch);
    }

    let keys = sigstore_cases::keys(&oracle, &scratch);
    let plan = sigstore_cases::plan(&mut rng, &keys, SIGSTORE_CASES);
    let signed = sigstore_cases::sign_all(&oracle, &keys, &plan.to_sign, &scratch);
    requests.extend(plan.finish(&signed).into_iter().map(|c| c.vouch));

    let gpg = Gpg::scratch("parity");
    let gpg_keys = gpg_cases::keys(&gpg);
    let gpg_requests = gpg_cases::cases(&mut rng, &gpg, &gpg_keys, GPG_IMAGES, 3, NOW);
    drop(gpg);
    requests.extend(gpg_requests.into_iter().map(|c| c.vouch));

    for _ in 0..POLICY_DOCUMENTS {
        requests.push(json!({
            "policy_text": policy_document(&mut rng),
            "transport": "docker",
            "reference": "quay.io/ns/img:tag",
            "manifest": b64(br#"{"schemaVersion":2}"#),
        }));
    }
    let _ = std::fs::remove_dir_all(&scratch);

    // Bundles as image evidence (vouchSigstoreBundle): every conformance bundle with its
    // case's identity or key, some as regular expressions, some in containers/image's dialect.
    for (i, e) in vouch_conformance::bundle_cases::evidence_evaluations()
        .iter()
        .enumerate()
    {
        let mut requirement = e.requirement.clone();
        if e.keyless && i % 3 == 1 {
            let id = requirement["identities"][0].clone();
            requirement["identities"] = json!([{
                "issuer": id["issuer"],
                "subjectRegExp": format!(
                    "^{}$",
                    vouch_conformance::bundle_cases::quote_meta(id["subject"].as_str().unwrap_or(""))
                ),
            }]);
        }
        let dialect = (i % 10 == 7).then_some("containers-image");
        requests.push(e.with_requirement(&requirement, dialect));
    }

    // Every request carries an id, so the echo is compared too, and `now` where it has none.
    for (i, request) in requests.iter_mut().enumerate() {
        if let Value::Object(members) = request {
            members.insert("id".into(), Value::String(format!("case-{i}")));
        }
    }

    let mut lines: Vec<String> = requests.iter().map(Value::to_string).collect();
    // Requests that are not well formed, by hand: each surface must answer them the same way.
    for raw in [
        "",
        "not json",
        "[]",
        r#"{"id":"x"}"#,
        r#"{"policy":{"default":[{"type":"insecureAcceptAnything"}]},"transport":"docker","reference":"busybox","extra":1}"#,
        r#"{"policy":{"default":[{"type":"insecureAcceptAnything"}]},"transport":"docker","reference":"busybox","manifest":"@@"}"#,
        r#"{"policy":{"default":[{"type":"insecureAcceptAnything"}]},"policy_text":"{}","transport":"docker","reference":"busybox"}"#,
        r#"{"policy":{"default":[{"type":"insecureAcceptAnything"},]},"transport":"docker","reference":"busybox"}"#,
        r#"{"policy":{"default":[{"type":"insecureAcceptAnything"}]},"transport":"docker","reference":"busybox","now":"yesterday"}"#,
        "{\"policy\":{\"default\":[{\"type\":\"insecureAcceptAnything\"}]},\"transport\":\"docker\",\"reference\":\"b\u{fc}sybox\"}",
    ] {
        lines.push(raw.to_string());
    }

    let mut expected = String::new();
    let mut all = String::new();
    let (mut policies, mut images, mut split_expected) =
        (String::new(), String::new(), String::new());
    let mut types: BTreeMap<String, usize> = BTreeMap::new();
    let mut allowed = 0;
    for (i, line) in lines.iter().enumerate() {
        let decision = evaluate_line(line.as_bytes());
        let parsed: Value = serde_json::from_str(&decision).expect("decision JSON");
        if parsed["allowed"] == true {
            allowed += 1;
        }
        for requirement in parsed["requirements"].as_array().into_iter().flatten() {
            *types
                .entry(requirement["type"].as_str().unwrap_or("").to_string())
                .or_default() += 1;
        }
        writeln!(all, "{line}").unwrap();
        writeln!(expected, "{decision}").unwrap();
        if let Some(Value::Object(members)) = requests.get(i) {
            let (mut policy, mut image) = (Map::new(), Map::new());
            for (key, value) in members {
                if POLICY_FIELDS.contains(&key.as_str()) {
                    policy.insert(key.clone(), value.clone());
                } else {
                    image.insert(key.clone(), value.clone());
                }
            }
            let (policy, image) = (
                Value::Object(policy).to_string(),
                Value::Object(image).to_string(),
            );
            let compiled = CompiledPolicy::compile(policy.as_bytes());
            assert_eq!(
                compiled.evaluate_line(image.as_bytes()),
                decision,
                "compiled policy vs one-shot: {line}"
            );
            writeln!(policies, "{policy}").unwrap();
            writeln!(images, "{image}").unwrap();
            writeln!(split_expected, "{decision}").unwrap();
        }
    }
    for required in [
        "insecureAcceptAnything",
        "reject",
        "signedBaseLayer",
        "signedBy",
        "sigstoreSigned",
        "vouchSigstoreBundle",
    ] {
        assert!(
            types.get(required).copied().unwrap_or(0) >= 10,
            "the corpus must exercise {required}: {types:?}"
        );
    }
    assert!(lines.len() >= 500, "{} requests", lines.len());
    for (name, text) in [
        ("requests.jsonl", &all),
        ("expected.jsonl", &expected),
        ("policies.jsonl", &policies),
        ("images.jsonl", &images),
        ("split-expected.jsonl", &split_expected),
    ] {
        std::fs::write(out.join(name), text).expect("write corpus");
    }
    println!(
        "parity corpus: {} requests ({allowed} allowed), {} split; requirement outcomes by type: {types:?}",
        lines.len(),
        policies.lines().count()
    );

    // Bundle verifications: sigstore-conformance's offline suite, each case by artifact and by
    // digest, with ids, and requests that are not well formed.
    let mut bundle_lines: Vec<String> = vouch_conformance::bundle_cases::conformance_cases()
        .into_iter()
        .enumerate()
        .map(|(i, case)| {
            let mut request = case.request;
            if let Value::Object(members) = &mut request {
                members.insert("id".into(), Value::String(format!("bundle-{i}")));
            }
            request.to_string()
        })
        .collect();
    for raw in [
        "",
        "not json",
        r#"{"id":"y","bundle":{}}"#,
        r#"{"bundle_text":"{}","bundle_base64":"e30=","trusted_root":{},"artifact":"","key":""}"#,
    ] {
        bundle_lines.push(raw.to_string());
    }
    let (mut bundle_requests, mut bundle_expected) = (String::new(), String::new());
    let mut verified = 0;
    for line in &bundle_lines {
        let answer = vouch::json::bundle_line(line.as_bytes());
        if answer.contains(r#""verified":true"#) {
            verified += 1;
        }
        writeln!(bundle_requests, "{line}").unwrap();
        writeln!(bundle_expected, "{answer}").unwrap();
    }
    assert!(
        verified >= 40,
        "the bundle corpus must verify bundles: {verified}"
    );
    std::fs::write(out.join("bundle-requests.jsonl"), bundle_requests).expect("write corpus");
    std::fs::write(out.join("bundle-expected.jsonl"), bundle_expected).expect("write corpus");
    println!(
        "bundle parity corpus: {} requests ({verified} verified)",
        bundle_lines.len()
    );

    // Kubernetes node decisions: generated KEP-2535 cases of every op for every release, and
    // requests that are not well formed.
    let mut node_lines: Vec<String> = ["1.33", "1.34", "1.35", "1.36"]
        .iter()
        .enumerate()
        .flat_map(|(i, version)| {
            let mut cases = vouch_conformance::node_cases::cases(900 + i as u64, version, 80);
            cases.extend(vouch_conformance::node_cases::userns_cases(
                950 + i as u64,
                version,
                40,
            ));
            cases.extend(vouch_conformance::node_cases::trust_cases(
                970 + i as u64,
                20,
            ));
            cases
        })
        .map(|request| request.to_string())
        .collect();
    for raw in [
        "",
        "not json",
        "[]",
        r#"{"op":"unknown"}"#,
        r#"{"op":"kubelet_pull"}"#,
        r#"{"op":"kubelet_pull","image":"nginx","typo":1}"#,
        r#"{"id":"h","op":"credential_hash","username":"user","password":"pass"}"#,
        r#"{"op":"credential_hash","auth":"bm9jb2xvbg=="}"#,
        r#"{"op":"verification_policy","kubernetes_version":"1.36","policy":"NeverVerifyAllowlistedImages","allowlist":["nginx"],"image":"nginx:1"}"#,
        r#"{"op":"kubelet_pull","kubernetes_version":"1.32","image":"nginx"}"#,
        r#"{"op":"kubelet_pull","image":"nginx","image_ref":"sha256:a","pull_policy":"Never","policy":"AlwaysVerify"}"#,
    ] {
        node_lines.push(raw.to_string());
    }
    let (mut node_requests, mut node_expected) = (String::new(), String::new());
    for line in &node_lines {
        writeln!(node_requests, "{line}").unwrap();
        writeln!(node_expected, "{}", vouch::json::node_line(line.as_bytes())).unwrap();
    }
    std::fs::write(out.join("node-requests.jsonl"), node_requests).expect("write corpus");
    std::fs::write(out.join("node-expected.jsonl"), node_expected).expect("write corpus");
    println!("node parity corpus: {} requests", node_lines.len());

    // Admission: generated AdmissionReviews with real keyless evidence, their plans, and lines
    // that are not well formed.
    let mut admit_lines: Vec<String> = vouch_conformance::admit_cases::cases(990, 120)
        .into_iter()
        .map(|line| line.to_string())
        .collect();
    for raw in [
        "",
        "not json",
        "{}",
        r#"{"review":{"kind":"AdmissionReview"}}"#,
    ] {
        admit_lines.push(raw.to_string());
    }
    let (mut admit_requests, mut admit_expected, mut plan_expected) =
        (String::new(), String::new(), String::new());
    let mut admitted = 0;
    for line in &admit_lines {
        let answer = vouch::admit::admit_line(line.as_bytes());
        if answer.contains(r#""allowed":true"#) {
            admitted += 1;
        }
        writeln!(admit_requests, "{line}").unwrap();
        writeln!(admit_expected, "{answer}").unwrap();
        writeln!(
            plan_expected,
            "{}",
            vouch::admit::plan_line(line.as_bytes())
        )
        .unwrap();
    }
    assert!(
        admitted >= 20,
        "the admission corpus must admit reviews: {admitted}"
    );
    std::fs::write(out.join("admit-requests.jsonl"), &admit_requests).expect("write corpus");
    std::fs::write(out.join("admit-expected.jsonl"), admit_expected).expect("write corpus");
    std::fs::write(out.join("plan-requests.jsonl"), admit_requests).expect("write corpus");
    std::fs::write(out.join("plan-expected.jsonl"), plan_expected).expect("write corpus");
    println!(
        "admission parity corpus: {} reviews ({admitted} admitted)",
        admit_lines.len()
    );

    // Metrics: every node, admission and evaluation request with its answer, each "taking"
    // (i mod 11) x 0.4 ms, and the text exposition the core renders for them all.
    let pairs: Vec<(String, String)> = node_lines
        .iter()
        .map(|l| (l.clone(), vouch::json::node_line(l.as_bytes())))
        .chain(
            admit_lines
                .iter()
                .map(|l| (l.clone(), vouch::admit::admit_line(l.as_bytes()))),
        )
        .chain(
            std::fs::read_to_string(out.join("requests.jsonl"))
                .expect("requests")
                .lines()
                .zip(
                    std::fs::read_to_string(out.join("expected.jsonl"))
                        .expect("expected")
                        .lines(),
                )
                .map(|(r, a)| (r.to_string(), a.to_string()))
                .collect::<Vec<_>>(),
        )
        .collect();
    let mut metrics = vouch::metrics::Metrics::new(vouch::metrics::MetricsOptions::default());
    let (mut metric_requests, mut metric_answers) = (String::new(), String::new());
    for (i, (request, answer)) in pairs.iter().enumerate() {
        metrics.observe(
            request.as_bytes(),
            answer.as_bytes(),
            Some((i % 11) as f64 * 0.0004),
        );
        writeln!(metric_requests, "{request}").unwrap();
        writeln!(metric_answers, "{answer}").unwrap();
    }
    std::fs::write(out.join("metrics-requests.jsonl"), metric_requests).expect("write corpus");
    std::fs::write(out.join("metrics-answers.jsonl"), metric_answers).expect("write corpus");
    std::fs::write(out.join("metrics-expected.txt"), metrics.render()).expect("write corpus");
    println!("metrics parity corpus: {} observations", pairs.len());
}
