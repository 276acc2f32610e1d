//! Parsing and validating a document costs more than running a small query, and clients send the same few
//! documents again and again: each document that passed validation and the document limits is kept, with its
//! operation name, and a request that sends it again runs it at once. Validation depends only on the document
//! and the schema, which never changes while the server runs, so a kept document answers as a fresh one would.
//! A refused document is not kept: it is checked again each time, and so answers the same errors.

use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

use juniper::{GraphQLError, ValidatedOperation};
use kernel::Context;
use lru::LruCache;
use self_cell::self_cell;

use crate::schema::{Mutation, Query};
use crate::{Schema, document_limits};

/// How many documents are kept, the least recently used dropped first: far more than a client application
/// sends, few enough that a client sending endless distinct documents holds little memory.
const KEPT: NonZeroUsize = NonZeroUsize::new(256).expect("not zero");

/// Longer documents are validated on every request rather than kept, which bounds the memory kept ones hold.
const LONGEST_KEPT: usize = 8 * 1024;

type Operation<'a> = ValidatedOperation<'a, Query, Mutation, juniper::EmptySubscription<Context>>;

/// The documents kept, by their text and operation name.
type Kept = LruCache<(String, Option<String>), Arc<Prepared>>;

/// What an operation is validated from, owned so the operation can borrow it for as long as it is kept.
struct Source {
    schema: Arc<Schema>,
    query: String,
    operation_name: Option<String>,
}

self_cell!(
    struct Validated {
        owner: Source,
        #[covariant]
        dependent: Operation,
    }
);

/// A document's operation, validated and within the document limits.
pub struct Prepared {
    validated: Validated,
    /// The operation's name, for the request's log line.
    name: Option<String>,
}

impl Prepared {
    fn new(schema: Arc<Schema>, query: String, operation_name: Option<String>) -> Result<Self, GraphQLError> {
        let validated = Validated::try_new(Source { schema, query, operation_name }, |source| {
            Operation::new(&source.query, source.operation_name.as_deref(), &source.schema)
        })?;
        let source = validated.borrow_owner();
        let name = document_limits::check(&source.query, source.operation_name.as_deref(), &source.schema)?;
        Ok(Self { validated, name })
    }

    pub fn operation(&self) -> &Operation<'_> {
        self.validated.borrow_dependent()
    }

    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
}

pub struct PreparedOperations {
    schema: Arc<Schema>,
    kept: Mutex<Kept>,
}

impl PreparedOperations {
    pub fn new(schema: Arc<Schema>) -> Self {
        Self { schema, kept: Mutex::new(LruCache::new(KEPT)) }
    }

    /// The operation `operation_name` selects in `query`, or why it cannot run.
    pub fn prepare(&self, query: String, operation_name: Option<String>) -> Result<Arc<Prepared>, GraphQLError> {
        let key = (query, operation_name);
        if let Some(prepared) = self.lock().get(&key) {
            return Ok(prepared.clone());
        }
        let (query, operation_name) = key;
        if query.len() > LONGEST_KEPT {
            return Prepared::new(self.schema.clone(), query, operation_name).map(Arc::new);
        }
        let key = (query.clone(), operation_name.clone());
        let prepared = Arc::new(Prepared::new(self.schema.clone(), query, operation_name)?);
        self.lock().put(key, prepared.clone());
        Ok(prepared)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Kept> {
        // Only gets and puts happen under the lock, which a panic cannot leave half done.
        self.kept.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn operations() -> anyhow::Result<PreparedOperations> {
        Ok(PreparedOperations::new(Arc::new(crate::schema()?)))
    }

    const TWO_OPERATIONS: &str = "query Account { account { status } } mutation Health { healthCheck { message } }";

    #[test]
    fn a_document_is_validated_once_and_kept_per_operation_name() -> anyhow::Result<()> {
        let operations = operations()?;
        let account = operations.prepare(TWO_OPERATIONS.to_owned(), Some("Account".to_owned()))?;
        let health = operations.prepare(TWO_OPERATIONS.to_owned(), Some("Health".to_owned()))?;
        assert_eq!((account.name(), health.name()), (Some("Account"), Some("Health")));
        assert_eq!(health.operation().operation_type(), juniper::OperationType::Mutation);
        let again = operations.prepare(TWO_OPERATIONS.to_owned(), Some("Account".to_owned()))?;
        assert!(Arc::ptr_eq(&account, &again), "the kept operation runs again");
        Ok(())
    }

    #[test]
    fn refused_and_long_documents_are_checked_every_time() -> anyhow::Result<()> {
        let operations = operations()?;
        for _ in 0..2 {
            assert!(operations.prepare("{ noSuchField }".to_owned(), None).is_err());
            let data = r#"data: { email: "a@example.com", password: "secret" }"#;
            let two_logins =
                format!("mutation {{ a: login({data}) {{ __typename }} b: login({data}) {{ __typename }} }}");
            assert!(operations.prepare(two_logins, None).is_err(), "the document limits still hold");
        }
        assert!(TWO_OPERATIONS.len() < LONGEST_KEPT);
        let long = format!("{TWO_OPERATIONS}{}", " ".repeat(LONGEST_KEPT));
        let first = operations.prepare(long.clone(), Some("Account".to_owned()))?;
        let second = operations.prepare(long, Some("Account".to_owned()))?;
        assert!(!Arc::ptr_eq(&first, &second));
        assert!(operations.lock().is_empty(), "nothing refused or long is kept");
        Ok(())
    }
}
