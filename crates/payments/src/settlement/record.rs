//! A payment as settlement reads it: its parties, both sides' amounts, where its money comes from and went,
//! its status and when its next step is due.

use std::str::FromStr;

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use kernel::{AccountId, Currency, Money};
use rust_decimal::Decimal;
use store::DbConnection;
use store::schema::payments;

use crate::ledger::{FundingSource, LedgerEntry};
use crate::session::FundingKind;
use crate::{PaymentAmounts, PaymentEntryStatus, PaymentKind, PaymentType, Rate};

/// A stored payment, the columns settlement and the ledger check need.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = payments)]
pub(crate) struct SettlingPayment {
    pub id: String,
    pub payer_account_id: AccountId,
    pub funding_source: FundingKind,
    pub funding_bank_account_id: Option<String>,
    /// `None` while a claim payment is held for an address no login has.
    pub beneficiary_account_id: Option<AccountId>,
    pub payer_currency: Currency,
    pub payer_sub: i64,
    pub payer_fee: i64,
    pub payer_total: i64,
    pub beneficiary_currency: Currency,
    pub beneficiary_sub: i64,
    pub beneficiary_fee: i64,
    pub beneficiary_total: i64,
    pub rate: String,
    pub international: bool,
    pub savings: Option<i64>,
    pub description: String,
    pub value_date: NaiveDateTime,
    pub status: PaymentEntryStatus,
    pub next_step_at: Option<NaiveDateTime>,
    pub payout_bank_account_id: Option<String>,
    pub kind: PaymentKind,
}

pub(crate) fn money(minor: i64, currency: Currency) -> anyhow::Result<Money> {
    Money::from_minor_units(minor, currency).map_err(|e| anyhow::anyhow!("stored amount {minor} {currency}: {e:?}"))
}

impl SettlingPayment {
    /// The payment `id`, if it exists.
    pub fn find(conn: &mut DbConnection, id: &str) -> anyhow::Result<Option<Self>> {
        Ok(payments::table.find(id).select(Self::as_select()).first(conn).optional()?)
    }

    /// Every payment, in the order they were submitted (for the ledger check).
    pub fn all(conn: &mut DbConnection) -> anyhow::Result<Vec<Self>> {
        Ok(payments::table.order((payments::submitted_at, payments::id)).select(Self::as_select()).load(conn)?)
    }

    pub fn due_at(&self) -> Option<DateTime<Utc>> {
        self.next_step_at.map(|at| at.and_utc())
    }

    pub fn payer_total(&self) -> anyhow::Result<Money> {
        money(self.payer_total, self.payer_currency)
    }

    pub fn beneficiary_total(&self) -> anyhow::Result<Money> {
        money(self.beneficiary_total, self.beneficiary_currency)
    }

    /// Both sides as priced at submit.
    pub fn amounts(&self) -> anyhow::Result<PaymentAmounts> {
        let rate = Decimal::from_str(&self.rate).map_err(|e| anyhow::anyhow!("stored rate {:?}: {e}", self.rate))?;
        let rate = Rate::new(rate)?;
        Ok(PaymentAmounts {
            payer_sub: money(self.payer_sub, self.payer_currency)?,
            payer_fee: money(self.payer_fee, self.payer_currency)?,
            payer_total: self.payer_total()?,
            beneficiary_sub: money(self.beneficiary_sub, self.beneficiary_currency)?,
            beneficiary_fee: money(self.beneficiary_fee, self.beneficiary_currency)?,
            beneficiary_total: self.beneficiary_total()?,
            rate,
            inverted_rate: rate.inverted(),
            payment_type: if self.international { PaymentType::International } else { PaymentType::Local },
            savings: self.savings.map(|savings| money(savings, self.payer_currency)).transpose()?,
        })
    }

    /// The ledger's "source": the funding bank account, or the payer's funding balance.
    pub fn ledger_source(&self) -> anyhow::Result<FundingSource> {
        match (self.funding_source, &self.funding_bank_account_id) {
            (FundingKind::FundingBalance, _) => Ok(FundingSource::FundingBalance(self.payer_account_id.clone())),
            (FundingKind::BankAccount, Some(bank)) => Ok(FundingSource::BankAccount(bank.clone())),
            (FundingKind::BankAccount, None) => {
                anyhow::bail!("payment {} is funded from a bank account but names none", self.id)
            }
        }
    }

    /// The payment as the ledger checks see it.
    pub fn ledger_entry(&self) -> anyhow::Result<LedgerEntry> {
        Ok(LedgerEntry {
            id: self.id.clone(),
            status: self.status,
            amounts: self.amounts()?,
            source: self.ledger_source()?,
            destination: self.payout_bank_account_id.clone(),
        })
    }
}
