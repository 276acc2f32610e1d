//! The payments domain's operator commands (providers.md section 9): `fund` and `check-ledger`.

use std::sync::Arc;

use anyhow::Context as _;
use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use kernel::admin::{AdminCommand, AdminContext, Argument};
use kernel::{AccountId, Clock, Currency, FxRates, Money, with_transaction};
use serde_json::{Value, json};
use store::DbConnection;

use crate::ledger::{LedgerReport, check_funding_balances_against, check_sets, load_posting_sets};
use crate::provider::FinancialProvider;
use crate::settlement::SettlingPayment;
use crate::{FundingRefusal, fund_account};

/// `fund <accountId> <CUR> <amount>`: credits the account's funding balance through a CREATED_FUNDING_PAYMENT
/// entry, PENDING until the next settlement tick.
pub struct Fund;

impl AdminCommand for Fund {
    fn words(&self) -> &'static [&'static str] {
        &["fund"]
    }

    fn about(&self) -> &'static str {
        "Credits an account's funding balance: a CREATED_FUNDING_PAYMENT entry that completes at the next settlement tick"
    }

    fn arguments(&self) -> &'static [Argument] {
        &[
            Argument { name: "accountId", required: true, help: "the account's id" },
            Argument { name: "currency", required: true, help: "the balance's currency, e.g. USD" },
            Argument { name: "amount", required: true, help: "in major units, e.g. 250.00" },
        ]
    }

    fn run<'a>(&'a self, ctx: &'a AdminContext, args: &'a [String]) -> BoxFuture<'a, anyhow::Result<Value>> {
        async move {
            let arg = |i: usize| args.get(i).map(String::as_str).unwrap_or_default();
            let account_id = AccountId::from_text(arg(0));
            let currency: Currency =
                arg(1).parse().map_err(|_| anyhow::anyhow!("{:?} is not a currency code", arg(1)))?;
            let rates = ctx.job_context.services.get::<FxRates>()?;
            // The command line is an edge like the API's: the amount follows the same money rules.
            let value: f64 = arg(2).trim().parse().with_context(|| format!("{:?} is not an amount", arg(2)))?;
            let amount = Money::from_major_positive(value, currency, rates)
                .map_err(|error| anyhow::anyhow!("{:?} is not a valid amount in {currency}: {error:?}", arg(2)))?;
            let now = ctx.job_context.clock.now();
            let id = with_transaction(&ctx.job_context.pool, move |tx| -> Result<String, FundingRefusal> {
                fund_account(tx, &account_id, amount, now)
            })
            .await?;
            Ok(json!({ "paymentId": id }))
        }
        .boxed()
    }
}

/// `check-ledger`: checks the five invariants of flows.md section 11 over the whole ledger.
pub struct CheckLedger;

impl AdminCommand for CheckLedger {
    fn words(&self) -> &'static [&'static str] {
        &["check-ledger"]
    }

    fn about(&self) -> &'static str {
        "Checks the five ledger invariants over the whole ledger; fails with the first violation"
    }

    fn run<'a>(&'a self, ctx: &'a AdminContext, _args: &'a [String]) -> BoxFuture<'a, anyhow::Result<Value>> {
        async move {
            let provider = ctx.job_context.services.get::<Arc<dyn FinancialProvider>>()?.clone();
            // One transaction: the postings, the payments and the balances are read as of one moment.
            let (report, sets) =
                with_transaction(&ctx.job_context.pool, move |tx| check_whole_ledger(tx.conn(), &provider)).await?;
            match report.violations.first() {
                None => Ok(json!({ "balanced": true, "postingSets": sets })),
                Some(violation) => anyhow::bail!("invariant {}: {violation}", violation.invariant()),
            }
        }
        .boxed()
    }
}

/// Every invariant over the stored ledger, with the facts of every payment and the provider's funding
/// balances; answers the report and the number of posting sets.
pub fn check_whole_ledger(
    conn: &mut DbConnection,
    provider: &Arc<dyn FinancialProvider>,
) -> anyhow::Result<(LedgerReport, usize)> {
    let sets = load_posting_sets(conn)?;
    let entries =
        SettlingPayment::all(conn)?.iter().map(SettlingPayment::ledger_entry).collect::<anyhow::Result<Vec<_>>>()?;
    let mut report = check_sets(&sets, &entries);
    report.violations.extend(check_funding_balances_against(&sets, &provider.funding_balances(conn)?));
    Ok((report, sets.len()))
}
