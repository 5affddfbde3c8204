//! Content digests, validated exactly as go-digest v1.0.0 validates them.

use core::fmt;
use core::str::FromStr;

use super::grammar::lower_hex;

/// A hash algorithm a [`Digest`] may name.
///
/// These are the algorithms go-digest v1.0.0 accepts in the binaries vouch agrees with
/// (containers/image and the kubelet both link SHA-256 and SHA-512, which also provides
/// SHA-384). Any other algorithm name is [`DigestError::UnsupportedAlgorithm`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DigestAlgorithm {
    /// `sha256`: 32 bytes, 64 hex characters.
    Sha256,
    /// `sha384`: 48 bytes, 96 hex characters.
    Sha384,
    /// `sha512`: 64 bytes, 128 hex characters.
    Sha512,
}

impl DigestAlgorithm {
    /// The algorithm's name as it stands before the `:` of a digest.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Sha256 => "sha256",
            Self::Sha384 => "sha384",
            Self::Sha512 => "sha512",
        }
    }

    /// The length of the hash in bytes.
    pub const fn output_len(self) -> usize {
        match self {
            Self::Sha256 => 32,
            Self::Sha384 => 48,
            Self::Sha512 => 64,
        }
    }

    fn from_name(name: &str) -> Option<Self> {
        match name {
            "sha256" => Some(Self::Sha256),
            "sha384" => Some(Self::Sha384),
            "sha512" => Some(Self::Sha512),
            _ => None,
        }
    }
}

impl fmt::Display for DigestAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a string is not a valid digest. The messages are go-digest's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DigestError {
    /// The text is not `algorithm:hex`, or the hex part has characters other than `[a-f0-9]`.
    InvalidFormat,
    /// The hex part has the wrong length for its algorithm.
    InvalidLength,
    /// The algorithm is well-formed but not one vouch accepts.
    UnsupportedAlgorithm,
}

impl DigestError {
    /// The stable machine-readable class used in the JSON contract.
    pub const fn kind(self) -> &'static str {
        match self {
            Self::InvalidFormat => "digest_invalid_format",
            Self::InvalidLength => "digest_invalid_length",
            Self::UnsupportedAlgorithm => "digest_unsupported_algorithm",
        }
    }
}

impl fmt::Display for DigestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::InvalidFormat => "invalid checksum digest format",
            Self::InvalidLength => "invalid checksum digest length",
            Self::UnsupportedAlgorithm => "unsupported digest algorithm",
        })
    }
}

impl core::error::Error for DigestError {}

/// A validated digest: an algorithm and the hash bytes. Holds no heap memory.
///
/// `Display` gives the canonical `algorithm:lowercase-hex` form, which is also the only form
/// [`Digest::parse`] accepts.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Digest {
    algorithm: DigestAlgorithm,
    bytes: [u8; 64],
}

impl Digest {
    /// Parses `algorithm:hex` as go-digest's `Parse` does.
    ///
    /// ```
    /// use vouch::{Digest, DigestAlgorithm, DigestError};
    /// let d = Digest::parse("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")?;
    /// assert_eq!(d.algorithm(), DigestAlgorithm::Sha256);
    /// assert_eq!(Digest::parse("md5:d41d8cd98f00b204e9800998ecf8427e"), Err(DigestError::UnsupportedAlgorithm));
    /// # Ok::<(), DigestError>(())
    /// ```
    pub fn parse(s: &str) -> Result<Self, DigestError> {
        let colon = s.find(':').ok_or(DigestError::InvalidFormat)?;
        let (algorithm, encoded) = (&s[..colon], &s[colon + 1..]);
        if algorithm.is_empty() || encoded.is_empty() {
            return Err(DigestError::InvalidFormat);
        }
        let Some(algorithm) = DigestAlgorithm::from_name(algorithm) else {
            return Err(if unsupported_but_well_formed(s) {
                DigestError::UnsupportedAlgorithm
            } else {
                DigestError::InvalidFormat
            });
        };
        if encoded.len() != algorithm.output_len() * 2 {
            return Err(DigestError::InvalidLength);
        }
        let mut bytes = [0u8; 64];
        for (byte, pair) in bytes.iter_mut().zip(encoded.as_bytes().chunks_exact(2)) {
            match (hex_value(pair[0]), hex_value(pair[1])) {
                (Some(high), Some(low)) => *byte = (high << 4) | low,
                _ => return Err(DigestError::InvalidFormat),
            }
        }
        Ok(Self { algorithm, bytes })
    }

    /// A digest of the given algorithm over already computed hash bytes.
    ///
    /// Returns `None` when `hash` is not exactly the algorithm's output length.
    pub fn from_hash(algorithm: DigestAlgorithm, hash: &[u8]) -> Option<Self> {
        if hash.len() != algorithm.output_len() {
            return None;
        }
        let mut bytes = [0u8; 64];
        bytes[..hash.len()].copy_from_slice(hash);
        Some(Self { algorithm, bytes })
    }

    /// A sha256 digest of a computed hash.
    pub fn sha256(hash: [u8; 32]) -> Self {
        let mut bytes = [0u8; 64];
        bytes[..32].copy_from_slice(&hash);
        Self {
            algorithm: DigestAlgorithm::Sha256,
            bytes,
        }
    }

    /// The algorithm.
    pub const fn algorithm(&self) -> DigestAlgorithm {
        self.algorithm
    }

    /// The hash bytes (32, 48 or 64 of them).
    pub fn hash(&self) -> &[u8] {
        &self.bytes[..self.algorithm.output_len()]
    }
}

/// go-digest's anchored `DigestRegexp`: `[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+`.
fn unsupported_but_well_formed(s: &str) -> bool {
    let Some((algorithm, encoded)) = s.split_once(':') else {
        return false;
    };
    let algorithm_ok = algorithm.split(['.', '+', '_', '-']).all(|part| {
        !part.is_empty()
            && part
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    });
    algorithm_ok
        && !encoded.is_empty()
        && encoded
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'=' | b'_' | b'-'))
}

fn hex_value(b: u8) -> Option<u8> {
    if !lower_hex(b) {
        return None;
    }
    Some(if b.is_ascii_digit() {
        b - b'0'
    } else {
        b - b'a' + 10
    })
}

impl FromStr for Digest {
    type Err = DigestError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        f.write_str(self.algorithm.name())?;
        f.write_str(":")?;
        let mut buf = [0u8; 128];
        for (pair, byte) in buf.chunks_exact_mut(2).zip(self.hash()) {
            pair[0] = HEX[usize::from(byte >> 4)];
            pair[1] = HEX[usize::from(byte & 0x0f)];
        }
        let hex = &buf[..self.hash().len() * 2];
        // Only ASCII hex digits were written.
        f.write_str(core::str::from_utf8(hex).map_err(|_| fmt::Error)?)
    }
}

impl fmt::Debug for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Digest({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn go_digest_classification() {
        let hex64 = "0123456789abcdef".repeat(4);
        assert!(Digest::parse(&alloc::format!("sha256:{hex64}")).is_ok());
        assert_eq!(
            Digest::parse(&alloc::format!("sha256:{}", hex64.to_uppercase())),
            Err(DigestError::InvalidFormat)
        );
        assert_eq!(
            Digest::parse(&alloc::format!("sha256:{}", &hex64[1..])),
            Err(DigestError::InvalidLength)
        );
        assert_eq!(
            Digest::parse(&alloc::format!("sha384:{hex64}")),
            Err(DigestError::InvalidLength)
        );
        assert_eq!(
            Digest::parse(&alloc::format!("SHA256:{hex64}")),
            Err(DigestError::InvalidFormat)
        );
        assert_eq!(
            Digest::parse("blake3:abc"),
            Err(DigestError::UnsupportedAlgorithm)
        );
        assert_eq!(Digest::parse("sha256"), Err(DigestError::InvalidFormat));
        assert_eq!(Digest::parse(":abc"), Err(DigestError::InvalidFormat));
        assert_eq!(Digest::parse("sha256:"), Err(DigestError::InvalidFormat));
        assert_eq!(Digest::parse("a..b:abc"), Err(DigestError::InvalidFormat));
        assert_eq!(Digest::parse("md5:a:b"), Err(DigestError::InvalidFormat));
    }

    #[test]
    fn display_round_trips() {
        for algorithm in [
            DigestAlgorithm::Sha256,
            DigestAlgorithm::Sha384,
            DigestAlgorithm::Sha512,
        ] {
            let text = alloc::format!("{}:{}", algorithm, "a1".repeat(algorithm.output_len()));
            let digest = Digest::parse(&text).unwrap();
            assert_eq!(digest.to_string(), text);
            assert_eq!(Digest::from_hash(algorithm, digest.hash()), Some(digest));
        }
    }
}
