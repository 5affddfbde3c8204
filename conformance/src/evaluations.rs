//! Evaluation cases for the differential test against containers/image: an image in one of
//! the nine transports, a policy whose scopes are drawn from that image's own lookup
//! sequence and from near misses, requirement lists of every kind, and signatures.
//!
//! Two families:
//!
//! * scope choice: every requirement list (the global default included) is a `signedBy` with
//!   its own missing key file `/vouch-scope/<n>`, and the image carries one signature, so
//!   containers/image's error names the file, and therefore the scope, that decided;
//! * decisions: requirement lists mixing every requirement type, key material present or
//!   missing, and signatures of both formats, compared on `allowed`.

use std::path::{Path, PathBuf};

use base64ct::{Base64, Encoding};
use serde_json::{Map, Value, json};

use crate::generate::Rng;

/// Files and directories on disk that path references point into (containers/image resolves
/// paths on the real file system, so they must exist).
#[derive(Debug)]
pub struct Tree {
    /// The canonical root of the tree.
    pub root: PathBuf,
    /// Existing directories under the root, canonical.
    pub dirs: Vec<String>,
    /// Existing regular files under the root, canonical.
    pub files: Vec<String>,
}

impl Tree {
    /// Creates a small tree under `base` (which must exist and be writable).
    ///
    /// # Panics
    /// On I/O errors.
    pub fn create(base: &Path) -> Self {
        let root = std::fs::canonicalize(base).expect("canonical base");
        let mut dirs = vec![root.to_string_lossy().into_owned()];
        for dir in [
            "a",
            "a/b",
            "a/b/c",
            "a/b.d",
            "img",
            "img/x_y",
            "layouts",
            "layouts/v1",
        ] {
            let path = root.join(dir);
            std::fs::create_dir_all(&path).expect("mkdir");
            dirs.push(path.to_string_lossy().into_owned());
        }
        let mut files = Vec::new();
        for file in [
            "a/one.tar",
            "a/b/two.sif",
            "img/three.tar",
            "layouts/v1/four",
        ] {
            let path = root.join(file);
            std::fs::write(&path, b"not really an image").expect("write");
            files.push(path.to_string_lossy().into_owned());
        }
        Self { root, dirs, files }
    }
}

/// One case: the request for vouch (the interchange contract) and for the oracle.
#[derive(Clone, Debug)]
pub struct Case {
    /// `scope` or `decision`.
    pub family: &'static str,
    /// The request in vouch's contract.
    pub vouch: Value,
    /// The request for the oracle.
    pub oracle: Value,
    /// For scope cases: the marker of each scope (`None` = the global default) by number.
    pub markers: Vec<(Option<String>, String)>,
}

/// Standard base64 with padding, as the interchange contract writes bytes.
pub fn b64(bytes: &[u8]) -> String {
    Base64::encode_string(bytes)
}

const HOSTS: &[&str] = &[
    "quay.io",
    "registry.example.com",
    "registry.example.com:5000",
    "a.b.example.com",
    "localhost",
    "localhost:5000",
    "10.1.2.3:5000",
    "docker.io",
    "ghcr.io",
    "mirror.internal.example.org:8443",
];

pub(crate) fn docker_name(rng: &mut Rng) -> String {
    let host = rng.pick_str(HOSTS);
    let depth = 1 + rng.below(3);
    let mut name = String::from(host);
    for _ in 0..depth {
        name.push('/');
        name.push_str(rng.pick_str(&["ns", "team", "app", "library", "img", "x-y", "a.b"]));
    }
    if rng.chance(10) {
        // Short names normalise to docker.io/library/….
        return rng
            .pick_str(&["busybox", "alpine", "library/nginx", "user/tool"])
            .into();
    }
    name
}

pub(crate) fn hex64(rng: &mut Rng) -> String {
    (0..64)
        .map(|_| char::from(b"0123456789abcdef"[rng.below(16)]))
        .collect()
}

fn docker_reference(rng: &mut Rng, name: &str) -> String {
    match rng.below(10) {
        0..=4 => format!(
            "{name}:{}",
            rng.pick_str(&["latest", "1.0", "v2", "stable"])
        ),
        5..=7 => format!("{name}@sha256:{}", hex64(rng)),
        8 => name.to_string(),
        _ => format!("{name}:1@sha256:{}", hex64(rng)),
    }
}

/// A reference for `transport`, mostly valid.
pub fn reference(rng: &mut Rng, transport: &str, tree: &Tree) -> String {
    let missing_leaf = |rng: &mut Rng, dir: &str| {
        format!("{dir}/{}", rng.pick_str(&["new", "n.tar", "layout", "z"]))
    };
    match transport {
        "docker" => {
            let name = docker_name(rng);
            let reference = docker_reference(rng, &name);
            if rng.chance(30) {
                format!("//{reference}")
            } else {
                reference
            }
        }
        "docker-daemon" => {
            if rng.chance(15) {
                format!("sha256:{}", hex64(rng))
            } else {
                let name = docker_name(rng);
                docker_reference(rng, &name)
            }
        }
        "docker-archive" => {
            let file = rng.pick(&tree.files).clone();
            match rng.below(5) {
                0 => file,
                1 => format!("{file}:@{}", rng.below(3)),
                _ => {
                    let name = docker_name(rng);
                    format!(
                        "{file}:{}",
                        if rng.chance(50) {
                            name.clone()
                        } else {
                            format!("{name}:t1")
                        }
                    )
                }
            }
        }
        "tarball" => {
            let file = rng.pick(&tree.files).clone();
            if rng.chance(20) {
                format!("{file}:{}", rng.pick(&tree.files))
            } else {
                file
            }
        }
        "dir" | "sif" => {
            let dir = rng.pick(&tree.dirs).clone();
            match rng.below(3) {
                0 => dir,
                1 => missing_leaf(rng, &dir),
                _ => rng.pick(&tree.files).clone(),
            }
        }
        "oci" | "oci-archive" => {
            let dir = rng.pick(&tree.dirs).clone();
            let path = if rng.chance(50) {
                dir
            } else {
                missing_leaf(rng, &dir)
            };
            match rng.below(5) {
                0 => path,
                1 => format!(
                    "{path}:{}",
                    rng.pick_str(&["img", "img:tag", "a--b", "x.y/z"])
                ),
                2 if transport == "oci" => format!("{path}:@{}", rng.below(4)),
                _ => format!("{path}:"),
            }
        }
        "containers-storage" => {
            let store = match rng.below(4) {
                0 | 1 => String::new(),
                2 => "[overlay@/var/lib/containers/storage]".into(),
                _ => "[/var/lib/containers/storage]".into(),
            };
            let name = docker_name(rng);
            let image = match rng.below(8) {
                0 => format!("@{}", hex64(rng)),
                1 => format!("{name}@{}", hex64(rng)),
                2 => format!("{name}:t@sha256:{}@{}", hex64(rng), hex64(rng)),
                3 => format!("{name}@sha256:{}", hex64(rng)),
                4 => format!("{name}:v1@sha256:{}", hex64(rng)),
                _ => docker_reference(rng, &name),
            };
            format!("{store}{image}")
        }
        _ => unreachable!("unknown transport {transport}"),
    }
}

/// Plausible scopes for an image: its own lookup sequence (from vouch, which the oracle then
/// judges) and near misses.
fn scopes_for(rng: &mut Rng, transport: &str, reference: &str) -> Vec<String> {
    let mut scopes = Vec::new();
    if let Ok(image) = transport
        .parse()
        .and_then(|t| vouch::Image::parse(t, reference))
    {
        let identity = image.policy_identity().to_string();
        if !identity.is_empty() {
            scopes.push(identity);
        }
        scopes.extend(image.namespaces().map(|n| n.to_string()));
        let docker_like = matches!(transport, "docker" | "docker-daemon");
        if let (Some(docker), true) = (image.docker_reference(), docker_like) {
            // Near misses: another port, the name under another host, a tag.
            scopes.push(format!("{}:9999", docker.domain()));
            scopes.push(format!("{}-other", docker.name()));
            scopes.push(format!("{}:other-tag", docker.name()));
            if let Some(host) = docker.domain().split(':').next() {
                scopes.push(host.to_string());
                scopes.push(format!("*.{host}"));
            }
        }
    }
    match transport {
        "docker" | "docker-daemon" => {
            scopes.extend(
                [
                    "*.com",
                    "*.example.com",
                    "docker.io",
                    "quay.io/ns",
                    "busybox",
                ]
                .map(String::from),
            );
        }
        "containers-storage" => scopes.extend(
            [
                "[overlay@/var/lib/containers/storage]",
                "[/var/lib/containers/storage]",
                "[vfs@/var/lib/containers/storage]docker.io",
                "[overlay@/var/lib/containers/storage]docker.io/library/other",
                "[overlay@/var/lib/containers/storage]quay.io",
                "[overlay@/other/root]quay.io",
            ]
            .map(String::from),
        ),
        "dir" | "oci" | "oci-archive" | "sif" => scopes.push("/tmp".into()),
        _ => {}
    }
    // A random subset, in a random order, always with a chance of the transport's "" scope.
    let mut chosen = Vec::new();
    for scope in scopes {
        if rng.chance(45) && !chosen.contains(&scope) {
            chosen.push(scope);
        }
    }
    if rng.chance(35) {
        chosen.push(String::new());
    }
    chosen
}

/// Only `""` is a valid scope for these transports.
fn only_default_scope(transport: &str) -> bool {
    matches!(transport, "docker-archive" | "tarball")
}

fn requirement(rng: &mut Rng, files: &mut Map<String, Value>) -> Value {
    let identity = || -> Value { json!({"type": "matchRepository"}) };
    let key = |rng: &mut Rng, files: &mut Map<String, Value>, name: &str| -> String {
        let path = format!("/vouch-keys/{name}");
        if rng.chance(50) {
            files.insert(
                path.clone(),
                Value::String(b64(
                    b"-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----\n",
                )),
            );
        }
        path
    };
    match rng.below(16) {
        0..=6 => json!({"type": "insecureAcceptAnything"}),
        7..=8 => json!({"type": "reject"}),
        9 => json!({"type": "signedBaseLayer", "baseLayerIdentity": {"type": "matchExact"}}),
        10..=11 => {
            let key_type =
                rng.pick_str(&["GPGKeys", "GPGKeys", "signedByGPGKeys", "X509Certificates"]);
            json!({"type": "signedBy", "keyType": key_type, "keyPath": key(rng, files, "gpg")})
        }
        12 => json!({"type": "signedBy", "keyType": "GPGKeys", "keyData": b64(b"garbage keyring")}),
        13..=14 => {
            let mut r = json!({"type": "sigstoreSigned", "keyPath": key(rng, files, "cosign.pub")});
            if rng.chance(30) {
                r["signedIdentity"] = identity();
            }
            if rng.chance(30) {
                r["rekorPublicKeyPath"] = Value::String(key(rng, files, "rekor.pub"));
            }
            r
        }
        _ => json!({"type": "sigstoreSigned",
                    "fulcio": {"caPath": key(rng, files, "fulcio.pem"), "oidcIssuer": "https://issuer.example.com",
                               "subjectEmail": "dev@example.com"},
                    "rekorPublicKeyData": b64(b"not a key")}),
    }
}

fn signatures(rng: &mut Rng) -> Vec<Value> {
    let mut out = Vec::new();
    for _ in 0..rng.below(4) {
        out.push(match rng.below(3) {
            0 => json!({"kind": "simple", "blob": b64(b"\x89\x01\x02not an OpenPGP message")}),
            1 => json!({"kind": "sigstore", "mime": "application/vnd.dev.cosign.simplesigning.v1+json",
                        "payload": b64(br#"{"critical":{}}"#),
                        "annotations": {"dev.cosignproject.cosign/signature": b64(b"sig")}}),
            _ => json!({"kind": "sigstore", "mime": "application/vnd.dsse.envelope.v1+json",
                        "payload": b64(b"{}"), "annotations": {}}),
        });
    }
    out
}

const TRANSPORTS: &[&str] = &[
    "docker",
    "docker",
    "docker",
    "docker-daemon",
    "docker-archive",
    "tarball",
    "dir",
    "oci",
    "oci-archive",
    "sif",
    "containers-storage",
    "containers-storage",
];

fn requests(
    policy: &Value,
    files: &Map<String, Value>,
    transport: &str,
    reference: &str,
    sigs: &[Value],
) -> (Value, Value) {
    let policy_text = serde_json::to_string(policy).expect("policy");
    let manifest =
        b64(br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}"#);
    let vouch = json!({"policy_text": policy_text, "files": files, "transport": transport,
                       "reference": reference, "manifest": manifest, "signatures": sigs});
    let oracle = json!({"op": "evaluate", "policy_raw": policy_text, "files": files, "transport": transport,
                        "reference": reference, "manifest": manifest, "signatures": sigs});
    (vouch, oracle)
}

/// A scope-choice case.
pub fn scope_case(rng: &mut Rng, tree: &Tree) -> Case {
    let transport = rng.pick_str(TRANSPORTS);
    let reference = reference(rng, transport, tree);
    let mut markers = vec![(None, String::new())];
    let marker = |n: usize| json!([{"type": "signedBy", "keyType": "GPGKeys", "keyPath": format!("/vouch-scope/{n}")}]);
    let mut transports = Map::new();
    let mut scopes = Map::new();
    let candidates = if only_default_scope(transport) {
        if rng.chance(60) {
            vec![String::new()]
        } else {
            Vec::new()
        }
    } else {
        scopes_for(rng, transport, &reference)
    };
    for scope in candidates {
        let n = markers.len();
        scopes.insert(scope.clone(), marker(n));
        markers.push((Some(transport.to_string()), scope));
    }
    if !scopes.is_empty() || rng.chance(50) {
        transports.insert(transport.to_string(), Value::Object(scopes));
    }
    if rng.chance(30) {
        // Another transport's scopes never apply.
        let other = if transport == "docker" {
            "docker-daemon"
        } else {
            "docker"
        };
        transports.insert(
            other.to_string(),
            json!({"": [{"type": "insecureAcceptAnything"}]}),
        );
    }
    let policy = json!({"default": marker(0), "transports": transports});
    let sigs = vec![json!({"kind": "simple", "blob": b64(b"\x89\x01\x02not an OpenPGP message")})];
    let (vouch, oracle) = requests(&policy, &Map::new(), transport, &reference, &sigs);
    Case {
        family: "scope",
        vouch,
        oracle,
        markers,
    }
}

/// A decision case.
pub fn decision_case(rng: &mut Rng, tree: &Tree) -> Case {
    let transport = rng.pick_str(TRANSPORTS);
    let reference = reference(rng, transport, tree);
    let mut files = Map::new();
    let list = |rng: &mut Rng, files: &mut Map<String, Value>| -> Value {
        Value::Array(
            (0..1 + rng.below(3))
                .map(|_| requirement(rng, files))
                .collect(),
        )
    };
    let mut scopes = Map::new();
    let candidates = if only_default_scope(transport) {
        vec![String::new()]
    } else {
        scopes_for(rng, transport, &reference)
    };
    for scope in candidates {
        scopes.insert(scope, list(rng, &mut files));
    }
    let mut transports = Map::new();
    transports.insert(transport.to_string(), Value::Object(scopes));
    let policy = json!({"default": list(rng, &mut files), "transports": transports});
    let sigs = signatures(rng);
    let (vouch, oracle) = requests(&policy, &files, transport, &reference, &sigs);
    Case {
        family: "decision",
        vouch,
        oracle,
        markers: Vec::new(),
    }
}
