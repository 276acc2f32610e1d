use futures_util::future::join_all;
use serde_json::json;

use crate::harness::{Api, SEED_EMAIL, SEED_PASSWORD, SIGNUP_CODE};

const WEAK: &str =
    "Password must be at least 8 characters long and contain an upper-case letter, a lower-case letter and a digit.";

#[actix_web::test]
async fn the_seed_example_signs_a_business_up_and_starts_a_session() {
    let api = Api::start().await;
    let answer = api.sign_up_seed().await;
    let user = &answer.body["data"]["createLoginPersonAndAccount"]["user"];
    assert_eq!(user["person"]["email"], SEED_EMAIL);
    assert_eq!(user["account"]["accountType"], "BUSINESS");
    assert_eq!(user["account"]["country"], "US");
    assert_eq!(user["account"]["currency"], "USD");
    assert_eq!(user["account"]["status"], "NOT_SETUP");
    assert_eq!(user["numAccounts"], 1);
    assert_eq!(user["emailVerified"], false);
    assert!(user["loginId"].as_str().is_some_and(|id| id.len() == 36));

    let cookie = answer.session_cookie().expect("a session cookie");
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
    assert!(!cookie.contains("Max-Age") && !cookie.contains("Secure"), "{cookie}");
    let account = api.account_id().await;
    assert_eq!(account.assert_ok()["account"]["id"], user["account"]["id"]);
}

#[actix_web::test]
async fn the_cookie_is_secure_when_configured() {
    let api = Api::start_with(&[("SESSION_COOKIE_SECURE", "true")]).await;
    let cookie = api.sign_up_seed().await.session_cookie().expect("a session cookie");
    assert!(cookie.contains("Secure"), "{cookie}");
}

#[actix_web::test]
async fn rules_are_checked_in_the_documented_order() {
    let api = Api::start().await;
    let base = json!({ "accountType": "BUSINESS", "country": "US", "currency": "USD", "email": "a@example.com", "password": SEED_PASSWORD, "signUpSecret": SIGNUP_CODE });
    let with = |changes: serde_json::Value| {
        let mut data = base.clone();
        for (key, value) in changes.as_object().expect("object") {
            data[key] = value.clone();
        }
        data
    };
    let field = "createLoginPersonAndAccount";
    // Every rule broken at once: the email is reported first, then each next rule as the earlier ones are mended.
    let all_wrong = json!({ "email": "not-an-email", "password": "weak", "country": "BR", "currency": "XAU", "signUpSecret": "nope" });
    api.sign_up(with(all_wrong.clone())).await.assert_refused(field, "I-4204", "This is not a valid email address.");
    let mut step = all_wrong;
    step["email"] = json!("a@example.com");
    api.sign_up(with(step.clone())).await.assert_refused(field, "I-4203", WEAK);
    step["password"] = json!(SEED_PASSWORD);
    api.sign_up(with(step.clone())).await.assert_refused(
        field,
        "I-4316",
        "Accounts cannot be opened in this country yet.",
    );
    step["country"] = json!("US");
    api.sign_up(with(step.clone())).await.assert_refused(field, "I-4740", "Currency XAU is not supported.");
    step["currency"] = json!("USD");
    api.sign_up(with(step.clone())).await.assert_refused(field, "I-4201", "Invalid sign-up code provided.");
    step["signUpSecret"] = json!(SIGNUP_CODE);
    api.sign_up(with(step)).await.assert_ok();
    api.set_cookie(None);
    api.sign_up(with(json!({ "email": " A@Example.COM " }))).await.assert_refused(
        field,
        "I-4202",
        "This email already has an account. Sign in to add another.",
    );
    assert_eq!(api.cookie(), None, "a refused sign-up starts no session");
}

#[actix_web::test]
async fn passwords_need_length_and_three_kinds_of_character() {
    let api = Api::start().await;
    for weak in ["Sh0rt", "nouppercase1", "NOLOWERCASE1", "NoDigitsHere", &format!("Aa1{}", "x".repeat(70))] {
        api.sign_up(json!({ "accountType": "PERSONAL", "country": "US", "email": "p@example.com", "password": weak }))
            .await
            .assert_refused("createLoginPersonAndAccount", "I-4203", WEAK);
    }
}

#[actix_web::test]
async fn emails_must_be_well_formed() {
    let api = Api::start().await;
    for bad in ["", "   ", "plain", "a@b", "a b@example.com", "a@exa_mple.com", "a@@example.com"] {
        api.sign_up(json!({ "accountType": "PERSONAL", "country": "US", "email": bad, "password": SEED_PASSWORD }))
            .await
            .assert_refused("createLoginPersonAndAccount", "I-4204", "This is not a valid email address.");
    }
}

#[actix_web::test]
async fn business_codes_are_exact_and_personal_sign_ups_ignore_them() {
    let api = Api::start().await;
    for wrong in [json!(null), json!(""), json!("secret-goes-here"), json!(" SECRET-GOES-HERE")] {
        api.sign_up(json!({ "accountType": "BUSINESS", "country": "US", "email": "b@example.com", "password": SEED_PASSWORD, "signUpSecret": wrong }))
            .await
            .assert_refused("createLoginPersonAndAccount", "I-4201", "Invalid sign-up code provided.");
    }
    api.sign_up(json!({ "accountType": "PERSONAL", "country": "US", "email": "p@example.com", "password": SEED_PASSWORD, "signUpSecret": "whatever" }))
        .await
        .assert_ok();
}

#[actix_web::test]
async fn no_business_can_sign_up_without_configured_codes() {
    let api = Api::start_with(&[("SIGNUP_SECRETS", "")]).await;
    api.sign_up(json!({ "accountType": "BUSINESS", "country": "US", "email": "b@example.com", "password": SEED_PASSWORD, "signUpSecret": SIGNUP_CODE }))
        .await
        .assert_refused("createLoginPersonAndAccount", "I-4201", "Invalid sign-up code provided.");
}

#[actix_web::test]
async fn the_currency_defaults_to_the_countrys_and_must_carry_amounts() {
    let api = Api::start().await;
    let answer = api
        .sign_up(
            json!({ "accountType": "PERSONAL", "country": "GB", "email": "gb@example.com", "password": SEED_PASSWORD }),
        )
        .await;
    assert_eq!(answer.assert_ok()["createLoginPersonAndAccount"]["user"]["account"]["currency"], "GBP");
    let answer = api.sign_up(json!({ "accountType": "PERSONAL", "country": "JP", "currency": "EUR", "email": "jp@example.com", "password": SEED_PASSWORD })).await;
    assert_eq!(answer.assert_ok()["createLoginPersonAndAccount"]["user"]["account"]["currency"], "EUR");
    // KWD has a minor unit but is not in the rates table.
    api.sign_up(json!({ "accountType": "PERSONAL", "country": "US", "currency": "KWD", "email": "kw@example.com", "password": SEED_PASSWORD }))
        .await
        .assert_refused("createLoginPersonAndAccount", "I-4740", "Currency KWD is not supported.");
}

#[actix_web::test]
async fn of_concurrent_sign_ups_with_one_email_exactly_one_succeeds() {
    let api = Api::start().await;
    let attempts = (0..8).map(|i| {
        let email = if i % 2 == 0 { "race@example.com" } else { " RACE@example.com" };
        api.sign_up(json!({ "accountType": "PERSONAL", "country": "US", "email": email, "password": SEED_PASSWORD }))
    });
    let answers = join_all(attempts).await;
    let succeeded = answers.iter().filter(|a| a.body.get("errors").is_none()).count();
    let refused = answers.iter().filter(|a| a.error_code() == Some("I-4202")).count();
    assert_eq!((succeeded, refused), (1, 7), "{answers:#?}");
}

#[actix_web::test]
async fn accepted_terms_timestamp_is_optional_and_parsed() {
    use diesel::prelude::*;
    use store::schema::{accounts, logins};
    let api = Api::start().await;
    api.sign_up(json!({ "accountType": "PERSONAL", "country": "US", "email": "t@example.com", "password": SEED_PASSWORD, "acceptedTermsTimestamp": "2026-01-02T03:04:05+01:00" }))
        .await
        .assert_ok();
    let answer = api
        .sign_up(json!({ "accountType": "PERSONAL", "country": "US", "email": "u@example.com", "password": SEED_PASSWORD, "acceptedTermsTimestamp": "yesterday" }))
        .await;
    assert!(answer.error_code().is_none() && answer.body["errors"][0]["message"].is_string(), "{:?}", answer.body);
    assert!(answer.body["data"].is_null(), "{:?}", answer.body);
    let mut conn = api.state.pool.get().expect("connection");
    let stored: Vec<chrono::NaiveDateTime> = accounts::table
        .inner_join(logins::table.on(logins::person_id.eq(accounts::person_id)))
        .filter(logins::email.eq("t@example.com"))
        .select(accounts::accepted_terms_at)
        .load(&mut conn)
        .expect("stored");
    let expected = chrono::NaiveDate::from_ymd_opt(2026, 1, 2).and_then(|d| d.and_hms_opt(2, 4, 5));
    assert_eq!(stored, expected.into_iter().collect::<Vec<_>>(), "stored in UTC");
    let unparsed: i64 =
        logins::table.filter(logins::email.eq("u@example.com")).count().get_result(&mut conn).expect("count");
    assert_eq!(unparsed, 0, "an unreadable timestamp creates nothing");
}

#[actix_web::test]
async fn emails_with_hidden_or_forbidden_characters_are_refused() {
    let api = Api::start().await;
    for bad in [
        "nul\u{0}x@example.com",
        "a\u{202e}b@example.com",
        "\"quoted\"@example.com",
        "a..b@example.com",
        "é@example.com",
    ] {
        api.sign_up(json!({ "accountType": "PERSONAL", "country": "US", "email": bad, "password": SEED_PASSWORD }))
            .await
            .assert_refused("createLoginPersonAndAccount", "I-4204", "This is not a valid email address.");
    }
}

#[actix_web::test]
async fn the_verification_email_is_sent_from_the_outbox_with_a_link_to_the_api() {
    let api = Api::start_with(&[("PUBLIC_API_URL", "https://api.example.test/")]).await;
    api.sign_up_person("jane@example.com").await;
    let mail = api.mailbox("jane@example.com").await;
    assert_eq!(mail.len(), 1, "{mail:?}");
    assert_eq!(mail[0]["template"], "email_verification");
    let link = mail[0]["links"][0].as_str().expect("a link");
    let token = link.strip_prefix("https://api.example.test/verify-email?token=").expect("the API's own link");
    assert_eq!(token.len(), 43, "32 random bytes, base64url without padding: {token}");
    assert!(mail[0]["text"].as_str().is_some_and(|text| text.contains(link)));
    // Running the jobs again sends nothing twice.
    assert_eq!(api.mailbox("jane@example.com").await.len(), 1);
}

#[actix_web::test]
async fn a_refused_sign_up_sends_no_email_and_a_taken_email_costs_no_password_hash() {
    let api = Api::start().await;
    api.sign_up_person("jane@example.com").await;
    api.set_cookie(None);
    let hasher = api.state.services.get::<auth::PasswordHasher>().expect("hasher");
    let before = hasher.operations_started();
    api.sign_up(
        json!({ "accountType": "PERSONAL", "country": "US", "email": "JANE@example.com", "password": SEED_PASSWORD }),
    )
    .await
    .assert_refused(
        "createLoginPersonAndAccount",
        "I-4202",
        "This email already has an account. Sign in to add another.",
    );
    assert_eq!(hasher.operations_started(), before);
    assert_eq!(api.mailbox("jane@example.com").await.len(), 1, "only the first sign-up's email");
}
