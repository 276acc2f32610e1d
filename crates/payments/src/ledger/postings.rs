//! Postings and posting sets, and the posting set of each step that moves money (flows.md section 11, "Posting
//! sets"). The step functions are pure: they take the priced amounts and the ledger accounts involved and say
//! what the step writes; [`crate::ledger::post`] stores it.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use kernel::{AccountId, Currency, Money, UnknownCode};

use crate::PaymentAmounts;
use crate::ledger::{FundingSource, LedgerAccount};

/// A signed amount added to one ledger account in one currency: positive when money arrives there, negative
/// when it leaves.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Posting {
    pub account: LedgerAccount,
    pub currency: Currency,
    /// In minor units of `currency`; never 0 (a step writes no posting of 0).
    pub amount: i64,
}

impl Posting {
    fn credit(account: LedgerAccount, money: Money) -> Self {
        Self { account, currency: money.currency(), amount: money.minor_units() }
    }

    fn debit(account: LedgerAccount, money: Money) -> Self {
        Self { account, currency: money.currency(), amount: -money.minor_units() }
    }

    fn reversed(self) -> Self {
        Self { amount: -self.amount, ..self }
    }
}

impl fmt::Display for Posting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {:+}", self.account.in_currency(self.currency), self.amount)
    }
}

/// The steps of a payment, refund or funding entry that move money, each writing one posting set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Step {
    /// PENDING → PROCESSING: the payer total is collected from the source into clearing.
    Collection,
    /// PROCESSING → IN_TRANSIT: the trade is executed and the beneficiary total paid out.
    Payout,
    /// IN_TRANSIT → COMPLETE: the beneficiary total reaches the destination.
    Arrival,
    /// PROCESSING → FAILED, UNCLAIMED → CANCELED: the payer total goes back to the source.
    GiveBack,
    /// IN_TRANSIT → RETURNED: the payout reversed at the same rate, then the give-back.
    GiveBackAfterPayout,
    /// A funding payment reaching COMPLETE: money enters a funding balance from outside.
    FundingCredit,
}

impl Step {
    pub const VALUES: &'static [Step] = &[
        Step::Collection,
        Step::Payout,
        Step::Arrival,
        Step::GiveBack,
        Step::GiveBackAfterPayout,
        Step::FundingCredit,
    ];

    /// The stored name (the CHECK constraint of `ledger_postings.step` lists the same).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Collection => "collection",
            Self::Payout => "payout",
            Self::Arrival => "arrival",
            Self::GiveBack => "give_back",
            Self::GiveBackAfterPayout => "give_back_after_payout",
            Self::FundingCredit => "funding_credit",
        }
    }
}

impl FromStr for Step {
    type Err = UnknownCode;

    fn from_str(text: &str) -> Result<Self, UnknownCode> {
        Self::VALUES.iter().copied().find(|step| step.as_str() == text).ok_or_else(|| UnknownCode(text.to_owned()))
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What one step writes: its postings, tagged with the entry (payment, refund or funding entry), the step and
/// the time of the transition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PostingSet {
    /// The PaymentEntry id of the payment, refund or funding entry.
    pub entry_id: String,
    pub step: Step,
    pub posted_at: DateTime<Utc>,
    pub postings: Vec<Posting>,
}

impl PostingSet {
    /// The sum of the amounts of each currency the set posts in (invariant 1 wants every one 0).
    pub fn sums_by_currency(&self) -> BTreeMap<Currency, i128> {
        let mut sums = BTreeMap::new();
        for posting in &self.postings {
            *sums.entry(posting.currency).or_insert(0) += i128::from(posting.amount);
        }
        sums
    }

    /// The currencies whose amounts do not sum to zero, with their sums.
    pub fn imbalances(&self) -> Vec<(Currency, i128)> {
        self.sums_by_currency().into_iter().filter(|(_, sum)| *sum != 0).collect()
    }
}

/// Collection (PENDING → PROCESSING): source −payerTotal; `clearing[P]` +payerTotal.
pub fn collection(entry_id: &str, at: DateTime<Utc>, amounts: &PaymentAmounts, source: &FundingSource) -> PostingSet {
    set(
        entry_id,
        Step::Collection,
        at,
        vec![
            Posting::debit(source.ledger_account(), amounts.payer_total),
            Posting::credit(LedgerAccount::Clearing, amounts.payer_total),
        ],
    )
}

/// Payout (PROCESSING → IN_TRANSIT): `clearing[P]` −payerTotal; `fx[P]` +payerSub; `fees[P]` +payerFee;
/// `fx[B]` −beneficiarySub; `fees[B]` +beneficiaryFee; `in_transit[B]` +beneficiaryTotal. A LOCAL payment posts
/// to `fx[P]` twice with opposite amounts.
pub fn payout(entry_id: &str, at: DateTime<Utc>, amounts: &PaymentAmounts) -> PostingSet {
    set(entry_id, Step::Payout, at, payout_postings(amounts))
}

/// Arrival (IN_TRANSIT → COMPLETE): `in_transit[B]` −beneficiaryTotal; destination (the beneficiary's preferred
/// bank account) +beneficiaryTotal.
pub fn arrival(
    entry_id: &str,
    at: DateTime<Utc>,
    amounts: &PaymentAmounts,
    destination_bank_account: &str,
) -> PostingSet {
    set(
        entry_id,
        Step::Arrival,
        at,
        vec![
            Posting::debit(LedgerAccount::InTransit, amounts.beneficiary_total),
            Posting::credit(LedgerAccount::Bank(destination_bank_account.to_owned()), amounts.beneficiary_total),
        ],
    )
}

/// Give-back before payout (PROCESSING → FAILED; UNCLAIMED → CANCELED): `clearing[P]` −payerTotal; source
/// +payerTotal.
pub fn give_back(entry_id: &str, at: DateTime<Utc>, amounts: &PaymentAmounts, source: &FundingSource) -> PostingSet {
    set(entry_id, Step::GiveBack, at, give_back_postings(amounts, source))
}

/// Give-back after payout (IN_TRANSIT → RETURNED): the payout postings with opposite signs (the trade reversed
/// at the same rate, the fees returned), then the give-back before payout, in one set.
pub fn give_back_after_payout(
    entry_id: &str,
    at: DateTime<Utc>,
    amounts: &PaymentAmounts,
    source: &FundingSource,
) -> PostingSet {
    let mut postings: Vec<Posting> = payout_postings(amounts).into_iter().map(Posting::reversed).collect();
    postings.extend(give_back_postings(amounts, source));
    set(entry_id, Step::GiveBackAfterPayout, at, postings)
}

/// Funding credit (a funding payment reaching COMPLETE): `deposits[C]` −amount; `funding:<accountId>[C]`
/// +amount.
pub fn funding_credit(entry_id: &str, at: DateTime<Utc>, account: &AccountId, amount: Money) -> PostingSet {
    set(
        entry_id,
        Step::FundingCredit,
        at,
        vec![
            Posting::debit(LedgerAccount::Deposits, amount),
            Posting::credit(LedgerAccount::Funding(account.clone()), amount),
        ],
    )
}

fn payout_postings(amounts: &PaymentAmounts) -> Vec<Posting> {
    let mut postings = vec![
        Posting::debit(LedgerAccount::Clearing, amounts.payer_total),
        Posting::credit(LedgerAccount::Fx, amounts.payer_sub),
    ];
    // Fee postings of 0 are not written: a LOCAL payment, a refund, or the side that does not bear the fee.
    if amounts.payer_fee.minor_units() != 0 {
        postings.push(Posting::credit(LedgerAccount::Fees, amounts.payer_fee));
    }
    postings.push(Posting::debit(LedgerAccount::Fx, amounts.beneficiary_sub));
    if amounts.beneficiary_fee.minor_units() != 0 {
        postings.push(Posting::credit(LedgerAccount::Fees, amounts.beneficiary_fee));
    }
    postings.push(Posting::credit(LedgerAccount::InTransit, amounts.beneficiary_total));
    postings
}

fn give_back_postings(amounts: &PaymentAmounts, source: &FundingSource) -> Vec<Posting> {
    vec![
        Posting::debit(LedgerAccount::Clearing, amounts.payer_total),
        Posting::credit(source.ledger_account(), amounts.payer_total),
    ]
}

fn set(entry_id: &str, step: Step, posted_at: DateTime<Utc>, postings: Vec<Posting>) -> PostingSet {
    PostingSet { entry_id: entry_id.to_owned(), step, posted_at, postings }
}

#[cfg(test)]
mod tests;
