//! How a delivery is signed (providers.md section 8, "Signing"): the payload as a compact HS256 JWT keyed with
//! the webhook's secret, and a `Borderless-Signature` header over `<t>.<body>`.

use hmac::{Hmac, Mac};
use jsonwebtoken::{EncodingKey, Header};
use kernel::{ExposeSecret, SecretString};
use serde_json::Value;
use sha2::Sha256;

/// The request body: the claims as a compact JWT (`{"alg":"HS256","typ":"JWT"}`).
pub fn jwt(claims: &Value, secret: &SecretString) -> anyhow::Result<String> {
    let key = EncodingKey::from_secret(secret.expose_secret().as_bytes());
    Ok(jsonwebtoken::encode(&Header::default(), claims, &key)?)
}

/// The `Borderless-Signature` value for an attempt at Unix second `t`: `t=<t>,v1=<hex HMAC-SHA256 of "<t>.<body>">`.
pub fn signature_header(t: i64, body: &str, secret: &SecretString) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.expose_secret().as_bytes())
        .expect("HMAC accepts a key of any length");
    mac.update(t.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    format!("t={t},v1={}", hex::encode(mac.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use jsonwebtoken::{Algorithm, DecodingKey, Validation};
    use serde_json::json;

    use super::*;

    #[test]
    fn the_jwt_is_hs256_over_the_claims_and_verifies_with_the_secret() -> anyhow::Result<()> {
        let secret = SecretString::from("s3cret".to_owned());
        let claims = json!({ "sub": "borderless webhook", "iat": 1718700000, "event": "test" });
        let token = jwt(&claims, &secret)?;
        let header = jsonwebtoken::decode_header(&token)?;
        assert_eq!((header.alg, header.typ.as_deref()), (Algorithm::HS256, Some("JWT")));
        let mut validation = Validation::new(Algorithm::HS256);
        validation.required_spec_claims.clear();
        validation.validate_exp = false;
        let decoded = jsonwebtoken::decode::<Value>(&token, &DecodingKey::from_secret(b"s3cret"), &validation)?;
        assert_eq!(decoded.claims, claims);
        assert!(jsonwebtoken::decode::<Value>(&token, &DecodingKey::from_secret(b"other"), &validation).is_err());
        Ok(())
    }

    #[test]
    fn the_header_signs_t_and_the_exact_body() {
        let secret = SecretString::from("whsec".to_owned());
        // HMAC-SHA256("whsec", "1718700000.abc"), computed with another implementation (Python's hmac).
        let expected = "417dc69397dbcd6319389ffd918ea0ddbf695b5496bfa4f5897299711346fee1";
        assert_eq!(signature_header(1718700000, "abc", &secret), format!("t=1718700000,v1={expected}"));
        assert_ne!(signature_header(1718700001, "abc", &secret), signature_header(1718700000, "abc", &secret));
    }
}
