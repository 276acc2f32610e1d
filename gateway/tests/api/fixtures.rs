//! Data and steps several test files share: what a US account needs to submit its setup.

use serde_json::{Value, json};

use crate::harness::Client;

/// The seed's setup data for a US PERSONAL account.
pub fn personal_setup(slug: &str, last_name: &str) -> Value {
    json!({
        "slug": slug, "firstName": "Jane", "lastName": last_name, "dateOfBirth": "1990-06-12",
        "citizenship": "US", "phoneCountryCode": "US", "phone": "(571) 388-6974", "addressLine1": "1 Market Street",
        "city": "San Francisco", "zoneCode": "us-ca", "postalCode": "94105", "identificationType": "ssn",
        "personalTaxId": "123-45-6789",
    })
}

/// The seed's setup data for a US BUSINESS account.
pub fn business_setup(slug: &str) -> Value {
    json!({
        "slug": slug, "name": "Acme Widgets LLC", "businessType": "limited liability company",
        "identificationType": "EmployerIdentificationNumber_EIN", "businessTaxId": "12-3456789", "industry": "423430",
        "addressLine1": "1 Market Street", "city": "San Francisco", "zoneCode": "US-CA", "postalCode": "94105",
        "zoneCodeOfIncorporation": "us-de", "firstName": "Jane", "lastName": "Smith", "dateOfBirth": "1985-03-14",
        "jobTitle": "chief executive officer", "phone": "(571) 388-6974", "phoneCountryCode": "US",
        "estimatedMonthlyVolume": 25000.5, "estimatedMonthlyTransactions": 40, "businessSize": 12,
    })
}

/// Creates, fills with `data` and submits the current account's setup session.
pub async fn submit_setup(client: &Client, data: Value) {
    client.graphql("mutation { createAccountSetupSession { message } }", json!({})).await.assert_ok();
    client
        .graphql(
            "mutation($data: UpdateAccountSetupSessionInput!) { updateAccountSetupSession(data: $data) { message } }",
            json!({ "data": data }),
        )
        .await
        .assert_ok();
    client.graphql("mutation { submitAccountSetupSession { message } }", json!({})).await.assert_ok();
}
