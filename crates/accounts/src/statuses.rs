//! The enumerations accounts and persons carry, stored as their GraphQL names.

use std::str::FromStr;

use anyhow::anyhow;

macro_rules! stored_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        #[derive(juniper::GraphQLEnum, Clone, Copy, Debug, PartialEq, Eq)]
        $(#[$meta])*
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl FromStr for $name {
            type Err = anyhow::Error;

            fn from_str(text: &str) -> anyhow::Result<Self> {
                match text {
                    $($text => Ok($name::$variant),)+
                    other => Err(anyhow!("unknown {} {other:?}", stringify!($name))),
                }
            }
        }
    };
}

stored_enum! {
    AccountType {
        Personal = "PERSONAL",
        Business = "BUSINESS",
    }
}

stored_enum! {
    #[graphql(description = "Lifecycle of an account. See flows.md for when each status is entered.")]
    AccountStatus {
        #[graphql(description = "Created; account setup not yet submitted.")]
        NotSetup = "NOT_SETUP",
        #[graphql(description = "Account setup submitted; identity (and, for a business, company officer) checks are pending.")]
        SetupSubmitted = "SETUP_SUBMITTED",
        #[graphql(description = "Every check passed and the login's email is verified: the account is approved.")]
        Verified = "VERIFIED",
        #[graphql(description = "Verified and its funding balance is enabled; the only status from which an account of a global payout country may pay.")]
        FundingBalanceVerified = "FUNDING_BALANCE_VERIFIED",
        #[graphql(description = "Closed by its owner with deactivateAccount. Final.")]
        Deactivated = "DEACTIVATED",
        #[graphql(description = "Blocked by borderless operations staff (an operator command); it can neither pay nor be paid or refunded.")]
        Disabled = "DISABLED",
    }
}

stored_enum! {
    #[graphql(description = "Outcome of an identity check by the verification provider.")]
    IdentityCheckStatus {
        #[graphql(description = "No document has been attached yet.")]
        NotStarted = "NOT_STARTED",
        #[graphql(description = "A document is attached and the check is running.")]
        Pending = "PENDING",
        #[graphql(description = "The check passed.")]
        Clear = "CLEAR",
        #[graphql(description = "The check failed.")]
        Rejected = "REJECTED",
    }
}
