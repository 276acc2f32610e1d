use chrono::{NaiveDate, SecondsFormat, Utc};

/// The contract's `DateTime`: a UTC instant, written `2020-06-18T07:00:00.000Z`. Input takes RFC 3339 with any
/// offset (converted to UTC) or a plain date `YYYY-MM-DD` (00:00:00.000 UTC of that day).
#[derive(juniper::GraphQLScalar, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[graphql(
    name = "DateTime",
    description = "A UTC instant. Output: RFC 3339 with milliseconds and `Z`, e.g. `2020-06-18T07:00:00.000Z`. Input: the same format (any RFC 3339 offset is accepted and converted to UTC) or a plain date `YYYY-MM-DD`, which means 00:00:00.000 UTC of that day.",
    to_output_with = Self::render,
    from_input_with = Self::from_input,
    parse_token(String)
)]
pub struct DateTime(pub chrono::DateTime<Utc>);

impl DateTime {
    fn render(&self) -> String {
        self.0.to_rfc3339_opts(SecondsFormat::Millis, true)
    }

    fn from_input(text: &str) -> Result<Self, Box<str>> {
        Self::parse(text).ok_or_else(|| format!("`{text}` is not an RFC 3339 date-time or a YYYY-MM-DD date").into())
    }

    pub fn parse(text: &str) -> Option<Self> {
        if let Ok(instant) = chrono::DateTime::parse_from_rfc3339(text) {
            return Some(Self(instant.with_timezone(&Utc)));
        }
        let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
        Some(Self(date.and_hms_opt(0, 0, 0)?.and_utc()))
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
}
