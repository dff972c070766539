//! A calendar date (UTC), for rules that compare against published dates
//! (end-of-life tables). The audit takes "today" from its options so that a
//! run can be pinned (`SOURCE_DATE_EPOCH`, tests); unpinned it is the clock.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    pub const fn new(year: i32, month: u32, day: u32) -> Date {
        Date { year, month, day }
    }

    /// The UTC date of a Unix time in seconds (negative: before 1970).
    pub fn from_unix_seconds(secs: i64) -> Date {
        // Howard Hinnant's days-to-civil algorithm.
        let z = secs.div_euclid(86_400) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// Today by the system clock (UTC).
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        Date::from_unix_seconds(secs)
    }

    /// `SOURCE_DATE_EPOCH` (seconds since 1970, as reproducible builds set
    /// it): `Ok(None)` when unset or empty, `Err` when it is not a number.
    pub fn from_source_date_epoch(value: Option<&str>) -> Result<Option<Date>, String> {
        match value.map(str::trim) {
            None | Some("") => Ok(None),
            Some(v) => v
                .parse::<i64>()
                .map(|s| Some(Date::from_unix_seconds(s)))
                .map_err(|_| format!("SOURCE_DATE_EPOCH={v:?} is not a number of seconds")),
        }
    }

    /// `2026-12-03`.
    pub fn parse(text: &str) -> Option<Date> {
        let mut parts = text.trim().splitn(3, '-');
        let year = parts.next()?.parse().ok()?;
        let month: u32 = parts.next()?.parse().ok()?;
        let day: u32 = parts.next()?.parse().ok()?;
        ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some(Date { year, month, day })
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
    fn unix_days_to_dates() {
        assert_eq!(Date::from_unix_seconds(0), Date::new(1970, 1, 1));
        assert_eq!(Date::from_unix_seconds(951_782_400), Date::new(2000, 2, 29));
        assert_eq!(
            Date::from_unix_seconds(1_796_256_000),
            Date::new(2026, 12, 3)
        );
        assert_eq!(
            Date::from_unix_seconds(1_796_256_000 + 86_399),
            Date::new(2026, 12, 3)
        );
        assert_eq!(Date::from_unix_seconds(-1), Date::new(1969, 12, 31));
        assert_eq!(Date::parse("2026-12-03"), Some(Date::new(2026, 12, 3)));
        assert_eq!(Date::parse("2026-13-03"), None);
        assert_eq!(Date::new(2026, 12, 3).to_string(), "2026-12-03");
        assert!(Date::new(2025, 4, 30) < Date::new(2025, 5, 1));
        assert_eq!(
            Date::from_source_date_epoch(Some("1796256000")),
            Ok(Some(Date::new(2026, 12, 3)))
        );
        assert_eq!(Date::from_source_date_epoch(None), Ok(None));
        assert!(Date::from_source_date_epoch(Some("yesterday")).is_err());
    }
}
