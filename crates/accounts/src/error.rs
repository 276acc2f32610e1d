use auth::AuthError;
use kernel::{ApiError, ContractError, Currency};

use crate::SlugError;

/// Refusals of the accounts domain, each with its contract code.
#[derive(Debug)]
pub enum AccountsError {
    /// I-4101: the session's person or account no longer exists.
    SessionGone,
    /// I-4204
    InvalidEmail,
    /// I-4203
    WeakPassword,
    /// I-4316
    CountryNotSupported,
    /// I-4740
    CurrencyNotSupported(Currency),
    /// I-4201
    InvalidSignupCode,
    /// I-4202
    EmailTaken,
    /// I-4430: the current account is DISABLED (or closed).
    AccountDisabled,
    /// I-4402
    AccountLimitReached,
    /// I-4403
    AccountTypeExists,
    /// I-4408
    DeactivationReason,
    /// E-7004
    IncorrectPassword,
    /// I-4104
    InvalidLink,
    /// I-4405: the person has an identity document attached already.
    DocumentAlreadyUploaded,
    /// I-4420: the applicant id is not one embedOnfido created for this person.
    NoSuchApplicant,
    /// I-4421: the identity provider has no document captured for the applicant.
    NoDocumentCaptured,
    /// I-2001: the current account has no setup session.
    NoSetupSession,
    /// I-2002: createAccountSetupSession on an account that is not NOT_SETUP.
    AlreadySetUp,
    /// I-2003: the required fields still empty, in the order of submitAccountSetupSession's table.
    SetupIncomplete(Vec<&'static str>),
    /// I-4302: the setup was submitted already, or a tax id is now held by someone else.
    UserExists,
    /// I-4303: a date-only field with a time of day.
    InvalidDate,
    /// I-4306, I-4307, I-4308, I-4317: isValidSlug rules 1–4.
    InvalidSlug(SlugError),
    /// I-4309
    HandleExists,
    /// I-4310: the setup session passed its `expiresAt`.
    SetupSessionExpired,
    /// I-4311
    BusinessTaxIdTaken,
    /// I-4312
    PersonalTaxIdTaken,
    /// I-4314: the financial provider refused the account's data.
    AccountSetupRefused,
    /// I-4315
    CountryFixed,
    /// I-4318
    InvalidPersonalTaxId,
    /// I-4319
    InvalidBusinessTaxId,
    /// I-4320
    IdentificationTypeUnavailable,
    /// I-4321
    TaxIdTypeMismatch,
    /// I-4322
    InvalidIncorporationZone,
    /// I-4325
    InvalidBusinessType,
    /// I-4326
    InvalidIndustry,
    /// I-4327
    InvalidJobTitle,
    /// I-4328
    TooYoung,
    /// I-4329
    InvalidDateOfBirth,
    /// I-4330: `field` is longer than `max` or has control characters.
    TextLength {
        field: &'static str,
        max: u32,
    },
    /// I-4331
    Negative(&'static str),
    /// I-4332
    BusinessOnlyField(&'static str),
    /// I-4413: updateAccount before the setup was submitted.
    SetupUnfinished,
    /// I-4414: the account has a handle already.
    HandleFixed,
    /// I-4105: a business-only input on a PERSONAL account.
    BusinessOnly,
    /// I-4431
    InvalidRedirectUrl,
    /// I-4901: a login has the invited address.
    InviteeHasAccount,
    /// I-4434
    NothingWaitingForEmail,
    /// I-4433
    InvitationAlreadySent,
    /// I-4432
    TooManyInvitations,
    /// E-7101: the mail transport refused the invitation; `reason` is its own short text.
    InvitationNotSent {
        email: kernel::Email,
        reason: String,
    },
    /// I-4415
    InvalidPhone,
    /// I-4416
    InvalidDisplayName,
    /// I-4417
    InvalidAddress,
    /// I-4418
    InvalidZoneCode,
    /// I-4419
    InvalidPostalCode,
    /// I-4736
    TooManyDecimals(Currency),
    /// I-4404: an officer without a name, or a CEO without a job title.
    OfficerDataIncomplete,
    /// I-4334
    InvalidOwnership,
    /// I-4335
    OwnershipOver100,
    /// I-4336
    UboOwnershipTooLow,
    /// I-4337
    CeoExists,
    /// I-4344
    DocumentExpired,
    /// I-4406
    OfficersAlreadySubmitted,
    /// I-4338
    SetupNotSubmitted,
    /// I-4339
    OfficerDataMissing,
    /// I-4340
    CeoMissing,
    /// I-4409
    OfficerChecksPending,
    /// I-4343
    OfficerDocumentRejected,
    /// I-4410: the id is not an account of the logged-in person (unknown, malformed or another person's).
    NotYourAccount,
    /// I-4411: switching to an account of the person that is DEACTIVATED.
    AccountDeactivated,
    /// I-5103
    NoAccountForHandle,
    /// I-5104
    NoBusinessForHandle,
    /// I-5105: the business holding the handle is DEACTIVATED or DISABLED.
    NotAValidAccount,
    /// E-0014: the financial provider refused the person's new personal tax id.
    FinancialInstitutionRefused,
    /// I-4501
    BankInputsBoth,
    /// I-4503
    BankInputsNeither,
    /// I-4502: manual data with an empty required text, or a linked account the bank needs more for.
    BankNeedsInfo,
    /// I-4506
    BankCountryCurrencyMismatch,
    /// I-4507
    InvalidRoutingNumber,
    /// I-4508
    InvalidAccountNumber,
    /// I-4509
    InvalidIban,
    /// I-4510
    BankAccountExists,
    /// I-4504
    TooManyBankAccounts,
    /// I-4511
    NoSuchLinkedBankAccount,
    /// I-4407: no bank account with this id belongs to the current account.
    NoSuchBankAccount,
    /// I-4412
    BankAccountFailed,
    Internal(anyhow::Error),
}

impl From<AccountsError> for ApiError {
    fn from(error: AccountsError) -> Self {
        let refusal = match error {
            AccountsError::SessionGone => ContractError::SessionGone,
            AccountsError::InvalidEmail => ContractError::InvalidEmail,
            AccountsError::WeakPassword => ContractError::WeakPassword,
            AccountsError::CountryNotSupported => ContractError::CountryNotSupported,
            AccountsError::CurrencyNotSupported(currency) => ContractError::CurrencyNotSupported { currency },
            AccountsError::InvalidSignupCode => ContractError::InvalidSignupCode,
            AccountsError::EmailTaken => ContractError::EmailTaken,
            AccountsError::AccountDisabled => ContractError::AccountDisabled,
            AccountsError::AccountLimitReached => ContractError::AccountLimitReached,
            AccountsError::AccountTypeExists => ContractError::AccountTypeExists,
            AccountsError::DeactivationReason => ContractError::DeactivationReason,
            AccountsError::IncorrectPassword => ContractError::IncorrectPassword,
            AccountsError::InvalidLink => ContractError::InvalidLink,
            AccountsError::DocumentAlreadyUploaded => ContractError::DocumentAlreadyUploaded,
            AccountsError::NoSuchApplicant => ContractError::NoSuchApplicant,
            AccountsError::NoDocumentCaptured => ContractError::NoDocumentCaptured,
            AccountsError::NoSetupSession => ContractError::NoSetupSession,
            AccountsError::AlreadySetUp => ContractError::AlreadySetUp,
            AccountsError::SetupIncomplete(fields) => ContractError::SetupIncomplete { fields: fields.join(", ") },
            AccountsError::UserExists => ContractError::UserExists,
            AccountsError::InvalidDate => ContractError::InvalidDate,
            AccountsError::InvalidSlug(error) => ContractError::from(error),
            AccountsError::HandleExists => ContractError::HandleExists,
            AccountsError::SetupSessionExpired => ContractError::SetupSessionExpired,
            AccountsError::BusinessTaxIdTaken => ContractError::BusinessTaxIdTaken,
            AccountsError::PersonalTaxIdTaken => ContractError::PersonalTaxIdTaken,
            AccountsError::AccountSetupRefused => ContractError::AccountSetupRefused,
            AccountsError::CountryFixed => ContractError::CountryFixed,
            AccountsError::InvalidPersonalTaxId => ContractError::InvalidPersonalTaxId,
            AccountsError::InvalidBusinessTaxId => ContractError::InvalidBusinessTaxId,
            AccountsError::IdentificationTypeUnavailable => ContractError::IdentificationTypeUnavailable,
            AccountsError::TaxIdTypeMismatch => ContractError::TaxIdTypeMismatch,
            AccountsError::InvalidIncorporationZone => ContractError::InvalidIncorporationZone,
            AccountsError::InvalidBusinessType => ContractError::InvalidBusinessType,
            AccountsError::InvalidIndustry => ContractError::InvalidIndustry,
            AccountsError::InvalidJobTitle => ContractError::InvalidJobTitle,
            AccountsError::TooYoung => ContractError::TooYoung,
            AccountsError::InvalidDateOfBirth => ContractError::InvalidDateOfBirth,
            AccountsError::TextLength { field, max } => ContractError::TextLength { field, max },
            AccountsError::Negative(field) => ContractError::Negative { field },
            AccountsError::BusinessOnlyField(field) => ContractError::BusinessOnlyField { field },
            AccountsError::SetupUnfinished => ContractError::SetupUnfinished,
            AccountsError::HandleFixed => ContractError::HandleFixed,
            AccountsError::BusinessOnly => ContractError::BusinessOnly,
            AccountsError::InvalidRedirectUrl => ContractError::InvalidRedirectUrl,
            AccountsError::InviteeHasAccount => ContractError::InviteeHasAccount,
            AccountsError::NothingWaitingForEmail => ContractError::NothingWaitingForEmail,
            AccountsError::InvitationAlreadySent => ContractError::InvitationAlreadySent,
            AccountsError::TooManyInvitations => ContractError::TooManyInvitations,
            AccountsError::InvitationNotSent { email, reason } => {
                ContractError::InvitationNotSent { email: email.as_str().to_owned(), reason }
            }
            AccountsError::InvalidPhone => ContractError::InvalidPhone,
            AccountsError::InvalidDisplayName => ContractError::InvalidDisplayName,
            AccountsError::InvalidAddress => ContractError::InvalidAddress,
            AccountsError::InvalidZoneCode => ContractError::InvalidZoneCode,
            AccountsError::InvalidPostalCode => ContractError::InvalidPostalCode,
            AccountsError::TooManyDecimals(currency) => ContractError::TooManyDecimals { currency },
            AccountsError::OfficerDataIncomplete => ContractError::OfficerDataIncomplete,
            AccountsError::InvalidOwnership => ContractError::InvalidOwnership,
            AccountsError::OwnershipOver100 => ContractError::OwnershipOver100,
            AccountsError::UboOwnershipTooLow => ContractError::UboOwnershipTooLow,
            AccountsError::CeoExists => ContractError::CeoExists,
            AccountsError::DocumentExpired => ContractError::DocumentExpired,
            AccountsError::OfficersAlreadySubmitted => ContractError::OfficersAlreadySubmitted,
            AccountsError::SetupNotSubmitted => ContractError::SetupNotSubmitted,
            AccountsError::OfficerDataMissing => ContractError::OfficerDataMissing,
            AccountsError::CeoMissing => ContractError::CeoMissing,
            AccountsError::OfficerChecksPending => ContractError::OfficerChecksPending,
            AccountsError::OfficerDocumentRejected => ContractError::OfficerDocumentRejected,
            AccountsError::BankInputsBoth => ContractError::BankInputsBoth,
            AccountsError::BankInputsNeither => ContractError::BankInputsNeither,
            AccountsError::BankNeedsInfo => ContractError::BankNeedsInfo,
            AccountsError::BankCountryCurrencyMismatch => ContractError::BankCountryCurrencyMismatch,
            AccountsError::InvalidRoutingNumber => ContractError::InvalidRoutingNumber,
            AccountsError::InvalidAccountNumber => ContractError::InvalidAccountNumber,
            AccountsError::InvalidIban => ContractError::InvalidIban,
            AccountsError::BankAccountExists => ContractError::BankAccountExists,
            AccountsError::TooManyBankAccounts => ContractError::TooManyBankAccounts,
            AccountsError::NoSuchLinkedBankAccount => ContractError::NoSuchLinkedBankAccount,
            AccountsError::NoSuchBankAccount => ContractError::NoSuchBankAccount,
            AccountsError::BankAccountFailed => ContractError::BankAccountFailed,
            AccountsError::NotYourAccount => ContractError::NotYourAccount,
            AccountsError::AccountDeactivated => ContractError::AccountDeactivated,
            AccountsError::NoAccountForHandle => ContractError::NoAccountForPayMeHandle,
            AccountsError::NoBusinessForHandle => ContractError::NoBusinessForHandle,
            AccountsError::NotAValidAccount => ContractError::NotAValidAccount,
            AccountsError::FinancialInstitutionRefused => ContractError::FinancialInstitutionRefused,
            AccountsError::Internal(cause) => return ApiError::Internal(cause),
        };
        refusal.into()
    }
}

/// The refusals of auth that an accounts operation passes on, converted at the door so errors never nest.
impl From<AuthError> for AccountsError {
    fn from(error: AuthError) -> Self {
        match error {
            AuthError::EmailTaken => Self::EmailTaken,
            AuthError::InvalidLink => Self::InvalidLink,
            AuthError::WeakPassword => Self::WeakPassword,
            AuthError::InvalidEmail => Self::InvalidEmail,
            AuthError::InvalidCredentials
            | AuthError::TooManyFailures
            | AuthError::EmailAlreadyVerified
            | AuthError::VerificationEmailTooSoon
            | AuthError::IncorrectCredentials
            | AuthError::SamePassword
            | AuthError::PasswordNotStored => {
                Self::Internal(anyhow::anyhow!("a refusal of auth that no accounts operation passes on: {error:?}"))
            }
            AuthError::Internal(cause) => Self::Internal(cause),
        }
    }
}

impl From<anyhow::Error> for AccountsError {
    fn from(cause: anyhow::Error) -> Self {
        Self::Internal(cause)
    }
}

impl From<store::DbError> for AccountsError {
    fn from(cause: store::DbError) -> Self {
        Self::Internal(cause.into())
    }
}
