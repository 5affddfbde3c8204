//! The JSON interchange contract that every surface speaks.
//!
//! The C library, the wasm module and the CLI call these functions and nothing else, so a request
//! gives byte-identical answers wherever it is sent. The field names are stable: fields may be
//! added, never renamed or dropped. Unknown request fields are an error, so that a typo never
//! silently weakens a check.

mod evaluate;
mod reference;
#[cfg(feature = "ts")]
mod shapes;
#[cfg(feature = "ts")]
pub use shapes::{
    EvaluateRequestShape, ImageHalfShape, PolicyHalfShape, SignatureShape, typescript_declarations,
};

pub use evaluate::{
    CompileReport, CompiledPolicy, DecisionAnswer, EvaluateRequest, IMAGE_FIELDS, ImageAnswer,
    MAX_EVALUATE_REQUEST, MAX_SIGNATURES, POLICY_FIELDS, PolicyErrorLocation, RequirementAnswer,
    ScopeAnswer, SignatureAnswer, decision_json, evaluate_answer, evaluate_line, evaluate_parsed,
    evaluate_request, evaluate_with,
};

pub use reference::{
    MAX_REFERENCE_INPUT, ReferenceAnswer, ReferenceRequest, reference_answer, reference_line,
    reference_request,
};
