use std::str::FromStr;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use juniper::{GraphQLObject, ID};
use kernel::{Country, DateTime, PersonId};
use store::DbConnection;
use store::schema::persons;

use crate::{AccountsError, IdentityCheckStatus};

/// The person behind a login, as that person sees it.
#[derive(GraphQLObject, Debug, Clone)]
#[graphql(description = "The person behind a login, as that person sees it.")]
pub struct PrivatePerson {
    pub id: ID,
    pub first_name: Option<String>,
    pub middle_name: Option<String>,
    pub last_name: Option<String>,
    pub email: String,
    #[graphql(description = "Same value as AuthUser.emailVerified.")]
    pub email_verified: bool,
    pub phone_country_code: Option<Country>,
    pub phone: Option<String>,
    #[graphql(description = "Masked: all but the last four characters replaced by `*`; null if not given.")]
    pub personal_tax_id: Option<String>,
    pub date_of_birth: Option<DateTime>,
    pub citizenship: Option<Country>,
    #[graphql(description = "Whether an identity document has been attached (addOnfidoDocumentToPerson).")]
    pub uploaded_id: bool,
    pub identity_check_status: IdentityCheckStatus,
}

#[derive(Queryable)]
#[allow(dead_code, reason = "every column is read so the row matches the table")]
struct PersonRow {
    id: String,
    email: String,
    email_verified: bool,
    first_name: Option<String>,
    middle_name: Option<String>,
    last_name: Option<String>,
    date_of_birth: Option<NaiveDateTime>,
    citizenship: Option<String>,
    phone_country_code: Option<String>,
    phone: Option<String>,
    personal_tax_id: Option<String>,
    uploaded_id: bool,
    identity_check_status: String,
    created_at: NaiveDateTime,
}

/// The person as they see themselves; `None` when no such person exists.
pub fn private_person(conn: &mut DbConnection, person_id: &PersonId) -> Result<Option<PrivatePerson>, AccountsError> {
    let row: Option<PersonRow> = persons::table.find(person_id.as_str()).first(conn).optional()?;
    row.map(to_private).transpose()
}

fn to_private(row: PersonRow) -> Result<PrivatePerson, AccountsError> {
    let country = |code: Option<String>| code.map(|c| Country::from_str(&c)).transpose().map_err(anyhow::Error::from);
    Ok(PrivatePerson {
        id: ID::new(row.id),
        first_name: row.first_name,
        middle_name: row.middle_name,
        last_name: row.last_name,
        email: row.email,
        email_verified: row.email_verified,
        phone_country_code: country(row.phone_country_code)?,
        phone: row.phone,
        personal_tax_id: row.personal_tax_id.as_deref().map(mask_tax_id),
        date_of_birth: row.date_of_birth.map(DateTime::from),
        citizenship: country(row.citizenship)?,
        uploaded_id: row.uploaded_id,
        identity_check_status: IdentityCheckStatus::from_str(&row.identity_check_status)?,
    })
}

/// Every character but the last four replaced by `*`: the full tax id never leaves the service.
fn mask_tax_id(tax_id: &str) -> String {
    let length = tax_id.chars().count();
    tax_id.chars().enumerate().map(|(i, c)| if i + 4 < length { '*' } else { c }).collect()
}

#[cfg(test)]
mod tests {
    use super::mask_tax_id;

    #[test]
    fn masks_all_but_last_four() {
        assert_eq!(mask_tax_id("123456789"), "*****6789");
        assert_eq!(mask_tax_id("1234"), "1234");
    }
}
