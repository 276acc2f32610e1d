//! The accounts domain's operator commands (providers.md section 9).

use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use kernel::admin::{AdminCommand, AdminContext, Argument};
use kernel::{AccountId, Clock, with_transaction};
use serde_json::{Value, json};

use crate::{OperatorRefusal, disable_account, enable_account, set_scheduled_international};

const ACCOUNT_ID: &[Argument] = &[Argument { name: "accountId", required: true, help: "the account's id" }];

/// `disable-account <accountId>`: blocks the account (DISABLED), remembering the status it had.
pub struct DisableAccount;

impl AdminCommand for DisableAccount {
    fn words(&self) -> &'static [&'static str] {
        &["disable-account"]
    }

    fn about(&self) -> &'static str {
        "Blocks an account: status DISABLED until enable-account, with an account.status_changed event"
    }

    fn arguments(&self) -> &'static [Argument] {
        ACCOUNT_ID
    }

    fn run<'a>(&'a self, ctx: &'a AdminContext, args: &'a [String]) -> BoxFuture<'a, anyhow::Result<Value>> {
        async move {
            let account_id = AccountId::from_text(args.first().cloned().unwrap_or_default());
            let now = ctx.job_context.clock.now();
            let id = account_id.clone();
            with_transaction(&ctx.job_context.pool, move |tx| disable_account(tx, &id, now)).await?;
            Ok(json!({ "accountId": account_id, "status": "DISABLED" }))
        }
        .boxed()
    }
}

/// `enable-account <accountId>`: lifts the block; the account returns to the status it had.
pub struct EnableAccount;

impl AdminCommand for EnableAccount {
    fn words(&self) -> &'static [&'static str] {
        &["enable-account"]
    }

    fn about(&self) -> &'static str {
        "Lifts a block: a DISABLED account returns to the status it had, with an account.status_changed event"
    }

    fn arguments(&self) -> &'static [Argument] {
        ACCOUNT_ID
    }

    fn run<'a>(&'a self, ctx: &'a AdminContext, args: &'a [String]) -> BoxFuture<'a, anyhow::Result<Value>> {
        async move {
            let account_id = AccountId::from_text(args.first().cloned().unwrap_or_default());
            let now = ctx.job_context.clock.now();
            let id = account_id.clone();
            let status = with_transaction(&ctx.job_context.pool, move |tx| enable_account(tx, &id, now)).await?;
            Ok(json!({ "accountId": account_id, "status": status.as_str() }))
        }
        .boxed()
    }
}

/// `scheduled-international <accountId> on|off`: sets or clears the account's scheduled-international
/// permission (I-4731).
pub struct ScheduledInternational;

impl AdminCommand for ScheduledInternational {
    fn words(&self) -> &'static [&'static str] {
        &["scheduled-international"]
    }

    fn about(&self) -> &'static str {
        "Sets (on) or clears (off) an account's permission to schedule INTERNATIONAL payments after today"
    }

    fn arguments(&self) -> &'static [Argument] {
        &[
            Argument { name: "accountId", required: true, help: "the account's id" },
            Argument { name: "on|off", required: true, help: "on to allow, off to disallow" },
        ]
    }

    fn run<'a>(&'a self, ctx: &'a AdminContext, args: &'a [String]) -> BoxFuture<'a, anyhow::Result<Value>> {
        async move {
            let account_id = AccountId::from_text(args.first().cloned().unwrap_or_default());
            let allowed = match args.get(1).map(String::as_str).unwrap_or_default() {
                "on" => true,
                "off" => false,
                other => return Err(OperatorRefusal::Refused(format!("{other:?} is not on or off")).into()),
            };
            let id = account_id.clone();
            let stored =
                with_transaction(&ctx.job_context.pool, move |tx| set_scheduled_international(tx, &id, allowed))
                    .await?;
            Ok(json!({ "accountId": account_id, "scheduledInternational": stored }))
        }
        .boxed()
    }
}
