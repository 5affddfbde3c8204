//! The Kubernetes releases whose node behaviour vouch reproduces.

use core::fmt;

/// A Kubernetes minor release. The kubelet's KEP-2535 behaviour changed in each of these (see
/// docs/node.md): 1.34 added service-account credentials, 1.35 moved the records to
/// `v1beta1` and the check's errors to the pull, 1.36 keyed records and matched the allowlist
/// by the image as written rather than normalised.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum KubernetesVersion {
    /// 1.33: KEP-2535 alpha; records in `v1alpha1`, pull secrets only.
    V1_33,
    /// 1.34: service-account credentials recorded too.
    V1_34,
    /// 1.35: beta, on by default; records in `v1beta1`.
    V1_35,
    /// 1.36: records keyed, and allowlists matched, by the image as written.
    #[default]
    V1_36,
}

impl KubernetesVersion {
    /// Every supported release, oldest first.
    pub const ALL: [Self; 4] = [Self::V1_33, Self::V1_34, Self::V1_35, Self::V1_36];

    /// `"1.33"` … `"1.36"`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::V1_33 => "1.33",
            Self::V1_34 => "1.34",
            Self::V1_35 => "1.35",
            Self::V1_36 => "1.36",
        }
    }

    /// The release with the given [`name`](Self::name).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.name() == name)
    }

    /// Whether service-account credentials exist in this release's records (1.34 on).
    pub(crate) fn has_service_accounts(self) -> bool {
        self >= Self::V1_34
    }

    /// Whether the record's key and the allowlist use the image as written, tag and digest cut
    /// off (1.36 on), rather than the normalised repository.
    pub(crate) fn raw_image_keys(self) -> bool {
        self >= Self::V1_36
    }
}

impl fmt::Display for KubernetesVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
