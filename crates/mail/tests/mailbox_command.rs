//! `borderless admin mailbox [<email>]`.

mod common;

use std::sync::Arc;

use common::{Setup, email, queue_committed};
use kernel::Job;
use kernel::admin::{AdminCommand, AdminContext};
use kernel::{Jobs, admin};
use mail::{EmailOutbox, LocalMailbox, MailboxCommand};
use serde_json::Value;

#[tokio::test(flavor = "multi_thread")]
async fn prints_the_messages_newest_first_and_filters_by_address() -> anyhow::Result<()> {
    let setup = Setup::new()?;
    let ctx = AdminContext { jobs: Jobs::default(), job_context: setup.ctx.clone() };
    let job = EmailOutbox::new(Arc::new(LocalMailbox::new(setup.pool().clone(), Arc::clone(&setup.ctx.clock))));
    // One at a time, so the order they reach the mailbox is known.
    for (to, subject) in [("ada@example.com", "first"), ("bob@example.com", "second"), ("ada@example.com", "third")] {
        queue_committed(&setup.ctx, vec![email(to, subject)?]).await?;
        assert_eq!(job.run(&setup.ctx).await?, 1);
    }
    let command = MailboxCommand;
    assert_eq!(command.words(), ["mailbox"]);
    assert!(matches!(command.arguments(), [admin::Argument { name: "email", required: false, .. }]));

    let all = command.run(&ctx, &[]).await?;
    assert_eq!(subjects(&all), ["third", "second", "first"]);
    let Some(newest) = all.get(0).and_then(Value::as_object) else { anyhow::bail!("not an array of objects: {all}") };
    let mut keys: Vec<&str> = newest.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["createdAt", "id", "links", "subject", "template", "text", "to"]);
    assert_eq!(newest["to"], "ada@example.com");
    assert_eq!(newest["template"], "email_verification");
    assert_eq!(newest["links"][1], "http://localhost:8000/login");
    let created_at = newest["createdAt"].as_str().unwrap_or_default();
    assert!(kernel::DateTime::parse(created_at).is_some_and(|d| d.render() == created_at), "{created_at}");

    let ada = command.run(&ctx, &[" ADA@example.com ".to_owned()]).await?;
    assert_eq!(subjects(&ada), ["third", "first"]);
    let nobody = command.run(&ctx, &["carol@example.com".to_owned()]).await?;
    assert_eq!(nobody, Value::Array(Vec::new()));

    let refused = command.run(&ctx, &["not-an-email".to_owned()]).await;
    let error = refused.err().map(|e| e.to_string()).unwrap_or_default();
    assert_eq!(error, "\"not-an-email\" is not a valid email address");
    Ok(())
}

fn subjects(messages: &Value) -> Vec<&str> {
    messages.as_array().into_iter().flatten().filter_map(|m| m["subject"].as_str()).collect()
}
