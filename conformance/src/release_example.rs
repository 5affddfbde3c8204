//! The worked example of docs/kubernetes-release.md: trust material and images shaped exactly
//! like the Kubernetes project's keyless release signatures on registry.k8s.io, made with a
//! stand-in Fulcio (root and intermediate named and built as sigstore's public-good ones:
//! P-384, the intermediate limited to code signing with a path length of 0) and a stand-in
//! Rekor log, since the real ones cannot sign for us:
//!
//! * the leaf as Fulcio issues it for the release identity: no subject, the e-mail SAN
//!   `krel-trust@k8s-releng-prod.iam.gserviceaccount.com`, both OIDC issuer extensions
//!   naming `https://accounts.google.com`, code signing only, a P-256 key, valid ten minutes;
//! * the signature as cosign writes it: the simple-signing payload naming the repository, the
//!   certificate, the chain (intermediate then root) and the Rekor bundle (a hashedrekord entry
//!   holding the signature and the certificate), in containers/image's `dir:` signature
//!   format (`\0sigstore-json\n{…}`), so `vouch check --signatures` reads it as skopeo stores
//!   it;
//! * the manifest: a multi-platform OCI index, which is what the release signs.
//!
//! Written by `cargo run -p vouch-conformance --bin release-example -- DIR`; the files in
//! docs/examples/k8s-release were made so, and cli/tests/release_example.rs decides them with
//! `vouch check` exactly as the document shows.

use std::path::Path;

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, PKCS_ECDSA_P256_SHA256, PKCS_ECDSA_P384_SHA384, PublicKeyData as _,
};
use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

use crate::evaluations::b64;
use crate::keyless_cases::{Authority, authority, bundle, fulcio_leaf, pem, request, sign};
use crate::sigstore_cases::Case;
use crate::sigstore_cases::hex;

/// The identity the Kubernetes release process signs with.
pub const RELEASE_EMAIL: &str = "krel-trust@k8s-releng-prod.iam.gserviceaccount.com";
/// The OIDC issuer of that identity.
pub const RELEASE_ISSUER: &str = "https://accounts.google.com";

/// When the release images were signed (2025-08-27T12:00:00Z).
const SIGNED_AT: i64 = 1_756_296_000;

fn named(p: &mut CertificateParams, cn: &str) {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::OrganizationName, "sigstore.dev");
    dn.push(DnType::CommonName, cn);
    p.distinguished_name = dn;
}

/// A Fulcio leaf for `email` (issued by `issuer`), valid ten minutes from `at`.
fn leaf(fulcio: &Authority, email: &str, issuer: &str, at: i64) -> (String, KeyPair) {
    fulcio_leaf(fulcio, email, issuer, (at, at + 600))
}

/// A multi-platform OCI index for `name`, as the release publishes one per image.
fn index(name: &str) -> Vec<u8> {
    let manifests: Vec<Value> = ["amd64", "arm64", "ppc64le", "s390x"]
        .iter()
        .map(|arch| {
            json!({
                "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "digest": format!("sha256:{}", hex(&Sha256::digest(format!("{name} {arch}")))),
                "size": 1_050,
                "platform": {"architecture": arch, "os": "linux"},
            })
        })
        .collect();
    let index = json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": manifests,
    });
    let mut out = serde_json::to_vec_pretty(&index).expect("JSON");
    out.push(b'\n');
    out
}

/// A cosign signature of `manifest` for `repository` by `leaf`, with its Rekor bundle
/// (logged `logged_after` seconds after `at`), in containers/image's stored form; and the
/// bundle annotation alone.
#[allow(clippy::too_many_arguments)]
fn signature(
    fulcio: &Authority,
    root: &Authority,
    log: &KeyPair,
    (cert_pem, key): &(String, KeyPair),
    repository: &str,
    manifest: &[u8],
    at: i64,
    log_index: usize,
) -> (Vec<u8>, String) {
    let payload = format!(
        r#"{{"critical":{{"identity":{{"docker-reference":"{repository}"}},"image":{{"docker-manifest-digest":"sha256:{}"}},"type":"cosign container image signature"}},"optional":null}}"#,
        hex(&Sha256::digest(manifest))
    )
    .into_bytes();
    let signed = sign(key, &payload);
    let set = bundle(log, cert_pem, &signed, &payload, at + 2, log_index);
    (stored(&payload, &signed, cert_pem, fulcio, root, &set), set)
}

fn stored(
    payload: &[u8],
    signed: &[u8],
    cert_pem: &str,
    fulcio: &Authority,
    root: &Authority,
    set: &str,
) -> Vec<u8> {
    let body = json!({
        "mimeType": "application/vnd.dev.cosign.simplesigning.v1+json",
        "payload": b64(payload),
        "annotations": {
            "dev.cosignproject.cosign/signature": b64(signed),
            "dev.sigstore.cosign/certificate": cert_pem,
            "dev.sigstore.cosign/chain": format!("{}{}", fulcio.pem, root.pem),
            "dev.sigstore.cosign/bundle": set,
        },
    });
    let mut out = b"\0sigstore-json\n".to_vec();
    out.extend_from_slice(&serde_json::to_vec(&body).expect("JSON"));
    out
}

fn write(dir: &Path, relative: &str, bytes: &[u8]) {
    let path = dir.join(relative);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// Writes the example into `dir`: `fulcio_v1.crt.pem`, `rekor.pub`, `policy.json`, and four
/// images, each a `manifest.json` and a `signatures/` directory:
///
/// * `kube-apiserver-v1.34.0`: signed by the release identity — allowed;
/// * `impostor`: the same image signed keyless by another identity — refused;
/// * `moved-proof`: a signature by the release identity's key whose Rekor bundle is the one
///   logged for another image's signature — refused;
/// * `unsigned`: no signature — refused.
///
/// # Panics
/// When a file cannot be written.
pub fn write_release_example(dir: &Path) {
    // Validity as the public-good instance's: the root from 2021-10-07 to 2031-10-05, the
    // intermediate from 2022-04-13.
    let (root_from, root_to, inter_from) = (1_633_615_019, 2_264_680_618, 1_649_880_375);
    let root = authority(
        "sigstore",
        &PKCS_ECDSA_P384_SHA384,
        (root_from, root_to),
        |p| named(p, "sigstore"),
        None,
    );
    let fulcio = authority(
        "sigstore-intermediate",
        &PKCS_ECDSA_P384_SHA384,
        (inter_from, root_to),
        |p| {
            named(p, "sigstore-intermediate");
            p.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
            p.extended_key_usages = vec![ExtendedKeyUsagePurpose::CodeSigning];
        },
        Some(&root),
    );
    let log = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256).expect("log key");
    write(dir, "fulcio_v1.crt.pem", root.pem.as_bytes());
    write(
        dir,
        "rekor.pub",
        pem("PUBLIC KEY", &log.subject_public_key_info()).as_bytes(),
    );
    write(dir, "policy.json", policy(dir).as_bytes());

    let repository = "registry.k8s.io/kube-apiserver";
    let release = index("kube-apiserver v1.34.0");
    let krel = leaf(&fulcio, RELEASE_EMAIL, RELEASE_ISSUER, SIGNED_AT);
    let (signed, apiserver_set) = signature(
        &fulcio,
        &root,
        &log,
        &krel,
        repository,
        &release,
        SIGNED_AT,
        411_536_981,
    );
    write(dir, "kube-apiserver-v1.34.0/manifest.json", &release);
    write(
        dir,
        "kube-apiserver-v1.34.0/signatures/signature-1",
        &signed,
    );

    // Another Google identity's keyless signature of the very same image, logged in the
    // same Rekor: the issuer matches, the identity does not.
    let impostor = leaf(
        &fulcio,
        "release-bot@example-builds.iam.gserviceaccount.com",
        RELEASE_ISSUER,
        SIGNED_AT + 3_600,
    );
    let (forged, _) = signature(
        &fulcio,
        &root,
        &log,
        &impostor,
        repository,
        &release,
        SIGNED_AT + 3_600,
        411_602_117,
    );
    write(dir, "impostor/manifest.json", &release);
    write(dir, "impostor/signatures/signature-1", &forged);

    // A second image signed with the release identity's certificate, but presented with the
    // Rekor bundle logged for the kube-apiserver signature.
    let other = index("kube-apiserver v1.34.0-rebuilt");
    let payload = format!(
        r#"{{"critical":{{"identity":{{"docker-reference":"{repository}"}},"image":{{"docker-manifest-digest":"sha256:{}"}},"type":"cosign container image signature"}},"optional":null}}"#,
        hex(&Sha256::digest(&other))
    )
    .into_bytes();
    let moved = stored(
        &payload,
        &sign(&krel.1, &payload),
        &krel.0,
        &fulcio,
        &root,
        &apiserver_set,
    );
    write(dir, "moved-proof/manifest.json", &other);
    write(dir, "moved-proof/signatures/signature-1", &moved);

    write(
        dir,
        "unsigned/manifest.json",
        &index("kube-apiserver unsigned"),
    );
}

/// The policy: registry.k8s.io only with the release identity's keyless signature, logged in
/// Rekor; anything else refused. Paths relative to the repository, where `vouch check` runs.
fn policy(dir: &Path) -> String {
    let at = |file: &str| dir.join(file).display().to_string();
    let policy = json!({
        "default": [{"type": "reject"}],
        "transports": {
            "docker": {
                "registry.k8s.io": [{
                    "type": "sigstoreSigned",
                    "fulcio": {
                        "caPath": at("fulcio_v1.crt.pem"),
                        "oidcIssuer": RELEASE_ISSUER,
                        "subjectEmail": RELEASE_EMAIL,
                    },
                    "rekorPublicKeyPath": at("rekor.pub"),
                    "signedIdentity": {"type": "matchRepository"},
                }],
            },
        },
    });
    let mut out = serde_json::to_string_pretty(&policy).expect("JSON");
    out.push('\n');
    out
}

/// The decisions of the document as differential cases (the committed material in `dir`,
/// relative to the repository root): each image as `registry.k8s.io/kube-apiserver:v1.34.0`,
/// and the released one as `docker.io/library/nginx:1.29`.
///
/// # Panics
/// When the material cannot be read.
#[must_use]
pub fn release_example_cases(root: &Path, dir: &str) -> Vec<Case> {
    let read = |relative: &str| {
        let path = root.join(dir).join(relative);
        std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    };
    let policy: Value = serde_json::from_slice(&read("policy.json")).expect("policy");
    let mut files = serde_json::Map::new();
    for file in ["fulcio_v1.crt.pem", "rekor.pub"] {
        files.insert(format!("{dir}/{file}"), json!(b64(&read(file))));
    }
    let images = [
        (
            "kube-apiserver-v1.34.0",
            "registry.k8s.io/kube-apiserver:v1.34.0",
        ),
        ("impostor", "registry.k8s.io/kube-apiserver:v1.34.0"),
        ("moved-proof", "registry.k8s.io/kube-apiserver:v1.34.0"),
        ("unsigned", "registry.k8s.io/kube-apiserver:v1.34.0"),
        ("kube-apiserver-v1.34.0", "docker.io/library/nginx:1.29"),
    ];
    images
        .iter()
        .map(|(image, reference)| {
            let manifest = read(&format!("{image}/manifest.json"));
            let signature = root.join(dir).join(image).join("signatures/signature-1");
            let (mut vouch, mut oracle) = match std::fs::read(&signature) {
                Ok(stored) => {
                    let body = stored
                        .strip_prefix(b"\0sigstore-json\n".as_slice())
                        .expect("a stored sigstore signature");
                    let body: Value = serde_json::from_slice(body).expect("JSON");
                    let attachment = json!({"kind": "sigstore", "mime": body["mimeType"],
                                            "payload": body["payload"],
                                            "annotations": body["annotations"]});
                    request(&policy, &files, reference, &manifest, attachment, None)
                }
                Err(_) => request(&policy, &files, reference, &manifest, json!(null), None),
            };
            for request in [&mut vouch, &mut oracle] {
                if request["signatures"][0].is_null() {
                    request["signatures"] = json!([]);
                }
            }
            Case {
                label: format!("release-example {image} as {reference}"),
                vouch,
                oracle,
            }
        })
        .collect()
}
