//! Compiling a policy into an [`Evaluator`] and deciding images with it, as containers/image's
//! `PolicyContext.IsRunningImageAllowed` decides: the scope lookup, each requirement's check
//! (`requirement`, `signed_by`, `sigstore_signed`, `claims`), the verification cache
//! (`cache`) and the decision that explains itself (`decision`).

mod budget;
mod cache;
mod claims;
mod compile;
mod decision;
mod material;
mod report;
mod requirement;
mod signed_by;
mod sigstore_bundle;
mod sigstore_signed;

use alloc::string::String;
use alloc::vec::Vec;

pub use budget::{Budget, OverBudget, SignatureBudget};
pub use decision::{
    Decision, Headline, Reason, RequirementOutcome, Scope, SignatureOutcome, SignatureVerdict,
    Verdict,
};
pub use material::MaterialProblem;
pub use report::CompileProblem;
pub use sigstore_bundle::BundleProblem;

use crate::image::{Image, Transport, TransportIndex};
use crate::policy::{Files, Policy, Requirement};
use crate::signature::evidence::Signature;
use cache::VerificationCache;
use claims::ManifestDigest;
use compile::{List, compile_requirement};
use decision::Outcomes;
use requirement::{Context, evaluate_requirement};

/// What is known about the image besides its name: its manifest, its signatures and the time.
#[derive(Clone, Copy, Debug, Default)]
#[non_exhaustive]
pub struct Evidence<'a> {
    /// The manifest of the instance that will run.
    pub manifest: &'a [u8],
    /// The signatures attached to that manifest, in the registry's order.
    pub signatures: &'a [Signature],
    /// The time of the decision in seconds since the Unix epoch, when known.
    pub now: Option<crate::UnixTime>,
}

impl<'a> Evidence<'a> {
    /// The manifest of the instance that will run and the signatures attached to it, with no
    /// time yet.
    pub fn new(manifest: &'a [u8], signatures: &'a [Signature]) -> Self {
        Self {
            manifest,
            signatures,
            now: None,
        }
    }

    /// The same evidence at the time of the decision (a `UnixTime`, or an `Option` of one:
    /// signatures and keys that expire are refused without a time).
    #[must_use]
    pub fn at(mut self, now: impl Into<Option<crate::UnixTime>>) -> Self {
        self.now = now.into();
        self
    }
}

/// Options for [`Evaluator::compile`].
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct CompileOptions {
    /// How many verified signatures the evaluator remembers (1,024 by default; 0 turns the
    /// cache off). A repeat of a remembered (keys, payload, signature) skips the public-key
    /// operation and the payload parse; decisions are the same with and without it. The
    /// entries hold at most about `entries × 4 KiB` together (a keyless entry keeps the SET,
    /// certificate and chain it was verified with, several KiB, to compare on a hit). Without
    /// the `std` feature nothing is cached.
    pub verification_cache: usize,
    /// What one signature may make vouch read (see [`SignatureBudget`] for the defaults).
    pub signature_budget: SignatureBudget,
    /// What one sigstore bundle may make vouch read (`vouchSigstoreBundle`; see
    /// [`BundleBudget`](crate::BundleBudget) for the defaults).
    pub bundle_budget: crate::bundle::BundleBudget,
}

impl Default for CompileOptions {
    fn default() -> Self {
        Self {
            verification_cache: cache::DEFAULT_CAPACITY,
            signature_budget: SignatureBudget::default(),
            bundle_budget: crate::bundle::BundleBudget::default(),
        }
    }
}

impl CompileOptions {
    /// The options with a verification cache of `entries` (0 turns it off).
    #[must_use]
    pub fn with_verification_cache(mut self, entries: usize) -> Self {
        self.verification_cache = entries;
        self
    }

    /// The options with `budget` for every signature.
    #[must_use]
    pub fn with_signature_budget(mut self, budget: SignatureBudget) -> Self {
        self.signature_budget = budget;
        self
    }

    /// The options with `budget` for every sigstore bundle.
    #[must_use]
    pub fn with_bundle_budget(mut self, budget: crate::bundle::BundleBudget) -> Self {
        self.bundle_budget = budget;
        self
    }
}

/// A compiled policy: immutable, `Send + Sync`, cheap to evaluate with.
#[derive(Clone, Debug)]
pub struct Evaluator {
    /// Requirement lists; the first is the global default.
    lists: Vec<List>,
    index: TransportIndex,
    cache: VerificationCache,
    budget: SignatureBudget,
}

impl Evaluator {
    /// Compiles a parsed policy with the files it names. Compiling never fails: a file that is
    /// missing, unreadable or not a usable key makes the requirements that need it refuse
    /// signatures at evaluation, exactly when containers/image would meet the problem;
    /// [`Evaluator::problems`] lists them up front, and [`lint_policy`](super::lint_policy)
    /// reports them with their place in the document.
    pub fn compile(policy: &Policy, files: &Files, options: &CompileOptions) -> Self {
        let compile_list = |transport: Option<&str>, scope: &str, list: &[Requirement]| List {
            transport: transport.map(String::from),
            scope: scope.into(),
            requirements: list
                .iter()
                .map(|r| compile_requirement(r, files, options))
                .collect(),
        };
        let mut lists = Vec::new();
        lists.push(compile_list(None, "", &policy.default));
        let mut index = TransportIndex::new();
        for (name, scopes) in &policy.transports {
            let registered = Transport::from_name(name);
            for (scope, requirements) in scopes {
                // Scopes of unregistered transports can never apply; they are not kept.
                let Some(transport) = registered else {
                    continue;
                };
                let number = lists.len();
                lists.push(compile_list(Some(name), scope, requirements));
                index.transport_mut(transport).insert(scope, number);
            }
        }
        Self {
            lists,
            index,
            cache: VerificationCache::new(options.verification_cache),
            budget: options.signature_budget,
        }
    }

    fn list_for(&self, image: &Image) -> &List {
        let number = self.index.lookup(image).unwrap_or(0);
        // The index only holds numbers of lists it was built with.
        self.lists.get(number).unwrap_or_else(|| &self.lists[0])
    }

    /// The policy entry that applies to `image`.
    pub fn scope_for(&self, image: &Image) -> Scope<'_> {
        let list = self.list_for(image);
        Scope {
            transport: list.transport.as_deref(),
            scope: &list.scope,
        }
    }

    /// Decides whether `image` may run (`IsRunningImageAllowed`): every requirement of the
    /// applicable list must hold; the first that does not ends the evaluation.
    pub fn evaluate(&self, image: &Image, evidence: &Evidence<'_>) -> Decision<'_> {
        let list = self.list_for(image);
        let scope = Scope {
            transport: list.transport.as_deref(),
            scope: &list.scope,
        };
        let context = Context {
            image,
            evidence,
            manifest: ManifestDigest::new(evidence.manifest, self.cache.last_manifest()),
            cache: &self.cache,
            budget: &self.budget,
        };
        if let [only] = list.requirements.as_slice() {
            let outcome = evaluate_requirement(only, &context);
            return Decision {
                allowed: outcome.verdict == Verdict::Allowed,
                scope,
                requirements: Outcomes::One(outcome),
            };
        }
        let mut requirements = Vec::with_capacity(list.requirements.len());
        let mut allowed = !list.requirements.is_empty();
        for compiled in &list.requirements {
            if !allowed {
                requirements.push(RequirementOutcome {
                    requirement: compiled.type_name(),
                    verdict: Verdict::NotEvaluated,
                    reason: None,
                    signatures: Vec::new(),
                });
                continue;
            }
            let outcome = evaluate_requirement(compiled, &context);
            allowed = outcome.verdict == Verdict::Allowed;
            requirements.push(outcome);
        }
        Decision {
            allowed,
            scope,
            requirements: Outcomes::Many(requirements),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evaluator_is_send_and_sync() {
        fn shared<T: Send + Sync + 'static>() {}
        shared::<Evaluator>();
        shared::<Image>();
    }
}
