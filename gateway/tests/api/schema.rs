use actix_web::http::StatusCode;

use crate::harness::Api;

/// The published schema is pinned: any change to it shows up here and is reviewed with the contract.
/// Run with `UPDATE_SCHEMA_SNAPSHOT=1` to rewrite the snapshot after an intended change.
#[actix_web::test]
async fn the_published_schema_is_stable() {
    let api = Api::start().await;
    let served = api.get("/schema.graphql").await;
    assert_eq!(served.status, StatusCode::OK);
    let sdl = served.body.as_str().expect("SDL text").to_owned();
    assert_eq!(api.get("/schema.graphql").await.body.as_str(), Some(sdl.as_str()), "the SDL is in a stable order");

    let snapshot = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/schema.graphql");
    if std::env::var_os("UPDATE_SCHEMA_SNAPSHOT").is_some() {
        std::fs::write(&snapshot, &sdl).expect("snapshot written");
    }
    let pinned = std::fs::read_to_string(&snapshot).expect("snapshot present");
    assert_eq!(sdl, pinned, "the served schema changed; compare it with ../shared/spec/schema.graphql");
}

#[actix_web::test]
async fn the_root_fields_are_flat_and_named_as_the_contract() {
    let api = Api::start().await;
    let sdl = api.get("/schema.graphql").await.body.as_str().expect("SDL text").to_owned();
    for field in [
        "account: PrivateAccount",
        "person: PrivatePerson",
        "createLoginPersonAndAccount(data: CreateLoginPersonAndAccountInput!): AuthPayload",
        "login(data: LoginInput!): AuthPayload",
        "logout: SuccessResult!",
        "healthCheck: SuccessResult",
    ] {
        assert!(sdl.contains(field), "{field} missing from\n{sdl}");
    }
}
