use hmac::{Hmac, Mac};
use kernel::{Country, ExposeSecret, with_connection};
use rand::RngCore;
use secrecy::SecretSlice;
use sha2::Sha256;
use store::Pool;

/// The name of the generated key in `server_secrets`, used only while `TAX_ID_KEY` is not set.
const STORED_KEY_NAME: &str = "tax_id_key";

/// The key of the digests that stand for tax ids in the database (`TAX_ID_KEY`): with it the same number
/// always gives the same digest, so uniqueness can be enforced; without it a copy of the database does not
/// tell which numbers it holds. 32 bytes, kept secret (its `Debug` is redacted).
#[derive(Debug, Clone)]
pub struct TaxIdKey(SecretSlice<u8>);

impl TaxIdKey {
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(SecretSlice::from(bytes.to_vec()))
    }

    /// The configured form: 64 hexadecimal characters. The refusal never repeats the value.
    pub fn from_hex(text: &str) -> anyhow::Result<Self> {
        let mut bytes = [0u8; 32];
        match hex::decode_to_slice(text.trim(), &mut bytes) {
            Ok(()) => Ok(Self::from_bytes(bytes)),
            Err(_) => anyhow::bail!("TAX_ID_KEY must be 64 hexadecimal characters (32 bytes)"),
        }
    }

    fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        Self::from_bytes(bytes)
    }

    /// HMAC-SHA256 of `<country>:<normal form>`, in lower-case hex: what the database keeps and compares in
    /// place of the number. The country is part of it because uniqueness is per country.
    pub fn digest(&self, country: Country, normal: &str) -> String {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(self.0.expose_secret()).expect("HMAC accepts a key of any length");
        mac.update(country.code().as_bytes());
        mac.update(b":");
        mac.update(normal.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

/// The key of tax-id digests: the configured `TAX_ID_KEY` when there is one. Otherwise a key made on the first
/// start and kept in `server_secrets`, so every instance sharing the database computes the same digests; that
/// key sits beside the digests it protects, hence the warning.
pub async fn tax_id_key(pool: &Pool, configured: Option<TaxIdKey>) -> anyhow::Result<TaxIdKey> {
    if let Some(key) = configured {
        return Ok(key);
    }
    tracing::warn!(
        "TAX_ID_KEY is not set: tax ids are digested with a key kept in the database; production must set \
         TAX_ID_KEY (64 hex characters) so that a copy of the database does not reveal them"
    );
    with_connection(pool, |conn| {
        let stored =
            store::stored_secret(conn, STORED_KEY_NAME, || hex::encode(TaxIdKey::generate().0.expose_secret()))?;
        TaxIdKey::from_hex(&stored).map_err(|_| anyhow::anyhow!("the stored tax id key is unusable"))
    })
    .await
}

#[cfg(test)]
mod tests {
    use store::{TestDatabase, connect_pool};

    use super::*;

    #[test]
    fn digests_are_keyed_and_per_country() -> anyhow::Result<()> {
        let key = TaxIdKey::from_bytes([1; 32]);
        let digest = key.digest(Country::US, "123456789");
        assert_eq!(digest.len(), 64);
        assert!(digest.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        assert_eq!(digest, key.digest(Country::US, "123456789"));
        assert_ne!(digest, key.digest(Country::CA, "123456789"), "the same digits in another country");
        assert_ne!(digest, TaxIdKey::from_bytes([2; 32]).digest(Country::US, "123456789"), "another key");
        assert!(!digest.contains("123456789"));
        Ok(())
    }

    #[test]
    fn the_digest_is_hmac_sha256_of_country_colon_number() -> anyhow::Result<()> {
        // Computed independently (Python's hmac module) for this key and `MX:GODE561231GR8`.
        let key = TaxIdKey::from_hex(&"0b".repeat(32))?;
        assert_eq!(
            key.digest(Country::MX, "GODE561231GR8"),
            "8e65575560b30b8b14483564499eec227821042872fb60203d9f988fb118318c"
        );
        Ok(())
    }

    #[test]
    fn the_configured_key_is_64_hex_characters() {
        assert!(TaxIdKey::from_hex(&"ab".repeat(32)).is_ok());
        assert!(TaxIdKey::from_hex(&"AB".repeat(32)).is_ok());
        assert!(TaxIdKey::from_hex(&"ab".repeat(31)).is_err());
        assert!(TaxIdKey::from_hex(&"ab".repeat(33)).is_err());
        let refused = TaxIdKey::from_hex(&"zz".repeat(32)).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(refused.contains("TAX_ID_KEY") && !refused.contains("zz"), "{refused}");
    }

    #[test]
    fn debug_never_shows_the_key() {
        let shown = format!("{:?}", TaxIdKey::from_bytes([0xab; 32]));
        assert!(!shown.contains("171") && !shown.to_lowercase().contains("abab"), "{shown}");
    }

    #[tokio::test]
    async fn without_configuration_one_key_is_made_and_kept() -> anyhow::Result<()> {
        let database = TestDatabase::new()?;
        let pool = connect_pool(database.url(), 2)?;
        let first = tax_id_key(&pool, None).await?;
        let second = tax_id_key(&pool, None).await?;
        assert_eq!(first.digest(Country::US, "123456789"), second.digest(Country::US, "123456789"));
        let configured = TaxIdKey::from_bytes([9; 32]);
        let used = tax_id_key(&pool, Some(configured.clone())).await?;
        assert_eq!(used.digest(Country::US, "123456789"), configured.digest(Country::US, "123456789"));
        assert_ne!(used.digest(Country::US, "123456789"), first.digest(Country::US, "123456789"));
        Ok(())
    }
}
