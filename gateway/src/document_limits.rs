//! Work a client could multiply in one document is bounded before anything runs: juniper's parser limits
//! bound depth and fields (schema.rs); this bounds the costliest fields, those that hash or verify a password
//! with bcrypt, to one per request. Twenty aliased logins are refused at once instead of costing twenty
//! hashes.

use std::collections::{HashMap, HashSet};

use juniper::parser::{SourcePosition, parse_document_source};
use juniper::{DefaultScalarValue, Definition, GraphQLError, RuleError, Selection};

use crate::Schema;

/// The root fields that hash or verify a password, from every domain.
const PASSWORD_FIELDS: &[&[&str]] = &[accounts::graphql::PASSWORD_FIELDS, auth::PASSWORD_FIELDS];

/// Refuses the selected operation of a (valid) document when it would run more than one password field;
/// otherwise answers the operation's name, if it has one, since this is where the document is walked
/// (juniper's validated operation keeps it to itself), for the request's log line.
pub fn check(query: &str, operation_name: Option<&str>, schema: &Schema) -> Result<Option<String>, GraphQLError> {
    let Ok(document) = parse_document_source::<DefaultScalarValue>(query, &schema.schema) else {
        // The document was validated already; nothing new to say about one that does not parse.
        return Ok(None);
    };
    let mut fragments = HashMap::new();
    let mut operation = None;
    for definition in &document {
        match definition {
            Definition::Fragment(fragment) => {
                fragments.insert(fragment.item.name.item, fragment.item.selection_set.as_slice());
            }
            Definition::Operation(candidate) => {
                if operation_name.is_none() || candidate.item.name.as_ref().map(|n| n.item) == operation_name {
                    operation = Some(&candidate.item);
                }
            }
        }
    }
    let Some(operation) = operation else { return Ok(None) };
    let mut found = Vec::new();
    collect_password_fields(&operation.selection_set, &fragments, &mut HashSet::new(), &mut found);
    // Fields with one response key are merged and run once.
    let mut keys = HashSet::new();
    found.retain(|(key, _)| keys.insert(*key));
    match found.get(1) {
        None => Ok(operation.name.as_ref().map(|name| name.item.to_owned())),
        Some((_, second)) => Err(GraphQLError::ValidationError(vec![RuleError::new(
            "A request may run at most one operation that checks a password (createLoginPersonAndAccount, login, …).",
            &[*second],
        )])),
    }
}

/// The response key and position of every password field at the root, through fragments and inline
/// fragments (each fragment once: validation already refused cycles).
fn collect_password_fields<'a>(
    selections: &'a [Selection<'a, DefaultScalarValue>],
    fragments: &HashMap<&'a str, &'a [Selection<'a, DefaultScalarValue>]>,
    seen: &mut HashSet<&'a str>,
    found: &mut Vec<(&'a str, SourcePosition)>,
) {
    for selection in selections {
        match selection {
            Selection::Field(field) => {
                let name = field.item.name.item;
                if PASSWORD_FIELDS.iter().any(|fields| fields.contains(&name)) {
                    let key = field.item.alias.as_ref().map_or(name, |alias| alias.item);
                    found.push((key, field.span.start));
                }
            }
            Selection::InlineFragment(inline) => {
                collect_password_fields(&inline.item.selection_set, fragments, seen, found)
            }
            Selection::FragmentSpread(spread) => {
                let name = spread.item.name.item;
                if let Some(selection_set) = fragments.get(name).filter(|_| seen.insert(name)) {
                    collect_password_fields(selection_set, fragments, seen, found);
                }
            }
        }
    }
}
