//! vouch as a WebAssembly module with a plain ABI, for hosts without JavaScript glue
//! (wazero, wasmtime, Node's bare `WebAssembly` API).
//!
//! The module imports nothing. The host copies request bytes into memory it got from
//! [`vouch_alloc`], calls an entry point, reads the result region and frees both. Every entry
//! point speaks the JSON contract of `vouch::json`, so answers are byte-identical to the CLI's
//! and the C library's. See `wasm/ABI.md`.
//!
//! The functions are ordinary Rust functions too, so the ABI is unit-tested natively.

#![deny(unsafe_op_in_unsafe_fn, clippy::undocumented_unsafe_blocks)]

extern crate alloc;

#[cfg(feature = "bench")]
pub mod bench;
#[cfg(feature = "js")]
pub mod js;

use alloc::alloc::{Layout, alloc, dealloc};
use core::ptr;

use vouch::Dialect;
use vouch::json::CompiledPolicy;

/// The ABI's major version: changes when an export changes meaning.
pub const ABI_VERSION_MAJOR: u32 = 0;
/// The ABI's minor version: changes when exports are added.
pub const ABI_VERSION_MINOR: u32 = 5;

/// The ABI version as `major << 16 | minor`.
#[unsafe(no_mangle)]
pub extern "C" fn vouch_abi_version() -> u32 {
    (ABI_VERSION_MAJOR << 16) | ABI_VERSION_MINOR
}

/// What this build can do (`{"version", "crypto", "openpgp", "verification_cache"}`) as a
/// result region (see [`vouch_result_free`]), or null when out of memory. ABI 0.3.
#[unsafe(no_mangle)]
pub extern "C" fn vouch_build_info() -> *mut u8 {
    result_region(vouch::BUILD.to_json().as_bytes())
}

/// Allocates `len` bytes for the host to write a request into; null when out of memory.
/// A zero length gives a non-null pointer that must not be written.
#[unsafe(no_mangle)]
pub extern "C" fn vouch_alloc(len: usize) -> *mut u8 {
    let Ok(layout) = Layout::array::<u8>(len) else {
        return ptr::null_mut();
    };
    if len == 0 {
        return ptr::NonNull::<u8>::dangling().as_ptr();
    }
    // SAFETY: the layout has a non-zero size, checked just above.
    unsafe { alloc(layout) }
}

/// Frees memory from [`vouch_alloc`]; `len` must be the length it was allocated with.
///
/// # Safety
/// `ptr` must come from `vouch_alloc(len)` and not have been freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vouch_free(ptr: *mut u8, len: usize) {
    if ptr.is_null() || len == 0 {
        return;
    }
    if let Ok(layout) = Layout::array::<u8>(len) {
        // SAFETY: the caller guarantees `ptr` was allocated by `vouch_alloc(len)`, which used
        // this same layout.
        unsafe { dealloc(ptr, layout) }
    }
}

/// Parses one reference line, as one input line of `vouch ref` (a bare reference, or a JSON
/// request `{"reference": ..., "dialect": ...}`), in the containers-image dialect unless the
/// request names another. Returns a result region (see [`vouch_result_free`]), or null when
/// out of memory.
///
/// # Safety
/// `ptr` must point to `len` readable bytes (it may dangle when `len` is 0).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vouch_reference_parse(ptr: *const u8, len: usize) -> *mut u8 {
    // SAFETY: forwarded from this function's contract.
    let input = unsafe { input(ptr, len) };
    let answer = vouch::json::reference_line(input, Dialect::ContainersImage).to_json();
    result_region(&answer)
}

/// Answers one Kubernetes node request: one input line of `vouch node` (docs/node.md).
/// Returns a result region holding the answer JSON, byte-identical to a line of `vouch node`
/// (without the newline); null when out of memory.
///
/// # Safety
/// `ptr` must point to `len` readable bytes (it may dangle when `len` is 0).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vouch_node_decide(ptr: *const u8, len: usize) -> *mut u8 {
    // SAFETY: forwarded from this function's contract.
    let input = unsafe { input(ptr, len) };
    result_region(vouch::json::node_line(input).as_bytes())
}

/// Decides one admission line of `vouch admit` (docs/admission.md). Returns a result region
/// holding the AdmissionReview, byte-identical to a line of `vouch admit`; null when out of
/// memory.
///
/// # Safety
/// `ptr` must point to `len` readable bytes (it may dangle when `len` is 0).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vouch_admit(ptr: *const u8, len: usize) -> *mut u8 {
    // SAFETY: forwarded from this function's contract.
    let input = unsafe { input(ptr, len) };
    result_region(vouch::admit::admit_line(input).as_bytes())
}

/// Plans one admission line (`vouch admit --plan`): a result region holding `{"images": [...]}`.
///
/// # Safety
/// `ptr` must point to `len` readable bytes (it may dangle when `len` is 0).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vouch_admit_plan(ptr: *const u8, len: usize) -> *mut u8 {
    // SAFETY: forwarded from this function's contract.
    let input = unsafe { input(ptr, len) };
    result_region(vouch::admit::plan_line(input).as_bytes())
}

/// Verifies a sigstore bundle: one request as one input line of `vouch bundle`
/// (docs/bundles.md). Returns a result region holding the answer JSON, byte-identical to a
/// line of `vouch bundle` (without the newline); null when out of memory.
///
/// # Safety
/// `ptr` must point to `len` readable bytes (it may dangle when `len` is 0).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vouch_bundle_verify(ptr: *const u8, len: usize) -> *mut u8 {
    // SAFETY: forwarded from this function's contract.
    let input = unsafe { input(ptr, len) };
    result_region(vouch::json::bundle_line(input).as_bytes())
}

/// Decides one whole evaluation request (`docs/interchange.md`) and returns a result region
/// holding the decision JSON, byte-identical to a line of `vouch eval` (without the newline);
/// null when out of memory.
///
/// # Safety
/// `ptr` must point to `len` readable bytes (it may dangle when `len` is 0).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vouch_evaluate_json(ptr: *const u8, len: usize) -> *mut u8 {
    // SAFETY: forwarded from this function's contract.
    let input = unsafe { input(ptr, len) };
    result_region(vouch::json::evaluate_line(input).as_bytes())
}

/// Compiles the policy half of a request (`{"policy": ..., "files": {...}}`) into an evaluator
/// handle for [`vouch_evaluator_evaluate`]; null when out of memory. A rejected or unreadable
/// policy still gives a handle whose every decision is the denial explaining why.
///
/// # Safety
/// `ptr` must point to `len` readable bytes (it may dangle when `len` is 0).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vouch_evaluator_new(ptr: *const u8, len: usize) -> *mut CompiledPolicy {
    // SAFETY: forwarded from this function's contract.
    let input = unsafe { input(ptr, len) };
    alloc::boxed::Box::into_raw(alloc::boxed::Box::new(CompiledPolicy::compile(input)))
}

/// The compile report of an evaluator (accepted, errors, files needed and missing) as a result
/// region.
///
/// # Safety
/// `evaluator` must come from [`vouch_evaluator_new`] and not be freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vouch_evaluator_report(evaluator: *const CompiledPolicy) -> *mut u8 {
    // SAFETY: a live handle, per the contract.
    let Some(evaluator) = (unsafe { evaluator.as_ref() }) else {
        return ptr::null_mut();
    };
    result_region(evaluator.report_json().as_bytes())
}

/// Decides the image half of a request with an evaluator; the decision is byte-identical to
/// [`vouch_evaluate_json`] on the whole request. Null when out of memory or `evaluator` is null.
///
/// # Safety
/// `evaluator` must come from [`vouch_evaluator_new`] and not be freed; `ptr` must point to
/// `len` readable bytes (it may dangle when `len` is 0).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vouch_evaluator_evaluate(
    evaluator: *const CompiledPolicy,
    ptr: *const u8,
    len: usize,
) -> *mut u8 {
    // SAFETY: a live handle, per the contract.
    let Some(evaluator) = (unsafe { evaluator.as_ref() }) else {
        return ptr::null_mut();
    };
    // SAFETY: forwarded from this function's contract.
    let input = unsafe { input(ptr, len) };
    result_region(evaluator.evaluate_line(input).as_bytes())
}

/// Releases an evaluator; null does nothing.
///
/// # Safety
/// `evaluator` must be null or come from [`vouch_evaluator_new`], not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vouch_evaluator_free(evaluator: *mut CompiledPolicy) {
    if !evaluator.is_null() {
        // SAFETY: per the contract, the pointer came from `Box::into_raw` and is freed once.
        drop(unsafe { alloc::boxed::Box::from_raw(evaluator) });
    }
}

/// New metrics (`flags`: 1 counts admission results per namespace, 2 image policy results per
/// image); a handle for the calls below, released with [`vouch_metrics_free`].
#[unsafe(no_mangle)]
pub extern "C" fn vouch_metrics_new(flags: u32) -> *mut vouch::metrics::Metrics {
    let options = vouch::metrics::MetricsOptions {
        namespaces: flags & 1 != 0,
        images: flags & 2 != 0,
    };
    alloc::boxed::Box::into_raw(alloc::boxed::Box::new(vouch::metrics::Metrics::new(
        options,
    )))
}

/// Counts one decision: its request and answer, and the seconds it took (negative: not
/// measured). Returns 0, or 1 when `metrics` is null.
///
/// # Safety
/// `metrics` must come from [`vouch_metrics_new`] and not be freed; the pointers must have
/// their lengths' readable bytes (they may dangle when the length is 0).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vouch_metrics_observe(
    metrics: *mut vouch::metrics::Metrics,
    request: *const u8,
    request_len: usize,
    answer: *const u8,
    answer_len: usize,
    seconds: f64,
) -> u32 {
    // SAFETY: a live handle, per the contract.
    let Some(metrics) = (unsafe { metrics.as_mut() }) else {
        return 1;
    };
    // SAFETY: forwarded from this function's contract.
    let (request, answer) = unsafe { (input(request, request_len), input(answer, answer_len)) };
    metrics.observe(request, answer, (seconds >= 0.0).then_some(seconds));
    0
}

/// The Prometheus text exposition as a result region; null when `metrics` is null.
///
/// # Safety
/// `metrics` must come from [`vouch_metrics_new`] and not be freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vouch_metrics_render(metrics: *const vouch::metrics::Metrics) -> *mut u8 {
    // SAFETY: a live handle, per the contract.
    let Some(metrics) = (unsafe { metrics.as_ref() }) else {
        return ptr::null_mut();
    };
    result_region(metrics.render().as_bytes())
}

/// Releases metrics; null does nothing.
///
/// # Safety
/// `metrics` must be null or come from [`vouch_metrics_new`], not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vouch_metrics_free(metrics: *mut vouch::metrics::Metrics) {
    if !metrics.is_null() {
        // SAFETY: per the contract, the pointer came from `Box::into_raw` and is freed once.
        drop(unsafe { alloc::boxed::Box::from_raw(metrics) });
    }
}

/// The request bytes at `ptr`.
///
/// # Safety
/// `ptr` must point to `len` readable bytes, unless `len` is 0.
unsafe fn input<'a>(ptr: *const u8, len: usize) -> &'a [u8] {
    if len == 0 || ptr.is_null() {
        &[]
    } else {
        // SAFETY: the caller guarantees `len` readable bytes at `ptr`.
        unsafe { core::slice::from_raw_parts(ptr, len) }
    }
}

/// Frees a result region. A result region is a little-endian `u32` byte count followed by that
/// many bytes of UTF-8 JSON; the pointer is 4-byte aligned.
///
/// # Safety
/// `result` must be a region returned by an entry point of this module, not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vouch_result_free(result: *mut u8) {
    if result.is_null() {
        return;
    }
    // SAFETY: the caller guarantees a live result region, which starts with 4 readable bytes.
    let len = unsafe { ptr::read(result.cast::<[u8; 4]>()) };
    let total = (u32::from_le_bytes(len) as usize).saturating_add(4);
    if let Ok(layout) = Layout::from_size_align(total, 4) {
        // SAFETY: `result_region` allocated exactly this layout for this byte count.
        unsafe { dealloc(result, layout) }
    }
}

fn result_region(bytes: &[u8]) -> *mut u8 {
    let Ok(count) = u32::try_from(bytes.len()) else {
        return ptr::null_mut();
    };
    let Ok(layout) = Layout::from_size_align(bytes.len().saturating_add(4), 4) else {
        return ptr::null_mut();
    };
    // SAFETY: the layout's size is at least 4, so non-zero.
    let region = unsafe { alloc(layout) };
    if region.is_null() {
        return region;
    }
    // SAFETY: the region has room for 4 + bytes.len() bytes and is 4-byte aligned; the source
    // does not overlap freshly allocated memory.
    unsafe {
        ptr::write(region.cast::<[u8; 4]>(), count.to_le_bytes());
        ptr::copy_nonoverlapping(bytes.as_ptr(), region.add(4), bytes.len());
    }
    region
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(line: &[u8]) -> Vec<u8> {
        // SAFETY: the entry point's contract is met by `call_with`.
        call_with(line, |p, n| unsafe { vouch_reference_parse(p, n) })
    }

    fn call_with(line: &[u8], entry: impl FnOnce(*const u8, usize) -> *mut u8) -> Vec<u8> {
        let buf = vouch_alloc(line.len());
        // SAFETY: `buf` has room for `line.len()` bytes.
        unsafe { ptr::copy_nonoverlapping(line.as_ptr(), buf, line.len()) };
        let result = entry(buf, line.len());
        // SAFETY: `buf` came from `vouch_alloc(line.len())`.
        unsafe { vouch_free(buf, line.len()) };
        assert!(!result.is_null());
        // SAFETY: a result region starts with its length, followed by that many bytes.
        let out = unsafe {
            let len = u32::from_le_bytes(ptr::read(result.cast::<[u8; 4]>())) as usize;
            core::slice::from_raw_parts(result.add(4), len).to_vec()
        };
        // SAFETY: `result` is a live result region.
        unsafe { vouch_result_free(result) };
        out
    }

    #[test]
    fn answers_match_the_json_contract() {
        for line in [
            &b"busybox"[..],
            b"Foo/bar",
            br#"{"reference":"Foo/bar","dialect":"distribution"}"#,
            b"",
        ] {
            assert_eq!(
                call(line),
                vouch::json::reference_line(line, Dialect::ContainersImage).to_json()
            );
        }
        assert_eq!(vouch_abi_version(), 5);
        let bundle = br#"{"id":"b","bundle":{},"trusted_root":{},"artifact":"","key":""}"#;
        // SAFETY: `call_with` passes a live buffer of the given length.
        let answer = call_with(bundle, |p, n| unsafe { vouch_bundle_verify(p, n) });
        assert_eq!(answer, vouch::json::bundle_line(bundle).into_bytes());
        let node = br#"{"op":"credential_hash","username":"user","password":"pass"}"#;
        // SAFETY: as above.
        let answer = call_with(node, |p, n| unsafe { vouch_node_decide(p, n) });
        assert_eq!(answer, vouch::json::node_line(node).into_bytes());
        let review = br#"{"review":{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","kind":{"kind":"Pod"},"operation":"CREATE","object":{"spec":{"containers":[{"name":"a","image":"busybox"}]}}}}}"#;
        // SAFETY: as above.
        let answer = call_with(review, |p, n| unsafe { vouch_admit(p, n) });
        assert_eq!(answer, vouch::admit::admit_line(review).into_bytes());
        // SAFETY: as above.
        let plan = call_with(review, |p, n| unsafe { vouch_admit_plan(p, n) });
        assert_eq!(
            plan,
            br#"{"error":"","error_kind":"","images":["busybox"]}"#.to_vec()
        );
    }

    #[test]
    fn evaluation_matches_the_json_contract() {
        let whole = br#"{"id":"x","policy":{"default":[{"type":"reject"}],"transports":{"docker":{"quay.io":[{"type":"insecureAcceptAnything"}]}}},"transport":"docker","reference":"quay.io/a/b"}"#;
        // SAFETY: `call_with` passes a live buffer of the given length.
        let one_shot = call_with(whole, |p, n| unsafe { vouch_evaluate_json(p, n) });
        assert_eq!(one_shot, vouch::json::evaluate_line(whole).into_bytes());
        let policy = br#"{"policy":{"default":[{"type":"reject"}],"transports":{"docker":{"quay.io":[{"type":"insecureAcceptAnything"}]}}}}"#;
        // SAFETY: a live buffer of the given length.
        let evaluator = unsafe { vouch_evaluator_new(policy.as_ptr(), policy.len()) };
        let image = br#"{"id":"x","transport":"docker","reference":"quay.io/a/b"}"#;
        // SAFETY: a live handle and buffer.
        let decided = call_with(image, |p, n| unsafe {
            vouch_evaluator_evaluate(evaluator, p, n)
        });
        assert_eq!(decided, one_shot);
        // SAFETY: a live handle; the region is freed by `vouch_result_free`.
        let report = unsafe { vouch_evaluator_report(evaluator) };
        assert!(!report.is_null());
        // SAFETY: a live region, then a live handle, each freed once.
        unsafe {
            vouch_result_free(report);
            vouch_evaluator_free(evaluator);
            vouch_evaluator_free(ptr::null_mut());
        }
        // SAFETY: a null handle is refused before use.
        assert!(unsafe { vouch_evaluator_evaluate(ptr::null(), image.as_ptr(), 1) }.is_null());
    }
}
