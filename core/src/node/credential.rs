//! The kubelet's credential hash (KEP-2535, `credentialprovider.hashAuthConfig`): SHA-256, in
//! lowercase hex, of Go's JSON encoding of the docker-config credential, `{"username": …,
//! "password": …, "email": …}` in that order with empty members left out (`omitempty`), the
//! registry not included. Go's encoding escapes `<`, `>` and `&` (HTML-safe), U+2028 and U+2029,
//! control characters (`\b`, `\f`, `\n`, `\r`, `\t` short), and writes each byte of invalid
//! UTF-8 as `\ufffd`, so secrets that differ only there hash alike, as in the kubelet.

use alloc::string::String;

use sha2::{Digest as _, Sha256};

/// The kubelet's hash of a pull credential: the same for the same username, password and
/// e-mail, whichever secret holds them.
///
/// ```
/// assert_eq!(
///     vouch::node::credential_hash(b"user", b"pass", b""),
///     "cb54b00fb550d4a17c448149caa29f38f4d5a44fb87c752e43db8160af3a032a"
/// );
/// ```
pub fn credential_hash(username: &[u8], password: &[u8], email: &[u8]) -> String {
    let mut json = String::from("{");
    for (name, value) in [
        ("username", username),
        ("password", password),
        ("email", email),
    ] {
        if value.is_empty() {
            continue;
        }
        if json.len() > 1 {
            json.push(',');
        }
        json.push('"');
        json.push_str(name);
        json.push_str("\":");
        crate::go::json::write_string(&mut json, value);
    }
    json.push('}');
    let digest = Sha256::digest(json.as_bytes());
    let mut hex = String::with_capacity(64);
    for byte in digest {
        hex.push(char::from(b"0123456789abcdef"[usize::from(byte >> 4)]));
        hex.push(char::from(b"0123456789abcdef"[usize::from(byte & 15)]));
    }
    hex
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference values computed through the kubelet's own `MakeDockerKeyring` (v1.35.4).
    #[test]
    fn the_kubelets_hashes() {
        for (username, password, email, hash) in [
            (
                &b"user"[..],
                &b"pass"[..],
                &b""[..],
                "cb54b00fb550d4a17c448149caa29f38f4d5a44fb87c752e43db8160af3a032a",
            ),
            (
                b"user",
                b"pass",
                b"a@b.c",
                "180d02e7fe58cbdce366329c7f1f990597a4b0c783b87fd2bebd41598d423c80",
            ),
            (
                b"",
                b"",
                b"",
                "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
            ),
            (
                "<u>&".as_bytes(),
                "p\u{2028}".as_bytes(),
                b"",
                "a18eb149886a282e4905f2c96ac5ad0d0abdd011a7919e5271450f51afd07a80",
            ),
            (
                b"\xff",
                b"x",
                b"",
                "5f754e52fd61d24fc27b0125d2ba3cec4605b9ef3bf15e9c9305882aec804948",
            ),
        ] {
            assert_eq!(credential_hash(username, password, email), hash);
        }
    }
}
