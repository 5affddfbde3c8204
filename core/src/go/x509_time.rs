//! A certificate's validity times as Go's `crypto/x509` reads them: cryptobyte's
//! `ReadASN1UTCTime` and `ReadASN1GeneralizedTime`, which parse with `time.Parse` and then
//! accept a time only if formatting it again gives the very same text.
//!
//! What that accepts, exactly:
//! - UTCTime `YYMMDDhhmm[ss]` then `Z` or `±hhmm`: seconds may be left out (minute precision);
//!   years 50–99 are 1950–1999, 00–49 are 2000–2049.
//! - GeneralizedTime `YYYYMMDDhhmmss` then `Z` or `±hhmm`; no fraction of a second (Go's
//!   `time.Parse` reads one, but its layout writes none back).
//! - Fields in range (month 1–12, the day within its month, hour < 24, minute and second < 60),
//!   an offset of at most 24 hours and 59 minutes and never `+0000` or `-0000` (Go writes
//!   those as `Z`, so they do not come back unchanged).

/// Go's reading of a UTCTime's contents: seconds since the Unix epoch (UTC, before it when
/// negative).
pub(crate) fn utc_time(text: &[u8]) -> Option<i64> {
    let digits = text.iter().take_while(|b| b.is_ascii_digit()).count();
    let with_seconds = match digits {
        12 => true,
        10 => false,
        _ => return None,
    };
    let yy = number(&text[0..2]);
    let year = if yy >= 50 { 1900 + yy } else { 2000 + yy };
    let second = if with_seconds {
        number(&text[10..12])
    } else {
        0
    };
    let offset = zone(&text[digits..])?;
    instant(
        year,
        number(&text[2..4]),
        number(&text[4..6]),
        number(&text[6..8]),
        number(&text[8..10]),
        second,
        offset,
    )
}

/// Go's reading of a GeneralizedTime's contents: seconds since the Unix epoch.
pub(crate) fn generalized_time(text: &[u8]) -> Option<i64> {
    if text.len() < 14 || !text[..14].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let offset = zone(&text[14..])?;
    instant(
        number(&text[0..4]),
        number(&text[4..6]),
        number(&text[6..8]),
        number(&text[8..10]),
        number(&text[10..12]),
        number(&text[12..14]),
        offset,
    )
}

/// The value of ASCII digits.
fn number(digits: &[u8]) -> i64 {
    digits
        .iter()
        .fold(0, |acc, &d| acc * 10 + i64::from(d - b'0'))
}

/// `Z` (offset 0) or a canonical `±hhmm` offset, in seconds east of UTC.
fn zone(text: &[u8]) -> Option<i64> {
    match text {
        b"Z" => Some(0),
        [sign @ (b'+' | b'-'), h1, h2, m1, m2]
            if [h1, h2, m1, m2].iter().all(|b| b.is_ascii_digit()) =>
        {
            let hours = number(&[*h1, *h2]);
            let minutes = number(&[*m1, *m2]);
            if hours > 24 || minutes > 59 || hours == 0 && minutes == 0 {
                return None;
            }
            let offset = hours * 3600 + minutes * 60;
            Some(if *sign == b'-' { -offset } else { offset })
        }
        _ => None,
    }
}

/// The instant of a date and a time of day at `offset` seconds east of UTC, if every field is
/// in range.
fn instant(
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
    offset: i64,
) -> Option<i64> {
    if !(1..=12).contains(&month) || day < 1 || day > days_in(year, month) {
        return None;
    }
    if hour >= 24 || minute >= 60 || second >= 60 {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset)
}

pub(crate) fn days_in(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub(crate) fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> Option<i64> {
        Some(seconds)
    }

    #[test]
    fn utc_times_read_as_go_reads_them() {
        assert_eq!(utc_time(b"700101000000Z"), at(0));
        assert_eq!(utc_time(b"600101000000Z"), at(-315_619_200));
        assert_eq!(utc_time(b"500101000000Z"), at(-631_152_000));
        assert_eq!(utc_time(b"491231235959Z"), at(2_524_607_999));
        assert_eq!(utc_time(b"7001010000Z"), at(0));
        assert_eq!(utc_time(b"700101010000+0100"), at(0));
        assert_eq!(utc_time(b"691231230000-0100"), at(0));
        assert_eq!(utc_time(b"700101000000+0000"), None);
        assert_eq!(utc_time(b"700101000000-0000"), None);
        assert_eq!(utc_time(b"700101000000+2460"), None);
        assert_eq!(utc_time(b"700101000000+2459"), at(-89_940));
        assert_eq!(utc_time(b"700101000000"), None);
        assert_eq!(utc_time(b"700101000060Z"), None);
        assert_eq!(utc_time(b"700101240000Z"), None);
        assert_eq!(utc_time(b"700230000000Z"), None);
        assert_eq!(utc_time(b"720229000000Z"), at(68_169_600));
        assert_eq!(utc_time(b"700229000000Z"), None);
        assert_eq!(utc_time(b"700101000000.5Z"), None);
        assert_eq!(utc_time(b"70010100000Z"), None);
        assert_eq!(utc_time(b"700101000000z"), None);
    }

    #[test]
    fn generalized_times_read_as_go_reads_them() {
        assert_eq!(generalized_time(b"19700101000000Z"), at(0));
        assert_eq!(generalized_time(b"21000101000000Z"), at(4_102_444_800));
        assert_eq!(generalized_time(b"99991231235959Z"), at(253_402_300_799));
        assert_eq!(generalized_time(b"00000101000000Z"), at(-62_167_219_200));
        assert_eq!(generalized_time(b"19700101000000.5Z"), None);
        assert_eq!(generalized_time(b"19700101000000.Z"), None);
        assert_eq!(generalized_time(b"19700101000000,5Z"), None);
        assert_eq!(generalized_time(b"197001010000Z"), None);
        assert_eq!(generalized_time(b"19700101000000-0130"), at(5400));
        assert_eq!(generalized_time(b"20000229000000Z"), at(951_782_400));
        assert_eq!(generalized_time(b"19000229000000Z"), None);
    }
}
