//! Where the current time comes from, and how entries spell it.
//!
//! In the component the time is WASI's wall clock, which the host may
//! virtualise; native tests pass a fixed clock.

use chrono::{DateTime, SecondsFormat, Utc};

/// A source of the current UTC time.
pub type Clock = Box<dyn Fn() -> DateTime<Utc>>;

/// The system's clock (WASI's wall clock inside the component).
pub fn system() -> Clock {
    Box::new(Utc::now)
}

/// A skill-log timestamp: ISO 8601 UTC with milliseconds, e.g. `2025-10-23T12:34:56.789Z`.
pub fn skill_timestamp(now: DateTime<Utc>) -> String {
    now.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// A tool-log timestamp: ISO 8601 UTC to the second, e.g. `2025-10-23T12:34:56Z`.
pub fn tool_timestamp(now: DateTime<Utc>) -> String {
    now.to_rfc3339_opts(SecondsFormat::Secs, true)
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
}
