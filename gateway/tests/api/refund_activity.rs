//! Refunds as the activity and the webhooks show them (paymentActivity.md; providers.md section 8): both sides'
//! entries of a refund with its original payment, reason and type; the original payment's entries listing its
//! refunds and telling when no further refund can start; `refund.status_changed` to both accounts.

use chrono::TimeDelta;
use serde_json::{Value, json};

use crate::harness::{Api, Client};
use crate::payment_settlement::{assert_ledger_balanced, events_about};
use crate::refunds::{completed_payment, parties, refund};

const ENTRY: &str = "query($id: ID!) { paymentActivityById(id: $id) { id type status subAmount currency sessionType reason refundType originalPayment { id currency subAmount totalAmount tradeNumber } refunds { id status reason refundType amount currency } refundLimitReached } }";

async fn entry(client: &Client, id: &str) -> Value {
    let answer = client.graphql(ENTRY, json!({ "id": id })).await;
    answer.assert_ok()["paymentActivityById"].clone()
}

/// (account, previousStatus, status) of the `refund.status_changed` events of `refund`, oldest first.
fn refund_changes(api: &Api, refund: &str) -> Vec<(String, String, String)> {
    events_about(api, "refund.status_changed", ("refundId", refund))
        .into_iter()
        .map(|(account, claims)| {
            let text = |name: &str| claims[name].as_str().expect(name).to_owned();
            (account, text("previousStatus"), text("status"))
        })
        .collect()
}

#[actix_web::test]
async fn a_refund_shows_on_both_sides_and_on_its_original_payment_until_nothing_is_left() {
    let api = Api::start().await;
    let parties = parties(&api).await;
    let payment = completed_payment(&api, &parties, 100.0).await;
    let sent = entry(&parties.payer, &payment).await;
    assert_eq!((&sent["refunds"], &sent["refundLimitReached"]), (&json!([]), &json!(false)));

    let first = refund(&api, &parties.refunder, &payment, 60.0).await;
    api.advance(TimeDelta::minutes(5)).await;

    assert_eq!(sent["originalPayment"], Value::Null, "a payment has no original payment");
    let received = entry(&parties.payer, &first).await;
    assert_eq!(
        (&received["type"], &received["status"], &received["sessionType"]),
        (&json!("RECEIVED_REFUND"), &json!("COMPLETE"), &json!("REFUND"))
    );
    assert_eq!((&received["reason"], &received["refundType"]), (&json!("DUPLICATE"), &json!("PARTIAL_REFUND")));
    assert_eq!(received["originalPayment"]["id"], json!(payment));
    assert_eq!(
        (&received["originalPayment"]["subAmount"], &received["originalPayment"]["currency"]),
        (&json!(100.0), &json!("USD"))
    );
    let made = entry(&parties.refunder, &first).await;
    assert_eq!((&made["type"], &made["subAmount"]), (&json!("CREATED_REFUND"), &json!(60.0)));
    assert_eq!(made["refunds"], json!([]), "a refund lists no refunds");

    for side in [&parties.payer, &parties.refunder] {
        let original = entry(side, &payment).await;
        assert_eq!(
            original["refunds"],
            json!([{ "id": first, "status": "COMPLETE", "reason": "DUPLICATE", "refundType": "PARTIAL_REFUND",
                     "amount": 60.0, "currency": "USD" }])
        );
        assert_eq!(original["refundLimitReached"], false);
    }
    let changes = refund_changes(&api, &first);
    for account in [&parties.payer_account, &parties.refunder_account] {
        let seen: Vec<(&str, &str)> =
            changes.iter().filter(|(to, ..)| to == account).map(|(_, from, to)| (from.as_str(), to.as_str())).collect();
        assert_eq!(seen, [("PENDING", "PROCESSING"), ("PROCESSING", "IN_TRANSIT"), ("IN_TRANSIT", "COMPLETE")]);
    }

    // The rest refunded: nothing is left, so no further refund can start.
    let second = refund(&api, &parties.refunder, &payment, 40.0).await;
    let original = entry(&parties.refunder, &payment).await;
    let listed: Vec<&Value> = original["refunds"].as_array().expect("refunds").iter().map(|r| &r["id"]).collect();
    assert_eq!(listed, [&json!(first), &json!(second)]);
    assert_eq!(original["refundLimitReached"], true);
    api.advance(TimeDelta::minutes(5)).await;
    // Two payments' worth of collection, payout and arrival on top of the original's.
    assert_ledger_balanced(&api, 9).await;
}
