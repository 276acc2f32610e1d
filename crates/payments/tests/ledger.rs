//! The ledger of flows.md section 11 on a real database (SQLite, or PostgreSQL when `TEST_DATABASE_URL` is
//! set): posting sets written and read back, the append-only table, and every invariant held along random
//! payment lifecycles of section 8.

use std::collections::BTreeMap;
use std::str::FromStr;

use chrono::{DateTime, Duration, TimeZone, Utc};
use diesel::RunQueryDsl;
use kernel::{AccountId, Currency, FxRates, Money};
use payments::ledger::{
    FundingSource, LedgerAccount, LedgerEntry, PostError, PostingSet, Step, Violation, arrival,
    check_funding_balances_against, check_ledger, check_sets, collection, funding_credit, give_back,
    give_back_after_payout, load_posting_sets, payout, post,
};
use payments::{
    FeeSchedule, MidRate, PaymentAmounts, PaymentDefinition, PaymentEntryStatus, PricingConfig, PricingError,
    QuoteBasis, Rate, price_payment,
};
use proptest::prelude::*;
use rust_decimal::Decimal;
use store::{DbConnection, TestDatabase, write_transaction};

fn at(seconds: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 5, 10, 0, 0).single().expect("a valid time") + Duration::seconds(seconds)
}

struct Tables {
    rates: FxRates,
    fees: FeeSchedule,
}

impl Tables {
    fn shipped() -> Self {
        Self {
            rates: FxRates::built_in().expect("the built-in rates table parses"),
            fees: FeeSchedule::built_in().expect("the built-in fee schedule parses"),
        }
    }

    /// Prices at `rate`, or at the shipped customer rate when `None`.
    fn price(
        &self,
        amount: Money,
        beneficiary: Currency,
        payer_accepted_fees: bool,
        rate: Option<&str>,
    ) -> Result<PaymentAmounts, PricingError> {
        let payer = amount.currency();
        let config = PricingConfig::default();
        let rate = match rate {
            Some(text) => Rate::new(Decimal::from_str(text).expect("a decimal")).expect("a valid rate"),
            None => Rate::between(&self.rates, payer, beneficiary, config.fx_spread).expect("a rate"),
        };
        let mid = MidRate::between(&self.rates, payer, beneficiary).expect("both currencies are in the table");
        let definition = PaymentDefinition {
            payer_currency: payer,
            beneficiary_currency: beneficiary,
            amount,
            quote_basis: QuoteBasis::Payer,
            payer_accepted_fees,
        };
        price_payment(&definition, rate, mid, &self.fees, config.bank_fx_markup)
    }
}

fn worked_example() -> anyhow::Result<PaymentAmounts> {
    let amount = Money::from_minor_units(3500, Currency::CAD).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    Ok(Tables::shipped().price(amount, Currency::USD, false, Some("0.7239"))?)
}

fn connect(database: &TestDatabase) -> anyhow::Result<store::PooledConnection> {
    Ok(store::connect_pool(database.url(), 2)?.get()?)
}

fn post_committed(conn: &mut DbConnection, set: &PostingSet) -> Result<String, PostError> {
    write_transaction(conn, |tx| post(tx, set))
}

fn entry(id: &str, status: PaymentEntryStatus, amounts: PaymentAmounts, source: &FundingSource) -> LedgerEntry {
    LedgerEntry {
        id: id.to_owned(),
        status,
        amounts,
        source: source.clone(),
        destination: Some("beneficiary-bank".to_owned()),
    }
}

#[test]
fn the_worked_payment_is_stored_and_read_back_set_by_set() -> anyhow::Result<()> {
    let database = TestDatabase::new()?;
    let mut conn = connect(&database)?;
    let amounts = worked_example()?;
    let source = FundingSource::BankAccount("payer-bank".to_owned());
    let sets = [
        collection("p-1", at(0), &amounts, &source),
        payout("p-1", at(10), &amounts),
        arrival("p-1", at(20), &amounts, "beneficiary-bank"),
    ];
    let mut ids = Vec::new();
    for set in &sets {
        ids.push(post_committed(&mut conn, set)?);
    }
    ids.dedup();
    assert_eq!(ids.len(), 3, "every set has an id of its own");
    assert_eq!(load_posting_sets(&mut conn)?, sets);
    let report = check_ledger(&mut conn, &[entry("p-1", PaymentEntryStatus::Complete, amounts, &source)])?;
    assert!(report.is_clean(), "{report}");
    Ok(())
}

#[test]
fn an_unbalanced_set_is_refused_and_nothing_is_written() -> anyhow::Result<()> {
    let database = TestDatabase::new()?;
    let mut conn = connect(&database)?;
    let amounts = worked_example()?;
    let mut set = payout("p-1", at(0), &amounts);
    // The fee dropped: USD now sums to -1.00.
    set.postings.retain(|p| p.account != LedgerAccount::Fees);
    match post_committed(&mut conn, &set) {
        Err(PostError::Unbalanced(sums)) => assert_eq!(sums, [(Currency::USD, -100)]),
        other => anyhow::bail!("expected a refusal, got {other:?}"),
    }
    let mut empty = set.clone();
    empty.postings.clear();
    assert!(matches!(post_committed(&mut conn, &empty), Err(PostError::NothingMoves)));
    // Refused inside a transaction that goes on: the earlier set of that transaction stays, the refused one
    // leaves nothing.
    let good = collection("p-1", at(0), &amounts, &FundingSource::BankAccount("b".to_owned()));
    write_transaction(&mut conn, |tx| {
        post(tx, &good)?;
        assert!(post(tx, &set).is_err());
        Ok::<_, PostError>(())
    })?;
    assert_eq!(load_posting_sets(&mut conn)?, [good]);
    Ok(())
}

#[test]
fn the_database_refuses_to_change_or_delete_postings() -> anyhow::Result<()> {
    let database = TestDatabase::new()?;
    let mut conn = connect(&database)?;
    let amounts = worked_example()?;
    let set = collection("p-1", at(0), &amounts, &FundingSource::BankAccount("payer-bank".to_owned()));
    post_committed(&mut conn, &set)?;
    for statement in [
        "UPDATE ledger_postings SET amount = amount * 2",
        "UPDATE ledger_postings SET entry_id = 'p-2' WHERE ledger_account = 'clearing'",
        "DELETE FROM ledger_postings",
        "DELETE FROM ledger_postings WHERE ledger_account = 'clearing'",
    ] {
        let refused = diesel::sql_query(statement).execute(&mut *conn);
        let message = refused.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains("append-only"), "{statement}: {message:?}");
    }
    if let DbConnection::Postgres(_) = &*conn {
        let refused = diesel::sql_query("TRUNCATE ledger_postings").execute(&mut *conn);
        assert!(refused.err().map(|e| e.to_string()).unwrap_or_default().contains("append-only"));
    }
    assert_eq!(load_posting_sets(&mut conn)?, [set]);
    Ok(())
}

#[test]
fn the_report_lists_every_violation() -> anyhow::Result<()> {
    let database = TestDatabase::new()?;
    let mut conn = connect(&database)?;
    let amounts = worked_example()?;
    let funding = FundingSource::FundingBalance(AccountId::from_text("payer"));
    let bank = FundingSource::BankAccount("payer-bank".to_owned());
    // Collected from a funding balance that was never credited; p-2 collected, and then claimed COMPLETE.
    post_committed(&mut conn, &collection("p-1", at(0), &amounts, &funding))?;
    post_committed(&mut conn, &collection("p-2", at(1), &amounts, &bank))?;
    let entries = [
        entry("p-1", PaymentEntryStatus::Processing, amounts, &funding),
        entry("p-2", PaymentEntryStatus::Complete, amounts, &bank),
    ];
    let report = check_ledger(&mut conn, &entries)?;
    let kinds: Vec<&str> = report
        .violations
        .iter()
        .map(|v| match v {
            Violation::Unbalanced { .. } => "unbalanced",
            Violation::NegativeFunding { .. } | Violation::FundingBalance { .. } => "funding",
            Violation::EntrySum { .. } => "entry sum",
            Violation::OpenMoney { .. } => "open money",
        })
        .collect();
    // p-1 took 35.00 CAD from a balance never credited. p-2, said COMPLETE, has its source −35.00 CAD right but
    // lacks the destination +24.34 USD, fx[CAD] +35.00, fx[USD] −25.34 and fees[USD] +1.00, and still holds
    // +35.00 in clearing[CAD]. clearing[CAD] holds 70.00 where only p-1's 35.00 is open.
    assert_eq!(kinds, ["funding", "entry sum", "entry sum", "entry sum", "entry sum", "entry sum", "open money"]);
    assert!(report.to_string().contains("funding:payer[CAD] is -3500"), "{report}");
    Ok(())
}

/// The path of section 8 a payment takes.
#[derive(Clone, Copy, Debug)]
enum Path {
    /// PENDING → DECLINED.
    Declined,
    /// SCHEDULED → CANCELED, before collection.
    Canceled,
    /// PENDING → PROCESSING → FAILED.
    Failed,
    /// … → IN_TRANSIT → RETURNED.
    Returned,
    /// … → IN_TRANSIT → COMPLETE.
    Completed,
}

#[derive(Clone, Debug)]
struct Plan {
    payer: Currency,
    beneficiary: Currency,
    minor_units: i64,
    payer_accepted_fees: bool,
    /// `Some((payer account, credit ‰ of the payer total))`: funded from that account's funding balance, which
    /// a funding credit fills first; a credit short of the total makes the collection DECLINED.
    funding: Option<(usize, u32)>,
    path: Path,
}

const CURRENCIES: &[Currency] = &[Currency::USD, Currency::EUR, Currency::CAD, Currency::JPY, Currency::GBP];

fn plan() -> impl Strategy<Value = Plan> {
    let currency = || proptest::sample::select(CURRENCIES);
    let path = prop_oneof![
        Just(Path::Declined),
        Just(Path::Canceled),
        Just(Path::Failed),
        Just(Path::Returned),
        Just(Path::Completed)
    ];
    (currency(), currency(), 1i64..5_000_000, any::<bool>(), proptest::option::of((0usize..3, 0u32..2000)), path)
        .prop_map(|(payer, beneficiary, minor_units, payer_accepted_fees, funding, path)| Plan {
            payer,
            beneficiary,
            minor_units,
            payer_accepted_fees,
            funding,
            path,
        })
}

/// Where the simulation writes each set: a list in memory, and optionally the database too.
struct Books<'c> {
    sets: Vec<PostingSet>,
    conn: Option<&'c mut DbConnection>,
}

impl Books<'_> {
    fn post(&mut self, set: PostingSet) -> Result<(), TestCaseError> {
        if let Some(conn) = self.conn.as_deref_mut() {
            post_committed(conn, &set).map_err(|e| TestCaseError::fail(e.to_string()))?;
        }
        self.sets.push(set);
        Ok(())
    }

    /// Every invariant, invariant 5 against `balances`: the funding balances the provider would hold.
    fn check(
        &mut self,
        entries: &[LedgerEntry],
        balances: &BTreeMap<(AccountId, Currency), i64>,
    ) -> Result<(), TestCaseError> {
        let report = check_sets(&self.sets, entries);
        prop_assert!(report.is_clean(), "{}", report);
        let held = balances
            .iter()
            .filter(|(_, balance)| **balance != 0)
            .map(|((account, currency), balance)| {
                Money::from_minor_units(*balance, *currency)
                    .map(|money| (account.clone(), money))
                    .map_err(|e| TestCaseError::fail(format!("{e:?}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let funding = check_funding_balances_against(&self.sets, &held);
        prop_assert!(funding.is_empty(), "{:?}", funding);
        if let Some(conn) = self.conn.as_deref_mut() {
            let stored = load_posting_sets(conn).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(&stored, &self.sets);
            let report = check_ledger(conn, entries).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert!(report.is_clean(), "{}", report);
        }
        Ok(())
    }
}

/// Takes each priced payment along its path, one random payment one step at a time, and checks every
/// invariant after each step.
fn simulate(plans: &[Plan], picks: &[usize], conn: Option<&mut DbConnection>) -> Result<(), TestCaseError> {
    let tables = Tables::shipped();
    let mut books = Books { sets: Vec::new(), conn };
    let mut entries = Vec::new();
    let mut paths = Vec::new();
    let mut clock = 0;
    let mut funding_balances: BTreeMap<(AccountId, Currency), i64> = BTreeMap::new();
    for (i, plan) in plans.iter().enumerate() {
        let amount =
            Money::from_minor_units(plan.minor_units, plan.payer).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        // Amounts too small to cover the fee are refused at pricing and never become payments.
        let Ok(amounts) = tables.price(amount, plan.beneficiary, plan.payer_accepted_fees, None) else { continue };
        let source = match plan.funding {
            Some((account, per_mille)) => {
                let account = AccountId::from_text(format!("account-{account}"));
                let credit = amounts.payer_total.minor_units() * i64::from(per_mille) / 1000;
                if credit > 0 {
                    let money = Money::from_minor_units(credit, plan.payer)
                        .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
                    clock += 1;
                    books.post(funding_credit(&format!("f-{i}"), at(clock), &account, money))?;
                    *funding_balances.entry((account.clone(), plan.payer)).or_insert(0) += credit;
                    books.check(&entries, &funding_balances)?;
                }
                FundingSource::FundingBalance(account)
            }
            None => FundingSource::BankAccount(format!("bank-{i}")),
        };
        entries.push(LedgerEntry {
            id: format!("p-{i}"),
            status: PaymentEntryStatus::Pending,
            amounts,
            source,
            destination: Some(format!("beneficiary-bank-{i}")),
        });
        paths.push(plan.path);
    }
    let mut picks = picks.iter().cycle();
    loop {
        let open: Vec<usize> = (0..entries.len()).filter(|&i| !is_final(entries[i].status)).collect();
        let Some(&pick) = picks.next() else { break };
        let Some(&i) = open.get(pick % open.len().max(1)) else { break };
        clock += 1;
        let now = at(clock);
        let entry = &mut entries[i];
        let (id, amounts, source) = (entry.id.clone(), entry.amounts, entry.source.clone());
        let next = match (entry.status, paths[i]) {
            (PaymentEntryStatus::Pending, Path::Canceled) => PaymentEntryStatus::Canceled,
            (PaymentEntryStatus::Pending, Path::Declined) => PaymentEntryStatus::Declined,
            (PaymentEntryStatus::Pending, _) => {
                // A collection larger than the funding balance is DECLINED.
                let balance = match &source {
                    FundingSource::FundingBalance(account) => {
                        Some(funding_balances.entry((account.clone(), amounts.payer_total.currency())).or_insert(0))
                    }
                    FundingSource::BankAccount(_) => None,
                };
                match balance {
                    Some(balance) if *balance < amounts.payer_total.minor_units() => PaymentEntryStatus::Declined,
                    balance => {
                        if let Some(balance) = balance {
                            *balance -= amounts.payer_total.minor_units();
                        }
                        books.post(collection(&id, now, &amounts, &source))?;
                        PaymentEntryStatus::Processing
                    }
                }
            }
            (PaymentEntryStatus::Processing, Path::Failed) => {
                if let FundingSource::FundingBalance(account) = &source {
                    *funding_balances.entry((account.clone(), amounts.payer_total.currency())).or_insert(0) +=
                        amounts.payer_total.minor_units();
                }
                books.post(give_back(&id, now, &amounts, &source))?;
                PaymentEntryStatus::Failed
            }
            (PaymentEntryStatus::Processing, _) => {
                books.post(payout(&id, now, &amounts))?;
                PaymentEntryStatus::InTransit
            }
            (PaymentEntryStatus::InTransit, Path::Returned) => {
                if let FundingSource::FundingBalance(account) = &source {
                    *funding_balances.entry((account.clone(), amounts.payer_total.currency())).or_insert(0) +=
                        amounts.payer_total.minor_units();
                }
                books.post(give_back_after_payout(&id, now, &amounts, &source))?;
                PaymentEntryStatus::Returned
            }
            (PaymentEntryStatus::InTransit, _) => {
                let destination = entry.destination.clone().unwrap_or_default();
                books.post(arrival(&id, now, &amounts, &destination))?;
                PaymentEntryStatus::Complete
            }
            (status, path) => return Err(TestCaseError::fail(format!("{id} stuck in {status} on {path:?}"))),
        };
        entries[i].status = next;
        books.check(&entries, &funding_balances)?;
    }
    // Every payment reached its end, and each path wrote the steps it should.
    for (entry, path) in entries.iter().zip(&paths) {
        let steps: Vec<Step> = books.sets.iter().filter(|s| s.entry_id == entry.id).map(|s| s.step).collect();
        let expected: &[Step] = match (path, entry.status) {
            (_, PaymentEntryStatus::Declined | PaymentEntryStatus::Canceled) => &[],
            (Path::Failed, _) => &[Step::Collection, Step::GiveBack],
            (Path::Returned, _) => &[Step::Collection, Step::Payout, Step::GiveBackAfterPayout],
            _ => &[Step::Collection, Step::Payout, Step::Arrival],
        };
        prop_assert!(is_final(entry.status), "{} ended {}", entry.id, entry.status);
        prop_assert_eq!(steps, expected.to_vec());
    }
    Ok(())
}

fn is_final(status: PaymentEntryStatus) -> bool {
    status == PaymentEntryStatus::Complete || status.is_given_back()
}

proptest! {
    #[test]
    fn every_invariant_holds_after_every_step(
        plans in proptest::collection::vec(plan(), 1..8),
        picks in proptest::collection::vec(any::<usize>(), 40..60),
    ) {
        simulate(&plans, &picks, None)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    #[test]
    fn the_stored_ledger_holds_every_invariant_after_every_step(
        plans in proptest::collection::vec(plan(), 1..5),
        picks in proptest::collection::vec(any::<usize>(), 20..30),
    ) {
        let database = TestDatabase::new().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let mut conn = connect(&database).map_err(|e| TestCaseError::fail(e.to_string()))?;
        simulate(&plans, &picks, Some(&mut conn))?;
    }
}
