use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use kernel::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use ureq::Agent;
use ureq::tls::{TlsConfig, TlsProvider};

use super::{
    Applicant, CheckOutcome, CheckProgress, IdentityDocument, IdentityProvider, IdentitySubject, StartedCheck,
};

/// Longest a call to the provider may take, connecting included.
const CALL_TIMEOUT: Duration = Duration::from_secs(10);

/// An identity provider reached over HTTP with Onfido's resource shapes (`/applicants`, `/sdk_token`,
/// `/documents`, `/checks`), selected with `IDENTITY_PROVIDER=http`. It is the seam a real provider's client
/// plugs into: the operations only see [`IdentityProvider`].
///
/// A started check is asked for its outcome once `poll_after` has passed, then again every `poll_after` until
/// the provider reports it complete.
pub struct HttpIdentityProvider {
    agent: Agent,
    base_url: String,
    token: Option<SecretString>,
    poll_after: TimeDelta,
    sdk_token_ttl: TimeDelta,
}

impl std::fmt::Debug for HttpIdentityProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpIdentityProvider").field("base_url", &self.base_url).finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
struct Created {
    id: String,
}

#[derive(Deserialize)]
struct SdkToken {
    token: String,
}

#[derive(Deserialize)]
struct Documents {
    documents: Vec<Value>,
}

#[derive(Deserialize)]
struct Check {
    status: String,
    result: Option<String>,
}

impl HttpIdentityProvider {
    pub fn new(
        base_url: &str,
        token: Option<SecretString>,
        poll_after: TimeDelta,
        sdk_token_ttl: TimeDelta,
    ) -> anyhow::Result<Self> {
        let base_url = base_url.trim_end_matches('/').to_owned();
        if !(base_url.starts_with("https://") || base_url.starts_with("http://")) {
            anyhow::bail!("IDENTITY_PROVIDER_URL must be an http(s) URL");
        }
        let agent = Agent::config_builder()
            .timeout_global(Some(CALL_TIMEOUT))
            .max_redirects(0)
            .proxy(None)
            .tls_config(TlsConfig::builder().provider(TlsProvider::NativeTls).build())
            .build()
            .into();
        Ok(Self { agent, base_url, token, poll_after, sdk_token_ttl })
    }

    fn url(&self, path: &str) -> String {
        format!("{}/{path}", self.base_url)
    }

    fn authorization(&self) -> Option<String> {
        self.token.as_ref().map(|token| format!("Token token={}", token.expose_secret()))
    }

    fn post<T: DeserializeOwned>(&self, path: &str, body: &Value) -> anyhow::Result<T> {
        let mut request = self.agent.post(self.url(path));
        if let Some(authorization) = self.authorization() {
            request = request.header("Authorization", authorization);
        }
        Ok(request
            .send_json(body)
            .map_err(|e| anyhow::anyhow!("identity provider POST {path}: {e}"))?
            .into_body()
            .read_json()?)
    }

    fn get<T: DeserializeOwned>(&self, path: &str, query: Option<(&str, &str)>) -> anyhow::Result<T> {
        let mut request = self.agent.get(self.url(path));
        if let Some((name, value)) = query {
            request = request.query(name, value);
        }
        if let Some(authorization) = self.authorization() {
            request = request.header("Authorization", authorization);
        }
        Ok(request.call().map_err(|e| anyhow::anyhow!("identity provider GET {path}: {e}"))?.into_body().read_json()?)
    }

    fn new_applicant(&self, subject: &IdentitySubject<'_>, id_numbers: Value) -> anyhow::Result<String> {
        let first_name = subject.name.strip_suffix(subject.family_name).unwrap_or(subject.name).trim();
        let body = json!({ "first_name": first_name, "last_name": subject.family_name, "id_numbers": id_numbers });
        provider_id(self.post::<Created>("applicants", &body)?.id)
    }

    fn new_check(&self, applicant_id: &str, now: DateTime<Utc>) -> anyhow::Result<StartedCheck> {
        let body = json!({ "applicant_id": applicant_id, "report_names": ["document"] });
        let check: Created = self.post("checks", &body)?;
        Ok(StartedCheck { reference: provider_id(check.id)?, due_at: now + self.poll_after, verdict: None })
    }
}

/// The provider's ids end up in URL paths: only the characters of its UUIDs are taken.
fn provider_id(id: String) -> anyhow::Result<String> {
    let plain = !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if !plain {
        anyhow::bail!("identity provider answered an id that is not plain: {id:?}");
    }
    Ok(id)
}

impl IdentityProvider for HttpIdentityProvider {
    fn create_applicant(&self, subject: &IdentitySubject<'_>, now: DateTime<Utc>) -> anyhow::Result<Applicant> {
        let id = self.new_applicant(subject, json!([]))?;
        let token: SdkToken = self.post("sdk_token", &json!({ "applicant_id": id }))?;
        Ok(Applicant { id, sdk_token: SecretString::from(token.token), sdk_token_expires_at: now + self.sdk_token_ttl })
    }

    fn document_captured(&self, applicant_id: &str) -> anyhow::Result<bool> {
        let documents: Documents = self.get("documents", Some(("applicant_id", applicant_id)))?;
        Ok(!documents.documents.is_empty())
    }

    fn start_applicant_check(
        &self,
        applicant_id: &str,
        _subject: &IdentitySubject<'_>,
        requested_at: DateTime<Utc>,
    ) -> anyhow::Result<StartedCheck> {
        self.new_check(applicant_id, requested_at)
    }

    fn start_check(
        &self,
        subject: &IdentitySubject<'_>,
        document: &IdentityDocument<'_>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<StartedCheck> {
        let id_numbers = json!([{
            "type": document.document_type.as_str().to_ascii_lowercase(),
            "value": document.number.expose_secret(),
            "issuing_country": document.issuing_country.code(),
        }]);
        let applicant_id = self.new_applicant(subject, id_numbers)?;
        self.new_check(&applicant_id, now)
    }

    fn progress(&self, check: &StartedCheck, now: DateTime<Utc>) -> anyhow::Result<CheckProgress> {
        if now < check.due_at {
            return Ok(CheckProgress::Running { ask_again_at: check.due_at });
        }
        let answer: Check = self.get(&format!("checks/{}", check.reference), None)?;
        match (answer.status.as_str(), answer.result.as_deref()) {
            ("complete", Some("clear")) => Ok(CheckProgress::Ended(CheckOutcome::Clear)),
            ("complete", Some(_)) => Ok(CheckProgress::Ended(CheckOutcome::Rejected)),
            ("complete", None) => {
                anyhow::bail!("identity provider check {} is complete without a result", check.reference)
            }
            _ => Ok(CheckProgress::Running { ask_again_at: now + self.poll_after }),
        }
    }
}
