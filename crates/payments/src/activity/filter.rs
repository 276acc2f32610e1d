//! What paymentActivity is asked for, checked in the page's order (first, after, dates).

use chrono::{DateTime, Utc};

use super::cursor::Position;
use super::{ActivityError, PaymentEntryType};
use crate::PaymentEntryStatus;

/// The most entries one page holds.
pub const MAX_FIRST: i32 = 100;
/// Entries per page when `first` is not given.
pub const DEFAULT_FIRST: i32 = 50;

/// `PaymentActivityFilter`: filters combine with AND; the values inside `types` and inside `statuses` with OR.
/// An empty list does not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActivityFilter {
    pub types: Vec<PaymentEntryType>,
    /// Matched against the current status.
    pub statuses: Vec<PaymentEntryStatus>,
    /// Entries created at or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Entries created before this instant.
    pub to: Option<DateTime<Utc>>,
}

impl ActivityFilter {
    /// Whether entries of this type may match.
    pub fn admits_type(&self, entry_type: PaymentEntryType) -> bool {
        self.types.is_empty() || self.types.contains(&entry_type)
    }

    /// The statuses to match as stored; empty for any.
    pub(crate) fn status_texts(&self) -> Vec<&'static str> {
        self.statuses.iter().map(|status| status.as_str()).collect()
    }
}

/// One page of paymentActivity, as asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityRequest {
    pub filter: ActivityFilter,
    pub first: i32,
    /// The `nextCursor` of the page before.
    pub after: Option<String>,
}

/// A request that passed its checks.
pub(crate) struct CheckedRequest {
    pub filter: ActivityFilter,
    pub first: usize,
    pub after: Option<Position>,
}

impl ActivityRequest {
    /// Rules 2 to 4 of paymentActivity, in order.
    pub(crate) fn check(self) -> Result<CheckedRequest, ActivityError> {
        if !(1..=MAX_FIRST).contains(&self.first) {
            return Err(ActivityError::FirstOutOfRange);
        }
        let after = match &self.after {
            Some(cursor) => Some(Position::of_cursor(cursor).ok_or(ActivityError::InvalidCursor)?),
            None => None,
        };
        if let (Some(from), Some(to)) = (self.filter.from, self.filter.to)
            && from > to
        {
            return Err(ActivityError::DateRangeReversed);
        }
        let first = usize::try_from(self.first).map_err(|_| ActivityError::FirstOutOfRange)?;
        Ok(CheckedRequest { filter: self.filter, first, after })
    }
}

/// Narrows a boxed query of one source's rows to `filter`'s statuses and dates, and to what comes strictly
/// after `after` in activity order (`$created` descending, then `$id`): one set of rules for every source.
macro_rules! narrowed {
    ($query:expr, $filter:expr, $after:expr, $status:expr, $created:expr, $id:expr) => {{
        let mut query = $query;
        let statuses = $filter.status_texts();
        if !statuses.is_empty() {
            query = query.filter($status.eq_any(statuses));
        }
        if let Some(from) = $filter.from {
            query = query.filter($created.ge(from.naive_utc()));
        }
        if let Some(to) = $filter.to {
            query = query.filter($created.lt(to.naive_utc()));
        }
        if let Some(after) = $after {
            let at = after.created_at.naive_utc();
            query = query.filter($created.lt(at).or($created.eq(at).and($id.lt(after.id.clone()))));
        }
        query
    }};
}
pub(crate) use narrowed;

#[cfg(test)]
mod tests {
    use super::*;

    fn request(first: i32, after: Option<&str>, dates: (Option<&str>, Option<&str>)) -> ActivityRequest {
        let at = |text: Option<&str>| text.and_then(kernel::DateTime::parse).map(|date| date.0);
        let filter = ActivityFilter { from: at(dates.0), to: at(dates.1), ..ActivityFilter::default() };
        ActivityRequest { filter, first, after: after.map(str::to_owned) }
    }

    fn refusal(request: ActivityRequest) -> Option<String> {
        request.check().err().map(|error| format!("{error:?}"))
    }

    #[test]
    fn checks_in_the_pages_order() {
        let reversed = (Some("2024-06-10"), Some("2024-06-01"));
        assert_eq!(refusal(request(0, Some("x"), reversed)).as_deref(), Some("FirstOutOfRange"));
        assert_eq!(refusal(request(101, None, (None, None))).as_deref(), Some("FirstOutOfRange"));
        assert_eq!(refusal(request(100, Some("x"), reversed)).as_deref(), Some("InvalidCursor"));
        assert_eq!(refusal(request(1, None, reversed)).as_deref(), Some("DateRangeReversed"));
        assert_eq!(refusal(request(1, None, (Some("2024-06-10"), Some("2024-06-10")))), None);
    }
}
