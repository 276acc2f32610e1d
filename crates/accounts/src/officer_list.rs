use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use kernel::{AccountId, Country};
use store::schema::company_officers;
use store::{DbConnection, DbError};

use crate::{CompanyOfficerType, IdDocumentType, IdentityCheckStatus};

/// A company officer as the business sees it (the contract's `CompanyOfficer`). The document number is never
/// part of it.
#[derive(Debug, Clone, PartialEq)]
pub struct CompanyOfficer {
    pub id: String,
    pub name: String,
    /// Hundredths of a percent, as stored: 2500 is 25%.
    pub ownership_bps: i32,
    pub officer_type: CompanyOfficerType,
    pub date_of_birth: Option<DateTime<Utc>>,
    pub job_title: Option<String>,
    pub country: Option<Country>,
    pub uploaded_id: bool,
    pub identity_check_status: IdentityCheckStatus,
    pub submitted: bool,
    pub created_at: DateTime<Utc>,
}

impl CompanyOfficer {
    /// `percentOfOwnership`: 0 to 100, at most two decimals.
    pub fn percent_of_ownership(&self) -> f64 {
        f64::from(self.ownership_bps) / 100.0
    }
}

type OfficerRow = (
    String,
    String,
    i32,
    CompanyOfficerType,
    Option<NaiveDateTime>,
    Option<String>,
    Option<Country>,
    Option<IdDocumentType>,
    IdentityCheckStatus,
    bool,
    NaiveDateTime,
);

/// companyOfficers: every officer recorded for the account, pending and submitted, oldest first.
pub fn company_officers(conn: &mut DbConnection, account_id: &AccountId) -> Result<Vec<CompanyOfficer>, DbError> {
    let rows: Vec<OfficerRow> = company_officers::table
        .filter(company_officers::account_id.eq(account_id))
        .order((company_officers::created_at.asc(), company_officers::id.asc()))
        .select((
            company_officers::id,
            company_officers::name,
            company_officers::ownership_bps,
            company_officers::officer_type,
            company_officers::date_of_birth,
            company_officers::job_title,
            company_officers::country,
            company_officers::document_type,
            company_officers::identity_check_status,
            company_officers::submitted,
            company_officers::created_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(
                id,
                name,
                ownership_bps,
                officer_type,
                date_of_birth,
                job_title,
                country,
                document,
                status,
                submitted,
                created_at,
            )| {
                CompanyOfficer {
                    id,
                    name,
                    ownership_bps,
                    officer_type,
                    date_of_birth: date_of_birth.map(|d| d.and_utc()),
                    job_title,
                    country,
                    uploaded_id: document.is_some(),
                    identity_check_status: status,
                    submitted,
                    created_at: created_at.and_utc(),
                }
            },
        )
        .collect())
}
