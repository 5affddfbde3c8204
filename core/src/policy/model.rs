//! The containers-policy.json(5) model, as containers/image 5.34 reads it.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use crate::reference::Reference;

/// A parsed policy: the global default and the per-transport scopes.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Policy {
    /// The requirements that apply when no transport scope does. Never empty.
    pub default: Vec<Requirement>,
    /// Transport name → scope → requirements. Scope `""` is the transport's default. Unknown
    /// transport names are kept, as containers/image keeps them.
    pub transports: BTreeMap<String, BTreeMap<String, Vec<Requirement>>>,
}

/// One requirement of a requirement list; all requirements of a list must hold.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Requirement {
    /// `insecureAcceptAnything`: allows any image.
    InsecureAcceptAnything,
    /// `reject`: refuses every image.
    Reject,
    /// `signedBaseLayer`: parsed, but never satisfied (containers/image does not implement it).
    SignedBaseLayer {
        /// `baseLayerIdentity`.
        base_layer_identity: SignedIdentity,
    },
    /// `signedBy`: an OpenPGP simple-signing signature by one of the keys.
    SignedBy(SignedBy),
    /// `sigstoreSigned`: a cosign signature by a key, a Fulcio certificate or a PKI certificate.
    SigstoreSigned(SigstoreSigned),
    /// `vouchSigstoreBundle`, vouch's extension: a sigstore bundle (cosign v3) for the image's
    /// manifest. containers/image refuses a policy that names it
    /// ([`PolicyDialect::ContainersImage`] does too).
    SigstoreBundle(SigstoreBundle),
}

/// Which requirement types a policy may use.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PolicyDialect {
    /// containers/image's requirement types and vouch's extension (`vouchSigstoreBundle`).
    #[default]
    Vouch,
    /// containers/image's requirement types only: a policy is accepted exactly when
    /// `NewPolicyFromBytes` accepts it.
    ContainersImage,
}

impl PolicyDialect {
    /// The name the JSON contract and the CLI use: `vouch` or `containers-image`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Vouch => "vouch",
            Self::ContainersImage => "containers-image",
        }
    }

    /// The dialect of a name ([`PolicyDialect::name`]).
    pub fn from_name(name: &str) -> Option<Self> {
        [Self::Vouch, Self::ContainersImage]
            .into_iter()
            .find(|d| d.name() == name)
    }
}

/// The fields of a `vouchSigstoreBundle` requirement.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SigstoreBundle {
    /// `trustedRootPath` or `trustedRootData`: a `trusted_root.json`
    /// (`dev.sigstore.trustroot.v1.TrustedRoot`).
    pub trusted_root: PathOrData,
    /// Who must have signed.
    pub signer: BundleSigner,
    /// `predicateTypes`: the in-toto predicate types accepted. `None`: a cosign signature
    /// (predicate `https://sigstore.dev/cosign/sign/v1`, or a message signature over the
    /// manifest).
    pub predicate_types: Option<Vec<String>>,
}

/// The predicate type of the statement `cosign sign` writes in a bundle (cosign v3).
pub const COSIGN_SIGN_PREDICATE: &str = "https://sigstore.dev/cosign/sign/v1";

/// Who must have signed a bundle.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum BundleSigner {
    /// `identities`: a Fulcio certificate matching any of these.
    Identities(Vec<BundleIdentity>),
    /// `keyPath` or `keyData`: a managed key (PEM `PUBLIC KEY`).
    Key(PathOrData),
}

/// One accepted keyless identity, as cosign's `--certificate-identity(-regexp)` and
/// `--certificate-oidc-issuer(-regexp)` state it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct BundleIdentity {
    /// `issuer` or `issuerRegExp`: the OIDC issuer.
    pub issuer: NameMatch,
    /// `subject` or `subjectRegExp`: the certificate's subject alternative name.
    pub subject: NameMatch,
}

/// How a name must match.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum NameMatch {
    /// Exactly this (case-sensitive).
    Exact(String),
    /// Go's `regexp.MatchString`: anywhere in the name unless the pattern anchors.
    Regexp(crate::go::regexp::Regexp),
}

impl NameMatch {
    /// Whether `name` matches.
    pub fn matches(&self, name: &str) -> bool {
        match self {
            Self::Exact(exact) => exact == name,
            Self::Regexp(re) => re.is_match(name),
        }
    }
}

impl BundleIdentity {
    /// An identity rule.
    pub fn new(issuer: NameMatch, subject: NameMatch) -> Self {
        Self { issuer, subject }
    }
}

impl SigstoreBundle {
    /// `vouchSigstoreBundle` trusting `trusted_root`, signed as `signer` says, for cosign
    /// signatures.
    pub fn new(trusted_root: PathOrData, signer: BundleSigner) -> Self {
        Self {
            trusted_root,
            signer,
            predicate_types: None,
        }
    }

    /// The same requirement, for in-toto attestations of these predicate types.
    #[must_use]
    pub fn with_predicate_types(mut self, types: Vec<String>) -> Self {
        self.predicate_types = Some(types);
        self
    }
}

/// The fields of a `signedBy` requirement.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SignedBy {
    /// `keyType`.
    pub key_type: KeyType,
    /// `keyPath`, `keyPaths` or `keyData`.
    pub keys: KeySource,
    /// `signedIdentity`; `matchRepoDigestOrExact` when absent.
    pub signed_identity: SignedIdentity,
}

/// `signedBy`'s `keyType`. Only [`KeyType::GpgKeys`] is implemented by containers/image; the
/// others parse and then reject every signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyType {
    /// `GPGKeys`.
    GpgKeys,
    /// `signedByGPGKeys`.
    SignedByGpgKeys,
    /// `X509Certificates`.
    X509Certificates,
    /// `signedByX509CAs`.
    SignedByX509Cas,
}

impl KeyType {
    /// The name as written in policy.json.
    pub const fn name(self) -> &'static str {
        match self {
            Self::GpgKeys => "GPGKeys",
            Self::SignedByGpgKeys => "signedByGPGKeys",
            Self::X509Certificates => "X509Certificates",
            Self::SignedByX509Cas => "signedByX509CAs",
        }
    }
}

/// Where trusted keys come from.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeySource {
    /// `...Path`: one file, named as written in the policy.
    Path(String),
    /// `...Paths`: several files.
    Paths(Vec<String>),
    /// `...Data`: the bytes of one file (base64 in the JSON).
    Data(Vec<u8>),
    /// `...Datas`: the bytes of several files.
    Datas(Vec<Vec<u8>>),
}

/// A file named in the policy, or its contents inline.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PathOrData {
    /// A file path, as written in the policy.
    Path(String),
    /// The file's bytes (base64 in the JSON).
    Data(Vec<u8>),
}

/// The fields of a `sigstoreSigned` requirement.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SigstoreSigned {
    /// Public keys, Fulcio or PKI: exactly one.
    pub trust: SigstoreTrust,
    /// `rekorPublicKey*`: mandatory with Fulcio, forbidden with PKI, optional with keys.
    pub rekor: Option<KeySource>,
    /// `signedIdentity`; `matchRepoDigestOrExact` when absent.
    pub signed_identity: SignedIdentity,
}

/// What a `sigstoreSigned` signature must chain to.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SigstoreTrust {
    /// `keyPath`, `keyPaths`, `keyData` or `keyDatas`.
    Keys(KeySource),
    /// `fulcio`.
    Fulcio(Fulcio),
    /// `pki`.
    Pki(Pki),
}

/// `sigstoreSigned.fulcio`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Fulcio {
    /// `caPath` or `caData`: the trusted Fulcio roots.
    pub ca: PathOrData,
    /// `oidcIssuer`.
    pub oidc_issuer: String,
    /// `subjectEmail`.
    pub subject_email: String,
}

/// `sigstoreSigned.pki`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Pki {
    /// `caRootsPath` or `caRootsData`.
    pub ca_roots: PathOrData,
    /// `caIntermediatesPath` or `caIntermediatesData`.
    pub ca_intermediates: Option<PathOrData>,
    /// `subjectEmail` (empty when absent).
    pub subject_email: String,
    /// `subjectHostname` (empty when absent).
    pub subject_hostname: String,
}

/// `signedIdentity`: how a signature's claimed identity must relate to the image.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignedIdentity {
    /// `matchExact`.
    MatchExact,
    /// `matchRepoDigestOrExact` (the default).
    MatchRepoDigestOrExact,
    /// `matchRepository`.
    MatchRepository,
    /// `exactReference` with its `dockerReference` (never name-only).
    ExactReference(Reference),
    /// `exactRepository` with its `dockerRepository`.
    ExactRepository(Reference),
    /// `remapIdentity`.
    RemapIdentity {
        /// `prefix`.
        prefix: String,
        /// `signedPrefix`.
        signed_prefix: String,
    },
}

impl Policy {
    /// A policy whose global default is `default` (which must not be empty: containers/image
    /// refuses such a policy), with no transport scopes yet.
    pub fn new(default: Vec<Requirement>) -> Self {
        Self {
            default,
            transports: BTreeMap::new(),
        }
    }

    /// This policy with `requirements` for `scope` of `transport` (`""`: the transport's
    /// default scope).
    #[must_use]
    pub fn with_scope(
        mut self,
        transport: crate::Transport,
        scope: &str,
        requirements: Vec<Requirement>,
    ) -> Self {
        self.transports
            .entry(transport.name().into())
            .or_default()
            .insert(scope.into(), requirements);
        self
    }
}

impl SignedBy {
    /// `signedBy` with `keyType: GPGKeys` and the default identity rule.
    pub fn gpg_keys(keys: KeySource) -> Self {
        Self {
            key_type: KeyType::GpgKeys,
            keys,
            signed_identity: SignedIdentity::MatchRepoDigestOrExact,
        }
    }

    /// The same requirement with another `signedIdentity`.
    #[must_use]
    pub fn with_identity(mut self, identity: SignedIdentity) -> Self {
        self.signed_identity = identity;
        self
    }
}

impl SigstoreSigned {
    /// `sigstoreSigned` trusting `trust`, without Rekor, with the default identity rule.
    pub fn new(trust: SigstoreTrust) -> Self {
        Self {
            trust,
            rekor: None,
            signed_identity: SignedIdentity::MatchRepoDigestOrExact,
        }
    }

    /// The same requirement with Rekor public keys.
    #[must_use]
    pub fn with_rekor(mut self, keys: KeySource) -> Self {
        self.rekor = Some(keys);
        self
    }

    /// The same requirement with another `signedIdentity`.
    #[must_use]
    pub fn with_identity(mut self, identity: SignedIdentity) -> Self {
        self.signed_identity = identity;
        self
    }
}

impl Fulcio {
    /// `fulcio` with its roots, OIDC issuer and subject e-mail.
    pub fn new(ca: PathOrData, oidc_issuer: &str, subject_email: &str) -> Self {
        Self {
            ca,
            oidc_issuer: oidc_issuer.into(),
            subject_email: subject_email.into(),
        }
    }
}

impl Pki {
    /// `pki` with its roots, no intermediates and no subject rules yet.
    pub fn new(ca_roots: PathOrData) -> Self {
        Self {
            ca_roots,
            ca_intermediates: None,
            subject_email: String::new(),
            subject_hostname: String::new(),
        }
    }

    /// The same with intermediates, an e-mail and a hostname the certificate must carry
    /// (an empty string: no rule).
    #[must_use]
    pub fn with_subject(
        mut self,
        intermediates: Option<PathOrData>,
        email: &str,
        hostname: &str,
    ) -> Self {
        self.ca_intermediates = intermediates;
        self.subject_email = email.into();
        self.subject_hostname = hostname.into();
        self
    }
}
