use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use kernel::admin::{AdminCommand, AdminContext, Argument};
use kernel::{Email, with_connection};
use serde_json::Value;

use crate::read_mailbox;

/// `mailbox [<email>]`: the local mailbox's messages, all or those to one address, newest first
/// (providers.md section 9).
pub struct MailboxCommand;

impl AdminCommand for MailboxCommand {
    fn words(&self) -> &'static [&'static str] {
        &["mailbox"]
    }

    fn about(&self) -> &'static str {
        "Prints the local mailbox's messages (all, or those to one address), newest first, as a JSON array"
    }

    fn arguments(&self) -> &'static [Argument] {
        &[Argument { name: "email", required: false, help: "only messages to this address" }]
    }

    fn run<'a>(&'a self, ctx: &'a AdminContext, args: &'a [String]) -> BoxFuture<'a, anyhow::Result<Value>> {
        async move {
            let to = match args.first() {
                Some(raw) => {
                    Some(Email::parse(raw).ok_or_else(|| anyhow::anyhow!("{raw:?} is not a valid email address"))?)
                }
                None => None,
            };
            let messages = with_connection(&ctx.job_context.pool, move |conn| -> anyhow::Result<_> {
                Ok(read_mailbox(conn, to.as_ref())?)
            })
            .await?;
            Ok(serde_json::to_value(messages)?)
        }
        .boxed()
    }
}
