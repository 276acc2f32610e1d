//! updateAccount: the editable profile fields of the current account once its setup was submitted.

use diesel::prelude::*;
use kernel::{AccountType, Country, SessionIdentity};
use store::schema::accounts;
use store::{DbError, Tx, UniqueIndex, violated_unique_index};

use crate::setup_session::fields;
use crate::{AccountStatus, AccountsError, Patch, Slug, require_open_account, slug_taken};

/// The longest redirect URL updateAccount stores (rule 10).
const MAX_REDIRECT_URL: usize = 2048;

/// The fields of updateAccount's input. `Clear` (a `null`) is accepted only for `address_line2` and
/// `redirect_url`; for the others it is refused with the field's code.
#[derive(Debug, Clone, Default)]
pub struct AccountUpdate {
    pub display_name: Patch<String>,
    pub phone: Patch<String>,
    pub phone_country_code: Patch<Country>,
    pub address_line1: Patch<String>,
    pub address_line2: Patch<String>,
    pub city: Patch<String>,
    pub zone_code: Patch<String>,
    pub postal_code: Patch<String>,
    pub slug: Patch<String>,
    pub redirect_url: Patch<String>,
}

/// A string empty after trimming counts as absent (README, "Inputs").
fn trimmed(patch: Patch<String>) -> Patch<String> {
    match patch {
        Patch::Set(text) if text.trim().is_empty() => Patch::Absent,
        Patch::Set(text) => Patch::Set(text.trim().to_owned()),
        other => other,
    }
}

/// A field that cannot be cleared: `null` is the field's refusal, a value is checked by `check`.
fn required<T>(
    patch: Patch<String>,
    refusal: AccountsError,
    check: impl FnOnce(&str) -> Result<T, AccountsError>,
) -> Result<Option<T>, AccountsError> {
    match trimmed(patch) {
        Patch::Absent => Ok(None),
        Patch::Clear => Err(refusal),
        Patch::Set(text) => check(&text).map(Some),
    }
}

/// A field that `null` clears: `Some(None)` clears, `Some(Some(_))` sets.
fn clearable(
    patch: Patch<String>,
    check: impl FnOnce(&str) -> Result<String, AccountsError>,
) -> Result<Option<Option<String>>, AccountsError> {
    match trimmed(patch) {
        Patch::Absent => Ok(None),
        Patch::Clear => Ok(Some(None)),
        Patch::Set(text) => check(&text).map(|value| Some(Some(value))),
    }
}

/// Rule 10's form: an absolute `https` URL with a host, no user name or password, at most 2048 characters.
fn redirect_url(value: &str) -> Result<String, AccountsError> {
    let refused = || AccountsError::InvalidRedirectUrl;
    if value.chars().count() > MAX_REDIRECT_URL || value.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(refused());
    }
    let scheme_end = value.find("://").ok_or_else(refused)?;
    if !value[..scheme_end].eq_ignore_ascii_case("https") {
        return Err(refused());
    }
    let rest = &value[scheme_end + 3..];
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    if authority.contains('@') {
        return Err(refused());
    }
    // A bracketed IPv6 literal holds colons of its own; the port follows its closing bracket.
    let (host, port) = match authority.find(']') {
        Some(end) if authority.starts_with('[') => match &authority[end + 1..] {
            "" => (&authority[..=end], None),
            rest => (&authority[..=end], Some(rest.strip_prefix(':').ok_or_else(refused)?)),
        },
        _ => match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        },
    };
    let host_ok = !host.is_empty()
        && (host.starts_with('[') && host.ends_with(']')
            || host.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b >= 0x80));
    let port_ok =
        port.is_none_or(|port| !port.is_empty() && port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit()));
    if host_ok && port_ok { Ok(value.to_owned()) } else { Err(refused()) }
}

/// updateAccount: the rules of its page in their order, in one transaction under the account's row lock; the
/// first refusal leaves everything as it was.
pub fn update_account(tx: &mut Tx<'_>, caller: &SessionIdentity, input: AccountUpdate) -> Result<(), AccountsError> {
    // Rules 2 and 3: NOT_SETUP first, then DISABLED (require_open_account locks the row).
    tx.lock_rows::<accounts::table>(&[caller.account_id.as_str()])?;
    let status: Option<AccountStatus> =
        accounts::table.find(&caller.account_id).select(accounts::status).first(tx.conn()).optional()?;
    if status == Some(AccountStatus::NotSetup) {
        return Err(AccountsError::SetupUnfinished);
    }
    require_open_account(tx, &caller.account_id)?;
    type Stored = (AccountType, Country, Option<String>, Option<Country>, Option<String>);
    let (account_type, country, stored_phone, stored_phone_country, stored_slug): Stored = accounts::table
        .find(&caller.account_id)
        .select((
            accounts::account_type,
            accounts::country,
            accounts::phone,
            accounts::phone_country_code,
            accounts::slug,
        ))
        .first(tx.conn())?;

    // Rule 4.
    let display_name = required(input.display_name, AccountsError::InvalidDisplayName, fields::display_name)?;

    // Rule 5: the number given or stored, for the country given, stored or the account's.
    let phone = required(input.phone, AccountsError::InvalidPhone, |text| Ok(text.to_owned()))?;
    let phone_country = match input.phone_country_code {
        Patch::Clear => return Err(AccountsError::InvalidPhone),
        Patch::Set(given) => {
            fields::calling_code(given)?;
            Some(given)
        }
        Patch::Absent => None,
    };
    let phone_change = if phone.is_some() || phone_country.is_some() {
        let region = phone_country.or(stored_phone_country).unwrap_or(country);
        let national = match phone.as_deref().or(stored_phone.as_deref()) {
            Some(number) => Some(fields::phone(region, number)?),
            None => None,
        };
        Some((national, phone_country))
    } else {
        None
    };

    // Rule 6.
    let address_line1 = required(input.address_line1, AccountsError::InvalidAddress, fields::address)?;
    let address_line2 = clearable(input.address_line2, fields::address)?;
    let city = required(input.city, AccountsError::InvalidAddress, fields::address)?;

    // Rules 7 and 8, for the account's country.
    let zone_code = required(input.zone_code, AccountsError::InvalidZoneCode, |text| fields::zone_code(country, text))?;
    let postal_code =
        required(input.postal_code, AccountsError::InvalidPostalCode, |text| fields::postal_code(country, text))?;

    // Rule 9: a handle, once set, is permanent; the same value changes nothing.
    let slug = match (trimmed(input.slug), &stored_slug) {
        (Patch::Absent, _) | (Patch::Clear, None) => None,
        (Patch::Set(text), Some(stored)) if &text == stored => None,
        (_, Some(_)) => return Err(AccountsError::HandleFixed),
        (Patch::Set(text), None) => {
            let slug = Slug::parse(&text).map_err(AccountsError::InvalidSlug)?;
            if slug_taken(tx.conn(), &slug)? {
                return Err(AccountsError::HandleExists);
            }
            Some(slug.as_str().to_owned())
        }
    };

    // Rule 10: business accounts only, `null` included.
    let redirect = match trimmed(input.redirect_url) {
        Patch::Absent => None,
        _ if account_type == AccountType::Personal => return Err(AccountsError::BusinessOnly),
        Patch::Clear => Some(None),
        Patch::Set(text) => Some(Some(redirect_url(&text)?)),
    };

    let target = accounts::table.find(&caller.account_id);
    let conn = tx.conn();
    if let Some(value) = display_name {
        diesel::update(target).set(accounts::display_name.eq(value)).execute(conn)?;
    }
    if let Some((national, given_country)) = phone_change {
        diesel::update(target).set(accounts::phone.eq(national)).execute(conn)?;
        if let Some(given) = given_country {
            diesel::update(target).set(accounts::phone_country_code.eq(given)).execute(conn)?;
        }
    }
    if let Some(value) = address_line1 {
        diesel::update(target).set(accounts::address_line1.eq(value)).execute(conn)?;
    }
    if let Some(value) = address_line2 {
        diesel::update(target).set(accounts::address_line2.eq(value)).execute(conn)?;
    }
    if let Some(value) = city {
        diesel::update(target).set(accounts::city.eq(value)).execute(conn)?;
    }
    if let Some(value) = zone_code {
        diesel::update(target).set(accounts::zone_code.eq(value)).execute(conn)?;
    }
    if let Some(value) = postal_code {
        diesel::update(target).set(accounts::postal_code.eq(value)).execute(conn)?;
    }
    if let Some(value) = redirect {
        diesel::update(target).set(accounts::redirect_url.eq(value)).execute(conn)?;
    }
    if let Some(value) = slug {
        // Two accounts taking one handle at once both pass rule 9; the unique index on its lower-case form
        // lets one write it, and the other is answered I-4309.
        tx.savepoint(|tx| {
            diesel::update(accounts::table.find(&caller.account_id))
                .set(accounts::slug.eq(value))
                .execute(tx.conn())
                .map_err(|error: DbError| match violated_unique_index(&error) {
                    Some(UniqueIndex::AccountsSlug) => AccountsError::HandleExists,
                    _ => error.into(),
                })
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::redirect_url;

    #[test]
    fn redirect_urls_are_absolute_https_without_credentials() {
        for accepted in ["https://acme.example/thanks", "HTTPS://acme.example:8443/a?b#c", "https://[::1]/x"] {
            assert!(redirect_url(accepted).is_ok(), "{accepted}");
        }
        let long = format!("https://acme.example/{}", "a".repeat(2048));
        for refused in [
            "http://acme.example/",
            "https:///path",
            "https://user:pw@acme.example/",
            "https://user@acme.example/",
            "acme.example/thanks",
            "https://acme.example:port/",
            "https://acme example/",
            long.as_str(),
        ] {
            assert!(redirect_url(refused).is_err(), "{refused}");
        }
    }
}
