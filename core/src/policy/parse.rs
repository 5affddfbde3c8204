//! The strict decoder: containers/image 5.34's `NewPolicyFromBytes`, rule for rule.
//!
//! Objects are read as its "paranoid" reader reads them: keys in document order, a duplicate or
//! unknown key is an error at once, then the value is decoded. Go's value semantics are kept:
//! a JSON `null` string is a present, empty string; a `null` list or byte string is absent.

use alloc::collections::BTreeSet;
use alloc::string::String;
use alloc::vec::Vec;

use super::error::{PolicyError, PolicyErrorKind as Kind};
use super::model::*;
use crate::go::json::{self as json, Member, Node, Value};
use crate::image::Transport;
use crate::reference::{Reference, grammar_is_domain, grammar_is_name};

/// The largest policy document vouch reads.
pub const MAX_POLICY_BYTES: usize = 64 * 1024 * 1024;

pub(super) fn parse_policy(input: &[u8], dialect: PolicyDialect) -> Result<Policy, PolicyError> {
    let d = Decoder { input, dialect };
    if input.len() > MAX_POLICY_BYTES {
        return Err(d.error(
            Kind::TooLarge,
            alloc::format!(
                "policy of {} bytes is larger than {MAX_POLICY_BYTES}",
                input.len()
            ),
            "$",
            0,
        ));
    }
    let root = json::parse(input).map_err(|e| d.error(Kind::Syntax, e.message, "$", e.offset))?;
    d.policy(&root)
}

pub(super) struct Decoder<'a> {
    pub(super) input: &'a [u8],
    /// Whether vouch's extension requirement is known.
    pub(super) dialect: PolicyDialect,
}

/// The type name of vouch's extension requirement.
pub(crate) const SIGSTORE_BUNDLE_TYPE: &str = "vouchSigstoreBundle";

/// Go names of the destination types, for type errors.
const GO_STRING: &str = "string";

impl Decoder<'_> {
    pub(super) fn error(
        &self,
        kind: Kind,
        message: String,
        path: &str,
        offset: usize,
    ) -> PolicyError {
        PolicyError::new(
            kind,
            message,
            path.into(),
            json::line_column(self.input, offset),
        )
    }

    pub(super) fn wrong_type(&self, node: &Node, go_type: &str, path: &str) -> PolicyError {
        self.error(
            Kind::WrongType,
            alloc::format!("cannot use a JSON {} as a {go_type}", node.value.go_kind()),
            path,
            node.start,
        )
    }

    /// The paranoid object reader: for each member in order, rejects a duplicate, asks
    /// `field` to decode it, and rejects the key when `field` does not know it.
    fn object<'n>(
        &self,
        node: &'n Node,
        path: &str,
        mut field: impl FnMut(&str, &'n Node, &str) -> Result<bool, PolicyError>,
    ) -> Result<(), PolicyError> {
        let members = self.members(node, path)?;
        let mut seen = BTreeSet::new();
        for Member {
            key,
            key_start,
            value,
        } in members
        {
            let child = child_path(path, key);
            if !seen.insert(key.as_str()) {
                return Err(self.error(
                    Kind::DuplicateKey,
                    alloc::format!("Duplicate key {key:?}"),
                    &child,
                    *key_start,
                ));
            }
            if !field(key, value, &child)? {
                return Err(self.error(
                    Kind::UnknownKey,
                    alloc::format!("Unknown key {key:?}"),
                    &child,
                    *key_start,
                ));
            }
        }
        Ok(())
    }

    pub(super) fn members<'n>(
        &self,
        node: &'n Node,
        path: &str,
    ) -> Result<&'n [Member], PolicyError> {
        match &node.value {
            Value::Object(members) => Ok(members),
            other => Err(self.error(
                Kind::WrongType,
                alloc::format!("JSON object expected, got {}", other.go_kind()),
                path,
                node.start,
            )),
        }
    }

    /// A Go `string` field: `null` leaves it empty.
    fn string(&self, node: &Node, path: &str) -> Result<String, PolicyError> {
        match &node.value {
            Value::String(s) => Ok(s.clone()),
            Value::Null => Ok(String::new()),
            _ => Err(self.wrong_type(node, GO_STRING, path)),
        }
    }

    /// A Go `[]string` field: `null` is absent (nil), `[]` present and empty.
    fn strings(&self, node: &Node, path: &str) -> Result<Option<Vec<String>>, PolicyError> {
        match &node.value {
            Value::Null => Ok(None),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| self.string(item, &index_path(path, i)))
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            _ => Err(self.wrong_type(node, "list of strings", path)),
        }
    }

    /// A Go `[]byte` field (base64 in JSON): `null` is absent, `""` present and empty.
    fn bytes(&self, node: &Node, path: &str) -> Result<Option<Vec<u8>>, PolicyError> {
        match &node.value {
            Value::Null => Ok(None),
            Value::String(s) => crate::go::base64_std(s).map(Some).map_err(|at| {
                self.error(
                    Kind::InvalidValue,
                    alloc::format!("illegal base64 data at input byte {at}"),
                    path,
                    node.start,
                )
            }),
            _ => Err(self.wrong_type(node, "base64 string", path)),
        }
    }

    /// A Go `[][]byte` field.
    fn bytes_list(&self, node: &Node, path: &str) -> Result<Option<Vec<Vec<u8>>>, PolicyError> {
        match &node.value {
            Value::Null => Ok(None),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    self.bytes(item, &index_path(path, i))
                        .map(Option::unwrap_or_default)
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            _ => Err(self.wrong_type(node, "list of base64 strings", path)),
        }
    }

    fn invalid(&self, message: impl Into<String>, path: &str, node: &Node) -> PolicyError {
        self.error(Kind::InvalidValue, message.into(), path, node.start)
    }

    fn policy(&self, root: &Node) -> Result<Policy, PolicyError> {
        let mut default = None;
        let mut transports = alloc::collections::BTreeMap::new();
        self.object(root, "$", |key, value, path| {
            match key {
                "default" => default = Some(self.requirements(value, path)?),
                "transports" => transports = self.transports(value, path)?,
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        let default = default.ok_or_else(|| {
            self.error(
                Kind::MissingDefault,
                "Default policy is missing".into(),
                "$",
                root.start,
            )
        })?;
        Ok(Policy {
            default,
            transports,
        })
    }

    fn transports(
        &self,
        node: &Node,
        path: &str,
    ) -> Result<
        alloc::collections::BTreeMap<
            String,
            alloc::collections::BTreeMap<String, Vec<Requirement>>,
        >,
        PolicyError,
    > {
        let mut transports = alloc::collections::BTreeMap::new();
        self.object(node, path, |name, scopes_node, transport_path| {
            let transport = Transport::from_name(name);
            let mut scopes = alloc::collections::BTreeMap::new();
            self.object(scopes_node, transport_path, |scope, list, scope_path| {
                if let (Some(transport), false) = (transport, scope.is_empty())
                    && transport.validate_scope(scope).is_err()
                {
                    // containers/image reports an invalid scope as an unknown key.
                    return Ok(false);
                }
                scopes.insert(String::from(scope), self.requirements(list, scope_path)?);
                Ok(true)
            })?;
            transports.insert(String::from(name), scopes);
            Ok(true)
        })?;
        Ok(transports)
    }

    pub(super) fn requirements(
        &self,
        node: &Node,
        path: &str,
    ) -> Result<Vec<Requirement>, PolicyError> {
        let items = match &node.value {
            Value::Array(items) => items.as_slice(),
            Value::Null => &[],
            _ => return Err(self.wrong_type(node, "list of requirements", path)),
        };
        if items.is_empty() {
            return Err(self.error(
                Kind::EmptyRequirements,
                "List of verification policy requirements must not be empty".into(),
                path,
                node.start,
            ));
        }
        items
            .iter()
            .enumerate()
            .map(|(i, item)| self.requirement(item, &index_path(path, i)))
            .collect()
    }

    /// The `type` that selects the variant, read leniently as Go's first pass does. Only an
    /// exactly spelled `type` can lead to an accepted requirement: any other spelling is an
    /// unknown key in the strict pass, so the lenient pass need not reproduce case folding.
    fn type_name(&self, node: &Node, path: &str) -> Result<String, PolicyError> {
        match &node.value {
            Value::Null => Ok(String::new()),
            Value::Object(members) => match members.iter().rev().find(|m| m.key == "type") {
                Some(member) => self.string(&member.value, &child_path(path, "type")),
                None => Ok(String::new()),
            },
            _ => Err(self.wrong_type(node, "object", path)),
        }
    }

    pub(super) fn requirement(&self, node: &Node, path: &str) -> Result<Requirement, PolicyError> {
        let type_name = self.type_name(node, path)?;
        match type_name.as_str() {
            "insecureAcceptAnything" => {
                self.exact_fields(node, path, &["type"], |_, _, _| Ok(()))?;
                Ok(Requirement::InsecureAcceptAnything)
            }
            "reject" => {
                self.exact_fields(node, path, &["type"], |_, _, _| Ok(()))?;
                Ok(Requirement::Reject)
            }
            "signedBaseLayer" => {
                let mut identity = None;
                self.exact_fields(
                    node,
                    path,
                    &["type", "baseLayerIdentity"],
                    |key, value, p| {
                        if key == "baseLayerIdentity" {
                            identity = Some((value, String::from(p)));
                        }
                        Ok(())
                    },
                )?;
                let (value, p) = identity
                    .ok_or_else(|| self.invalid("baseLayerIdentity missing", path, node))?;
                Ok(Requirement::SignedBaseLayer {
                    base_layer_identity: self.identity(value, &p)?,
                })
            }
            "signedBy" => self.signed_by(node, path).map(Requirement::SignedBy),
            "sigstoreSigned" => self
                .sigstore_signed(node, path)
                .map(Requirement::SigstoreSigned),
            SIGSTORE_BUNDLE_TYPE if self.dialect == PolicyDialect::Vouch => self
                .sigstore_bundle(node, path)
                .map(Requirement::SigstoreBundle),
            other => Err(self.error(
                Kind::UnknownRequirementType,
                alloc::format!("Unknown policy requirement type {other:?}"),
                path,
                node.start,
            )),
        }
    }

    /// `ParanoidUnmarshalJSONObjectExactFields`: only these keys, each present; `type` must be
    /// a string (its value was checked by the caller's dispatch).
    fn exact_fields<'n>(
        &self,
        node: &'n Node,
        path: &str,
        fields: &[&str],
        mut field: impl FnMut(&str, &'n Node, &str) -> Result<(), PolicyError>,
    ) -> Result<(), PolicyError> {
        let mut seen = BTreeSet::new();
        self.object(node, path, |key, value, p| {
            if !fields.contains(&key) {
                return Ok(false);
            }
            seen.insert(String::from(key));
            if key == "type" {
                self.string(value, p)?;
            } else {
                field(key, value, p)?;
            }
            Ok(true)
        })?;
        if let Some(missing) = fields.iter().find(|f| !seen.contains(**f)) {
            return Err(self.error(
                Kind::MissingKey,
                alloc::format!("Key {missing:?} missing in a JSON object"),
                path,
                node.start,
            ));
        }
        Ok(())
    }

    fn signed_identity_field(
        &self,
        value: Option<(&Node, String)>,
    ) -> Result<SignedIdentity, PolicyError> {
        match value {
            None => Ok(SignedIdentity::MatchRepoDigestOrExact),
            Some((node, path)) => self.identity(node, &path),
        }
    }

    fn signed_by(&self, node: &Node, path: &str) -> Result<SignedBy, PolicyError> {
        let mut key_type = String::new();
        let (mut key_path, mut key_paths, mut key_data) = (None, None, None);
        let mut identity = None;
        self.object(node, path, |key, value, p| {
            match key {
                "type" => {
                    self.string(value, p)?;
                }
                "keyType" => key_type = self.string(value, p)?,
                "keyPath" => key_path = Some(self.string(value, p)?),
                "keyPaths" => key_paths = Some(self.strings(value, p)?),
                "keyData" => key_data = Some(self.bytes(value, p)?),
                "signedIdentity" => identity = Some((value, String::from(p))),
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        let signed_identity = self.signed_identity_field(identity)?;
        let keys = match (key_path, key_paths, key_data) {
            (None, None, None) => {
                return Err(self.invalid(
                    "Exactly one of keyPath, keyPaths and keyData must be specified, none of them present",
                    path,
                    node,
                ));
            }
            (Some(p), None, None) => (!p.is_empty()).then_some(KeySource::Path(p)),
            (None, Some(p), None) => p.map(KeySource::Paths),
            (None, None, Some(d)) => d.map(KeySource::Data),
            _ => {
                return Err(self.invalid(
                    "Exactly one of keyPath, keyPaths and keyData must be specified, more than one present",
                    path,
                    node,
                ));
            }
        };
        let key_type = match key_type.as_str() {
            "GPGKeys" => KeyType::GpgKeys,
            "signedByGPGKeys" => KeyType::SignedByGpgKeys,
            "X509Certificates" => KeyType::X509Certificates,
            "signedByX509CAs" => KeyType::SignedByX509Cas,
            other => {
                return Err(self.invalid(alloc::format!("invalid keyType {other:?}"), path, node));
            }
        };
        let keys = keys.ok_or_else(|| {
            self.invalid(
                "exactly one of keyPath, keyPaths and keyData must be specified",
                path,
                node,
            )
        })?;
        Ok(SignedBy {
            key_type,
            keys,
            signed_identity,
        })
    }

    /// A key source member of `sigstoreSigned` (`keyPath`, `keyPaths`, `keyData`, `keyDatas`
    /// and their `rekorPublicKey…` twins) as containers/image 5.34 records it: an empty path or
    /// empty data counts as not given; an empty or `null` list is an error.
    fn sigstore_key_source(
        &self,
        name: &str,
        value: &Node,
        path: &str,
    ) -> Result<Option<KeySource>, PolicyError> {
        let no_entries =
            || self.invalid(alloc::format!("{name:?} contains no entries"), path, value);
        Ok(if name.ends_with("Paths") {
            match self.strings(value, path)? {
                Some(list) if !list.is_empty() => Some(KeySource::Paths(list)),
                _ => return Err(no_entries()),
            }
        } else if name.ends_with("Path") {
            let text = self.string(value, path)?;
            (!text.is_empty()).then_some(KeySource::Path(text))
        } else if name.ends_with("Datas") {
            match self.bytes_list(value, path)? {
                Some(list) if !list.is_empty() => Some(KeySource::Datas(list)),
                _ => return Err(no_entries()),
            }
        } else {
            self.bytes(value, path)?.map(KeySource::Data)
        })
    }

    fn sigstore_signed(&self, node: &Node, path: &str) -> Result<SigstoreSigned, PolicyError> {
        // Each source as containers/image's options record it: None = not given.
        let mut keys: Vec<KeySource> = Vec::new();
        let mut fulcio = None;
        let mut pki = None;
        let mut rekor: Vec<KeySource> = Vec::new();
        let mut identity = None;
        self.object(node, path, |key, value, p| {
            match key {
                "type" => {
                    self.string(value, p)?;
                }
                "keyPath" | "keyPaths" | "keyData" | "keyDatas" => {
                    keys.extend(self.sigstore_key_source(key, value, p)?);
                }
                "fulcio" => fulcio = Some(self.fulcio(value, p)?),
                "pki" => pki = Some(self.pki(value, p)?),
                "rekorPublicKeyPath"
                | "rekorPublicKeyPaths"
                | "rekorPublicKeyData"
                | "rekorPublicKeyDatas" => {
                    rekor.extend(self.sigstore_key_source(key, value, p)?);
                }
                "signedIdentity" => identity = Some((value, String::from(p))),
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        let signed_identity = self.signed_identity_field(identity)?;
        let sources = keys.len() + usize::from(fulcio.is_some()) + usize::from(pki.is_some());
        if sources != 1 {
            return Err(self.invalid(
                "exactly one of keyPath, keyPaths, keyData, keyDatas, fulcio, and pki must be specified",
                path,
                node,
            ));
        }
        if rekor.len() > 1 {
            return Err(self.invalid(
                "at most one of rekorPublickeyPath, rekorPublicKeyPaths, rekorPublickeyData and rekorPublicKeyDatas can be used simultaneously",
                path,
                node,
            ));
        }
        let rekor = rekor.pop();
        let trust = match (keys.pop(), fulcio, pki) {
            (Some(keys), _, _) => SigstoreTrust::Keys(keys),
            (None, Some(fulcio), _) => {
                if rekor.is_none() {
                    return Err(self.invalid(
                        "At least one of rekorPublickeyPath, rekorPublicKeyPaths, rekorPublickeyData and rekorPublicKeyDatas must be specified if fulcio is used",
                        path,
                        node,
                    ));
                }
                SigstoreTrust::Fulcio(fulcio)
            }
            (None, None, Some(pki)) => {
                if rekor.is_some() {
                    return Err(self.invalid(
                        "rekorPublickeyPath, rekorPublicKeyPaths, rekorPublickeyData and rekorPublicKeyDatas are not supported for pki",
                        path,
                        node,
                    ));
                }
                SigstoreTrust::Pki(pki)
            }
            (None, None, None) => return Err(self.invalid("no trust source", path, node)),
        };
        Ok(SigstoreSigned {
            trust,
            rekor,
            signed_identity,
        })
    }

    /// vouch's `vouchSigstoreBundle`, read with the same paranoid reader.
    fn sigstore_bundle(&self, node: &Node, path: &str) -> Result<SigstoreBundle, PolicyError> {
        let (mut root_path, mut root_data, mut key_path, mut key_data) = (None, None, None, None);
        let mut identities = None;
        let mut predicate_types = None;
        self.object(node, path, |key, value, p| {
            match key {
                "type" => {
                    self.string(value, p)?;
                }
                "trustedRootPath" => root_path = Some(self.string(value, p)?),
                "trustedRootData" => root_data = Some(self.bytes(value, p)?),
                "keyPath" => key_path = Some(self.string(value, p)?),
                "keyData" => key_data = Some(self.bytes(value, p)?),
                "identities" => identities = Some(self.bundle_identities(value, p)?),
                "predicateTypes" => {
                    let types = self.strings(value, p)?.unwrap_or_default();
                    if types.is_empty() {
                        return Err(self.invalid("predicateTypes contains no entries", p, value));
                    }
                    if types.iter().any(String::is_empty) {
                        return Err(self.invalid("predicateTypes has an empty entry", p, value));
                    }
                    predicate_types = Some(types);
                }
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        let trusted_root = self.required_path_or_data(
            root_path,
            root_data,
            ("trustedRootPath", "trustedRootData"),
            path,
            node,
        )?;
        let key = self.path_or_data(key_path, key_data, ("keyPath", "keyData"), path, node)?;
        let signer = match (key, identities) {
            (Some(key), None) => BundleSigner::Key(key),
            (None, Some(identities)) => BundleSigner::Identities(identities),
            _ => {
                return Err(self.invalid(
                    "exactly one of identities, keyPath and keyData must be specified",
                    path,
                    node,
                ));
            }
        };
        Ok(SigstoreBundle {
            trusted_root,
            signer,
            predicate_types,
        })
    }

    /// `identities`: a non-empty list of `{issuer | issuerRegExp, subject | subjectRegExp}`.
    fn bundle_identities(
        &self,
        node: &Node,
        path: &str,
    ) -> Result<Vec<BundleIdentity>, PolicyError> {
        let items = match &node.value {
            Value::Array(items) if !items.is_empty() => items,
            Value::Array(_) | Value::Null => {
                return Err(self.invalid("identities contains no entries", path, node));
            }
            _ => return Err(self.wrong_type(node, "list of identities", path)),
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let item_path = index_path(path, i);
            let mut fields: [Option<(String, String)>; 4] = Default::default();
            const NAMES: [&str; 4] = ["issuer", "issuerRegExp", "subject", "subjectRegExp"];
            self.object(item, &item_path, |key, value, p| {
                let Some(at) = NAMES.iter().position(|n| *n == key) else {
                    return Ok(false);
                };
                fields[at] =
                    Some((self.string(value, p)?, String::from(p))).filter(|(v, _)| !v.is_empty());
                Ok(true)
            })?;
            let [issuer, issuer_re, subject, subject_re] = fields;
            let name = |exact: Option<(String, String)>,
                        re: Option<(String, String)>,
                        what: (&str, &str)|
             -> Result<NameMatch, PolicyError> {
                match (exact, re) {
                    (Some((exact, _)), None) => Ok(NameMatch::Exact(exact)),
                    (None, Some((pattern, p))) => crate::go::regexp::Regexp::new(&pattern)
                        .map(NameMatch::Regexp)
                        .map_err(|e| self.invalid(e.message, &p, item)),
                    _ => Err(self.invalid(
                        alloc::format!(
                            "exactly one of {} and {} must be specified",
                            what.0,
                            what.1
                        ),
                        &item_path,
                        item,
                    )),
                }
            };
            out.push(BundleIdentity {
                issuer: name(issuer, issuer_re, ("issuer", "issuerRegExp"))?,
                subject: name(subject, subject_re, ("subject", "subjectRegExp"))?,
            });
        }
        Ok(out)
    }

    /// A path-or-data pair as the Fulcio and PKI options read it: a `...Path` of `""` is unset,
    /// `...Data` of `null` is unset, and both set is an error. `None` when neither is set.
    fn path_or_data(
        &self,
        given_path: Option<String>,
        given_data: Option<Option<Vec<u8>>>,
        names: (&str, &str),
        path: &str,
        node: &Node,
    ) -> Result<Option<PathOrData>, PolicyError> {
        match (given_path.filter(|p| !p.is_empty()), given_data.flatten()) {
            (Some(_), Some(_)) => Err(self.invalid(
                alloc::format!("{} and {} cannot be used simultaneously", names.0, names.1),
                path,
                node,
            )),
            (Some(file), None) => Ok(Some(PathOrData::Path(file))),
            (None, Some(data)) => Ok(Some(PathOrData::Data(data))),
            (None, None) => Ok(None),
        }
    }

    /// A path-or-data pair that must be set.
    fn required_path_or_data(
        &self,
        given_path: Option<String>,
        given_data: Option<Option<Vec<u8>>>,
        names: (&str, &str),
        path: &str,
        node: &Node,
    ) -> Result<PathOrData, PolicyError> {
        self.path_or_data(given_path, given_data, names, path, node)?
            .ok_or_else(|| {
                self.invalid(
                    alloc::format!(
                        "At least one of {} and {} must be specified",
                        names.0,
                        names.1
                    ),
                    path,
                    node,
                )
            })
    }

    fn fulcio(&self, node: &Node, path: &str) -> Result<Fulcio, PolicyError> {
        let (mut ca_path, mut ca_data, mut issuer, mut email) =
            (None, None, String::new(), String::new());
        self.object(node, path, |key, value, p| {
            match key {
                "caPath" => ca_path = Some(self.string(value, p)?),
                "caData" => ca_data = Some(self.bytes(value, p)?),
                "oidcIssuer" => issuer = self.string(value, p)?,
                "subjectEmail" => email = self.string(value, p)?,
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        let ca = self.required_path_or_data(ca_path, ca_data, ("caPath", "caData"), path, node)?;
        if issuer.is_empty() {
            return Err(self.invalid("oidcIssuer not specified", path, node));
        }
        if email.is_empty() {
            return Err(self.invalid("subjectEmail not specified", path, node));
        }
        Ok(Fulcio {
            ca,
            oidc_issuer: issuer,
            subject_email: email,
        })
    }

    fn pki(&self, node: &Node, path: &str) -> Result<Pki, PolicyError> {
        let (mut roots_path, mut roots_data, mut inter_path, mut inter_data) =
            (None, None, None, None);
        let (mut email, mut hostname) = (String::new(), String::new());
        self.object(node, path, |key, value, p| {
            match key {
                "caRootsPath" => roots_path = Some(self.string(value, p)?),
                "caRootsData" => roots_data = Some(self.bytes(value, p)?),
                "caIntermediatesPath" => inter_path = Some(self.string(value, p)?),
                "caIntermediatesData" => inter_data = Some(self.bytes(value, p)?),
                "subjectEmail" => email = self.string(value, p)?,
                "subjectHostname" => hostname = self.string(value, p)?,
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        let ca_roots = self.required_path_or_data(
            roots_path,
            roots_data,
            ("caRootsPath", "caRootsData"),
            path,
            node,
        )?;
        let ca_intermediates = self.path_or_data(
            inter_path,
            inter_data,
            ("caIntermediatesPath", "caIntermediatesData"),
            path,
            node,
        )?;
        if email.is_empty() && hostname.is_empty() {
            return Err(self.invalid(
                "At least one of subjectEmail, subjectHostname must be specified",
                path,
                node,
            ));
        }
        Ok(Pki {
            ca_roots,
            ca_intermediates,
            subject_email: email,
            subject_hostname: hostname,
        })
    }

    fn identity(&self, node: &Node, path: &str) -> Result<SignedIdentity, PolicyError> {
        let type_name = self.type_name(node, path)?;
        let simple = |identity: SignedIdentity| -> Result<SignedIdentity, PolicyError> {
            self.exact_fields(node, path, &["type"], |_, _, _| Ok(()))?;
            Ok(identity)
        };
        match type_name.as_str() {
            "matchExact" => simple(SignedIdentity::MatchExact),
            "matchRepoDigestOrExact" => simple(SignedIdentity::MatchRepoDigestOrExact),
            "matchRepository" => simple(SignedIdentity::MatchRepository),
            "exactReference" | "exactRepository" => {
                let field = if type_name == "exactReference" {
                    "dockerReference"
                } else {
                    "dockerRepository"
                };
                let mut text = None;
                self.exact_fields(node, path, &["type", field], |_, value, p| {
                    text = Some((self.string(value, p)?, String::from(p), value));
                    Ok(())
                })?;
                let (text, p, value) =
                    text.ok_or_else(|| self.invalid("missing reference", path, node))?;
                let reference = Reference::parse_normalized(&text).map_err(|e| {
                    self.invalid(
                        alloc::format!("Invalid format of {field} {text}: {e}"),
                        &p,
                        value,
                    )
                })?;
                if type_name == "exactReference" {
                    if reference.is_name_only() {
                        return Err(self.invalid(
                            alloc::format!("{field} {text:?} contains neither a tag nor digest"),
                            &p,
                            value,
                        ));
                    }
                    Ok(SignedIdentity::ExactReference(reference))
                } else {
                    Ok(SignedIdentity::ExactRepository(reference))
                }
            }
            "remapIdentity" => {
                let (mut prefix, mut signed_prefix) = (None, None);
                self.exact_fields(
                    node,
                    path,
                    &["type", "prefix", "signedPrefix"],
                    |key, value, p| {
                        let s = self.string(value, p)?;
                        if !valid_remap_prefix(&s) {
                            return Err(self.invalid(
                                alloc::format!("prefix {s} is not valid"),
                                p,
                                value,
                            ));
                        }
                        if key == "prefix" {
                            prefix = Some(s);
                        } else {
                            signed_prefix = Some(s);
                        }
                        Ok(())
                    },
                )?;
                match (prefix, signed_prefix) {
                    (Some(prefix), Some(signed_prefix)) => Ok(SignedIdentity::RemapIdentity {
                        prefix,
                        signed_prefix,
                    }),
                    _ => {
                        Err(self.invalid("remapIdentity needs prefix and signedPrefix", path, node))
                    }
                }
            }
            other => Err(self.error(
                Kind::UnknownIdentityType,
                alloc::format!("Unknown policy reference match type {other:?}"),
                path,
                node.start,
            )),
        }
    }
}

/// `validateIdentityRemappingPrefix`: a `host[:port]`, or a name that starts with a domain.
fn valid_remap_prefix(s: &str) -> bool {
    grammar_is_domain(s)
        || (grammar_is_name(s) && s.split_once('/').is_some_and(|(d, _)| grammar_is_domain(d)))
}

pub(super) fn child_path(path: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && !key.as_bytes()[0].is_ascii_digit();
    if plain {
        alloc::format!("{path}.{key}")
    } else {
        alloc::format!("{path}[{key:?}]")
    }
}

pub(super) fn index_path(path: &str, index: usize) -> String {
    alloc::format!("{path}[{index}]")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(requirement: &str) -> Result<Policy, PolicyError> {
        parse_policy(
            alloc::format!(r#"{{"default": [{requirement}]}}"#).as_bytes(),
            PolicyDialect::Vouch,
        )
    }

    const ROOT: &str = r#""type": "vouchSigstoreBundle", "trustedRootPath": "/r.json""#;
    const ID: &str = r#"{"issuer": "https://issuer", "subject": "me@example.com"}"#;

    #[test]
    fn the_bundle_extension() {
        let policy = parse(&alloc::format!(
            r#"{{{ROOT}, "identities": [{ID}, {{"issuerRegExp": "^https://", "subjectRegExp": "@example\\.com$"}}], "predicateTypes": ["https://slsa.dev/provenance/v1"]}}"#
        ))
        .unwrap();
        let Requirement::SigstoreBundle(bundle) = &policy.default[0] else {
            panic!("{policy:?}");
        };
        assert_eq!(bundle.trusted_root, PathOrData::Path("/r.json".into()));
        let BundleSigner::Identities(ids) = &bundle.signer else {
            panic!("{bundle:?}");
        };
        assert_eq!(ids[0].subject, NameMatch::Exact("me@example.com".into()));
        assert!(ids[1].subject.matches("you@example.com"));
        assert!(!ids[1].subject.matches("you@example.org"));
        assert_eq!(policy.files_needed(), ["/r.json"]);
        let key = parse(&alloc::format!(r#"{{{ROOT}, "keyPath": "/k.pub"}}"#)).unwrap();
        assert_eq!(key.files_needed(), ["/k.pub", "/r.json"]);
        // The same document in containers/image's dialect.
        let strict = parse_policy(
            alloc::format!(r#"{{"default": [{{{ROOT}, "keyPath": "/k.pub"}}]}}"#).as_bytes(),
            PolicyDialect::ContainersImage,
        )
        .unwrap_err();
        assert_eq!(strict.kind(), Kind::UnknownRequirementType);
    }

    #[test]
    fn bundle_extension_errors() {
        for (requirement, message) in [
            (
                String::from(r#"{"type": "vouchSigstoreBundle", "keyPath": "/k"}"#),
                "At least one of trustedRootPath and trustedRootData must be specified",
            ),
            (
                alloc::format!(r#"{{{ROOT}}}"#),
                "exactly one of identities, keyPath and keyData must be specified",
            ),
            (
                alloc::format!(r#"{{{ROOT}, "keyPath": "/k", "identities": [{ID}]}}"#),
                "exactly one of identities, keyPath and keyData must be specified",
            ),
            (
                alloc::format!(r#"{{{ROOT}, "identities": []}}"#),
                "identities contains no entries",
            ),
            (
                alloc::format!(r#"{{{ROOT}, "identities": [{{"issuer": "i"}}]}}"#),
                "exactly one of subject and subjectRegExp must be specified",
            ),
            (
                alloc::format!(
                    r#"{{{ROOT}, "identities": [{{"issuer": "i", "issuerRegExp": "i", "subject": "s"}}]}}"#
                ),
                "exactly one of issuer and issuerRegExp must be specified",
            ),
            (
                alloc::format!(
                    r#"{{{ROOT}, "identities": [{{"issuer": "i", "subjectRegExp": "(?x)a"}}]}}"#
                ),
                "the flag `x`",
            ),
            (
                alloc::format!(
                    r#"{{{ROOT}, "identities": [{{"issuer": "i", "subject": "s", "email": "e"}}]}}"#
                ),
                "Unknown key \"email\"",
            ),
            (
                alloc::format!(r#"{{{ROOT}, "identities": [{ID}], "predicateTypes": []}}"#),
                "predicateTypes contains no entries",
            ),
            (
                alloc::format!(
                    r#"{{{ROOT}, "identities": [{ID}], "signedIdentity": {{"type": "matchExact"}}}}"#
                ),
                "Unknown key \"signedIdentity\"",
            ),
        ] {
            let error = parse(&requirement).expect_err(&requirement);
            assert!(error.message().contains(message), "{requirement}: {error}");
        }
    }
}
