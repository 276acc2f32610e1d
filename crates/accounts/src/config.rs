use chrono::TimeDelta;
use kernel::{Country, SecretString};

use crate::{BankLinkFixtures, IdentityProviderKind};

/// What the accounts domain reads from configuration.
#[derive(Debug, Clone)]
pub struct AccountsConfig {
    /// `SUPPORTED_COUNTRIES`: where accounts can be opened and paid to.
    pub supported_countries: Vec<Country>,
    /// `UBO_REQUIRED_COUNTRIES`: whose BUSINESS accounts must submit company officers.
    pub ubo_required_countries: Vec<Country>,
    /// `SIGNUP_SECRETS`: codes a BUSINESS sign-up must give; empty means no business can sign up.
    pub signup_secrets: Vec<SecretString>,
    /// `SETUP_SESSION_TTL`: how long an account setup session lives after its creation or latest update.
    pub setup_session_ttl: TimeDelta,
    /// `IDENTITY_CHECK_DELAY`: how long the local identity provider takes to end a check (PENDING → CLEAR /
    /// REJECTED), by the service clock.
    pub identity_check_delay: TimeDelta,
    /// `IDENTITY_SDK_TOKEN_TTL`: how long the SDK token embedOnfido hands out works.
    pub identity_sdk_token_ttl: TimeDelta,
    /// `IDENTITY_PROVIDER`: the local provider, or an Onfido-shaped HTTP service.
    pub identity_provider: IdentityProviderKind,
    /// `IDENTITY_PROVIDER_URL`: the HTTP provider's base URL.
    pub identity_provider_url: Option<String>,
    /// `IDENTITY_PROVIDER_TOKEN`: the HTTP provider's API token.
    pub identity_provider_token: Option<SecretString>,
    /// `VERIFICATION_LINK_TTL`: how long a link to the hosted verification page works.
    pub verification_link_ttl: TimeDelta,
    /// `BANK_LINK_FIXTURES`: the bank accounts the local bank-link provider knows (the built-in ones unless a
    /// file replaces them).
    pub bank_link_fixtures: BankLinkFixtures,
    /// `BANK_VERIFY_DELAY`: how long the local bank-link provider takes to verify a typed-in bank account.
    pub bank_verify_delay: TimeDelta,
    /// `BANK_BALANCE_MAX_AGE`: a linked balance older than this is stale.
    pub bank_balance_max_age: TimeDelta,
    /// `INVITATIONS_PER_DAY`: how many invitation and registration emails (sendInvitationEmail and
    /// sendInvitedRegisterEmail together) one account may send in a rolling 24 hours.
    pub invitations_per_day: u32,
}

impl Default for AccountsConfig {
    fn default() -> Self {
        use Country::*;
        let supported = vec![US, CA, GB, AU, NZ, IE, DE, FR, ES, IT, NL, SG, HK, JP, MX, IN, PH];
        Self {
            ubo_required_countries: supported.clone(),
            supported_countries: supported,
            signup_secrets: Vec::new(),
            setup_session_ttl: TimeDelta::hours(24),
            identity_check_delay: TimeDelta::seconds(10),
            identity_sdk_token_ttl: TimeDelta::minutes(90),
            identity_provider: IdentityProviderKind::Local,
            identity_provider_url: None,
            identity_provider_token: None,
            verification_link_ttl: TimeDelta::minutes(30),
            bank_link_fixtures: BankLinkFixtures::built_in()
                .expect("the built-in bank-link fixtures parse (unit-tested)"),
            bank_verify_delay: TimeDelta::seconds(30),
            bank_balance_max_age: TimeDelta::hours(24),
            invitations_per_day: 20,
        }
    }
}
