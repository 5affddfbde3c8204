//! The kubelet's own KEP-2535 test data (../shared/vectors/kubernetes-kep2535): its record and
//! intent files, read as each release reads them, named as it names them and written back
//! unchanged in meaning; and its verification-policy tables.
//!
//! The policy table's allowlist rows query `test.io/test/test-image:tag`, a tagged image, as the
//! 1.36 test does: they hold from 1.36, where the allowlist matches the image without its tag.
//! Before 1.36 the kubelet matches the image as written, so its exact rows do not match there;
//! this test checks both, so a change in either rule fails it.

use vouch::node::{
    CredentialPolicy, KubernetesVersion, PullIntent, PulledRecord, RecordError, VerificationPolicy,
    record_file_name,
};
use vouch_conformance::{shared_dir, vector_json};

const FOLDER: &str = "kubernetes-kep2535";

fn read(file: &str) -> Vec<u8> {
    std::fs::read(shared_dir().join("vectors").join(FOLDER).join(file)).expect("vector file")
}

#[test]
#[cfg_attr(vouch_no_shared, ignore = "needs ../shared/vectors: set VOUCH_SHARED")]
fn record_files_read_as_the_kubelet_reads_them() {
    let cases = vector_json(&format!("{FOLDER}/cases.json"));
    let (mut pulled, mut intents, mut refused) = (0, 0, 0);
    for case in cases["records"].as_array().expect("records") {
        let file = case["file"].as_str().expect("file");
        let bytes = read(file);
        let name = file.rsplit('/').next().expect("name");
        let text = String::from_utf8_lossy(&bytes);
        let beta = text.contains("kubelet.config.k8s.io/v1beta1");
        for version in KubernetesVersion::ALL {
            let readable_version = !beta || version >= KubernetesVersion::V1_35;
            if file.contains("/pulled/") {
                let decoded = PulledRecord::decode(&bytes, version);
                if case["valid_json"] == false {
                    assert!(
                        matches!(decoded, Err(RecordError::Syntax { .. })),
                        "{file}: {decoded:?}"
                    );
                    refused += 1;
                    continue;
                }
                if text.contains("kubernetesSecretCoordinates") {
                    // The early alpha's field name: the strict decoder refuses it.
                    assert!(
                        matches!(&decoded, Err(RecordError::UnknownField(f)) if f == "kubernetesSecretCoordinates")
                            || !readable_version,
                        "{file}: {decoded:?}"
                    );
                    refused += 1;
                    continue;
                }
                let sa = text.contains("kubernetesServiceAccounts");
                if !readable_version || (sa && version == KubernetesVersion::V1_33) {
                    assert!(decoded.is_err(), "{file} in {version}: {decoded:?}");
                    refused += 1;
                    continue;
                }
                let record = decoded.unwrap_or_else(|e| panic!("{file} in {version}: {e}"));
                assert_eq!(
                    record.image_ref,
                    case["key"].as_str().expect("key"),
                    "{file}"
                );
                assert_eq!(record_file_name(&record.image_ref), name, "{file}");
                // Written back and read again, nothing changes.
                let again = PulledRecord::decode(&record.encode(version), version).expect("reread");
                assert_eq!(
                    PulledRecord {
                        last_updated_nanos: 0,
                        ..record.clone()
                    },
                    again,
                    "{file}"
                );
                pulled += 1;
            } else if file.contains("/pulling/") {
                let decoded = PullIntent::decode(&bytes, version);
                if !readable_version {
                    assert!(decoded.is_err(), "{file} in {version}");
                    refused += 1;
                    continue;
                }
                let intent = decoded.unwrap_or_else(|e| panic!("{file} in {version}: {e}"));
                assert_eq!(intent.image, case["key"].as_str().expect("key"));
                assert_eq!(record_file_name(&intent.image), name, "{file}");
                assert_eq!(
                    PullIntent::decode(&intent.encode(version), version).expect("reread"),
                    intent
                );
                intents += 1;
            } else {
                // ImagePreloadedRecord: an unreleased kind no kubelet 1.33 to 1.36 reads.
                assert!(PulledRecord::decode(&bytes, version).is_err(), "{file}");
                refused += 1;
            }
        }
    }
    println!("kubelet test data: {pulled} record and {intents} intent reads, {refused} refusals");
    assert!(pulled >= 30 && intents >= 20 && refused >= 20);
}

fn policy(
    name: CredentialPolicy,
    allowlist: &[&str],
    version: KubernetesVersion,
) -> VerificationPolicy {
    VerificationPolicy::new(name, allowlist, version).expect("valid allowlist")
}

#[test]
#[cfg_attr(vouch_no_shared, ignore = "needs ../shared/vectors: set VOUCH_SHARED")]
fn verification_policy_tables() {
    let tables = &vector_json(&format!("{FOLDER}/cases.json"))["pull_policies"];
    let mut checked = 0;
    for case in tables["NeverVerifyPreloaded"]["cases"]
        .as_array()
        .expect("cases")
    {
        for version in KubernetesVersion::ALL {
            let p = policy(CredentialPolicy::NeverVerifyPreloadedImages, &[], version);
            assert_eq!(
                p.requires_verification(
                    case["image"].as_str().expect("image"),
                    case["imageRecordsExist"] == true
                ),
                case["requireVerification"] == true
            );
            checked += 1;
        }
    }
    let image = "test.io/test/test-image:tag";
    for case in tables["NeverVerifyAllowListed"]["cases"]
        .as_array()
        .expect("cases")
    {
        let allowlist: Vec<&str> = case["allowlist"]
            .as_array()
            .expect("allowlist")
            .iter()
            .map(|v| v.as_str().expect("entry"))
            .collect();
        for version in KubernetesVersion::ALL {
            let compiled = VerificationPolicy::new(
                CredentialPolicy::NeverVerifyAllowlistedImages,
                &allowlist,
                version,
            );
            if case.get("error").is_some() {
                assert!(compiled.is_err(), "{allowlist:?} in {version}");
                checked += 1;
                continue;
            }
            let compiled = compiled.unwrap_or_else(|e| panic!("{allowlist:?} in {version}: {e}"));
            let mut expected = case["requireVerification"] == true;
            // Before 1.36 the tagged image matches no exact entry, only prefixes.
            if version < KubernetesVersion::V1_36
                && !allowlist
                    .iter()
                    .any(|e| e.ends_with("/*") && image.starts_with(&e[..e.len() - 1]))
            {
                expected = true;
            }
            assert_eq!(
                compiled.requires_verification(image, case["imageRecordsExist"] == true),
                expected,
                "{allowlist:?} in {version}"
            );
            // The untagged image, which the 1.35 test queries, matches in every release.
            assert_eq!(
                compiled.requires_verification("test.io/test/test-image", false),
                case["requireVerification"] == true,
                "{allowlist:?} in {version}, untagged"
            );
            checked += 1;
        }
    }
    assert!(checked >= 70, "{checked}");
}
