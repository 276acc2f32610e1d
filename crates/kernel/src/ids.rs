//! Typed ids: an account id cannot be passed where a login id is expected, not in Rust, not in a query. All are
//! UUIDv7 text; each maps to a `Text` column through diesel and to the GraphQL `ID` at the edge.

use std::fmt;

use diesel::backend::Backend;
use diesel::deserialize::{FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::serialize::{Output, ToSql};
use diesel::sql_types::Text;

/// A new id: UUIDv7 in lower-case hyphenated text, ordered by creation time.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

macro_rules! typed_id {
    ($($(#[$meta:meta])* $name:ident),+ $(,)?) => {$(
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[derive(AsExpression, FromSqlRow)]
        #[diesel(sql_type = Text)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn generate() -> Self {
                Self(new_id())
            }

            /// An id as a client or the database gave it. Whether it names anything is for the lookup to say.
            pub fn from_text(id: impl Into<String>) -> Self {
                Self(id.into())
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

        impl<DB: Backend> ToSql<Text, DB> for $name
        where
            str: ToSql<Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> diesel::serialize::Result {
                self.0.as_str().to_sql(out)
            }
        }

        impl<DB: Backend> FromSql<Text, DB> for $name
        where
            String: FromSql<Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                String::from_sql(bytes).map(Self)
            }
        }

        #[cfg(feature = "graphql")]
        impl From<$name> for juniper::ID {
            fn from(id: $name) -> Self {
                juniper::ID::new(id.0)
            }
        }

        #[cfg(feature = "graphql")]
        impl From<juniper::ID> for $name {
            fn from(id: juniper::ID) -> Self {
                Self(id.to_string())
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
