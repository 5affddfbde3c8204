//! The kubelet's docker keyring (`credentialprovider`): which of a pod's pull-secret entries
//! apply to an image, in which order, and the hash of each (KEP-2535).
//!
//! Secrets count when their type is `kubernetes.io/dockerconfigjson` with a non-empty
//! `.dockerconfigjson` (`{"auths": {…}}`), or `kubernetes.io/dockercfg` with a non-empty
//! `.dockercfg` (the bare map); any other secret is passed over silently, and one that does
//! not read as Go's `encoding/json` reads it fails the whole lookup, as in the kubelet. An
//! entry's `auth` (base64 of `user:password`, padded or not) overrides its username and
//! password.
//!
//! Each entry's registry key is turned into `host[/path]` (an `https://` prefix added, `/v1/`
//! or `/v2/` dropped); the keys are matched against the image's repository in reverse byte
//! order: same port, same number of host labels, each label a shell glob, the key's path a
//! prefix of the image's. When none matches, a key exactly `index.docker.io` serves Docker
//! Hub images.
//!
//! Where vouch differs (docs/node.md): entries of one secret are added in key order, where Go
//! ranges over a map (which only matters for two entries of one secret that name the same
//! registry key); keys and hosts in brackets (IPv6 literals) and keys that unescape to invalid
//! UTF-8 never match.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use super::{KubernetesVersion, PullSecret, credential_hash};
use crate::go::json::{self as gojson, Member, Node, Value};
use crate::go::url::{Colons, parse_host_path};

/// The secret type whose `.dockerconfigjson` holds `{"auths": {…}}`.
pub const DOCKER_CONFIG_JSON: &str = "kubernetes.io/dockerconfigjson";
/// The legacy secret type whose `.dockercfg` holds the bare map.
pub const DOCKERCFG: &str = "kubernetes.io/dockercfg";

/// One of a pod's `imagePullSecrets`, resolved: the secret's coordinates, type and data.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PodPullSecret {
    /// `metadata.uid`.
    pub uid: String,
    /// `metadata.namespace`.
    pub namespace: String,
    /// `metadata.name`.
    pub name: String,
    /// `type`.
    pub secret_type: String,
    /// `data`, decoded from base64.
    pub data: BTreeMap<String, Vec<u8>>,
}

/// A credential the keyring found for an image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundCredential {
    /// The secret it came from.
    pub secret: PullSecret,
    /// The user name (bytes: an `auth` field may decode to anything).
    pub username: Vec<u8>,
    /// The password.
    pub password: Vec<u8>,
}

/// Why a pod's pull secrets do not read (the kubelet fails the image's lookup with it).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyringError {
    /// The docker config is not JSON, or a value has the wrong type.
    Json {
        /// The secret.
        secret: String,
        /// What Go's decoder would say.
        message: String,
    },
    /// An `auth` field is not base64, or not `user:password`.
    Auth {
        /// The secret.
        secret: String,
        /// Why.
        message: String,
    },
}

impl fmt::Display for KeyringError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Json { secret, message } => {
                write!(
                    f,
                    "pull secret {secret}: the docker config does not read: {message}"
                )
            }
            Self::Auth { secret, message } => {
                write!(f, "pull secret {secret}: {message}")
            }
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for KeyringError {}

/// A docker config entry as the kubelet reads it.
#[derive(Default)]
struct Entry {
    username: Vec<u8>,
    password: Vec<u8>,
    email: Vec<u8>,
}

fn type_error(found: &Value, expected: &str) -> String {
    alloc::format!(
        "json: cannot unmarshal {} into Go value of type {expected}",
        found.go_kind()
    )
}

/// `DockerConfigEntry.UnmarshalJSON`.
fn entry(node: &Node) -> Result<Entry, (bool, String)> {
    let members = match &node.value {
        Value::Null => return Ok(Entry::default()),
        Value::Object(members) => members,
        other => {
            return Err((
                false,
                type_error(other, "credentialprovider.dockerConfigEntryWithAuth"),
            ));
        }
    };
    let field = |name: &str| -> Result<String, (bool, String)> {
        // Every member whose key folds to the field is decoded (a wrong type anywhere is an
        // error); the last one stays.
        let mut value = String::new();
        for m in members
            .iter()
            .filter(|m| gojson::go_field_matches(&m.key, name))
        {
            match &m.value.value {
                Value::Null => {}
                Value::String(s) => value = s.clone(),
                other => return Err((false, type_error(other, "string"))),
            }
        }
        Ok(value)
    };
    let (username, password, email, auth) = (
        field("username")?,
        field("password")?,
        field("email")?,
        field("auth")?,
    );
    let mut out = Entry {
        username: username.into_bytes(),
        password: password.into_bytes(),
        email: email.into_bytes(),
    };
    if !auth.is_empty() {
        let decoded = if auth.trim().ends_with('=') {
            crate::go::base64::base64_std(&auth)
        } else {
            crate::go::base64::base64_raw_std(&auth)
        }
        .map_err(|at| {
            (
                true,
                alloc::format!("illegal base64 data at input byte {at}"),
            )
        })?;
        let colon = decoded.iter().position(|&b| b == b':').ok_or((
            true,
            String::from(
                "unable to parse auth field, must be formatted as base64(username:password)",
            ),
        ))?;
        out.username = decoded[..colon].to_vec();
        out.password = decoded[colon + 1..].to_vec();
    }
    Ok(out)
}

/// The `auths` map (or the bare `.dockercfg` map), in key order; a repeated key keeps its last
/// value (every value is still decoded).
fn entries(node: &Node) -> Result<BTreeMap<String, Entry>, (bool, String)> {
    let mut out = BTreeMap::new();
    match &node.value {
        Value::Null => {}
        Value::Object(members) => {
            for m in members {
                out.insert(m.key.clone(), entry(&m.value)?);
            }
        }
        other => return Err((false, type_error(other, "credentialprovider.DockerConfig"))),
    }
    Ok(out)
}

fn docker_config_json(members: &[Member]) -> Result<BTreeMap<String, Entry>, (bool, String)> {
    // `HttpHeaders map[string]string` must have the right shape too.
    for m in members
        .iter()
        .filter(|m| gojson::go_field_matches(&m.key, "httpheaders"))
    {
        match &m.value.value {
            Value::Null => {}
            Value::Object(headers) => {
                for h in headers {
                    if !matches!(h.value.value, Value::Null | Value::String(_)) {
                        return Err((false, type_error(&h.value.value, "string")));
                    }
                }
            }
            other => return Err((false, type_error(other, "map[string]string"))),
        }
    }
    // Every `auths` member is decoded; the last one stays.
    let mut out = BTreeMap::new();
    for m in members
        .iter()
        .filter(|m| gojson::go_field_matches(&m.key, "auths"))
    {
        out = entries(&m.value)?;
    }
    Ok(out)
}

/// The pod's keyring: registry keys in the order the kubelet tries them, each with its
/// credentials in the order they were added.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Keyring {
    /// Distinct keys, sorted in reverse byte order.
    index: Vec<String>,
    creds: BTreeMap<String, Vec<FoundCredential>>,
    /// Whether the kubelet's Go reads URLs with strict colons (1.36 on).
    strict_colons: bool,
}

impl Keyring {
    /// `MakeDockerKeyring` over the pod's pull secrets (in `imagePullSecrets` order), as the
    /// kubelet of `version` builds it.
    pub fn from_secrets(
        secrets: &[PodPullSecret],
        version: KubernetesVersion,
    ) -> Result<Self, KeyringError> {
        let mut keyring = Self {
            strict_colons: version >= KubernetesVersion::V1_36,
            ..Self::default()
        };
        for secret in secrets {
            let (bytes, json) = match secret.secret_type.as_str() {
                DOCKER_CONFIG_JSON => (secret.data.get(".dockerconfigjson"), true),
                DOCKERCFG => (secret.data.get(".dockercfg"), false),
                _ => continue,
            };
            let Some(bytes) = bytes.filter(|b| !b.is_empty()) else {
                continue;
            };
            let who = alloc::format!("{}/{}", secret.namespace, secret.name);
            let fail = |(auth, message): (bool, String)| {
                if auth {
                    KeyringError::Auth {
                        secret: who.clone(),
                        message,
                    }
                } else {
                    KeyringError::Json {
                        secret: who.clone(),
                        message,
                    }
                }
            };
            let root = gojson::parse(bytes)
                .map_err(|e| fail((false, alloc::format!("{} (byte {})", e.message, e.offset))))?;
            let config = if json {
                match &root.value {
                    Value::Null => BTreeMap::new(),
                    Value::Object(members) => docker_config_json(members).map_err(fail)?,
                    other => {
                        return Err(fail((
                            false,
                            type_error(other, "credentialprovider.DockerConfigJSON"),
                        )));
                    }
                }
            } else {
                entries(&root).map_err(fail)?
            };
            let source = PullSecret {
                uid: secret.uid.clone(),
                namespace: secret.namespace.clone(),
                name: secret.name.clone(),
                credential_hash: String::new(),
            };
            keyring.add(&source, config);
        }
        Ok(keyring)
    }

    fn url_colons(&self) -> Colons {
        if self.strict_colons {
            Colons::Strict
        } else {
            Colons::Legacy
        }
    }

    /// `BasicDockerKeyring.Add`.
    fn add(&mut self, source: &PullSecret, config: BTreeMap<String, Entry>) {
        for (location, entry) in config {
            let value = if location.starts_with("https://") || location.starts_with("http://") {
                location
            } else {
                alloc::format!("https://{location}")
            };
            let Ok((host, path)) = parse_host_path(&value, self.url_colons()) else {
                continue;
            };
            let mut path = path.as_slice();
            if path.starts_with(b"/v2/") || path.starts_with(b"/v1/") {
                path = &path[3..];
            }
            let mut key = host;
            if !path.is_empty() && path != b"/" {
                key.extend_from_slice(path);
            }
            let Ok(key) = String::from_utf8(key) else {
                continue;
            };
            let found = FoundCredential {
                secret: PullSecret {
                    credential_hash: credential_hash(
                        &entry.username,
                        &entry.password,
                        &entry.email,
                    ),
                    ..source.clone()
                },
                username: entry.username,
                password: entry.password,
            };
            if !self.creds.contains_key(&key) {
                self.index.push(key.clone());
            }
            self.creds.entry(key).or_default().push(found);
        }
        self.index.sort_unstable_by(|a, b| b.cmp(a));
    }

    /// `Lookup(repository)`: the credentials for an image's normalised repository
    /// (`docker.io/library/nginx`, `registry.example:5000/team/app`), in the kubelet's order.
    pub fn lookup(&self, repository: &str) -> Vec<&FoundCredential> {
        let mut out: Vec<&FoundCredential> = Vec::new();
        for key in &self.index {
            if urls_match(key, repository, self.url_colons()) {
                out.extend(self.creds[key].iter());
            }
        }
        if out.is_empty()
            && is_default_registry_match(repository)
            && let Some(creds) = self.creds.get("index.docker.io")
        {
            out.extend(creds.iter());
        }
        out
    }
}

/// `isDefaultRegistryMatch`.
fn is_default_registry_match(image: &str) -> bool {
    let first = image.split('/').next().unwrap_or_default();
    if first.is_empty() {
        return false;
    }
    if !image.contains('/') || first == "docker.io" || first == "index.docker.io" {
        return true;
    }
    !first.contains(['.', ':'])
}

/// `net.SplitHostPort`, or the whole host and no port when it fails (`SplitURL`).
fn split_host_port(hostport: &str) -> (&str, &str) {
    let whole = (hostport, "");
    let Some(i) = hostport.rfind(':') else {
        return whole;
    };
    let (host, j, k) = if hostport.starts_with('[') {
        let Some(end) = hostport.find(']') else {
            return whole;
        };
        if end + 1 != i {
            return whole;
        }
        (&hostport[1..end], 1, end + 1)
    } else {
        let host = &hostport[..i];
        if host.contains(':') {
            return whole;
        }
        (host, 0, 0)
    };
    if hostport[j..].contains('[') || hostport[k..].contains(']') {
        return whole;
    }
    (host, &hostport[i + 1..])
}

/// `URLsMatchStr(glob, target)`, an error counting as no match.
fn urls_match(glob: &str, target: &str, colons: Colons) -> bool {
    let parse = |s: &str| {
        parse_host_path(&alloc::format!("https://{s}"), colons)
            .ok()
            .and_then(|(host, path)| Some((String::from_utf8(host).ok()?, path)))
    };
    let (Some((glob_host, glob_path)), Some((target_host, target_path))) =
        (parse(glob), parse(target))
    else {
        return false;
    };
    let (glob_host, glob_port) = split_host_port(&glob_host);
    let (target_host, target_port) = split_host_port(&target_host);
    if glob_port != target_port {
        return false;
    }
    let globs: Vec<&str> = glob_host.split('.').collect();
    let labels: Vec<&str> = target_host.split('.').collect();
    if globs.len() != labels.len() || !target_path.starts_with(&glob_path) {
        return false;
    }
    globs
        .iter()
        .zip(&labels)
        .all(|(g, l)| crate::reference::glob::path_match(g, l) == Ok(true))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(name: &str, config: &str) -> PodPullSecret {
        PodPullSecret {
            uid: alloc::format!("uid-{name}"),
            namespace: "ns".into(),
            name: name.into(),
            secret_type: DOCKER_CONFIG_JSON.into(),
            data: [(".dockerconfigjson".into(), config.as_bytes().to_vec())].into(),
        }
    }

    fn names(keyring: &Keyring, image: &str) -> Vec<String> {
        keyring
            .lookup(image)
            .iter()
            .map(|c| alloc::format!("{}:{}", c.secret.name, String::from_utf8_lossy(&c.username)))
            .collect()
    }

    #[test]
    fn matches_as_the_kubelet_does() {
        // The order the kubelet's own probe gave for this pair of secrets.
        let keyring = Keyring::from_secrets(
            &[
                secret(
                    "s1",
                    r#"{"auths":{"*.example.com":{"username":"a","password":"p"},"reg.example.com/team":{"username":"b","password":"p"}}}"#,
                ),
                secret(
                    "s2",
                    r#"{"auths":{"reg.example.com":{"auth":"Yzpw"},"reg.example.com:5000":{"username":"d","password":"p"}}}"#,
                ),
            ],
            KubernetesVersion::V1_35,
        )
        .unwrap();
        assert_eq!(
            names(&keyring, "reg.example.com/team/app"),
            ["s1:b", "s2:c", "s1:a"]
        );
        assert_eq!(names(&keyring, "reg.example.com:5000/x"), ["s2:d"]);
        assert!(names(&keyring, "other.io/x").is_empty());
    }

    #[test]
    fn docker_hub_falls_back_to_index_docker_io() {
        let keyring = Keyring::from_secrets(
            &[secret(
                "hub",
                r#"{"auths":{"https://index.docker.io/v1/":{"username":"u","password":"p"}}}"#,
            )],
            KubernetesVersion::V1_36,
        )
        .unwrap();
        assert_eq!(names(&keyring, "docker.io/library/nginx"), ["hub:u"]);
        assert!(names(&keyring, "quay.io/x").is_empty());
        let hash = &keyring.lookup("docker.io/library/nginx")[0]
            .secret
            .credential_hash;
        assert_eq!(*hash, credential_hash(b"u", b"p", b""));
    }

    #[test]
    fn auth_overrides_and_errors_fail_the_lookup() {
        let keyring = Keyring::from_secrets(
            &[secret(
                "a",
                r#"{"auths":{"r.io":{"username":"x","password":"y","auth":"dXNlcjpwYXNz"}}}"#,
            )],
            KubernetesVersion::V1_35,
        )
        .unwrap();
        let found = keyring.lookup("r.io/app");
        assert_eq!(found[0].username, b"user");
        assert_eq!(
            found[0].secret.credential_hash,
            "cb54b00fb550d4a17c448149caa29f38f4d5a44fb87c752e43db8160af3a032a"
        );
        for bad in [
            r#"{"auths":{"r.io":{"auth":"bm9jb2xvbg=="}}}"#,
            r#"{"auths":{"r.io":{"auth":"!!"}}}"#,
            r#"{"auths":{"r.io":{"username":1}}}"#,
            r#"{"auths":[]}"#,
            r#"{"HttpHeaders":{"a":1}}"#,
            r#"[]"#,
            r#"{"auths":"#,
        ] {
            assert!(
                Keyring::from_secrets(&[secret("a", bad)], KubernetesVersion::V1_35).is_err(),
                "{bad}"
            );
        }
        // Another type, or an empty config, is passed over.
        let mut other = secret("o", "{}");
        other.secret_type = "Opaque".into();
        let mut empty = secret("e", "");
        empty.data.clear();
        assert!(Keyring::from_secrets(&[other, empty], KubernetesVersion::V1_35).is_ok());
    }

    #[test]
    fn host_globs_ports_and_paths() {
        assert!(urls_match("*.io", "reg.io/a", Colons::Legacy));
        assert!(!urls_match("*.io", "a.reg.io/a", Colons::Legacy));
        assert!(urls_match("reg.io/te", "reg.io/team/app", Colons::Legacy));
        assert!(!urls_match("reg.io/team", "reg.io/other", Colons::Legacy));
        assert!(!urls_match("reg.io", "reg.io:5000/a", Colons::Legacy));
        assert!(urls_match("r*.io:5000", "reg.io:5000/a", Colons::Legacy));
        // A "?" starts the query: the host is "r".
        assert!(!urls_match("r?g.io", "reg.io/a", Colons::Legacy));
        // Go 1.26's url.Parse refuses a '[' inside a host, so a class never matches.
        assert!(!urls_match("r[a-f]g.io", "reg.io/a", Colons::Legacy));
        assert!(!urls_match("r\\.io", "reg.io/a", Colons::Legacy));
        // Two colons: the last starts the port, unless colons are strict (1.36).
        assert!(urls_match(
            "reg.io:1:5000",
            "reg.io:1:5000/a",
            Colons::Legacy
        ));
        assert!(!urls_match(
            "reg.io:1:5000",
            "reg.io:1:5000/a",
            Colons::Strict
        ));
        assert!(is_default_registry_match("library/x"));
        assert!(is_default_registry_match("x"));
        assert!(!is_default_registry_match("localhost:5000/x"));
        assert!(!is_default_registry_match("/x"));
    }
}
