//! Where the current time comes from, and how entries spell it.
//!
//! In the component the time is WASI's wall clock, which the host may
//! virtualise; native tests pass a fixed clock.
//!
//! Writers refuse a clock that cannot be right ([`check`]) and never let a
//! chain's timestamps go back ([`chained`]): a clock that steps back (NTP, a
//! VM restored, a host with another time) stamps the next entries with the
//! chain's last time instead, so the chain goes on in its newest file and
//! every entry's time falls on its file's day.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, SecondsFormat, Utc};

use crate::error::AuditError;

/// A source of the current UTC time.
pub type Clock = Box<dyn Fn() -> DateTime<Utc>>;

/// The system's clock (WASI's wall clock inside the component).
pub fn system() -> Clock {
    Box::new(Utc::now)
}

/// The last year a clock may read: after 9999 a timestamp no longer has
/// four digits of year.
pub const LAST_YEAR: i32 = 9999;

/// `now`, if a clock can read it: after 1970-01-01T00:00:00Z (a clock at or
/// before it has lost its setting; the WASI clock cannot tell times before
/// it and reads them as it) and in a year up to [`LAST_YEAR`].
///
/// # Errors
/// [`AuditError::Invalid`] for `clock` otherwise: nothing is written with it.
pub fn check(now: DateTime<Utc>) -> Result<DateTime<Utc>, AuditError> {
    if now > DateTime::UNIX_EPOCH && now.year() <= LAST_YEAR {
        return Ok(now);
    }
    Err(AuditError::invalid(
        "clock",
        format!(
            "reads {}, which is not after 1970-01-01T00:00:00Z and up to the year {LAST_YEAR}: \
             the system clock is unset or wrong; nothing was written",
            now.to_rfc3339_opts(SecondsFormat::Secs, true),
        ),
    ))
}

/// The time to stamp the next entry of a chain with: `now`, or, when the
/// clock is behind, the latest of the chain's last entry's time `last` and
/// the start of `day`, the day of the file the entry goes to.
pub fn chained(
    now: DateTime<Utc>,
    last: Option<DateTime<Utc>>,
    day: Option<NaiveDate>,
) -> DateTime<Utc> {
    let day_start = day.map(|d| d.and_time(chrono::NaiveTime::MIN).and_utc());
    now.max(last.unwrap_or(now)).max(day_start.unwrap_or(now))
}

/// A skill-log timestamp: ISO 8601 UTC with milliseconds, e.g. `2025-10-23T12:34:56.789Z`.
pub fn skill_timestamp(now: DateTime<Utc>) -> String {
    now.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// A tool-log timestamp: ISO 8601 UTC to the second, e.g. `2025-10-23T12:34:56Z`.
pub fn tool_timestamp(now: DateTime<Utc>) -> String {
    now.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Parses an instant: RFC 3339, a date-time without zone (taken as UTC), or a
/// date (its UTC midnight). Date and time may be parted by a space instead
/// of `T`, as RFC 3339 allows and Python's `str(datetime)` writes.
pub fn parse_instant(text: &str) -> Option<DateTime<Utc>> {
    if let Some(t) = parse_utc_fast(text) {
        return Some(t);
    }
    if text.len() > 10 && text.as_bytes()[10] == b' ' {
        return parse_instant(&format!("{}T{}", &text[..10], &text[11..]));
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    if let Ok(t) = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f") {
        return Some(t.and_utc());
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .filter(|_| text.len() == 10)
        .map(|d| d.and_time(NaiveTime::MIN).and_utc())
}

/// The two forms the logs write, `YYYY-MM-DDTHH:MM:SSZ` and
/// `YYYY-MM-DDTHH:MM:SS.mmmZ`, without the general parser's cost.
fn parse_utc_fast(text: &str) -> Option<DateTime<Utc>> {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        b.get(range)?.iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let millis = match b.len() {
        20 => 0,
        24 if b[19] == b'.' => digits(20..23)?,
        _ => return None,
    };
    if b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
        || b[b.len() - 1] != b'Z'
    {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(
        i32::try_from(digits(0..4)?).ok()?,
        digits(5..7)?,
        digits(8..10)?,
    )?;
    let time =
        NaiveTime::from_hms_milli_opt(digits(11..13)?, digits(14..16)?, digits(17..19)?, millis)?;
    Some(date.and_time(time).and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn timestamps_are_utc_iso_8601() {
        let t = Utc.with_ymd_and_hms(2025, 10, 23, 12, 34, 56).unwrap()
            + chrono::Duration::milliseconds(789);
        assert_eq!(skill_timestamp(t), "2025-10-23T12:34:56.789Z");
        assert_eq!(tool_timestamp(t), "2025-10-23T12:34:56Z");
    }

    #[test]
    fn a_clock_at_or_before_1970_or_after_9999_is_refused_by_name() {
        let before = Utc.with_ymd_and_hms(1969, 12, 31, 23, 59, 59).unwrap();
        let err = check(before).unwrap_err().to_string();
        assert!(
            err.starts_with("clock: reads 1969-12-31T23:59:59Z, which is not after 1970"),
            "{err}"
        );
        assert!(check(DateTime::UNIX_EPOCH).is_err());
        assert!(check(Utc.with_ymd_and_hms(10000, 1, 1, 0, 0, 0).unwrap()).is_err());
        for fine in [
            Utc.with_ymd_and_hms(1970, 1, 1, 0, 0, 1).unwrap(),
            Utc.with_ymd_and_hms(9999, 12, 31, 23, 59, 59).unwrap(),
        ] {
            assert_eq!(check(fine), Ok(fine));
        }
    }

    #[test]
    fn a_chain_never_goes_back_in_time() {
        let t = |h| Utc.with_ymd_and_hms(2025, 10, 23, h, 0, 0).unwrap();
        assert_eq!(chained(t(12), Some(t(11)), None), t(12));
        assert_eq!(chained(t(11), Some(t(12)), None), t(12));
        assert_eq!(chained(t(11), None, None), t(11));
        let next_day = NaiveDate::from_ymd_opt(2025, 10, 24).unwrap();
        assert_eq!(
            chained(t(23), Some(t(11)), Some(next_day)),
            Utc.with_ymd_and_hms(2025, 10, 24, 0, 0, 0).unwrap()
        );
    }

    fn utc(day: u32, hour: u32) -> DateTime<Utc> {
        use chrono::TimeZone;
        Utc.with_ymd_and_hms(2025, 10, day, hour, 0, 0).unwrap()
    }

    #[test]
    fn instants() {
        assert_eq!(parse_instant("2025-10-23T12:00:00Z"), Some(utc(23, 12)));
        let ms = utc(23, 12) + chrono::Duration::milliseconds(789);
        assert_eq!(parse_instant("2025-10-23T12:00:00.789Z"), Some(ms));
        assert_eq!(parse_instant("2025-10-23T12:00:00.789+00:00"), Some(ms));
        assert_eq!(parse_instant("2025-02-30T12:00:00Z"), None);
        assert_eq!(parse_instant("2025-10-23T25:00:00Z"), None);
        assert_eq!(
            parse_instant("2025-10-23T14:00:00+02:00"),
            Some(utc(23, 12))
        );
        assert_eq!(parse_instant("2025-10-23T12:00:00"), Some(utc(23, 12)));
        assert_eq!(parse_instant("2025-10-23"), Some(utc(23, 0)));
        // Python's `str(datetime)`: a space for the `T`, zone or none.
        assert_eq!(parse_instant("2025-10-23 12:00:00"), Some(utc(23, 12)));
        assert_eq!(parse_instant("2025-10-23 12:00:00.789000"), Some(ms));
        assert_eq!(
            parse_instant("2025-10-23 14:00:00+02:00"),
            Some(utc(23, 12))
        );
        assert_eq!(parse_instant("2025-10-23 "), None);
        assert_eq!(parse_instant("2025-10-23T12"), None);
        assert_eq!(parse_instant("yesterday"), None);
    }
}
