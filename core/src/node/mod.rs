//! Kubernetes node decisions, as the kubelet makes them (docs/node.md).
//!
//! KEP-2535 ("ensure secret pulled images"): the kubelet's record files (`record`), the
//! credential hash it keeps in them (`credential`), the keyring that picks a pod's pull-secret
//! credentials for an image (`keyring`), the verification policy and its allowlist (`policy`),
//! and the decision whether a pod may use an image already on the node, with the record
//! updates that follow (`pull`).
//!
//! KEP-127 (user namespaces): the API server's validation of `hostUsers: false` and the Pod
//! Security Standards relaxations (`userns`), and the kubelet's allocation of host ID ranges
//! (`idranges`).
//!
//! Trust-decision records (`trust`): which policy, by digest, admitted which image ID for
//! which namespace, and whether a cached image may be reused under another namespace's policy.
//!
//! Every function is pure: the caller reads the files, passes
//! their bytes and the time, and writes back what it is told to.

mod credential;
mod idranges;
mod keyring;
mod policy;
mod pull;
mod record;
mod trust;
mod userns;
mod version;

pub use credential::credential_hash;
pub use idranges::{IDS_PER_POD_UNIT, IdAllocator, IdRangeError, IdRanges, PodIdMapping};
pub use keyring::{
    DOCKER_CONFIG_JSON, DOCKERCFG, FoundCredential, Keyring, KeyringError, PodPullSecret,
};
pub use policy::{AllowlistError, CredentialPolicy, VerificationPolicy, record_key};
pub use pull::{
    CheckResult, PodCredentials, PullCheck, PullDecision, PullError, PullPolicy, PulledWith,
    RecordPulledError, WRITE_WHILE_MATCHING_LIMIT, kubelet_pull, record_pulled,
};
pub use record::{
    MAX_RECORD_BYTES, PullCredentials, PullIntent, PullSecret, PullServiceAccount, PulledRecord,
    RecordError, record_file_name,
};
pub use trust::{
    MAX_TRUST_DECISIONS, MAX_TRUST_RECORD_BYTES, ReuseCheck, ReuseReason, TrustDecision,
    TrustRecord, TrustRecordError, TrustReuse, policy_digest, trust_reuse,
};
pub use userns::{
    FieldError, MAX_POD_BYTES, PodJson, PodJsonError, PssCheck, PssLevel, UsernsOptions,
    pss_user_namespace_checks, validate_user_namespaces,
};
pub(crate) use userns::{host_users, pod_spec, pss_checks, validate_spec};
pub use version::KubernetesVersion;
