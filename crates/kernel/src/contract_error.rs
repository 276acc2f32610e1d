//! The one registry of the contract's error codes (spec/errors.md): each code, its message and the values
//! the message is filled with are written once, here, and nowhere else in the workspace.

use std::fmt;

use crate::Currency;

/// Entry syntax: `Name { field: Type => "<placeholder>", extra: Type } = "CODE", "template";`.
///
/// A field with `=> "<placeholder>"` fills that placeholder of the template; a field without it is data for
/// GraphQL `extensions` only. Keeping the code, the text and the fields on one line means they cannot drift
/// apart, and REGISTRY lets a test compare the whole table with errors.md.
macro_rules! contract_errors {
    ($(
        $(#[$meta:meta])*
        $name:ident $({ $($field:ident: $ty:ty $(=> $placeholder:literal)?),+ $(,)? })? = $code:literal, $template:literal;
    )+) => {
        /// A refusal or failure of the contract, with the values its message needs.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum ContractError {
            $($(#[$meta])* $name $({ $($field: $ty),+ })?,)+
        }

        impl ContractError {
            /// Every (code, template), in the order of errors.md.
            pub const REGISTRY: &'static [(&'static str, &'static str)] = &[$(($code, $template)),+];

            pub fn code(&self) -> &'static str {
                match self {
                    $(Self::$name { .. } => $code,)+
                }
            }

            pub fn template(&self) -> &'static str {
                match self {
                    $(Self::$name { .. } => $template,)+
                }
            }

            /// The text clients see (without the code), every placeholder filled in.
            pub fn message(&self) -> String {
                match self {
                    $(
                        // Extension-only fields are bound by the pattern but have no placeholder to fill.
                        #[allow(unused_variables)]
                        Self::$name $({ $($field),+ })? => render(
                            $template,
                            &[$($($(($placeholder, $field as &dyn fmt::Display),)?)+)?],
                        ),
                    )+
                }
            }
        }
    };
}

/// Fills the placeholders in one pass, so a value that itself looks like `<field>` is never expanded again.
fn render(template: &str, values: &[(&str, &dyn fmt::Display)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        match values.iter().find(|(placeholder, _)| rest.starts_with(placeholder)) {
            Some((placeholder, value)) => {
                out.push_str(&value.to_string());
                rest = &rest[placeholder.len()..];
            }
            None => {
                out.push('<');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

contract_errors! {
    /// An unexpected failure; the cause goes to the log only.
    Internal { request_id: String => "<request id>" } = "E-0000", "Something went wrong. Reference: <request id>";
    /// The financial provider refused the new personal tax id.
    FinancialInstitutionRefused = "E-0014", "Financial Institution Request error";
    /// The refund was made but its email to the payer could not be handed over.
    RefundEmailNotSent { refund_id: String } = "E-6009", "Error sending beneficiary refund processing email";
    /// `oldPassword` is wrong (the first four times in a row in one session).
    IncorrectCredentials = "E-7001", "Incorrect credentials.";
    /// Storing the new password hash failed.
    PasswordNotStored { reason: String => "<reason>" } = "E-7002", "Failed to update password through Auth0: <reason>";
    /// The password given to deactivate the account is not the login's.
    IncorrectPassword = "E-7004", "The password you entered is incorrect.";
    /// A failed login, or the fifth wrong `oldPassword` in a row in one session.
    InvalidCredentials = "E-7006", "Invalid email or password. Please try again.";
    /// The mail transport refused the invitation or registration email.
    InvitationNotSent { email: String => "<email>", reason: String => "<reason>" } = "E-7101",
        "Could not send invitation email to <email>: <reason>";
    /// The current account has no setup session.
    NoSetupSession = "I-2001", "This is not a valid account setup session";
    /// The current account is no longer NOT_SETUP.
    AlreadySetUp = "I-2002", "This account has already been set up.";
    /// Required setup fields are empty; `<fields>` lists them, separated by `, `.
    SetupIncomplete { fields: String => "<fields>" } = "I-2003",
        "Account setup is missing required information: <fields>.";
    /// No webhook of the current account has this id.
    NoSuchWebhook = "I-2201", "There is no webhook with this id.";
    /// The test event could not be delivered.
    TestWebhookFailed { reason: String, status: Option<u16> } = "I-2202w",
        "Trouble posting test webhook to your system";
    /// `webhookEndpoint` is not an acceptable absolute http(s) URL.
    InvalidWebhookUrl = "I-2203", "This is not a valid webhook URL.";
    /// An `http` webhook URL while private targets are not allowed.
    WebhookNeedsHttps = "I-2204", "Webhook URLs must use https.";
    /// The webhook host has a private, local or reserved address.
    WebhookTargetPrivate = "I-2205", "Webhook URLs must not point to a private or local network address.";
    /// The webhook host resolves to no address.
    WebhookHostNotFound = "I-2206", "The webhook URL's host could not be found.";
    /// The account already has the maximum number of active webhooks.
    TooManyWebhooks = "I-2207", "You have reached the maximum number of webhooks.";
    /// No live session; checked before anything else.
    NotLoggedIn = "I-4100", "You must be logged in.";
    /// The session's login or person no longer exists.
    SessionGone = "I-4101", "Invalid email or password. Please try again.";
    /// Too many failed logins for this email in the failure window.
    TooManyLoginFailures = "I-4102", "Too many failed login attempts. Please try again later.";
    /// A reset or verification token is unknown, used, superseded or expired.
    InvalidLink = "I-4104", "This link is invalid or has expired.";
    /// The current account is PERSONAL and the operation needs a business one.
    BusinessOnly = "I-4105", "This is only available to business accounts.";
    /// `newPassword` equals `oldPassword`.
    SamePassword = "I-4106", "The new password must be different from the current password.";
    /// BUSINESS sign-up without a configured sign-up code.
    InvalidSignupCode = "I-4201", "Invalid sign-up code provided.";
    /// A login with this email already exists.
    EmailTaken = "I-4202", "This email already has an account. Sign in to add another.";
    /// The new password breaks the password rule.
    WeakPassword = "I-4203",
        "Password must be at least 8 characters long and contain an upper-case letter, a lower-case letter and a digit.";
    /// The email does not have the form `local@domain`.
    InvalidEmail = "I-4204", "This is not a valid email address.";
    /// The setup was already submitted, or its tax id is now held by someone else.
    UserExists = "I-4302", "A user already exists in our system with this information.";
    /// A date-only field has a time of day other than midnight UTC.
    InvalidDate = "I-4303", "This is not a valid date. Must strictly match format: YYYY-MM-DD";
    /// The slug has a character other than ASCII letters and digits.
    HandleFormat = "I-4306", "Invalid Handle: Handle format is incorrect";
    /// The slug has fewer than 3 characters.
    HandleTooShort = "I-4307", "Invalid Handle: Handle must be 3 or more characters";
    /// The slug has more than 24 characters.
    HandleTooLong = "I-4308", "Invalid Handle: Handle must be less than 25 characters";
    /// Setting a slug that another account holds.
    HandleExists = "I-4309", "A user with this @handle already exists.";
    /// The setup session has passed its `expiresAt`.
    SetupSessionExpired = "I-4310", "Session expired.";
    /// Another account holds this business tax id for the same country.
    BusinessTaxIdTaken = "I-4311", "This business tax id is already taken.";
    /// Another person holds this personal tax id for the same country.
    PersonalTaxIdTaken = "I-4312", "This personal tax id is already taken.";
    /// isValidSlug: another account holds this slug.
    HandleTaken = "I-4313", "This PayMe Handle is already taken.";
    /// The financial provider refused the account's data.
    AccountSetupRefused = "I-4314", "There was an error setting up your account.";
    /// `country` differs from the account's country.
    CountryFixed = "I-4315", "The country of an account is chosen at sign-up and cannot be changed.";
    /// `country` is not in `SUPPORTED_COUNTRIES`.
    CountryNotSupported = "I-4316", "Accounts cannot be opened in this country yet.";
    /// The slug is a reserved word.
    HandleReserved = "I-4317", "This PayMe Handle is reserved.";
    /// The personal tax id breaks the country's rule.
    InvalidPersonalTaxId = "I-4318", "This personal tax id is not valid for the account's country.";
    /// The business tax id breaks the country's rule.
    InvalidBusinessTaxId = "I-4319", "This business tax id is not valid for the account's country.";
    /// `identificationType` is not offered for the account's country and type.
    IdentificationTypeUnavailable = "I-4320", "This identification type is not available for this account.";
    /// US PERSONAL: the tax id's shape does not match SSN or ITIN as chosen.
    TaxIdTypeMismatch = "I-4321", "The tax id does not match the identification type.";
    /// `zoneCodeOfIncorporation` is not an ISO 3166-2 code.
    InvalidIncorporationZone = "I-4322", "This is not a valid zone code of incorporation.";
    /// `businessType` is neither a value nor a label of businessTypes.
    InvalidBusinessType = "I-4325", "This is not a valid business type.";
    /// `industry` is not a six-digit NAICS 2022 code.
    InvalidIndustry = "I-4326", "This is not a valid NAICS 2022 industry code.";
    /// `jobTitle` is not a title of jobTitles.
    InvalidJobTitle = "I-4327", "This is not a valid job title.";
    /// `dateOfBirth` is less than 18 years before today.
    TooYoung = "I-4328", "You must be at least 18 years old.";
    /// `dateOfBirth` is after today or before 1900-01-01.
    InvalidDateOfBirth = "I-4329", "Date of birth must be in the past and not before 1900-01-01.";
    /// A text field is too long or has control characters.
    TextLength { field: &'static str => "<field>", max: u32 => "<max>" } = "I-4330",
        "<field> must be 1 to <max> characters long.";
    /// A count or volume field is below 0.
    Negative { field: &'static str => "<field>" } = "I-4331", "<field> cannot be negative.";
    /// A business field set on a PERSONAL account's setup session.
    BusinessOnlyField { field: &'static str => "<field>" } = "I-4332", "<field> can only be set for business accounts.";
    /// naics: `first` is below 1 or above 500.
    NaicsFirstOutOfRange = "I-4333", "first must be between 1 and 500.";
    /// `percentOfOwnership` is outside 0–100 or has more than two decimals.
    InvalidOwnership = "I-4334", "Percent of ownership must be a number from 0 to 100 with at most two decimals.";
    /// The officers' ownership would sum to more than 100.
    OwnershipOver100 = "I-4335", "Company officers cannot own more than 100% of the business in total.";
    /// A UBO owns less than 25%.
    UboOwnershipTooLow = "I-4336", "A UBO must own at least 25% of the business.";
    /// A CEO is added while another CEO is recorded.
    CeoExists = "I-4337", "This account already has a CEO.";
    /// Company officers before the account setup was submitted.
    SetupNotSubmitted = "I-4338", "Submit your account setup before submitting company officers.";
    /// An officer has no date of birth or no identity document.
    OfficerDataMissing = "I-4339", "Every company officer needs a date of birth and an identity document.";
    /// No officer of type CEO.
    CeoMissing = "I-4340", "Add the company's CEO before submitting company officers.";
    /// The login's email is already verified.
    EmailAlreadyVerified = "I-4341", "This email address is already verified.";
    /// The last verification email went out less than the resend interval ago.
    VerificationEmailTooSoon = "I-4342",
        "A verification email was sent less than a minute ago. Please wait before asking again.";
    /// An officer's identity check was REJECTED.
    OfficerDocumentRejected = "I-4343",
        "The identity document of a company officer was rejected. Add that officer again with another document.";
    /// `uploadedId.expiryDate` is before today.
    DocumentExpired = "I-4344", "This identity document has expired.";
    /// The person already has a PERSONAL and a BUSINESS account.
    AccountLimitReached = "I-4402", "You have reached your limit for accounts with this email.";
    /// The person already has an account of the requested type.
    AccountTypeExists = "I-4403", "You have already created an account of this account type.";
    /// The officer has no name, or is a CEO without `jobTitle`.
    OfficerDataIncomplete = "I-4404", "All required data not given for this officer.";
    /// The person already has an identity document attached.
    DocumentAlreadyUploaded = "I-4405", "This user already has an uploaded id!";
    /// submitCompanyOfficers already succeeded for the account.
    OfficersAlreadySubmitted = "I-4406", "Company officer info has already been submitted.";
    /// No bank account with this id belongs to the current account.
    NoSuchBankAccount = "I-4407", "Bank account does not exist on your account.";
    /// The deactivation `reason` is empty or longer than 500 characters.
    DeactivationReason = "I-4408", "A reason of 1 to 500 characters is required to deactivate the account.";
    /// An officer's identity check is still PENDING.
    OfficerChecksPending = "I-4409", "Company officer IDs are still being processed.";
    /// The id is not an account of the logged-in person.
    NotYourAccount = "I-4410", "You do not own this account.";
    /// switchAccounts to a DEACTIVATED account.
    AccountDeactivated = "I-4411", "This account has been deactivated.";
    /// The bank account to prefer has status FAILED.
    BankAccountFailed = "I-4412", "This bank account failed verification and cannot be preferred.";
    /// updateAccount while the current account is NOT_SETUP.
    SetupUnfinished = "I-4413", "Finish setting up your account before changing it.";
    /// `slug` given while the account already has one.
    HandleFixed = "I-4414", "Your PayMe Handle cannot be changed once it is set.";
    /// The phone is not valid for the phone country.
    InvalidPhone = "I-4415", "This is not a valid phone number for the selected country.";
    /// `displayName` is too long, has control characters, or is null.
    InvalidDisplayName = "I-4416", "Display name must be 1 to 64 characters long.";
    /// An address field is too long, has control characters, or is missing.
    InvalidAddress = "I-4417",
        "Address line 1 and city cannot be empty, and no address field may exceed 100 characters.";
    /// `zoneCode` is not a zone of the account's country.
    InvalidZoneCode = "I-4418", "This is not a valid zone code for your country.";
    /// `postalCode` breaks the account country's format.
    InvalidPostalCode = "I-4419", "This is not a valid postal code for your country.";
    /// `applicantId` was not created by embedOnfido for this person.
    NoSuchApplicant = "I-4420", "No identity check was started with this applicant id.";
    /// The verification provider has no document for the applicant.
    NoDocumentCaptured = "I-4421", "No identity document has been captured for this applicant yet.";
    /// The current account is DISABLED.
    AccountDisabled = "I-4430", "This account is disabled. Please contact support.";
    /// `redirectUrl` is not an acceptable absolute https URL.
    InvalidRedirectUrl = "I-4431", "Redirect URL must be an absolute https URL of at most 2048 characters.";
    /// The account sent its daily allowance of invitation emails.
    TooManyInvitations = "I-4432", "You have sent too many invitations in the last 24 hours. Please try again later.";
    /// This address was already invited in the last 24 hours.
    InvitationAlreadySent = "I-4433", "An invitation was already sent to this email address in the last 24 hours.";
    /// No open payment request or claim payment of the account for this email.
    NothingWaitingForEmail = "I-4434",
        "Your account has no payment request or claim payment waiting for this email address.";
    /// Both `yodleeBankAccountId` and `manualBankData` given.
    BankInputsBoth = "I-4501", "Provide either yodleeBankAccountId or manualBankData, not both.";
    /// Manual bank data is incomplete, or the linked account needs more data.
    BankNeedsInfo = "I-4502", "Bank needs additional info.";
    /// Neither `yodleeBankAccountId` nor `manualBankData` given.
    BankInputsNeither = "I-4503", "You must provide either yodleeBankAccountId or manualBankData.";
    /// The account already has 10 bank accounts.
    TooManyBankAccounts = "I-4504", "You cannot add more than 10 bank accounts to an account.";
    /// The bank account's country or currency differs from the account's.
    BankCountryCurrencyMismatch = "I-4506", "The bank account's country and currency must match your account's.";
    /// Manual `routingNumber` breaks the country's rule.
    InvalidRoutingNumber = "I-4507", "This is not a valid routing number.";
    /// Manual `accountNumber` breaks the country's rule.
    InvalidAccountNumber = "I-4508", "This is not a valid account number.";
    /// An IBAN country's account number is not a valid IBAN.
    InvalidIban = "I-4509", "This is not a valid IBAN.";
    /// The manual bank account is already on the current account.
    BankAccountExists = "I-4510", "This bank account has already been added.";
    /// The bank-link provider does not know `yodleeBankAccountId`.
    NoSuchLinkedBankAccount = "I-4511", "No linked bank account exists with this id.";
    /// No payment request with this id is visible to the caller.
    PaymentRequestInaccessible = "I-4602", "There was an error accessing the payment request.";
    /// The request is not addressed to the caller or is no longer REQUESTED.
    DeclineNotAllowed = "I-4603", "You do not have permission to decline this payment request.";
    /// The request has no addressee email (a pay-me request).
    RequestHasNoRecipient = "I-4604", "This payment request does not have a recipient.";
    /// `toEmail` is the caller's own login email.
    RequestFromSelf = "I-4605", "You cannot request a payment from yourself.";
    /// The request's currency is not the current account's.
    RequestCurrency = "I-4606", "Payment requests must be in your account's currency.";
    /// The request's status is not REQUESTED.
    RequestNotOpen = "I-4607", "This payment request is no longer open.";
    /// The request was already resent the maximum number of times.
    RequestResentTooOften = "I-4608", "This payment request has been resent too many times.";
    /// Every account of the addressee's login is DEACTIVATED or DISABLED.
    EmailCannotReceiveRequests = "I-4610", "This email cannot receive payment requests.";
    /// Both `toEmail` and `toSlug` given.
    EmailAndHandle = "I-4701", "Do not provide both Email and Handle";
    /// Neither `toEmail` nor `toSlug` given.
    NoEmailOrHandle = "I-4702", "You must provide either an email or a handle.";
    /// createPaymentSession: the recipient is the caller.
    PaySelf = "I-4703", "You cannot pay yourself.";
    /// No login has this email (and payments to new emails are off).
    NoAccountForEmail { email: String => "<email>" } = "I-4704", "No account exists for email: <email>";
    /// No payment session, or it has not been priced yet.
    SessionNotSubmittable = "I-4710", "This is not a valid session.";
    /// The session pays a request that is no longer REQUESTED.
    RequestNotValid = "I-4711", "This payment request is not valid.";
    /// updatePaymentSession without a payment session.
    NoPaymentSessionToUpdate = "I-4713", "Invalid session id";
    /// updateQuote without a payment session.
    NoPaymentSessionToQuote = "I-4714", "Invalid session id";
    /// updateQuote before updatePaymentSession priced the session.
    PaymentNotDefined = "I-4715", "You can only update the quote if the payment has been defined.";
    /// paymentSession without a payment session.
    NoPaymentSession = "I-4716", "There is not a payment session with this id.";
    /// updateRefundSession without a refund session.
    NoRefundSessionToUpdate = "I-4718", "This is not a valid refund session.";
    /// The payment has used all its refund attempts.
    RefundAttemptsExhausted = "I-4720", "You have reached your maximum refund attempts for this payment.";
    /// submitRefundSession without a priced refund session.
    NoRefundSessionToSubmit = "I-4722", "This is not a valid refund session.";
    /// Nothing refundable is left on the payment.
    AlreadyRefunded = "I-4723", "This payment has already been refunded.";
    /// The payment's status is not COMPLETE.
    RefundBeforeComplete = "I-4724", "You can only refund payments once they are complete.";
    /// The payment completed longer ago than the refund window.
    RefundWindowExpired = "I-4725", "The refund period of 90 days has expired.";
    /// The id is not a payment received by the current account.
    NotRefundable = "I-4726", "You can only refund payments made to your account.";
    /// The original payer's account is DISABLED or DEACTIVATED.
    RefundRecipientClosed = "I-4727",
        "You cannot send a refund to this account. The recipient's account has been disabled. Please contact support.";
    /// The refund exceeds what is still refundable.
    RefundTooLarge = "I-4728",
        "You cannot refund more than the original payment. Try an amount equal or less than the refundable amount.";
    /// The payment already has the maximum number of refunds.
    RefundCountReached = "I-4729", "You've reached the limit for refunds on this payment.";
    /// A scheduled INTERNATIONAL payment or refund without the permission.
    ScheduledInternationalNotEnabled = "I-4731",
        "Contact our support team to enable international scheduled payments for your account.";
    /// The current account may not pay in its status or country.
    CannotPay = "I-4732",
        "You are unable to make payments from your account at this time. Please enable funding balance or wait until your account is approved to use this feature.";
    /// No `popCode` for a payment to a PERSONAL account or a new email.
    PopCodeRequired = "I-4735", "POP Code is required for payments to personal accounts.";
    /// The amount has more decimals than the currency's minor unit.
    TooManyDecimals { currency: Currency => "<CUR>" } = "I-4736", "Amount has more decimal places than <CUR> allows.";
    /// The amount is 0 or negative.
    AmountNotPositive = "I-4737", "Amount must be greater than zero.";
    /// The value date is before today (UTC).
    DateInPast = "I-4738", "The selected date cannot be before today.";
    /// The value date is more than 365 days after today (UTC).
    DateTooFar = "I-4739", "You cannot schedule a payment more than a year in advance from the current day.";
    /// The currency has no minor unit or is not in the rates table.
    CurrencyNotSupported { currency: Currency => "<CUR>" } = "I-4740", "Currency <CUR> is not supported.";
    /// `toSlug` names no account, or a DEACTIVATED one.
    NoAccountForHandle { handle: String => "<handle>" } = "I-4741", "No account exists for handle: <handle>";
    /// The recipient has no open account.
    RecipientClosed = "I-4742",
        "You cannot send a payment to this account. The recipient's account is closed. Please contact support.";
    /// `fromCurrency` given while the account is not FUNDING_BALANCE_VERIFIED.
    FundingBalanceNotEnabled = "I-4743", "Funding balance is not enabled for your account.";
    /// A description is empty or longer than 140 characters.
    InvalidDescription = "I-4744", "Description must be 1 to 140 characters.";
    /// The email message or refund message is longer than 500 characters.
    MessageTooLong = "I-4745", "Message must be at most 500 characters.";
    /// `popCode` is not one of the listed POP codes.
    InvalidPopCode = "I-4746", "This is not a valid POP code.";
    /// Pricing leaves the beneficiary 0 or less.
    AmountBelowFee = "I-4747", "The amount is too small to cover the fee.";
    /// The payment quote has expired.
    QuoteExpired = "I-4748", "The quote has expired. Update the quote and try again.";
    /// Paying a request with another amount or basis than requested.
    AmountNotRequested = "I-4749", "The amount must equal the payment request's amount.";
    /// The beneficiary has no fully verified preferred bank account.
    RecipientCannotReceive = "I-4750", "This recipient cannot receive payments yet.";
    /// The `Idempotency-Key` was used for a submit of another session.
    IdempotencyKeyReused = "I-4760", "This Idempotency-Key was already used for another request.";
    /// refundSession without a refund session.
    NoRefundSession = "I-4770", "There is no refund session.";
    /// The refund quote has expired; the refund session is deleted.
    RefundQuoteExpired = "I-4771", "The quote has expired. Start a new refund session.";
    /// A login with the invitee's email exists.
    InviteeHasAccount = "I-4901", "An account already exists with this email address.";
    /// The request was made by an account of the logged-in person.
    PayOwnRequest = "I-4902", "You cannot pay yourself.";
    /// No fully verified preferred bank account to pay or refund from.
    NoFundingBankAccount = "I-4903", "There was an issue accessing your bank account information.";
    /// No activity entry with this id belongs to the current account.
    NoSuchActivity = "I-4904", "There is no payment activity with this id.";
    /// The request is addressed to another email.
    RequestForSomeoneElse = "I-4905", "This payment request is addressed to someone else.";
    /// `paymentSessionType` is REFUND.
    RequestNeedsPaymentSession = "I-4906", "Payment requests can only be paid with a MAKE_PAYMENT session.";
    /// paymentActivity: `first` is below 1 or above 100.
    ActivityFirstOutOfRange = "I-4907", "first must be between 1 and 100.";
    /// `after` is not a cursor the service issued.
    InvalidCursor = "I-4908", "This is not a valid cursor.";
    /// `fromDate` is after `toDate`.
    DateRangeReversed = "I-4909", "fromDate must not be after toDate.";
    /// A request, funding entry or LOCAL payment has no trade confirmation.
    NoTradeConfirmation = "I-4910", "This payment has no trade confirmation.";
    /// The INTERNATIONAL payment or refund is not COMPLETE.
    TradeConfirmationNotReady = "I-4911", "The trade confirmation is available once the payment is complete.";
    /// generatePayMeRequest: no open account has this slug.
    HandleNotInUse = "I-5101", "This PayMe Handle is not in use.";
    /// generatePayMeRequest: the slug belongs to a PERSONAL account.
    PayMeToPersonal = "I-5102", "Generating payments to personal accounts is not currently supported.";
    /// publicAccountBySlug: no account has this slug.
    NoAccountForPayMeHandle = "I-5103", "No account with this PayMe Handle exists.";
    /// publicAccountBySlug: the slug belongs to a PERSONAL account.
    NoBusinessForHandle = "I-5104", "No business account exists with this PayMe Handle.";
    /// publicAccountBySlug: the account is DEACTIVATED or DISABLED.
    NotAValidAccount = "I-5105", "Not a valid account.";
}

/// A value a refusal adds to GraphQL `extensions`, beside `code`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Extension {
    Text(String),
    Number(i64),
}

impl ContractError {
    /// What goes into `extensions` besides `code`; only E-6009 and I-2202w carry anything (errors.md,
    /// "How an error travels").
    pub fn extensions(&self) -> Vec<(&'static str, Extension)> {
        match self {
            Self::RefundEmailNotSent { refund_id } => vec![("refundId", Extension::Text(refund_id.clone()))],
            Self::TestWebhookFailed { reason, status } => {
                let mut extensions = vec![("reason", Extension::Text(reason.clone()))];
                // `status` exists only when the endpoint answered.
                if let Some(status) = status {
                    extensions.push(("status", Extension::Number(i64::from(*status))));
                }
                extensions
            }
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    /// One value of every variant whose template has a placeholder, plus the two that carry extensions.
    fn variants_with_fields() -> Vec<ContractError> {
        vec![
            ContractError::Internal { request_id: "req-1".to_owned() },
            ContractError::RefundEmailNotSent { refund_id: "refund-1".to_owned() },
            ContractError::PasswordNotStored { reason: "timeout".to_owned() },
            ContractError::InvitationNotSent { email: "a@b.test".to_owned(), reason: "recipient refused".to_owned() },
            ContractError::SetupIncomplete { fields: "firstName, lastName".to_owned() },
            ContractError::TestWebhookFailed { reason: "status".to_owned(), status: Some(500) },
            ContractError::TextLength { field: "firstName", max: 50 },
            ContractError::Negative { field: "businessSize" },
            ContractError::BusinessOnlyField { field: "industry" },
            ContractError::NoAccountForEmail { email: "a@b.test".to_owned() },
            ContractError::TooManyDecimals { currency: Currency::USD },
            ContractError::CurrencyNotSupported { currency: Currency::XAU },
            ContractError::NoAccountForHandle { handle: "acme".to_owned() },
        ]
    }

    #[test]
    fn codes_are_unique() {
        let mut seen = HashSet::new();
        let duplicates: Vec<_> = ContractError::REGISTRY.iter().filter(|(code, _)| !seen.insert(*code)).collect();
        assert!(duplicates.is_empty(), "duplicated codes: {duplicates:?}");
    }

    #[test]
    fn messages_fill_their_placeholders() {
        let decimals = ContractError::TooManyDecimals { currency: Currency::USD };
        assert_eq!(decimals.message(), "Amount has more decimal places than USD allows.");
        let length = ContractError::TextLength { field: "firstName", max: 50 };
        assert_eq!(length.message(), "firstName must be 1 to 50 characters long.");
        let invitation =
            ContractError::InvitationNotSent { email: "a@b.test".to_owned(), reason: "refused".to_owned() };
        assert_eq!(invitation.message(), "Could not send invitation email to a@b.test: refused");
        let internal = ContractError::Internal { request_id: "req-1".to_owned() };
        assert_eq!(internal.message(), "Something went wrong. Reference: req-1");
        assert_eq!(ContractError::NotLoggedIn.message(), "You must be logged in.");
        assert_eq!(ContractError::NotLoggedIn.code(), "I-4100");
    }

    #[test]
    fn a_value_that_looks_like_a_placeholder_is_not_expanded() {
        let invitation = ContractError::InvitationNotSent { email: "<reason>".to_owned(), reason: "x".to_owned() };
        assert_eq!(invitation.message(), "Could not send invitation email to <reason>: x");
    }

    #[test]
    fn every_placeholder_has_a_field() {
        let variants = variants_with_fields();
        for variant in &variants {
            let message = variant.message();
            assert!(!message.contains('<'), "{} leaves a placeholder: {message}", variant.code());
            assert!(ContractError::REGISTRY.contains(&(variant.code(), variant.template())));
        }
        let rendered: HashSet<_> = variants.iter().map(ContractError::code).collect();
        let unrendered: Vec<_> = ContractError::REGISTRY
            .iter()
            .filter(|(code, template)| template.contains('<') && !rendered.contains(code))
            .collect();
        assert!(unrendered.is_empty(), "templates with placeholders not rendered by this test: {unrendered:?}");
    }

    #[test]
    fn only_e6009_and_i2202w_carry_extensions() {
        for variant in variants_with_fields() {
            let expected = match variant.code() {
                "E-6009" => vec![("refundId", Extension::Text("refund-1".to_owned()))],
                "I-2202w" => {
                    vec![("reason", Extension::Text("status".to_owned())), ("status", Extension::Number(500))]
                }
                _ => Vec::new(),
            };
            assert_eq!(variant.extensions(), expected, "{}", variant.code());
        }
        let unanswered = ContractError::TestWebhookFailed { reason: "dns".to_owned(), status: None };
        assert_eq!(unanswered.extensions(), vec![("reason", Extension::Text("dns".to_owned()))]);
        assert!(ContractError::NotLoggedIn.extensions().is_empty());
    }
}
