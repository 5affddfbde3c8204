//! Bundle budgets as typed errors: each limit of `vouch::BundleBudget`, set just below what a
//! real bundle from sigstore-conformance has, refuses it with that limit named; at the real
//! size it reads. Through `vouchSigstoreBundle`, a bundle over budget is `over_budget`.

use vouch::{Bundle, BundleBudget, BundleError, BundleLimit};

fn bundle(case: &str) -> Vec<u8> {
    let path = vouch_conformance::shared_dir()
        .join("vectors/sigstore-conformance/assets/bundle-verify")
        .join(case)
        .join("bundle.sigstore.json");
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn limit_of(json: &[u8], budget: &BundleBudget) -> Option<BundleLimit> {
    match Bundle::from_json_with(json, budget) {
        Ok(_) => None,
        Err(BundleError::OverBudget(over)) => {
            assert!(over.size > over.max, "{over}");
            Some(over.limit)
        }
        Err(other) => panic!("not a budget error: {other}"),
    }
}

#[test]
#[cfg_attr(vouch_no_shared, ignore = "needs ../shared/vectors: set VOUCH_SHARED")]
fn every_limit_refuses_just_above_it() {
    let v03 = bundle("happy-path-v0.3");
    let doc: serde_json::Value = serde_json::from_slice(&v03).expect("json");
    let entry = &doc["verificationMaterial"]["tlogEntries"][0];
    let hashes = entry["inclusionProof"]["hashes"]
        .as_array()
        .expect("hashes")
        .len();
    let checkpoint = entry["inclusionProof"]["checkpoint"]["envelope"]
        .as_str()
        .expect("checkpoint")
        .len();
    let exact = BundleBudget::default()
        .with_bundle_bytes(v03.len())
        .with_json_depth(6)
        .with_tlog_entries(1)
        .with_timestamps(0)
        .with_proof_hashes(hashes)
        .with_checkpoint_bytes(checkpoint);
    assert_eq!(
        limit_of(&v03, &exact),
        None,
        "at the real sizes the bundle reads"
    );
    for (budget, limit) in [
        (
            exact.with_bundle_bytes(v03.len() - 1),
            BundleLimit::BundleBytes,
        ),
        (exact.with_json_depth(3), BundleLimit::JsonDepth),
        (exact.with_tlog_entries(0), BundleLimit::TlogEntries),
        (
            exact.with_proof_hashes(hashes - 1),
            BundleLimit::ProofHashes,
        ),
        (
            exact.with_checkpoint_bytes(checkpoint - 1),
            BundleLimit::CheckpointBytes,
        ),
    ] {
        assert_eq!(limit_of(&v03, &budget), Some(limit));
    }
    // A depth above the ceiling is the ceiling.
    assert_eq!(limit_of(&v03, &exact.with_json_depth(usize::MAX)), None);

    // v0.1 carries a certificate chain; a Rekor v2 case carries RFC 3161 time stamps.
    let v01 = bundle("happy-path-v0.1");
    let doc: serde_json::Value = serde_json::from_slice(&v01).expect("json");
    let chain = doc["verificationMaterial"]["x509CertificateChain"]["certificates"]
        .as_array()
        .expect("a chain")
        .len();
    let budget = BundleBudget::default().with_chain_certificates(chain);
    assert_eq!(limit_of(&v01, &budget), None);
    assert_eq!(
        limit_of(&v01, &budget.with_chain_certificates(chain - 1)),
        Some(BundleLimit::ChainCertificates)
    );
    let stamped = bundle("rekor2-timestamp-with-embedded-cert");
    assert_eq!(limit_of(&stamped, &BundleBudget::default()), None);
    assert_eq!(
        limit_of(&stamped, &BundleBudget::default().with_timestamps(0)),
        Some(BundleLimit::Timestamps)
    );
}

#[test]
#[cfg_attr(vouch_no_shared, ignore = "needs ../shared/vectors: set VOUCH_SHARED")]
fn a_bundle_over_budget_is_refused_as_over_budget() {
    use vouch::{
        BundleSigner, CompileOptions, Evaluator, Evidence, Files, Image, PathOrData, Policy,
        Reason, Requirement, Signature, SigstoreBundle, Transport,
    };
    let root = std::fs::read(
        vouch_conformance::shared_dir().join("vectors/trusted-root/public-good-trusted_root.json"),
    )
    .expect("root");
    let requirement = SigstoreBundle::new(
        PathOrData::Data(root),
        BundleSigner::Key(PathOrData::Data(b"-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE2G2Y+2tabdTV5BcGiBIx0a9fAFwrkBbmLSGtks4L3qX6yYY0zufBnhC8Ur/iy55GhWP/9A/bY2LhC30M9+RYtw==\n-----END PUBLIC KEY-----\n".to_vec())),
    );
    let policy = Policy::new(vec![Requirement::SigstoreBundle(requirement)]);
    let options = CompileOptions::default()
        .with_bundle_budget(BundleBudget::default().with_bundle_bytes(1024));
    let evaluator = Evaluator::compile(&policy, &Files::new(), &options);
    assert!(
        evaluator.problems().is_empty(),
        "{:?}",
        evaluator.problems()
    );
    let signatures = [Signature::Bundle {
        bundle: bundle("happy-path-v0.3"),
    }];
    let image = Image::parse(Transport::Docker, "registry.example/app:1").expect("image");
    let decision = evaluator.evaluate(&image, &Evidence::new(b"{}", &signatures));
    let headline = decision.headline().expect("denied");
    assert!(
        matches!(headline.reason, Reason::BundleOverBudget(over) if over.limit == BundleLimit::BundleBytes),
        "{:?}",
        headline.reason
    );
    assert_eq!(headline.reason.code(), "over_budget");
}
