use chrono::{NaiveDate, SecondsFormat, Utc};

/// The contract's `DateTime`: a UTC instant, written `2020-06-18T07:00:00.000Z`. Input takes RFC 3339 with any
/// offset (converted to UTC) or a plain date `YYYY-MM-DD` (00:00:00.000 UTC of that day).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(
    feature = "graphql",
    derive(juniper::GraphQLScalar),
    graphql(
        name = "DateTime",
        description = "A UTC instant. Output: RFC 3339 with milliseconds and `Z`, e.g. `2020-06-18T07:00:00.000Z`. Input: the same format (any RFC 3339 offset is accepted and converted to UTC) or a plain date `YYYY-MM-DD`, which means 00:00:00.000 UTC of that day.",
        to_output_with = Self::render,
        from_input_with = Self::from_input,
        parse_token(String)
    )
)]
pub struct DateTime(pub chrono::DateTime<Utc>);

impl DateTime {
    pub fn render(&self) -> String {
        self.0.to_rfc3339_opts(SecondsFormat::Millis, true)
    }

    #[cfg(feature = "graphql")]
    fn from_input(text: &str) -> Result<Self, Box<str>> {
        Self::parse(text).ok_or_else(|| format!("`{text}` is not an RFC 3339 date-time or a YYYY-MM-DD date").into())
    }

    /// The date of a date-only value (`dateOfBirth`, `valueDate`, `expiryDate`, …): an instant at exactly
    /// 00:00:00.000 UTC. Any other instant is `None`, which the contract refuses with I-4303.
    pub fn date_only(&self) -> Option<NaiveDate> {
        (self.0.time() == chrono::NaiveTime::MIN).then(|| self.0.date_naive())
    }

    /// A date as a date-only value: 00:00:00.000 UTC of that day (the inverse of [`DateTime::date_only`]).
    pub fn of_date(date: NaiveDate) -> Self {
        Self(date.and_time(chrono::NaiveTime::MIN).and_utc())
    }

    pub fn parse(text: &str) -> Option<Self> {
        if let Ok(instant) = chrono::DateTime::parse_from_rfc3339(text) {
            return Some(Self(instant.with_timezone(&Utc)));
        }
        NaiveDate::parse_from_str(text, "%Y-%m-%d").ok().map(Self::of_date)
    }
}

impl From<chrono::NaiveDateTime> for DateTime {
    fn from(stored: chrono::NaiveDateTime) -> Self {
        Self(stored.and_utc())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_milliseconds_and_z() {
        let parsed = DateTime::parse("2020-06-18T09:00:00+02:00").map(|d| d.render());
        assert_eq!(parsed.as_deref(), Some("2020-06-18T07:00:00.000Z"));
        assert_eq!(DateTime::parse("2020-06-18").map(|d| d.render()).as_deref(), Some("2020-06-18T00:00:00.000Z"));
        assert!(DateTime::parse("18/06/2020").is_none());
    }

    use chrono::{Datelike as _, FixedOffset, TimeZone as _};
    use proptest::prelude::*;

    /// Days from 0001-01-01 (day 1 of the common era) to 9999-12-31.
    const LAST_DAY: i32 = 3_652_059;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn any_string_is_answered_without_panic(text in any::<String>()) {
            let _ = DateTime::parse(&text);
        }

        #[test]
        fn near_misses_are_answered_without_panic(
            text in "[+-]?[0-9]{1,6}-[0-9]{1,2}-[0-9]{1,2}([Tt ][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(\\.[0-9]{0,12})?([Zz]|[+-][0-9]{2}:[0-9]{2})?)?",
        ) {
            let _ = DateTime::parse(&text);
        }

        #[test]
        fn every_plain_date_is_midnight_utc(day in 1..=LAST_DAY) {
            let date = NaiveDate::from_num_days_from_ce_opt(day).expect("a day of years 1 to 9999");
            let text = format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day());
            let midnight = date.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc();
            prop_assert_eq!(DateTime::parse(&text), Some(DateTime(midnight)));
        }

        #[test]
        fn rendered_instants_parse_back(
            // 1000-01-02T00:00:00Z to 9998-12-30T00:00:00Z, in milliseconds.
            millis in -30_610_137_600_000_i64..253_370_592_000_000,
            nanos in 0_u32..1_000_000,
            offset_minutes in -(23 * 60 + 59)..=(23 * 60 + 59),
        ) {
            let utc = chrono::DateTime::from_timestamp_millis(millis).expect("a representable instant")
                + chrono::TimeDelta::nanoseconds(i64::from(nanos));
            let offset = FixedOffset::east_opt(offset_minutes * 60).expect("an offset under a day");
            let local = offset.from_utc_datetime(&utc.naive_utc());
            let text = local.to_rfc3339_opts(SecondsFormat::AutoSi, false);
            let parsed = DateTime::parse(&text).expect("RFC 3339 text parses");
            prop_assert_eq!(parsed, DateTime(utc));
            let rendered = parsed.render();
            prop_assert!(rendered.ends_with('Z'), "{}", rendered);
            let reparsed = DateTime::parse(&rendered).expect("rendered text parses");
            prop_assert_eq!(reparsed.render(), rendered.clone());
            // The output keeps milliseconds: it is the parsed instant without its sub-millisecond part.
            prop_assert_eq!(reparsed, DateTime(utc - chrono::TimeDelta::nanoseconds(i64::from(nanos))));
        }
    }
}
