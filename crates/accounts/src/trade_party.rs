use diesel::prelude::*;
use kernel::{AccountId, Country, PersonId};
use store::schema::{accounts, logins};
use store::{DbConnection, DbError};

/// An account as a trade confirmation names a party: its legal name, display name and country, and the email
/// of the login it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TradePartyAccount {
    pub name: Option<String>,
    pub display_name: Option<String>,
    pub country: Country,
    pub login_email: String,
}

/// The account `account_id` as a party of a trade, whatever its status (a closed account's history is real).
pub fn trade_party_account(
    conn: &mut DbConnection,
    account_id: &AccountId,
) -> Result<Option<TradePartyAccount>, DbError> {
    let found: Option<(Option<String>, Option<String>, Country, PersonId)> = accounts::table
        .find(account_id)
        .select((accounts::name, accounts::display_name, accounts::country, accounts::person_id))
        .first(conn)
        .optional()?;
    let Some((name, display_name, country, person_id)) = found else { return Ok(None) };
    let login_email: String =
        logins::table.filter(logins::person_id.eq(&person_id)).select(logins::email).first(conn)?;
    Ok(Some(TradePartyAccount { name, display_name, country, login_email }))
}
