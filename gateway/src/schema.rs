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
        }

        impl GraphQLType<DefaultScalarValue> for $name {
            fn name(_: &()) -> Option<ArcStr> {
                Some(arcstr::literal!(stringify!($name)))
            }

            fn meta(info: &(), registry: &mut Registry<DefaultScalarValue>) -> MetaType<DefaultScalarValue> {
                let mut fields = Vec::new();
                let mut owners = HashMap::new();
                $(
                    if let MetaType::Object(part) = <$part as GraphQLType<DefaultScalarValue>>::meta(info, registry) {
                        for field in &part.fields {
                            owners.insert(field.name.to_string(), std::any::type_name::<$part>());
                        }
                        fields.extend(part.fields);
                    }
                )+
                // Every schema built in this process has the same fields, so the first map serves them all.
                let _ = Self::owners().set(owners);
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

merged_object!(Query: accounts::AccountsQuery);
merged_object!(Mutation: auth::AuthMutation, crate::health::HealthMutation);

pub type Schema = RootNode<Query, Mutation, juniper::EmptySubscription<Context>>;

/// Deepest nesting a document may have (selections, fragments, input values). The contract's types nest a few
/// levels; full introspection, the deepest query clients send, needs about 20.
const MAX_DEPTH: usize = 32;

/// Most fields one operation may select, each fragment counted once per spread: bounds the work a single
/// request can ask for, however its fragments multiply.
const MAX_FIELDS: usize = 2_000;

pub fn schema() -> Schema {
    RootNode::new(Query, Mutation, juniper::EmptySubscription::new()).limit_depth(MAX_DEPTH).limit_fields(MAX_FIELDS)
}
