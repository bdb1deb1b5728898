//! `metav1.Time` and `metav1.Duration`.
//!
//! kubeplan has no clock: the cluster model stamps objects with a logical time (one second per created object,
//! from 2024-01-01T00:00:00Z, as the conformance oracle does), so times are kept as their RFC 3339 text.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::OmitEmpty;
use crate::go::{GoValue, ToGo};

/// A point in time, or Go's zero time (serialised as `null`).
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Time(pub Option<String>);

impl Time {
    /// The logical time of the `n`-th second after the model's epoch.
    pub fn at_second(n: u64) -> Time {
        let (days, rem) = (n / 86_400, n % 86_400);
        // Days beyond January are rare in a plan; keep the arithmetic simple and exact within 2024.
        let (month, day) = month_day_2024(days);
        // Every field has two digits (month and day within 2024, the time within a day), written straight into
        // the text: this stamps every object created, and `format!` with padding cost about nine times as much.
        let mut text = *b"2024-MM-DDTHH:MM:SSZ";
        for (at, value) in [(5, month), (8, day), (11, rem / 3600), (14, (rem / 60) % 60), (17, rem % 60)] {
            text[at] = b'0' + (value / 10 % 10) as u8;
            text[at + 1] = b'0' + (value % 10) as u8;
        }
        // ASCII only.
        Time(Some(std::str::from_utf8(&text).unwrap_or_default().to_owned()))
    }

    pub fn is_zero(&self) -> bool {
        self.0.is_none()
    }
}

/// The inverse of [`Time::at_second`]: seconds since the model's epoch of a time it stamped
/// (`2024-MM-DDTHH:MM:SSZ`); 0 for text of another form.
pub fn seconds_of(t: &str) -> u64 {
    let num = |a: usize, b: usize| t.get(a..b).and_then(|s| s.parse::<u64>().ok()).unwrap_or(0);
    const BEFORE: [u64; 12] = [0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335];
    let month = num(5, 7).clamp(1, 12) as usize;
    let days = BEFORE[month - 1] + num(8, 10).saturating_sub(1);
    days * 86_400 + num(11, 13) * 3600 + num(14, 16) * 60 + num(17, 19)
}

fn month_day_2024(mut days: u64) -> (u64, u64) {
    const LEN: [u64; 12] = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    for (i, len) in LEN.iter().enumerate() {
        if days < *len {
            return (i as u64 + 1, days + 1);
        }
        days -= len;
    }
    (12, 31)
}

impl OmitEmpty for Time {
    fn omit(&self) -> bool {
        self.0.is_none()
    }
}

impl Serialize for Time {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            None => s.serialize_none(),
            Some(t) => s.serialize_str(t),
        }
    }
}

impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Time(Option::<String>::deserialize(d)?))
    }
}

impl ToGo for Time {
    /// `metav1.Time{Time: time.Time{wall, ext, loc}}`. The zero time is all zeros with a nil location; a set time
    /// has no monotonic reading, so `wall` holds the nanoseconds and `ext` the seconds since January 1 of year 1.
    /// Go decodes a set time into the process's `time.Local`, whose contents depend on the machine's time zone
    /// database; kubeplan shows it as the UTC location (nil). Pod templates carry the zero time.
    fn to_go(&self) -> GoValue<'_> {
        let (wall, ext) = match self.0.as_deref().and_then(parse_rfc3339) {
            Some((secs, nanos)) => (u64::from(nanos), secs + UNIX_TO_INTERNAL),
            None => (0, 0),
        };
        GoValue::Struct(
            "v1.Time",
            vec![(
                "Time",
                GoValue::Struct(
                    "time.Time",
                    vec![
                        ("wall", GoValue::Uint("uint64", wall)),
                        ("ext", GoValue::Int("int64", ext)),
                        ("loc", GoValue::Ptr("*time.Location", None)),
                    ],
                ),
            )],
        )
    }
}

/// Seconds from January 1 of year 1 to the Unix epoch, as Go's `time` package counts them.
const UNIX_TO_INTERNAL: i64 = (1969 * 365 + 1969 / 4 - 1969 / 100 + 1969 / 400) * 86_400;

/// Unix seconds and nanoseconds of an RFC 3339 timestamp (`2024-01-01T00:00:00Z`, `…T01:02:03.5+02:00`).
fn parse_rfc3339(s: &str) -> Option<(i64, u32)> {
    let b = s.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't') || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> { s.get(r)?.parse().ok() };
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, min, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let mut pos = 19;
    let mut nanos: u32 = 0;
    if b[pos] == b'.' {
        pos += 1;
        let start = pos;
        while pos < b.len() && b[pos].is_ascii_digit() {
            pos += 1;
        }
        let frac = &s[start..pos];
        let digits: String = frac.chars().chain(std::iter::repeat('0')).take(9).collect();
        nanos = digits.parse().ok()?;
    }
    let offset = match &s[pos..] {
        "Z" | "z" => 0,
        tz if tz.len() == 6 && (tz.starts_with('+') || tz.starts_with('-')) => {
            let h: i64 = tz.get(1..3)?.parse().ok()?;
            let m: i64 = tz.get(4..6)?.parse().ok()?;
            let o = h * 3600 + m * 60;
            if tz.starts_with('-') { -o } else { o }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    Some((days * 86_400 + hour * 3600 + min * 60 + sec - offset, nanos))
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `metav1.Duration`, serialised as Go's duration text (`"1m30s"`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Duration(pub String);

impl OmitEmpty for Duration {
    fn omit(&self) -> bool {
        false
    }
}

impl ToGo for Duration {
    /// `metav1.Duration{Duration: time.Duration}`: the nanoseconds of the text (`time.ParseDuration`).
    fn to_go(&self) -> GoValue<'_> {
        GoValue::Struct("v1.Duration", vec![("Duration", GoValue::Int("time.Duration", parse_duration(&self.0).unwrap_or(0)))])
    }
}

/// `time.ParseDuration`: a signed sequence of decimal numbers with units (`300ms`, `-1.5h`, `2h45m`).
pub fn parse_duration(s: &str) -> Option<i64> {
    let (neg, mut rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if rest == "0" {
        return Some(0);
    }
    if rest.is_empty() {
        return None;
    }
    let mut total: f64 = 0.0;
    let mut exact: i128 = 0;
    while !rest.is_empty() {
        let n = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        if n == 0 {
            return None;
        }
        let number = &rest[..n];
        rest = &rest[n..];
        let u = rest.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len());
        let unit: i128 = match &rest[..u] {
            "ns" => 1,
            "us" | "\u{b5}s" | "\u{3bc}s" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            _ => return None,
        };
        rest = &rest[u..];
        let (int, frac) = number.split_once('.').unwrap_or((number, ""));
        let int: i128 = if int.is_empty() { 0 } else { int.parse().ok()? };
        exact += int * unit;
        if !frac.is_empty() {
            let f: f64 = format!("0.{frac}").parse().ok()?;
            total += f * unit as f64;
        }
    }
    let v = exact + total as i128;
    let v = i64::try_from(if neg { -v } else { v }).ok()?;
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::go::spew::sprint;

    #[test]
    fn zero_time_is_all_zero() {
        assert_eq!(
            sprint(&Time(None).to_go()),
            "(v1.Time){Time:(time.Time){wall:(uint64)0 ext:(int64)0 loc:(*time.Location)<nil>}}"
        );
    }

    #[test]
    fn set_time_counts_from_year_one() {
        let t = Time(Some("1970-01-01T00:00:00Z".into()));
        assert!(sprint(&t.to_go()).contains("ext:(int64)62135596800 "));
        let t = Time(Some("2024-01-01T00:00:01.5+01:00".into()));
        let text = sprint(&t.to_go());
        assert!(text.contains("wall:(uint64)500000000 ext:(int64)63839660401 "), "{text}");
    }

    #[test]
    fn logical_time_round_trip() {
        for n in [0u64, 5, 86_399, 86_400 * 40 + 7] {
            let t = Time::at_second(n);
            assert_eq!(seconds_of(t.0.as_deref().unwrap()), n);
        }
        assert_eq!(Time::at_second(86_400 * 40 + 3_723).0.as_deref(), Some("2024-02-10T01:02:03Z"));
        assert_eq!(Time::at_second(86_399).0.as_deref(), Some("2024-01-01T23:59:59Z"));
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("1m30s"), Some(90_000_000_000));
        assert_eq!(parse_duration("1.5h"), Some(5_400_000_000_000));
        assert_eq!(parse_duration("-300ms"), Some(-300_000_000));
        assert_eq!(parse_duration("0"), Some(0));
        assert_eq!(parse_duration("5"), None);
    }
}
