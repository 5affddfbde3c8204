//! Budgets on a whole keyless decision: the accepted Fulcio case of the differential is
//! accepted with the default budgets, and refused with `over_budget` (naming the budget) when
//! any one budget is one below what the signature has; the verification cache never changes
//! that.

use vouch::json::evaluate_request;
use vouch::{Budget, CompileOptions, Evaluator, Policy, Reason, SignatureBudget};
use vouch_conformance::keyless_cases::{accepted_fulcio, authorities};

fn decide(case: &serde_json::Value, budget: SignatureBudget, cache: usize) -> Result<(), Reason> {
    let request = evaluate_request(case.to_string().as_bytes()).expect("request");
    let policy = Policy::parse(&request.policy).expect("policy");
    let options = CompileOptions::default()
        .with_verification_cache(cache)
        .with_signature_budget(budget);
    let evaluator = Evaluator::compile(&policy, &request.files, &options);
    let image = request.image().expect("image");
    let evidence = request.evidence();
    // Twice: cold, then warm (a remembered verification must not skip a budget).
    let mut outcome = None;
    for _ in 0..2 {
        let decision = evaluator.evaluate(&image, &evidence);
        let this = match decision.headline() {
            None => Ok(()),
            Some(headline) => Err(headline.reason.clone()),
        };
        assert!(
            outcome.is_none_or(|o| o == this),
            "the cache changed a decision"
        );
        outcome = Some(this);
    }
    outcome.expect("decided")
}

#[test]
fn each_budget_refuses_a_keyless_signature_just_over_it() {
    let now = 1_790_000_000;
    let case = accepted_fulcio(&authorities(now)).vouch;
    let annotations = &case["signatures"][0]["annotations"];
    let size = |name: &str| annotations[name].as_str().expect(name).len();
    let count = annotations.as_object().expect("annotations").len();
    let cert = size("dev.sigstore.cosign/certificate");
    let chain = size("dev.sigstore.cosign/chain");
    let set = size("dev.sigstore.cosign/bundle");
    for cache in [0, 16] {
        assert_eq!(decide(&case, SignatureBudget::default(), cache), Ok(()));
        let exact = SignatureBudget::default()
            .with_annotations(count)
            .with_certificate_bytes(cert)
            .with_chain_bytes(chain)
            .with_chain_certificates(2)
            .with_rekor_set_bytes(set);
        assert_eq!(decide(&case, exact, cache), Ok(()), "budgets are inclusive");
        let tight = [
            (exact.with_annotations(count - 1), Budget::Annotations),
            (
                exact.with_certificate_bytes(cert - 1),
                Budget::CertificateBytes,
            ),
            (exact.with_chain_bytes(chain - 1), Budget::ChainBytes),
            (exact.with_chain_certificates(1), Budget::ChainCertificates),
            (exact.with_rekor_set_bytes(set - 1), Budget::RekorSetBytes),
        ];
        for (budget, which) in tight {
            match decide(&case, budget, cache) {
                Err(Reason::OverBudget(over)) => assert_eq!(over.budget, which),
                other => panic!("{which:?}: {other:?}"),
            }
        }
    }
}
