use url::Url;

use crate::WebhooksError;

/// Longest endpoint URL accepted, in characters.
const MAX_LENGTH: usize = 2048;

/// createWebhook rules 4 and 5: an absolute http(s) URL with a host, no credentials and no fragment, https
/// unless private targets are allowed. Answers it normalised (scheme and host lower case, default port
/// dropped, empty path as `/`), the form it is stored and compared in.
pub fn parse_endpoint(text: &str, allow_private: bool) -> Result<Url, WebhooksError> {
    let text = text.trim();
    if text.chars().count() > MAX_LENGTH {
        return Err(WebhooksError::InvalidUrl);
    }
    let url = Url::parse(text).map_err(|_| WebhooksError::InvalidUrl)?;
    let valid = matches!(url.scheme(), "http" | "https")
        && url.host_str().is_some_and(|host| !host.is_empty())
        && url.username().is_empty()
        && url.password().is_none()
        && url.fragment().is_none()
        && !text.contains('#');
    if !valid {
        return Err(WebhooksError::InvalidUrl);
    }
    if url.scheme() == "http" && !allow_private {
        return Err(WebhooksError::NeedsHttps);
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_normalised() -> Result<(), WebhooksError> {
        let url = parse_endpoint("  HTTPS://Hooks.Example.COM:443  ", false)?;
        assert_eq!(url.as_str(), "https://hooks.example.com/");
        let url = parse_endpoint("https://hooks.example.com:8443/in?x=1", false)?;
        assert_eq!(url.as_str(), "https://hooks.example.com:8443/in?x=1");
        Ok(())
    }

    #[test]
    fn what_is_not_an_http_url_with_a_host_is_refused() {
        let long = format!("https://example.com/{}", "a".repeat(2048));
        for text in [
            "test-endpoint",
            "",
            "ftp://example.com/",
            "https://user:pw@example.com/",
            "https://user@example.com/",
            "https://example.com/#part",
            "https://example.com/#",
            "mailto:someone@example.com",
            "https://",
            &long,
        ] {
            assert!(matches!(parse_endpoint(text, true), Err(WebhooksError::InvalidUrl)), "{text}");
        }
    }

    #[test]
    fn http_needs_the_switch() {
        assert!(matches!(parse_endpoint("http://example.com/", false), Err(WebhooksError::NeedsHttps)));
        assert!(parse_endpoint("http://127.0.0.1:9000/hook", true).is_ok());
    }
}
