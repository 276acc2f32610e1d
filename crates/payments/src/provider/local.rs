use std::sync::Arc;

use accounts::{BankAccountStatus, BankLinkProvider, SettlementBankAccount};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use kernel::{AccountId, Currency, Money};
use store::schema::{local_funding_balances, local_linked_balances, trades};
use store::{DbConnection, Tx};

use super::{
    ArrivalOutcome, CollectionOutcome, FinancialProvider, FundsSource, LocalMarket, MarketQuote, PayoutOutcome,
    QuoteError,
};
use crate::{PaymentDefinition, Rate, RateError};

/// The last four digits of a bank account number that make the local provider refuse a step (providers.md
/// section 6, "Summary of the special account numbers").
const PAYOUT_FAILS: &str = "0001";
const PAYOUT_RETURNED: &str = "0002";
const COLLECTION_DECLINED: &str = "0003";

/// The local AFEX-like provider (providers.md sections 2 to 4): deterministic, so every outcome can be produced
/// on purpose. Prices come from its [`LocalMarket`]. Trade numbers come from the `trades` sequence; linked balances (per yodleeBankAccountId, from
/// the bank-link fixture's balance on) and funding balances are kept in its own tables.
pub struct LocalFinancialProvider {
    bank_link: Arc<dyn BankLinkProvider>,
    market: LocalMarket,
}

impl LocalFinancialProvider {
    /// The local provider, pricing in `market`, whose linked balances start from what `bank_link` says of each
    /// linked account.
    pub fn new(bank_link: Arc<dyn BankLinkProvider>, market: LocalMarket) -> Self {
        Self { bank_link, market }
    }

    /// The linked account's balance row, made from the fixture's balance the first time money moves on it;
    /// `None` for a typed-in account or one the bank-link provider does not know (no balance to check).
    fn linked_balance_row(&self, tx: &mut Tx<'_>, bank: &SettlementBankAccount) -> anyhow::Result<Option<String>> {
        let Some(link_id) = &bank.link_id else { return Ok(None) };
        // Two first movements on one linked account must not both insert its row.
        tx.lock_key(&format!("linked-balance:{link_id}"))?;
        let exists: i64 = local_linked_balances::table.find(link_id).count().get_result(tx.conn())?;
        if exists == 0 {
            let Some(linked) = self.bank_link.linked_account(&bank.account_id, link_id)? else { return Ok(None) };
            diesel::insert_into(local_linked_balances::table)
                .values((
                    local_linked_balances::yodlee_bank_account_id.eq(link_id),
                    local_linked_balances::currency.eq(linked.balance.currency().code()),
                    local_linked_balances::balance.eq(linked.balance.minor_units()),
                ))
                .execute(tx.conn())?;
        }
        Ok(Some(link_id.clone()))
    }

    fn raise_linked(&self, tx: &mut Tx<'_>, bank: &SettlementBankAccount, amount: Money) -> anyhow::Result<()> {
        if let Some(link_id) = self.linked_balance_row(tx, bank)? {
            diesel::update(local_linked_balances::table.find(&link_id))
                .set(local_linked_balances::balance.eq(local_linked_balances::balance + amount.minor_units()))
                .execute(tx.conn())?;
        }
        Ok(())
    }

    fn raise_funding(tx: &mut Tx<'_>, account: &AccountId, amount: Money) -> anyhow::Result<()> {
        let key = (account.as_str(), amount.currency().code());
        tx.lock_key(&format!("funding-balance:{}:{}", key.0, key.1))?;
        let raised = diesel::update(local_funding_balances::table.find(key))
            .set(local_funding_balances::balance.eq(local_funding_balances::balance + amount.minor_units()))
            .execute(tx.conn())?;
        if raised == 0 {
            diesel::insert_into(local_funding_balances::table)
                .values((
                    local_funding_balances::account_id.eq(account),
                    local_funding_balances::currency.eq(amount.currency().code()),
                    local_funding_balances::balance.eq(amount.minor_units()),
                ))
                .execute(tx.conn())?;
        }
        Ok(())
    }
}

fn ends_with(bank: &SettlementBankAccount, digits: &str) -> bool {
    bank.number_last_four.ends_with(digits)
}

impl FinancialProvider for LocalFinancialProvider {
    fn indicative_rate(&self, payer: Currency, beneficiary: Currency) -> Result<Rate, RateError> {
        self.market.rate(payer, beneficiary)
    }

    fn quote(&self, definition: &PaymentDefinition, now: DateTime<Utc>) -> Result<MarketQuote, QuoteError> {
        self.market.quote(definition, now)
    }

    fn book_trade(&self, tx: &mut Tx<'_>, now: DateTime<Utc>) -> anyhow::Result<String> {
        let number: i64 = diesel::insert_into(trades::table)
            .values(trades::booked_at.eq(now.naive_utc()))
            .returning(trades::id)
            .get_result(tx.conn())?;
        Ok(number.to_string())
    }

    /// DECLINED when the bank account's number ends with 0003, when a linked account's balance or the funding
    /// balance is below the amount; otherwise that balance is lowered by it. A typed-in account has no known
    /// balance: only the 0003 rule refuses it.
    fn collect(&self, tx: &mut Tx<'_>, source: FundsSource<'_>, amount: Money) -> anyhow::Result<CollectionOutcome> {
        let minor = amount.minor_units();
        let lowered = match source {
            FundsSource::BankAccount(bank) => {
                if ends_with(bank, COLLECTION_DECLINED) {
                    return Ok(CollectionOutcome::Declined);
                }
                let Some(link_id) = self.linked_balance_row(tx, bank)? else {
                    return Ok(CollectionOutcome::Collected);
                };
                // Lowered only if it covers the amount, in one statement: two collections cannot both pass.
                diesel::update(
                    local_linked_balances::table
                        .find(&link_id)
                        .filter(local_linked_balances::currency.eq(amount.currency().code()))
                        .filter(local_linked_balances::balance.ge(minor)),
                )
                .set(local_linked_balances::balance.eq(local_linked_balances::balance - minor))
                .execute(tx.conn())?
            }
            FundsSource::FundingBalance(account) => diesel::update(
                local_funding_balances::table
                    .find((account.as_str(), amount.currency().code()))
                    .filter(local_funding_balances::balance.ge(minor)),
            )
            .set(local_funding_balances::balance.eq(local_funding_balances::balance - minor))
            .execute(tx.conn())?,
        };
        Ok(if lowered == 1 { CollectionOutcome::Collected } else { CollectionOutcome::Declined })
    }

    /// No FULLY_VERIFIED preferred bank account: no payout; FAILED when its number ends with 0001.
    fn pay_out(
        &self,
        _tx: &mut Tx<'_>,
        destination: Option<&SettlementBankAccount>,
        _amount: Money,
    ) -> anyhow::Result<PayoutOutcome> {
        Ok(match destination {
            Some(bank) if bank.status == BankAccountStatus::FullyVerified => {
                if ends_with(bank, PAYOUT_FAILS) {
                    PayoutOutcome::Refused
                } else {
                    PayoutOutcome::PaidOut
                }
            }
            _ => PayoutOutcome::NoReceivingAccount,
        })
    }

    /// RETURNED when the number ends with 0002; otherwise a linked account's balance rises by the amount.
    fn arrive(
        &self,
        tx: &mut Tx<'_>,
        destination: &SettlementBankAccount,
        amount: Money,
    ) -> anyhow::Result<ArrivalOutcome> {
        if ends_with(destination, PAYOUT_RETURNED) {
            return Ok(ArrivalOutcome::Returned);
        }
        self.raise_linked(tx, destination, amount)?;
        Ok(ArrivalOutcome::Arrived)
    }

    fn give_back(&self, tx: &mut Tx<'_>, source: FundsSource<'_>, amount: Money) -> anyhow::Result<()> {
        match source {
            FundsSource::BankAccount(bank) => self.raise_linked(tx, bank, amount),
            FundsSource::FundingBalance(account) => Self::raise_funding(tx, account, amount),
        }
    }

    fn credit_funding(&self, tx: &mut Tx<'_>, account: &AccountId, amount: Money) -> anyhow::Result<()> {
        Self::raise_funding(tx, account, amount)
    }

    fn funding_balances(&self, conn: &mut DbConnection) -> anyhow::Result<Vec<(AccountId, Money)>> {
        let rows: Vec<(AccountId, Currency, i64)> = local_funding_balances::table
            .filter(local_funding_balances::balance.ne(0))
            .select((
                local_funding_balances::account_id,
                local_funding_balances::currency,
                local_funding_balances::balance,
            ))
            .load(conn)?;
        rows.into_iter()
            .map(|(account, currency, balance)| Ok((account, crate::settlement::money(balance, currency)?)))
            .collect()
    }
}
