//! The bank-account operations: addBankAccount, bankAccounts, changePreferredBankAccount.

use juniper::{GraphQLInputObject, ID, graphql_object};
use kernel::{
    ApiError, Clock, Context, Country, Currency, FxRates, SecretString, SuccessResult, with_connection,
    with_transaction,
};

use crate::{
    AccountsConfig, AccountsError, AddBankAccount, BankAccount as Record, BankAccountStatus, BankAccountType,
    ManualBankData, TaxIdKey, add_bank_account, bank_accounts, bank_link_provider, change_preferred_bank_account,
};

#[derive(GraphQLInputObject)]
#[graphql(description = "Exactly one of the two fields.")]
pub struct AddBankAccountInput {
    #[graphql(description = "An account id given by the bank-link provider's widget.")]
    pub yodlee_bank_account_id: Option<ID>,
    pub manual_bank_data: Option<ManualBankDataInput>,
}

// No `Debug`: the input holds an account number until the resolver wraps it.
#[derive(GraphQLInputObject)]
pub struct ManualBankDataInput {
    pub account_number: String,
    pub routing_number: String,
    pub bank_name: String,
    pub country: Country,
    pub currency: Currency,
    pub account_type: BankAccountType,
}

impl From<AddBankAccountInput> for AddBankAccount {
    fn from(data: AddBankAccountInput) -> Self {
        Self {
            yodlee_bank_account_id: data.yodlee_bank_account_id.map(|id| id.to_string()),
            manual_bank_data: data.manual_bank_data.map(|manual| ManualBankData {
                account_number: SecretString::from(manual.account_number),
                routing_number: manual.routing_number,
                bank_name: manual.bank_name,
                country: manual.country,
                currency: manual.currency,
                account_type: manual.account_type,
            }),
        }
    }
}

/// The contract's `BankAccount`.
#[derive(Debug, Clone)]
pub struct BankAccount(pub Record);

#[graphql_object(context = Context)]
impl BankAccount {
    fn id(&self) -> ID {
        ID::new(self.0.id.clone())
    }

    /// Masked: `**` followed by the last four characters, e.g. "**1111".
    fn account_number(&self) -> &str {
        &self.0.account_number
    }

    /// Masked like accountNumber; null when the bank-link provider does not give one.
    fn routing_number(&self) -> Option<&str> {
        self.0.routing_number.as_deref()
    }

    fn bank_name(&self) -> &str {
        &self.0.bank_name
    }

    fn currency(&self) -> Currency {
        self.0.currency
    }

    fn country(&self) -> Country {
        self.0.country
    }

    /// True for the account's one preferred bank account.
    fn preferred_bank_account(&self) -> bool {
        self.0.preferred
    }

    fn status(&self) -> BankAccountStatus {
        self.0.status
    }

    fn account_type(&self) -> BankAccountType {
        self.0.account_type
    }

    /// Icon URL of the bank; null for banks typed in by hand.
    fn favicon_url(&self) -> Option<&str> {
        self.0.favicon_url.as_deref()
    }
}

/// The bank-account query's root field.
#[derive(Debug, Default, Clone, Copy)]
pub struct BankAccountsQuery;

#[graphql_object(context = Context)]
impl BankAccountsQuery {
    /// The current account's bank accounts, preferred first, then oldest first.
    async fn bank_accounts(ctx: &Context) -> Result<Vec<BankAccount>, ApiError> {
        let identity = ctx.require_login()?.clone();
        let listed = with_connection(&ctx.pool, move |conn| {
            bank_accounts(conn, &identity.account_id).map_err(AccountsError::from)
        })
        .await?;
        Ok(listed.into_iter().map(BankAccount).collect())
    }
}

/// The bank-account mutations' root fields.
#[derive(Debug, Default, Clone, Copy)]
pub struct BankAccountsMutation;

#[graphql_object(context = Context)]
impl BankAccountsMutation {
    /// Adds a bank account to the current account, either a linked one (by the bank-link provider's id) or one
    /// typed in by hand. Success message "Bank successfully added!".
    async fn add_bank_account(ctx: &Context, data: AddBankAccountInput) -> Result<Option<SuccessResult>, ApiError> {
        let identity = ctx.require_login()?.clone();
        let config = ctx.services.shared::<AccountsConfig>()?;
        let key = ctx.services.shared::<TaxIdKey>()?;
        let rates = ctx.services.shared::<FxRates>()?;
        let input = AddBankAccount::from(data);
        let now = ctx.clock.now();
        with_transaction(&ctx.pool, move |tx| {
            let provider = bank_link_provider(&config);
            add_bank_account(tx, &key, &rates, provider.as_ref(), &identity.account_id, input, now)
        })
        .await?;
        Ok(Some(SuccessResult::new("Bank successfully added!")))
    }

    /// Makes one of the current account's bank accounts the preferred one (the default funding source and
    /// payout account). Success message "Preferred Bank Account Changed!".
    async fn change_preferred_bank_account(
        ctx: &Context,
        bank_account_id: ID,
    ) -> Result<Option<SuccessResult>, ApiError> {
        let identity = ctx.require_login()?.clone();
        let id = bank_account_id.to_string();
        with_transaction(&ctx.pool, move |tx| change_preferred_bank_account(tx, &identity.account_id, &id)).await?;
        Ok(Some(SuccessResult::new("Preferred Bank Account Changed!")))
    }
}
