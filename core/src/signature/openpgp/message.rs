//! Signed messages as gpg reads them: binary, compressed, armoured or cleartext, with exactly
//! the packet structure gpg accepts and the digests it computes over the data.

use alloc::vec::Vec;

use super::packet::{self, Packets, tag};
use super::sig::Sig;
use super::{MAX_CONTENT, MAX_NESTING, MAX_PACKETS, PgpError, armor};
use crate::signature::problem::OpenPgpProblem;

/// A parsed message: its signed content and its signatures.
pub(super) struct Message {
    pub(super) content: Vec<u8>,
    pub(super) signatures: Vec<Sig>,
    /// The hash algorithms gpg computes over the signed data: for a packet sequence, those
    /// announced before the literal data in its own sequence by one-pass signature packets
    /// (or by signature packets, in PGP 2's signature-first form), and without any, gpg's
    /// historical defaults; for a cleartext message, its `Hash:` headers, or MD5 without one.
    pub(super) hashed_with: Vec<u8>,
    /// How many one-pass signature packets the message has, at any depth.
    one_pass: usize,
    /// How many of the signatures stand in a packet sequence that begins with signatures and
    /// holds no literal data of its own (`S C(L)`): gpg checks those as detached signatures.
    detached: usize,
}

/// What gpg hashes the literal data with when nothing before it names an algorithm:
/// MD5, SHA-1 and RIPEMD-160.
const GPG_DEFAULT_HASHES: [u8; 3] = [1, 2, 3];

pub(super) fn read_message(blob: &[u8]) -> Result<Message, PgpError> {
    let trimmed = blob.trim_ascii_start();
    if trimmed.starts_with(b"-----BEGIN PGP SIGNED MESSAGE-----") {
        let cleartext = armor::cleartext(trimmed)?;
        let mut signatures = Vec::new();
        for packet in Packets::new(&cleartext.signature) {
            let packet = packet?;
            if packet.tag != tag::SIGNATURE {
                return Err(PgpError::Malformed(OpenPgpProblem::NotASignaturePacket(
                    packet.tag,
                )));
            }
            signatures.push(Sig::parse(&packet.body)?);
        }
        // gpg stops at the end of the signature's armour and ignores what follows, unless
        // it is another armoured block (which vouch refuses outright).
        let after = &trimmed[cleartext.consumed..];
        if after.windows(14).any(|w| w == b"-----BEGIN PGP") {
            return Err(PgpError::Malformed(OpenPgpProblem::Armor(
                "more than one armoured block",
            )));
        }
        return Ok(Message {
            content: cleartext.text,
            signatures,
            hashed_with: if cleartext.hashes.is_empty() {
                alloc::vec![1]
            } else {
                cleartext.hashes
            },
            one_pass: 0,
            detached: 0,
        });
    }
    let binary;
    let bytes = if trimmed.starts_with(b"-----BEGIN PGP") {
        binary = armor::dearmor(trimmed)?.data;
        &binary[..]
    } else {
        blob
    };
    let mut message = Message {
        content: Vec::new(),
        signatures: Vec::new(),
        hashed_with: Vec::new(),
        one_pass: 0,
        detached: 0,
    };
    let mut literals = 0;
    let mut packets = 0;
    read_packets(bytes, 0, &mut message, &mut literals, &mut packets)?;
    // Signature packets alone are a detached signature: gpgme checks it over no data at all
    // (so it names an unknown key, or does not verify), as vouch does.
    let detached = literals == 0 && message.one_pass == 0 && !message.signatures.is_empty();
    if literals != 1 && !detached {
        return Err(PgpError::Malformed(OpenPgpProblem::LiteralCount(literals)));
    }
    // Signatures in a sequence of their own before compressed data (`S C(L)`): gpg tells
    // whether a sequence has data per sequence, so it checks them as detached signatures
    // over what gpgme gives on its standard input, which is nothing. The literal data inside
    // is never what they sign: it is not the content (containers/image would take it as
    // the signed payload when the signature is one over empty data; vouch does not).
    let sequenced = message.detached > 0;
    if sequenced && message.detached != message.signatures.len() {
        return Err(PgpError::Malformed(OpenPgpProblem::SignatureCount(
            message.signatures.len(),
        )));
    }
    if detached || sequenced {
        message.content.clear();
        message.hashed_with = message.signatures.iter().map(|s| s.hash).collect();
    }
    Ok(message)
}

fn read_packets(
    bytes: &[u8],
    depth: usize,
    message: &mut Message,
    literals: &mut usize,
    packets: &mut usize,
) -> Result<(), PgpError> {
    if depth > MAX_NESTING {
        return Err(PgpError::Malformed(OpenPgpProblem::CompressionTooDeep));
    }
    // This sequence's one-pass signature and signature packets: gpg hashes the literal data
    // with the algorithms announced before it here, and refuses a sequence whose one-pass
    // packets and signatures do not pair up.
    let mut announced: Vec<u8> = Vec::new();
    let (mut one_pass, mut signatures) = (0usize, 0usize);
    // Whether the sequence's first packet (markers and padding aside) is a signature, and
    // whether it holds literal data itself.
    let (mut first, mut own_literal) = (None, false);
    for packet in Packets::new(bytes) {
        *packets += 1;
        if *packets > MAX_PACKETS {
            return Err(PgpError::Malformed(OpenPgpProblem::TooManyPackets(
                MAX_PACKETS,
            )));
        }
        let packet = packet?;
        if !matches!(packet.tag, tag::MARKER | tag::PADDING | 15 | 16 | 22..=62) {
            first.get_or_insert(packet.tag);
        }
        match packet.tag {
            tag::MARKER | tag::PADDING => {}
            // Packets gpg 2.2 does not know (and its comment packets): it skips them unread.
            15 | 16 | 22..=62 => {}
            tag::ONE_PASS_SIGNATURE => {
                let (version, hash) = packet::one_pass(&packet.body)?;
                // gpg knows only version 3 and stops reading at any other.
                if version != 3 {
                    return Err(PgpError::Malformed(OpenPgpProblem::OnePassVersion(version)));
                }
                one_pass += 1;
                if hash != 0 {
                    announced.push(hash);
                }
            }
            tag::SIGNATURE => {
                let signature = Sig::parse(&packet.body)?;
                signatures += 1;
                announced.push(signature.hash);
                message.signatures.push(signature);
            }
            tag::LITERAL => {
                *literals += 1;
                own_literal = true;
                message.content = packet::literal_content(&packet.body)?.to_vec();
                message.hashed_with = if announced.is_empty() {
                    GPG_DEFAULT_HASHES.to_vec()
                } else {
                    announced.clone()
                };
            }
            tag::COMPRESSED => {
                let inner = packet::decompress(&packet.body, MAX_CONTENT)?;
                read_packets(&inner, depth + 1, message, literals, packets)?;
            }
            other => {
                return Err(PgpError::Malformed(OpenPgpProblem::UnexpectedPacket(other)));
            }
        }
    }
    // (A sequence without signatures, such as a compressed packet's whose signature follows
    // it, is not held to this: gpg reads that form.)
    message.one_pass += one_pass;
    if first == Some(tag::SIGNATURE) && one_pass == 0 && !own_literal && *literals > 0 {
        message.detached += signatures;
    }
    if signatures > 0 && one_pass > 0 && one_pass != signatures {
        return Err(PgpError::Malformed(OpenPgpProblem::OnePassCount {
            one_pass,
            signatures,
        }));
    }
    Ok(())
}
