//! `vouch bundle` answers byte for byte what `vouch::json::bundle_line` answers, on every
//! verification of sigstore-conformance's offline suite and on malformed requests.

mod common;

use common::vouch;

use vouch::json::bundle_line;
use vouch_conformance::bundle_cases::conformance_cases;

#[test]
#[cfg_attr(vouch_no_shared, ignore = "needs ../shared/vectors: set VOUCH_SHARED")]
fn cli_answers_equal_the_library_on_the_conformance_suite() {
    let mut lines: Vec<Vec<u8>> = conformance_cases()
        .iter()
        .map(|c| c.request.to_string().into_bytes())
        .collect();
    lines.push(b"not json".to_vec());
    lines.push(br#"{"bundle":{},"unknown":1}"#.to_vec());
    lines.push(br#"{"id":"x","bundle_text":"{}","trusted_root":{},"artifact":"YQ==","identity":{"subject":"a","issuer":"b"}}"#.to_vec());
    let mut stdin = Vec::new();
    let mut expected = Vec::new();
    for line in &lines {
        stdin.extend_from_slice(line);
        stdin.push(b'\n');
        expected.extend_from_slice(bundle_line(line).as_bytes());
        expected.push(b'\n');
    }
    let (code, stdout, stderr) = vouch(&["bundle"], &stdin);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout == expected,
        "vouch bundle output differs from vouch::json"
    );
    let answers: Vec<serde_json::Value> = stdout
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).expect("json"))
        .collect();
    assert_eq!(answers.len(), lines.len());
    assert_eq!(answers[lines.len() - 1]["id"], "x");
    assert_eq!(answers[lines.len() - 1]["error_kind"], "bundle_invalid");
    assert_eq!(answers[lines.len() - 2]["error_kind"], "invalid_request");
    assert!(
        answers
            .iter()
            .any(|a| a["verified"] == true
                && a["observed"].as_array().is_some_and(|o| !o.is_empty()))
    );
}
