//! One attempt: a POST to a webhook's endpoint, connecting only to addresses checked as createWebhook rule 6
//! says, with no redirect followed and no proxy, cut at `WEBHOOK_TIMEOUT`.

use std::error::Error as StdError;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use url::Url;

use crate::WebhooksConfig;
use crate::address::{Unreachable, resolve};

/// How much of an answer is kept (and shown by testWebhook).
pub const ANSWER_LIMIT: usize = 64 * 1024;

/// Why an attempt failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptFailure {
    /// The host has no address.
    Dns,
    /// The host has an address that is not public.
    Private,
    /// No connection, or it broke.
    Connect,
    Tls,
    /// No full answer within `WEBHOOK_TIMEOUT`.
    Timeout,
    /// An answer that is not 2xx.
    Status(u16),
}

impl AttemptFailure {
    /// The word of `extensions.reason` (testWebhook) and of the stored attempt.
    pub fn reason(self) -> &'static str {
        match self {
            Self::Dns => "dns",
            Self::Private => "private",
            Self::Connect => "connect",
            Self::Tls => "tls",
            Self::Timeout => "timeout",
            Self::Status(_) => "status",
        }
    }

    pub fn status(self) -> Option<u16> {
        match self {
            Self::Status(status) => Some(status),
            _ => None,
        }
    }
}

/// What one attempt got.
#[derive(Debug, Clone)]
pub struct AttemptAnswer {
    pub status: Option<u16>,
    /// The first [`ANSWER_LIMIT`] bytes of the answer, as text.
    pub body: String,
    pub duration: Duration,
    pub failure: Option<AttemptFailure>,
}

/// The HTTP client of every attempt, shared.
#[derive(Debug, Clone)]
pub struct Sender {
    client: reqwest::Client,
    allow_private: bool,
}

/// The client's resolver: a name resolving to any non-public address is not connected to at all, so a name
/// that passed the check before and resolves elsewhere now (DNS rebinding) is still refused.
#[derive(Debug)]
struct CheckedResolver {
    allow_private: bool,
}

#[derive(Debug)]
struct Refused(Unreachable);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Unreachable::NotFound => f.write_str("the host has no address"),
            Unreachable::NotPublic => f.write_str("the host has an address that is not public"),
        }
    }
}

impl StdError for Refused {}

impl Resolve for CheckedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        Box::pin(async move {
            // The port is the URL's; the client sets it on every address.
            match resolve(name.as_str(), 0, allow_private).await {
                Ok(addresses) => Ok(Box::new(addresses.into_iter()) as Addrs),
                Err(unreachable) => Err(Box::new(Refused(unreachable)) as Box<dyn StdError + Send + Sync>),
            }
        })
    }
}

impl Sender {
    pub fn new(config: &WebhooksConfig) -> anyhow::Result<Self> {
        let timeout = config.timeout.to_std()?;
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            // A kept connection would skip the address check of the next attempt.
            .pool_max_idle_per_host(0)
            .user_agent("borderless-webhooks/1")
            .dns_resolver(Arc::new(CheckedResolver { allow_private: config.allow_private_targets }))
            .build()?;
        Ok(Self { client, allow_private: config.allow_private_targets })
    }

    /// Checks the endpoint's addresses now, as testWebhook rule 4 and every delivery attempt do.
    pub async fn check_target(&self, url: &Url) -> Result<(), AttemptFailure> {
        let host = url.host_str().unwrap_or_default();
        let port = url.port_or_known_default().unwrap_or(443);
        match resolve(host, port, self.allow_private).await {
            Ok(_) => Ok(()),
            Err(Unreachable::NotFound) => Err(AttemptFailure::Dns),
            Err(Unreachable::NotPublic) => Err(AttemptFailure::Private),
        }
    }

    /// POSTs `body` with `headers` to `url`. The target is checked first: the client connects to an IP literal
    /// without asking its resolver.
    pub async fn post(&self, url: &Url, body: String, headers: &[(&'static str, String)]) -> AttemptAnswer {
        let started = Instant::now();
        let failed = |failure: AttemptFailure, status: Option<u16>, body: String| AttemptAnswer {
            status,
            body,
            duration: started.elapsed(),
            failure: Some(failure),
        };
        if let Err(failure) = self.check_target(url).await {
            return failed(failure, None, String::new());
        }
        let mut request = self.client.post(url.clone()).header("Content-Type", "application/jwt").body(body);
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        let mut response = match request.send().await {
            Ok(response) => response,
            Err(error) => return failed(classify(&error), None, String::new()),
        };
        let status = response.status().as_u16();
        let mut kept = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    let room = ANSWER_LIMIT - kept.len();
                    kept.extend_from_slice(&chunk[..chunk.len().min(room)]);
                    if kept.len() >= ANSWER_LIMIT {
                        break;
                    }
                }
                Ok(None) => break,
                Err(error) => {
                    return failed(classify(&error), Some(status), String::from_utf8_lossy(&kept).into_owned());
                }
            }
        }
        let body = String::from_utf8_lossy(&kept).into_owned();
        if (200..300).contains(&status) {
            AttemptAnswer { status: Some(status), body, duration: started.elapsed(), failure: None }
        } else {
            failed(AttemptFailure::Status(status), Some(status), body)
        }
    }
}

fn classify(error: &reqwest::Error) -> AttemptFailure {
    if error.is_timeout() {
        return AttemptFailure::Timeout;
    }
    let mut source: Option<&(dyn StdError + 'static)> = error.source();
    while let Some(cause) = source {
        if let Some(refused) = cause.downcast_ref::<Refused>() {
            return match refused.0 {
                Unreachable::NotFound => AttemptFailure::Dns,
                Unreachable::NotPublic => AttemptFailure::Private,
            };
        }
        if cause.downcast_ref::<native_tls::Error>().is_some() {
            return AttemptFailure::Tls;
        }
        source = cause.source();
    }
    AttemptFailure::Connect
}
