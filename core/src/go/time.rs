//! Go's `time.Parse(time.RFC3339, s)` and `t.UTC().Format(time.RFC3339)`, as Kubernetes'
//! `metav1.Time` reads and writes its JSON (the kubelet's pull records carry one).
//!
//! `time.Parse` first tries a strict fast path and, when that fails, its general layout parser,
//! which is more lenient: a one-digit hour, a comma before fractional seconds, and zone offsets
//! up to `+24:60` all parse. Since every time the fast path accepts is read alike by the general
//! parser, this module follows the general parser alone.

use alloc::string::String;

/// An instant: seconds since the Unix epoch and nanoseconds within the second.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Instant {
    pub(crate) seconds: i64,
    pub(crate) nanos: u32,
}

/// Go's zero `time.Time` (January 1, year 1, 00:00:00 UTC), which `metav1.Time` writes as
/// `null`.
pub(crate) const ZERO_SECONDS: i64 = -62_135_596_800;

impl Instant {
    /// Whether this is Go's zero time.
    pub(crate) fn is_zero(self) -> bool {
        self.seconds == ZERO_SECONDS && self.nanos == 0
    }
}

fn digit(b: &[u8], at: usize) -> Option<i64> {
    b.get(at)
        .filter(|c| c.is_ascii_digit())
        .map(|c| i64::from(c - b'0'))
}

/// Go's `getnum`: one or two digits (exactly two when `fixed`), and how many were read.
fn getnum(b: &[u8], at: usize, fixed: bool) -> Option<(i64, usize)> {
    let first = digit(b, at)?;
    match digit(b, at + 1) {
        Some(second) => Some((first * 10 + second, 2)),
        None if fixed => None,
        None => Some((first, 1)),
    }
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in(month: i64, year: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `time.Parse(time.RFC3339, text)`, or `None` where Go returns an error.
pub(crate) fn parse_rfc3339(text: &str) -> Option<Instant> {
    let b = text.as_bytes();
    let expect = |at: usize, c: u8| (b.get(at) == Some(&c)).then_some(at + 1);
    // "2006": four digits.
    let mut year = 0;
    for at in 0..4 {
        year = year * 10 + digit(b, at)?;
    }
    let at = expect(4, b'-')?;
    let (month, n) = getnum(b, at, true)?;
    if !(1..=12).contains(&month) {
        return None;
    }
    let at = expect(at + n, b'-')?;
    let (day, n) = getnum(b, at, true)?;
    let at = expect(at + n, b'T')?;
    let (hour, n) = getnum(b, at, false)?;
    if hour >= 24 {
        return None;
    }
    let at = expect(at + n, b':')?;
    let (minute, n) = getnum(b, at, true)?;
    if minute >= 60 {
        return None;
    }
    let at = expect(at + n, b':')?;
    let (second, n) = getnum(b, at, true)?;
    if second >= 60 {
        return None;
    }
    let mut at = at + n;
    // A fractional second the layout does not name: '.' or ',' and at least one digit; the
    // first nine digits count.
    let mut nanos = 0u32;
    if matches!(b.get(at), Some(b'.' | b',')) && digit(b, at + 1).is_some() {
        let mut end = at + 1;
        while digit(b, end).is_some() {
            end += 1;
        }
        let mut scale = 100_000_000u32;
        for &d in &b[at + 1..end.min(at + 10)] {
            nanos += u32::from(d - b'0') * scale;
            scale /= 10;
        }
        at = end;
    }
    // "Z07:00": 'Z', or a sign, two digits, ':' and two digits (hours up to 24, minutes up to
    // 60, as Go allows).
    let offset = if b.get(at) == Some(&b'Z') {
        at += 1;
        0
    } else {
        let zone = b.get(at..at + 6)?;
        if zone[3] != b':' {
            return None;
        }
        let (hours, _) = getnum(zone, 1, true)?;
        let (minutes, _) = getnum(zone, 4, true)?;
        if hours > 24 || minutes > 60 {
            return None;
        }
        let seconds = (hours * 60 + minutes) * 60;
        at += 6;
        match zone[0] {
            b'+' => seconds,
            b'-' => -seconds,
            _ => return None,
        }
    };
    if at != b.len() || day < 1 || day > days_in(month, year) {
        return None;
    }
    let days = super::x509_time::days_from_civil(year, month, day);
    Some(Instant {
        seconds: days * 86_400 + hour * 3600 + minute * 60 + second - offset,
        nanos,
    })
}

/// `t.UTC().Format(time.RFC3339)`: whole seconds, `Z`, and the year as Go writes it (at least
/// four digits, a minus sign before a negative year).
pub(crate) fn format_rfc3339(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let secs = seconds.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let sign = if year < 0 { "-" } else { "" };
    alloc::format!(
        "{sign}{:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        year.unsigned_abs(),
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_go_reads() {
        let at = |t: &str| parse_rfc3339(t).map(|i| (i.seconds, i.nanos));
        assert_eq!(at("1970-01-01T00:00:00Z"), Some((0, 0)));
        assert_eq!(at("1970-01-01T1:00:00Z"), Some((3600, 0)));
        assert_eq!(at("1970-01-01T00:00:00,5Z"), Some((0, 500_000_000)));
        assert_eq!(
            at("1970-01-01T00:00:00.1234567891Z"),
            Some((0, 123_456_789))
        );
        assert_eq!(at("1970-01-01T00:00:00+24:60"), Some((-90_000, 0)));
        assert_eq!(at("1970-01-01T00:00:00-01:00"), Some((3600, 0)));
        assert!(at("2024-02-29T00:00:00Z").is_some());
        for bad in [
            "2023-02-29T00:00:00Z",
            "1970-01-01t00:00:00Z",
            "1970-01-01T00:00:00z",
            "1970-01-01T00:00:60Z",
            "1970-01-01T24:00:00Z",
            "1970-1-01T00:00:00Z",
            "1970-01-01T00:00:00",
            "1970-01-01T00:00:00.Z",
            "1970-01-01T00:00:00+25:00",
            "1970-01-01T00:00:00+01:61",
            "1970-01-01T00:00:00+0100",
            "1970-01-01T00:00:00Z ",
            "1970-01-01 00:00:00Z",
            "+970-01-01T00:00:00Z",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
        assert!(parse_rfc3339("0001-01-01T00:00:00Z").unwrap().is_zero());
        assert!(
            parse_rfc3339("0001-01-01T01:00:00+01:00")
                .unwrap()
                .is_zero()
        );
    }

    #[test]
    fn writes_what_go_writes() {
        assert_eq!(format_rfc3339(0), "1970-01-01T00:00:00Z");
        let year_minus_one = parse_rfc3339("0000-01-01T00:00:00+01:00").unwrap();
        assert_eq!(
            format_rfc3339(year_minus_one.seconds),
            "-0001-12-31T23:00:00Z"
        );
        let year_10000 = parse_rfc3339("9999-12-31T23:30:00-01:00").unwrap();
        assert_eq!(format_rfc3339(year_10000.seconds), "10000-01-01T00:30:00Z");
    }
}
