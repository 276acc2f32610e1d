use kernel::LoginId;

use crate::Email;

/// Sends the address-confirmation email after a sign-up has committed (flows.md section 4).
///
/// This is the seam the email-verification work plugs into; a failed send is logged and never undoes the
/// sign-up.
pub trait VerificationMailer: Send + Sync + 'static {
    fn send_verification(&self, login_id: &LoginId, email: &Email) -> anyhow::Result<()>;
}

/// What is wired until email verification is built: it records that no email went out.
#[derive(Debug, Default)]
pub struct VerificationNotBuilt;

impl VerificationMailer for VerificationNotBuilt {
    fn send_verification(&self, login_id: &LoginId, _email: &Email) -> anyhow::Result<()> {
        tracing::warn!(%login_id, "email verification is not built yet: no verification email was sent");
        Ok(())
    }
}
