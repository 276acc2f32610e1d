//! embedOnfido: an applicant at the identity provider for the logged-in person, whose document the person then
//! captures in the provider's widget.

use std::sync::Arc;

use diesel::prelude::*;
use kernel::{AccountId, Clock, PersonId, SessionIdentity, run_blocking, with_connection, with_transaction};
use store::DbConnection;
use store::schema::{identity_applicants, persons};

use super::{Applicant, IdentityProvider, IdentitySubject};
use crate::AccountsError;
use crate::setup_session::stored_setup_session;

/// The names a person's identity check is made with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct SubjectNames {
    pub first: Option<String>,
    pub last: Option<String>,
}

impl SubjectNames {
    pub fn is_empty(&self) -> bool {
        self.first.is_none() && self.last.is_none()
    }

    pub fn full_name(&self) -> String {
        [&self.first, &self.last].into_iter().flatten().map(String::as_str).collect::<Vec<_>>().join(" ")
    }

    /// Hands the names to `work` as the provider's subject.
    pub fn with_subject<T>(&self, work: impl FnOnce(&IdentitySubject<'_>) -> T) -> T {
        let name = self.full_name();
        work(&IdentitySubject { name: &name, family_name: self.last.as_deref().unwrap_or("") })
    }
}

/// The person's names as recorded; `None` when the person is gone.
pub(crate) fn recorded_names(conn: &mut DbConnection, person_id: &PersonId) -> QueryResult<Option<SubjectNames>> {
    persons::table
        .find(person_id)
        .select((persons::first_name, persons::last_name))
        .first::<(Option<String>, Option<String>)>(conn)
        .optional()
        .map(|names| names.map(|(first, last)| SubjectNames { first, last }))
}

/// Refuses a person who has a document attached already (I-4405); `SessionGone` when the person is gone.
pub(crate) fn require_no_document(conn: &mut DbConnection, person_id: &PersonId) -> Result<(), AccountsError> {
    let uploaded: Option<bool> = persons::table.find(person_id).select(persons::uploaded_id).first(conn).optional()?;
    match uploaded {
        None => Err(AccountsError::SessionGone),
        Some(true) => Err(AccountsError::DocumentAlreadyUploaded),
        Some(false) => Ok(()),
    }
}

/// The names the applicant is created with: the person's as recorded or, when the person has none yet, those
/// typed in the current account's open setup session.
fn applicant_names(
    conn: &mut DbConnection,
    person_id: &PersonId,
    account_id: &AccountId,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<SubjectNames, AccountsError> {
    let recorded = recorded_names(conn, person_id)?.ok_or(AccountsError::SessionGone)?;
    if !recorded.is_empty() {
        return Ok(recorded);
    }
    Ok(match stored_setup_session(conn, account_id, now)? {
        Some(session) if !session.expired(now) => {
            SubjectNames { first: session.data.first_name, last: session.data.last_name }
        }
        _ => recorded,
    })
}

/// embedOnfido: refuses a person with a document attached (I-4405), then creates an applicant at the provider
/// and records it for addOnfidoDocumentToPerson. The provider is asked outside any transaction.
pub async fn embed_onfido(
    pool: &store::Pool,
    clock: &dyn Clock,
    provider: Arc<dyn IdentityProvider>,
    current: &SessionIdentity,
) -> Result<Applicant, AccountsError> {
    let now = clock.now();
    let (person_id, account_id) = (current.person_id.clone(), current.account_id.clone());
    let names = with_connection(pool, move |conn| {
        require_no_document(conn, &person_id)?;
        applicant_names(conn, &person_id, &account_id, now)
    })
    .await?;
    let (for_provider, names) = (names.clone(), names);
    let applicant =
        run_blocking(move || for_provider.with_subject(|subject| provider.create_applicant(subject, now))).await?;
    let (id, person_id) = (applicant.id.clone(), current.person_id.clone());
    with_transaction(pool, move |tx| {
        diesel::insert_into(identity_applicants::table)
            .values((
                identity_applicants::id.eq(&id),
                identity_applicants::person_id.eq(&person_id),
                identity_applicants::first_name.eq(&names.first),
                identity_applicants::last_name.eq(&names.last),
                identity_applicants::created_at.eq(now.naive_utc()),
            ))
            .execute(tx.conn())
            .map_err(AccountsError::from)
    })
    .await?;
    Ok(applicant)
}
