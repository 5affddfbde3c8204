//! The JSON interchange contract that every surface speaks.
//!
//! The C library, the wasm module and the CLI call these functions and nothing else, so a request
//! gives byte-identical answers wherever it is sent. The field names are stable: fields may be
//! added, never renamed or dropped. Unknown request fields are an error, so that a typo never
//! silently weakens a check.

mod answer;
mod bundle;
mod compiled;
mod decide;
mod node;
mod reference;
mod request;
mod schema;
#[cfg(feature = "ts")]
mod typescript;
#[cfg(feature = "ts")]
pub use typescript::typescript_declarations;

pub use answer::{
    DecisionAnswer, ImageAnswer, PolicyErrorLocation, RequirementAnswer, ScopeAnswer,
    SignatureAnswer, decision_json,
};
pub use bundle::{
    BundleAnswer, MAX_BUNDLE_REQUEST, ObservedTime, SignerIdentity, bundle_answer, bundle_line,
};
pub use compiled::{CompileProblemAnswer, CompileReport, CompiledPolicy};
pub use decide::{evaluate_answer, evaluate_line, evaluate_parsed, evaluate_with};
pub use node::{MAX_NODE_REQUEST, NODE_OPS, node_line};
pub use request::{EvaluateRequest, MAX_EVALUATE_REQUEST, MAX_SIGNATURES, evaluate_request};
pub use schema::{IMAGE_FIELDS, POLICY_FIELDS};

pub use reference::{
    MAX_REFERENCE_INPUT, ReferenceAnswer, ReferenceRequest, reference_answer, reference_line,
    reference_request,
};
