//! Cases for the differential test of `sigstoreSigned` with keys against containers/image:
//! real cosign signatures (ECDSA by the oracle's signer, RSA and Ed25519 by openssl) over
//! payloads vouch builds, for images whose identity, manifest and signatures vary, under
//! every `signedIdentity` kind and every key source, with tampering and bad keys.
//!
//! Two phases, because signatures must exist before the cases that carry them: [`plan`]
//! draws cases and lists what must be signed; [`Plan::finish`] takes the signatures and
//! writes the requests.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Map, Value, json};
use sha2::{Digest as _, Sha256, Sha512};

use crate::evaluations::{b64, docker_name, hex64};
use crate::generate::Rng;

/// A signing key and its public half.
#[derive(Debug, Clone)]
pub struct Key {
    /// A short name for reports (`p256-a`, `rsa2048`, ...).
    pub name: String,
    /// The public key, PEM.
    pub public_pem: String,
    signer: Signer,
}

#[derive(Debug, Clone)]
enum Signer {
    /// ECDSA through the oracle (`sign-sigstore` with a payload override).
    Oracle { private_pem: String },
    /// openssl pkeyutl with this private key file.
    OpenSsl { path: PathBuf, digest: bool },
}

/// The key pool: ECDSA P-256 and P-384 keys from the oracle (deterministic seeds), and RSA
/// and Ed25519 keys made by openssl in `dir`.
///
/// # Panics
/// When the oracle or openssl fail.
pub fn keys(oracle: &PathBuf, dir: &Path) -> Vec<Key> {
    let mut out = oracle_keys(
        oracle,
        &[
            ("p256-a", "P-256"),
            ("p256-b", "P-256"),
            ("p256-c", "P-256"),
            ("p384-a", "P-384"),
        ],
    );
    openssl_keys(dir, &mut out);
    out
}

/// ECDSA keys from the oracle, derived from their names as seeds: `(name, curve)`.
///
/// # Panics
/// When the oracle fails.
pub fn oracle_keys(oracle: &PathBuf, specs: &[(&str, &str)]) -> Vec<Key> {
    let requests: Vec<Value> = specs
        .iter()
        .map(|(seed, curve)| json!({"op": "gen-sigstore-key", "seed": seed, "curve": curve}))
        .collect();
    crate::oracle::ask(oracle, &requests)
        .into_iter()
        .zip(specs)
        .map(|(answer, &(name, _))| Key {
            name: name.into(),
            public_pem: answer["public_key_pem"]
                .as_str()
                .expect("public key")
                .into(),
            signer: Signer::Oracle {
                private_pem: answer["private_key_pem"]
                    .as_str()
                    .expect("private key")
                    .into(),
            },
        })
        .collect()
}

fn openssl_keys(dir: &Path, out: &mut Vec<Key>) {
    for (name, args, digest) in [
        (
            "rsa2048",
            &["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"][..],
            true,
        ),
        (
            "rsa3072",
            &["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:3072"][..],
            true,
        ),
        ("ed25519", &["-algorithm", "ED25519"][..], false),
    ] {
        let path = dir.join(format!("{name}.pem"));
        openssl(
            &[&["genpkey"], args, &["-out", path.to_str().expect("utf-8")]].concat(),
            None,
        );
        let public = openssl(
            &["pkey", "-in", path.to_str().expect("utf-8"), "-pubout"],
            None,
        );
        out.push(Key {
            name: name.into(),
            public_pem: String::from_utf8(public).expect("PEM"),
            signer: Signer::OpenSsl { path, digest },
        });
    }
}

fn openssl(args: &[&str], input: Option<&Path>) -> Vec<u8> {
    let mut command = Command::new("openssl");
    command.args(args);
    if let Some(input) = input {
        command.args(["-in", input.to_str().expect("utf-8")]);
    }
    let output = command.output().expect("openssl runs");
    assert!(
        output.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

/// What one case needs signed: a payload by a key.
#[derive(Debug, Clone)]
pub struct ToSign {
    /// Index into the key pool.
    pub key: usize,
    /// The exact payload bytes.
    pub payload: Vec<u8>,
}

/// How a signature is spoiled after signing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tamper {
    /// Untouched.
    None,
    /// One payload byte changed.
    Payload,
    /// One signature byte changed.
    Signature,
    /// The signature annotation removed.
    NoAnnotation,
    /// The signature annotation not base64.
    BadBase64,
    /// ECDSA DER turned into raw `r || s` (still valid).
    Raw,
    /// A byte appended to the signature.
    Trailing,
    /// The attachment's MIME type is not a signature's.
    Mime,
}

/// One planned case.
#[derive(Debug, Clone)]
pub struct Planned {
    /// For reports.
    pub label: String,
    policy: Value,
    files: Map<String, Value>,
    reference: String,
    manifest: Vec<u8>,
    /// Signatures: an index into the signing list, and how to spoil the result.
    signatures: Vec<(usize, Tamper)>,
}

/// Planned cases and the signatures they need.
#[derive(Debug)]
pub struct Plan {
    /// The cases.
    pub cases: Vec<Planned>,
    /// Everything to sign, in order.
    pub to_sign: Vec<ToSign>,
}

/// A finished case: the same request for vouch and for the oracle.
#[derive(Debug)]
pub struct Case {
    /// For reports.
    pub label: String,
    /// vouch's interchange request.
    pub vouch: Value,
    /// The oracle's request.
    pub oracle: Value,
}

const IDENTITY_KINDS: &[&str] = &[
    "matchExact",
    "matchRepoDigestOrExact",
    "matchRepository",
    "exactReference",
    "exactRepository",
    "remapIdentity",
    "default",
];

pub(crate) fn manifest(rng: &mut Rng) -> Vec<u8> {
    let media = rng.pick_str(&[
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    ]);
    format!(
        r#"{{"schemaVersion":2,"mediaType":"{media}","config":{{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:{}","size":{}}},"layers":[]}}"#,
        hex64(rng),
        rng.below(5000)
    )
    .into_bytes()
}

/// `sha256:` and the hex SHA-256 of `bytes`: a manifest digest.
#[must_use]
pub fn sha256_digest(bytes: &[u8]) -> String {
    format!("sha256:{}", hex(&Sha256::digest(bytes)))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The repository of a docker reference string (tag and digest removed).
fn repository(reference: &str) -> String {
    let name = reference.split('@').next().unwrap_or(reference);
    match name.rfind(':') {
        Some(colon) if !name[colon..].contains('/') => name[..colon].into(),
        _ => name.into(),
    }
}

/// Identities a signature may claim for an image whose reference is `image`.
pub(crate) fn claimed_identity(rng: &mut Rng, image: &str, digest: &str) -> String {
    let repo = repository(image);
    match rng.below(16) {
        0..=5 => image.into(),
        6..=7 => repo,
        8 => format!("{repo}:{}", rng.pick_str(&["other", "latest", "v2"])),
        9 => format!("{repo}@{digest}"),
        10 => format!("{}:latest", docker_name(rng)),
        11 => repo.replacen("docker.io/library/", "", 1),
        12 => repo.replacen("docker.io/", "index.docker.io/", 1),
        13 => rng
            .pick_str(&["UPPERCASE/invalid", "", "a:b:c", "busybox"])
            .into(),
        14 => format!("{repo}/sub:latest"),
        _ => image.to_uppercase(),
    }
}

pub(crate) fn signed_identity(rng: &mut Rng, image: &str, digest: &str) -> Value {
    let repo = repository(image);
    match rng.pick_str(IDENTITY_KINDS) {
        "default" => Value::Null,
        "exactReference" => {
            let reference = match rng.below(4) {
                0 => format!("{repo}:signed"),
                1 => format!("{repo}@{digest}"),
                2 if image.contains(':') || image.contains('@') => image.into(),
                _ => format!("{}:1", docker_name(rng)),
            };
            json!({"type": "exactReference", "dockerReference": reference})
        }
        "exactRepository" => {
            let repository = if rng.chance(70) {
                repo
            } else {
                docker_name(rng)
            };
            json!({"type": "exactRepository", "dockerRepository": repository})
        }
        "remapIdentity" => {
            // Remap the image's registry (or a namespace of it) to another one.
            let host = repo.split('/').next().unwrap_or("").to_string();
            let prefix = if rng.chance(70) {
                host.clone()
            } else {
                repo.clone()
            };
            let signed_prefix = rng
                .pick_str(&[
                    "mirror.example.com",
                    "quay.io/mirror",
                    "docker.io/library",
                    "localhost:5000",
                ])
                .to_string();
            let signed_prefix = if rng.chance(20) {
                prefix.clone()
            } else {
                signed_prefix
            };
            json!({"type": "remapIdentity", "prefix": prefix, "signedPrefix": signed_prefix})
        }
        kind => json!({"type": kind}),
    }
}

fn payload(rng: &mut Rng, identity: &str, digest: &str) -> Vec<u8> {
    payload_of(
        rng,
        identity,
        digest,
        "cosign container image signature",
        "atomic container signature",
    )
}

/// A payload of type `kind` (rarely `other`, or `kind` with a trailing space), with varied
/// critical and optional sections.
pub(crate) fn payload_of(
    rng: &mut Rng,
    identity: &str,
    digest: &str,
    kind: &str,
    other: &str,
) -> Vec<u8> {
    let spaced = format!("{kind} ");
    let kind = match rng.below(40) {
        0 => other,
        1 => spaced.as_str(),
        _ => kind,
    };
    let optional = match rng.below(12) {
        0..=5 => "null".into(),
        6 => "{}".into(),
        7 => format!(
            r#"{{"creator":"vouch test","timestamp":{}}}"#,
            1_600_000_000 + rng.below(1_000_000)
        ),
        8 => r#"{"timestamp":1.5}"#.into(),
        9 => r#"{"creator":7}"#.into(),
        10 => r#"{"extra":{"nested":[1,2,"x"]},"timestamp":1e3}"#.into(),
        _ => r#"{"creator":"a","creator":"b"}"#.into(),
    };
    let identity = serde_json::to_string(identity).expect("string");
    let critical = match rng.below(30) {
        0 => format!(
            r#"{{"identity":{{"docker-reference":{identity}}},"image":{{"docker-manifest-digest":"{digest}"}},"type":"{kind}","extra":1}}"#
        ),
        1 => format!(
            r#"{{"identity":{{"docker-reference":{identity}}},"image":{{"Docker-manifest-digest":"{digest}"}},"type":"{kind}"}}"#
        ),
        2 => format!(r#"{{"image":{{"docker-manifest-digest":"{digest}"}},"type":"{kind}"}}"#),
        3 => format!(
            r#"{{"type":"{kind}","image":{{"docker-manifest-digest":"{digest}"}},"identity":{{"docker-reference":{identity}}}}}"#
        ),
        _ => format!(
            r#"{{"identity":{{"docker-reference":{identity}}},"image":{{"docker-manifest-digest":"{digest}"}},"type":"{kind}"}}"#
        ),
    };
    format!(r#"{{"critical":{critical},"optional":{optional}}}"#).into_bytes()
}

/// A manifest, its digest, a reference to the image (tagged, name-only, digested by the
/// manifest's digest or by another one) and what containers/image calls the image (the
/// reference normalised, with `:latest` when name-only).
pub(crate) fn draw_image(rng: &mut Rng) -> (Vec<u8>, String, String, String) {
    let manifest = manifest(rng);
    let digest = sha256_digest(&manifest);
    let name = docker_name(rng);
    let reference = match rng.below(10) {
        0..=5 => format!("{name}:{}", rng.pick_str(&["latest", "1.0", "v2"])),
        6 => name.clone(),
        7 | 8 => format!("{name}@{digest}"),
        _ => format!("{name}@sha256:{}", hex64(rng)),
    };
    let image = normalise(&reference);
    (manifest, digest, reference, image)
}

/// Draws `n` cases for the key pool `keys`.
pub fn plan(rng: &mut Rng, keys: &[Key], n: usize) -> Plan {
    let mut cases = Vec::with_capacity(n);
    let mut to_sign = Vec::new();
    for _ in 0..n {
        let (manifest, digest, reference, image) = draw_image(rng);
        // Trusted keys: a subset of the pool, maybe with a bad entry.
        let mut files = Map::new();
        let trusted: Vec<usize> = {
            let mut picked: Vec<usize> = (0..keys.len()).filter(|_| rng.chance(30)).collect();
            if picked.is_empty() {
                picked.push(rng.below(keys.len()));
            }
            picked
        };
        let mut pems: Vec<Vec<u8>> = trusted
            .iter()
            .map(|&k| keys[k].public_pem.clone().into_bytes())
            .collect();
        let mut bad = "";
        if rng.chance(12) {
            let (label, bytes): (&str, Vec<u8>) = match rng.below(5) {
                0 => ("garbage", b"not a key".to_vec()),
                1 => (
                    "certificate-type",
                    pem_block("CERTIFICATE", &[0x30, 0x03, 0x02, 0x01, 0x01]),
                ),
                2 => (
                    "bad-der",
                    pem_block("PUBLIC KEY", &[0x30, 0x03, 0x02, 0x01, 0x01]),
                ),
                3 => (
                    "two-keys",
                    [keys[0].public_pem.as_bytes(), keys[1].public_pem.as_bytes()].concat(),
                ),
                _ => ("missing", Vec::new()),
            };
            bad = label;
            pems.insert(rng.below(pems.len() + 1), bytes);
        }
        let source = rng.below(4);
        let path_for = |i: usize, bytes: &Vec<u8>, files: &mut Map<String, Value>| -> String {
            let path = format!("/vouch-keys/case/key-{i}.pub");
            if !(bad == "missing" && bytes.is_empty()) {
                files.insert(path.clone(), Value::String(b64(bytes)));
            }
            path
        };
        let key_fields = match (source, pems.len()) {
            (0, 1) => json!({"keyPath": path_for(0, &pems[0], &mut files)}),
            (1, 1) => json!({"keyData": b64(&pems[0])}),
            (0 | 2, _) => {
                json!({"keyPaths": pems.iter().enumerate().map(|(i, p)| path_for(i, p, &mut files)).collect::<Vec<_>>()})
            }
            _ => json!({"keyDatas": pems.iter().map(|p| b64(p)).collect::<Vec<_>>()}),
        };
        let mut requirement = key_fields.as_object().cloned().unwrap_or_default();
        requirement.insert("type".into(), json!("sigstoreSigned"));
        let identity = signed_identity(rng, &image, &digest);
        let identity_label = identity["type"].as_str().unwrap_or("default").to_string();
        let remap = (identity_label == "remapIdentity").then(|| {
            (
                identity["prefix"].as_str().unwrap_or("").to_string(),
                identity["signedPrefix"].as_str().unwrap_or("").to_string(),
            )
        });
        let remap = remap.as_ref().map(|(p, s)| (p.as_str(), s.as_str()));
        if !identity.is_null() {
            requirement.insert("signedIdentity".into(), identity);
        }
        let policy = json!({"default": [{"type": "reject"}], "transports": {"docker": {"": [Value::Object(requirement)]}}});
        // Signatures: mostly by trusted keys, over mostly the right digest.
        let mut signatures = Vec::new();
        let mut tampers = Vec::new();
        for _ in 0..1 + rng.below(3) {
            let key = if rng.chance(75) {
                trusted[rng.below(trusted.len())]
            } else {
                rng.below(keys.len())
            };
            let signed_digest = match rng.below(12) {
                0 => format!("sha256:{}", hex64(rng)),
                1 => format!("sha512:{}", hex(&Sha512::digest(&manifest))),
                2 => "sha256:not-hex".into(),
                _ => digest.clone(),
            };
            let claimed = match remap {
                Some((prefix, signed_prefix)) if rng.chance(60) && image.starts_with(prefix) => {
                    format!("{signed_prefix}{}", &image[prefix.len()..])
                }
                _ => claimed_identity(rng, &image, &digest),
            };
            let tamper = match rng.below(30) {
                0 => Tamper::Payload,
                1 => Tamper::Signature,
                2 => Tamper::NoAnnotation,
                3 => Tamper::BadBase64,
                4 | 5 => Tamper::Raw,
                6 => Tamper::Trailing,
                7 => Tamper::Mime,
                _ => Tamper::None,
            };
            tampers.push(format!("{tamper:?}"));
            to_sign.push(ToSign {
                key,
                payload: payload(rng, &claimed, &signed_digest),
            });
            signatures.push((to_sign.len() - 1, tamper));
        }
        let label = format!(
            "{identity_label} {} keys={} bad={bad} tamper={}",
            ["keyPath(s)", "keyData", "keyPaths", "keyDatas"][source],
            trusted
                .iter()
                .map(|&k| keys[k].name.as_str())
                .collect::<Vec<_>>()
                .join(","),
            tampers.join(",")
        );
        cases.push(Planned {
            label,
            policy,
            files,
            reference,
            manifest,
            signatures,
        });
    }
    Plan { cases, to_sign }
}

fn pem_block(kind: &str, der: &[u8]) -> Vec<u8> {
    format!(
        "-----BEGIN {kind}-----\n{}\n-----END {kind}-----\n",
        b64(der)
    )
    .into_bytes()
}

/// The docker reference as containers/image names the image (enough for identities).
pub(crate) fn normalise(reference: &str) -> String {
    match vouch::Image::parse(vouch::Transport::Docker, reference) {
        Ok(image) => image
            .docker_reference()
            .map_or_else(|| reference.to_string(), |r| r.as_str().to_string()),
        Err(_) => reference.to_string(),
    }
}

/// Signs every payload: ECDSA through the oracle in one batch, the rest with openssl.
///
/// # Panics
/// When signing fails.
pub fn sign_all(
    oracle: &PathBuf,
    keys: &[Key],
    to_sign: &[ToSign],
    scratch: &Path,
) -> Vec<Vec<u8>> {
    let mut out = vec![Vec::new(); to_sign.len()];
    let mut batch = Vec::new();
    let mut batch_index = Vec::new();
    for (i, item) in to_sign.iter().enumerate() {
        match &keys[item.key].signer {
            Signer::Oracle { private_pem } => {
                batch.push(
                    json!({"op": "sign-sigstore", "impl": "own", "private_key_pem": private_pem,
                                  "payload": b64(&item.payload), "docker_reference": "x",
                                  "manifest": b64(b"{}")}),
                );
                batch_index.push(i);
            }
            Signer::OpenSsl { path, digest } => {
                let input = scratch.join("payload");
                std::fs::write(&input, &item.payload).expect("write payload");
                let mut args = vec![
                    "pkeyutl",
                    "-sign",
                    "-rawin",
                    "-inkey",
                    path.to_str().expect("utf-8"),
                ];
                if *digest {
                    args.extend(["-digest", "sha256"]);
                }
                out[i] = openssl(&args, Some(&input));
            }
        }
    }
    for (answer, i) in crate::oracle::ask(oracle, &batch)
        .into_iter()
        .zip(batch_index)
    {
        let signature = answer["annotations"]["dev.cosignproject.cosign/signature"]
            .as_str()
            .unwrap_or_else(|| panic!("oracle did not sign: {answer}"));
        let payload = answer["payload"].as_str().expect("payload");
        assert_eq!(
            payload,
            b64(&to_sign[i].payload),
            "the oracle signed other bytes"
        );
        out[i] = <base64ct::Base64 as base64ct::Encoding>::decode_vec(signature).expect("base64");
    }
    out
}

impl Plan {
    /// The requests, with the signatures made by [`sign_all`].
    pub fn finish(&self, signed: &[Vec<u8>]) -> Vec<Case> {
        self.cases
            .iter()
            .enumerate()
            .map(|(n, case)| {
                let signatures: Vec<Value> = case
                    .signatures
                    .iter()
                    .map(|&(i, tamper)| attachment(&self.to_sign[i].payload, &signed[i], tamper, n))
                    .collect();
                let policy_text = serde_json::to_string(&case.policy).expect("policy");
                let manifest = b64(&case.manifest);
                let vouch = json!({"policy_text": policy_text, "files": case.files, "transport": "docker",
                                   "reference": case.reference, "manifest": manifest, "signatures": signatures});
                let oracle = json!({"op": "evaluate", "policy_raw": policy_text, "files": case.files,
                                    "transport": "docker", "reference": case.reference,
                                    "manifest": manifest, "signatures": signatures});
                Case { label: case.label.clone(), vouch, oracle }
            })
            .collect()
    }
}

fn attachment(payload: &[u8], signature: &[u8], tamper: Tamper, n: usize) -> Value {
    let mut payload = payload.to_vec();
    let mut signature = signature.to_vec();
    let mut mime = "application/vnd.dev.cosign.simplesigning.v1+json";
    match tamper {
        Tamper::Payload => {
            let at = (n * 7919) % payload.len();
            payload[at] ^= 0x01;
        }
        Tamper::Signature => {
            let at = (n * 104_729) % signature.len().max(1);
            if let Some(b) = signature.get_mut(at) {
                *b ^= 0x40;
            }
        }
        Tamper::Raw => signature = der_to_raw(&signature).unwrap_or(signature),
        Tamper::Trailing => signature.push(0),
        Tamper::Mime => mime = "application/vnd.dev.cosign.attestation.v1+json",
        Tamper::None | Tamper::NoAnnotation | Tamper::BadBase64 => {}
    }
    let annotation = match tamper {
        Tamper::NoAnnotation => None,
        Tamper::BadBase64 => Some("not*base64".to_string()),
        _ => Some(b64(&signature)),
    };
    let mut annotations = Map::new();
    if let Some(annotation) = annotation {
        annotations.insert(
            "dev.cosignproject.cosign/signature".into(),
            Value::String(annotation),
        );
    }
    json!({"kind": "sigstore", "mime": mime, "payload": b64(&payload), "annotations": annotations})
}

/// ECDSA DER to raw `r || s` of the curve's size (32 or 48 bytes each, from the DER length).
fn der_to_raw(der: &[u8]) -> Option<Vec<u8>> {
    if der.first() != Some(&0x30) || der.len() < 8 {
        return None;
    }
    let body = &der[2..];
    let read = |at: usize| -> Option<(&[u8], usize)> {
        if body.get(at) != Some(&0x02) {
            return None;
        }
        let len = usize::from(*body.get(at + 1)?);
        Some((body.get(at + 2..at + 2 + len)?, at + 2 + len))
    };
    let (r, next) = read(0)?;
    let (s, _) = read(next)?;
    let size = if der.len() > 80 { 48 } else { 32 };
    let mut out = Vec::new();
    for value in [r, s] {
        let value = &value[value.len().saturating_sub(size)..];
        out.extend(std::iter::repeat_n(0, size - value.len()));
        out.extend_from_slice(value);
    }
    Some(out)
}

/// The outcome of sending `cases` to vouch and to the oracle.
#[derive(Debug)]
pub struct Comparison {
    /// Per case, whether containers/image allowed it.
    pub allowed: Vec<bool>,
    /// The reason-class comparison.
    pub classes: crate::oracle::ClassReport,
    /// The cases whose `allowed` differs, each with its request.
    pub disagreements: Vec<String>,
}

/// Decides every case with vouch and with the oracle and compares them.
///
/// # Panics
/// When the oracle reports an error of its own.
#[must_use]
pub fn compare(oracle: &PathBuf, cases: &[Case]) -> Comparison {
    let requests: Vec<Value> = cases.iter().map(|c| c.oracle.clone()).collect();
    let answers = crate::oracle::ask(oracle, &requests);
    let mut out = Comparison {
        allowed: Vec::with_capacity(cases.len()),
        classes: crate::oracle::ClassReport::default(),
        disagreements: Vec::new(),
    };
    for (case, theirs) in cases.iter().zip(&answers) {
        let line = serde_json::to_string(&case.vouch).expect("request");
        let ours: Value = serde_json::from_str(&crate::cached::decide(&line)).expect("answer");
        assert!(theirs.get("oracle_error").is_none(), "{theirs}");
        out.allowed.push(theirs["allowed"] == true);
        out.classes.record(&case.label, &ours, theirs);
        if crate::oracle::differs(&ours, theirs) {
            out.disagreements.push(format!(
                "{}\n  request: {}",
                crate::oracle::disagreement(&case.label, &ours, theirs),
                case.vouch
            ));
        }
    }
    out
}

impl Comparison {
    /// Prints the summary as `suite`, then fails unless at least `min_allowed` cases were
    /// allowed, every `allowed` agrees and every reason class agrees.
    ///
    /// # Panics
    /// As said.
    pub fn report_and_assert(&self, suite: &str, min_allowed: usize) {
        let allowed = self.allowed.iter().filter(|&&a| a).count();
        eprintln!(
            "{suite}: {} cases, {allowed} allowed by c/image, {} disagreements",
            self.allowed.len(),
            self.disagreements.len()
        );
        self.classes.print(suite, self.allowed.len());
        assert!(
            allowed >= min_allowed,
            "too few accepted cases to mean anything"
        );
        assert!(
            self.disagreements.is_empty(),
            "{}",
            self.disagreements[..self.disagreements.len().min(10)].join("\n")
        );
        self.classes.assert_agree();
    }
}
