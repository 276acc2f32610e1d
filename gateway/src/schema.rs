use std::collections::HashMap;
use std::sync::OnceLock;

use juniper::meta::MetaType;
use juniper::{
    ArcStr, Arguments, BoxFuture, DefaultScalarValue, ExecutionResult, Executor, GraphQLType, GraphQLValue,
    GraphQLValueAsync, Registry, RootNode, arcstr,
};
use kernel::Context;

/// Declares a root object whose fields are the fields of several domain objects, so the schema is flat
/// (`query { account }`, never `query { accounts { account } }`) and a domain adds an operation without
/// touching the gateway. Each part is a unit struct; a field is resolved by the part that declares it.
///
/// It reads the parts' field lists from `ObjectMeta::fields`, which juniper marks `#[doc(hidden)]`: juniper is
/// pinned, and the published SDL is pinned by a test.
macro_rules! merged_object {
    ($name:ident: $($part:path),+ $(,)?) => {
        pub struct $name;

        impl $name {
            /// Which part declares each field, recorded when the schema is built.
            fn owners() -> &'static OnceLock<HashMap<String, &'static str>> {
                static OWNERS: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
                &OWNERS
            }

            /// Fields declared by more than one part: the schema is refused rather than one silently
            /// shadowing the other.
            fn collisions() -> &'static OnceLock<Vec<String>> {
                static COLLISIONS: OnceLock<Vec<String>> = OnceLock::new();
                &COLLISIONS
            }
        }

        impl MergedObject for $name {
            fn duplicate_fields() -> Vec<String> {
                Self::collisions().get().cloned().unwrap_or_default()
            }
        }

        impl GraphQLType<DefaultScalarValue> for $name {
            fn name(_: &()) -> Option<ArcStr> {
                Some(arcstr::literal!(stringify!($name)))
            }

            fn meta(info: &(), registry: &mut Registry<DefaultScalarValue>) -> MetaType<DefaultScalarValue> {
                let mut fields = Vec::new();
                let mut owners = HashMap::new();
                let mut collisions = Vec::new();
                $(
                    if let MetaType::Object(part) = <$part as GraphQLType<DefaultScalarValue>>::meta(info, registry) {
                        // `__typename` is every object's own; only the parts' fields can clash.
                        for field in part.fields.iter().filter(|f| !f.name.starts_with("__")) {
                            if let Some(first) = owners.insert(field.name.to_string(), std::any::type_name::<$part>()) {
                                collisions.push(format!("{} (in {first} and {})", field.name, std::any::type_name::<$part>()));
                            }
                        }
                        fields.extend(part.fields);
                    }
                )+
                // Every schema built in this process has the same fields, so the first map serves them all.
                let _ = Self::owners().set(owners);
                let _ = Self::collisions().set(collisions);
                registry.build_object_type::<Self>(info, &fields).into_meta()
            }
        }

        impl GraphQLValue<DefaultScalarValue> for $name {
            type Context = Context;
            type TypeInfo = ();

            fn type_name(&self, info: &()) -> Option<ArcStr> {
                <Self as GraphQLType<DefaultScalarValue>>::name(info)
            }

            fn concrete_type_name(&self, _: &Context, _: &()) -> String {
                stringify!($name).to_owned()
            }
        }

        impl GraphQLValueAsync<DefaultScalarValue> for $name {
            fn resolve_field_async<'a>(
                &'a self,
                info: &'a (),
                field_name: &'a str,
                arguments: &'a Arguments<DefaultScalarValue>,
                executor: &'a Executor<Context, DefaultScalarValue>,
            ) -> BoxFuture<'a, ExecutionResult<DefaultScalarValue>> {
                let owner = Self::owners().get().and_then(|owners| owners.get(field_name)).copied();
                $(
                    if owner == Some(std::any::type_name::<$part>()) {
                        return GraphQLValueAsync::resolve_field_async(&$part, info, field_name, arguments, executor);
                    }
                )+
                Box::pin(async move { Err(format!("Unknown field `{field_name}`").into()) })
            }
        }
    };
}

/// A root object merged from several parts.
trait MergedObject {
    fn duplicate_fields() -> Vec<String>;
}

merged_object!(
    Query: accounts::graphql::AccountsQuery,
    accounts::graphql::ReferenceQuery,
    accounts::graphql::ValidationQuery,
    accounts::graphql::SetupSessionQuery,
    accounts::graphql::CompanyOfficersQuery,
    accounts::graphql::BankAccountsQuery,
    accounts::graphql::AccountServicesQuery,
    accounts::graphql::VerificationQuery,
    webhooks::graphql::WebhooksQuery,
    payments::graphql::PaymentsQuery,
    refunds::graphql::RefundsQuery
);
merged_object!(
    Mutation: accounts::graphql::AccountsMutation,
    accounts::graphql::AccountServicesMutation,
    accounts::graphql::AccountChangesMutation,
    accounts::graphql::CompanyOfficersMutation,
    accounts::graphql::BankAccountsMutation,
    accounts::graphql::SetupSessionMutation,
    accounts::graphql::VerificationMutation,
    webhooks::graphql::WebhooksMutation,
    payments::graphql::PaymentsMutation,
    refunds::graphql::RefundsMutation,
    auth::AuthMutation,
    crate::health::HealthMutation
);

pub type Schema = RootNode<Query, Mutation, juniper::EmptySubscription<Context>>;

/// Deepest nesting a document may have (selections, fragments, input values). The contract's types nest a few
/// levels; full introspection, the deepest query clients send, needs about 20.
const MAX_DEPTH: usize = 32;

/// Most fields one operation may select, each fragment counted once per spread: bounds the work a single
/// request can ask for, however its fragments multiply.
const MAX_FIELDS: usize = 2_000;

/// The one schema, refused when two domains declare the same root field.
pub fn schema() -> anyhow::Result<Schema> {
    let schema = RootNode::new(Query, Mutation, juniper::EmptySubscription::new())
        .limit_depth(MAX_DEPTH)
        .limit_fields(MAX_FIELDS);
    refuse_duplicates::<Query>("Query")?;
    refuse_duplicates::<Mutation>("Mutation")?;
    Ok(schema)
}

fn refuse_duplicates<T: MergedObject>(root: &str) -> anyhow::Result<()> {
    let duplicates = T::duplicate_fields();
    if duplicates.is_empty() {
        Ok(())
    } else {
        anyhow::bail!("{root} fields declared twice: {}", duplicates.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use juniper::graphql_object;

    use super::*;

    struct First;

    #[graphql_object(context = Context)]
    impl First {
        fn ping() -> bool {
            true
        }
    }

    struct Second;

    #[graphql_object(context = Context)]
    impl Second {
        fn ping() -> bool {
            false
        }
    }

    merged_object!(Clashing: First, Second);

    #[test]
    fn a_root_field_declared_by_two_domains_is_refused() {
        let _schema = RootNode::new(
            Clashing,
            juniper::EmptyMutation::<Context>::new(),
            juniper::EmptySubscription::<Context>::new(),
        );
        let refused = refuse_duplicates::<Clashing>("Query").expect_err("duplicate refused");
        assert!(refused.to_string().contains("ping"), "{refused}");
        if let Err(error) = schema() {
            panic!("the service's own roots declare each field once: {error}");
        }
    }
}
