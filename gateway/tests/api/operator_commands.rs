//! Operator commands that are not covered beside the flows they serve: the scheduled-international permission
//! (I-4731, providers.md section 9).

use diesel::prelude::*;
use serde_json::json;

use crate::harness::Api;

/// The flag as stored for the account.
fn stored_flag(api: &Api, account_id: &str) -> bool {
    use store::schema::accounts;
    let mut conn = api.state.pool.get().expect("connection");
    accounts::table
        .filter(accounts::id.eq(account_id))
        .select(accounts::scheduled_international)
        .first(&mut conn)
        .expect("the account's flag")
}

async fn account_id(api: &Api) -> String {
    let answer = api.graphql("query { account { id } }", json!({})).await;
    answer.assert_ok()["account"]["id"].as_str().expect("id").to_owned()
}

#[actix_web::test]
async fn staff_set_and_clear_the_scheduled_international_permission() {
    let api = Api::start().await;
    api.sign_up_seed().await;
    let id = account_id(&api).await;
    assert!(!stored_flag(&api, &id), "off by default");

    assert_eq!(
        api.admin(&["scheduled-international", &id, "on"]).await,
        json!({ "accountId": id, "scheduledInternational": true })
    );
    assert!(stored_flag(&api, &id));
    // Setting it again is no change and no refusal.
    assert_eq!(
        api.admin(&["scheduled-international", &id, "on"]).await,
        json!({ "accountId": id, "scheduledInternational": true })
    );
    let mut conn = api.state.pool.get().expect("connection");
    let read = accounts::scheduled_international(&mut conn, &kernel::AccountId::from_text(id.clone()));
    assert!(read.expect("the read"), "the service's read sees the permission");
    drop(conn);

    assert_eq!(
        api.admin(&["scheduled-international", &id, "off"]).await,
        json!({ "accountId": id, "scheduledInternational": false })
    );
    assert!(!stored_flag(&api, &id));
}

#[actix_web::test]
async fn an_unknown_account_or_a_word_other_than_on_or_off_is_refused() {
    let api = Api::start().await;
    api.sign_up_seed().await;
    let id = account_id(&api).await;
    let ctx = api.state.admin_context();

    let unknown = gateway::admin::execute(&ctx, &["scheduled-international", "no-such-account", "on"]).await;
    assert!(unknown.is_err_and(|e| e.to_string() == "no account has the id no-such-account"));

    let yes = gateway::admin::execute(&ctx, &["scheduled-international", &id, "yes"]).await;
    assert!(yes.is_err_and(|e| e.to_string() == r#""yes" is not on or off"#));
    let missing = gateway::admin::execute(&ctx, &["scheduled-international", &id]).await;
    assert!(missing.is_err(), "the command line needs on or off");
    assert!(!stored_flag(&api, &id), "no refusal changed the flag");
}
