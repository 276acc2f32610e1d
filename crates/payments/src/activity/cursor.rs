//! The paging cursor of paymentActivity: an opaque string naming a position in the activity order (an entry's
//! `createdAt` and id), and nothing else (no account, no filter, no expiry).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};

/// A place in the activity order: `createdAt` descending, then id descending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Position {
    pub created_at: DateTime<Utc>,
    pub id: String,
}

impl Position {
    /// The cursor naming this position. The instant is kept to the nanosecond, as stored, so that the next page
    /// starts exactly after it whatever precision the database keeps.
    pub fn cursor(&self) -> String {
        let nanos = self.created_at.timestamp_nanos_opt().unwrap_or(i64::MAX);
        URL_SAFE_NO_PAD.encode(format!("{nanos}:{}", self.id))
    }

    /// The position a cursor names; `None` for text this service did not issue.
    pub fn of_cursor(cursor: &str) -> Option<Self> {
        let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
        let text = String::from_utf8(bytes).ok()?;
        let (nanos, id) = text.split_once(':')?;
        let nanos: i64 = nanos.parse().ok()?;
        let well_formed_id = id.len() == 36 && id.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
        well_formed_id.then(|| Self { created_at: DateTime::from_timestamp_nanos(nanos), id: id.to_owned() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_names_its_position_again() {
        let created_at = DateTime::from_timestamp_nanos(1_718_443_800_123_456_789);
        let position = Position { created_at, id: "0190a3b7-11c2-7d3e-8f40-5a6b7c8d9e01".into() };
        assert_eq!(Position::of_cursor(&position.cursor()), Some(position));
    }

    #[test]
    fn text_it_did_not_issue_is_no_cursor() {
        for text in ["x", "", "MTcx", "bm90OmEgY3Vyc29y", &URL_SAFE_NO_PAD.encode("12:not-an-id")] {
            assert_eq!(Position::of_cursor(text), None, "{text}");
        }
    }
}
