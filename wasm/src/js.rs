//! The JavaScript API of the npm package (`wasm/pkg`, built by `wasm/build.sh` with
//! wasm-bindgen): `evaluate`, `parseReference` and the `Evaluator` class.
//!
//! Every function speaks the same JSON contract as the plain ABI, the C library and the CLI:
//! the request goes to the core as bytes and the decision comes back as the core wrote it,
//! parsed into a plain object (deep-equal to the CLI's line). TypeScript types are generated
//! from the core's serde types (`wasm/types/vouch.d.ts`, included below).

use js_sys::JSON;
use vouch::Dialect;
use vouch::json::CompiledPolicy;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("../types/vouch.d.ts");

/// The request's bytes: a string is used as it is (its policy bytes are kept exactly, so error
/// positions and duplicate keys are reported as in the CLI); an object is serialised with
/// `JSON.stringify`.
fn request_bytes(request: &JsValue) -> Result<Vec<u8>, JsError> {
    if let Some(text) = request.as_string() {
        return Ok(text.into_bytes());
    }
    if !request.is_object() {
        return Err(JsError::new(
            "the request must be an object or a JSON string",
        ));
    }
    let text = JSON::stringify(request)
        .map_err(|_| JsError::new("the request cannot be serialised with JSON.stringify"))?;
    Ok(String::from(text).into_bytes())
}

/// The core's JSON answer as a JavaScript object.
fn answer(json: &str) -> Result<JsValue, JsError> {
    JSON::parse(json)
        .map_err(|_| JsError::new("internal error: vouch wrote an answer that is not JSON"))
}

/// Decides one whole evaluation request (`docs/interchange.md`). The decision says
/// `allowed: false` with a reason for a denied image, a rejected policy or a malformed
/// request alike; only a request that is neither an object nor a string throws.
#[wasm_bindgen(js_name = evaluate, unchecked_return_type = "DecisionAnswer")]
pub fn evaluate(
    #[wasm_bindgen(unchecked_param_type = "EvaluateRequest | string")] request: JsValue,
) -> Result<JsValue, JsError> {
    let bytes = request_bytes(&request)?;
    answer(&vouch::json::evaluate_line(&bytes))
}

/// What this build can do: `{version, crypto, openpgp, verification_cache}`.
#[wasm_bindgen(
    js_name = buildInfo,
    unchecked_return_type = "{ version: string; crypto: \"aws-lc-rs\" | \"RustCrypto\"; openpgp: boolean; verification_cache: boolean }"
)]
pub fn build_info() -> Result<JsValue, JsError> {
    answer(&vouch::BUILD.to_json())
}

/// Parses a reference as containers/image does (`dialect` `"containers-image"`, the default)
/// or as distribution/reference does (`"distribution"`, the kubelet's grammar).
#[wasm_bindgen(js_name = parseReference, unchecked_return_type = "ReferenceAnswer")]
pub fn parse_reference(
    reference: &str,
    #[wasm_bindgen(unchecked_param_type = "\"containers-image\" | \"distribution\"")]
    dialect: Option<String>,
) -> Result<JsValue, JsError> {
    let dialect = match dialect.as_deref() {
        None | Some("containers-image") => Dialect::ContainersImage,
        Some("distribution") => Dialect::Distribution,
        Some(other) => {
            return Err(JsError::new(&format!(
                "unknown dialect {other:?}: use \"containers-image\" or \"distribution\""
            )));
        }
    };
    let json = vouch::json::reference_answer(reference.as_bytes(), dialect).to_json();
    answer(&String::from_utf8_lossy(&json))
}

/// Verifies a sigstore bundle as sigstore-go does: `request` is the JSON of a bundle request
/// (docs/bundles.md: the bundle, the artifact or its digest, the trusted root, the expected
/// identity or key). The answer says whether it verified and why not.
#[wasm_bindgen(js_name = verifyBundle, unchecked_return_type = "BundleAnswer")]
pub fn verify_bundle(request: &str) -> Result<JsValue, JsError> {
    answer(&vouch::json::bundle_line(request.as_bytes()))
}

/// Answers one Kubernetes node request (docs/node.md): `request` is the JSON of a `vouch node`
/// line, its `op` naming the decision (`kubelet_pull`, `record_pulled`, `credential_hash`,
/// `pod_credentials`, `pull_record`, `verification_policy`).
#[wasm_bindgen(js_name = nodeDecide)]
pub fn node_decide(request: &str) -> Result<JsValue, JsError> {
    answer(&vouch::json::node_line(request.as_bytes()))
}

/// Decides one admission line (docs/admission.md): `line` is `{"review", "config", "evidence"}`
/// as JSON; the answer is the AdmissionReview with its response.
#[wasm_bindgen(js_name = admit)]
pub fn admit(line: &str) -> Result<JsValue, JsError> {
    answer(&vouch::admit::admit_line(line.as_bytes()))
}

/// Plans one admission line: `{"images": [...]}`, the images whose evidence must be fetched.
#[wasm_bindgen(js_name = admitPlan)]
pub fn admit_plan(line: &str) -> Result<JsValue, JsError> {
    answer(&vouch::admit::plan_line(line.as_bytes()))
}

/// Prometheus metrics of decisions, owned by the caller: `observe(request, answer, seconds)`
/// after each call, `render()` when Prometheus scrapes. Call `free()` when done.
#[wasm_bindgen(js_name = Metrics)]
#[derive(Debug)]
pub struct Metrics {
    inner: vouch::metrics::Metrics,
}

#[wasm_bindgen(js_class = Metrics)]
impl Metrics {
    /// New metrics; `namespaces` and `images` opt in to labels that grow without bound.
    #[wasm_bindgen(constructor)]
    pub fn new(namespaces: Option<bool>, images: Option<bool>) -> Self {
        Self {
            inner: vouch::metrics::Metrics::new(vouch::metrics::MetricsOptions {
                namespaces: namespaces.unwrap_or(false),
                images: images.unwrap_or(false),
            }),
        }
    }

    /// Counts one decision: the request and answer JSON texts, and the seconds it took.
    pub fn observe(&mut self, request: &str, answer: &str, seconds: Option<f64>) {
        self.inner
            .observe(request.as_bytes(), answer.as_bytes(), seconds);
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        self.inner.render()
    }
}

/// A policy and its files compiled once, for many decisions (an admission engine's or a
/// runtime's node policy). Call `free()` when done, or let the garbage collector do it.
#[wasm_bindgen(js_name = Evaluator)]
#[derive(Debug)]
pub struct Evaluator {
    compiled: CompiledPolicy,
}

#[wasm_bindgen(js_class = Evaluator)]
impl Evaluator {
    /// Compiles the policy half of a request: `{policy | policy_text | policy_base64, files}`.
    /// A rejected policy still compiles; `report()` says why and every decision denies.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "PolicyHalf | string")] policy: JsValue,
    ) -> Result<Evaluator, JsError> {
        let bytes = request_bytes(&policy)?;
        Ok(Self {
            compiled: CompiledPolicy::compile(&bytes),
        })
    }

    /// What compiling found: accepted or not and why, the files the policy names and those
    /// missing.
    #[wasm_bindgen(unchecked_return_type = "CompileReport")]
    pub fn report(&self) -> Result<JsValue, JsError> {
        answer(&self.compiled.report_json())
    }

    /// Decides the image half of a request (`{id, transport, reference, manifest,
    /// signatures, now}`); deep-equal to `evaluate` on the whole request.
    #[wasm_bindgen(unchecked_return_type = "DecisionAnswer")]
    pub fn evaluate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ImageHalf | string")] request: JsValue,
    ) -> Result<JsValue, JsError> {
        let bytes = request_bytes(&request)?;
        answer(&self.compiled.evaluate_line(&bytes))
    }
}
