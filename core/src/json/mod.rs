//! The JSON interchange contract that every surface speaks.
//!
//! The C library, the wasm module and the CLI call these functions and nothing else, so a request
//! gives byte-identical answers wherever it is sent. The field names are stable: fields may be
//! added, never renamed or dropped. Unknown request fields are an error, so that a typo never
//! silently weakens a check.

mod reference;

pub use reference::{
    MAX_REFERENCE_INPUT, ReferenceAnswer, ReferenceRequest, reference_answer, reference_line,
    reference_request,
};
