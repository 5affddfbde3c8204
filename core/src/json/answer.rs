//! The decision as every surface writes it: the stable JSON answer built from a [`Decision`].

use alloc::string::{String, ToString};
use alloc::vec::Vec;
#[cfg(feature = "ts")]
#[allow(unused_imports)] // the ts-rs derive expands to `format!` and `.to_string()`.
use alloc::{format, string::ToString as _};

use serde::Serialize;

use crate::eval::{Decision, Reason};
use crate::image::Image;
use crate::policy::PolicyError;
use crate::signature::evidence::Signature;

/// Where a rejected policy went wrong.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PolicyErrorLocation {
    /// The JSON path of the offending value.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

/// The scope that decided.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ScopeAnswer {
    /// The transport (`null` for the global default).
    pub transport: Option<String>,
    /// The scope (`""` for a transport's default entry).
    pub scope: String,
}

/// The image as the transport named it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImageAnswer {
    /// The transport.
    pub transport: String,
    /// The most specific policy scope (`PolicyConfigurationIdentity`).
    pub policy_identity: String,
    /// The image's docker reference, if it has one.
    pub docker_reference: Option<String>,
}

/// One signature's outcome under one requirement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SignatureAnswer {
    /// 0-based position in the request's `signatures`.
    pub index: usize,
    /// `simple` or `sigstore`.
    #[cfg_attr(feature = "ts", ts(type = "\"simple\" | \"sigstore\""))]
    pub kind: String,
    /// `accepted`, `rejected` or `skipped`.
    #[cfg_attr(feature = "ts", ts(type = "\"accepted\" | \"rejected\" | \"skipped\""))]
    pub verdict: String,
    /// The stable reason code.
    pub reason: String,
    /// The reason for a person.
    pub message: String,
}

/// One requirement's outcome.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RequirementAnswer {
    /// 0-based position in the scope's list.
    pub index: usize,
    /// The requirement's `type`.
    #[serde(rename = "type")]
    pub requirement_type: String,
    /// `allowed`, `denied` or `not_evaluated`.
    #[cfg_attr(
        feature = "ts",
        ts(type = "\"allowed\" | \"denied\" | \"not_evaluated\"")
    )]
    pub verdict: String,
    /// The stable reason code (empty unless denied).
    pub reason: String,
    /// The reason for a person (empty unless denied).
    pub message: String,
    /// What happened to each signature it looked at.
    pub signatures: Vec<SignatureAnswer>,
}

/// The decision, as every surface writes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DecisionAnswer {
    /// The request's `id`, when it had one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub id: Option<String>,
    /// The verdict.
    pub allowed: bool,
    /// Why the policy document was rejected; empty when it was accepted.
    pub policy_error: String,
    /// The stable class of the failure; empty when allowed.
    pub error_kind: String,
    /// One line for a person; empty when allowed.
    pub error: String,
    /// The headline's reason code when a requirement denied; empty otherwise.
    pub reason: String,
    /// Which policy entry decided; `null` when none did (bad request, policy or reference).
    pub scope: Option<ScopeAnswer>,
    /// The image, when its reference was accepted.
    pub image: Option<ImageAnswer>,
    /// Per requirement of the deciding scope, in order.
    pub requirements: Vec<RequirementAnswer>,
    /// Where the policy went wrong, when it was rejected.
    pub policy_error_location: Option<PolicyErrorLocation>,
}

impl DecisionAnswer {
    pub(super) fn failure(id: Option<String>, kind: &str, error: String) -> Self {
        Self {
            id,
            allowed: false,
            policy_error: String::new(),
            error_kind: kind.into(),
            error,
            reason: String::new(),
            scope: None,
            image: None,
            requirements: Vec::new(),
            policy_error_location: None,
        }
    }

    /// The answer for a rejected policy document.
    pub fn policy_rejected(id: Option<String>, error: &PolicyError) -> Self {
        Self {
            policy_error: error.to_string(),
            policy_error_location: Some(PolicyErrorLocation {
                path: error.path().into(),
                line: error.line(),
                column: error.column(),
            }),
            ..Self::failure(id, error.kind().name(), error.to_string())
        }
    }

    /// The answer for a request that could not be read.
    pub fn invalid_request(id: Option<String>, error: String) -> Self {
        Self::failure(id, "invalid_request", error)
    }

    /// The answer for a decision.
    pub fn from_decision(
        id: Option<String>,
        image: &Image,
        decision: &Decision<'_>,
        signatures: &[Signature],
    ) -> Self {
        let headline = decision.headline();
        let requirements = decision
            .requirements()
            .iter()
            .enumerate()
            .map(|(index, outcome)| RequirementAnswer {
                index,
                requirement_type: outcome.requirement.into(),
                verdict: outcome.verdict.name().into(),
                reason: outcome.reason.as_ref().map_or("", Reason::code).into(),
                message: outcome
                    .reason
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                signatures: outcome
                    .signatures
                    .iter()
                    .map(|s| SignatureAnswer {
                        index: s.index,
                        kind: signatures.get(s.index).map_or("", Signature::kind).into(),
                        verdict: s.verdict.name().into(),
                        reason: s.reason.code().into(),
                        message: s.reason.to_string(),
                    })
                    .collect(),
            })
            .collect();
        Self {
            id,
            allowed: decision.allowed,
            policy_error: String::new(),
            error_kind: if decision.allowed {
                String::new()
            } else {
                String::from("requirement")
            },
            error: decision.message(),
            reason: headline.map_or("", |h| h.reason.code()).into(),
            scope: Some(ScopeAnswer {
                transport: decision.scope.transport.map(Into::into),
                scope: decision.scope.scope.into(),
            }),
            image: Some(image_answer(image)),
            requirements,
            policy_error_location: None,
        }
    }
}

fn image_answer(image: &Image) -> ImageAnswer {
    ImageAnswer {
        transport: image.transport().name().into(),
        policy_identity: image.policy_identity().into(),
        docker_reference: image.docker_reference().map(|r| r.as_str().into()),
    }
}

/// A decision as one line of JSON.
pub fn decision_json(answer: &DecisionAnswer) -> String {
    serde_json::to_string(answer).unwrap_or_else(|_| {
        // Serialising these plain structs cannot fail; if it ever did, deny loudly.
        String::from(
            r#"{"allowed":false,"policy_error":"","error_kind":"internal","error":"internal error: the decision could not be written","reason":"","scope":null,"image":null,"requirements":[],"policy_error_location":null}"#,
        )
    })
}
