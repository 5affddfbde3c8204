//! The policy half of a request compiled once ([`CompiledPolicy`]), for embedders that decide
//! many images against one node policy, with its compile report.

use alloc::string::{String, ToString as _};
use alloc::vec::Vec;
#[cfg(feature = "ts")]
#[allow(unused_imports)] // the ts-rs derive expands to `format!` and `.to_string()`.
use alloc::{format, string::ToString as _};

use serde::Serialize;

use super::answer::{DecisionAnswer, PolicyErrorLocation, decision_json};
use super::decide::evaluate_with;
use super::request::{Part, read_part};

use crate::eval::{CompileOptions, Evaluator};
use crate::policy::{FileLookup, PolicyError};

/// What compiling a policy found, as the C library and the wasm package report it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CompileReport {
    /// Whether the policy document was accepted; when false every decision is a denial
    /// carrying the same error.
    pub accepted: bool,
    /// The stable class of the failure; empty when accepted.
    pub error_kind: String,
    /// One line for a person; empty when accepted.
    pub error: String,
    /// Why the policy document was rejected; empty when it was accepted or could not be read.
    pub policy_error: String,
    /// Where the policy went wrong, when it was rejected.
    pub policy_error_location: Option<PolicyErrorLocation>,
    /// Every file the policy names, sorted.
    pub files_needed: Vec<String>,
    /// The named files that were not given (each behaves as a file that does not exist).
    pub files_missing: Vec<String>,
    /// The named files given as unreadable (`files_unreadable` in the request).
    pub files_unreadable: Vec<String>,
    /// Every requirement that will refuse every signature it checks (a key file missing,
    /// unreadable or not a usable key, a keyring without keys, a verification this build does
    /// not do), in policy order.
    pub problems: Vec<CompileProblemAnswer>,
}

/// A requirement that refuses every signature, found when the policy was compiled
/// ([`Evaluator::problems`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CompileProblemAnswer {
    /// The policy entry: the transport, `null` for the global default.
    pub transport: Option<String>,
    /// The scope within the transport (`""` for its default entry and the global default).
    pub scope: String,
    /// The requirement's 0-based position in the entry.
    pub requirement: usize,
    /// The requirement's type.
    pub requirement_type: String,
    /// The stable reason code every signature it checks is refused with.
    pub reason: String,
    /// The reason for a person.
    pub message: String,
}

/// A policy and its files, read and compiled once, then used for many requests: the form the
/// C library's evaluator handle and the wasm package's `Evaluator` class take.
///
/// The policy half of a request (`policy`, `policy_text` or `policy_base64`, and `files`) is
/// given to [`CompiledPolicy::compile`]; each request then carries only the image half (`id`,
/// `transport`, `reference`, `manifest`, `signatures`, `now`). The decision is byte-identical
/// to the one-shot decision of the two halves merged into one request. A policy that is
/// rejected, or a policy half that cannot be read, still compiles: every decision is then the
/// denial explaining why, and [`CompiledPolicy::report`] says so up front.
///
/// Immutable and `Send + Sync`: share it between threads freely.
#[derive(Debug)]
pub struct CompiledPolicy {
    state: Compiled,
    report: CompileReport,
}

#[derive(Debug)]
enum Compiled {
    Ready(alloc::boxed::Box<Evaluator>),
    Rejected(PolicyError),
    Unreadable(String),
}

impl CompiledPolicy {
    /// Reads the policy half of a request and compiles it.
    pub fn compile(input: &[u8]) -> Self {
        let half = match read_part(input, Part::Policy) {
            Ok(half) => half,
            Err((_, error)) => {
                let report = CompileReport {
                    accepted: false,
                    error_kind: String::from("invalid_request"),
                    error: error.clone(),
                    policy_error: String::new(),
                    policy_error_location: None,
                    files_needed: Vec::new(),
                    files_missing: Vec::new(),
                    files_unreadable: Vec::new(),
                    problems: Vec::new(),
                };
                return Self {
                    state: Compiled::Unreadable(error),
                    report,
                };
            }
        };
        match half.parse_policy() {
            Ok(policy) => {
                let needed: Vec<String> = policy
                    .files_needed()
                    .into_iter()
                    .map(String::from)
                    .collect();
                let files_missing = needed
                    .iter()
                    .filter(|path| !half.files.contains(path.as_str()))
                    .cloned()
                    .collect();
                let files_unreadable = needed
                    .iter()
                    .filter(|path| matches!(half.files.lookup(path), FileLookup::Unreadable(_)))
                    .cloned()
                    .collect();
                let evaluator =
                    Evaluator::compile(&policy, &half.files, &CompileOptions::default());
                let problems = evaluator
                    .problems()
                    .iter()
                    .map(|p| CompileProblemAnswer {
                        transport: p.scope.transport.map(String::from),
                        scope: p.scope.scope.into(),
                        requirement: p.requirement,
                        requirement_type: p.requirement_type.into(),
                        reason: p.reason.code().into(),
                        message: p.reason.to_string(),
                    })
                    .collect();
                Self {
                    state: Compiled::Ready(alloc::boxed::Box::new(evaluator)),
                    report: CompileReport {
                        accepted: true,
                        error_kind: String::new(),
                        error: String::new(),
                        policy_error: String::new(),
                        policy_error_location: None,
                        files_needed: needed,
                        files_missing,
                        files_unreadable,
                        problems,
                    },
                }
            }
            Err(error) => {
                let answer = DecisionAnswer::policy_rejected(None, &error);
                Self {
                    report: CompileReport {
                        accepted: false,
                        error_kind: answer.error_kind,
                        error: answer.error,
                        policy_error: answer.policy_error,
                        policy_error_location: answer.policy_error_location,
                        files_needed: Vec::new(),
                        files_missing: Vec::new(),
                        files_unreadable: Vec::new(),
                        problems: Vec::new(),
                    },
                    state: Compiled::Rejected(error),
                }
            }
        }
    }

    /// What compiling found.
    pub fn report(&self) -> &CompileReport {
        &self.report
    }

    /// The report as one line of JSON.
    pub fn report_json(&self) -> String {
        serde_json::to_string(&self.report).unwrap_or_else(|_| {
            String::from(
                r#"{"accepted":false,"error_kind":"internal","error":"internal error: the report could not be written","policy_error":"","policy_error_location":null,"files_needed":[],"files_missing":[],"files_unreadable":[],"problems":[]}"#,
            )
        })
    }

    /// Reads the image half of a request and decides it.
    pub fn evaluate_answer(&self, input: &[u8]) -> DecisionAnswer {
        let request = match read_part(input, Part::Image) {
            Ok(request) => request,
            Err((id, error)) => return DecisionAnswer::invalid_request(id, error),
        };
        match &self.state {
            Compiled::Ready(evaluator) => evaluate_with(evaluator, &request),
            Compiled::Rejected(error) => DecisionAnswer::policy_rejected(request.id, error),
            Compiled::Unreadable(error) => {
                DecisionAnswer::invalid_request(request.id, error.clone())
            }
        }
    }

    /// Reads the image half of a request and writes the decision as one line of JSON.
    pub fn evaluate_line(&self, input: &[u8]) -> String {
        decision_json(&self.evaluate_answer(input))
    }
}
