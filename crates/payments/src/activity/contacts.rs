//! contacts: everyone the current account has dealt with, once each, most recent first (contacts.md).

use std::collections::HashMap;

use accounts::{PayeeByEmail, PublicAccount, payee_by_email, public_accounts};
use chrono::{DateTime, Utc};
use kernel::{AccountId, Email, SessionIdentity, with_connection};
use store::{DbConnection, Pool};

use super::ActivityError;
use super::source::{Interaction, SOURCES};

/// `Contact` as the contacts list gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    /// The address the current account itself typed for this counterparty, the most recently used one.
    pub email: Option<String>,
    /// `None` for an email with no account.
    pub account: Option<PublicAccount>,
    pub last_activity_at: DateTime<Utc>,
}

/// One contact while the list is built: keyed by account when there is one, otherwise by email.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Key {
    Account(AccountId),
    Email(String),
}

#[derive(Default)]
struct Gathered {
    last_activity_at: Option<DateTime<Utc>>,
    /// The latest typed email and when it was used.
    email: Option<(DateTime<Utc>, String)>,
}

/// contacts: computed when read from the current account's activity. An email with no account is resolved
/// to the account it leads to now (the oldest open account of the login with that email), so an email that has
/// since got an account merges into that account's contact.
pub async fn contacts(pool: &Pool, current: &SessionIdentity) -> Result<Vec<Contact>, ActivityError> {
    let account = current.account_id.clone();
    with_connection(pool, move |conn| {
        let mut interactions = Vec::new();
        for source in SOURCES {
            interactions.extend(source.interactions(conn, &account)?);
        }
        let mut gathered: HashMap<Key, Gathered> = HashMap::new();
        for Interaction { counterparty, at } in interactions {
            let key = match (counterparty.account_id, &counterparty.email) {
                (Some(account_id), _) => Key::Account(account_id),
                (None, Some(email)) => match leads_to(conn, email)? {
                    Some(account_id) => Key::Account(account_id),
                    None => Key::Email(email.clone()),
                },
                (None, None) => continue,
            };
            let contact = gathered.entry(key).or_default();
            contact.last_activity_at = contact.last_activity_at.max(Some(at));
            if let Some(email) = counterparty.email
                && contact.email.as_ref().is_none_or(|(used_at, _)| *used_at < at)
            {
                contact.email = Some((at, email));
            }
        }
        let ids: Vec<AccountId> = gathered
            .keys()
            .filter_map(|key| match key {
                Key::Account(id) => Some(id.clone()),
                Key::Email(_) => None,
            })
            .collect();
        let accounts = public_accounts(conn, &ids)?;
        let mut listed: Vec<(Key, Contact)> = gathered
            .into_iter()
            .filter_map(|(key, contact)| {
                let last_activity_at = contact.last_activity_at?;
                let account = match &key {
                    Key::Account(id) => accounts.get(id).cloned(),
                    Key::Email(_) => None,
                };
                Some((key.clone(), Contact { email: contact.email.map(|(_, email)| email), account, last_activity_at }))
            })
            .collect();
        listed.sort_by(|(a_key, a), (b_key, b)| {
            b.last_activity_at.cmp(&a.last_activity_at).then_with(|| order_name(a_key).cmp(order_name(b_key)))
        });
        Ok(listed.into_iter().map(|(_, contact)| contact).collect())
    })
    .await
}

/// What ties are ordered by: the account id, or the email.
fn order_name(key: &Key) -> &str {
    match key {
        Key::Account(id) => id.as_str(),
        Key::Email(email) => email,
    }
}

/// The account an email leads to now, if any.
fn leads_to(conn: &mut DbConnection, email: &str) -> Result<Option<AccountId>, ActivityError> {
    let Some(email) = Email::parse(email) else { return Ok(None) };
    Ok(match payee_by_email(conn, &email)? {
        PayeeByEmail::Open(payee) => Some(payee.account_id),
        PayeeByEmail::Closed | PayeeByEmail::NoLogin => None,
    })
}
