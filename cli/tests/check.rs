//! `vouch check` on real layouts made in temporary directories from containers/image's own
//! signature fixtures: `dir:` images as `skopeo copy` writes them (manifest.json, signature-N,
//! simple signing and sigstore), OCI layouts, the default policy, path resolution, and the
//! errors. With `--output json` the answer must be byte for byte what `vouch::json` answers for
//! the equivalent request.

mod common;

use std::path::{Path, PathBuf};

use base64ct::{Base64, Encoding as _};
use common::{TempDir, vouch_in};
use serde_json::{Value, json};
use vouch::Signature;
use vouch::json::evaluate_line;

const NOW: &str = "2026-09-21T00:00:00Z";

fn fixtures() -> PathBuf {
    vouch_conformance::shared_dir().join("vectors/containers-image/signature-fixtures")
}

fn fixture(relative: &str) -> Vec<u8> {
    std::fs::read(fixtures().join(relative)).expect("fixture")
}

fn write(path: &str, bytes: &[u8]) {
    let path = Path::new(path);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, bytes).expect("write");
}

fn b64(bytes: &[u8]) -> String {
    Base64::encode_string(bytes)
}

/// The request `vouch check` stands for, decided by the library.
fn library_answer(
    policy: &[u8],
    files: &[&str],
    transport: &str,
    reference: &str,
    manifest: &[u8],
    stored_signatures: &[Vec<u8>],
) -> String {
    let files: serde_json::Map<String, Value> = files
        .iter()
        .map(|path| {
            (
                path.to_string(),
                json!(b64(&std::fs::read(path).expect("file"))),
            )
        })
        .collect();
    let signatures: Vec<Value> = stored_signatures
        .iter()
        .map(
            |blob| match Signature::from_stored(blob).expect("stored signature") {
                Signature::Simple { blob } => json!({"kind": "simple", "blob": b64(&blob)}),
                Signature::Sigstore {
                    mime,
                    payload,
                    annotations,
                } => json!({"kind": "sigstore", "mime": mime, "payload": b64(&payload),
                        "annotations": annotations}),
                other => panic!("unexpected signature {other:?}"),
            },
        )
        .collect();
    let request = json!({
        "policy_base64": b64(policy),
        "files": files,
        "transport": transport,
        "reference": reference,
        "manifest": b64(manifest),
        "signatures": signatures,
        "now": NOW,
    });
    evaluate_line(request.to_string().as_bytes())
}

/// A temporary tree: keys, `dir:` images under real/ (reached through the symbolic link
/// link/), an OCI layout, and a policy naming them by their resolved paths.
struct Tree {
    dir: TempDir,
}

impl Tree {
    fn new(name: &str) -> Self {
        let dir = TempDir::new(name);
        let root = dir.path().to_string_lossy().into_owned();
        write(&dir.join("keys/public-key.gpg"), &fixture("public-key.gpg"));
        write(&dir.join("keys/cosign.pub"), &fixture("cosign.pub"));
        let simple_manifest = fixture("dir-img-valid/manifest.json");
        write(&dir.join("real/simple/manifest.json"), &simple_manifest);
        write(
            &dir.join("real/simple/signature-1"),
            &fixture("dir-img-valid/signature-1"),
        );
        write(
            &dir.join("real/cosign/manifest.json"),
            &fixture("dir-img-cosign-valid/manifest.json"),
        );
        write(
            &dir.join("real/cosign/signature-1"),
            &fixture("dir-img-cosign-valid/signature-1"),
        );
        // A sigstore signature (of another manifest) first, then the valid simple signature.
        write(&dir.join("real/mixed/manifest.json"), &simple_manifest);
        write(
            &dir.join("real/mixed/signature-1"),
            &fixture("dir-img-cosign-valid/signature-1"),
        );
        write(
            &dir.join("real/mixed/signature-2"),
            &fixture("dir-img-valid/signature-1"),
        );
        write(&dir.join("real/unsigned/manifest.json"), &simple_manifest);
        write(&dir.join("real/other/manifest.json"), &simple_manifest);
        write(
            &dir.join("real/other/signature-1"),
            &fixture("dir-img-valid/signature-1"),
        );
        std::os::unix::fs::symlink(dir.path().join("real"), dir.path().join("link"))
            .expect("symlink");
        let signed_by = json!([{"type": "signedBy", "keyType": "GPGKeys",
            "keyPath": format!("{root}/keys/public-key.gpg"),
            "signedIdentity": {"type": "exactReference", "dockerReference": "testing/manifest:latest"}}]);
        let policy = json!({
            "default": [{"type": "reject"}],
            "transports": {
                "dir": {
                    format!("{root}/real/simple"): signed_by,
                    format!("{root}/real/mixed"): signed_by,
                    format!("{root}/real/unsigned"): signed_by,
                    format!("{root}/real/cosign"): [{"type": "sigstoreSigned",
                        "keyPath": format!("{root}/keys/cosign.pub"),
                        "signedIdentity": {"type": "exactRepository",
                            "dockerRepository": "192.168.64.2:5000/cosign-signed-single-sample"}}],
                    format!("{root}/real"): [{"type": "signedBy", "keyType": "GPGKeys",
                        "keyPath": format!("{root}/keys/missing.gpg")}],
                },
                "oci": {
                    format!("{root}/layout"): [{"type": "insecureAcceptAnything"}],
                },
                "docker": {
                    "docker.io/testing/manifest": [{"type": "signedBy", "keyType": "GPGKeys",
                        "keyPath": format!("{root}/keys/public-key.gpg")}],
                },
            },
        });
        write(&dir.join("policy.json"), policy.to_string().as_bytes());
        Self { dir }
    }

    fn root(&self) -> String {
        self.dir.path().to_string_lossy().into_owned()
    }

    /// `vouch ARGS` in the tree, with its policy unless `--policy` is among the arguments.
    fn run(&self, args: &[&str]) -> (i32, String, String) {
        let mut all: Vec<&str> = args.to_vec();
        if !args.contains(&"--policy") {
            all.extend(["--policy", "policy.json"]);
        }
        let (status, out, err) = vouch_in(self.dir.path(), &[], &all, b"");
        (status, String::from_utf8(out).expect("utf-8"), err)
    }

    fn policy(&self) -> Vec<u8> {
        std::fs::read(self.dir.join("policy.json")).expect("policy")
    }
}

#[test]
#[cfg_attr(vouch_no_shared, ignore = "needs ../shared/vectors: set VOUCH_SHARED")]
fn dir_images_are_read_as_skopeo_writes_them() {
    let tree = Tree::new("dir");
    let root = tree.root();

    let (status, out, err) = tree.run(&["check", "dir:link/simple", "--now", NOW]);
    assert_eq!(status, 0, "{out}{err}");
    assert!(out.starts_with("ALLOWED: dir:link/simple\n"), "{out}");
    assert!(
        out.contains(&format!("  resolved: dir:{root}/real/simple\n")),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "policy entry: transports.dir[\"{root}/real/simple\"]"
        )),
        "{out}"
    );
    assert!(
        out.contains("manifest: link/simple/manifest.json (sha256:20bf21ed"),
        "{out}"
    );
    assert!(
        out.contains("signatures: 1 (link/simple/signature-1)"),
        "{out}"
    );
    assert!(out.contains("signature 1 (simple): accepted"), "{out}");

    // Sigstore signatures stored by the dir: transport (`\0sigstore-json\n` + JSON); `..` is
    // cleaned before the link is resolved, as filepath.Abs does.
    let (status, out, err) = tree.run(&["check", "dir:link/cosign/../cosign", "--now", NOW]);
    assert_eq!(status, 0, "{out}{err}");
    assert!(
        out.contains(&format!("resolved: dir:{root}/real/cosign\n")),
        "{out}"
    );
    assert!(out.contains("signature 1 (sigstore): accepted"), "{out}");

    // Both kinds in one directory: signedBy reads the simple signature and skips the other.
    let (status, out, err) = tree.run(&["check", "dir:real/mixed", "--now", NOW]);
    assert_eq!(status, 0, "{out}{err}");
    assert!(
        out.contains("signatures: 2 (real/mixed/signature-1 to signature-2)"),
        "{out}"
    );

    let (status, out, err) = tree.run(&["check", "dir:real/unsigned", "--now", NOW]);
    assert_eq!(status, 3, "{out}{err}");
    assert!(
        out.contains("why: a signature is required, but the image has none"),
        "{out}"
    );
    assert!(
        out.contains("signatures: none (real/unsigned/signature-1 does not exist)"),
        "{out}"
    );

    // A key file the policy names that does not exist is passed as absent: the core rejects the
    // signature as containers/image does, the command does not fail.
    let (status, out, err) = tree.run(&["check", "dir:real/other", "--now", NOW]);
    assert_eq!(status, 3, "{out}{err}");
    assert!(out.contains("missing.gpg"), "{out}");
    assert!(out.contains("does not exist"), "{out}");

    // The older spelling gives the same decision.
    let (status, old, err) = tree.run(&[
        "check",
        "--transport",
        "dir",
        "--image",
        "link/simple",
        "--now",
        NOW,
    ]);
    assert_eq!(status, 0, "{old}{err}");
    assert!(old.starts_with("ALLOWED: dir:link/simple\n"), "{old}");
}

#[test]
#[cfg_attr(vouch_no_shared, ignore = "needs ../shared/vectors: set VOUCH_SHARED")]
fn json_output_is_the_library_answer_to_the_equivalent_request() {
    let tree = Tree::new("json");
    let root = tree.root();
    let key = format!("{root}/keys/public-key.gpg");
    let cosign_key = format!("{root}/keys/cosign.pub");
    let files = [key.as_str(), cosign_key.as_str()];
    let stored = |image: &str, n: usize| -> Vec<Vec<u8>> {
        (1..=n)
            .map(|i| std::fs::read(tree.dir.join(&format!("real/{image}/signature-{i}"))).unwrap())
            .collect()
    };
    let manifest =
        |image: &str| std::fs::read(tree.dir.join(&format!("real/{image}/manifest.json"))).unwrap();
    for (image, signatures) in [
        ("simple", 1),
        ("cosign", 1),
        ("mixed", 2),
        ("unsigned", 0),
        ("other", 1),
    ] {
        let (status, out, err) = tree.run(&[
            "check",
            &format!("dir:link/{image}"),
            "--now",
            NOW,
            "--output",
            "json",
        ]);
        let expected = library_answer(
            &tree.policy(),
            &files,
            "dir",
            &format!("{root}/real/{image}"),
            &manifest(image),
            &stored(image, signatures),
        );
        assert_eq!(out, format!("{expected}\n"), "dir:{image} {err}");
        let allowed = expected.starts_with(r#"{"allowed":true"#);
        assert_eq!(status, if allowed { 0 } else { 3 }, "dir:{image}");
    }

    // docker:// with the evidence given by flags (a registry is never contacted).
    let (status, out, err) = tree.run(&[
        "check",
        "docker://testing/manifest:latest",
        "--manifest",
        "real/simple/manifest.json",
        "--signatures",
        "real/simple",
        "--now",
        NOW,
        "-o",
        "json",
    ]);
    let expected = library_answer(
        &tree.policy(),
        &files,
        "docker",
        "//testing/manifest:latest",
        &manifest("simple"),
        &stored("simple", 1),
    );
    assert_eq!(out, format!("{expected}\n"), "{err}");
    assert_eq!(status, 0, "{out}");

    // An invalid reference and an invalid policy are answered as the library answers them.
    let (status, out, _) = tree.run(&["check", "docker://Foo", "-o", "json", "--now", NOW]);
    let expected = library_answer(&tree.policy(), &files, "docker", "//Foo", b"", &[]);
    assert_eq!((status, out), (3, format!("{expected}\n")));
    write(&tree.dir.join("bad.json"), br#"{"default": []}"#);
    let (status, out, _) = tree.run(&[
        "check",
        "docker://busybox",
        "--policy",
        "bad.json",
        "-o",
        "json",
        "--now",
        NOW,
    ]);
    let expected = library_answer(br#"{"default": []}"#, &[], "docker", "//busybox", b"", &[]);
    assert_eq!((status, out), (3, format!("{expected}\n")));
}

#[test]
#[cfg_attr(vouch_no_shared, ignore = "needs ../shared/vectors: set VOUCH_SHARED")]
fn flags_override_the_evidence_of_any_transport() {
    let tree = Tree::new("override");
    // The unsigned image with the signatures of another copy of the same manifest.
    let (status, out, err) = tree.run(&[
        "check",
        "dir:real/unsigned",
        "--signatures",
        "real/simple",
        "--now",
        NOW,
    ]);
    assert_eq!(status, 0, "{out}{err}");
    assert!(!out.contains("signatures: none"), "{out}");
    // Another manifest: the signature no longer matches it.
    let (status, out, err) = tree.run(&[
        "check",
        "dir:real/simple",
        "--manifest",
        "real/cosign/manifest.json",
        "--now",
        NOW,
    ]);
    assert_eq!(status, 3, "{out}{err}");
    assert!(out.contains("signature 1 (simple): rejected"), "{out}");
}

/// An OCI image layout: index.json, blobs/sha256/<hex>.
fn oci_layout(tree: &Tree) -> (Vec<u8>, Vec<u8>) {
    let root = tree.root();
    let one = fixture("dir-img-valid/manifest.json");
    let two = br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}"#;
    let hex = |bytes: &[u8]| {
        let digest = vouch::manifest::manifest_digest(bytes)
            .expect("digest")
            .to_string();
        digest["sha256:".len()..].to_string()
    };
    let (h1, h2) = (hex(&one), hex(two));
    write(&format!("{root}/layout/blobs/sha256/{h1}"), &one);
    write(&format!("{root}/layout/blobs/sha256/{h2}"), two);
    // A blob whose content is not what its name says.
    let forged = "1".repeat(64);
    write(&format!("{root}/layout/blobs/sha256/{forged}"), two);
    let manifest = |hex: &str, media: &str, name: &str| {
        json!({"mediaType": media, "digest": format!("sha256:{hex}"), "size": 1,
               "annotations": {"org.opencontainers.image.ref.name": name}})
    };
    let oci = "application/vnd.oci.image.manifest.v1+json";
    let index = json!({"schemaVersion": 2, "manifests": [
        manifest(&h1, oci, "v1"),
        manifest(&h2, oci, "v2"),
        manifest(&forged, oci, "forged"),
        manifest(&h1, "application/vnd.docker.distribution.manifest.v2+json", "docker"),
        manifest(&"2".repeat(64), oci, "gone"),
    ]});
    write(
        &format!("{root}/layout/index.json"),
        index.to_string().as_bytes(),
    );
    write(&format!("{root}/single/blobs/sha256/{h2}"), two);
    let single = json!({"schemaVersion": 2, "manifests": [
        {"mediaType": oci, "digest": format!("sha256:{h2}"), "size": 1}]});
    write(
        &format!("{root}/single/index.json"),
        single.to_string().as_bytes(),
    );
    (one, two.to_vec())
}

#[test]
#[cfg_attr(vouch_no_shared, ignore = "needs ../shared/vectors: set VOUCH_SHARED")]
fn oci_layouts_are_read_as_the_layout_transport_reads_them() {
    let tree = Tree::new("oci");
    let root = tree.root();
    let (one, two) = oci_layout(&tree);

    let (status, out, err) = tree.run(&["check", "oci:link/../layout:v1", "--now", NOW]);
    assert_eq!(status, 0, "{out}{err}");
    assert!(
        out.contains(&format!("resolved: oci:{root}/layout:v1\n")),
        "{out}"
    );
    assert!(out.contains("(index.json manifests[0], sha256:"), "{out}");
    assert!(
        out.contains("signatures: none (the oci: transport stores no signatures)"),
        "{out}"
    );

    for (reference, manifest) in [
        ("layout:v1", &one),
        ("layout:v2", &two),
        ("layout:@1", &two),
    ] {
        let (status, out, err) = tree.run(&[
            "check",
            &format!("oci:{reference}"),
            "--now",
            NOW,
            "-o",
            "json",
        ]);
        let key = format!("{root}/keys/public-key.gpg");
        let cosign_key = format!("{root}/keys/cosign.pub");
        let expected = library_answer(
            &tree.policy(),
            &[key.as_str(), cosign_key.as_str()],
            "oci",
            &format!("{root}/{reference}"),
            manifest,
            &[],
        );
        assert_eq!(
            (status, out),
            (0, format!("{expected}\n")),
            "{reference} {err}"
        );
    }

    // The only manifest when no name is given.
    let (status, out, err) = tree.run(&["check", "oci:single", "--now", NOW]);
    assert_eq!(status, 3, "{out}{err}"); // the default scope rejects
    assert!(out.contains("manifests[0]"), "{out}");

    for (reference, message) in [
        ("layout", "more than one image in oci, choose an image"),
        (
            "layout:@5",
            "index 5 is too large, only 5 entries available",
        ),
        ("layout:nope", "no descriptor found for reference \"nope\""),
        (
            "layout:docker",
            "matches unsupported manifest MIME types [\"application/vnd.docker",
        ),
        ("layout:forged", "does not match its digest"),
        ("layout:gone", "does not exist"),
        ("nowhere", "the OCI index nowhere/index.json does not exist"),
    ] {
        let (status, out, err) = tree.run(&["check", &format!("oci:{reference}")]);
        assert_eq!(status, 1, "oci:{reference}: {out}{err}");
        assert!(err.contains(message), "oci:{reference}: {err}");
    }
    // A name the OCI grammar refuses is the core's to reject.
    let (status, out, _) = tree.run(&["check", "oci:layout:-bad"]);
    assert_eq!(status, 3, "{out}");
    assert!(out.contains("is not a valid reference"), "{out}");
}

#[test]
#[cfg_attr(vouch_no_shared, ignore = "needs ../shared/vectors: set VOUCH_SHARED")]
fn unreadable_inputs_fail_with_the_os_error() {
    let tree = Tree::new("unreadable");
    let root = tree.root();
    // A directory where a signature should be.
    std::fs::create_dir_all(tree.dir.join("real/simple/signature-2")).unwrap();
    let (status, out, err) = tree.run(&["check", "dir:real/simple"]);
    assert_eq!(status, 1, "{out}");
    assert!(
        err.contains("the signature real/simple/signature-2 is unreadable: Is a directory"),
        "{err}"
    );
    // A signature that is not one.
    std::fs::remove_dir(tree.dir.join("real/simple/signature-2")).unwrap();
    write(&tree.dir.join("real/simple/signature-2"), b"garbage");
    let (status, _, err) = tree.run(&["check", "dir:real/simple"]);
    assert_eq!(status, 1);
    assert!(
        err.contains("parsing signature \"real/simple/signature-2\""),
        "{err}"
    );
    // The policy itself.
    let (status, _, err) = tree.run(&["check", "dir:real/other", "--policy", "real"]);
    assert_eq!(status, 1);
    assert!(err.contains("the policy real is unreadable"), "{err}");
    let (status, _, err) = tree.run(&["check", "dir:real/other", "--policy", "none.json"]);
    assert_eq!(status, 1);
    assert!(err.contains("the policy none.json does not exist"), "{err}");
    // A dir: image without a manifest, and a path that cannot be resolved.
    let (status, _, err) = tree.run(&["check", "dir:real"]);
    assert_eq!(status, 1);
    assert!(
        err.contains("the manifest real/manifest.json does not exist"),
        "{err}"
    );
    let (status, _, err) = tree.run(&["check", "dir:no/such/dir"]);
    assert_eq!(status, 1);
    assert!(
        err.contains("cannot resolve the path \"no/such/dir\""),
        "{err}"
    );
    // A key file that is a directory is not "missing": the image is refused, as
    // containers/image refuses it when it cannot read the key, and the reason says so.
    let (status, out, _) = tree.run(&["check", "dir:real/other"]);
    assert_eq!(status, 3, "{out}");
    assert!(out.contains("does not exist"), "{out}");
    std::fs::create_dir_all(tree.dir.join("keys/missing.gpg")).unwrap();
    let (status, out, err) = tree.run(&["check", "dir:real/other"]);
    assert_eq!(status, 3, "{out}{err}");
    assert!(
        out.contains(&format!(
            "key file \"{root}/keys/missing.gpg\" named by the policy cannot be read: is a directory"
        )),
        "{out}"
    );
    let (_, json, _) = tree.run(&["check", "dir:real/other", "--output", "json"]);
    assert!(json.contains("\"key_file_unreadable\""), "{json}");
}

#[test]
fn the_default_policy_is_chosen_as_containers_image_chooses_it() {
    let tree = TempDir::new("default");
    write(
        &tree.join("policy.json"),
        br#"{"default": [{"type": "reject"}]}"#,
    );
    let home = tree.join("home");
    let user_policy = format!("{home}/.config/containers/policy.json");
    write(
        &user_policy,
        br#"{"default": [{"type": "insecureAcceptAnything"}]}"#,
    );
    let (status, out, err) = vouch_in(
        tree.path(),
        &[("HOME", home.as_str())],
        &["check", "docker://busybox"],
        b"",
    );
    let out = String::from_utf8(out).unwrap();
    assert_eq!(status, 0, "{out}{err}");
    assert!(
        out.contains(&format!("  policy file: {user_policy} (the user's policy")),
        "{out}"
    );
    assert!(out.contains(&format!("(in {user_policy})")), "{out}");

    // --policy overrides, and then no policy-file line is written.
    let (status, out, _) = vouch_in(
        tree.path(),
        &[("HOME", home.as_str())],
        &["check", "docker://busybox", "--policy", "policy.json"],
        b"",
    );
    let out = String::from_utf8(out).unwrap();
    assert_eq!(status, 3, "{out}");
    assert!(!out.contains("policy file:"), "{out}");

    // No user policy: the system one, if this machine has it, else a failure naming both.
    let empty = tree.join("empty-home");
    std::fs::create_dir_all(&empty).unwrap();
    let (status, out, err) = vouch_in(
        tree.path(),
        &[("HOME", empty.as_str())],
        &["check", "docker://busybox"],
        b"",
    );
    let out = String::from_utf8(out).unwrap();
    if Path::new("/etc/containers/policy.json").exists() {
        assert!(status == 0 || status == 3, "{out}{err}");
        assert!(
            out.contains(&format!(
                "  policy file: /etc/containers/policy.json (the system policy: {empty}/.config/containers/policy.json does not exist"
            )),
            "{out}"
        );
    } else {
        assert_eq!(status, 1, "{out}");
        assert!(
            err.contains("no policy.json file found at any of the following"),
            "{err}"
        );
    }
}

#[test]
fn usage_errors_exit_two() {
    let dir = TempDir::new("usage");
    write(
        &dir.join("policy.json"),
        br#"{"default": [{"type": "insecureAcceptAnything"}]}"#,
    );
    let run = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--policy", "policy.json"]);
        let (status, out, err) = vouch_in(dir.path(), &[], &all, b"");
        (status, String::from_utf8(out).expect("utf-8"), err)
    };
    for args in [
        &["check", "docker:busybox"][..],
        &["check", "busybox"],
        &["check"],
        &[
            "check",
            "docker://a",
            "--transport",
            "docker",
            "--image",
            "a",
        ],
        &["check", "--transport", "docker"],
        &["check", "--image", "busybox"],
        &["check", "docker://a", "--now", "yesterday"],
        &["check", "docker://a", "--output", "yaml"],
        &["check", "docker://a", "--bogus"],
    ] {
        let (status, out, err) = run(args);
        assert_eq!(status, 2, "{args:?}: {out}{err}");
        assert!(out.is_empty(), "{args:?}: {out}");
        assert!(err.starts_with("error: "), "{args:?}: {err}");
    }
    let (_, _, err) = run(&["check", "docker:busybox"]);
    assert!(err.contains("does not start with //"), "{err}");
    // Unknown transports are refused as containers/image refuses them.
    let (status, out, _) = run(&["check", "atomic:foo"]);
    assert_eq!(status, 3, "{out}");
    assert!(out.contains("unknown transport \"atomic\""), "{out}");
}
