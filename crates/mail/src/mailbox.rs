use std::sync::Arc;

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use kernel::{Clock, Email, ServiceClock, with_connection};
use serde::{Serialize, Serializer};
use store::schema::mailbox;
use store::{DbConnection, DbError, Pool};

use crate::{Mailer, OutgoingEmail, SendError};

/// Recipients at this domain are refused, so that the email-failure codes (E-6009, E-7101) can be produced on
/// purpose (providers.md section 7).
const REFUSING_DOMAIN: &str = "fail.test";

/// The local transport (`EMAIL_TRANSPORT=mailbox`): keeps every message in the service's database and sends
/// it nowhere. Read back with [`read_mailbox`] or `borderless admin mailbox`.
pub struct LocalMailbox {
    pool: Pool,
    clock: Arc<ServiceClock>,
}

impl LocalMailbox {
    pub fn new(pool: Pool, clock: Arc<ServiceClock>) -> Self {
        Self { pool, clock }
    }
}

impl Mailer for LocalMailbox {
    fn send<'a>(&'a self, email: &'a OutgoingEmail) -> BoxFuture<'a, Result<(), SendError>> {
        async move {
            if email.to.as_str().rsplit_once('@').is_some_and(|(_, domain)| domain == REFUSING_DOMAIN) {
                return Err(SendError::Refused { reason: "recipient refused".to_owned() });
            }
            let links = serde_json::to_string(&email.links).map_err(|e| SendError::Failed(e.into()))?;
            let row = (
                mailbox::id.eq(kernel::new_id()),
                mailbox::recipient.eq(email.to.as_str().to_owned()),
                mailbox::template.eq(email.template.clone()),
                mailbox::subject.eq(email.subject.clone()),
                mailbox::text_body.eq(email.text.clone()),
                mailbox::html_body.eq(email.html.clone()),
                mailbox::links.eq(links),
                mailbox::created_at.eq(self.clock.now().naive_utc()),
            );
            with_connection(&self.pool, move |conn| -> anyhow::Result<()> {
                diesel::insert_into(mailbox::table).values(row).execute(conn)?;
                Ok(())
            })
            .await
            .map_err(SendError::Failed)
        }
        .boxed()
    }
}

/// One message of the local mailbox. Serializes as providers.md section 7 lists it — `id`, `to`, `template`,
/// `subject`, `text`, `links`, `createdAt` — which is what `borderless admin mailbox` prints; `html` is there
/// for in-process tests and left out of that JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MailboxMessage {
    pub id: String,
    pub to: String,
    pub template: String,
    pub subject: String,
    pub text: String,
    #[serde(skip)]
    pub html: String,
    pub links: Vec<String>,
    #[serde(serialize_with = "contract_date_time")]
    pub created_at: DateTime<Utc>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = mailbox)]
struct MailboxRow {
    id: String,
    recipient: String,
    template: String,
    subject: String,
    text_body: String,
    html_body: String,
    links: String,
    created_at: NaiveDateTime,
}

/// The local mailbox's messages, all or those to `to`, newest first.
pub fn read_mailbox(conn: &mut DbConnection, to: Option<&Email>) -> Result<Vec<MailboxMessage>, DbError> {
    let mut query = mailbox::table.into_boxed();
    if let Some(to) = to {
        query = query.filter(mailbox::recipient.eq(to.as_str().to_owned()));
    }
    // Ids are UUIDv7: they order messages stored within the same clock tick.
    let rows: Vec<MailboxRow> =
        query.order((mailbox::created_at.desc(), mailbox::id.desc())).select(MailboxRow::as_select()).load(conn)?;
    rows.into_iter().map(MailboxMessage::try_from).collect()
}

impl TryFrom<MailboxRow> for MailboxMessage {
    type Error = DbError;

    fn try_from(row: MailboxRow) -> Result<Self, DbError> {
        let links = serde_json::from_str(&row.links).map_err(|e| DbError::DeserializationError(Box::new(e)))?;
        Ok(Self {
            id: row.id,
            to: row.recipient,
            template: row.template,
            subject: row.subject,
            text: row.text_body,
            html: row.html_body,
            links,
            created_at: row.created_at.and_utc(),
        })
    }
}

/// The contract's `DateTime` text: RFC 3339 with milliseconds and `Z`.
fn contract_date_time<S: Serializer>(instant: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&kernel::DateTime(*instant).render())
}
