//! The scope index: for each transport, its scopes in hash maps, so that finding the
//! requirement list for an image costs the same with one scope or with a hundred thousand.

use alloc::boxed::Box;

use foldhash::fast::FixedState;
use hashbrown::HashMap;

use super::docker::Namespace;
use super::named::Image;
use super::transport::Transport;

/// A fixed seed: lookups must be deterministic across processes and need no randomness (no
/// I/O). Only the policy's own keys are ever inserted, so flooding is not a concern.
const SEED: u64 = 0x766f_7563_685f_7631; // "vouch_v1"

type Map = HashMap<Box<str>, usize, FixedState>;

fn new_map() -> Map {
    HashMap::with_hasher(FixedState::with_seed(SEED))
}

/// Which key lengths a map holds: a candidate of another length is not hashed at all. Most
/// lookups miss (an image's identity and most of its namespaces are not scopes), so this
/// saves most of the hashing. Lengths from 512 up share the last bit.
#[derive(Clone, Debug, Default)]
struct Lengths([u64; 8]);

impl Lengths {
    fn insert(&mut self, len: usize) {
        let bit = len.min(511);
        self.0[bit / 64] |= 1 << (bit % 64);
    }

    fn may_contain(&self, len: usize) -> bool {
        let bit = len.min(511);
        self.0[bit / 64] & (1 << (bit % 64)) != 0
    }
}

/// One transport's scopes.
#[derive(Clone, Debug)]
pub(crate) struct ScopeIndex {
    /// Every non-empty scope, spelled as in the policy.
    exact: Map,
    exact_lengths: Lengths,
    /// `*.suffix` scopes, keyed by `suffix`.
    wildcard: Map,
    wildcard_lengths: Lengths,
    /// The transport's `""` scope.
    default: Option<usize>,
}

impl ScopeIndex {
    pub(crate) fn new() -> Self {
        Self {
            exact: new_map(),
            exact_lengths: Lengths::default(),
            wildcard: new_map(),
            wildcard_lengths: Lengths::default(),
            default: None,
        }
    }

    /// Adds a scope and the number of its requirement list.
    pub(crate) fn insert(&mut self, scope: &str, list: usize) {
        if scope.is_empty() {
            self.default = Some(list);
            return;
        }
        if let Some(suffix) = scope.strip_prefix("*.") {
            self.wildcard.insert(suffix.into(), list);
            self.wildcard_lengths.insert(suffix.len());
        }
        self.exact.insert(scope.into(), list);
        self.exact_lengths.insert(scope.len());
    }

    /// The requirement list for `image`: its identity, then its namespaces in order, then the
    /// transport's `""` scope. `None` means the global default applies.
    pub(crate) fn lookup(&self, image: &Image) -> Option<usize> {
        let exact = |scope: &str| {
            if self.exact_lengths.may_contain(scope.len()) {
                self.exact.get(scope).copied()
            } else {
                None
            }
        };
        let identity = image.policy_identity();
        if !identity.is_empty()
            && let Some(list) = exact(identity)
        {
            return Some(list);
        }
        for namespace in image.namespaces() {
            let found = match namespace {
                Namespace::Exact(scope) => exact(scope),
                Namespace::Wildcard(suffix) if self.wildcard_lengths.may_contain(suffix.len()) => {
                    self.wildcard.get(suffix).copied()
                }
                Namespace::Wildcard(_) => None,
            };
            if found.is_some() {
                return found;
            }
        }
        self.default
    }
}

/// The index of every registered transport named in the policy.
#[derive(Clone, Debug)]
pub(crate) struct TransportIndex {
    transports: [Option<ScopeIndex>; Transport::ALL.len()],
}

impl TransportIndex {
    pub(crate) fn new() -> Self {
        Self {
            transports: Default::default(),
        }
    }

    pub(crate) fn transport_mut(&mut self, transport: Transport) -> &mut ScopeIndex {
        self.transports[transport as usize].get_or_insert_with(ScopeIndex::new)
    }

    /// The requirement list for `image`; `None` means the global default.
    pub(crate) fn lookup(&self, image: &Image) -> Option<usize> {
        self.transports[image.transport() as usize]
            .as_ref()?
            .lookup(image)
    }
}
