//! Cases for the differential test of `sigstoreSigned` with public keys and Rekor keys against
//! containers/image: real cosign signatures, and Rekor SETs signed by test log keys (made by
//! the oracle) over entries vouch builds — valid ones, and ones spoiled in the SET annotation,
//! in the signed payload, in the `hashedrekord` body, in the signature, and in the policy.
//!
//! Three phases: [`plan`] draws cases and the payloads to sign; [`RekorPlan::entries`] builds
//! each case's Rekor entry around its signature and lists what the log keys must sign;
//! [`RekorPlan::finish`] writes the requests.

use serde_json::{Map, Value, json};
use sha2::{Digest as _, Sha256};

use crate::evaluations::b64;
use crate::generate::Rng;
use crate::sigstore_cases::{Case, Key, ToSign, draw_image, hex, payload_of};

/// How the `hashedrekord` body is written or spoiled.
const BODY_MUTATIONS: usize = 30;
/// How the SET's signed payload is written or spoiled.
const PAYLOAD_MUTATIONS: usize = 13;
/// How the SET annotation is written or spoiled.
const ANNOTATION_MUTATIONS: usize = 11;

/// One planned case.
#[derive(Debug, Clone)]
pub struct Planned {
    /// For reports.
    pub label: String,
    policy: Value,
    files: Map<String, Value>,
    reference: String,
    manifest: Vec<u8>,
    /// The index of the cosign signature in the first signing list.
    signature: usize,
    /// The key whose PEM the entry holds (usually the signer).
    entry_key: usize,
    /// The log key that signs the SET.
    log_key: usize,
    body: usize,
    payload: usize,
    annotation: usize,
    /// 0 untouched; 1 payload byte; 2 signature byte; 3 no bundle; 4 no signature annotation.
    tamper: usize,
    integrated_time: i64,
}

/// Planned cases and the cosign signatures they need.
#[derive(Debug)]
pub struct RekorPlan {
    /// The cases.
    pub cases: Vec<Planned>,
    /// The cosign signatures, in order.
    pub to_sign: Vec<ToSign>,
}

/// A case's Rekor entry, ready for its SET.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The SET annotation's `Payload` as written in the annotation.
    payload_text: String,
    /// The bytes the log key signs (the canonical form, or another on purpose).
    pub signed: Vec<u8>,
}

/// Draws `n` cases over the cosign keys `keys` and the log keys `logs` (the last log key is
/// never trusted by a policy: it stands for another log).
pub fn plan(rng: &mut Rng, keys: &[Key], logs: &[Key], n: usize) -> RekorPlan {
    let mut cases = Vec::with_capacity(n);
    let mut to_sign = Vec::new();
    for _ in 0..n {
        let (manifest, digest, reference, image) = draw_image(rng);
        let signer = rng.below(keys.len());
        let other = (signer + 1 + rng.below(keys.len() - 1)) % keys.len();
        let payload = if rng.chance(90) {
            payload_of(
                rng,
                &image,
                &digest,
                "cosign container image signature",
                "atomic container signature",
            )
        } else {
            payload_of(
                rng,
                &image,
                &format!("sha256:{}", hex(&[7; 32])),
                "cosign container image signature",
                "x",
            )
        };
        to_sign.push(ToSign {
            key: signer,
            payload,
        });
        let trusted_logs = logs.len() - 1;
        let log_key = if rng.chance(92) {
            rng.below(trusted_logs)
        } else {
            trusted_logs
        };
        let mut files = Map::new();
        let mut requirement = Map::new();
        requirement.insert("type".into(), json!("sigstoreSigned"));
        // Keys: the signer, alone or with another, in either order; rarely only another.
        let key_list: Vec<usize> = match rng.below(10) {
            0..=4 => vec![signer],
            5 | 6 => vec![other, signer],
            7 | 8 => vec![signer, other],
            _ => vec![other],
        };
        put_keys(
            rng,
            &mut requirement,
            &mut files,
            "key",
            "/keys/cosign",
            &key_list
                .iter()
                .map(|&k| keys[k].public_pem.clone())
                .collect::<Vec<_>>(),
        );
        // Rekor keys: the trusted logs, in some order and form; rarely the wrong ones, or one
        // that is not ECDSA.
        let mut log_list: Vec<String> = match rng.below(12) {
            0..=5 => vec![logs[log_key.min(trusted_logs - 1)].public_pem.clone()],
            6..=8 => (0..trusted_logs)
                .rev()
                .map(|l| logs[l].public_pem.clone())
                .collect(),
            9 | 10 => (0..trusted_logs)
                .map(|l| logs[l].public_pem.clone())
                .collect(),
            _ => vec![logs[trusted_logs].public_pem.clone()],
        };
        if rng.chance(3) {
            log_list.push(keys[keys.len() - 1].public_pem.clone());
        }
        put_keys(
            rng,
            &mut requirement,
            &mut files,
            "rekorPublicKey",
            "/keys/rekor",
            &log_list,
        );
        let policy = if rng.chance(50) {
            json!({"default": [Value::Object(requirement)]})
        } else {
            json!({"default": [{"type": "reject"}], "transports": {"docker": {"": [Value::Object(requirement)]}}})
        };
        let body = if rng.chance(45) {
            0
        } else {
            rng.below(BODY_MUTATIONS)
        };
        let payload = if rng.chance(70) {
            0
        } else {
            rng.below(PAYLOAD_MUTATIONS)
        };
        let annotation = if rng.chance(70) {
            0
        } else {
            rng.below(ANNOTATION_MUTATIONS)
        };
        let tamper = if rng.chance(85) { 0 } else { 1 + rng.below(4) };
        let entry_key = if rng.chance(4) { other } else { signer };
        cases.push(Planned {
            label: format!(
                "{} keys={} logs={} body={body} payload={payload} annotation={annotation} tamper={tamper}{}",
                keys[signer].name,
                key_list.len(),
                log_list.len(),
                if entry_key == signer { "" } else { " entry-key=other" }
            ),
            policy,
            files,
            reference,
            manifest,
            signature: to_sign.len() - 1,
            entry_key,
            log_key,
            body,
            payload,
            annotation,
            tamper,
            integrated_time: 1_600_000_000 + i64::try_from(rng.below(200_000_000)).unwrap_or(0),
        });
    }
    RekorPlan { cases, to_sign }
}

/// `keyPath`, `keyPaths`, `keyData` or `keyDatas` (with `prefix` for Rekor's fields).
fn put_keys(
    rng: &mut Rng,
    requirement: &mut Map<String, Value>,
    files: &mut Map<String, Value>,
    prefix: &str,
    dir: &str,
    pems: &[String],
) {
    let path = |i: usize| format!("{dir}-{i}.pub");
    match (pems.len(), rng.below(4)) {
        (1, 0) => {
            requirement.insert(format!("{prefix}Path"), json!(path(0)));
            files.insert(path(0), json!(b64(pems[0].as_bytes())));
        }
        (1, 1) => {
            requirement.insert(format!("{prefix}Data"), json!(b64(pems[0].as_bytes())));
        }
        (_, 0 | 1) => {
            let paths: Vec<String> = (0..pems.len()).map(path).collect();
            for (p, pem) in paths.iter().zip(pems) {
                files.insert(p.clone(), json!(b64(pem.as_bytes())));
            }
            requirement.insert(format!("{prefix}Paths"), json!(paths));
        }
        _ => {
            let datas: Vec<String> = pems.iter().map(|p| b64(p.as_bytes())).collect();
            requirement.insert(format!("{prefix}Datas"), json!(datas));
        }
    }
}

impl RekorPlan {
    /// Each case's Rekor entry, around the cosign signatures `signed`.
    pub fn entries(&self, keys: &[Key], signed: &[Vec<u8>]) -> Vec<Entry> {
        self.cases
            .iter()
            .enumerate()
            .map(|(n, case)| {
                let payload = &self.to_sign[case.signature].payload;
                let signature = &signed[case.signature];
                let pem = keys[case.entry_key].public_pem.as_bytes();
                let other_pem = keys[(case.entry_key + 1) % keys.len()]
                    .public_pem
                    .as_bytes();
                let body = body(case.body, n, payload, signature, pem, other_pem);
                signed_payload(case.payload, &body, case.integrated_time, n)
            })
            .collect()
    }

    /// The requests, with the cosign signatures `signed` and the SETs `sets` made over
    /// `entries`.
    pub fn finish(&self, signed: &[Vec<u8>], entries: &[Entry], sets: &[Vec<u8>]) -> Vec<Case> {
        self.cases
            .iter()
            .enumerate()
            .map(|(n, case)| {
                let mut payload = self.to_sign[case.signature].payload.clone();
                let mut signature = signed[case.signature].clone();
                match case.tamper {
                    1 => {
                        let at = (n * 7919) % payload.len();
                        payload[at] ^= 0x01;
                    }
                    2 => {
                        let at = (n * 104_729) % signature.len();
                        signature[at] ^= 0x40;
                    }
                    _ => {}
                }
                let set = annotation(case.annotation, &sets[n], &entries[n].payload_text);
                let mut annotations = Map::new();
                if case.tamper != 4 {
                    annotations.insert("dev.cosignproject.cosign/signature".into(), json!(b64(&signature)));
                }
                if case.tamper != 3 {
                    annotations.insert("dev.sigstore.cosign/bundle".into(), json!(set));
                }
                let attachment = json!({"kind": "sigstore", "mime": "application/vnd.dev.cosign.simplesigning.v1+json",
                                        "payload": b64(&payload), "annotations": annotations});
                let policy_text = serde_json::to_string(&case.policy).expect("policy");
                let manifest = b64(&case.manifest);
                let vouch = json!({"policy_text": policy_text, "files": case.files, "transport": "docker",
                                   "reference": case.reference, "manifest": manifest, "signatures": [attachment]});
                let oracle = json!({"op": "evaluate", "policy_raw": policy_text, "files": case.files,
                                    "transport": "docker", "reference": case.reference,
                                    "manifest": manifest, "signatures": [attachment]});
                Case { label: case.label.clone(), vouch, oracle }
            })
            .collect()
    }
}

/// The log key that signs each case's SET.
#[must_use]
pub fn set_signers(plan: &RekorPlan, entries: &[Entry]) -> Vec<ToSign> {
    plan.cases
        .iter()
        .zip(entries)
        .map(|(case, entry)| ToSign {
            key: case.log_key,
            payload: entry.signed.clone(),
        })
        .collect()
}

/// A PEM with its base64 in lines of `width`, under `label`.
fn rewrap(pem: &[u8], label: &str, width: usize) -> Vec<u8> {
    let text = String::from_utf8_lossy(pem);
    let body: String = text.lines().filter(|l| !l.starts_with("-----")).collect();
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in body.as_bytes().chunks(width) {
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out.into_bytes()
}

/// The `hashedrekord` entry body for `signature` over `payload` by the key `pem`, written or
/// spoiled as `mutation` says.
fn body(
    mutation: usize,
    n: usize,
    payload: &[u8],
    signature: &[u8],
    pem: &[u8],
    other_pem: &[u8],
) -> Vec<u8> {
    let hash = hex(&Sha256::digest(payload));
    let sig = b64(signature);
    let key = b64(pem);
    let spec = |algorithm: &str, value: &str, sig: &str, key: &str| {
        format!(
            r#"{{"data":{{"hash":{{"algorithm":"{algorithm}","value":"{value}"}}}},"signature":{{"content":"{sig}","publicKey":{{"content":"{key}"}}}}}}"#
        )
    };
    let good = spec("sha256", &hash, &sig, &key);
    let whole = |api: &str, kind: &str, spec: &str| {
        format!(r#"{{"apiVersion":{api},"kind":{kind},"spec":{spec}}}"#)
    };
    let text = match mutation {
        0 => whole(r#""0.0.1""#, r#""hashedrekord""#, &good),
        1 => whole(r#""0.0.1""#, r#""rekord""#, &good),
        2 => format!(r#"{{"apiVersion":"0.0.1","spec":{good}}}"#),
        3 => whole(r#""0.0.2""#, r#""hashedrekord""#, &good),
        4 => format!(r#"{{"kind":"hashedrekord","spec":{good}}}"#),
        5 => whole("null", r#""hashedrekord""#, &good),
        6 => format!(
            r#"{{"APIVERSION":"0.0.1","Kind":"hashedrekord","Spec":{{"Data":{{"HASH":{{"Algorithm":"sha256","VALUE":"{hash}"}}}},"Signature":{{"Content":"{sig}","PublicKey":{{"content":"{key}"}}}}}}}}"#
        ),
        7 => format!(
            "{} trailing garbage {{",
            whole(r#""0.0.1""#, r#""hashedrekord""#, &good)
        ),
        8 => {
            let bad = spec("sha256", &hash, "QUFB", &key);
            if n.is_multiple_of(2) {
                format!(
                    r#"{{"apiVersion":"0.0.1","kind":"hashedrekord","spec":{bad},"spec":{good}}}"#
                )
            } else {
                format!(
                    r#"{{"apiVersion":"0.0.1","kind":"hashedrekord","spec":{good},"spec":{bad}}}"#
                )
            }
        }
        9 => whole(
            r#""0.0.1""#,
            r#""hashedrekord""#,
            &spec("sha512", &hash, &sig, &key),
        ),
        10 => whole(
            r#""0.0.1""#,
            r#""hashedrekord""#,
            &spec("sha256", &hash.to_uppercase(), &sig, &key),
        ),
        11 => whole(
            r#""0.0.1""#,
            r#""hashedrekord""#,
            &spec("sha256", &hash[1..], &sig, &key),
        ),
        12 => whole(
            r#""0.0.1""#,
            r#""hashedrekord""#,
            &spec("sha256", &hex(&Sha256::digest(b"other")), &sig, &key),
        ),
        13 => whole(
            r#""0.0.1""#,
            r#""hashedrekord""#,
            &spec("sha256", &hash, &b64(&[signature, &[0][..]].concat()), &key),
        ),
        14 => whole(
            r#""0.0.1""#,
            r#""hashedrekord""#,
            &format!(r#"{{"data":{{"hash":{{"algorithm":"sha256","value":"{hash}"}}}}}}"#),
        ),
        15 => whole(
            r#""0.0.1""#,
            r#""hashedrekord""#,
            &format!(
                r#"{{"data":{{"hash":{{"algorithm":"sha256","value":"{hash}"}}}},"signature":{{"content":"{sig}"}}}}"#
            ),
        ),
        16 => whole(
            r#""0.0.1""#,
            r#""hashedrekord""#,
            &spec("sha256", &hash, &sig, &b64(other_pem)),
        ),
        17 => whole(
            r#""0.0.1""#,
            r#""hashedrekord""#,
            &spec("sha256", &hash, &sig, &b64(&[pem, b"\n"].concat())),
        ),
        18 => whole(
            r#""0.0.1""#,
            r#""hashedrekord""#,
            &spec("sha256", &hash, &sig, &b64(&rewrap(pem, "CERTIFICATE", 64))),
        ),
        19 => whole(
            r#""0.0.1""#,
            r#""hashedrekord""#,
            &spec("sha256", &hash, &sig, &b64(&rewrap(pem, "PUBLIC KEY", 76))),
        ),
        20 => whole(
            r#""0.0.1""#,
            r#""hashedrekord""#,
            &format!(
                r#"{{"data":null,"signature":{{"content":"{sig}","publicKey":{{"content":"{key}"}}}}}}"#
            ),
        ),
        21 => whole(
            r#""0.0.1""#,
            r#""hashedrekord""#,
            &format!(
                r#"{{"data":{{"hash":{{"algorithm":"sha256","value":"{hash}"}}}},"Signature":{{"content":"{sig}"}},"signature":{{"publicKey":{{"content":"{key}"}}}}}}"#
            ),
        ),
        22 => whole(
            r#""0.0.1""#,
            r#""hashedrekord""#,
            &spec("sha256", &hash, "not*base64", &key),
        ),
        23 => format!(
            r#"{{"apiVersion":"0.0.1","kind":"hashedrekord","extra":[1,{{"a":null}}],"spec":{{"data":{{"hash":{{"algorithm":"sha256","value":"{hash}","extra":1.5e3}}}},"signature":{{"content":"{sig}","publicKey":{{"content":"{key}","x":true}}}}}}}}"#
        ),
        24 => format!("[{}]", whole(r#""0.0.1""#, r#""hashedrekord""#, &good)),
        25 => whole(r#""0.0.1""#, r#""hashedrekord""#, r#""a string""#),
        26 => whole(r#""0.0.1""#, "7", &good),
        27 => whole(
            r#""0.0.1""#,
            r#""hashedrekord""#,
            &spec(r"sha\u0032\u0035\u0036", &hash, &sig, &key),
        ),
        28 => format!(" \n\t{}\n", whole(r#""0.0.1""#, r#""hashedrekord""#, &good)),
        _ => whole(
            r#""0.0.1""#,
            r#""hashedrekord""#,
            &spec("sha256", &hash, &sig, &b64(b"not a PEM")),
        ),
    };
    text.into_bytes()
}

/// The SET's payload, as the annotation writes it and as the log signs it (canonical), spoiled
/// as `mutation` says. Members are (key, value as written, value canonical).
fn signed_payload(mutation: usize, body: &[u8], time: i64, n: usize) -> Entry {
    let log_id = hex(&Sha256::digest(b"vouch test log"));
    let body = b64(body);
    let mut members: Vec<(String, String, String)> = vec![
        ("body".into(), format!("\"{body}\""), format!("\"{body}\"")),
        ("integratedTime".into(), time.to_string(), time.to_string()),
        (
            "logID".into(),
            format!("\"{log_id}\""),
            format!("\"{log_id}\""),
        ),
        ("logIndex".into(), (n * 3).to_string(), (n * 3).to_string()),
    ];
    let mut resign = false;
    match mutation {
        0 => {}
        1 => members.push(("extra".into(), "1".into(), "1".into())),
        2 => members.retain(|m| m.0 != "logID"),
        3 => members[2] = ("logID".into(), "null".into(), "null".into()),
        4 => {
            members[1] = (
                "integratedTime".into(),
                format!("\"{time}\""),
                format!("\"{time}\""),
            )
        }
        5 => members[1] = ("integratedTime".into(), "1.5".into(), "1.5".into()),
        6 => members[1] = ("integratedTime".into(), "1e3".into(), "1000".into()),
        7 => {
            members[0] = (
                "body".into(),
                "\"not*base64\"".into(),
                "\"not*base64\"".into(),
            )
        }
        8 => members[3] = ("logIndex".into(), "-5".into(), "-5".into()),
        9 => members[0] = ("body".into(), "null".into(), "null".into()),
        10 => members[0].0 = "Body".into(),
        11 => members[1] = ("integratedTime".into(), "1e21".into(), "1e+21".into()),
        _ => resign = true,
    }
    let mut sorted = members.clone();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let canonical: Vec<String> = sorted
        .iter()
        .map(|(k, _, c)| format!("\"{k}\":{c}"))
        .collect();
    let mut signed = format!("{{{}}}", canonical.join(",")).into_bytes();
    if resign {
        // The log signed another entry than the one the annotation carries.
        signed.insert(1, b' ');
    }
    // As written: in the order drawn, with white space.
    members.reverse();
    let written: Vec<String> = members
        .iter()
        .map(|(k, w, _)| format!("\"{k}\" : {w}"))
        .collect();
    Entry {
        payload_text: format!("{{ {} }}", written.join(", ")),
        signed,
    }
}

/// The bundle annotation around the SET signature `set` and the written payload.
fn annotation(mutation: usize, set: &[u8], payload: &str) -> String {
    let sig = b64(set);
    match mutation {
        1 => format!(r#"{{"SignedEntryTimestamp":"{sig}","Payload":{payload},"Extra":1}}"#),
        2 => format!(r#"{{"SignedEntryTimestamp":"{sig}"}}"#),
        3 => format!(r#"{{"SignedEntryTimestamp":"not*base64","Payload":{payload}}}"#),
        4 => format!(r#"{{"SignedEntryTimestamp":"{sig}","payload":{payload}}}"#),
        5 => format!("{{\n  \"Payload\": {payload},\n  \"SignedEntryTimestamp\": \"{sig}\"\n}}"),
        6 => {
            let mut flipped = set.to_vec();
            let at = flipped.len() / 2;
            flipped[at] ^= 0x10;
            format!(
                r#"{{"SignedEntryTimestamp":"{}","Payload":{payload}}}"#,
                b64(&flipped)
            )
        }
        7 => {
            let (a, b) = sig.split_at(sig.len() / 2);
            format!("{{\"SignedEntryTimestamp\":\"{a}\\n{b}\",\"Payload\":{payload}}}")
        }
        8 => {
            format!(r#"{{"SignedEntryTimestamp":"{sig}","Payload":{payload},"Payload":{payload}}}"#)
        }
        9 => format!(r#"{{"SignedEntryTimestamp":"{sig}","Payload":{payload}"#),
        10 => format!(r#"{{"SignedEntryTimestamp":null,"Payload":{payload}}}"#),
        _ => format!(r#"{{"SignedEntryTimestamp":"{sig}","Payload":{payload}}}"#),
    }
}
