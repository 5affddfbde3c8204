//! Parsing a typical reference allocates at most once (the canonical text).
//!
//! This needs a counting global allocator, which is `unsafe` to implement, so the test lives in
//! the FFI crate where unsafe code is allowed.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use vouch_core::{Dialect, Reference};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every method forwards to the system allocator with the caller's arguments unchanged;
// counting has no effect on the memory handed out.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::SeqCst);
        // SAFETY: forwarded from the caller's contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded from the caller's contract.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::SeqCst);
        // SAFETY: forwarded from the caller's contract.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[test]
fn typical_references_allocate_once() {
    let inputs = [
        "busybox",
        "busybox:1.36",
        "quay.io/podman/stable:latest",
        "registry.k8s.io/kube-apiserver:v1.33.0",
        "localhost:5000/team/app",
        "ghcr.io/org/app@sha256:8e9b5b7c1d2a3f4e5d6c7b8a9f0e1d2c3b4a5f6e7d8c9b0a1f2e3d4c5b6a7f8e",
        "docker.io/library/busybox:latest@sha256:8e9b5b7c1d2a3f4e5d6c7b8a9f0e1d2c3b4a5f6e7d8c9b0a1f2e3d4c5b6a7f8e",
    ];
    for dialect in [Dialect::ContainersImage, Dialect::Distribution] {
        for input in inputs {
            let before = ALLOCATIONS.load(Ordering::SeqCst);
            let reference = Reference::parse_normalized_in(input, dialect).expect(input);
            let after = ALLOCATIONS.load(Ordering::SeqCst);
            assert_eq!(
                after - before,
                1,
                "{input} ({dialect}) allocated {} times",
                after - before
            );
            // Reading the parts allocates nothing.
            let _ = (
                reference.domain(),
                reference.path(),
                reference.tag(),
                reference.digest(),
            );
            let _ = (reference.familiar_name(), reference.familiar_string());
            assert_eq!(ALLOCATIONS.load(Ordering::SeqCst), after);
        }
    }
}
