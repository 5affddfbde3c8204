//! Differential test: vouch's reference parsers against containers/image 5.34's
//! `docker/reference`, through the Go oracle, on generated strings.
//!
//! Every field the oracle reports is compared: for `ParseNormalizedNamed` (what `vouch ref`
//! answers) ok, error_kind, the error message, name, domain, path, tag, digest, string and
//! familiar; and for `ParseNamed`, `ParseAnyReference`, raw `Parse` and `ParseDockerRef` the
//! outcome and the canonical string; and for the docker transport, whether it accepts the
//! reference and the policy identity and namespaces a scope lookup tries.

use serde_json::{Value, json};
use vouch::json::reference_answer;
use vouch::{AnyReference, Dialect, DockerImage, Reference, ReferenceError};
use vouch_conformance::{generate, oracle};

const CI: Dialect = Dialect::ContainersImage;

/// The `error_kind` of the interchange contract for a containers/image error message.
fn kind_of_go_message(message: &str) -> &'static str {
    match message {
        "invalid reference format" => "invalid_format",
        "invalid reference format: repository name must be lowercase"
        | "repository name must be lowercase" => "name_contains_uppercase",
        "repository name must not be more than 255 characters" => "name_too_long",
        "repository name must have at least one component" => "name_empty",
        "repository name must be canonical" => "name_not_canonical",
        "invalid tag format" => "tag_invalid",
        "invalid checksum digest length" => "digest_invalid_length",
        "invalid checksum digest format" => "digest_invalid_format",
        "unsupported digest algorithm" => "digest_unsupported_algorithm",
        m if m.starts_with("invalid repository name (")
            && m.ends_with("), cannot specify 64-byte hexadecimal strings") =>
        {
            "name_is_image_id"
        }
        _ => "unknown",
    }
}

fn field<'a>(v: &'a Value, key: &str) -> &'a Value {
    v.get(key).unwrap_or(&Value::Null)
}

/// The oracle's view of one parser, reduced to what vouch reports for it.
fn oracle_outcome(v: &Value, fields: &[&str]) -> Value {
    if v["ok"] == json!(true) {
        let mut out = json!({"ok": true});
        for f in fields {
            out[*f] = field(v, f).clone();
        }
        out
    } else {
        json!({"ok": false, "error": v["error"]})
    }
}

fn reference_outcome(result: &Result<Reference, ReferenceError>, fields: &[&str]) -> Value {
    match result {
        Ok(r) => {
            let mut out = json!({"ok": true});
            for f in fields {
                out[*f] = match *f {
                    "name" => json!(r.name()),
                    "domain" => json!(r.domain()),
                    "path" => json!(r.path()),
                    "tag" => json!(r.tag()),
                    "digest" => json!(r.digest().map(|d| d.to_string())),
                    "string" => json!(r.as_str()),
                    "familiar" => json!(r.familiar_string()),
                    "familiar_name" => json!(r.familiar_name()),
                    "is_name_only" => json!(r.is_name_only()),
                    "tag_name_only" => json!(r.clone().with_default_tag().as_str()),
                    "trim_named" => json!(r.trim().as_str()),
                    other => panic!("no such field {other}"),
                };
            }
            out
        }
        Err(e) => json!({"ok": false, "error": e.to_string()}),
    }
}

fn collect_strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|x| collect_strings(x, out)),
        Value::Object(map) => map.values().for_each(|x| collect_strings(x, out)),
        _ => {}
    }
}

#[test]
#[ignore = "differential against the containers/image oracle: the full tier runs it (scripts/test.sh)"]
fn references_agree_with_containers_image() {
    let oracle = oracle::oracle_534().expect("the oracle");
    let mut inputs = generate::reference_strings(0x5eed_0001, 4000);
    assert!(inputs.len() >= 2000);
    // Every string in both upstream tables (inputs, expectations, names) goes in as well.
    let mut upstream = 0;
    for folder in [
        "containers-image-docker-reference",
        "distribution-reference",
    ] {
        for file in [
            "reference_test.json",
            "normalize_test.json",
            "regexp_test.json",
        ] {
            let table = vouch_conformance::vector_json(&format!("reference/{folder}/{file}"));
            let mut strings = Vec::new();
            collect_strings(&table["tests"], &mut strings);
            for s in strings {
                if !inputs.contains(&s) {
                    inputs.push(s);
                    upstream += 1;
                }
            }
        }
    }
    assert!(
        upstream > 300,
        "only {upstream} upstream strings were added"
    );
    let requests: Vec<Value> = inputs
        .iter()
        .map(|s| json!({"op": "reference", "reference": s}))
        .collect();
    let answers = oracle::ask(&oracle, &requests);

    let all = [
        "name",
        "domain",
        "path",
        "tag",
        "digest",
        "string",
        "familiar",
        "familiar_name",
        "is_name_only",
        "tag_name_only",
        "trim_named",
    ];
    let mut failures = Vec::new();
    let mut accepted = 0;
    let mut kinds = std::collections::BTreeMap::<String, usize>::new();
    for (input, answer) in inputs.iter().zip(&answers) {
        let mut check = |what: &str, ours: Value, theirs: Value| {
            if ours != theirs {
                failures.push(format!(
                    "{input:?} {what}:\n  vouch {ours}\n  c/image {theirs}"
                ));
            }
        };

        // ParseNormalizedNamed, as `vouch ref` answers it.
        let normalized = &answer["normalized"];
        let ours = reference_answer(input.as_bytes(), CI);
        let theirs_ok = normalized["ok"] == json!(true);
        *kinds.entry(ours.error_kind.clone()).or_default() += 1;
        accepted += usize::from(ours.ok);
        let ours_view = json!({
            "ok": ours.ok, "error_kind": ours.error_kind, "error": ours.error,
            "name": ours.name, "domain": ours.domain, "path": ours.path, "tag": ours.tag,
            "digest": ours.digest, "string": ours.string, "familiar": ours.familiar,
        });
        let theirs_view = if theirs_ok {
            json!({
                "ok": true, "error_kind": "", "error": "",
                "name": normalized["name"], "domain": normalized["domain"],
                "path": normalized["path"], "tag": field(normalized, "tag"),
                "digest": field(normalized, "digest"), "string": normalized["string"],
                "familiar": normalized["familiar"],
            })
        } else {
            let message = normalized["error"].as_str().unwrap_or_default();
            json!({
                "ok": false, "error_kind": kind_of_go_message(message), "error": message,
                "name": null, "domain": null, "path": null, "tag": null, "digest": null,
                "string": null, "familiar": null,
            })
        };
        check("ParseNormalizedNamed", ours_view, theirs_view);
        check(
            "normalized extras",
            reference_outcome(&Reference::parse_normalized_in(input, CI), &all),
            oracle_outcome(normalized, &all),
        );
        check(
            "ParseNamed",
            reference_outcome(&Reference::parse_named(input, CI), &["string"]),
            oracle_outcome(&answer["named"], &["string"]),
        );
        check(
            "Parse",
            reference_outcome(&Reference::parse_unnormalized(input, CI), &all),
            oracle_outcome(&answer["parse"], &all),
        );
        check(
            "ParseDockerRef",
            reference_outcome(
                &Reference::parse_docker_ref(input, CI),
                &["string", "tag", "digest"],
            ),
            oracle_outcome(&answer["docker_ref"], &["string", "tag", "digest"]),
        );
        let any = match AnyReference::parse(input, CI) {
            Ok(AnyReference::Named(r)) => json!({"ok": true, "string": r.as_str()}),
            Ok(AnyReference::Digest(d)) => json!({"ok": true, "string": d.to_string()}),
            Err(e) => json!({"ok": false, "error": e.to_string()}),
        };
        check(
            "ParseAnyReference",
            any,
            oracle_outcome(&answer["any"], &["string"]),
        );

        // The docker transport: its reference rules and the policy scopes looked up.
        let transport = &answer["docker_transport"];
        let ours = match DockerImage::parse(input) {
            Ok(image) => json!({
                "ok": true,
                "policy_identity": image.policy_identity(),
                "namespaces": image.namespaces().map(|n| n.to_string()).collect::<Vec<_>>(),
            }),
            Err(_) => json!({"ok": false}),
        };
        let theirs = if transport["ok"] == json!(true) {
            json!({"ok": true, "policy_identity": transport["policy_identity"],
                   "namespaces": transport["namespaces"]})
        } else {
            json!({"ok": false})
        };
        check("docker transport", ours, theirs);
    }
    eprintln!(
        "reference differential: {} strings ({upstream} from the upstream tables), {accepted} \
         accepted; answers by error_kind: {kinds:?}",
        inputs.len()
    );
    for failure in failures.iter().take(40) {
        eprintln!("{failure}");
    }
    assert!(
        failures.is_empty(),
        "{} disagreements with containers/image",
        failures.len()
    );
}
