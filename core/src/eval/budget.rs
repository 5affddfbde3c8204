//! Budgets: how much one signature may make vouch read before anything is verified. A
//! registry chooses the annotations a node reads, so each is bounded; a signature over a
//! budget is refused with [`Reason::OverBudget`](super::Reason::OverBudget) and the budget it
//! broke, before any parsing or cryptography. containers/image has none of these limits: the
//! defaults are far above anything a signer writes (a Fulcio certificate is about 1 KiB in
//! PEM, its chain 2 KiB, a Rekor SET 3–5 KiB), so they refuse only what no signer makes.

use core::fmt;

/// The limits one signature is held to ([`CompileOptions::signature_budget`]).
///
/// [`CompileOptions::signature_budget`]: super::CompileOptions::signature_budget
///
/// ```
/// use vouch::{CompileOptions, SignatureBudget};
///
/// let budget = SignatureBudget::default().with_chain_certificates(4);
/// assert_eq!(budget.chain_certificates, 4);
/// assert_eq!(budget.certificate_bytes, 16 * 1024);
/// let options = CompileOptions::default().with_signature_budget(budget);
/// assert_eq!(options.signature_budget, budget);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SignatureBudget {
    /// Annotations on one sigstore signature (default 64; cosign writes at most five).
    pub annotations: usize,
    /// Bytes of the certificate annotation (default 16 KiB).
    pub certificate_bytes: usize,
    /// Bytes of the chain annotation (default 64 KiB).
    pub chain_bytes: usize,
    /// PEM blocks in the chain annotation: intermediates and their root (default 10).
    pub chain_certificates: usize,
    /// Bytes of the Rekor SET (bundle) annotation (default [`MAX_REKOR_SET`], 64 KiB).
    ///
    /// [`MAX_REKOR_SET`]: crate::MAX_REKOR_SET
    pub rekor_set_bytes: usize,
}

impl Default for SignatureBudget {
    fn default() -> Self {
        Self {
            annotations: 64,
            certificate_bytes: 16 * 1024,
            chain_bytes: 64 * 1024,
            chain_certificates: 10,
            rekor_set_bytes: crate::trust::rekor::MAX_REKOR_SET,
        }
    }
}

impl SignatureBudget {
    /// The budget with at most `n` annotations per signature.
    #[must_use]
    pub fn with_annotations(mut self, n: usize) -> Self {
        self.annotations = n;
        self
    }

    /// The budget with a certificate annotation of at most `n` bytes.
    #[must_use]
    pub fn with_certificate_bytes(mut self, n: usize) -> Self {
        self.certificate_bytes = n;
        self
    }

    /// The budget with a chain annotation of at most `n` bytes.
    #[must_use]
    pub fn with_chain_bytes(mut self, n: usize) -> Self {
        self.chain_bytes = n;
        self
    }

    /// The budget with at most `n` certificates in the chain annotation.
    #[must_use]
    pub fn with_chain_certificates(mut self, n: usize) -> Self {
        self.chain_certificates = n;
        self
    }

    /// The budget with a Rekor SET annotation of at most `n` bytes.
    #[must_use]
    pub fn with_rekor_set_bytes(mut self, n: usize) -> Self {
        self.rekor_set_bytes = n;
        self
    }

    /// Checks the annotations of one signature: their number, then the certificate, the chain
    /// (bytes, then certificates) and the SET, each when present.
    pub(crate) fn check(
        &self,
        annotations: &alloc::collections::BTreeMap<alloc::string::String, alloc::string::String>,
    ) -> Result<(), OverBudget> {
        use crate::signature::sigstore::{
            BUNDLE_ANNOTATION, CERTIFICATE_ANNOTATION, CHAIN_ANNOTATION,
        };
        over(Budget::Annotations, annotations.len(), self.annotations)?;
        let size = |name: &str| annotations.get(name).map_or(0, alloc::string::String::len);
        over(
            Budget::CertificateBytes,
            size(CERTIFICATE_ANNOTATION),
            self.certificate_bytes,
        )?;
        over(Budget::ChainBytes, size(CHAIN_ANNOTATION), self.chain_bytes)?;
        if let Some(chain) = annotations.get(CHAIN_ANNOTATION) {
            over(
                Budget::ChainCertificates,
                pem_blocks(chain),
                self.chain_certificates,
            )?;
        }
        over(
            Budget::RekorSetBytes,
            size(BUNDLE_ANNOTATION),
            self.rekor_set_bytes,
        )
    }
}

fn over(budget: Budget, size: usize, limit: usize) -> Result<(), OverBudget> {
    if size > limit {
        Err(OverBudget {
            budget,
            size,
            limit,
        })
    } else {
        Ok(())
    }
}

/// How many PEM blocks begin in `pem` (each `-----BEGIN ` at the start of a line).
fn pem_blocks(pem: &str) -> usize {
    pem.split('\n')
        .filter(|line| line.starts_with("-----BEGIN "))
        .count()
}

/// Which budget a signature broke.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Budget {
    /// [`SignatureBudget::annotations`].
    Annotations,
    /// [`SignatureBudget::certificate_bytes`].
    CertificateBytes,
    /// [`SignatureBudget::chain_bytes`].
    ChainBytes,
    /// [`SignatureBudget::chain_certificates`].
    ChainCertificates,
    /// [`SignatureBudget::rekor_set_bytes`].
    RekorSetBytes,
}

impl Budget {
    /// What the budget counts, for a person.
    pub const fn counts(self) -> &'static str {
        match self {
            Self::Annotations => "annotations",
            Self::CertificateBytes => "bytes of certificate annotation",
            Self::ChainBytes => "bytes of chain annotation",
            Self::ChainCertificates => "certificates in the chain annotation",
            Self::RekorSetBytes => "bytes of Rekor SET annotation",
        }
    }
}

/// A signature over one of its budgets (`over_budget`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OverBudget {
    /// The budget.
    pub budget: Budget,
    /// What the signature has.
    pub size: usize,
    /// What the budget allows.
    pub limit: usize,
}

impl fmt::Display for OverBudget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the signature has {} {}; the budget is {}",
            self.size,
            self.budget.counts(),
            self.limit
        )
    }
}

impl core::error::Error for OverBudget {}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::collections::BTreeMap;
    use alloc::string::{String, ToString as _};

    fn annotations(pairs: &[(&str, String)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).into(), v.clone()))
            .collect()
    }

    #[test]
    fn each_budget_refuses_one_past_its_limit() {
        let budget = SignatureBudget::default()
            .with_annotations(3)
            .with_certificate_bytes(10)
            .with_chain_bytes(200)
            .with_chain_certificates(2)
            .with_rekor_set_bytes(20);
        let cert = "dev.sigstore.cosign/certificate";
        let chain = "dev.sigstore.cosign/chain";
        let set = "dev.sigstore.cosign/bundle";
        let block = "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n";
        let fine = annotations(&[
            (cert, "x".repeat(10)),
            (chain, block.repeat(2)),
            (set, "s".repeat(20)),
        ]);
        assert_eq!(budget.check(&fine), Ok(()));
        let cases = [
            (cert, "x".repeat(11), Budget::CertificateBytes, 11, 10),
            (chain, block.repeat(3), Budget::ChainCertificates, 3, 2),
            (chain, "c".repeat(201), Budget::ChainBytes, 201, 200),
            (set, "s".repeat(21), Budget::RekorSetBytes, 21, 20),
        ];
        for (name, value, which, size, limit) in cases {
            let mut over = fine.clone();
            over.insert(name.into(), value);
            let problem = budget.check(&over).expect_err(name);
            assert_eq!(
                (problem.budget, problem.size, problem.limit),
                (which, size, limit)
            );
        }
        let mut many = fine;
        many.insert("a".into(), String::new());
        let problem = budget.check(&many).expect_err("four annotations");
        assert_eq!(problem.budget, Budget::Annotations);
        assert_eq!(
            problem.to_string(),
            "the signature has 4 annotations; the budget is 3"
        );
    }

    #[test]
    fn pem_blocks_count_begin_lines() {
        assert_eq!(pem_blocks(""), 0);
        assert_eq!(pem_blocks("-----BEGIN A-----\n-----BEGIN B-----"), 2);
        assert_eq!(pem_blocks("x-----BEGIN A-----"), 0);
        assert_eq!(pem_blocks("\r\n-----BEGIN A-----"), 1);
        assert_eq!(pem_blocks("-----BEGIN-----\n-----BEGIN A"), 1);
    }
}
