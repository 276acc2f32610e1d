//! A person's identity check: the document attached (addOnfidoDocumentToPerson), the check started at the
//! provider, and its outcome recorded, after which every account of the person is re-evaluated.
//!
//! The provider is only ever asked outside a transaction (a real one is an HTTP service); what it answered is
//! then written only if the person's check is still the one that was asked about.

use std::sync::Arc;

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use kernel::{AccountId, Clock, PersonId, SessionIdentity, run_blocking, with_connection, with_transaction};
use store::schema::{accounts, identity_applicants, persons};
use store::{DbConnection, Pool};

use super::applicants::{SubjectNames, recorded_names, require_no_document};
use super::{CheckOutcome, CheckProgress, IdentityProvider, StartedCheck};
use crate::{AccountsConfig, AccountsError, IdentityCheckStatus, evaluate_verified};

/// Refuses what addOnfidoDocumentToPerson refuses before asking the provider, in the page's order: a document
/// attached already (I-4405), an applicant that is not this person's (I-4420).
fn require_attachable(conn: &mut DbConnection, person_id: &PersonId, applicant_id: &str) -> Result<(), AccountsError> {
    require_no_document(conn, person_id)?;
    let known: i64 = identity_applicants::table
        .filter(identity_applicants::id.eq(applicant_id))
        .filter(identity_applicants::person_id.eq(person_id))
        .count()
        .get_result(conn)?;
    if known == 0 {
        return Err(AccountsError::NoSuchApplicant);
    }
    Ok(())
}

/// addOnfidoDocumentToPerson: attaches the document captured for `applicant_id` to the logged-in person (one
/// per person, under the person's row lock) and starts its check. The document stays attached even if the
/// provider cannot be reached to start the check; the identity-check job starts it later.
pub async fn attach_identity_document(
    pool: &Pool,
    clock: &dyn Clock,
    provider: Arc<dyn IdentityProvider>,
    current: &SessionIdentity,
    applicant_id: String,
) -> Result<(), AccountsError> {
    let person_id = current.person_id.clone();
    let (person, applicant) = (person_id.clone(), applicant_id.clone());
    with_connection(pool, move |conn| require_attachable(conn, &person, &applicant)).await?;
    let (asked, applicant) = (provider.clone(), applicant_id.clone());
    if !run_blocking(move || asked.document_captured(&applicant)).await? {
        return Err(AccountsError::NoDocumentCaptured);
    }
    let now = clock.now();
    let person = person_id.clone();
    with_transaction(pool, move |tx| {
        tx.lock_rows::<persons::table>(&[person.as_str()])?;
        require_attachable(tx.conn(), &person, &applicant_id)?;
        diesel::update(persons::table.find(&person))
            .set((
                persons::uploaded_id.eq(true),
                persons::identity_check_status.eq(IdentityCheckStatus::Pending),
                persons::identity_applicant_id.eq(&applicant_id),
                persons::identity_document_attached_at.eq(now.naive_utc()),
                persons::identity_check_reference.eq(None::<String>),
                persons::identity_check_due_at.eq(None::<NaiveDateTime>),
                persons::identity_check_verdict.eq(None::<CheckOutcome>),
                persons::identity_checked_at.eq(None::<NaiveDateTime>),
            ))
            .execute(tx.conn())?;
        Ok::<_, AccountsError>(())
    })
    .await?;
    if let Err(error) = start_person_check(pool, provider, &person_id).await {
        tracing::warn!(person = %person_id, "identity check not started, the identity-check job retries: {error:#}");
    }
    Ok(())
}

/// Starts the check of a person whose document is attached and whose check has not started. Answers whether
/// this call started it.
pub(crate) async fn start_person_check(
    pool: &Pool,
    provider: Arc<dyn IdentityProvider>,
    person_id: &PersonId,
) -> anyhow::Result<bool> {
    let person = person_id.clone();
    let waiting = with_connection(pool, move |conn| -> anyhow::Result<_> {
        let row: Option<(Option<String>, Option<NaiveDateTime>)> = persons::table
            .find(&person)
            .filter(persons::identity_check_status.eq(IdentityCheckStatus::Pending))
            .filter(persons::identity_check_reference.is_null())
            .select((persons::identity_applicant_id, persons::identity_document_attached_at))
            .first(conn)
            .optional()?;
        let Some((Some(applicant_id), Some(attached_at))) = row else { return Ok(None) };
        Ok(Some((applicant_id.clone(), attached_at.and_utc(), check_names(conn, &person, &applicant_id)?)))
    })
    .await?;
    let Some((applicant_id, attached_at, names)) = waiting else { return Ok(false) };
    let applicant = applicant_id.clone();
    let started = run_blocking(move || {
        names.with_subject(|subject| provider.start_applicant_check(&applicant, subject, attached_at))
    })
    .await?;
    let person = person_id.clone();
    with_transaction(pool, move |tx| -> anyhow::Result<bool> {
        let written = diesel::update(
            persons::table
                .find(&person)
                .filter(persons::identity_check_status.eq(IdentityCheckStatus::Pending))
                .filter(persons::identity_check_reference.is_null())
                .filter(persons::identity_applicant_id.eq(&applicant_id)),
        )
        .set((
            persons::identity_check_reference.eq(&started.reference),
            persons::identity_check_due_at.eq(started.due_at.naive_utc()),
            persons::identity_check_verdict.eq(started.verdict),
        ))
        .execute(tx.conn())?;
        Ok(written == 1)
    })
    .await
}

/// The names the check is made with: the person's as recorded or, when the person has none yet, those the
/// applicant was created with (typed in the setup session then).
fn check_names(conn: &mut DbConnection, person_id: &PersonId, applicant_id: &str) -> anyhow::Result<SubjectNames> {
    let recorded = recorded_names(conn, person_id)?.unwrap_or_default();
    if !recorded.is_empty() {
        return Ok(recorded);
    }
    let (first, last) = identity_applicants::table
        .find(applicant_id)
        .select((identity_applicants::first_name, identity_applicants::last_name))
        .first::<(Option<String>, Option<String>)>(conn)?;
    Ok(SubjectNames { first, last })
}

/// Asks the provider how the person's running check ended and, if it has, records the outcome and re-evaluates
/// every account of the person (flows.md section 2). Answers whether this call ended it.
pub(crate) async fn end_person_check(
    pool: &Pool,
    config: Arc<AccountsConfig>,
    provider: Arc<dyn IdentityProvider>,
    person_id: &PersonId,
    now: DateTime<Utc>,
) -> anyhow::Result<bool> {
    let person = person_id.clone();
    let running = with_connection(pool, move |conn| -> anyhow::Result<_> {
        Ok(persons::table
            .find(&person)
            .filter(persons::identity_check_status.eq(IdentityCheckStatus::Pending))
            .select((
                persons::identity_check_reference,
                persons::identity_check_due_at,
                persons::identity_check_verdict,
            ))
            .first::<(Option<String>, Option<NaiveDateTime>, Option<CheckOutcome>)>(conn)
            .optional()?)
    })
    .await?;
    let Some((Some(reference), Some(due_at), verdict)) = running else { return Ok(false) };
    let check = StartedCheck { reference, due_at: due_at.and_utc(), verdict };
    let asked = check.clone();
    let progress = run_blocking(move || provider.progress(&asked, now)).await?;
    let person = person_id.clone();
    let outcome = match progress {
        CheckProgress::Ended(outcome) => outcome,
        CheckProgress::Running { ask_again_at } => {
            let reference = check.reference.clone();
            with_transaction(pool, move |tx| -> anyhow::Result<usize> {
                Ok(diesel::update(
                    persons::table
                        .find(&person)
                        .filter(persons::identity_check_status.eq(IdentityCheckStatus::Pending))
                        .filter(persons::identity_check_reference.eq(&reference)),
                )
                .set(persons::identity_check_due_at.eq(ask_again_at.naive_utc()))
                .execute(tx.conn())?)
            })
            .await?;
            return Ok(false);
        }
    };
    with_transaction(pool, move |tx| -> anyhow::Result<bool> {
        // The accounts first, as every account change locks them before the person's row.
        let account_ids: Vec<AccountId> =
            accounts::table.filter(accounts::person_id.eq(&person)).select(accounts::id).load(tx.conn())?;
        let ids: Vec<&str> = account_ids.iter().map(AccountId::as_str).collect();
        tx.lock_rows::<accounts::table>(&ids)?;
        let ended = diesel::update(
            persons::table
                .find(&person)
                .filter(persons::identity_check_status.eq(IdentityCheckStatus::Pending))
                .filter(persons::identity_check_reference.eq(&check.reference)),
        )
        .set((
            persons::identity_check_status.eq(IdentityCheckStatus::from(outcome)),
            persons::identity_checked_at.eq(now.naive_utc()),
        ))
        .execute(tx.conn())?;
        if ended == 0 {
            return Ok(false);
        }
        for account_id in &account_ids {
            evaluate_verified(tx, &config, account_id, now)?;
        }
        Ok(true)
    })
    .await
}
