/// A plain success answer with the operation's fixed message.
#[derive(juniper::GraphQLObject, Debug, Clone, PartialEq, Eq)]
#[graphql(
    description = "A plain success answer. `message` is a fixed string per operation (see that operation's page)."
)]
pub struct SuccessResult {
    pub message: String,
}

impl SuccessResult {
    pub fn new(message: &str) -> Self {
        Self { message: message.to_owned() }
    }
}
