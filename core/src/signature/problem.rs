//! Why a signature could not be read or its payload was refused: typed detail for the
//! `malformed_signature` and `invalid_payload` reasons, so that a caller matches on a variant,
//! never on text. Each `Display` is the line vouch has always shown (the differential tests
//! read some of these words: "invalid packet content" marks damaged OpenPGP framing).

use alloc::string::String;
use core::fmt;

use super::sigstore::SIGNATURE_ANNOTATION;
use crate::reference::DigestError;

/// Why a signature is not in a form that can be verified (`malformed_signature`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum MalformedSignature {
    /// A cosign signature without an annotation the requirement needs (its key:
    /// `dev.cosignproject.cosign/signature`, `dev.sigstore.cosign/bundle`, ...).
    MissingAnnotation(&'static str),
    /// The signature annotation is not standard base64.
    AnnotationNotBase64 {
        /// The offset of the first character that is not.
        offset: usize,
    },
    /// A simple-signing blob that is not an OpenPGP message gpg would verify.
    OpenPgp(OpenPgpProblem),
}

impl fmt::Display for MalformedSignature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingAnnotation(annotation) => {
                write!(f, "missing the {annotation} annotation")
            }
            Self::AnnotationNotBase64 { offset } => write!(
                f,
                "the {SIGNATURE_ANNOTATION} annotation is not base64 (at byte {offset})"
            ),
            Self::OpenPgp(problem) => fmt::Display::fmt(problem, f),
        }
    }
}

/// Why an OpenPGP message (or key packet) is not one gpg would read.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum OpenPgpProblem {
    /// The message is larger than vouch reads.
    TooLarge {
        /// Its size in bytes.
        bytes: usize,
        /// The most vouch reads.
        limit: usize,
    },
    /// The ASCII armour is damaged (what is wrong, for a person).
    Armor(&'static str),
    /// The ASCII armour holds a byte that is not base64.
    ArmorByte(u8),
    /// A packet holds fewer bytes than its length field says.
    Truncated,
    /// A packet header byte without its high bit.
    PacketHeader(u8),
    /// A partial body length in a packet that may not have one (the packet's tag).
    PartialLength(u8),
    /// A field runs past the end of its packet (which field).
    FieldOverrun(&'static str),
    /// A signature subpacket that must be 4 bytes is not (the subpacket's type).
    SubpacketLength(u8),
    /// Another damaged packet (what is wrong, for a person).
    InvalidPacket(&'static str),
    /// A packet that does not belong where it stands (its tag).
    UnexpectedPacket(u8),
    /// A packet in a cleartext signature's signature block that is not a signature (its tag).
    NotASignaturePacket(u8),
    /// More packets than vouch reads.
    TooManyPackets(usize),
    /// Compressed data of an algorithm gpg does not know.
    CompressionAlgorithm(u8),
    /// BZip2-compressed data, which vouch does not read.
    Bzip2,
    /// Compressed data that decompresses to more than vouch reads (the limit in bytes).
    DecompressesTooLarge(usize),
    /// A deflate stream that ends early, is corrupt, or fails its checksum.
    CorruptCompression(&'static str),
    /// Compressed packets nested too deeply.
    CompressionTooDeep,
    /// Not exactly one literal data packet (how many).
    LiteralCount(usize),
    /// Not exactly one signature (how many).
    SignatureCount(usize),
    /// One-pass signature packets that do not pair with the signatures.
    OnePassCount {
        /// One-pass signature packets.
        one_pass: usize,
        /// Signature packets.
        signatures: usize,
    },
    /// A one-pass signature packet of a version gpg does not read.
    OnePassVersion(u8),
    /// A signature of a version gpg does not verify.
    SignatureVersion(u8),
    /// A key of a version gpg 2.2 does not read.
    KeyVersion(u8),
    /// A key packet over 64 KiB.
    KeyTooLarge,
    /// A secret key of an algorithm vouch does not read (the algorithm).
    SecretKeyAlgorithm(u8),
    /// A signature of another type than a document signature (its type).
    SignatureType(u8),
    /// A signature made with another public-key algorithm than its key's.
    AlgorithmMismatch {
        /// The signature's public-key algorithm.
        signature: u8,
        /// The key's.
        key: u8,
    },
    /// A signature over a hash algorithm that is not accepted (the algorithm).
    HashAlgorithm(u8),
    /// A signature over a digest the message did not announce before its data (the algorithm).
    HashNotAnnounced(u8),
}

impl OpenPgpProblem {
    /// Whether the problem is damaged packet framing (a length, a header or a field), rather
    /// than a well-formed message gpg will not verify.
    pub const fn is_framing(&self) -> bool {
        matches!(
            self,
            Self::PacketHeader(_)
                | Self::PartialLength(_)
                | Self::FieldOverrun(_)
                | Self::SubpacketLength(_)
                | Self::InvalidPacket(_)
                | Self::NotASignaturePacket(_)
                | Self::CompressionAlgorithm(_)
        )
    }
}

/// The name gpg gives a hash algorithm.
pub(crate) fn hash_name(algorithm: u8) -> HashName {
    HashName(algorithm)
}

/// A hash algorithm, shown by its name.
pub(crate) struct HashName(u8);

impl fmt::Display for HashName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self.0 {
            1 => "MD5",
            2 => "SHA-1",
            3 => "RIPEMD-160",
            8 => "SHA-256",
            9 => "SHA-384",
            10 => "SHA-512",
            11 => "SHA-224",
            12 => "SHA3-256",
            14 => "SHA3-512",
            other => return write!(f, "hash algorithm {other}"),
        };
        f.write_str(name)
    }
}

/// The name gpg gives a public-key algorithm.
pub(crate) fn algorithm_name(algorithm: u8) -> AlgorithmName {
    AlgorithmName(algorithm)
}

/// A public-key algorithm, shown by its name.
pub(crate) struct AlgorithmName(u8);

impl fmt::Display for AlgorithmName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self.0 {
            1 | 3 => "RSA",
            2 => "RSA (encrypt-only)",
            16 | 20 => "Elgamal",
            17 => "DSA",
            18 => "ECDH",
            19 => "ECDSA",
            22 => "EdDSA",
            other => return write!(f, "public-key algorithm {other}"),
        };
        f.write_str(name)
    }
}

impl fmt::Display for OpenPgpProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Self::SignatureCount(n) = self {
            return write!(f, "the message has {n} signatures; exactly one is required");
        }
        f.write_str("not a verifiable OpenPGP message: ")?;
        if self.is_framing() {
            f.write_str("invalid packet content: ")?;
        }
        match self {
            Self::TooLarge { bytes, limit } => write!(f, "{bytes} bytes is more than {limit}"),
            Self::Armor(what) => write!(f, "armor: {what}"),
            Self::ArmorByte(byte) => write!(f, "armor: a byte {byte:#04x} that is not base64"),
            Self::Truncated => f.write_str("a packet holds fewer bytes than its length field says"),
            Self::PacketHeader(ctb) => {
                write!(f, "a packet header byte {ctb:#04x} without its high bit")
            }
            Self::PartialLength(tag) => {
                write!(f, "a partial body length in a packet of tag {tag}")
            }
            Self::FieldOverrun(what) => write!(f, "{what} runs past the end of its packet"),
            Self::SubpacketLength(kind) => write!(f, "subpacket {kind} is not 4 bytes"),
            Self::InvalidPacket(what) => f.write_str(what),
            Self::UnexpectedPacket(tag) => write!(f, "unexpected packet of tag {tag}"),
            Self::NotASignaturePacket(tag) => {
                write!(f, "a packet of tag {tag} in a signature block")
            }
            Self::TooManyPackets(limit) => write!(f, "more than {limit} packets"),
            Self::CompressionAlgorithm(algorithm) => {
                write!(f, "compression algorithm {algorithm}")
            }
            Self::Bzip2 => f.write_str("BZip2-compressed messages are not supported"),
            Self::DecompressesTooLarge(limit) => {
                write!(f, "decompresses to more than {limit} bytes")
            }
            Self::CorruptCompression(what) => write!(f, "decompressing: {what}"),
            Self::CompressionTooDeep => f.write_str("compressed packets nested too deeply"),
            Self::LiteralCount(n) => {
                write!(f, "{n} literal data packets; exactly one is required")
            }
            Self::SignatureCount(_) => Ok(()),
            Self::OnePassCount {
                one_pass,
                signatures,
            } => write!(
                f,
                "{one_pass} one-pass signature packets for {signatures} signatures"
            ),
            Self::OnePassVersion(version) => {
                write!(f, "one-pass signature packet of version {version}")
            }
            Self::SignatureVersion(version) => write!(
                f,
                "a version {version} signature (gpg verifies versions 3 and 4)"
            ),
            Self::KeyVersion(version) => {
                write!(f, "a version {version} key (gpg reads version 4 keys)")
            }
            Self::KeyTooLarge => f.write_str("a key packet over 64 KiB"),
            Self::SecretKeyAlgorithm(algorithm) => {
                write!(f, "a secret {} key", algorithm_name(*algorithm))
            }
            Self::SignatureType(kind) => {
                write!(f, "signature of type {kind:#04x}, not over a document")
            }
            Self::AlgorithmMismatch { signature, key } => write!(
                f,
                "made with {}, but the key is {}",
                algorithm_name(*signature),
                algorithm_name(*key)
            ),
            Self::HashAlgorithm(algorithm) => {
                write!(f, "{} signatures are not accepted", hash_name(*algorithm))
            }
            Self::HashNotAnnounced(algorithm) => write!(
                f,
                "the signature is over a {} digest, which the message did not announce before its data",
                hash_name(*algorithm)
            ),
        }
    }
}

/// Why a verified payload is refused (`invalid_payload`), as containers/image's strict JSON
/// reading refuses it; `Display` gives containers/image's words.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PayloadError {
    /// The payload is not JSON as Go reads it.
    Syntax {
        /// Go's `encoding/json` message.
        message: String,
        /// The byte offset of the error.
        offset: usize,
    },
    /// A JSON object was expected (the kind of value found, as Go names it).
    ObjectExpected(&'static str),
    /// A member appears twice in one object (its name).
    DuplicateKey(String),
    /// A member the format does not have (its name).
    UnknownKey(String),
    /// A member the format requires is absent.
    MissingMember,
    /// `critical.type` is not the format's (the type found).
    UnrecognizedType(String),
    /// `critical.image.docker-manifest-digest` is not a valid digest.
    InvalidDigest(DigestError),
    /// A value that must be a string is not (the kind found).
    NotAString(&'static str),
    /// A value that must be a number is not (the kind found).
    NotANumber(&'static str),
    /// A number out of float64's range (the number as written).
    NumberOutOfRange(String),
    /// `optional.timestamp` is not an integer.
    TimestampNotInteger,
}

impl fmt::Display for PayloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Syntax { message, .. } => f.write_str(message),
            Self::ObjectExpected(kind) => write!(f, "JSON object expected, got {kind}"),
            Self::DuplicateKey(key) => write!(f, "Duplicate key {key:?}"),
            Self::UnknownKey(key) => write!(f, "Unknown key {key:?}"),
            Self::MissingMember => f.write_str("missing member"),
            Self::UnrecognizedType(kind) => write!(f, "Unrecognized signature type {kind}"),
            Self::InvalidDigest(error) => fmt::Display::fmt(error, f),
            Self::NotAString(kind) => write!(
                f,
                "json: cannot unmarshal {kind} into Go value of type string"
            ),
            Self::NotANumber(kind) => write!(
                f,
                "json: cannot unmarshal {kind} into Go value of type float64"
            ),
            Self::NumberOutOfRange(text) => write!(
                f,
                "json: cannot unmarshal number {text} into Go value of type float64"
            ),
            // containers/image's words, its repetition included.
            Self::TimestampNotInteger => {
                f.write_str("Field optional.timestamp is not is not an integer")
            }
        }
    }
}

impl core::error::Error for MalformedSignature {}
impl core::error::Error for OpenPgpProblem {}
impl core::error::Error for PayloadError {}
