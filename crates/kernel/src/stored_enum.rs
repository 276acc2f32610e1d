/// Declares an enumeration that is stored as text (its contract name, `"NOT_SETUP"`) and, in a crate whose
/// `graphql` feature is on, is a GraphQL enum of the same names. Doc comments become the GraphQL descriptions.
/// Text that names no variant fails to load (an internal error, never a silent default).
#[macro_export]
macro_rules! stored_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow)]
        #[diesel(sql_type = diesel::sql_types::Text)]
        #[cfg_attr(feature = "graphql", derive(juniper::GraphQLEnum))]
        $vis enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant),+
        }

        impl $name {
            pub const VALUES: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::UnknownCode;

            fn from_str(text: &str) -> Result<Self, $crate::UnknownCode> {
                match text {
                    $($text => Ok($name::$variant),)+
                    other => Err($crate::UnknownCode(other.to_owned())),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        $crate::text_column!($name, as_str);
    };
}

/// Stores a type with a fixed set of text values in a `Text` column: written with `$to_text`, read back
/// through its `FromStr` (whose error is [`crate::UnknownCode`]), so text that names no value fails to load.
#[doc(hidden)]
#[macro_export]
macro_rules! text_column {
    ($name:ident, $to_text:ident) => {
        impl<DB: diesel::backend::Backend> diesel::serialize::ToSql<diesel::sql_types::Text, DB> for $name
        where
            str: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut diesel::serialize::Output<'b, '_, DB>) -> diesel::serialize::Result {
                self.$to_text().to_sql(out)
            }
        }

        impl<DB: diesel::backend::Backend> diesel::deserialize::FromSql<diesel::sql_types::Text, DB> for $name
        where
            String: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                let text = String::from_sql(bytes)?;
                text.parse().map_err(|e: $crate::UnknownCode| e.to_string().into())
            }
        }
    };
}
