//! The kubelet's decision whether a pod may use an image already on the node (KEP-2535:
//! `imageManager.EnsureImageExists` around `PullManager.MustAttemptImagePull`), and the record
//! update a pull leaves (`RecordImagePulled`).

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use super::policy::{VerificationPolicy, record_key};
use super::record::{
    PullCredentials, PullIntent, PullSecret, PullServiceAccount, PulledRecord, RecordError,
};
use super::{Keyring, KeyringError, KubernetesVersion};
use crate::reference::{Dialect, Reference};

/// The container's `imagePullPolicy`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum PullPolicy {
    /// `Always`: pull every time (no check of the node's copy).
    Always,
    /// `IfNotPresent`: use the node's copy if the pod may.
    #[default]
    IfNotPresent,
    /// `Never`: use the node's copy if the pod may, else fail.
    Never,
}

impl PullPolicy {
    /// The pod spec's name.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Always => "Always",
            Self::IfNotPresent => "IfNotPresent",
            Self::Never => "Never",
        }
    }

    /// The policy with the given [`name`](Self::name).
    pub fn from_name(name: &str) -> Option<Self> {
        [Self::Always, Self::IfNotPresent, Self::Never]
            .into_iter()
            .find(|p| p.name() == name)
    }
}

/// The kubelet's metric label for a check (`kubelet_imagemanager_image_mustpull_checks_total`,
/// label `result`; emitted from 1.35).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CheckResult {
    /// The verification policy exempts the image.
    CredentialPolicyAllowed,
    /// The record shows the pod's credentials (or node-wide access) pulled the image.
    CredentialRecordFound,
    /// The pod must authenticate: pull with its own credentials.
    MustAuthenticate,
    /// The records could not be read, or the credentials could not be looked up.
    Error,
}

impl CheckResult {
    /// The metric label.
    pub const fn label(self) -> &'static str {
        match self {
            Self::CredentialPolicyAllowed => "credentialPolicyAllowed",
            Self::CredentialRecordFound => "credentialRecordFound",
            Self::MustAuthenticate => "mustAuthenticate",
            Self::Error => "error",
        }
    }
}

/// The pod's credentials for the image: resolved already, or its pull secrets for vouch to
/// run the keyring over (lazily from 1.35, as the kubelet does).
#[derive(Clone, Copy, Debug)]
pub enum PodCredentials<'a> {
    /// The secret credentials the kubelet's keyring selected, in its order, with their hashes.
    Resolved(&'a [PullSecret]),
    /// The pod's keyring.
    Keyring(&'a Result<Keyring, KeyringError>),
}

/// What [`kubelet_pull`] needs to know.
#[derive(Clone, Copy, Debug)]
pub struct PullCheck<'a> {
    /// The kubelet's release.
    pub version: KubernetesVersion,
    /// Its verification policy.
    pub policy: &'a VerificationPolicy,
    /// The container's image as written in the pod.
    pub image: &'a str,
    /// The image ID the runtime reports for it; empty when the image is not on the node.
    pub image_ref: &'a str,
    /// The container's pull policy.
    pub pull_policy: PullPolicy,
    /// The `ImagePulledRecord` file for `image_ref`, if there is one.
    pub pulled_record: Option<&'a [u8]>,
    /// The `ImagePullIntent` file for `image`, if there is one.
    pub pull_intent: Option<&'a [u8]>,
    /// Whether the kubelet counts a pull of `image` in progress (its in-memory intent counter,
    /// or an intent file given as a flag rather than as bytes).
    pub intent_exists: bool,
    /// The pod's credentials.
    pub credentials: PodCredentials<'a>,
    /// The pod's service-account credential identity (1.34 on), if a credential provider
    /// serves the image by service-account token.
    pub service_account: Option<&'a PullServiceAccount>,
    /// The time to stamp a changed record with (seconds since the Unix epoch); `None` writes
    /// Go's zero time (`null`).
    pub now: Option<i64>,
}

/// Why the pod cannot start with this image.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PullError {
    /// `ErrInvalidImageName`: the image does not parse.
    InvalidImageName(String),
    /// `ErrImageNeverPull`: pull policy `Never` and the pod may not use (or there is no) copy.
    ImageNeverPull(String),
    /// The pod's pull secrets do not read (the kubelet fails the image with this error).
    Credentials(KeyringError),
}

impl PullError {
    /// The stable `error_kind` of the JSON contract.
    pub const fn kind(&self) -> &'static str {
        match self {
            Self::InvalidImageName(_) => "invalid_image_name",
            Self::ImageNeverPull(_) => "image_never_pull",
            Self::Credentials(_) => "credentials",
        }
    }
}

impl fmt::Display for PullError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidImageName(why) => f.write_str(why),
            Self::ImageNeverPull(image) => write!(
                f,
                "Container image {image:?} is not present with pull policy of Never"
            ),
            Self::Credentials(e) => e.fmt(f),
        }
    }
}

/// The decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PullDecision {
    /// The kubelet must pull with the pod's credentials before the pod may use the image (or,
    /// with [`error`](Self::error) set, the pod cannot start).
    pub must_pull: bool,
    /// The check's metric label; `None` when the kubelet makes no check.
    pub result: Option<CheckResult>,
    /// Why the pod cannot start.
    pub error: Option<PullError>,
    /// Why a record or intent file was not read (the check then counts as `error`).
    pub record_error: Option<RecordError>,
    /// The record as the kubelet writes it back during the check (a matching secret's new
    /// coordinates or rotated hash merged in); `None` when it does not change.
    pub record: Option<PulledRecord>,
}

impl PullDecision {
    fn must_pull(result: Option<CheckResult>) -> Self {
        Self {
            must_pull: true,
            result,
            error: None,
            record_error: None,
            record: None,
        }
    }

    fn may_use(result: CheckResult) -> Self {
        Self {
            must_pull: false,
            ..Self::must_pull(Some(result))
        }
    }
}

/// The pod's secret credentials for the image from its keyring (`getPodCredentials`).
fn keyring_credentials(keyring: &Keyring, image: &str) -> Vec<PullSecret> {
    let repository = Reference::parse_normalized_in(image, Dialect::Distribution)
        .map(|r| String::from(r.name()))
        .unwrap_or_default();
    keyring
        .lookup(&repository)
        .into_iter()
        .map(|c| c.secret.clone())
        .collect()
}

/// May the pod use the image on the node, as the kubelet of `check.version` decides with the
/// `KubeletEnsureSecretPulledImages` feature on?
pub fn kubelet_pull(check: &PullCheck<'_>) -> PullDecision {
    let never = |mut decision: PullDecision| {
        if check.pull_policy == PullPolicy::Never && decision.must_pull && decision.error.is_none()
        {
            decision.error = Some(PullError::ImageNeverPull(check.image.into()));
        }
        decision
    };
    if let Err(e) = Reference::parse_normalized_in(check.image, Dialect::Distribution) {
        return PullDecision {
            error: Some(PullError::InvalidImageName(alloc::format!(
                "Failed to apply default image tag {:?}: couldn't parse image name {:?}: {e}",
                check.image,
                check.image
            ))),
            ..PullDecision::must_pull(None)
        };
    }
    // Before 1.35 the keyring is built before the check; an error fails the image at once.
    if check.version < KubernetesVersion::V1_35
        && let PodCredentials::Keyring(Err(e)) = check.credentials
    {
        return PullDecision {
            error: Some(PullError::Credentials(e.clone())),
            ..PullDecision::must_pull(None)
        };
    }
    if check.pull_policy == PullPolicy::Always || check.image_ref.is_empty() {
        return never(PullDecision::must_pull(None));
    }
    let mut decision = must_attempt_pull(check);
    // From 1.35 a pull looks the credentials up again, so an unreadable keyring fails it.
    if decision.must_pull
        && decision.error.is_none()
        && let PodCredentials::Keyring(Err(e)) = check.credentials
    {
        decision.error = Some(PullError::Credentials(e.clone()));
    }
    never(decision)
}

/// `MustAttemptImagePull` for a present image.
fn must_attempt_pull(check: &PullCheck<'_>) -> PullDecision {
    let error = |e: RecordError| PullDecision {
        record_error: Some(e),
        ..PullDecision::must_pull(Some(CheckResult::Error))
    };
    let record = match check
        .pulled_record
        .map(|b| PulledRecord::decode(b, check.version))
    {
        None => None,
        Some(Err(e)) => return error(e),
        Some(Ok(r)) if r.image_ref != check.image_ref => None,
        Some(Ok(r)) => Some(r),
    };
    let mut pulled_by_kubelet = record.is_some() || check.intent_exists;
    if !pulled_by_kubelet && let Some(bytes) = check.pull_intent {
        match PullIntent::decode(bytes, check.version) {
            Err(e) => return error(e),
            Ok(intent) => pulled_by_kubelet = intent.image == check.image,
        }
    }
    if !check
        .policy
        .requires_verification(check.image, pulled_by_kubelet)
    {
        return PullDecision::may_use(CheckResult::CredentialPolicyAllowed);
    }
    let Some(record) = record else {
        return PullDecision::must_pull(Some(CheckResult::MustAuthenticate));
    };
    let Some(key) = record_key(check.image, check.version) else {
        return PullDecision::must_pull(Some(CheckResult::Error));
    };
    let Some(cached) = record.credential_mapping.get(&key) else {
        return PullDecision::must_pull(Some(CheckResult::MustAuthenticate));
    };
    if cached.node_pods_accessible {
        return PullDecision::may_use(CheckResult::CredentialRecordFound);
    }
    let service_accounts = if check.version.has_service_accounts() {
        cached.kubernetes_service_accounts.as_slice()
    } else {
        &[]
    };
    if cached.secrets().is_empty() && service_accounts.is_empty() {
        return PullDecision::must_pull(Some(CheckResult::MustAuthenticate));
    }
    let looked_up;
    let pod_secrets: &[PullSecret] = match check.credentials {
        PodCredentials::Resolved(secrets) => secrets,
        PodCredentials::Keyring(Ok(keyring)) => {
            looked_up = keyring_credentials(keyring, check.image);
            &looked_up
        }
        PodCredentials::Keyring(Err(_)) => {
            return PullDecision::must_pull(Some(CheckResult::Error));
        }
    };
    let under_limit = cached.secrets().len() < WRITE_WHILE_MATCHING_LIMIT;
    for pod_secret in pod_secrets {
        for cached_secret in cached.secrets() {
            let hashes_match = !cached_secret.credential_hash.is_empty()
                && pod_secret.credential_hash == cached_secret.credential_hash;
            let coordinates_match = pod_secret.uid == cached_secret.uid
                && pod_secret.namespace == cached_secret.namespace
                && pod_secret.name == cached_secret.name;
            if hashes_match || (coordinates_match && under_limit) {
                let mut decision = PullDecision::may_use(CheckResult::CredentialRecordFound);
                if !(hashes_match && coordinates_match) && under_limit {
                    let new = PullCredentials {
                        kubernetes_secrets: Some(alloc::vec![pod_secret.clone()]),
                        ..PullCredentials::default()
                    };
                    decision.record = merge(&record, &key, &new, check.now);
                }
                return decision;
            }
        }
    }
    if let Some(account) = check.service_account
        && service_accounts.contains(account)
    {
        return PullDecision::may_use(CheckResult::CredentialRecordFound);
    }
    PullDecision::must_pull(Some(CheckResult::MustAuthenticate))
}

/// Above this many recorded secrets for an image, a check no longer writes to the record.
pub const WRITE_WHILE_MATCHING_LIMIT: usize = 100;

/// `pulledRecordMergeNewCreds`: the record with `new` merged in under `key`, or `None` when
/// nothing changes.
fn merge(
    record: &PulledRecord,
    key: &str,
    new: &PullCredentials,
    now: Option<i64>,
) -> Option<PulledRecord> {
    let new_secrets = new.secrets();
    if !new.node_pods_accessible
        && new_secrets.is_empty()
        && new.kubernetes_service_accounts.is_empty()
    {
        return None;
    }
    let mut out = record.clone();
    out.last_updated = now;
    out.last_updated_nanos = 0;
    let Some(selected) = record.credential_mapping.get(key) else {
        out.credential_mapping.insert(key.into(), new.clone());
        return Some(out);
    };
    if selected.node_pods_accessible {
        return None;
    }
    let mut selected = selected.clone();
    if new.node_pods_accessible {
        selected = PullCredentials {
            node_pods_accessible: true,
            ..PullCredentials::default()
        };
    } else if !new_secrets.is_empty() {
        selected.kubernetes_secrets = Some(merge_secrets(selected.secrets(), new_secrets)?);
    } else {
        selected.kubernetes_service_accounts = merge_service_accounts(
            &selected.kubernetes_service_accounts,
            &new.kubernetes_service_accounts,
        )?;
    }
    out.credential_mapping.insert(key.into(), selected);
    Some(out)
}

/// `mergePullSecrets`: the union keyed by coordinates (the new hash wins), sorted by
/// namespace, name and UID; `None` when nothing changes.
fn merge_secrets(orig: &[PullSecret], new: &[PullSecret]) -> Option<Vec<PullSecret>> {
    use alloc::collections::BTreeMap;
    let mut set: BTreeMap<(&str, &str, &str), &str> = BTreeMap::new();
    for s in orig {
        set.insert((&s.namespace, &s.name, &s.uid), &s.credential_hash);
    }
    let mut changed = false;
    for s in new {
        let key = (s.namespace.as_str(), s.name.as_str(), s.uid.as_str());
        if set.get(&key) != Some(&s.credential_hash.as_str()) {
            changed = true;
            set.insert(key, &s.credential_hash);
        }
    }
    changed.then(|| {
        set.into_iter()
            .map(|((namespace, name, uid), hash)| PullSecret {
                uid: uid.into(),
                namespace: namespace.into(),
                name: name.into(),
                credential_hash: hash.into(),
            })
            .collect()
    })
}

/// `mergePullServiceAccounts`: the set union, sorted by namespace, name and UID; `None` when
/// nothing changes.
fn merge_service_accounts(
    orig: &[PullServiceAccount],
    new: &[PullServiceAccount],
) -> Option<Vec<PullServiceAccount>> {
    use alloc::collections::BTreeSet;
    let key = |s: &PullServiceAccount| (s.namespace.clone(), s.name.clone(), s.uid.clone());
    let mut set: BTreeSet<_> = orig.iter().map(key).collect();
    let mut changed = false;
    for s in new {
        changed |= set.insert(key(s));
    }
    changed.then(|| {
        set.into_iter()
            .map(|(namespace, name, uid)| PullServiceAccount {
                uid,
                namespace,
                name,
            })
            .collect()
    })
}

/// Which credential a successful pull used (`trackedToImagePullCreds`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PulledWith<'a> {
    /// No pod credential: anonymous, the node's docker config, or a credential provider not
    /// bound to the pod's service account. Every pod on the node may then use the image.
    Node,
    /// A pull secret.
    Secret(&'a PullSecret),
    /// A service-account-bound credential provider (1.34 on).
    ServiceAccount(&'a PullServiceAccount),
}

/// Why [`record_pulled`] writes nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RecordPulledError {
    /// The image does not parse as the kubelet parses record keys.
    InvalidImageName(String),
    /// A service-account credential in 1.33, which records none.
    ServiceAccountUnsupported,
}

impl fmt::Display for RecordPulledError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidImageName(image) => write!(f, "invalid image name {image:?}"),
            Self::ServiceAccountUnsupported => {
                f.write_str("Kubernetes 1.33 records no service-account credentials")
            }
        }
    }
}

/// `RecordImagePulled` after a successful pull of `image` (as written) that the runtime
/// reports as `image_ref`: the record the kubelet writes, or `None` when the existing one
/// already says as much. An unreadable existing record (or one for another image ID) is
/// replaced, as the kubelet replaces it.
pub fn record_pulled(
    version: KubernetesVersion,
    image: &str,
    image_ref: &str,
    existing: Option<&[u8]>,
    with: PulledWith<'_>,
    now: Option<i64>,
) -> Result<Option<PulledRecord>, RecordPulledError> {
    let key = record_key(image, version)
        .ok_or_else(|| RecordPulledError::InvalidImageName(image.into()))?;
    let creds = match with {
        PulledWith::Node => PullCredentials {
            node_pods_accessible: true,
            ..PullCredentials::default()
        },
        PulledWith::Secret(secret) => PullCredentials {
            kubernetes_secrets: Some(alloc::vec![secret.clone()]),
            ..PullCredentials::default()
        },
        PulledWith::ServiceAccount(_) if !version.has_service_accounts() => {
            return Err(RecordPulledError::ServiceAccountUnsupported);
        }
        PulledWith::ServiceAccount(account) => PullCredentials {
            kubernetes_service_accounts: alloc::vec![account.clone()],
            ..PullCredentials::default()
        },
    };
    let existing = existing
        .and_then(|b| PulledRecord::decode(b, version).ok())
        .filter(|r| r.image_ref == image_ref);
    Ok(match existing {
        Some(record) => merge(&record, &key, &creds, now),
        None => Some(PulledRecord {
            last_updated: now,
            last_updated_nanos: 0,
            image_ref: image_ref.into(),
            credential_mapping: [(key, creds)].into(),
        }),
    })
}
