/// The public addresses links are built from (README, "Links and emails"): `PUBLIC_WEB_URL` for the web
/// application, `PUBLIC_API_URL` for pages the API host serves itself. Kept without a trailing slash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrls {
    pub web: String,
    pub api: String,
}

impl PublicUrls {
    pub fn new(web: &str, api: &str) -> Self {
        Self { web: web.trim_end_matches('/').to_owned(), api: api.trim_end_matches('/').to_owned() }
    }

    /// `<PUBLIC_WEB_URL>/sign-up?email=<email>`: where an invitation sends the address to sign up.
    pub fn sign_up(&self, email: &str) -> String {
        format!("{}/sign-up?email={}", self.web, url_encoded(email))
    }

    /// `<PUBLIC_WEB_URL>/payment-request?id=<id>`: a payment request's page.
    pub fn payment_request(&self, id: &str) -> String {
        format!("{}/payment-request?id={id}", self.web)
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn url_encoded(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => char::from(b).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

impl Default for PublicUrls {
    fn default() -> Self {
        Self::new("http://localhost:8000", "http://127.0.0.1:8080")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sign_up_link_encodes_the_address() {
        let urls = PublicUrls::new("https://app.example/", "https://api.example");
        assert_eq!(
            urls.sign_up("o'brien+x@example.com"),
            "https://app.example/sign-up?email=o%27brien%2Bx%40example.com"
        );
    }
}
