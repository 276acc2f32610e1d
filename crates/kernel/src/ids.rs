//! Typed ids: an account id cannot be passed where a login id is expected. All are UUIDv7 text.

use std::fmt;

/// A new id: UUIDv7 in lower-case hyphenated text, ordered by creation time.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

macro_rules! typed_id {
    ($($(#[$meta:meta])* $name:ident),+ $(,)?) => {$(
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn generate() -> Self {
                Self(new_id())
            }

            /// An id read back from storage.
            pub fn from_stored(id: String) -> Self {
                Self(id)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    )+};
}

typed_id! {
    /// A login: an email and a password.
    LoginId,
    /// The person behind a login.
    PersonId,
    /// One of a person's accounts (at most one PERSONAL and one BUSINESS).
    AccountId,
}
