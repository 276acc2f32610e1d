tokio::task_local! {
    /// The id of the HTTP request being served; the gateway sets it around each request's work.
    pub static REQUEST_ID: String;
}

/// The current request's id, or `-` outside a request (service functions called directly).
pub fn current_request_id() -> String {
    REQUEST_ID.try_with(Clone::clone).unwrap_or_else(|_| "-".to_owned())
}
