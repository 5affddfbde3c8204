//! What compiling found: the requirements that will refuse every signature whatever the image
//! (a key file missing, unreadable or malformed, a keyring without keys, a verification this
//! build does not do), so that an embedder can say so before the first pull.

use alloc::vec::Vec;

use super::Evaluator;
use super::compile::{Compiled, SigstoreCheck};
use super::decision::{Reason, Scope};

/// A requirement that refuses every signature, found when the policy was compiled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct CompileProblem<'e> {
    /// The policy entry the requirement belongs to.
    pub scope: Scope<'e>,
    /// The requirement's 0-based position in the entry.
    pub requirement: usize,
    /// Its type.
    pub requirement_type: &'static str,
    /// Why every signature it checks is refused (`key_file_missing`, `key_file_unreadable`,
    /// `invalid_key`, `no_public_keys`, `key_type_unimplemented`, `verification_unavailable`).
    pub reason: &'e Reason,
}

impl Compiled {
    /// Why this requirement refuses every signature, when it does for a reason found at compile.
    fn problem(&self) -> Option<&Reason> {
        match self {
            Self::SignedBy {
                keys: Err(reason), ..
            }
            | Self::SigstoreSigned {
                trust: SigstoreCheck::Keys(Err(reason)) | SigstoreCheck::Unavailable(reason),
                ..
            } => Some(reason),
            _ => None,
        }
    }
}

impl Evaluator {
    /// Every requirement that will refuse every signature it checks, in policy order (the
    /// global default first, then transports and scopes sorted). Empty when every key file was
    /// read and every key loaded. Evaluation reports the same reason per signature, exactly
    /// when containers/image would meet the problem.
    ///
    /// ```
    /// use vouch::{CompileOptions, Evaluator, Files, Policy, Reason};
    ///
    /// let policy = Policy::parse(br#"{"default": [{"type": "sigstoreSigned", "keyPath": "/k.pub"}]}"#)?;
    /// let mut files = Files::new();
    /// files.insert_unreadable("/k.pub", "permission denied");
    /// let evaluator = Evaluator::compile(&policy, &files, &CompileOptions::default());
    /// let problems = evaluator.problems();
    /// assert_eq!(problems.len(), 1);
    /// assert!(matches!(problems[0].reason, Reason::KeyFileUnreadable { .. }));
    /// # Ok::<(), vouch::Error>(())
    /// ```
    pub fn problems(&self) -> Vec<CompileProblem<'_>> {
        let mut out = Vec::new();
        for list in &self.lists {
            for (index, requirement) in list.requirements.iter().enumerate() {
                if let Some(reason) = requirement.problem() {
                    out.push(CompileProblem {
                        scope: Scope {
                            transport: list.transport.as_deref(),
                            scope: &list.scope,
                        },
                        requirement: index,
                        requirement_type: requirement.type_name(),
                        reason,
                    });
                }
            }
        }
        out
    }
}
