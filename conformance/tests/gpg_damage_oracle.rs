//! Differential test of `signedBy` on damaged and re-framed gpg messages, against
//! containers/image 5.34.2 with gpgme: every byte of a message flipped in turn (binary,
//! uncompressed, armoured and cleartext forms, RSA and Ed25519 signers), and the packet
//! sequences gpg reads differently from a plain OpenPGP parser (one-pass signature packets of
//! other versions, other hash algorithms, missing, doubled or misplaced; compressed packets
//! around part of the message; the digest's left 16 bits). vouch must never accept what gpg
//! refuses; where gpg accepts and vouch refuses, only the documented framing damage counts.

use serde_json::{Value, json};
use vouch_conformance::evaluations::b64;
use vouch_conformance::gpg_cases::{Gpg, GpgKey, damaged_framing, framing_refusal, keys};
use vouch_conformance::oracle;
use vouch_conformance::sigstore_cases::sha256_digest;

const MANIFEST: &[u8] = br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","size":1},"layers":[]}"#;
const REFERENCE: &str = "quay.io/ns/app:1.0";

fn payload() -> Vec<u8> {
    let digest = sha256_digest(MANIFEST);
    format!(
        r#"{{"critical":{{"identity":{{"docker-reference":"{REFERENCE}"}},"image":{{"docker-manifest-digest":"{digest}"}},"type":"atomic container signature"}},"optional":{{"creator":"vouch test","timestamp":1600000000}}}}"#
    )
    .into_bytes()
}

/// One case: a label (with `:Flip` when the message was damaged on purpose) and the blob.
struct Case {
    label: String,
    blob: Vec<u8>,
}

/// A packet with a new-format header (tag, body).
fn packet(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![0xc0 | tag];
    let len = body.len();
    if len < 192 {
        out.push(len as u8);
    } else {
        let l = len - 192;
        out.push((l >> 8) as u8 + 192);
        out.push(l as u8);
    }
    out.extend_from_slice(body);
    out
}

/// The packets of an uncompressed `gpg --sign` message: one-pass signature, literal data,
/// signature.
fn split(blob: &[u8]) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    assert_eq!(
        blob[0], 0x90,
        "an old-format one-pass signature packet first"
    );
    let ops = blob[..15].to_vec();
    assert_eq!(blob[15], 0xcb, "a new-format literal data packet next");
    let len = match blob[16] {
        l @ 0..192 => (2, usize::from(l)),
        l => (
            3,
            ((usize::from(l) - 192) << 8) + usize::from(blob[17]) + 192,
        ),
    };
    let at = 15 + len.0 + len.1;
    (ops, blob[15..at].to_vec(), blob[at..].to_vec())
}

/// Re-framed messages: each a sequence gpg reads in its own way.
fn reframed(blob: &[u8], name: &str) -> Vec<Case> {
    let (ops, literal, signature) = split(blob);
    let compressed = |inner: &[u8]| packet(8, &[&[0u8][..], inner].concat());
    let marker = packet(10, b"PGP");
    let mut out: Vec<(String, Vec<u8>)> = vec![
        ("as made".into(), blob.to_vec()),
        ("no one-pass".into(), [&literal[..], &signature].concat()),
        (
            "two one-pass".into(),
            [&ops[..], &ops, &literal, &signature].concat(),
        ),
        (
            "one-pass after the data".into(),
            [&literal[..], &ops, &signature].concat(),
        ),
        (
            "signature first".into(),
            [&signature[..], &literal].concat(),
        ),
        ("C(O L S)".into(), compressed(blob)),
        (
            "O C(L) S".into(),
            [ops.clone(), compressed(&literal), signature.clone()].concat(),
        ),
        (
            "C(O L) S".into(),
            [
                compressed(&[&ops[..], &literal].concat()),
                signature.clone(),
            ]
            .concat(),
        ),
        (
            "O C(L S)".into(),
            [
                ops.clone(),
                compressed(&[&literal[..], &signature].concat()),
            ]
            .concat(),
        ),
        (
            "S C(L)".into(),
            [signature.clone(), compressed(&literal)].concat(),
        ),
        (
            "markers".into(),
            [
                &marker[..],
                &ops,
                &marker,
                &literal,
                &marker,
                &signature,
                &marker,
            ]
            .concat(),
        ),
    ];
    // One-pass fields: version (2), type (3), hash (4), key algorithm (5), key ID (6), last (14).
    for (at, values) in [
        (2, &[0u8, 2, 4, 5, 0x83][..]),
        (3, &[1, 0x10]),
        (4, &[0, 1, 2, 3, 8, 9, 10, 11, 14, 0x8a]),
        (5, &[17, 22]),
        (6, &[0]),
        (14, &[0, 2]),
    ] {
        for &value in values {
            let mut b = blob.to_vec();
            b[at] = value;
            out.push((format!("one-pass byte {at} = {value:#x}"), b));
        }
    }
    // The signature's left 16 bits of the digest.
    let header = match signature[0] {
        b if b & 0x40 == 0 => 1 + [1, 2, 4, 0][usize::from(b & 3)],
        _ if signature[1] < 192 => 2,
        _ => 3,
    };
    let body = blob.len() - signature.len() + header;
    let hashed = usize::from(blob[body + 4]) << 8 | usize::from(blob[body + 5]);
    let unhashed_at = body + 6 + hashed;
    let unhashed = usize::from(blob[unhashed_at]) << 8 | usize::from(blob[unhashed_at + 1]);
    let left = unhashed_at + 2 + unhashed;
    for at in [left, left + 1] {
        let mut b = blob.to_vec();
        b[at] ^= 0x5a;
        out.push((format!("digest prefix byte {}", at - left), b));
    }
    out.into_iter()
        .map(|(label, blob)| Case {
            label: format!("{name} re-framed: {label}"),
            blob,
        })
        .collect()
}

/// Every byte of `blob` flipped in turn.
fn flipped(blob: &[u8], label: &str) -> Vec<Case> {
    (0..blob.len())
        .map(|at| {
            let mut b = blob.to_vec();
            b[at] ^= 0x10;
            Case {
                label: format!("{label}:Flip at {at} of {}", blob.len()),
                blob: b,
            }
        })
        .collect()
}

fn sign(gpg: &Gpg, key: &GpgKey, extra: &[&str], operation: &str) -> Vec<u8> {
    let mut args = vec!["-u", key.fingerprint.as_str()];
    args.extend_from_slice(extra);
    args.push(operation);
    gpg.run(&args, &payload())
}

#[test]
#[ignore = "differential against the containers/image oracle: the full tier runs it (scripts/test.sh)"]
fn damaged_and_reframed_messages_agree_with_containers_image_gpgme() {
    let oracle = oracle::oracle_534().expect("the oracle");
    let gpg = Gpg::scratch("dmg");
    let keys = keys(&gpg);
    let mut requests = Vec::new();
    let mut labels = Vec::new();
    for name in ["rsa2048", "ed25519-a"] {
        let key = keys
            .iter()
            .find(|k| k.name == name)
            .expect("a key of the pool");
        let mut cases = Vec::new();
        let uncompressed = sign(&gpg, key, &["--compress-algo", "none"], "--sign");
        cases.extend(reframed(&uncompressed, name));
        for (form, extra, operation) in [
            ("Binary", &[][..], "--sign"),
            ("Uncompressed", &["--compress-algo", "none"][..], "--sign"),
            ("Armored", &["--armor"][..], "--sign"),
            ("Cleartext", &[][..], "--clearsign"),
        ] {
            let blob = sign(&gpg, key, extra, operation);
            cases.extend(flipped(&blob, &format!("{name} {form}")));
        }
        let policy = json!({"default": [{"type": "signedBy", "keyType": "GPGKeys",
            "keyData": b64(&key.public), "signedIdentity": {"type": "matchRepository"}}]});
        let policy_text = serde_json::to_string(&policy).expect("policy");
        for case in cases {
            let signatures = json!([{"kind": "simple", "blob": b64(&case.blob)}]);
            requests.push((
                json!({"policy_text": policy_text, "files": {}, "transport": "docker",
                       "reference": REFERENCE, "manifest": b64(MANIFEST),
                       "signatures": signatures, "now": "2026-11-22T12:00:00Z"}),
                json!({"op": "evaluate", "policy_raw": policy_text, "files": {},
                       "transport": "docker", "reference": REFERENCE,
                       "manifest": b64(MANIFEST), "signatures": signatures}),
            ));
            labels.push(case.label);
        }
    }
    drop(gpg);
    let oracle_requests: Vec<Value> = requests.iter().map(|(_, o)| o.clone()).collect();
    let answers = oracle::ask_parallel(&oracle, &oracle_requests, 2);
    let (mut documented, mut allowed, mut reframed_allowed) = (0, 0, 0);
    let mut disagreements = Vec::new();
    let mut classes = oracle::ClassReport::default();
    for (((vouch, _), theirs), label) in requests.iter().zip(&answers).zip(&labels) {
        assert!(theirs.get("oracle_error").is_none(), "{theirs}");
        let line = serde_json::to_vec(vouch).expect("request");
        let ours: Value = serde_json::from_str(&vouch::json::evaluate_line(&line)).expect("answer");
        if theirs["allowed"] == true {
            allowed += 1;
            if label.contains("re-framed") {
                reframed_allowed += 1;
            }
        }
        // vouch refusing documented framing damage where gpg read on (and refused later).
        classes.record_with(label, &ours, theirs, &|s| framing_refusal(label, s));
        if oracle::differs(&ours, theirs) {
            if ours["allowed"] == false && damaged_framing(label, &ours) {
                documented += 1;
                continue;
            }
            disagreements.push(oracle::disagreement(label, &ours, theirs));
        }
    }
    eprintln!(
        "signedBy damage differential: {} cases, {allowed} allowed by c/image ({reframed_allowed} re-framed), {documented} documented framing differences, {} disagreements",
        labels.len(),
        disagreements.len()
    );
    classes.print("signedBy damage differential", labels.len());
    // The sweep must reach both verdicts, and the re-framed set must hold accepted forms.
    assert!(
        allowed > 20 && reframed_allowed >= 6,
        "too few accepted cases"
    );
    assert!(
        disagreements.is_empty(),
        "{} disagreements:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
    // The damage lands on different bytes in every run (gpg makes new keys and signatures),
    // so a rare framing shape no earlier run met can turn up; it is printed above with its
    // message for follow-up. More than a few means a regression.
    classes.assert_at_most(3);
}
