//! Go standard-library behaviour that vouch's parsers must share exactly, since the tools it
//! agrees with are written in Go: `encoding/json`'s syntax and value rules (`json`),
//! `encoding/base64` (`base64`), `unicode/utf8` (`utf8`), `encoding/pem` (`pem`), `net/url`'s parsing as
//! `crypto/x509` uses it (`url`), `regexp` as cosign matches identities (`regexp`), and as much
//! of `encoding/asn1` as sigstore's signature sniffing needs (`asn1`).

pub(crate) mod asn1;
pub(crate) mod base64;
pub(crate) mod json;
pub(crate) mod path;
pub(crate) mod pem;
pub(crate) mod protojson;
pub(crate) mod regexp;
pub(crate) mod time;
pub(crate) mod url;
pub(crate) mod utf8;
pub(crate) mod x509_time;

pub(crate) use base64::{base64_std, base64_url};
pub(crate) use utf8::decode_rune;

/// Go's `hex.DecodeString`: pairs of hexadecimal digits, either case.
pub(crate) fn hex_decode(text: &str) -> Option<alloc::vec::Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    text.as_bytes()
        .chunks(2)
        .map(|pair| {
            let digit = |b: u8| char::from(b).to_digit(16);
            u8::try_from(digit(pair[0])? * 16 + digit(pair[1])?).ok()
        })
        .collect()
}
