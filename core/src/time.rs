//! The time of a decision: [`UnixTime`], read from RFC 3339 as the JSON contract's `now`
//! carries it. The core reads no clock; callers pass the time.

/// A point in time, in whole seconds since the Unix epoch (UTC): the resolution of every time
/// the decisions compare (OpenPGP key and signature times, certificate validity).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnixTime(i64);

impl UnixTime {
    /// The time `seconds` after the Unix epoch (before it when negative).
    pub const fn from_unix_seconds(seconds: i64) -> Self {
        Self(seconds)
    }

    /// Seconds since the Unix epoch.
    pub const fn unix_seconds(self) -> i64 {
        self.0
    }

    /// An RFC 3339 date-time (`2026-11-22T12:00:00Z`, optional fraction, `Z` or a numeric
    /// offset); fractions are truncated. `None` when malformed.
    ///
    /// ```
    /// use vouch::UnixTime;
    /// let t = UnixTime::parse_rfc3339("2026-11-22T13:30:00.5+01:30").unwrap();
    /// assert_eq!(t, UnixTime::from_unix_seconds(1_795_348_800));
    /// ```
    pub fn parse_rfc3339(text: &str) -> Option<Self> {
        parse_rfc3339(text).map(Self)
    }
}

/// Seconds since the Unix epoch for an RFC 3339 date-time (see [`UnixTime::parse_rfc3339`]).
pub(crate) fn parse_rfc3339(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    let num = |range: core::ops::Range<usize>| -> Option<i64> {
        let digits = b.get(range)?;
        digits.iter().try_fold(0i64, |acc, &d| {
            d.is_ascii_digit().then(|| acc * 10 + i64::from(d - b'0'))
        })
    };
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let mut at = 19;
    if b.get(at) == Some(&b'.') {
        at += 1;
        let start = at;
        while b.get(at).is_some_and(u8::is_ascii_digit) {
            at += 1;
        }
        if at == start {
            return None;
        }
    }
    let offset = match b.get(at..)? {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let h = num(at + 1..at + 3)?;
            let m = num(at + 4..at + 6)?;
            let _ = (h1, h2, m1, m2);
            if h > 23 || m > 59 {
                return None;
            }
            let minutes = h * 60 + m;
            if *sign == b'+' { minutes } else { -minutes }
        }
        _ => return None,
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    // A leap second (:60) is accepted as RFC 3339 allows and counts as the next second.
    if day < 1 || day > days_in_month || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + hour * 3_600 + minute * 60 + second - offset * 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_rfc3339("2026-11-22T12:00:00Z"), Some(1_795_348_800));
        assert_eq!(
            parse_rfc3339("2026-11-22T13:30:00.123+01:30"),
            Some(1_795_348_800)
        );
        assert_eq!(parse_rfc3339("2024-02-29T00:00:00Z"), Some(1_709_164_800));
        for bad in [
            "2023-02-29T00:00:00Z",
            "2026-11-22 12:00:00",
            "2026-11-22T12:00:00",
            "2026-13-01T00:00:00Z",
            "2026-11-22T12:00:00.Z",
            "2026-11-22T24:00:00Z",
            "2026-11-22T12:00:00+0100",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
    }
}

/// `seconds` since the Unix epoch as RFC 3339 in UTC (`2026-11-22T12:00:00Z`), as Go writes
/// it: years outside 0000 to 9999 with as many digits as they need, a minus sign before a
/// negative year.
pub(crate) use crate::go::time::format_rfc3339;

#[cfg(test)]
mod format_tests {
    use super::*;

    #[test]
    fn formats_round_trip() {
        for s in [
            0,
            1,
            86_399,
            951_782_400,
            1_795_348_800,
            -1,
            -315_619_200,
            4_102_444_800,
        ] {
            assert_eq!(parse_rfc3339(&format_rfc3339(s)), Some(s), "{s}");
        }
        assert_eq!(format_rfc3339(0), "1970-01-01T00:00:00Z");
    }
}
