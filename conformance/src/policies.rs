//! A generator of policy.json documents, valid and malformed, for the parse differential.
//!
//! Documents are assembled as text from fragments, so that duplicates, odd spellings, `null`s
//! and syntax errors survive exactly as written.

use crate::generate::Rng;

const IDENTITIES: &[&str] = &[
    r#"{"type":"matchExact"}"#,
    r#"{"type":"matchRepoDigestOrExact"}"#,
    r#"{"type":"matchRepository"}"#,
    r#"{"type":"exactReference","dockerReference":"quay.io/ns/img:tag"}"#,
    r#"{"type":"exactReference","dockerReference":"quay.io/ns/img"}"#,
    r#"{"type":"exactReference","dockerReference":"busybox@sha256:0000000000000000000000000000000000000000000000000000000000000000"}"#,
    r#"{"type":"exactReference","dockerReference":"Quay.io/UPPER:tag"}"#,
    r#"{"type":"exactReference","dockerReference":""}"#,
    r#"{"type":"exactReference"}"#,
    r#"{"type":"exactRepository","dockerRepository":"quay.io/ns/img"}"#,
    r#"{"type":"exactRepository","dockerRepository":"quay.io/ns/img:tag"}"#,
    r#"{"type":"exactRepository","dockerRepository":"UPPER/x"}"#,
    r#"{"type":"exactRepository","dockerRepository":null}"#,
    r#"{"type":"remapIdentity","prefix":"quay.io/ns","signedPrefix":"example.com/mirror"}"#,
    r#"{"type":"remapIdentity","prefix":"quay.io","signedPrefix":"localhost:5000"}"#,
    r#"{"type":"remapIdentity","prefix":"busybox","signedPrefix":"docker.io/library"}"#,
    r#"{"type":"remapIdentity","prefix":"ns/img","signedPrefix":"quay.io"}"#,
    r#"{"type":"remapIdentity","prefix":"quay.io/ns/img:tag","signedPrefix":"quay.io"}"#,
    r#"{"type":"remapIdentity","prefix":"quay.io/","signedPrefix":"quay.io"}"#,
    r#"{"type":"remapIdentity","prefix":"","signedPrefix":"quay.io"}"#,
    r#"{"type":"remapIdentity","prefix":"quay.io"}"#,
    r#"{"type":"remapIdentity","prefix":"a_b/c","signedPrefix":"quay.io"}"#,
    r#"{"type":"remapIdentity","prefix":"[::1]:5000","signedPrefix":"quay.io"}"#,
    r#"{"type":"matchExact","extra":1}"#,
    r#"{"type":"matchExact","type":"matchExact"}"#,
    r#"{"Type":"matchExact"}"#,
    r#"{"type":"MatchExact"}"#,
    r#"{"type":"unknownMatch"}"#,
    r#"{"type":null}"#,
    r#"{"type":1}"#,
    r#"{}"#,
    "null",
    r#""matchExact""#,
    "[]",
];

const KEY_FIELDS: &[&str] = &[
    r#""keyPath":"/etc/pki/key.gpg""#,
    r#""keyPath":"""#,
    r#""keyPath":null"#,
    r#""keyPath":1"#,
    r#""keyPaths":["/a","/b"]"#,
    r#""keyPaths":[]"#,
    r#""keyPaths":null"#,
    r#""keyPaths":[null]"#,
    r#""keyPaths":"/a""#,
    r#""keyData":"YWJj""#,
    r#""keyData":"""#,
    r#""keyData":null"#,
    r#""keyData":"YWJ""#,
    r#""keyData":"YW\nJj""#,
    r#""keyData":"not base64!""#,
];

const SIGSTORE_EXTRA: &[&str] = &[
    r#""keyDatas":["YWJj","ZGVm"]"#,
    r#""keyDatas":[]"#,
    r#""keyDatas":null"#,
    r#""keyDatas":[null]"#,
    r#""keyDatas":["@@"]"#,
    r#""fulcio":{"caPath":"/ca.pem","oidcIssuer":"https://issuer","subjectEmail":"a@b"}"#,
    r#""fulcio":{"caData":"YWJj","oidcIssuer":"https://issuer","subjectEmail":"a@b"}"#,
    r#""fulcio":{"caData":"","oidcIssuer":"https://issuer","subjectEmail":"a@b"}"#,
    r#""fulcio":{"caPath":"/ca.pem","caData":"YWJj","oidcIssuer":"i","subjectEmail":"a@b"}"#,
    r#""fulcio":{"caPath":"","oidcIssuer":"i","subjectEmail":"a@b"}"#,
    r#""fulcio":{"caPath":"/ca.pem","oidcIssuer":"","subjectEmail":"a@b"}"#,
    r#""fulcio":{"caPath":"/ca.pem","subjectEmail":"a@b"}"#,
    r#""fulcio":{"caPath":"/ca.pem","oidcIssuer":"i"}"#,
    r#""fulcio":{"caPath":"/ca.pem","oidcIssuer":"i","subjectEmail":"a@b","x":1}"#,
    r#""fulcio":null"#,
    r#""fulcio":{}"#,
    r#""pki":{"caRootsPath":"/roots.pem","subjectEmail":"a@b"}"#,
    r#""pki":{"caRootsData":"YWJj","caIntermediatesPath":"/i.pem","subjectHostname":"h"}"#,
    r#""pki":{"caRootsPath":"/r","caRootsData":"YWJj","subjectEmail":"a@b"}"#,
    r#""pki":{"caRootsPath":"/r","caIntermediatesPath":"/i","caIntermediatesData":"YWJj","subjectEmail":"a"}"#,
    r#""pki":{"caRootsPath":"/r"}"#,
    r#""pki":{"caRootsPath":"/r","subjectEmail":"","subjectHostname":""}"#,
    r#""pki":{"subjectEmail":"a@b"}"#,
    r#""pki":null"#,
    r#""rekorPublicKeyPath":"/rekor.pub""#,
    r#""rekorPublicKeyPath":"""#,
    r#""rekorPublicKeyPaths":["/r1","/r2"]"#,
    r#""rekorPublicKeyPaths":[]"#,
    r#""rekorPublicKeyData":"YWJj""#,
    r#""rekorPublicKeyData":"""#,
    r#""rekorPublicKeyData":null"#,
    r#""rekorPublicKeyDatas":["YWJj"]"#,
    r#""rekorPublicKeyDatas":null"#,
];

const KEY_TYPES: &[&str] = &[
    r#""keyType":"GPGKeys""#,
    r#""keyType":"signedByGPGKeys""#,
    r#""keyType":"X509Certificates""#,
    r#""keyType":"signedByX509CAs""#,
    r#""keyType":"gpgkeys""#,
    r#""keyType":"""#,
    r#""keyType":null"#,
];

/// (transport, scope, whether the scope is one the generator may use in a valid document).
/// The flag only steers the generator; expectations come from the oracle.
const SCOPES: &[(&str, &str, bool)] = &[
    ("docker", "", true),
    ("docker", "quay.io", true),
    ("docker", "quay.io/ns", true),
    ("docker", "quay.io/ns/img:tag", true),
    ("docker", "*.io", true),
    ("docker", "busybox", true),
    ("docker", "http://x", true),
    ("docker", "UPPER CASE", true),
    ("docker-daemon", "busybox:latest", true),
    (
        "docker-daemon",
        "sha256:0000000000000000000000000000000000000000000000000000000000000000",
        false,
    ),
    ("docker-daemon", "sha256:00", true),
    ("docker-daemon", "", true),
    ("dir", "/var/lib/images", true),
    ("dir", "/", false),
    ("dir", "relative/path", false),
    ("dir", "/a/", false),
    ("dir", "/a/../b", false),
    ("dir", "/a//b", false),
    ("dir", "/a/./b", false),
    ("oci", "/srv/oci", true),
    ("oci", "/srv/oci/", false),
    ("oci", "srv", false),
    ("oci-archive", "/srv/a.tar", true),
    ("oci-archive", "/", false),
    ("sif", "/srv/x.sif", true),
    ("sif", "x.sif", false),
    ("docker-archive", "", true),
    ("docker-archive", "/x.tar", false),
    ("tarball", "", true),
    ("tarball", "/x", false),
    ("containers-storage", "", true),
    ("containers-storage", "[/var/lib/containers/storage]", true),
    (
        "containers-storage",
        "[overlay@/var/lib/containers/storage]quay.io/ns/img",
        true,
    ),
    (
        "containers-storage",
        "[overlay@/var/lib/containers/storage]quay.io/ns/img:tag@sha256:0000000000000000000000000000000000000000000000000000000000000000",
        false,
    ),
    (
        "containers-storage",
        "[/r]img@0000000000000000000000000000000000000000000000000000000000000000",
        false,
    ),
    (
        "containers-storage",
        "[/r]img@sha256:00@0000000000000000000000000000000000000000000000000000000000000000",
        false,
    ),
    ("containers-storage", "[/r]img@zzz", false),
    ("containers-storage", "[relative]img", false),
    ("containers-storage", "[]", false),
    ("containers-storage", "[@/r]", false),
    ("containers-storage", "no-brackets", false),
    ("atomic", "anything/at:all", true),
    ("ostree", "whatever", true),
    ("made-up", "x y z", true),
];

/// Valid identities (indexes into [`IDENTITIES`] are not used, to keep the list readable).
const VALID_IDENTITIES: &[&str] = &[
    r#"{"type":"matchExact"}"#,
    r#"{"type":"matchRepoDigestOrExact"}"#,
    r#"{"type":"matchRepository"}"#,
    r#"{"type":"exactReference","dockerReference":"quay.io/ns/img:tag"}"#,
    r#"{"type":"exactRepository","dockerRepository":"quay.io/ns/img"}"#,
    r#"{"type":"remapIdentity","prefix":"quay.io/ns","signedPrefix":"example.com/mirror"}"#,
];

const VALID_REQUIREMENTS: &[&str] = &[
    r#"{"type":"insecureAcceptAnything"}"#,
    r#"{"type":"reject"}"#,
    r#"{"type":"signedBy","keyType":"GPGKeys","keyPath":"/etc/pki/key.gpg"}"#,
    r#"{"type":"signedBy","keyType":"GPGKeys","keyPaths":["/a","/b"]}"#,
    r#"{"type":"signedBy","keyType":"GPGKeys","keyPaths":[]}"#,
    r#"{"type":"signedBy","keyType":"X509Certificates","keyData":""}"#,
    r#"{"type":"sigstoreSigned","keyPath":"/k.pub"}"#,
    r#"{"type":"sigstoreSigned","keyDatas":["YWJj"],"rekorPublicKeyPath":"/rekor.pub"}"#,
    r#"{"type":"sigstoreSigned","fulcio":{"caPath":"/ca.pem","oidcIssuer":"https://i","subjectEmail":"a@b"},"rekorPublicKeyData":"YWJj"}"#,
    r#"{"type":"sigstoreSigned","pki":{"caRootsPath":"/roots.pem","subjectHostname":"h"}}"#,
];

/// A generator that makes a bounded number of "wild" choices (from lists that mix valid and
/// broken fragments); every other choice is a valid fragment.
struct Gen<'r> {
    rng: &'r mut Rng,
    budget: u32,
    percent: usize,
}

impl Gen<'_> {
    fn wild(&mut self) -> bool {
        if self.budget > 0 && self.rng.chance(self.percent) {
            self.budget -= 1;
            true
        } else {
            false
        }
    }

    fn identity(&mut self) -> String {
        if self.wild() {
            self.rng.pick_str(IDENTITIES).to_owned()
        } else {
            self.rng.pick_str(VALID_IDENTITIES).to_owned()
        }
    }

    fn object(&mut self, fields: &[String]) -> String {
        let mut fields = fields.to_vec();
        // Shuffle: field order must not matter, except for which error comes first.
        for i in (1..fields.len()).rev() {
            fields.swap(i, self.rng.below(i + 1));
        }
        format!("{{{}}}", fields.join(","))
    }

    /// One requirement object (or, when wild, possibly a malformed stand-in for one).
    fn requirement(&mut self) -> String {
        if !self.wild() {
            let base = self.rng.pick_str(VALID_REQUIREMENTS).to_owned();
            let signs = base.contains("signedBy") || base.contains("sigstoreSigned");
            if signs && self.rng.chance(50) {
                let identity = self.identity();
                return format!(
                    r#"{},"signedIdentity":{identity}}}"#,
                    &base[..base.len() - 1]
                );
            }
            return base;
        }
        let rng = &mut *self.rng;
        let mut fields: Vec<String> = Vec::new();
        match rng.below(12) {
            0 | 1 => fields.push(r#""type":"insecureAcceptAnything""#.into()),
            2 | 3 => fields.push(r#""type":"reject""#.into()),
            4 => {
                fields.push(r#""type":"signedBaseLayer""#.into());
                if rng.chance(85) {
                    fields.push(format!(
                        r#""baseLayerIdentity":{}"#,
                        rng.pick_str(IDENTITIES)
                    ));
                }
            }
            5..=7 => {
                fields.push(r#""type":"signedBy""#.into());
                if rng.chance(90) {
                    let key_type = if rng.chance(70) {
                        KEY_TYPES[0]
                    } else {
                        rng.pick_str(KEY_TYPES)
                    };
                    fields.push(key_type.into());
                }
                let sources = *rng.pick(&[1, 1, 1, 1, 0, 2]);
                for _ in 0..sources {
                    let source = if rng.chance(50) {
                        rng.pick_str(&KEY_FIELDS[..2])
                    } else {
                        rng.pick_str(KEY_FIELDS)
                    };
                    fields.push(source.into());
                }
                if rng.chance(60) {
                    fields.push(format!(r#""signedIdentity":{}"#, rng.pick_str(IDENTITIES)));
                }
            }
            8..=10 => {
                fields.push(r#""type":"sigstoreSigned""#.into());
                let count = *rng.pick(&[1, 1, 2, 2, 3, 0]);
                for _ in 0..count {
                    let field = if rng.chance(40) {
                        rng.pick_str(&KEY_FIELDS[..11]).to_owned()
                    } else {
                        rng.pick_str(SIGSTORE_EXTRA).to_owned()
                    };
                    fields.push(field);
                }
                if rng.chance(60) {
                    fields.push(format!(r#""signedIdentity":{}"#, rng.pick_str(IDENTITIES)));
                }
            }
            _ => {
                return rng
                    .pick_str(&[
                        r#"{"type":"Reject"}"#,
                        r#"{"type":"reject","extra":true}"#,
                        r#"{"type":"reject","type":"reject"}"#,
                        r#"{"type":"insecureAcceptAnything","TYPE":"x"}"#,
                        r#"{"TYPE":"reject"}"#,
                        r#"{"type":"\u0072eject"}"#,
                        r#"{"\u0074ype":"reject"}"#,
                        r#"{"type":"unknown"}"#,
                        r#"{"type":null}"#,
                        r#"{}"#,
                        "null",
                        r#""reject""#,
                        "[]",
                        "1",
                    ])
                    .to_owned();
            }
        }
        if rng.chance(4) {
            fields.push(r#""unknownField":1"#.into());
        }
        if rng.chance(3) && !fields.is_empty() {
            let duplicate = fields[rng.below(fields.len())].clone();
            fields.push(duplicate);
        }
        self.object(&fields)
    }

    fn requirement_list(&mut self) -> String {
        if self.wild() && self.rng.chance(30) {
            return self
                .rng
                .pick_str(&["[]", "null", "{}", r#""reject""#])
                .to_owned();
        }
        let n = *self.rng.pick(&[1, 1, 1, 2, 3]);
        let items: Vec<String> = (0..n).map(|_| self.requirement()).collect();
        format!("[{}]", items.join(","))
    }

    fn scope(&mut self, transport: &str) -> &'static str {
        let wild = self.wild();
        let candidates: Vec<&'static str> = SCOPES
            .iter()
            .filter(|(t, _, valid)| *t == transport && (wild || *valid))
            .map(|(_, scope, _)| *scope)
            .collect();
        if candidates.is_empty() {
            ""
        } else {
            self.rng.pick_str(&candidates)
        }
    }

    fn document(&mut self) -> String {
        let mut top: Vec<String> = Vec::new();
        if !self.wild() || self.rng.chance(70) {
            let key = if self.wild() {
                self.rng
                    .pick_str(&["default", "Default", r"\u0064efault", "defaults"])
            } else {
                "default"
            };
            let list = self.requirement_list();
            top.push(format!(r#""{key}":{list}"#));
        }
        if self.rng.chance(75) {
            let mut transports: Vec<String> = Vec::new();
            for _ in 0..self.rng.below(4) {
                let (transport, _, _) = *self.rng.pick(SCOPES);
                let mut scopes: Vec<String> = Vec::new();
                for _ in 0..self.rng.below(4) {
                    let scope = self.scope(transport);
                    let list = self.requirement_list();
                    scopes.push(format!("{}:{list}", json_string(scope)));
                }
                let value = if self.wild() && self.rng.chance(20) {
                    "null".to_owned()
                } else {
                    format!("{{{}}}", scopes.join(","))
                };
                transports.push(format!("{}:{value}", json_string(transport)));
            }
            let value = if self.wild() && self.rng.chance(20) {
                self.rng.pick_str(&["null", "[]"]).to_owned()
            } else {
                format!("{{{}}}", transports.join(","))
            };
            top.push(format!(r#""transports":{value}"#));
        }
        if self.wild() && self.rng.chance(30) {
            if self.rng.chance(50) || top.is_empty() {
                top.push(r#""unknown":{}"#.into());
            } else {
                let duplicate = top[self.rng.below(top.len())].clone();
                top.push(duplicate);
            }
        }
        let mut document = self.object(&top);
        if self.wild() && self.rng.chance(20) {
            match self.rng.below(6) {
                0 => document.insert(0, '\u{feff}'),
                1 => document.push_str(" {}"),
                2 => document.push_str("\n\t "),
                3 => document = document.replacen(':', " : ", 1),
                4 if document.len() > 2 => document.truncate(document.len() - 1),
                _ => document = document.replacen('"', "'", 1),
            }
        }
        document
    }
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).expect("string")
}

/// One whole policy document: a third valid, a third with one wild choice, a third wild.
pub fn policy_document(rng: &mut Rng) -> String {
    let (budget, percent) = match rng.below(3) {
        0 => (0, 0),
        1 => (1, 8),
        _ => (u32::MAX, 12),
    };
    Gen {
        rng,
        budget,
        percent,
    }
    .document()
}
