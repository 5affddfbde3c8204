//! Generated KEP-2535 cases (`vouch node`): checks of cached images (`kubelet_pull`), keyring
//! lookups, record files and the records a pull leaves, drawn from small pools so that
//! coordinates, hashes and image names collide often, with records mutated the ways a strict
//! decoder must refuse. The same requests go to vouch and to the kubelet's own code
//! (`oracles/kubelet`).

use base64ct::{Base64, Encoding as _};
use serde_json::{Map, Value, json};

use crate::generate::Rng;

const DIGEST: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/// Images as pods write them; every one parses as the kubelet parses images.
pub const IMAGES: &[&str] = &[
    "nginx",
    "nginx:1.25",
    "docker.io/library/nginx",
    "docker.io/library/nginx:1.25",
    "docker.io/nginx",
    "index.docker.io/library/nginx:latest",
    "library/nginx",
    "registry.example/team/app:v3",
    "registry.example/team/app",
    "registry.example/team/other:v1",
    "registry.example:5000/team/app:v1",
    "Registry.Example/team/app",
    "test.io/test/test-image:tag",
    "test.io/test/test-image",
    "localhost/app:1",
    "localhost:5000/app",
];

fn image(rng: &mut Rng) -> String {
    let base = rng.pick_str(IMAGES);
    if rng.chance(15) && !base.contains('@') {
        format!("{base}@{DIGEST}")
    } else {
        base.to_string()
    }
}

/// Allowlist entries valid in every release.
const ALLOWLIST: &[&str] = &[
    "docker.io/library/nginx",
    "docker.io/library/*",
    "docker.io/*",
    "registry.example/*",
    "registry.example/team/app",
    "registry.example/team/*",
    "registry.example:5000/*",
    "test.io/test/test-image",
    "test.io/test/*",
    "test.io/*",
    "localhost/app",
    "Registry.Example/team/app",
];

/// Allowlist entries valid from 1.36 only (before, an exact entry must be normalised).
const ALLOWLIST_136: &[&str] = &[
    "nginx",
    "docker.io/nginx",
    "library/nginx",
    "index.docker.io/library/nginx",
];

/// Allowlist entries no release accepts.
const ALLOWLIST_INVALID: &[&str] = &[
    "registry.example/team/app:v3",
    "registry.example/team/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    "*",
    "/*",
    "",
    " nginx",
    "nginx ",
    "a/*/b",
    "registry.example/",
    "Registry/app",
];

const POLICIES: &[&str] = &[
    "NeverVerify",
    "NeverVerifyPreloadedImages",
    "NeverVerifyAllowlistedImages",
    "AlwaysVerify",
];

const UIDS: &[&str] = &["u1", "u2", "u3"];
const NAMESPACES: &[&str] = &["ns", "team"];
const NAMES: &[&str] = &["s1", "s2", "regcred"];
const HASHES: &[&str] = &[
    "cb54b00fb550d4a17c448149caa29f38f4d5a44fb87c752e43db8160af3a032a",
    "180d02e7fe58cbdce366329c7f1f990597a4b0c783b87fd2bebd41598d423c80",
    "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
    "",
];

fn secret(rng: &mut Rng) -> Value {
    json!({
        "uid": rng.pick_str(UIDS),
        "namespace": rng.pick_str(NAMESPACES),
        "name": rng.pick_str(NAMES),
        "credential_hash": rng.pick_str(HASHES),
    })
}

fn service_account(rng: &mut Rng) -> Value {
    json!({
        "uid": rng.pick_str(&["sa1", "sa2"]),
        "namespace": rng.pick_str(NAMESPACES),
        "name": rng.pick_str(&["builder", "default"]),
    })
}

/// The record's form of a secret (camelCase).
fn record_secret(rng: &mut Rng) -> Value {
    let s = secret(rng);
    json!({"uid": s["uid"], "namespace": s["namespace"], "name": s["name"],
           "credentialHash": s["credential_hash"]})
}

/// The name the kubelet keys a record by, in either form, or another name.
fn mapping_key(rng: &mut Rng, image: &str) -> String {
    let trimmed = image.split('@').next().unwrap_or(image);
    let raw = match trimmed.rfind(':') {
        Some(i) if !trimmed[i..].contains('/') => &trimmed[..i],
        _ => trimmed,
    };
    let normalised = vouch::node::record_key(image, vouch::node::KubernetesVersion::V1_35)
        .unwrap_or_else(|| raw.to_string());
    match rng.below(10) {
        0..=3 => normalised,
        4..=7 => raw.to_string(),
        8 => rng.pick_str(IMAGES).to_string(),
        _ => "docker.io/library/other".to_string(),
    }
}

fn credentials(rng: &mut Rng, version: &str) -> Value {
    let mut creds = Map::new();
    match rng.below(10) {
        0 => {}
        1 => {
            creds.insert("kubernetesSecrets".into(), Value::Null);
        }
        2 => {
            creds.insert("kubernetesSecrets".into(), json!([]));
        }
        3 => {
            // At and around the limit of 100 recorded secrets.
            let n = 99 + rng.below(3);
            let list: Vec<Value> = (0..n)
                .map(|i| {
                    json!({"uid": format!("x{i}"), "namespace": "bulk", "name": format!("b{i}"),
                                "credentialHash": format!("{i:064x}")})
                })
                .chain(std::iter::once(record_secret(rng)))
                .collect();
            creds.insert("kubernetesSecrets".into(), Value::Array(list));
        }
        _ => {
            let list: Vec<Value> = (0..1 + rng.below(3)).map(|_| record_secret(rng)).collect();
            creds.insert("kubernetesSecrets".into(), Value::Array(list));
        }
    }
    if version != "1.33" && rng.chance(30) {
        let list: Vec<Value> = (0..1 + rng.below(2))
            .map(|_| service_account(rng))
            .collect();
        creds.insert("kubernetesServiceAccounts".into(), Value::Array(list));
    }
    match rng.below(10) {
        0 => {
            creds.insert("nodePodsAccessible".into(), Value::Bool(true));
        }
        1 => {
            creds.insert("nodePodsAccessible".into(), Value::Bool(false));
        }
        2 => {
            creds.insert("nodePodsAccessible".into(), Value::Null);
        }
        _ => {}
    }
    Value::Object(creds)
}

const TIMES: &[&str] = &[
    "2025-06-01T11:00:00Z",
    "2025-06-01T11:00:00.123456789Z",
    "2025-06-01T13:00:00+02:00",
    "2025-06-01T1:00:00Z",
    "0001-01-01T00:00:00Z",
    "2025-06-01t11:00:00Z",
    "2025-02-30T11:00:00Z",
];

/// A record file for `image_ref` written the ways a kubelet writes them, or mutated.
fn record(rng: &mut Rng, version: &str, image: &str, image_ref: &str) -> String {
    let api = if version >= "1.35" && rng.chance(60) || rng.chance(5) {
        "kubelet.config.k8s.io/v1beta1"
    } else {
        "kubelet.config.k8s.io/v1alpha1"
    };
    let mut record = Map::new();
    record.insert("kind".into(), json!("ImagePulledRecord"));
    record.insert("apiVersion".into(), json!(api));
    record.insert(
        "lastUpdatedTime".into(),
        if rng.chance(10) {
            Value::Null
        } else if rng.chance(85) {
            json!(TIMES[0])
        } else {
            json!(rng.pick_str(TIMES))
        },
    );
    record.insert(
        "imageRef".into(),
        json!(if rng.chance(90) {
            image_ref
        } else {
            "sha256:other"
        }),
    );
    if !rng.chance(5) {
        let mut mapping = Map::new();
        for _ in 0..1 + rng.below(3) {
            let key = mapping_key(rng, image);
            mapping.insert(key, credentials(rng, version));
        }
        if rng.chance(3) {
            mapping.insert("null-entry".into(), Value::Null);
        }
        record.insert("credentialMapping".into(), Value::Object(mapping));
    }
    let text = Value::Object(record).to_string();
    if !rng.chance(12) {
        return text;
    }
    // A mutation the decoder must refuse (or, for some, accept alike).
    match rng.below(11) {
        0 => text.replacen('{', r#"{"unknown":1,"#, 1),
        1 => text.replacen(r#""imageRef""#, r#""ImageRef""#, 1),
        2 => text.replacen('{', r#"{"imageRef":"dup","#, 1),
        3 => text.replacen(
            r#""nodePodsAccessible":true"#,
            r#""nodePodsAccessible":"true""#,
            1,
        ),
        4 => text.replacen(
            r#""kubernetesSecrets""#,
            r#""kubernetesSecretCoordinates""#,
            1,
        ),
        5 => format!("{text} x"),
        6 => text[..text.len() / 2].to_string(),
        7 => text.replacen("ImagePulledRecord", "ImagePullIntent", 1),
        8 => text.replacen(r#""kind":"ImagePulledRecord","#, "", 1),
        9 => format!("  {text}\n\n"),
        _ => text.replacen(
            r#""credentialMapping":{"#,
            r#""credentialMapping":{"k":{},"k":{},"#,
            1,
        ),
    }
}

/// A `kubelet_pull` request for the given release (`IfNotPresent`, the image on the node).
pub fn pull_case(rng: &mut Rng, version: &str) -> Value {
    let image = image(rng);
    let image_ref = if rng.chance(95) { "sha256:aaaa" } else { "" };
    let policy = if rng.chance(50) {
        "NeverVerifyAllowlistedImages"
    } else {
        rng.pick_str(POLICIES)
    };
    let allowlist: Vec<&str> = if policy == "NeverVerifyAllowlistedImages" {
        // Mostly entries every release accepts; now and then one only 1.36 accepts, or none.
        (0..rng.below(4))
            .map(|_| match rng.below(100) {
                0..=5 => rng.pick_str(ALLOWLIST_INVALID),
                6..=17 => rng.pick_str(ALLOWLIST_136),
                _ => rng.pick_str(ALLOWLIST),
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut request = Map::new();
    request.insert("op".into(), json!("kubelet_pull"));
    request.insert("kubernetes_version".into(), json!(version));
    request.insert("policy".into(), json!(policy));
    request.insert("allowlist".into(), json!(allowlist));
    request.insert("image".into(), json!(image));
    request.insert("image_ref".into(), json!(image_ref));
    request.insert("pull_policy".into(), json!("IfNotPresent"));
    let record = if rng.chance(85) {
        Some(record(rng, version, &image, "sha256:aaaa"))
    } else {
        None
    };
    request.insert(
        "pulled_record".into(),
        record.map_or(Value::Null, |r| json!(Base64::encode_string(r.as_bytes()))),
    );
    request.insert("intent_exists".into(), json!(rng.chance(20)));
    let secrets: Vec<Value> = (0..rng.below(4)).map(|_| secret(rng)).collect();
    request.insert("pod_secrets".into(), Value::Array(secrets));
    request.insert(
        "pod_service_account".into(),
        if version != "1.33" && rng.chance(30) {
            service_account(rng)
        } else {
            Value::Null
        },
    );
    request.insert("now".into(), json!("2026-12-01T00:00:00Z"));
    Value::Object(request)
}

/// A `pull_record` request: a record or intent file to read and write back.
pub fn codec_case(rng: &mut Rng, version: &str) -> Value {
    if rng.chance(20) {
        let image = image(rng);
        let api = if version >= "1.35" && rng.chance(50) {
            "v1beta1"
        } else {
            "v1alpha1"
        };
        let mut text = format!(
            r#"{{"kind":"ImagePullIntent","apiVersion":"kubelet.config.k8s.io/{api}","image":{}}}"#,
            Value::String(image)
        );
        if rng.chance(20) {
            text = text.replacen(r#""image""#, r#""Image""#, 1);
        }
        return json!({"op": "pull_record", "kubernetes_version": version, "kind": "intent",
                      "record": Base64::encode_string(text.as_bytes())});
    }
    let image = image(rng);
    let text = record(rng, version, &image, "sha256:aaaa");
    json!({"op": "pull_record", "kubernetes_version": version, "kind": "pulled",
           "record": Base64::encode_string(text.as_bytes())})
}

/// A `record_pulled` request: the record a successful pull leaves.
pub fn pulled_case(rng: &mut Rng, version: &str) -> Value {
    let image = image(rng);
    let existing = rng
        .chance(70)
        .then(|| Base64::encode_string(record(rng, version, &image, "sha256:aaaa").as_bytes()));
    let with = match rng.below(3) {
        0 => json!({"kind": "node"}),
        1 => {
            let mut s = secret(rng);
            s["kind"] = json!("secret");
            s
        }
        _ if version == "1.33" => json!({"kind": "node"}),
        _ => {
            let mut s = service_account(rng);
            s["kind"] = json!("service_account");
            s
        }
    };
    json!({"op": "record_pulled", "kubernetes_version": version, "image": image,
           "image_ref": "sha256:aaaa", "pulled_record": existing, "pulled_with": with,
           "now": "2026-12-01T00:00:00Z"})
}

/// Registry keys of docker configs, in groups that give the same keyring key (one secret
/// takes at most one of a group: Go adds a secret's entries in map order).
const LOCATIONS: &[&[&str]] = &[
    &[
        "registry.example",
        "https://registry.example",
        "https://registry.example/v2/",
        "http://registry.example/",
        "registry.example/v1/",
    ],
    &[
        "registry.example/team",
        "https://registry.example/v2/team",
        "registry.example/team?x=1",
        "registry.example/%74eam",
    ],
    &["registry.example/team/"],
    &["registry.example/te"],
    &["*.example"],
    &["registry.example:5000", "https://registry.example:5000/v2/"],
    &["https://index.docker.io/v1/", "index.docker.io"],
    &["docker.io"],
    &["*.io"],
    &["reg*.example"],
    &["registry.example/team/app"],
    &["test.io"],
    &["localhost"],
    &["localhost:5000"],
    &["registry.example:5000:1"],
    &["bad host"],
    &["REGISTRY.example"],
    &["docker.io/library"],
    &["*"],
    &["registry.example/%zz"],
];

const USERS: &[&str] = &["user", "<u>&", "ünï", "a:b", ""];
const PASSWORDS: &[&str] = &["pass", "p\u{2028}", "", "x y"];

fn entry(rng: &mut Rng) -> Value {
    let (u, p) = (rng.pick_str(USERS), rng.pick_str(PASSWORDS));
    let auth = Base64::encode_string(format!("{u}:{p}").as_bytes());
    // The entries that fail the whole keyring are rare, so that most lookups get through.
    let pick = if rng.chance(8) {
        3 + 3 * rng.below(2)
    } else {
        rng.below(12)
    };
    match if matches!(pick, 3 | 4 | 6) && !rng.chance(30) {
        10
    } else {
        pick
    } {
        0 => json!({"username": u, "password": p, "email": "a@b.c"}),
        1 => json!({"auth": auth}),
        2 => json!({"auth": auth.trim_end_matches('=')}),
        3 => json!({"auth": Base64::encode_string(b"nocolon")}),
        4 => json!({"auth": "!!!"}),
        5 => json!({"Username": u, "PASSWORD": p}),
        6 => json!({"username": 5}),
        7 => Value::Null,
        8 => json!({"auth": "", "username": u}),
        9 => json!({"username": "x", "password": "y", "auth": auth}),
        _ => json!({"username": u, "password": p}),
    }
}

fn docker_secret(rng: &mut Rng, index: usize) -> Value {
    let mut auths = Map::new();
    let mut groups: Vec<usize> = (0..LOCATIONS.len()).collect();
    for _ in 0..1 + rng.below(3) {
        let g = groups.remove(rng.below(groups.len()));
        auths.insert(rng.pick_str(LOCATIONS[g]).to_string(), entry(rng));
    }
    let (secret_type, key, config) = match rng.below(10) {
        0 => (
            "kubernetes.io/dockercfg",
            ".dockercfg",
            Value::Object(auths),
        ),
        1 => ("Opaque", ".dockerconfigjson", json!({"auths": auths})),
        2 => (
            "kubernetes.io/dockerconfigjson",
            ".dockercfg",
            json!({"auths": auths}),
        ),
        3 => (
            "kubernetes.io/dockerconfigjson",
            ".dockerconfigjson",
            json!({"auths": auths, "HttpHeaders": {"a": "b"}}),
        ),
        4 => (
            "kubernetes.io/dockerconfigjson",
            ".dockerconfigjson",
            json!({"AUTHS": auths}),
        ),
        5 if rng.chance(30) => (
            "kubernetes.io/dockerconfigjson",
            ".dockerconfigjson",
            json!([]),
        ),
        _ => (
            "kubernetes.io/dockerconfigjson",
            ".dockerconfigjson",
            json!({"auths": auths}),
        ),
    };
    json!({
        "metadata": {"uid": format!("uid-{index}"), "namespace": "ns", "name": format!("secret-{index}")},
        "type": secret_type,
        "data": {key: Base64::encode_string(config.to_string().as_bytes())},
    })
}

/// A `pod_credentials` request: which of the pod's pull secrets the keyring picks.
pub fn keyring_case(rng: &mut Rng, version: &str) -> Value {
    let images = [
        "registry.example/team/app:v1",
        "registry.example/other",
        "registry.example:5000/team/app",
        "nginx",
        "docker.io/library/nginx",
        "test.io/x",
        "localhost/app",
        "localhost:5000/app",
        "foo.example/x",
    ];
    let secrets: Vec<Value> = (0..1 + rng.below(3))
        .map(|i| docker_secret(rng, i))
        .collect();
    json!({"op": "pod_credentials", "kubernetes_version": version,
           "image": rng.pick_str(&images), "pull_secrets": secrets})
}

/// `n` cases of every kind for the release, from `seed`.
pub fn cases(seed: u64, version: &str, n: usize) -> Vec<Value> {
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|i| match i % 8 {
            0 => codec_case(&mut rng, version),
            1 => pulled_case(&mut rng, version),
            2 => keyring_case(&mut rng, version),
            _ => pull_case(&mut rng, version),
        })
        .collect()
}

/// A user-namespace request: `userns_validate` of a generated pod, or `userns_allocate`.
pub fn userns_case(rng: &mut Rng, version: &str) -> Value {
    if rng.chance(30) {
        let mut request = Map::new();
        request.insert("op".into(), json!("userns_allocate"));
        request.insert("kubernetes_version".into(), json!(version));
        let blocks = 1 + rng.below(6) as u64;
        match rng.below(6) {
            0 => {}
            1 => {
                request.insert(
                    "subids".into(),
                    json!(format!("0: kubelet {} {}", 65536 * 2, 65536 * blocks)),
                );
            }
            2 => {
                request.insert("first_id".into(), json!(65536 * (1 + rng.below(3) as u64)));
                request.insert(
                    "length".into(),
                    json!(if rng.chance(20) {
                        1u64 << 32
                    } else {
                        65536 * blocks
                    }),
                );
            }
            3 => {
                request.insert(
                    "ids_per_pod".into(),
                    json!(rng.pick(&[65536u64, 131072, 100, 0])),
                );
            }
            _ => {
                request.insert("first_id".into(), json!(65536));
                request.insert("length".into(), json!(65536 * blocks));
            }
        }
        request.insert("max_pods".into(), json!(rng.below(4)));
        let existing: Vec<Value> = (0..rng.below(3))
            .map(|i| {
                let host = 65536 * (1 + rng.below(4) as u64);
                let file = if rng.chance(85) {
                    format!(r#"{{"uidMappings":[{{"hostId":{host},"containerId":0,"length":65536}}],"gidMappings":[{{"hostId":{host},"containerId":0,"length":65536}}]}}"#)
                } else {
                    format!(r#"{{"uidMappings":[{{"hostId":{host},"containerId":1,"length":65536}}]}}"#)
                };
                json!({"uid": format!("old-{i}"), "userns": Base64::encode_string(file.as_bytes())})
            })
            .collect();
        request.insert("pods".into(), Value::Array(existing));
        request.insert(
            "release".into(),
            json!(if rng.chance(30) {
                vec!["old-0"]
            } else {
                vec![]
            }),
        );
        let new: Vec<String> = (0..rng.below(5)).map(|i| format!("new-{i}")).collect();
        request.insert("allocate".into(), json!(new));
        return Value::Object(request);
    }
    // The API-server differential's pods (every field user namespaces constrain), sometimes as a
    // bare PodSpec, which `userns_validate` also takes.
    let mut request = userns_api_case(rng, version);
    if rng.chance(30) {
        request["pod"] = request["pod"]["spec"].take();
    }
    request
}

/// `n` user-namespace requests for the release, from `seed`.
pub fn userns_cases(seed: u64, version: &str, n: usize) -> Vec<Value> {
    let mut rng = Rng::new(seed);
    (0..n).map(|_| userns_case(&mut rng, version)).collect()
}

/// A container of a pod the API server would otherwise accept (DNS-label name, an image), with
/// the fields user namespaces constrain drawn at random.
fn api_container(rng: &mut Rng, name: String, devices: &mut bool) -> Value {
    let mut c = Map::new();
    c.insert("name".into(), json!(name));
    c.insert("image".into(), json!(rng.pick_str(IMAGES)));
    if rng.chance(20) {
        *devices = true;
        c.insert(
            "volumeDevices".into(),
            json!([{"name": "disk", "devicePath": "/dev/xvda"}]),
        );
    }
    if rng.chance(70) {
        let mut sc = Map::new();
        if rng.chance(40) {
            sc.insert(
                "procMount".into(),
                json!(rng.pick_str(&["Default", "Unmasked", "Unmasked"])),
            );
        }
        if rng.chance(40) {
            sc.insert("runAsNonRoot".into(), json!(rng.chance(60)));
        }
        if rng.chance(40) {
            sc.insert("runAsUser".into(), json!(rng.pick(&[0, 1000, 65534])));
        }
        c.insert("securityContext".into(), Value::Object(sc));
    }
    Value::Object(c)
}

/// A `userns_validate` request for the API-server differential (`oracles/kubelet`, op
/// `userns_validate`): a whole Pod, otherwise valid where the draw allows, so that the API
/// server's errors about user namespaces come out beside few others.
pub fn userns_api_case(rng: &mut Rng, version: &str) -> Value {
    let mut spec = Map::new();
    match rng.below(5) {
        0 => {}
        1 => {
            spec.insert("hostUsers".into(), json!(true));
        }
        _ => {
            spec.insert("hostUsers".into(), json!(false));
        }
    }
    for field in ["hostNetwork", "hostPID", "hostIPC"] {
        if rng.chance(25) {
            spec.insert(field.into(), json!(true));
        }
    }
    if rng.chance(8) {
        spec.insert(
            "os".into(),
            json!({"name": rng.pick_str(&["windows", "linux"])}),
        );
    }
    if rng.chance(50) {
        let mut sc = Map::new();
        if rng.chance(50) {
            sc.insert("runAsNonRoot".into(), json!(rng.chance(70)));
        }
        if rng.chance(40) {
            sc.insert("runAsUser".into(), json!(rng.pick(&[0, 1000])));
        }
        spec.insert("securityContext".into(), Value::Object(sc));
    }
    let mut devices = false;
    for (kind, prefix, n) in [
        ("containers", "app", 1 + rng.below(2)),
        ("initContainers", "init", rng.below(2)),
        ("ephemeralContainers", "debug", usize::from(rng.chance(8))),
    ] {
        if n > 0 {
            let list: Vec<Value> = (0..n)
                .map(|i| api_container(rng, format!("{prefix}-{i}"), &mut devices))
                .collect();
            spec.insert(kind.into(), Value::Array(list));
        }
    }
    if devices {
        spec.insert(
            "volumes".into(),
            json!([{"name": "disk", "persistentVolumeClaim": {"claimName": "data"}}]),
        );
    }
    let pod = json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "p", "namespace": "ns"}, "spec": spec});
    let mut request = json!({"op": "userns_validate", "kubernetes_version": version, "pod": pod});
    if rng.chance(80) {
        request["pod_security"] = json!({
            "level": rng.pick_str(&["privileged", "baseline", "restricted", "restricted"]),
            "version": rng.pick_str(&["latest", "v1.34", "v1.35", "v1.22", "v1.36", "v1.0", "v1.40"]),
        });
    }
    if rng.chance(50) {
        request["feature_gates"] = json!({
            "UserNamespacesHostNetworkSupport": rng.chance(50),
            "UserNamespacesPodSecurityStandards": rng.chance(50),
        });
    }
    request
}

/// `n` requests of [`userns_api_case`] for the release, from `seed`.
pub fn userns_api_cases(seed: u64, version: &str, n: usize) -> Vec<Value> {
    let mut rng = Rng::new(seed);
    (0..n).map(|_| userns_api_case(&mut rng, version)).collect()
}

const POLICY_DOCS: &[&str] = &[
    r#"{"default":[{"type":"insecureAcceptAnything"}]}"#,
    r#"{"default":[{"type":"reject"}]}"#,
    r#"{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/etc/keys/a.gpg"}]}"#,
];

/// A trust-decision request: a record update, a reuse decision, or a policy digest.
pub fn trust_case(rng: &mut Rng) -> Value {
    let policy = || -> Value { json!({"policy_text": POLICY_DOCS[0], "files": {}}) };
    let mut policy_of = |rng: &mut Rng| -> Value {
        let doc = rng.pick_str(POLICY_DOCS);
        let mut files = Map::new();
        if doc.contains("a.gpg") && rng.chance(70) {
            files.insert(
                "/etc/keys/a.gpg".into(),
                json!(Base64::encode_string(if rng.chance(50) {
                    b"one"
                } else {
                    b"two"
                })),
            );
        }
        json!({"policy_text": doc, "files": files})
    };
    let namespaces = ["lax", "strict", "twin"];
    let record = |rng: &mut Rng, policy_of: &mut dyn FnMut(&mut Rng) -> Value| -> Value {
        let mut record = Value::Null;
        for ns in namespaces {
            if rng.chance(50) {
                let request = json!({"op": "trust_record", "image_ref": if rng.chance(90) { "sha256:img" } else { "sha256:other" },
                    "namespace": ns, "policy": policy_of(rng), "trust_record": record, "image": "registry.example/app:v1",
                    "manifest_digest": "sha256:m", "allowed": rng.chance(80),
                    "now": rng.pick_str(&["2026-12-01T00:00:00Z", "2026-11-01T00:00:00Z"])});
                let answer: Value =
                    serde_json::from_str(&vouch::json::node_line(request.to_string().as_bytes()))
                        .expect("json");
                record = answer["record"].clone();
            }
        }
        if rng.chance(5) {
            record = json!(Base64::encode_string(b"{\"kind\":\"ImageTrustRecord\"}"));
        }
        record
    };
    match rng.below(10) {
        0 => json!({"op": "policy_digest", "policy": policy_of(rng)}),
        1..=3 => {
            let existing = record(rng, &mut policy_of);
            json!({"op": "trust_record", "image_ref": "sha256:img", "namespace": rng.pick_str(&namespaces),
                   "policy": policy_of(rng), "trust_record": existing, "image": "registry.example/app:v1",
                   "manifest_digest": "sha256:m", "allowed": rng.chance(70), "now": "2026-12-02T00:00:00Z"})
        }
        _ => {
            let existing = record(rng, &mut policy_of);
            let mut request = json!({"op": "trust_reuse", "image_ref": "sha256:img", "namespace": rng.pick_str(&namespaces),
                   "policy": policy_of(rng), "trust_record": existing});
            if rng.chance(30) {
                request["now"] = json!("2026-12-02T00:00:00Z");
                request["max_age_seconds"] = json!(rng.pick(&[86_400 * 7, 86_400 * 60]));
            }
            if rng.chance(5) {
                request["policy"] = policy();
                request["policy_digest"] = json!("sha256:0");
            }
            request
        }
    }
}

/// `n` trust-decision requests, from `seed`.
pub fn trust_cases(seed: u64, n: usize) -> Vec<Value> {
    let mut rng = Rng::new(seed);
    (0..n).map(|_| trust_case(&mut rng)).collect()
}
