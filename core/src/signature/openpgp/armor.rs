//! ASCII armour (RFC 4880 §6.2) and the cleartext signature framework (§7), read as gpg
//! reads them: header lines up to a blank line, base64 lines, an optional CRC-24 line that
//! must match, and a footer naming the same block. Every refusal here says "armor", which is
//! how reasons tell damaged armour from a bad signature.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::PgpError;
use crate::signature::problem::OpenPgpProblem;

fn armor_error(what: &'static str) -> PgpError {
    PgpError::Malformed(OpenPgpProblem::Armor(what))
}

/// A line without its line ending and trailing blanks (spaces, tabs, carriage returns).
fn trim_line(line: &[u8]) -> &[u8] {
    let end = line
        .iter()
        .rposition(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
        .map_or(0, |at| at + 1);
    &line[..end]
}

/// The lines of `text`, each without its LF.
fn lines(text: &[u8]) -> impl Iterator<Item = &[u8]> {
    text.split(|&b| b == b'\n')
}

/// A decoded armoured block.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Block {
    /// The block's name, between "BEGIN PGP " and the dashes ("MESSAGE", "SIGNATURE", …).
    pub(super) kind: String,
    pub(super) data: Vec<u8>,
    /// How many bytes of the input the block took, through its footer line.
    pub(super) consumed: usize,
}

/// Reads the armoured block at the start of `armour` (leading blank space skipped).
pub(super) fn dearmor(armour: &[u8]) -> Result<Block, PgpError> {
    let start = armour.len() - armour.trim_ascii_start().len();
    let mut offset = start;
    let mut iter = lines(&armour[start..]);
    let mut next_line = || -> Option<&[u8]> {
        let line = iter.next()?;
        offset += line.len() + 1;
        Some(line)
    };
    let begin = trim_line(next_line().unwrap_or_default());
    let kind = begin
        .strip_prefix(b"-----BEGIN PGP ")
        .and_then(|rest| rest.strip_suffix(b"-----"))
        .ok_or_else(|| armor_error("no BEGIN PGP line"))?;
    let kind = String::from_utf8(kind.to_vec())
        .map_err(|_| armor_error("a BEGIN line that is not text"))?;
    loop {
        let line =
            trim_line(next_line().ok_or_else(|| armor_error("the block ends in its headers"))?);
        if line.is_empty() {
            break;
        }
        let text = core::str::from_utf8(line)
            .map_err(|_| armor_error("a header line that is not text"))?;
        // Header lines (Comment, Version, …) say nothing vouch uses; they must be "Key: value".
        if !text.contains(':') {
            return Err(armor_error("a header line without a colon"));
        }
    }
    let mut base64 = String::new();
    let mut checksum = None;
    let footer = loop {
        let line = trim_line(next_line().ok_or_else(|| armor_error("no END line"))?);
        if line.starts_with(b"-----") {
            break line;
        }
        if let Some(crc) = line.strip_prefix(b"=") {
            checksum = Some(crc);
            let footer = trim_line(next_line().ok_or_else(|| armor_error("no END line"))?);
            break footer;
        }
        if let Some(bad) = line
            .iter()
            .find(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=')))
        {
            return Err(PgpError::Malformed(OpenPgpProblem::ArmorByte(*bad)));
        }
        // The characters were checked above: they are ASCII.
        base64.extend(line.iter().map(|&b| char::from(b)));
    };
    // What follows the footer's dashes on its line is ignored, as gpg ignores it.
    let expected_footer = format!("-----END PGP {kind}-----");
    if !footer.starts_with(expected_footer.as_bytes()) {
        return Err(armor_error("the END line does not match the BEGIN line"));
    }
    let data = crate::go::base64_std(&base64).map_err(|_| armor_error("the data is not base64"))?;
    if data.len() > super::MAX_MESSAGE {
        return Err(armor_error("the block is too large"));
    }
    if let Some(crc) = checksum {
        let expected = match core::str::from_utf8(crc)
            .ok()
            .map(crate::go::base64_std)
            .and_then(Result::ok)
            .as_deref()
        {
            Some(&[a, b, c]) => u32::from_be_bytes([0, a, b, c]),
            _ => return Err(armor_error("the checksum line is not a CRC-24")),
        };
        if crc24(&data) != expected {
            return Err(armor_error("the checksum does not match the data"));
        }
    }
    Ok(Block {
        kind,
        data,
        consumed: offset.min(armour.len()),
    })
}

/// The CRC-24 of OpenPGP armour (RFC 4880, section 6.1).
pub(super) fn crc24(data: &[u8]) -> u32 {
    let mut crc: u32 = 0x00b7_04ce;
    for &byte in data {
        crc ^= u32::from(byte) << 16;
        for _ in 0..8 {
            crc <<= 1;
            if crc & 0x0100_0000 != 0 {
                crc ^= 0x0186_4cfb;
            }
        }
    }
    crc & 0x00ff_ffff
}

/// A cleartext-signed message.
#[derive(Debug)]
pub(super) struct Cleartext {
    /// The signed text, dash-unescaped, with trailing blanks of every line removed and the
    /// line ending before the signature dropped.
    pub(super) text: Vec<u8>,
    /// The hash algorithms of the `Hash:` headers (RFC 4880 IDs).
    pub(super) hashes: Vec<u8>,
    /// The signature block's packets.
    pub(super) signature: Vec<u8>,
    /// How many bytes of the (start-trimmed) message the text and the signature block took.
    pub(super) consumed: usize,
}

/// Reads a cleartext-signed message (`-----BEGIN PGP SIGNED MESSAGE-----` first).
pub(super) fn cleartext(message: &[u8]) -> Result<Cleartext, PgpError> {
    let message = message.trim_ascii_start();
    let mut at = 0;
    let mut take_line = || -> Option<(usize, &[u8])> {
        let rest = &message[at..];
        if rest.is_empty() {
            return None;
        }
        let end = rest
            .iter()
            .position(|&b| b == b'\n')
            .map_or(rest.len(), |i| i + 1);
        let start = at;
        at += end;
        Some((start, &rest[..end]))
    };
    if trim_line(take_line().unwrap_or_default().1) != b"-----BEGIN PGP SIGNED MESSAGE-----" {
        return Err(armor_error("no BEGIN PGP SIGNED MESSAGE line"));
    }
    let mut hashes = Vec::new();
    loop {
        let line = trim_line(
            take_line()
                .ok_or_else(|| armor_error("the message ends in its headers"))?
                .1,
        );
        if line.is_empty() {
            break;
        }
        let text = core::str::from_utf8(line)
            .map_err(|_| armor_error("a header line that is not text"))?;
        let Some(names) = text.strip_prefix("Hash: ") else {
            return Err(armor_error("a cleartext header other than Hash"));
        };
        for name in names.split(',') {
            hashes.push(match name.trim() {
                "MD5" => 1,
                "SHA1" => 2,
                "RIPEMD160" => 3,
                "SHA256" => 8,
                "SHA384" => 9,
                "SHA512" => 10,
                "SHA224" => 11,
                _ => return Err(armor_error("a Hash header naming an unknown algorithm")),
            });
        }
    }
    // The text runs to the first line that starts with five dashes (dash-escaped lines
    // start with "- "); the line ending before it is not signed.
    let mut text = Vec::new();
    let signature_at;
    loop {
        let Some((start, line)) = take_line() else {
            return Err(armor_error("no signature after the signed text"));
        };
        if line.starts_with(b"-----") {
            signature_at = start;
            break;
        }
        let (content, ending) = match line {
            [body @ .., b'\r', b'\n'] => (body, &b"\r\n"[..]),
            [body @ .., b'\n'] => (body, &b"\n"[..]),
            body => (body, &b""[..]),
        };
        let content = content.strip_prefix(b"- ").unwrap_or(content);
        let end = content
            .iter()
            .rposition(|b| !matches!(b, b' ' | b'\t'))
            .map_or(0, |at| at + 1);
        text.extend_from_slice(&content[..end]);
        text.extend_from_slice(ending);
    }
    if text.ends_with(b"\r\n") {
        text.truncate(text.len() - 2);
    } else if text.ends_with(b"\n") {
        text.truncate(text.len() - 1);
    }
    let block = dearmor(&message[signature_at..])?;
    if block.kind != "SIGNATURE" {
        return Err(armor_error(
            "the signed text is not followed by a signature block",
        ));
    }
    Ok(Cleartext {
        text,
        hashes,
        signature: block.data,
        consumed: signature_at + block.consumed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn armour(kind: &str, lines: &str) -> String {
        format!("-----BEGIN PGP {kind}-----\n{lines}\n-----END PGP {kind}-----\n")
    }

    #[test]
    fn checksums_are_held_to_the_data() {
        assert_eq!(crc24(b""), 0x00b7_04ce);
        assert_eq!(crc24(b"123456789"), 0x0021_cf02);
        // "YQ==" is "a"; its CRC-24 is 0xf25713, "8lcT" in base64.
        let block = dearmor(armour("MESSAGE", "\nYQ==\n=8lcT").as_bytes()).unwrap();
        assert_eq!(
            (block.kind.as_str(), block.data.as_slice()),
            ("MESSAGE", &b"a"[..])
        );
        assert!(dearmor(armour("MESSAGE", "\nYQ==\n=8lcU").as_bytes()).is_err());
        assert!(dearmor(armour("MESSAGE", "\nYQ==\n=8lc").as_bytes()).is_err());
        let without = armour("MESSAGE", "Comment: =x\n\nYQ==");
        let block = dearmor(without.as_bytes()).unwrap();
        assert_eq!(block.data, b"a");
        assert_eq!(block.consumed, without.len());
    }

    #[test]
    fn damaged_armour_is_refused_as_armour() {
        for bad in [
            armour("MESSAGE", "\nY*Q=="),
            armour("MESSAGE", "YQ=="),
            String::from("-----BEGIN PGP MESSAGE-----\n\nYQ==\n-----END PGP SIGNATURE-----\n"),
            String::from("-----BEGIN PGP MESSAGE-----\n\nYQ==\n"),
            String::from("-----BEGIN PGP MESSAG\n\nYQ==\n-----END PGP MESSAGE-----\n"),
        ] {
            let Err(PgpError::Malformed(why)) = dearmor(bad.as_bytes()) else {
                panic!("{bad:?} was read")
            };
            assert!(
                matches!(why, OpenPgpProblem::Armor(_) | OpenPgpProblem::ArmorByte(_)),
                "{why}"
            );
        }
    }

    #[test]
    fn cleartext_is_unescaped_and_trimmed() {
        let signature = armour("SIGNATURE", "\nYQ==\n=8lcT");
        let message = format!(
            "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256, SHA512\n\n- -dash \t\nplain\r\n\n{signature}"
        );
        let read = cleartext(message.as_bytes()).unwrap();
        assert_eq!(read.text, b"-dash\nplain\r\n".to_vec());
        assert_eq!(read.hashes, alloc::vec![8, 10]);
        assert_eq!(read.signature, b"a");
        let unknown = message.replace("SHA512", "SHA3");
        assert!(cleartext(unknown.as_bytes()).is_err());
        let other_header = message.replace("Hash: ", "Comment: ");
        assert!(cleartext(other_header.as_bytes()).is_err());
        let wrong_block = message.replace("SIGNATURE", "MESSAGE");
        assert!(cleartext(wrong_block.as_bytes()).is_err());
    }
}
