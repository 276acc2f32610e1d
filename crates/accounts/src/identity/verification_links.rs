//! The hosted verification page (embedVerificationService): a short-lived link per account, and what the page
//! at that link lists — the account's identity checks that are not CLEAR.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use kernel::{AccountId, Clock, SecretString, with_connection, with_transaction};
use store::Pool;
use store::schema::{accounts, company_officers, persons, verification_links};

use crate::{AccountsConfig, AccountsError, IdentityCheckStatus};

/// embedVerificationService: a new link token for the account, valid `VERIFICATION_LINK_TTL`; the account's
/// earlier tokens stop working. Only the token's SHA-256 is kept.
pub async fn issue_verification_link(
    pool: &Pool,
    clock: &dyn Clock,
    config: &AccountsConfig,
    account_id: &AccountId,
) -> Result<(SecretString, DateTime<Utc>), AccountsError> {
    let now = clock.now();
    let expires_at = now + config.verification_link_ttl;
    let token = auth::new_token();
    let (digest, account_id) = (auth::token_digest(&token), account_id.clone());
    with_transaction(pool, move |tx| {
        tx.lock_rows::<accounts::table>(&[account_id.as_str()])?;
        diesel::delete(verification_links::table.filter(verification_links::account_id.eq(&account_id)))
            .execute(tx.conn())?;
        diesel::insert_into(verification_links::table)
            .values((
                verification_links::token_digest.eq(&digest),
                verification_links::account_id.eq(&account_id),
                verification_links::expires_at.eq(expires_at.naive_utc()),
                verification_links::created_at.eq(now.naive_utc()),
            ))
            .execute(tx.conn())?;
        Ok::<_, AccountsError>(())
    })
    .await?;
    Ok((SecretString::from(token), expires_at))
}

/// Whose check a pending check is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckSubject {
    /// The person behind the account's login.
    Person,
    /// One of the account's company officers.
    CompanyOfficer,
}

/// An identity check of the account that is not CLEAR.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingCheck {
    pub subject: CheckSubject,
    /// As recorded; `None` for a person who has given no name yet.
    pub name: Option<String>,
    pub status: IdentityCheckStatus,
}

impl PendingCheck {
    /// What the check needs to move on, and how (providers.md section 5).
    pub fn needs(&self) -> &'static str {
        match (self.subject, self.status) {
            (_, IdentityCheckStatus::Pending) => "Nothing: the check is running and ends on its own.",
            (_, IdentityCheckStatus::Rejected) => "The check was rejected. Our support staff will contact you.",
            (CheckSubject::Person, _) => {
                "An identity document: capture it in the identity provider's widget (embedOnfido), then attach \
                 it (addOnfidoDocumentToPerson)."
            }
            (CheckSubject::CompanyOfficer, _) => {
                "An identity document: add the officer again with the document's details \
                 (addCompanyOfficerToAccount with uploadedId)."
            }
        }
    }
}

/// What the verification page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerificationPage {
    pub account_name: Option<String>,
    pub checks: Vec<PendingCheck>,
}

/// The page behind a link token: the account's checks that are not CLEAR, the person's first. An unknown,
/// voided or expired token is refused with `InvalidLink` (I-4104).
pub async fn verification_page(
    pool: &Pool,
    clock: &dyn Clock,
    token: String,
) -> Result<VerificationPage, AccountsError> {
    let now = clock.now();
    with_connection(pool, move |conn| {
        let account_id: AccountId = verification_links::table
            .find(auth::token_digest(&token))
            .filter(verification_links::expires_at.gt(now.naive_utc()))
            .select(verification_links::account_id)
            .first(conn)
            .optional()?
            .ok_or(AccountsError::InvalidLink)?;
        let (account_name, first, last, status) = accounts::table
            .inner_join(persons::table)
            .filter(accounts::id.eq(&account_id))
            .select((accounts::display_name, persons::first_name, persons::last_name, persons::identity_check_status))
            .first::<(Option<String>, Option<String>, Option<String>, IdentityCheckStatus)>(conn)?;
        let mut checks = Vec::new();
        if status != IdentityCheckStatus::Clear {
            let name = [first, last].into_iter().flatten().collect::<Vec<_>>().join(" ");
            let name = Some(name).filter(|name| !name.is_empty());
            checks.push(PendingCheck { subject: CheckSubject::Person, name, status });
        }
        let officers: Vec<(String, IdentityCheckStatus)> = company_officers::table
            .filter(company_officers::account_id.eq(&account_id))
            .filter(company_officers::identity_check_status.ne(IdentityCheckStatus::Clear))
            .order((company_officers::created_at.asc(), company_officers::id.asc()))
            .select((company_officers::name, company_officers::identity_check_status))
            .load(conn)?;
        checks.extend(officers.into_iter().map(|(name, status)| PendingCheck {
            subject: CheckSubject::CompanyOfficer,
            name: Some(name),
            status,
        }));
        Ok(VerificationPage { account_name, checks })
    })
    .await
}
