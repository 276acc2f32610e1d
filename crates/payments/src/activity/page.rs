//! paymentActivity and paymentActivityById: the sources' entries merged into one order, one page at a time.

use accounts::{PublicAccount, public_accounts};
use kernel::{AccountId, SessionIdentity, with_connection};
use store::{DbConnection, Pool};

use super::ActivityError;
use super::entry::PaymentEntry;
use super::filter::ActivityRequest;
use super::source::{Reading, SOURCES};

/// An entry with the counterparty's public account, when it has one.
#[derive(Debug, Clone, PartialEq)]
pub struct ListedEntry {
    pub entry: PaymentEntry,
    pub counterparty_account: Option<PublicAccount>,
}

/// `PaymentActivityPage`.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityPage {
    pub entries: Vec<ListedEntry>,
    /// `None` on the last page.
    pub next_cursor: Option<String>,
}

/// paymentActivity: the current account's entries matching the filter, newest first, at most `first`, starting
/// strictly after the cursor's position. Every source is asked for one more than a page, so the merged list
/// shows whether anything follows without a count.
pub async fn payment_activity(
    pool: &Pool,
    reading: Reading,
    current: &SessionIdentity,
    request: ActivityRequest,
) -> Result<ActivityPage, ActivityError> {
    let request = request.check()?;
    let account = current.account_id.clone();
    with_connection(pool, move |conn| {
        let mut entries = Vec::new();
        for source in SOURCES {
            let after = request.after.as_ref();
            entries.extend(source.page(conn, &reading, &account, &request.filter, after, request.first + 1)?);
        }
        // Activity order: createdAt descending, then id descending.
        entries.sort_by(|a, b| (b.created_at, &b.id).cmp(&(a.created_at, &a.id)));
        let more = entries.len() > request.first;
        entries.truncate(request.first);
        let next_cursor = entries.last().filter(|_| more).map(|last| last.position().cursor());
        Ok(ActivityPage { entries: listed(conn, entries)?, next_cursor })
    })
    .await
}

/// paymentActivityById: the current account's entry with this id (I-4904 when it has none).
pub async fn payment_activity_by_id(
    pool: &Pool,
    reading: Reading,
    current: &SessionIdentity,
    id: &str,
) -> Result<ListedEntry, ActivityError> {
    let (account, id) = (current.account_id.clone(), id.to_owned());
    with_connection(pool, move |conn| {
        let entry = find_entry(conn, &reading, &account, &id)?.ok_or(ActivityError::NoSuchActivity)?;
        listed(conn, vec![entry])?.into_iter().next().ok_or(ActivityError::NoSuchActivity)
    })
    .await
}

/// The account's entry with this id, from whichever source has it.
pub(crate) fn find_entry(
    conn: &mut DbConnection,
    reading: &Reading,
    account: &AccountId,
    id: &str,
) -> Result<Option<PaymentEntry>, ActivityError> {
    for source in SOURCES {
        if let Some(entry) = source.find(conn, reading, account, id)? {
            return Ok(Some(entry));
        }
    }
    Ok(None)
}

/// The entries with their counterparties' public accounts, read in one query.
fn listed(conn: &mut DbConnection, entries: Vec<PaymentEntry>) -> Result<Vec<ListedEntry>, ActivityError> {
    let ids: Vec<AccountId> =
        entries.iter().filter_map(|entry| entry.counterparty.as_ref()?.account_id.clone()).collect();
    let accounts = public_accounts(conn, &ids)?;
    Ok(entries
        .into_iter()
        .map(|entry| {
            let account_id = entry.counterparty.as_ref().and_then(|counterparty| counterparty.account_id.as_ref());
            let counterparty_account = account_id.and_then(|id| accounts.get(id).cloned());
            ListedEntry { entry, counterparty_account }
        })
        .collect())
}
