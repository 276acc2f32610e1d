//! contacts: one per counterparty, most recent first, the email only where the current account typed it.

use chrono::TimeDelta;
use serde_json::{Value, json};

use crate::fixtures::{payable_account, verified_business};
use crate::harness::{Api, Client};
use crate::payment_activity::{Parties, To, parties, pay};

const CONTACTS: &str = "query { contacts { email lastActivityAt account { accountType displayName currency slug } } }";

async fn contacts(client: &Client) -> Value {
    client.graphql(CONTACTS, json!({})).await.assert_ok()["contacts"].clone()
}

async fn created_at(client: &Client, id: &str) -> Value {
    crate::payment_activity::entry(client, id).await.assert_ok()["paymentActivityById"]["createdAt"].clone()
}

#[actix_web::test]
async fn a_login_is_needed_and_an_account_without_activity_has_none() {
    let api = Api::start_with(&[("UBO_REQUIRED_COUNTRIES", "GB")]).await;
    api.client().graphql(CONTACTS, json!({})).await.assert_refused("contacts", "I-4100", "You must be logged in.");
    api.sign_up_seed().await;
    assert_eq!(contacts(&api).await, json!([]));
}

#[actix_web::test]
async fn each_counterparty_once_newest_first_with_only_the_emails_typed() {
    let api = Api::start_with(&[("UBO_REQUIRED_COUNTRIES", "GB")]).await;
    let Parties { payer, beneficiary, .. } = parties(&api).await;
    let shop = api.client();
    verified_business(&api, &shop, "shop@example.com", "CornerShop").await;
    let local = api.client();
    payable_account(&local, "local@example.com", "BUSINESS", ("US", "USD"), "10002").await;

    // The business is paid by email twice (two spellings), then the shop by its handle, then the local
    // business by email; time passes between them.
    pay(&api, &payer, To::Email("Maple@Example.com"), 10.0).await;
    api.advance(TimeDelta::minutes(1)).await;
    let to_maple = pay(&api, &payer, To::Email("maple@example.com"), 12.0).await;
    api.advance(TimeDelta::minutes(1)).await;
    let to_shop = pay(&api, &payer, To::Slug("cornershop"), 15.0).await;
    api.advance(TimeDelta::minutes(1)).await;
    let to_local = pay(&api, &payer, To::Email("local@example.com"), 5.0).await;

    let shop_account = json!({ "accountType": "BUSINESS", "displayName": "Acme Widgets LLC", "currency": "USD", "slug": "CornerShop" });
    let found = contacts(&payer).await;
    assert_eq!(found[1]["account"], shop_account, "{found:#}");
    assert_eq!(
        found,
        json!([
            { "email": "local@example.com", "lastActivityAt": created_at(&payer, &to_local).await,
              "account": { "accountType": "BUSINESS", "displayName": null, "currency": "USD", "slug": null } },
            // Paid by handle: the payer never typed an email for the shop.
            { "email": null, "lastActivityAt": created_at(&payer, &to_shop).await, "account": shop_account },
            // Two payments, one contact, with the latest of them.
            { "email": "maple@example.com", "lastActivityAt": created_at(&payer, &to_maple).await,
              "account": { "accountType": "BUSINESS", "displayName": null, "currency": "CAD", "slug": null } },
        ])
    );

    // The payer pays the shop again by email: the shop's contact moves first and now shows that email, while
    // the business keeps the email typed earlier.
    api.advance(TimeDelta::minutes(1)).await;
    let again = pay(&api, &payer, To::Email("SHOP@example.com"), 1.0).await;
    let found = contacts(&payer).await;
    assert_eq!(
        (&found[0]["email"], &found[0]["lastActivityAt"], &found[0]["account"]),
        (&json!("shop@example.com"), &created_at(&payer, &again).await, &shop_account)
    );
    api.advance(TimeDelta::minutes(1)).await;
    pay(&api, &payer, To::Slug("CornerShop"), 1.0).await;
    let found = contacts(&payer).await;
    assert_eq!(found.as_array().map(Vec::len), Some(3), "{found:#}");
    assert_eq!(found[0]["email"], "shop@example.com", "the most recently typed email stays after a payment by handle");
    assert_eq!(found[2]["email"], "maple@example.com");

    // The other side sees the payer, never its email: the business never typed one.
    let seen_by_maple = contacts(&beneficiary).await;
    assert_eq!(
        seen_by_maple,
        json!([{ "email": null, "lastActivityAt": created_at(&beneficiary, &to_maple).await,
                 "account": { "accountType": "PERSONAL", "displayName": seen_by_maple[0]["account"]["displayName"],
                              "currency": "USD", "slug": "PayerOne" } }])
    );
}
