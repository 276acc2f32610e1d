//! The invariants of flows.md section 11 as checks over posting sets, each returning every violation it finds.
//! They never decide an outcome: they say whether the books agree with what happened.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use chrono::{DateTime, Utc};
use kernel::{AccountId, Currency, Money};

use crate::PaymentEntryStatus;
use crate::ledger::{LedgerAccount, LedgerEntry, PostingSet, Step};

/// One way the ledger disagrees with section 11.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Violation {
    /// Invariant 1: a posting set whose amounts in `currency` sum to `sum`, not 0.
    Unbalanced { entry_id: String, step: Step, posted_at: DateTime<Utc>, currency: Currency, sum: i128 },
    /// A funding balance below zero after the set posted for `entry_id` at `posted_at`.
    NegativeFunding {
        account: AccountId,
        currency: Currency,
        balance: i128,
        entry_id: String,
        posted_at: DateTime<Utc>,
    },
    /// Invariant 2 or 3: the postings of an entry with this final status sum, on one ledger account, to
    /// `found` where `expected` is due.
    EntrySum {
        entry_id: String,
        status: PaymentEntryStatus,
        account: LedgerAccount,
        currency: Currency,
        expected: i128,
        found: i128,
    },
    /// Invariant 4: `clearing[C]` or `in_transit[C]` differs from the open payments' totals.
    OpenMoney { account: LedgerAccount, currency: Currency, expected: i128, found: i128 },
    /// Invariant 5: `funding:<accountId>[C]` sums to `found` where the provider holds `expected`.
    FundingBalance { account: AccountId, currency: Currency, expected: i128, found: i128 },
}

impl Violation {
    /// The number of the invariant of flows.md section 11 it breaks.
    pub fn invariant(&self) -> u8 {
        match self {
            Self::Unbalanced { .. } => 1,
            Self::EntrySum { status: PaymentEntryStatus::Complete, .. } => 2,
            Self::EntrySum { .. } => 3,
            Self::OpenMoney { .. } => 4,
            Self::NegativeFunding { .. } | Self::FundingBalance { .. } => 5,
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unbalanced { entry_id, step, posted_at, currency, sum } => {
                write!(f, "the {step} set of {entry_id} at {posted_at} sums to {sum} in {currency}, not 0")
            }
            Self::NegativeFunding { account, currency, balance, entry_id, posted_at } => write!(
                f,
                "{} is {balance} after the set of {entry_id} at {posted_at}",
                LedgerAccount::Funding(account.clone()).in_currency(*currency)
            ),
            Self::EntrySum { entry_id, status, account, currency, expected, found } => write!(
                f,
                "{status} {entry_id} sums to {found} on {}, expected {expected}",
                account.in_currency(*currency)
            ),
            Self::OpenMoney { account, currency, expected, found } => {
                write!(f, "{} is {found}, the open payments' totals are {expected}", account.in_currency(*currency))
            }
            Self::FundingBalance { account, currency, expected, found } => write!(
                f,
                "{} is {found}, the funding balance is {expected}",
                LedgerAccount::Funding(account.clone()).in_currency(*currency)
            ),
        }
    }
}

/// Every violation found by one check of the whole ledger; empty when the books agree.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LedgerReport {
    pub violations: Vec<Violation>,
}

impl LedgerReport {
    pub fn is_clean(&self) -> bool {
        self.violations.is_empty()
    }
}

impl fmt::Display for LedgerReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.violations.is_empty() {
            return f.write_str("the ledger holds every invariant");
        }
        for violation in &self.violations {
            writeln!(f, "{violation}")?;
        }
        Ok(())
    }
}

/// Runs every check on `sets` (in the order they were posted) against the facts of `entries`: invariant 1 on
/// every set, the funding balances, invariant 2 or 3 on each entry in a final status, invariant 4 on those
/// open. `entries` must list every payment and refund the sets are tagged with that is open, or invariant 4
/// reports the money they hold.
pub fn check_sets(sets: &[PostingSet], entries: &[LedgerEntry]) -> LedgerReport {
    let mut violations = check_balance(sets);
    violations.extend(check_funding_balances(sets));
    for entry in entries {
        violations.extend(check_entry(entry, sets));
    }
    violations.extend(check_open_money(entries, sets));
    LedgerReport { violations }
}

/// Invariant 1: in every posting set, the amounts of each currency sum to zero.
pub fn check_balance(sets: &[PostingSet]) -> Vec<Violation> {
    sets.iter()
        .flat_map(|set| {
            set.imbalances().into_iter().map(|(currency, sum)| Violation::Unbalanced {
                entry_id: set.entry_id.clone(),
                step: set.step,
                posted_at: set.posted_at,
                currency,
                sum,
            })
        })
        .collect()
}

/// No `funding:<accountId>[C]` balance is ever negative: the running balances after each set, in posting
/// order, the first time each one goes below zero.
pub fn check_funding_balances(sets: &[PostingSet]) -> Vec<Violation> {
    let mut balances: BTreeMap<(AccountId, Currency), i128> = BTreeMap::new();
    let mut reported = BTreeSet::new();
    let mut violations = Vec::new();
    for set in sets {
        let mut touched = BTreeSet::new();
        for posting in &set.postings {
            if let LedgerAccount::Funding(account) = &posting.account {
                let key = (account.clone(), posting.currency);
                *balances.entry(key.clone()).or_insert(0) += i128::from(posting.amount);
                touched.insert(key);
            }
        }
        // A set is written at once, so only the balance after the whole set counts.
        for key in touched {
            let balance = balances.get(&key).copied().unwrap_or(0);
            if balance < 0 && reported.insert(key.clone()) {
                let (account, currency) = key;
                violations.push(Violation::NegativeFunding {
                    account,
                    currency,
                    balance,
                    entry_id: set.entry_id.clone(),
                    posted_at: set.posted_at,
                });
            }
        }
    }
    violations
}

/// Invariant 2 for a COMPLETE entry, invariant 3 for one DECLINED, CANCELED, FAILED or RETURNED; nothing to
/// check for an entry still open.
pub fn check_entry(entry: &LedgerEntry, sets: &[PostingSet]) -> Vec<Violation> {
    match entry.status {
        PaymentEntryStatus::Complete => check_completed(entry, sets),
        status if status.is_given_back() => check_given_back(entry, sets),
        _ => Vec::new(),
    }
}

/// Invariant 2: the postings of a COMPLETE payment or refund sum, per ledger account, to source −payerTotal;
/// destination +beneficiaryTotal; `fx[P]` +payerSub and `fx[B]` −beneficiarySub (0 together for a LOCAL
/// payment); `fees[P]` +payerFee; `fees[B]` +beneficiaryFee; and 0 on every other account (`clearing`,
/// `in_transit`).
pub fn check_completed(entry: &LedgerEntry, sets: &[PostingSet]) -> Vec<Violation> {
    let a = &entry.amounts;
    let mut expected = Sums::new();
    expected.add(entry.source.ledger_account(), a.payer_total.currency(), -i128::from(a.payer_total.minor_units()));
    if let Some(destination) = &entry.destination {
        expected.add(
            LedgerAccount::Bank(destination.clone()),
            a.beneficiary_total.currency(),
            i128::from(a.beneficiary_total.minor_units()),
        );
    }
    expected.add(LedgerAccount::Fx, a.payer_sub.currency(), i128::from(a.payer_sub.minor_units()));
    expected.add(LedgerAccount::Fx, a.beneficiary_sub.currency(), -i128::from(a.beneficiary_sub.minor_units()));
    expected.add(LedgerAccount::Fees, a.payer_fee.currency(), i128::from(a.payer_fee.minor_units()));
    expected.add(LedgerAccount::Fees, a.beneficiary_fee.currency(), i128::from(a.beneficiary_fee.minor_units()));
    compare(entry, &expected, &entry_sums(&entry.id, sets))
}

/// Invariant 3: the postings of an entry that ended DECLINED, CANCELED, FAILED or RETURNED sum to zero on every
/// ledger account.
pub fn check_given_back(entry: &LedgerEntry, sets: &[PostingSet]) -> Vec<Violation> {
    compare(entry, &Sums::new(), &entry_sums(&entry.id, sets))
}

/// Invariant 4: `clearing[C]` equals the payer totals in C of the entries in PROCESSING or UNCLAIMED, and
/// `in_transit[C]` the beneficiary totals in C of those IN_TRANSIT. Entries in other statuses are ignored, so
/// the caller may pass all it has.
pub fn check_open_money(entries: &[LedgerEntry], sets: &[PostingSet]) -> Vec<Violation> {
    let mut expected = Sums::new();
    for entry in entries {
        if entry.status.is_in_clearing() {
            let total = entry.amounts.payer_total;
            expected.add(LedgerAccount::Clearing, total.currency(), i128::from(total.minor_units()));
        } else if entry.status == PaymentEntryStatus::InTransit {
            let total = entry.amounts.beneficiary_total;
            expected.add(LedgerAccount::InTransit, total.currency(), i128::from(total.minor_units()));
        }
    }
    let mut found = Sums::new();
    for posting in sets.iter().flat_map(|set| &set.postings) {
        if matches!(posting.account, LedgerAccount::Clearing | LedgerAccount::InTransit) {
            found.add(posting.account.clone(), posting.currency, i128::from(posting.amount));
        }
    }
    differences(&expected, &found)
        .map(|((account, currency), expected, found)| Violation::OpenMoney { account, currency, expected, found })
        .collect()
}

/// Invariant 5: every `funding:<accountId>[C]` sums to the funding balance the financial provider holds for
/// the account in C (`balances`, those not zero; any other sums to 0).
pub fn check_funding_balances_against(sets: &[PostingSet], balances: &[(AccountId, Money)]) -> Vec<Violation> {
    let mut expected = Sums::new();
    for (account, balance) in balances {
        expected.add(LedgerAccount::Funding(account.clone()), balance.currency(), i128::from(balance.minor_units()));
    }
    let mut found = Sums::new();
    for posting in sets.iter().flat_map(|set| &set.postings) {
        if matches!(posting.account, LedgerAccount::Funding(_)) {
            found.add(posting.account.clone(), posting.currency, i128::from(posting.amount));
        }
    }
    differences(&expected, &found)
        .filter_map(|((account, currency), expected, found)| match account {
            LedgerAccount::Funding(account) => Some(Violation::FundingBalance { account, currency, expected, found }),
            _ => None,
        })
        .collect()
}

/// Sums per ledger account and currency; accounts summing to 0 are left out.
struct Sums(BTreeMap<(LedgerAccount, Currency), i128>);

impl Sums {
    fn new() -> Self {
        Self(BTreeMap::new())
    }

    fn add(&mut self, account: LedgerAccount, currency: Currency, amount: i128) {
        let key = (account, currency);
        let sum = self.0.get(&key).copied().unwrap_or(0) + amount;
        if sum == 0 {
            self.0.remove(&key);
        } else {
            self.0.insert(key, sum);
        }
    }
}

fn entry_sums(entry_id: &str, sets: &[PostingSet]) -> Sums {
    let mut sums = Sums::new();
    for posting in sets.iter().filter(|set| set.entry_id == entry_id).flat_map(|set| &set.postings) {
        sums.add(posting.account.clone(), posting.currency, i128::from(posting.amount));
    }
    sums
}

fn compare(entry: &LedgerEntry, expected: &Sums, found: &Sums) -> Vec<Violation> {
    differences(expected, found)
        .map(|((account, currency), expected, found)| Violation::EntrySum {
            entry_id: entry.id.clone(),
            status: entry.status,
            account,
            currency,
            expected,
            found,
        })
        .collect()
}

/// Every key whose sums differ, with (expected, found).
fn differences<'s>(
    expected: &'s Sums,
    found: &'s Sums,
) -> impl Iterator<Item = ((LedgerAccount, Currency), i128, i128)> + 's {
    let keys: BTreeSet<_> = expected.0.keys().chain(found.0.keys()).cloned().collect();
    keys.into_iter().filter_map(|key| {
        let (e, f) = (expected.0.get(&key).copied().unwrap_or(0), found.0.get(&key).copied().unwrap_or(0));
        (e != f).then_some((key, e, f))
    })
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use kernel::Money;

    use super::*;
    use crate::ledger::{FundingSource, arrival, collection, payout};
    use crate::{PaymentAmounts, PaymentDefinition, QuoteBasis, Rate, price_refund};

    /// A LOCAL refund of 20.00 EUR: no fee, so no fee schedule needed.
    fn amounts() -> PaymentAmounts {
        let amount = Money::from_minor_units(2000, Currency::EUR).expect("an amount");
        let definition = PaymentDefinition {
            payer_currency: Currency::EUR,
            beneficiary_currency: Currency::EUR,
            amount,
            quote_basis: QuoteBasis::Beneficiary,
            payer_accepted_fees: false,
        };
        price_refund(&definition, Rate::ONE).expect("priced")
    }

    fn entry(status: PaymentEntryStatus) -> LedgerEntry {
        LedgerEntry {
            id: "r-1".to_owned(),
            status,
            amounts: amounts(),
            source: FundingSource::BankAccount("refunder".to_owned()),
            destination: Some("original-payer".to_owned()),
        }
    }

    fn at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 5, 0, 0, 0).single().expect("a valid time")
    }

    fn lifecycle() -> Vec<PostingSet> {
        let e = entry(PaymentEntryStatus::Complete);
        vec![
            collection(&e.id, at(), &e.amounts, &e.source),
            payout(&e.id, at(), &e.amounts),
            arrival(&e.id, at(), &e.amounts, "original-payer"),
        ]
    }

    #[test]
    fn a_completed_refund_holds_every_invariant() {
        let report = check_sets(&lifecycle(), &[entry(PaymentEntryStatus::Complete)]);
        assert!(report.is_clean(), "{report}");
    }

    #[test]
    fn each_check_names_what_is_wrong() {
        let sets = lifecycle();
        // Still IN_TRANSIT by its facts, but arrived by the books: in_transit[EUR] is 0, not 20.00.
        assert_eq!(
            check_open_money(&[entry(PaymentEntryStatus::InTransit)], &sets),
            [Violation::OpenMoney {
                account: LedgerAccount::InTransit,
                currency: Currency::EUR,
                expected: 2000,
                found: 0,
            }]
        );
        // Said FAILED (given back) while the money reached the destination.
        let given_back = check_given_back(&entry(PaymentEntryStatus::Failed), &sets);
        assert_eq!(given_back.len(), 2, "{given_back:?}");
        // Without its arrival a COMPLETE refund still holds 20.00 in transit and misses its destination.
        let completed = check_completed(&entry(PaymentEntryStatus::Complete), &sets[..2]);
        assert_eq!(completed.len(), 2, "{completed:?}");
        let mut tampered = sets[1].clone();
        tampered.postings.pop();
        assert_eq!(check_balance(&[tampered]).len(), 1);
    }
}
