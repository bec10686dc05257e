//! Calendar dates as models write them (`2026-12-31`), and the date of a moment: enough to
//! tell a deadline from the past without a date crate.

use std::fmt;

/// A day of the proleptic Gregorian calendar; ordered as time goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

impl Date {
    /// `YYYY-MM-DD`, a day that exists (`2026-02-29` does not); `None` for anything else.
    pub fn parse(text: &str) -> Option<Date> {
        let mut parts = text.split('-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if !(digits(y) && digits(m) && digits(d)) {
            return None;
        }
        let date = Date {
            year: y.parse().ok()?,
            month: m.parse().ok()?,
            day: d.parse().ok()?,
        };
        ((1..=12).contains(&date.month) && (1..=days_in(date.year, date.month)).contains(&date.day))
            .then_some(date)
    }

    /// The date `days` days after 1970-01-01 (before it, if negative): for today, the days
    /// since the Unix epoch.
    pub fn from_unix_days(days: i64) -> Date {
        // Howard Hinnant's civil_from_days: eras of 400 years, years starting in March.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }
}

fn days_in(year: i32, month: u8) -> u8 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl std::str::FromStr for Date {
    type Err = String;

    /// As `parse`, with what went wrong in words.
    fn from_str(text: &str) -> Result<Date, String> {
        Date::parse(text).ok_or_else(|| format!("\"{text}\" is not a date (expected YYYY-MM-DD)"))
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
    fn only_real_days_in_the_iso_form_parse() {
        let d = Date::parse("2026-12-31").expect("a date");
        assert_eq!(d.to_string(), "2026-12-31");
        assert!(Date::parse("2028-02-29").is_some(), "a leap year");
        for bad in [
            "2026-02-29",
            "1900-02-29",
            "2026-13-01",
            "2026-04-31",
            "2026-00-10",
            "26-12-31",
            "2026-1-5",
            "2026-12-31x",
            "2026-12-31-1",
            "next week",
            "",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
        assert!(Date::parse("2000-02-29").is_some(), "divisible by 400");
    }

    #[test]
    fn dates_order_as_time_goes() {
        let p = |s| Date::parse(s).expect("a date");
        assert!(p("2026-11-30") < p("2026-12-01"));
        assert!(p("2025-12-31") < p("2026-01-01"));
    }

    #[test]
    fn days_since_the_epoch_give_the_calendar_date() {
        // Each checked against `date -u -d @SECONDS`.
        for (days, date) in [
            (0, "1970-01-01"),
            (-1, "1969-12-31"),
            (11_016, "2000-02-29"),
            (20_416, "2025-11-24"),
            (20_781, "2026-11-24"),
            (20_819, "2027-01-01"),
        ] {
            assert_eq!(Date::from_unix_days(days).to_string(), date, "{days}");
        }
        // Every day of four centuries follows the one before, through each month's end.
        let mut prev = Date::from_unix_days(-1);
        for days in 0..146_097 {
            let d = Date::from_unix_days(days);
            assert!(prev < d, "{prev} then {d}");
            assert_eq!(Date::parse(&d.to_string()), Some(d));
            prev = d;
        }
    }
}
