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
}

impl Default for PublicUrls {
    fn default() -> Self {
        Self::new("http://localhost:8000", "http://127.0.0.1:8080")
    }
}
