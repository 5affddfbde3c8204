//! The sigstore-go oracle (oracles/sigstore-go) against sigstore-conformance's offline
//! bundle-verify suite: every case, with the artifact and with its digest, as the suite
//! expects. This holds the oracle's configuration to upstream's before vouch is compared with
//! it.

use vouch_conformance::bundle_cases::conformance_cases;
use vouch_conformance::oracle;

#[test]
#[ignore = "runs the sigstore-go oracle: the full tier runs it (scripts/test.sh)"]
fn the_oracle_decides_the_conformance_suite_as_expected() {
    let oracle = oracle::sigstore_go();
    let cases = conformance_cases();
    assert_eq!(cases.len(), 140, "70 cases, each by artifact and by digest");
    let requests: Vec<_> = cases.iter().map(|c| c.request.clone()).collect();
    let answers = oracle::ask(&oracle, &requests);
    let mut wrong = Vec::new();
    for (case, answer) in cases.iter().zip(&answers) {
        assert!(
            answer.get("oracle_error").is_none(),
            "{}: {answer}",
            case.name
        );
        if (answer["verified"] == true) != case.expected {
            wrong.push(format!(
                "{}: expected {}, got {answer}",
                case.name, case.expected
            ));
        }
    }
    let verified = answers.iter().filter(|a| a["verified"] == true).count();
    eprintln!(
        "sigstore-go oracle: {} verifications, {verified} verified, {} unexpected",
        cases.len(),
        wrong.len()
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
