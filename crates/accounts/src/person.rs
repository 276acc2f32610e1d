use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use kernel::{Country, LoginId, PersonId};
use store::schema::{logins, persons};
use store::{DbConnection, DbError};

use crate::IdentityCheckStatus;

/// The person behind a login, as that person sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: PersonId,
    pub first_name: Option<String>,
    pub middle_name: Option<String>,
    pub last_name: Option<String>,
    pub email: String,
    pub email_verified: bool,
    pub phone_country_code: Option<Country>,
    pub phone: Option<String>,
    /// Masked: all but the last four characters replaced by `*`. The full tax id never leaves the service.
    pub personal_tax_id_masked: Option<String>,
    pub date_of_birth: Option<DateTime<Utc>>,
    pub citizenship: Option<Country>,
    pub uploaded_id: bool,
    pub identity_check_status: IdentityCheckStatus,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = persons)]
struct PersonRow {
    id: PersonId,
    email: String,
    first_name: Option<String>,
    middle_name: Option<String>,
    last_name: Option<String>,
    date_of_birth: Option<NaiveDateTime>,
    citizenship: Option<Country>,
    phone_country_code: Option<Country>,
    phone: Option<String>,
    personal_tax_id: Option<String>,
    uploaded_id: bool,
    identity_check_status: IdentityCheckStatus,
}

/// The person as they see themselves, with their login's verified flag; `None` when the person or the login
/// no longer exists.
pub fn find_person(
    conn: &mut DbConnection,
    person_id: &PersonId,
    login_id: &LoginId,
) -> Result<Option<Person>, DbError> {
    let found: Option<(PersonRow, bool)> = persons::table
        .inner_join(logins::table)
        .filter(persons::id.eq(person_id))
        .filter(logins::id.eq(login_id))
        .select((PersonRow::as_select(), logins::email_verified))
        .first(conn)
        .optional()?;
    let Some((row, email_verified)) = found else { return Ok(None) };
    Ok(Some(Person {
        id: row.id,
        first_name: row.first_name,
        middle_name: row.middle_name,
        last_name: row.last_name,
        email: row.email,
        email_verified,
        phone_country_code: row.phone_country_code,
        phone: row.phone,
        personal_tax_id_masked: row.personal_tax_id.as_deref().map(mask_tax_id),
        date_of_birth: row.date_of_birth.map(|d| d.and_utc()),
        citizenship: row.citizenship,
        uploaded_id: row.uploaded_id,
        identity_check_status: row.identity_check_status,
    }))
}

/// Every character but the last four replaced by `*`.
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
