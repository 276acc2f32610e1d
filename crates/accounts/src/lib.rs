//! Accounts and the persons who own them, and the operations that open, pick or change an account for a login
//! (sign-up, login, a second account, deactivation): auth checks the credentials, this crate decides the
//! accounts.
//!
//! Public API: the configuration ([`AccountsConfig`]); the services ([`sign_up`], [`log_in_to_account`],
//! [`add_account_to_person`], [`deactivate_account`], [`confirm_email`], the setup session and company
//! officers); the records and their reads ([`Account`], [`Person`], [`find_account`], [`find_person`],
//! [`landing_account`], [`count_accounts`]); the guard of every account change ([`require_open_account`]) and
//! the status rules ([`evaluate_verified`], [`disable_account`], [`enable_account`]); the reference data and
//! validators (handles, tax ids and their keyed digests); the identity provider and its job; the operator
//! commands; and behind the `graphql` feature the GraphQL objects ([`graphql`]).

mod account;
mod account_list;
mod account_update;
mod add_account;
mod bank_accounts;
mod company_officers;
mod config;
mod countries;
mod deactivation;
mod email_confirmation;
mod error;
#[cfg(feature = "graphql")]
pub mod graphql;
mod identity;
mod invitations;
mod lifecycle;
mod login;
mod officer_list;
mod operator_commands;
mod payees;
mod person;
mod person_update;
mod public_account;
mod reference;
mod scheduled_international;
mod setup_session;
mod signup;
mod statuses;
mod switch;
mod taken;
mod trade_party;
mod validators;

pub use account::{
    Account, AccountReads, NewAccount, check_new_account, count_accounts, create_person_and_account, find_account,
    landing_account, require_open_account,
};
pub use account_list::list_accounts;
pub use account_update::{AccountUpdate, update_account};
pub use add_account::add_account_to_person;
pub use bank_accounts::{
    AddBankAccount, BankAccount, BankAccountStatus, BankAccountType, BankLinkFixtures, BankLinkProvider, BankNumbers,
    BankVerifications, InvalidBankNumbers, LinkedBankAccount, LocalBankLinkProvider, MAX_BANK_ACCOUNTS, ManualBankData,
    StartedVerification, VerificationOutcome, add_bank_account, balance_is_stale, bank_accounts, bank_link_provider,
    change_preferred_bank_account,
};
pub use company_officers::{
    CompanyOfficerType, IdDocumentType, NewDocument, NewOfficer, add_company_officer, can_submit_company_officers,
    submit_company_officers,
};
pub use config::AccountsConfig;
pub use countries::supported_countries;
pub use countries::{CountryInfo, countries, country_info};
pub use deactivation::{AfterDeactivation, deactivate_account};
pub use email_confirmation::confirm_email;
pub use error::AccountsError;
pub use identity::{
    Applicant, CheckOutcome, CheckProgress, CheckSubject, HttpIdentityProvider, IdentityChecks, IdentityDocument,
    IdentityProvider, IdentityProviderKind, IdentitySubject, LocalIdentityProvider, PendingCheck, StartedCheck,
    VerificationPage, attach_identity_document, embed_onfido, identity_provider, issue_verification_link,
    verification_page,
};
pub use invitations::{InvitationKind, Waiting, WaitingForEmail, send_invitation};
pub use kernel::AccountType;
pub use lifecycle::{
    OperatorRefusal, disable_account, enable_account, evaluate_verified, evaluate_verified_for_login,
    funding_balance_credited,
};
pub use login::log_in_to_account;
pub use officer_list::{CompanyOfficer, company_officers};
pub use operator_commands::{DisableAccount, EnableAccount, ScheduledInternational};
pub use payees::{
    Payee, PayeeByEmail, PreferredBankAccount, SettlementBankAccount, accounts_that_can_receive, locked_payee, payee,
    payee_by_email, payee_by_slug, preferred_bank_account, scheduled_international, settlement_bank_account,
};
pub use person::{Person, find_person};
pub use person_update::{PersonUpdate, update_person};
pub use public_account::{PublicAccount, public_account, public_account_by_slug, public_accounts};
pub use reference::{
    BusinessType, IdentificationType, NAICS_DEFAULT_FIRST, NaicsCode, NaicsFirstOutOfRange, ZoneCode, business_type,
    business_types, identification_type, identification_types, is_naics_code, is_zone_code, is_zone_of, job_title,
    job_titles, naics_codes, naics_search, zone_codes,
};
pub use scheduled_international::set_scheduled_international;
pub use setup_session::{
    Patch, SetupSession, SetupSessionUpdate, create_setup_session, setup_session, submit_setup_session,
    update_setup_session,
};
pub use signup::{AtSignUp, SignUp, sign_up};
pub use statuses::{AccountStatus, IdentityCheckStatus};
pub use switch::switch_account;
pub use taken::{
    business_tax_id_taken, personal_tax_id_taken, record_business_tax_id, record_personal_tax_id, slug_taken,
};
pub use trade_party::{TradePartyAccount, trade_party_account};
pub use validators::{
    BusinessTaxId, BusinessTaxIdKind, InvalidBusinessTaxId, InvalidPersonalTaxId, PersonalTaxId, PersonalTaxIdKind,
    Slug, SlugError, TaxIdKey, tax_id_key,
};
