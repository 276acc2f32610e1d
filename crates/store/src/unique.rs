use diesel::result::{DatabaseErrorKind, Error};

/// The unique indexes of the schema, so a violation can be answered with the refusal its index stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UniqueIndex {
    PersonsEmail,
    LoginsEmail,
    LoginsPerson,
    AccountsSlug,
    AccountsPersonType,
    PersonsPersonalTaxId,
    AccountsBusinessTaxId,
    EmailVerificationTokensHash,
    BankAccountsNumber,
}

impl UniqueIndex {
    const ALL: [UniqueIndex; 9] = [
        Self::PersonsEmail,
        Self::LoginsEmail,
        Self::LoginsPerson,
        Self::AccountsSlug,
        Self::AccountsPersonType,
        Self::PersonsPersonalTaxId,
        Self::AccountsBusinessTaxId,
        Self::EmailVerificationTokensHash,
        Self::BankAccountsNumber,
    ];

    /// The index's name in both migration sets; PostgreSQL reports it as the violated constraint.
    pub fn name(self) -> &'static str {
        match self {
            Self::PersonsEmail => "persons_email",
            Self::LoginsEmail => "logins_email",
            Self::LoginsPerson => "logins_person",
            Self::AccountsSlug => "accounts_slug",
            Self::AccountsPersonType => "accounts_person_type",
            Self::PersonsPersonalTaxId => "persons_personal_tax_id",
            Self::AccountsBusinessTaxId => "accounts_business_tax_id",
            Self::EmailVerificationTokensHash => "email_verification_tokens_hash",
            Self::BankAccountsNumber => "bank_accounts_number",
        }
    }

    /// How SQLite names the violation: `table.column` for an index on columns, `index 'name'` for an index on
    /// an expression.
    fn sqlite_subject(self) -> &'static str {
        match self {
            Self::PersonsEmail => "persons.email",
            Self::LoginsEmail => "logins.email",
            Self::LoginsPerson => "logins.person_id",
            Self::AccountsSlug => "index 'accounts_slug'",
            Self::AccountsPersonType => "accounts.person_id, accounts.account_type",
            Self::PersonsPersonalTaxId => "persons.personal_tax_id_digest",
            Self::AccountsBusinessTaxId => "accounts.country, accounts.business_tax_id_digest",
            Self::EmailVerificationTokensHash => "email_verification_tokens.token_hash",
            Self::BankAccountsNumber => "bank_accounts.account_id, bank_accounts.number_digest",
        }
    }
}

/// The unique index a failed statement violated. `None` for any other error, and for a unique violation of
/// an index this list does not know: callers answer those as internal errors, never as a wrong refusal.
pub fn violated_unique_index(error: &Error) -> Option<UniqueIndex> {
    let Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) = error else { return None };
    if let Some(constraint) = info.constraint_name() {
        return UniqueIndex::ALL.into_iter().find(|index| index.name() == constraint);
    }
    let subject = info.message().strip_prefix("UNIQUE constraint failed: ")?;
    UniqueIndex::ALL.into_iter().find(|index| index.sqlite_subject() == subject)
}
