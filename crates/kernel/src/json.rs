//! The contract's `JSON` scalar: a free-form value (object, array, string, number, boolean or null), answered as
//! that value itself rather than as a string. juniper's derive only makes scalars of one leaf value, so the
//! traits are written out here.

use juniper::macros::reflect;
use juniper::marker::{IsInputType, IsOutputType};
use juniper::meta::MetaType;
use juniper::{
    Arguments, BoxFuture, ExecutionResult, Executor, FieldError, FromInputValue, GraphQLType, GraphQLValue,
    GraphQLValueAsync, InputValue, ParseScalarResult, ParseScalarValue, Registry, ScalarToken, ScalarValue, Selection,
    Value,
};

/// A JSON value in a GraphQL answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Json(pub serde_json::Value);

const DESCRIPTION: &str =
    "Free-form JSON value (object, array, string, number, boolean or null). Used for webhook payloads.";

fn to_output<S: ScalarValue>(value: &serde_json::Value) -> Value<S> {
    match value {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(flag) => Value::scalar(*flag),
        serde_json::Value::Number(number) => match number.as_i64().and_then(|n| i32::try_from(n).ok()) {
            Some(small) => Value::scalar(small),
            None => number.as_f64().map_or(Value::Null, Value::scalar),
        },
        serde_json::Value::String(text) => Value::scalar(text.clone()),
        serde_json::Value::Array(items) => Value::list(items.iter().map(to_output).collect()),
        serde_json::Value::Object(fields) => {
            let mut object = juniper::Object::with_capacity(fields.len());
            for (name, field) in fields {
                object.add_field(name.as_str(), to_output(field));
            }
            Value::Object(object)
        }
    }
}

fn from_input<S: ScalarValue>(value: &InputValue<S>) -> Result<serde_json::Value, String> {
    Ok(match value {
        InputValue::Null => serde_json::Value::Null,
        InputValue::Scalar(scalar) => {
            if let Some(flag) = scalar.try_to_bool() {
                serde_json::Value::Bool(flag)
            } else if let Some(number) = scalar.try_to_int() {
                serde_json::Value::from(number)
            } else if let Some(number) = scalar.try_to_float() {
                serde_json::Number::from_f64(number).map_or(serde_json::Value::Null, serde_json::Value::Number)
            } else if let Some(text) = scalar.try_to_string() {
                serde_json::Value::String(text)
            } else {
                return Err("unsupported JSON scalar".to_owned());
            }
        }
        InputValue::Enum(name) => serde_json::Value::String(name.clone()),
        InputValue::List(items) => {
            serde_json::Value::Array(items.iter().map(|item| from_input(&item.item)).collect::<Result<_, _>>()?)
        }
        InputValue::Object(fields) => serde_json::Value::Object(
            fields
                .iter()
                .map(|(name, field)| Ok((name.item.clone(), from_input(&field.item)?)))
                .collect::<Result<serde_json::Map<_, _>, String>>()?,
        ),
        InputValue::Variable(name) => return Err(format!("unresolved variable ${name}")),
    })
}

impl<S: ScalarValue> GraphQLType<S> for Json {
    fn name(_: &()) -> Option<juniper::ArcStr> {
        Some(juniper::arcstr::literal!("JSON"))
    }

    fn meta(info: &(), registry: &mut Registry<S>) -> MetaType<S> {
        registry.build_scalar_type::<Self>(info).description(DESCRIPTION).into_meta()
    }
}

impl<S: ScalarValue> GraphQLValue<S> for Json {
    type Context = ();
    type TypeInfo = ();

    fn type_name(&self, info: &()) -> Option<juniper::ArcStr> {
        <Self as GraphQLType<S>>::name(info)
    }

    fn resolve(&self, _: &(), _: Option<&[Selection<'_, S>]>, _: &Executor<'_, '_, (), S>) -> ExecutionResult<S> {
        Ok(to_output(&self.0))
    }
}

impl<S: ScalarValue + Send + Sync> GraphQLValueAsync<S> for Json {
    fn resolve_async<'a>(
        &'a self,
        info: &'a (),
        selection_set: Option<&'a [Selection<'_, S>]>,
        executor: &'a Executor<'_, '_, (), S>,
    ) -> BoxFuture<'a, ExecutionResult<S>> {
        let resolved = self.resolve(info, selection_set, executor);
        Box::pin(async move { resolved })
    }

    fn resolve_field_async<'a>(
        &'a self,
        _: &'a (),
        field: &'a str,
        _: &'a Arguments<'_, S>,
        _: &'a Executor<'_, '_, (), S>,
    ) -> BoxFuture<'a, ExecutionResult<S>> {
        let error = FieldError::from(format!("JSON has no field {field}"));
        Box::pin(async move { Err(error) })
    }
}

impl<S: ScalarValue> FromInputValue<S> for Json {
    type Error = FieldError<S>;

    fn from_input_value(value: &InputValue<S>) -> Result<Self, Self::Error> {
        from_input(value).map(Self).map_err(FieldError::from)
    }
}

impl<S: ScalarValue> ParseScalarValue<S> for Json {
    fn from_str(value: ScalarToken<'_>) -> ParseScalarResult<S> {
        <String as ParseScalarValue<S>>::from_str(value)
    }
}

impl<S: ScalarValue> IsOutputType<S> for Json {}

impl<S> reflect::BaseType<S> for Json {
    const NAME: reflect::Type = "JSON";
}

impl<S> reflect::BaseSubTypes<S> for Json {
    const NAMES: reflect::Types = &[<Self as reflect::BaseType<S>>::NAME];
}

impl<S> reflect::WrappedType<S> for Json {
    const VALUE: reflect::WrappedValue = 1;
}
impl<S: ScalarValue> IsInputType<S> for Json {}
