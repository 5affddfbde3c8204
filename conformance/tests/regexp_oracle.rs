//! Identity regular expressions (`vouchSigstoreBundle`'s `subjectRegExp`, `issuerRegExp`)
//! against Go's `regexp`, through the sigstore-go oracle's `regexp` op: generated patterns of
//! the constructs the two engines could read differently (Perl classes, ASCII classes, case
//! folding, braces, nested repetition, flags, escapes, nested classes), each matched against
//! generated texts. Wherever vouch accepts a pattern, Go must accept it and every match must
//! agree; a pattern vouch refuses and Go accepts is counted by construct (docs/bundles.md
//! lists them: vouch is stricter there, never looser).

use serde_json::{Value, json};
use vouch_conformance::generate::Rng;

/// Characters both patterns and texts are made of: ASCII, the letters Unicode folds with
/// ASCII ones (`ſ`, the Kelvin sign), other scripts, other digits.
#[rustfmt::skip]
const CHARACTERS: &[&str] = &[
    "a", "b", "k", "s", "K", "S", "ſ", "K", "δ", "Δ", "0", "9", "١", "-", "_", "/", ".", ":",
    "@", " ",
];

/// What only patterns are made of.
#[rustfmt::skip]
const PATTERN_ONLY: &[&str] = &[
    r"\.", r"\-", r"\_", r"\ ", r"\/", r"\d", r"\D", r"\w", r"\W", r"\s", r"\S",
    r"\b", r"\B", r"\A", r"\z", "^", "$", r"\x41", r"\x{3b4}", r"\t", r"\n", r"\v", r"\f",
    "[a-z]", "[^a-z]", "[]a]", "[^]a]", r"[\d]", r"[\s]", r"[\S]", "[[:alpha:]]",
    "[[:^digit:]]", "[[:word:]]", "[[a]]", "[a&&b]", "[a--b]", "[a-]", "[-a]", r"[\w.-]",
    "{x}", "{", "}", "{,3}", r"\pL", r"\p{Greek}", r"\Qa.b\E", r"\<", r"\>", r"\b{start}",
    r"\0", r"\1", r"\e", r"\C", "(?i)", "(?m)", "(?s)", "(?U)", "(?x)", "(?u)", "(?i-s)",
    "(?-i)",
];

/// What only texts are made of.
#[rustfmt::skip]
const TEXT_ONLY: &[&str] = &[
    "\t", "\n", "\x0b", "\x0c", "\r", "A", "aa", "{x}", "{", "}", "[", "]", "&",
    "https://github.com/org/", "a.b",
];

#[rustfmt::skip]
const REPEATS: &[&str] = &[
    "", "", "", "*", "+", "?", "*?", "+?", "??", "{2}", "{1,3}", "{2,}", "{0}", "{1001}",
    "{2}?", "**", "*+", "???", "{2}{3}", "{1000}",
];

fn atom(rng: &mut Rng) -> &'static str {
    let n = rng.below(CHARACTERS.len() + PATTERN_ONLY.len());
    CHARACTERS
        .get(n)
        .copied()
        .unwrap_or_else(|| PATTERN_ONLY[n - CHARACTERS.len()])
}

fn text_piece(rng: &mut Rng) -> &'static str {
    let n = rng.below(CHARACTERS.len() + TEXT_ONLY.len());
    CHARACTERS
        .get(n)
        .copied()
        .unwrap_or_else(|| TEXT_ONLY[n - CHARACTERS.len()])
}

fn pattern(rng: &mut Rng, depth: u32) -> String {
    let mut out = String::new();
    for _ in 0..rng.below(5) + 1 {
        let piece = if depth < 2 && rng.below(6) == 0 {
            let inner = pattern(rng, depth + 1);
            let alt = if rng.below(3) == 0 {
                format!("|{}", pattern(rng, depth + 1))
            } else {
                String::new()
            };
            match rng.below(3) {
                0 => format!("({inner}{alt})"),
                1 => format!("(?:{inner}{alt})"),
                _ => format!("(?i:{inner}{alt})"),
            }
        } else {
            atom(rng).to_string()
        };
        out.push_str(&piece);
        out.push_str(rng.pick_str(REPEATS));
    }
    out
}

fn text(rng: &mut Rng) -> String {
    (0..rng.below(7)).map(|_| text_piece(rng)).collect()
}

#[test]
#[ignore = "runs the sigstore-go oracle: the full tier runs it (scripts/test.sh)"]
fn identity_patterns_match_as_go_matches() {
    let seed = vouch_conformance::seed("VOUCH_SEED", 0x7265_6765_7870);
    let mut rng = Rng::new(seed);
    let cases: Vec<(String, Vec<String>)> = (0..4000)
        .map(|_| {
            let p = pattern(&mut rng, 0);
            let texts = (0..8).map(|_| text(&mut rng)).collect();
            (p, texts)
        })
        .collect();
    let requests: Vec<Value> = cases
        .iter()
        .map(|(p, texts)| json!({"op": "regexp", "pattern": p, "text": texts}))
        .collect();
    let oracle = vouch_conformance::oracle::sigstore_go();
    let answers = vouch_conformance::oracle::ask(&oracle, &requests);
    let (mut both, mut matched, mut stricter, mut both_refuse) = (0, 0, 0, 0);
    let mut disagreements = Vec::new();
    for ((p, texts), answer) in cases.iter().zip(&answers) {
        assert!(answer.get("oracle_error").is_none(), "{p:?}: {answer}");
        let go_compiles = answer["verified"] == true;
        match (vouch::Regexp::new(p), go_compiles) {
            (Ok(re), true) => {
                both += 1;
                for (i, t) in texts.iter().enumerate() {
                    let go = answer["matches"][i] == true;
                    if re.is_match(t) != go {
                        disagreements
                            .push(format!("{p:?} on {t:?}: Go {go}, vouch {}", re.is_match(t)));
                    } else if go {
                        matched += 1;
                    }
                }
            }
            (Ok(_), false) => disagreements.push(format!(
                "{p:?}: vouch accepts, Go refuses: {}",
                answer["error"]
            )),
            (Err(_), true) => stricter += 1,
            (Err(_), false) => both_refuse += 1,
        }
    }
    eprintln!(
        "regexp (seed {seed:#x}): {} patterns: {both} accepted by both ({matched} matches agreed), {stricter} refused by vouch only, {both_refuse} refused by both; {} disagreements",
        cases.len(),
        disagreements.len()
    );
    assert!(
        disagreements.is_empty(),
        "{}",
        disagreements[..disagreements.len().min(40)].join("\n")
    );
    assert!(both >= 500, "too few patterns both accept to mean anything");
}
