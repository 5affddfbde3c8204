//! The C ABI of vouch. Conventions: `ffi/README.md`. Header: `ffi/include/vouch.h` (generated).

#![deny(unsafe_op_in_unsafe_fn, clippy::undocumented_unsafe_blocks)]

use std::panic::{AssertUnwindSafe, catch_unwind};

use vouch_core::Dialect;
use vouch_core::json::CompiledPolicy;

/// The outcome of a call. Numbers are stable and never reused.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// The call succeeded (the answer may still say no).
    Ok = 0,
    /// A required pointer was NULL.
    NullParameter = 100,
    /// The output buffer is too small; `*out_len` holds the size needed.
    BufferTooSmall = 101,
    /// A parameter has a value outside its range (an unknown dialect, say).
    InvalidParameter = 102,
    /// An input is larger than vouch reads (see `vouch_evaluate_json`). Nothing was written.
    InputTooLarge = 103,
    /// vouch panicked: a bug in vouch, please report it. Nothing was written.
    Panic = 199,
}

/// `dialect` value: containers/image's grammar (policy evaluation).
pub const VOUCH_DIALECT_CONTAINERS_IMAGE: u32 = 0;
/// `dialect` value: distribution/reference v0.6 (the kubelet).
pub const VOUCH_DIALECT_DISTRIBUTION: u32 = 1;

/// The library version, as a static NUL-terminated string. Never NULL, never freed.
#[unsafe(no_mangle)]
pub extern "C" fn vouch_version() -> *const std::ffi::c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

/// What this build of the library can do, as a static NUL-terminated JSON object:
/// `{"version":"…","crypto":"aws-lc-rs","openpgp":true,"verification_cache":true}`.
/// Never NULL, never freed.
#[unsafe(no_mangle)]
pub extern "C" fn vouch_build_info() -> *const std::ffi::c_char {
    static INFO: std::sync::OnceLock<std::ffi::CString> = std::sync::OnceLock::new();
    INFO.get_or_init(|| {
        // The JSON holds no NUL byte; should it ever, the empty string says so.
        std::ffi::CString::new(vouch_core::BUILD.to_json()).unwrap_or_default()
    })
    .as_ptr()
}

/// Writes the one-line message of `status` (UTF-8, no NUL) to `out`.
///
/// # Safety
/// `out` must have `out_capacity` writable bytes (or be NULL with capacity 0); `out_len` must be
/// a valid pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vouch_status_message(
    status: u32,
    out: *mut u8,
    out_capacity: usize,
    out_len: *mut usize,
) -> Status {
    guard(|| {
        let message = match status {
            0 => "ok",
            100 => "a required pointer was NULL",
            101 => "the output buffer is too small",
            102 => "a parameter has a value outside its range",
            103 => "a request is too large to read",
            199 => "vouch panicked: this is a bug in vouch, please report it",
            _ => "unknown status code",
        };
        // SAFETY: forwarded from this function's contract.
        unsafe { write_output(message.as_bytes(), out, out_capacity, out_len) }
    })
}

/// Parses one line as `vouch ref` does: a bare reference, or a JSON request
/// `{"reference": ..., "dialect": ...}` whose dialect overrides `dialect`. Writes the answer
/// JSON (no trailing newline). A reference that does not parse is still `VOUCH_STATUS_OK`: the
/// answer says `"ok": false` and why.
///
/// # Safety
/// `line` must have `line_len` readable bytes (or be NULL with length 0); `out` must have
/// `out_capacity` writable bytes (or be NULL with capacity 0); `out_len` must be a valid pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vouch_reference_parse(
    line: *const u8,
    line_len: usize,
    dialect: u32,
    out: *mut u8,
    out_capacity: usize,
    out_len: *mut usize,
) -> Status {
    guard(|| {
        let dialect = match dialect {
            VOUCH_DIALECT_CONTAINERS_IMAGE => Dialect::ContainersImage,
            VOUCH_DIALECT_DISTRIBUTION => Dialect::Distribution,
            _ => return Status::InvalidParameter,
        };
        // SAFETY: forwarded from this function's contract.
        let Some(line) = (unsafe { input(line, line_len) }) else {
            return Status::NullParameter;
        };
        let answer = vouch_core::json::reference_line(line, dialect).to_json();
        // SAFETY: forwarded from this function's contract.
        unsafe { write_output(&answer, out, out_capacity, out_len) }
    })
}

/// Verifies a sigstore bundle: one request as one input line of `vouch bundle` (the bundle,
/// the artifact or its digest, the trusted root, the expected identity or key; docs/bundles.md).
/// Writes the answer JSON (no trailing newline). A bundle that does not verify is still
/// `VOUCH_STATUS_OK`: the answer says `"verified": false` and why.
///
/// # Safety
/// `line` must have `line_len` readable bytes (or be NULL with length 0); `out` must have
/// `out_capacity` writable bytes (or be NULL with capacity 0); `out_len` must be a valid pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vouch_bundle_verify(
    line: *const u8,
    line_len: usize,
    out: *mut u8,
    out_capacity: usize,
    out_len: *mut usize,
) -> Status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        answer_line(
            line,
            line_len,
            out,
            out_capacity,
            out_len,
            vouch_core::json::bundle_line,
        )
    }
}

/// Answers one Kubernetes node request: one input line of `vouch node` (its `"op"` names the
/// decision: `kubelet_pull`, `record_pulled`, `credential_hash`, `pod_credentials`,
/// `pull_record`, `verification_policy`; docs/node.md). Writes the answer JSON (no trailing
/// newline). A request that cannot be answered is still `VOUCH_STATUS_OK`: the answer's
/// `error_kind` and `error` say why.
///
/// # Safety
/// `line` must have `line_len` readable bytes (or be NULL with length 0); `out` must have
/// `out_capacity` writable bytes (or be NULL with capacity 0); `out_len` must be a valid pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vouch_node_decide(
    line: *const u8,
    line_len: usize,
    out: *mut u8,
    out_capacity: usize,
    out_len: *mut usize,
) -> Status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        answer_line(
            line,
            line_len,
            out,
            out_capacity,
            out_len,
            vouch_core::json::node_line,
        )
    }
}

/// Decides one admission line of `vouch admit` (`{"review", "config", "evidence"}`;
/// docs/admission.md). Writes the AdmissionReview with its response (no trailing newline). A
/// review that cannot be decided is still `VOUCH_STATUS_OK`: the response denies it and says why.
///
/// # Safety
/// `line` must have `line_len` readable bytes (or be NULL with length 0); `out` must have
/// `out_capacity` writable bytes (or be NULL with capacity 0); `out_len` must be a valid pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vouch_admit(
    line: *const u8,
    line_len: usize,
    out: *mut u8,
    out_capacity: usize,
    out_len: *mut usize,
) -> Status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        answer_line(
            line,
            line_len,
            out,
            out_capacity,
            out_len,
            vouch_core::admit::admit_line,
        )
    }
}

/// Plans one admission line (`vouch admit --plan`): writes `{"images": [...]}`, the images whose
/// manifests and signatures the caller must fetch (no trailing newline).
///
/// # Safety
/// As [`vouch_admit`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vouch_admit_plan(
    line: *const u8,
    line_len: usize,
    out: *mut u8,
    out_capacity: usize,
    out_len: *mut usize,
) -> Status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        answer_line(
            line,
            line_len,
            out,
            out_capacity,
            out_len,
            vouch_core::admit::plan_line,
        )
    }
}

/// The one-line calls: reads `line`, answers it with `answer`, writes the answer by the buffer
/// convention, and never lets a panic unwind into C.
///
/// # Safety
/// `line` must have `line_len` readable bytes (or be NULL with length 0); `out` must have
/// `out_capacity` writable bytes (or be NULL with capacity 0); `out_len` must be a valid pointer.
unsafe fn answer_line(
    line: *const u8,
    line_len: usize,
    out: *mut u8,
    out_capacity: usize,
    out_len: *mut usize,
    answer: fn(&[u8]) -> String,
) -> Status {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let Some(line) = (unsafe { input(line, line_len) }) else {
            return Status::NullParameter;
        };
        let text = answer(line);
        // SAFETY: forwarded from this function's contract.
        unsafe { write_output(text.as_bytes(), out, out_capacity, out_len) }
    })
}

/// A compiled policy (C: `vouch_evaluator`): a policy document and the files it names, read and
/// compiled once by [`vouch_evaluator_new`], then used for any number of requests. Immutable:
/// any number of threads may call [`vouch_evaluator_evaluate`] and [`vouch_evaluator_report`]
/// on one `const vouch_evaluator *` at the same time. Released by [`vouch_evaluator_free`].
#[derive(Debug)]
pub struct Evaluator {
    compiled: CompiledPolicy,
}

/// Compiles the policy half of an evaluation request, `{"policy": ..., "files": {...}}`
/// (`policy_text` or `policy_base64` may stand for `policy`), into a new evaluator written to
/// `*evaluator_out`.
///
/// A policy that containers/image would reject, or a policy half that cannot be read, still
/// gives an evaluator (and `VOUCH_STATUS_OK`): every decision it makes is then the denial that
/// says why, exactly as `vouch_evaluate_json` would answer. Call `vouch_evaluator_report` to
/// learn at load time whether the policy was accepted and which named files were not given.
///
/// # Safety
/// `policy` must have `policy_len` readable bytes (or be NULL with length 0); `evaluator_out`
/// must be a valid pointer. The evaluator must be released with `vouch_evaluator_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vouch_evaluator_new(
    policy: *const u8,
    policy_len: usize,
    evaluator_out: *mut *mut Evaluator,
) -> Status {
    guard(|| {
        if evaluator_out.is_null() {
            return Status::NullParameter;
        }
        // SAFETY: forwarded from this function's contract.
        let Some(policy) = (unsafe { input(policy, policy_len) }) else {
            return Status::NullParameter;
        };
        if policy.len() > vouch_core::json::MAX_EVALUATE_REQUEST {
            return Status::InputTooLarge;
        }
        let evaluator = Box::new(Evaluator {
            compiled: CompiledPolicy::compile(policy),
        });
        // SAFETY: `evaluator_out` is non-NULL and valid for a write per the contract.
        unsafe { evaluator_out.write(Box::into_raw(evaluator)) };
        Status::Ok
    })
}

/// Writes what compiling found, as JSON:
/// `{"accepted": bool, "error_kind", "error", "policy_error", "policy_error_location",
/// "files_needed": [...], "files_missing": [...], "files_unreadable": [...], "problems": [...]}`
/// (see `docs/decisions.md`).
///
/// # Safety
/// `evaluator` must come from `vouch_evaluator_new` and not be freed; `out` must have
/// `out_capacity` writable bytes (or be NULL with capacity 0); `out_len` must be valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vouch_evaluator_report(
    evaluator: *const Evaluator,
    out: *mut u8,
    out_capacity: usize,
    out_len: *mut usize,
) -> Status {
    guard(|| {
        // SAFETY: a non-NULL `evaluator` is live and unaliased by writers, per the contract.
        let Some(evaluator) = (unsafe { evaluator.as_ref() }) else {
            return Status::NullParameter;
        };
        let report = evaluator.compiled.report_json();
        // SAFETY: forwarded from this function's contract.
        unsafe { write_output(report.as_bytes(), out, out_capacity, out_len) }
    })
}

/// Decides the image half of an evaluation request, `{"transport", "reference", "manifest",
/// "signatures", "now", "id"}`, with the evaluator's policy, and writes the decision JSON (no
/// trailing newline). The decision is byte-identical to `vouch_evaluate_json` given both halves
/// in one request. A request carrying `policy` or `files` is refused (the answer says so).
///
/// When the buffer is too small, nothing is written and `*out_len` is the size needed; calling
/// again decides again (signature verifications are cached by the evaluator).
///
/// # Safety
/// `evaluator` must come from `vouch_evaluator_new` and not be freed; `request` must have
/// `request_len` readable bytes (or be NULL with length 0); `out` must have `out_capacity`
/// writable bytes (or be NULL with capacity 0); `out_len` must be valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vouch_evaluator_evaluate(
    evaluator: *const Evaluator,
    request: *const u8,
    request_len: usize,
    out: *mut u8,
    out_capacity: usize,
    out_len: *mut usize,
) -> Status {
    guard(|| {
        // SAFETY: a non-NULL `evaluator` is live, per the contract.
        let Some(evaluator) = (unsafe { evaluator.as_ref() }) else {
            return Status::NullParameter;
        };
        // SAFETY: forwarded from this function's contract.
        unsafe {
            decide(request, request_len, out, out_capacity, out_len, |r| {
                evaluator.compiled.evaluate_line(r)
            })
        }
    })
}

/// Releases an evaluator. NULL does nothing. No other call may be using it.
///
/// # Safety
/// `evaluator` must be NULL or come from `vouch_evaluator_new`, and not be freed already.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vouch_evaluator_free(evaluator: *mut Evaluator) {
    // A panic while dropping cannot be reported (there is no status), but must not unwind
    // into C either.
    let _ = catch_unwind(AssertUnwindSafe(|| {
        if !evaluator.is_null() {
            // SAFETY: per the contract, `evaluator` came from `Box::into_raw` in
            // `vouch_evaluator_new` and is freed exactly once.
            drop(unsafe { Box::from_raw(evaluator) });
        }
    }));
}

/// Prometheus metrics of decisions (C: `vouch_metrics`), owned by the caller: create one with
/// [`vouch_metrics_new`], hand it each request and answer with [`vouch_metrics_observe`], render
/// the text exposition with [`vouch_metrics_render`]. Not synchronised: one thread at a time,
/// or a lock around each call.
#[derive(Debug)]
pub struct Metrics {
    inner: vouch_core::metrics::Metrics,
}

/// Opt-in flag of [`vouch_metrics_new`]: count admission results per namespace.
pub const VOUCH_METRICS_NAMESPACES: u32 = 1;
/// Opt-in flag of [`vouch_metrics_new`]: count image policy results per image name.
pub const VOUCH_METRICS_IMAGES: u32 = 2;

/// Creates an empty set of metrics written to `*metrics_out`. `flags`: 0, or
/// `VOUCH_METRICS_NAMESPACES` and `VOUCH_METRICS_IMAGES` (labels that grow without bound).
///
/// # Safety
/// `metrics_out` must be a valid pointer. Release the metrics with `vouch_metrics_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vouch_metrics_new(flags: u32, metrics_out: *mut *mut Metrics) -> Status {
    guard(|| {
        if metrics_out.is_null() {
            return Status::NullParameter;
        }
        let options = vouch_core::metrics::MetricsOptions {
            namespaces: flags & VOUCH_METRICS_NAMESPACES != 0,
            images: flags & VOUCH_METRICS_IMAGES != 0,
        };
        let metrics = Box::new(Metrics {
            inner: vouch_core::metrics::Metrics::new(options),
        });
        // SAFETY: `metrics_out` is non-NULL and valid for a write per the contract.
        unsafe { metrics_out.write(Box::into_raw(metrics)) };
        Status::Ok
    })
}

/// Counts one decision: the request as given to any vouch call (may be empty), the answer it
/// wrote, and how long it took in seconds (negative: not measured).
///
/// # Safety
/// `metrics` must come from `vouch_metrics_new` and not be freed, with no other call using it;
/// `request` and `answer` must have their lengths' readable bytes (or be NULL with length 0).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vouch_metrics_observe(
    metrics: *mut Metrics,
    request: *const u8,
    request_len: usize,
    answer: *const u8,
    answer_len: usize,
    seconds: f64,
) -> Status {
    guard(|| {
        // SAFETY: a live, unshared handle per the contract.
        let Some(metrics) = (unsafe { metrics.as_mut() }) else {
            return Status::NullParameter;
        };
        // SAFETY: forwarded from this function's contract.
        let (Some(request), Some(answer)) = (unsafe { input(request, request_len) }, unsafe {
            input(answer, answer_len)
        }) else {
            return Status::NullParameter;
        };
        metrics
            .inner
            .observe(request, answer, (seconds >= 0.0).then_some(seconds));
        Status::Ok
    })
}

/// Writes the Prometheus text exposition of everything observed.
///
/// # Safety
/// `metrics` must come from `vouch_metrics_new` and not be freed; `out` must have
/// `out_capacity` writable bytes (or be NULL with capacity 0); `out_len` must be a valid pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vouch_metrics_render(
    metrics: *const Metrics,
    out: *mut u8,
    out_capacity: usize,
    out_len: *mut usize,
) -> Status {
    guard(|| {
        // SAFETY: a live handle per the contract.
        let Some(metrics) = (unsafe { metrics.as_ref() }) else {
            return Status::NullParameter;
        };
        let text = metrics.inner.render();
        // SAFETY: forwarded from this function's contract.
        unsafe { write_output(text.as_bytes(), out, out_capacity, out_len) }
    })
}

/// Releases metrics. NULL does nothing.
///
/// # Safety
/// `metrics` must be NULL or come from `vouch_metrics_new`, and not be freed already.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vouch_metrics_free(metrics: *mut Metrics) {
    let _ = catch_unwind(AssertUnwindSafe(|| {
        if !metrics.is_null() {
            // SAFETY: per the contract, `metrics` came from `Box::into_raw` in
            // `vouch_metrics_new` and is freed exactly once.
            drop(unsafe { Box::from_raw(metrics) });
        }
    }));
}

/// Decides one whole evaluation request (`docs/interchange.md`: the policy, its files, the
/// image, its manifest and signatures, the time) and writes the decision JSON (no trailing
/// newline), byte-identical to a line of `vouch eval`.
///
/// `VOUCH_STATUS_OK` means a decision was written, whatever it says: a denied image, a
/// rejected policy or an unreadable request are all decisions with `"allowed": false`.
/// When the buffer is too small, nothing is written, the status is
/// `VOUCH_STATUS_BUFFER_TOO_SMALL` and `*out_len` is the size needed; calling again decides
/// again. A request over 96 MiB is `VOUCH_STATUS_INPUT_TOO_LARGE`. To decide many images with
/// one policy, compile it once with `vouch_evaluator_new` instead.
///
/// # Safety
/// `request` must have `request_len` readable bytes (or be NULL with length 0); `out` must have
/// `out_capacity` writable bytes (or be NULL with capacity 0); `out_len` must be valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vouch_evaluate_json(
    request: *const u8,
    request_len: usize,
    out: *mut u8,
    out_capacity: usize,
    out_len: *mut usize,
) -> Status {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        unsafe {
            decide(
                request,
                request_len,
                out,
                out_capacity,
                out_len,
                vouch_core::json::evaluate_line,
            )
        }
    })
}

/// Reads a request under the input conventions (NULL checks, the size bound), decides it with
/// `decision` and writes the answer under the buffer convention. The output pointers are
/// checked before anything is decided.
///
/// # Safety
/// As [`input`] for `request`, and as [`write_output`] for the output.
unsafe fn decide(
    request: *const u8,
    request_len: usize,
    out: *mut u8,
    out_capacity: usize,
    out_len: *mut usize,
    decision: impl FnOnce(&[u8]) -> String,
) -> Status {
    // SAFETY: forwarded from this function's contract.
    let Some(request) = (unsafe { input(request, request_len) }) else {
        return Status::NullParameter;
    };
    if out_len.is_null() || (out.is_null() && out_capacity > 0) {
        return Status::NullParameter;
    }
    if request.len() > vouch_core::json::MAX_EVALUATE_REQUEST {
        return Status::InputTooLarge;
    }
    // SAFETY: forwarded from this function's contract.
    unsafe { write_output(decision(request).as_bytes(), out, out_capacity, out_len) }
}

/// Runs `f`, turning a panic into [`Status::Panic`].
fn guard(f: impl FnOnce() -> Status) -> Status {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(Status::Panic)
}

/// The input slice, or `None` for a NULL pointer with a non-zero length.
///
/// # Safety
/// A non-NULL `ptr` must have `len` readable bytes that stay unchanged during the call.
unsafe fn input<'a>(ptr: *const u8, len: usize) -> Option<&'a [u8]> {
    match (ptr.is_null(), len) {
        (_, 0) => Some(&[]),
        (true, _) => None,
        // SAFETY: guaranteed by the caller.
        (false, _) => Some(unsafe { std::slice::from_raw_parts(ptr, len) }),
    }
}

/// Copies `bytes` to `out` under the buffer convention of `ffi/README.md`.
///
/// # Safety
/// A non-NULL `out` must have `out_capacity` writable bytes; a non-NULL `out_len` must be valid
/// for a write.
unsafe fn write_output(
    bytes: &[u8],
    out: *mut u8,
    out_capacity: usize,
    out_len: *mut usize,
) -> Status {
    if out_len.is_null() || (out.is_null() && out_capacity > 0) {
        return Status::NullParameter;
    }
    // SAFETY: `out_len` is non-NULL and valid per the caller.
    unsafe { out_len.write(bytes.len()) };
    if bytes.len() > out_capacity {
        return Status::BufferTooSmall;
    }
    if bytes.is_empty() {
        return Status::Ok;
    }
    // SAFETY: `out` has at least `out_capacity >= bytes.len()` writable bytes, and cannot
    // overlap `bytes`, which vouch owns.
    unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), out, bytes.len()) };
    Status::Ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buffer_protocol() {
        let line = b"busybox";
        let mut needed = 0usize;
        // SAFETY: valid pointers and lengths throughout.
        let status = unsafe {
            vouch_reference_parse(
                line.as_ptr(),
                line.len(),
                0,
                std::ptr::null_mut(),
                0,
                &mut needed,
            )
        };
        assert_eq!(status, Status::BufferTooSmall);
        let mut out = vec![0u8; needed];
        let mut written = 0usize;
        // SAFETY: `out` has `needed` writable bytes.
        let status = unsafe {
            vouch_reference_parse(
                line.as_ptr(),
                line.len(),
                0,
                out.as_mut_ptr(),
                out.len(),
                &mut written,
            )
        };
        assert_eq!(status, Status::Ok);
        assert_eq!(written, needed);
        assert_eq!(
            out,
            vouch_core::json::reference_line(line, Dialect::ContainersImage).to_json()
        );
        // SAFETY: NULL input with a length is refused before it is read.
        let status = unsafe {
            vouch_reference_parse(
                std::ptr::null(),
                3,
                0,
                out.as_mut_ptr(),
                out.len(),
                &mut written,
            )
        };
        assert_eq!(status, Status::NullParameter);
        // SAFETY: valid pointers.
        let status = unsafe {
            vouch_reference_parse(
                line.as_ptr(),
                line.len(),
                7,
                out.as_mut_ptr(),
                out.len(),
                &mut written,
            )
        };
        assert_eq!(status, Status::InvalidParameter);
    }
}
