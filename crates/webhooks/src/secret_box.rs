//! Webhook secrets at rest: sealed with AES-256-GCM, so that deliveries can be signed while a copy of the
//! database does not show the secrets.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use kernel::{ExposeSecret, SecretString, with_connection};
use secrecy::SecretSlice;
use store::Pool;

/// The name of the generated key in `server_secrets`, used only while `WEBHOOK_SECRETS_KEY` is not set.
const STORED_KEY_NAME: &str = "webhook_secrets_key";

const NONCE_LEN: usize = 12;

/// The key webhook secrets are sealed with (`WEBHOOK_SECRETS_KEY`, 32 bytes). `Debug` shows nothing of it.
#[derive(Debug, Clone)]
pub struct SecretBox(SecretSlice<u8>);

impl SecretBox {
    /// The configured form: 64 hexadecimal characters. The refusal never repeats the value.
    pub fn from_hex(text: &str) -> anyhow::Result<Self> {
        let mut bytes = [0u8; 32];
        match hex::decode_to_slice(text.trim(), &mut bytes) {
            Ok(()) => Ok(Self(SecretSlice::from(bytes.to_vec()))),
            Err(_) => anyhow::bail!("WEBHOOK_SECRETS_KEY must be 64 hexadecimal characters (32 bytes)"),
        }
    }

    fn cipher(&self) -> Aes256Gcm {
        Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(self.0.expose_secret()))
    }

    /// Seals `secret` for the webhook `webhook_id`: hex of a random nonce and the ciphertext. The id is bound in,
    /// so a sealed secret copied to another webhook's row does not open.
    pub fn seal(&self, webhook_id: &str, secret: &SecretString) -> anyhow::Result<String> {
        let nonce: [u8; NONCE_LEN] = rand::random();
        let sealed = self
            .cipher()
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload { msg: secret.expose_secret().as_bytes(), aad: webhook_id.as_bytes() },
            )
            .map_err(|_| anyhow::anyhow!("a webhook secret could not be sealed"))?;
        Ok(hex::encode([nonce.as_slice(), &sealed].concat()))
    }

    pub fn open(&self, webhook_id: &str, sealed: &str) -> anyhow::Result<SecretString> {
        let bytes =
            hex::decode(sealed).map_err(|_| anyhow::anyhow!("webhook {webhook_id}: sealed secret unreadable"))?;
        if bytes.len() <= NONCE_LEN {
            anyhow::bail!("webhook {webhook_id}: sealed secret too short");
        }
        let (nonce, ciphertext) = bytes.split_at(NONCE_LEN);
        let plain = self
            .cipher()
            .decrypt(Nonce::from_slice(nonce), Payload { msg: ciphertext, aad: webhook_id.as_bytes() })
            .map_err(|_| anyhow::anyhow!("webhook {webhook_id}: sealed secret does not open with this key"))?;
        Ok(SecretString::from(String::from_utf8(plain)?))
    }
}

/// The key of webhook secrets: the configured `WEBHOOK_SECRETS_KEY` when there is one. Otherwise a key made on
/// the first start and kept in `server_secrets`, so that every instance opens the same secrets; that key sits
/// beside what it protects, hence the warning.
pub async fn secret_box(pool: &Pool, configured: Option<SecretBox>) -> anyhow::Result<SecretBox> {
    if let Some(key) = configured {
        return Ok(key);
    }
    tracing::warn!(
        "WEBHOOK_SECRETS_KEY is not set: webhook secrets are sealed with a key kept in the database; production \
         must set WEBHOOK_SECRETS_KEY (64 hex characters) so that a copy of the database does not reveal them"
    );
    with_connection(pool, |conn| {
        let stored = store::stored_secret(conn, STORED_KEY_NAME, || hex::encode(rand::random::<[u8; 32]>()))?;
        SecretBox::from_hex(&stored).map_err(|_| anyhow::anyhow!("the stored webhook secrets key is unusable"))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_only_with_its_key_and_webhook() -> anyhow::Result<()> {
        let key = SecretBox::from_hex(&"ab".repeat(32))?;
        let secret = SecretString::from("12940b96-0b1b-4d90-95c0-f797f9376965".to_owned());
        let sealed = key.seal("hook-1", &secret)?;
        assert!(!sealed.contains("12940b96"), "sealed, not in clear");
        assert_ne!(sealed, key.seal("hook-1", &secret)?, "a fresh nonce each time");
        assert_eq!(key.open("hook-1", &sealed)?.expose_secret(), secret.expose_secret());
        assert!(key.open("hook-2", &sealed).is_err());
        assert!(SecretBox::from_hex(&"cd".repeat(32))?.open("hook-1", &sealed).is_err());
        assert!(format!("{key:?}").len() < 40 && !format!("{key:?}").contains("abab"));
        Ok(())
    }
}
