//! For the tests only: whether the shared vectors (containers/image's signature fixtures, used
//! by tests/check.rs) are there, decided by the same rule as the conformance crate's.

include!("../conformance/build.rs");
