//! Calendar dates (`2026-01-15`) for go-live and waiver expiry, without a date-time crate.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

/// A proleptic Gregorian calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

impl Date {
    /// A date, if it exists in the calendar.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Self> {
        (1..=12).contains(&month).then_some(())?;
        (1..=days_in_month(year, month))
            .contains(&day)
            .then_some(())?;
        Some(Self { year, month, day })
    }

    /// Parses the ISO 8601 calendar form `YYYY-MM-DD` and nothing else.
    ///
    /// # Errors
    /// A message saying what is wrong, for a diagnostic.
    pub fn parse(text: &str) -> Result<Self, String> {
        let bytes = text.as_bytes();
        let shape_ok = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !shape_ok {
            return Err(format!("`{text}` is not a date: expected YYYY-MM-DD"));
        }
        let num = |range: std::ops::Range<usize>| -> u32 {
            bytes[range]
                .iter()
                .fold(0, |acc, b| acc * 10 + u32::from(b - b'0'))
        };
        let (year, month, day) = (num(0..4), num(5..7), num(8..10));
        // The shape check bounds these to four and two digits, so the casts cannot truncate.
        #[allow(clippy::cast_possible_truncation, clippy::cast_possible_wrap)]
        Self::new(year as i32, month as u8, day as u8)
            .ok_or_else(|| format!("`{text}` is not a date in the calendar"))
    }

    /// Today in UTC, from the system clock.
    pub fn today() -> Self {
        let secs = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Self::from_days_since_epoch(i64::try_from(secs / 86_400).unwrap_or(0))
    }

    /// The date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
    fn from_days_since_epoch(days: i64) -> Self {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        // day is 1..=31 and month 1..=12 by construction; the year fits any realistic clock.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        Self {
            year: year as i32,
            month: month as u8,
            day: day as u8,
        }
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        assert_eq!(Date::parse("2026-01-15").unwrap().to_string(), "2026-01-15");
        assert!(Date::parse("2024-02-29").is_ok());
        assert!(Date::parse("2026-02-29").unwrap_err().contains("calendar"));
        assert!(Date::parse("2026-1-15").unwrap_err().contains("YYYY-MM-DD"));
        assert!(Date::parse("2026-13-01").is_err());
        assert!(Date::parse("２０２６-01-15").is_err());
    }

    #[test]
    fn civil_from_days() {
        assert_eq!(Date::from_days_since_epoch(0).to_string(), "1970-01-01");
        assert_eq!(
            Date::from_days_since_epoch(20_420).to_string(),
            "2025-11-28"
        );
        assert!(Date::parse("2026-03-01").unwrap() > Date::parse("2026-02-28").unwrap());
    }
}
