//! The anonymous reference lists: allCountries, supportedCountries, zoneCodes, businessTypes, naics, jobTitles
//! and accountIdentificationTypes, with the counts and entries their contract pages give.

use std::collections::HashSet;

use serde_json::{Value, json};

use crate::harness::{Api, Client};

const COUNTRY_FIELDS: &str = "code alpha3 name callingCode currency supported";

fn list<'a>(data: &'a Value, field: &str) -> &'a Vec<Value> {
    data[field].as_array().unwrap_or_else(|| panic!("{field} is not a list: {data}"))
}

fn texts<'a>(entries: &'a [Value], field: &str) -> Vec<&'a str> {
    entries.iter().map(|entry| entry[field].as_str().unwrap_or_else(|| panic!("{field} in {entry}"))).collect()
}

fn find<'a>(entries: &'a [Value], field: &str, value: &str) -> &'a Value {
    entries.iter().find(|entry| entry[field] == value).unwrap_or_else(|| panic!("no {field} {value}"))
}

async fn naics(client: &Client, search: Value, first: Option<Value>) -> Value {
    let mut variables = json!({ "search": search });
    let query = match first {
        Some(first) => {
            variables["first"] = first;
            "query Naics($search: String, $first: Int) { naics(search: $search, first: $first) { code title } }"
        }
        None => "query Naics($search: String) { naics(search: $search) { code title } }",
    };
    let answer = client.graphql(query, variables).await;
    answer.assert_ok()["naics"].clone()
}

async fn naics_codes(client: &Client, search: &str) -> Vec<String> {
    let found = naics(client, json!(search), Some(json!(500))).await;
    texts(found.as_array().expect("list"), "code").into_iter().map(str::to_owned).collect()
}

async fn naics_titles(client: &Client, search: &str) -> Vec<String> {
    let found = naics(client, json!(search), Some(json!(500))).await;
    texts(found.as_array().expect("list"), "title").into_iter().map(str::to_owned).collect()
}

#[actix_web::test]
async fn all_countries_lists_every_iso_3166_1_country_by_name() {
    let api = Api::start().await;
    let answer = api.graphql(&format!("query {{ allCountries {{ {COUNTRY_FIELDS} }} }}"), json!({})).await;
    let all = list(answer.assert_ok(), "allCountries");
    assert_eq!(all.len(), 249);
    let codes: HashSet<&str> = texts(all, "code").into_iter().collect();
    assert_eq!(codes.len(), 249, "codes are unique");

    assert_eq!(
        all[..3],
        [
            json!({ "code": "AF", "alpha3": "AFG", "name": "Afghanistan", "callingCode": "+93", "currency": "AFN", "supported": false }),
            json!({ "code": "AX", "alpha3": "ALA", "name": "Åland Islands", "callingCode": "+358", "currency": "EUR", "supported": false }),
            json!({ "code": "AL", "alpha3": "ALB", "name": "Albania", "callingCode": "+355", "currency": "ALL", "supported": false }),
        ]
    );
    assert_eq!(texts(&all[247..], "name"), ["Zambia", "Zimbabwe"]);
    assert_eq!(
        *find(all, "code", "US"),
        json!({ "code": "US", "alpha3": "USA", "name": "United States", "callingCode": "+1", "currency": "USD", "supported": true })
    );
    assert_eq!(
        *find(all, "code", "GB"),
        json!({ "code": "GB", "alpha3": "GBR", "name": "United Kingdom", "callingCode": "+44", "currency": "GBP", "supported": true })
    );
    assert_eq!(
        *find(all, "code", "AQ"),
        json!({ "code": "AQ", "alpha3": "ATA", "name": "Antarctica", "callingCode": null, "currency": null, "supported": false })
    );
    for (code, calling_code) in [("CA", "+1"), ("PR", "+1"), ("JM", "+1"), ("MX", "+52"), ("RU", "+7"), ("KZ", "+7")] {
        assert_eq!(find(all, "code", code)["callingCode"], calling_code, "{code}");
    }
    let without_calling_code: HashSet<&str> =
        all.iter().filter(|c| c["callingCode"].is_null()).filter_map(|c| c["code"].as_str()).collect();
    assert_eq!(without_calling_code, HashSet::from(["AQ", "BV", "GS", "HM", "PN", "TF", "UM"]));
    for (code, currency) in [("BT", "BTN"), ("PA", "PAB"), ("EC", "USD"), ("ME", "EUR"), ("SV", "USD"), ("PS", "ILS")] {
        assert_eq!(find(all, "code", code)["currency"], currency, "{code}");
    }
    for (code, name) in [("KR", "Korea, Republic of"), ("TR", "Türkiye"), ("CI", "Côte d'Ivoire")] {
        assert_eq!(find(all, "code", code)["name"], name, "{code}");
    }

    let answer = api.graphql("query { supportedCountries { code } }", json!({})).await;
    let supported: HashSet<&str> = texts(list(answer.assert_ok(), "supportedCountries"), "code").into_iter().collect();
    let flagged: HashSet<&str> =
        all.iter().filter(|c| c["supported"] == true).filter_map(|c| c["code"].as_str()).collect();
    assert_eq!(flagged, supported);
}

#[actix_web::test]
async fn supported_countries_are_the_default_seventeen_in_name_order() {
    let api = Api::start().await;
    let answer = api.graphql(&format!("query {{ supportedCountries {{ {COUNTRY_FIELDS} }} }}"), json!({})).await;
    let supported = list(answer.assert_ok(), "supportedCountries");
    let rows: Vec<(&str, &str, &str, &str, &str)> = supported
        .iter()
        .map(|c| {
            assert_eq!(c["supported"], true, "{c}");
            let field = |name: &str| c[name].as_str().unwrap_or_else(|| panic!("{name} in {c}"));
            (field("code"), field("alpha3"), field("name"), field("callingCode"), field("currency"))
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("AU", "AUS", "Australia", "+61", "AUD"),
            ("CA", "CAN", "Canada", "+1", "CAD"),
            ("FR", "FRA", "France", "+33", "EUR"),
            ("DE", "DEU", "Germany", "+49", "EUR"),
            ("HK", "HKG", "Hong Kong", "+852", "HKD"),
            ("IN", "IND", "India", "+91", "INR"),
            ("IE", "IRL", "Ireland", "+353", "EUR"),
            ("IT", "ITA", "Italy", "+39", "EUR"),
            ("JP", "JPN", "Japan", "+81", "JPY"),
            ("MX", "MEX", "Mexico", "+52", "MXN"),
            ("NL", "NLD", "Netherlands", "+31", "EUR"),
            ("NZ", "NZL", "New Zealand", "+64", "NZD"),
            ("PH", "PHL", "Philippines", "+63", "PHP"),
            ("SG", "SGP", "Singapore", "+65", "SGD"),
            ("ES", "ESP", "Spain", "+34", "EUR"),
            ("GB", "GBR", "United Kingdom", "+44", "GBP"),
            ("US", "USA", "United States", "+1", "USD"),
        ]
    );
}

#[actix_web::test]
async fn supported_countries_follow_the_configuration_in_the_order_of_all_countries() {
    let api = Api::start_with(&[("SUPPORTED_COUNTRIES", " US , GB,US ")]).await;
    let answer = api.graphql("query { supportedCountries { code supported } }", json!({})).await;
    assert_eq!(
        answer.assert_ok()["supportedCountries"],
        json!([{ "code": "GB", "supported": true }, { "code": "US", "supported": true }])
    );
    let answer = api.graphql("query { allCountries { code supported } }", json!({})).await;
    let flagged: Vec<&str> = list(answer.assert_ok(), "allCountries")
        .iter()
        .filter(|c| c["supported"] == true)
        .filter_map(|c| c["code"].as_str())
        .collect();
    assert_eq!(flagged, ["GB", "US"]);
}

#[actix_web::test]
async fn zone_codes_are_a_countrys_iso_3166_2_subdivisions_by_code() {
    let api = Api::start().await;
    let zones = |country: &'static str| {
        let api = &api;
        async move {
            let answer = api
                .graphql(
                    "query Zones($country: Country!) { zoneCodes(country: $country) { code name category } }",
                    json!({ "country": country }),
                )
                .await;
            list(answer.assert_ok(), "zoneCodes").clone()
        }
    };

    assert_eq!(
        Value::Array(zones("CA").await),
        json!([
            { "code": "CA-AB", "name": "Alberta", "category": "Province" },
            { "code": "CA-BC", "name": "British Columbia", "category": "Province" },
            { "code": "CA-MB", "name": "Manitoba", "category": "Province" },
            { "code": "CA-NB", "name": "New Brunswick", "category": "Province" },
            { "code": "CA-NL", "name": "Newfoundland and Labrador", "category": "Province" },
            { "code": "CA-NS", "name": "Nova Scotia", "category": "Province" },
            { "code": "CA-NT", "name": "Northwest Territories", "category": "Territory" },
            { "code": "CA-NU", "name": "Nunavut", "category": "Territory" },
            { "code": "CA-ON", "name": "Ontario", "category": "Province" },
            { "code": "CA-PE", "name": "Prince Edward Island", "category": "Province" },
            { "code": "CA-QC", "name": "Quebec", "category": "Province" },
            { "code": "CA-SK", "name": "Saskatchewan", "category": "Province" },
            { "code": "CA-YT", "name": "Yukon", "category": "Territory" }
        ])
    );

    let count = |zones: &[Value], category: &str| zones.iter().filter(|z| z["category"] == category).count();
    let us = zones("US").await;
    assert_eq!(us.len(), 57);
    assert_eq!(texts(&us[..6], "code"), ["US-AK", "US-AL", "US-AR", "US-AS", "US-AZ", "US-CA"]);
    assert_eq!((count(&us, "State"), count(&us, "District"), count(&us, "Outlying area")), (50, 1, 6));
    assert_eq!(find(&us, "code", "US-DC")["category"], "District");
    let outlying: Vec<&str> =
        us.iter().filter(|z| z["category"] == "Outlying area").filter_map(|z| z["code"].as_str()).collect();
    assert_eq!(outlying, ["US-AS", "US-GU", "US-MP", "US-PR", "US-UM", "US-VI"]);
    assert_eq!(find(&us, "code", "US-CA")["name"], "California");

    let mx = zones("MX").await;
    assert_eq!((mx.len(), count(&mx, "State")), (32, 31));
    assert_eq!(
        *find(&mx, "code", "MX-CMX"),
        json!({ "code": "MX-CMX", "name": "Ciudad de México", "category": "Federal district" })
    );
    assert_eq!(find(&mx, "code", "MX-JAL")["name"], "Jalisco");

    let au = zones("AU").await;
    assert_eq!((au.len(), count(&au, "State"), count(&au, "Territory")), (8, 6, 2));

    let gb = zones("GB").await;
    assert_eq!(gb.len(), 220);
    assert_eq!(find(&gb, "code", "GB-ENG")["category"], "Country");
    assert!(gb.iter().any(|z| z["category"] == "London borough"));
    let codes = texts(&gb, "code");
    assert!(codes.windows(2).all(|pair| pair[0] < pair[1]), "ordered by code");

    for country in ["VA", "HK", "PR", "AQ"] {
        assert!(zones(country).await.is_empty(), "{country}");
    }

    let unknown = api.graphql("query { zoneCodes(country: XX) { code } }", json!({})).await;
    assert!(unknown.body["errors"].is_array(), "{:?}", unknown.body);
    assert_eq!(unknown.error_code(), None, "validation errors carry no code");
}

#[actix_web::test]
async fn business_types_are_the_contracts_eleven_in_order() {
    let api = Api::start().await;
    let answer = api.graphql("query { businessTypes { value label } }", json!({})).await;
    assert_eq!(
        answer.assert_ok()["businessTypes"],
        json!([
            { "value": "SOLE_PROPRIETORSHIP", "label": "Sole proprietorship" },
            { "value": "GENERAL_PARTNERSHIP", "label": "General partnership" },
            { "value": "LIMITED_PARTNERSHIP", "label": "Limited partnership" },
            { "value": "LIMITED_LIABILITY_PARTNERSHIP", "label": "Limited liability partnership" },
            { "value": "LIMITED_LIABILITY_COMPANY", "label": "Limited liability company" },
            { "value": "PRIVATE_CORPORATION", "label": "Private corporation" },
            { "value": "PUBLIC_CORPORATION", "label": "Publicly traded corporation" },
            { "value": "NON_PROFIT", "label": "Non-profit organization" },
            { "value": "COOPERATIVE", "label": "Cooperative" },
            { "value": "TRUST", "label": "Trust" },
            { "value": "GOVERNMENT_ENTITY", "label": "Government entity" }
        ])
    );
}

#[actix_web::test]
async fn job_titles_are_the_contracts_fifteen_in_order() {
    let api = Api::start().await;
    let answer = api.graphql("query { jobTitles { value label } }", json!({})).await;
    let titles = [
        "Chief Executive Officer",
        "Chief Financial Officer",
        "Chief Operating Officer",
        "President",
        "Vice President",
        "Director",
        "Managing Member",
        "General Partner",
        "Partner",
        "Owner",
        "Treasurer",
        "Secretary",
        "Controller",
        "Accountant",
        "Other",
    ];
    let expected: Vec<Value> = titles.iter().map(|title| json!({ "value": title, "label": title })).collect();
    assert_eq!(answer.assert_ok()["jobTitles"], Value::Array(expected));
}

#[actix_web::test]
async fn identification_types_depend_on_country_and_account_type() {
    let api = Api::start().await;
    let query = "query Types($country: Country!, $accountType: AccountType!) { accountIdentificationTypes(country: $country, accountType: $accountType) { value label } }";
    let cases = [
        (
            "US",
            "PERSONAL",
            json!([
                { "value": "SSN", "label": "Social Security Number (SSN)" },
                { "value": "ITIN", "label": "Individual Taxpayer Identification Number (ITIN)" }
            ]),
        ),
        (
            "US",
            "BUSINESS",
            json!([{ "value": "EmployerIdentificationNumber_EIN", "label": "Employer Identification Number (EIN)" }]),
        ),
        ("CA", "PERSONAL", json!([{ "value": "SIN", "label": "Social Insurance Number (SIN)" }])),
        ("CA", "BUSINESS", json!([{ "value": "BusinessNumber_BN", "label": "Business Number (BN)" }])),
        ("MX", "PERSONAL", json!([{ "value": "RFC", "label": "Registro Federal de Contribuyentes (RFC)" }])),
        (
            "MX",
            "BUSINESS",
            json!([{ "value": "RegistroFederalDeContribuyentes_RFC", "label": "Registro Federal de Contribuyentes (RFC)" }]),
        ),
        ("GB", "PERSONAL", json!([{ "value": "TIN", "label": "Tax identification number" }])),
        (
            "GB",
            "BUSINESS",
            json!([{ "value": "BusinessRegistrationNumber_BRN", "label": "Business registration or tax number" }]),
        ),
        // Whether the country is supported does not matter.
        ("AQ", "PERSONAL", json!([{ "value": "TIN", "label": "Tax identification number" }])),
        (
            "BR",
            "BUSINESS",
            json!([{ "value": "BusinessRegistrationNumber_BRN", "label": "Business registration or tax number" }]),
        ),
    ];
    for (country, account_type, expected) in cases {
        let answer = api.graphql(query, json!({ "country": country, "accountType": account_type })).await;
        assert_eq!(answer.assert_ok()["accountIdentificationTypes"], expected, "{country} {account_type}");
    }
}

#[actix_web::test]
async fn naics_lists_the_2022_six_digit_codes_by_code() {
    let api = Api::start().await;
    let default = naics(&api, Value::Null, None).await;
    let default = default.as_array().expect("list");
    assert_eq!(default.len(), 50, "first defaults to 50");
    assert_eq!(default[0], json!({ "code": "111110", "title": "Soybean Farming" }));
    assert_eq!(naics(&api, Value::Null, Some(Value::Null)).await.as_array().map(Vec::len), Some(50), "null is 50");
    assert_eq!(naics(&api, json!("   "), None).await.as_array().map(Vec::len), Some(50), "blank is every code");

    let answer = api.graphql("query { naics(first: 500) { code title } }", json!({})).await;
    let first_500 = list(answer.assert_ok(), "naics");
    assert_eq!(first_500.len(), 500);
    assert_eq!(first_500[0], json!({ "code": "111110", "title": "Soybean Farming" }));
    let codes = texts(first_500, "code");
    assert!(codes.windows(2).all(|pair| pair[0] < pair[1]), "ordered by code");
    assert!(codes.iter().all(|code| code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit())));
    let answer = api.graphql("query { naics(first: 1) { code } }", json!({})).await;
    assert_eq!(answer.assert_ok()["naics"], json!([{ "code": "111110" }]));

    // No paging: the whole list is reached one two-digit sector at a time, none over 500.
    let mut every = Vec::new();
    for sector in 10..100 {
        let codes = naics_codes(&api, &sector.to_string()).await;
        assert!(codes.len() < 500, "sector {sector}");
        every.extend(codes);
    }
    assert_eq!(every.len(), 1_012);
    assert_eq!(every.iter().collect::<HashSet<_>>().len(), 1_012);
}

#[actix_web::test]
async fn naics_search_matches_code_prefixes_and_title_words() {
    let api = Api::start().await;
    assert_eq!(naics_codes(&api, "5223").await, ["522310", "522320", "522390"]);
    assert_eq!(
        naics(&api, json!("522320"), None).await,
        json!([{ "code": "522320", "title": "Financial Transactions Processing, Reserve, and Clearinghouse Activities" }])
    );
    assert_eq!(naics_codes(&api, " 513210 ").await, ["513210"]);
    for retired_or_too_long in ["511210", "454110", "5223201"] {
        assert!(naics_codes(&api, retired_or_too_long).await.is_empty(), "{retired_or_too_long}");
    }

    assert_eq!(
        naics(&api, json!("software"), Some(json!(10))).await,
        json!([
            { "code": "423430", "title": "Computer and Computer Peripheral Equipment and Software Merchant Wholesalers" },
            { "code": "513210", "title": "Software Publishers" }
        ])
    );
    let soft = naics_titles(&api, "soft").await;
    assert!(soft.iter().any(|t| t == "Software Publishers") && soft.iter().any(|t| t == "Soft Drink Manufacturing"));
    let ware = naics_titles(&api, "ware").await;
    assert!(ware.iter().any(|t| t == "General Warehousing and Storage"), "{ware:?}");
    assert!(!ware.iter().any(|t| t == "Software Publishers"), "{ware:?}");
    assert_eq!(naics_titles(&api, "computer prog").await, ["Custom Computer Programming Services"]);
    assert_eq!(naics_titles(&api, "  Computer \t PROG ").await, ["Custom Computer Programming Services"]);
    assert!(naics_titles(&api, "bank").await.iter().any(|t| t == "Monetary Authorities-Central Bank"));
    assert!(naics_titles(&api, "oftware").await.is_empty());
    assert!(naics_titles(&api, "no such industry").await.is_empty());

    let bank = naics_codes(&api, "bank").await;
    assert!(bank.windows(2).all(|pair| pair[0] < pair[1]), "ordered by code: {bank:?}");
    let capped = naics(&api, json!("bank"), Some(json!(2))).await;
    assert_eq!(texts(capped.as_array().expect("list"), "code"), bank[..2]);
}

#[actix_web::test]
async fn naics_first_is_between_1_and_500() {
    let api = Api::start().await;
    for first in [0, 501, -1] {
        let answer =
            api.graphql("query Naics($first: Int) { naics(first: $first) { code } }", json!({ "first": first })).await;
        answer.assert_refused("naics", "I-4333", "first must be between 1 and 500.");
        assert_eq!(answer.body["errors"][0]["path"], json!(["naics"]), "{:?}", answer.body);
        assert_eq!(answer.body["data"], Value::Null, "the non-null field nulls the whole data");
    }
    let answer = api.graphql("query { naics(search: \"5223\", first: 501) { code } }", json!({})).await;
    answer.assert_refused("naics", "I-4333", "first must be between 1 and 500.");
}

#[actix_web::test]
async fn a_session_sent_with_a_reference_query_is_ignored() {
    let api = Api::start().await;
    let document = "query { allCountries { code supported } supportedCountries { code } zoneCodes(country: AU) { code } businessTypes { value } naics(search: \"5223\") { code } jobTitles { value } accountIdentificationTypes(country: US, accountType: BUSINESS) { value } }";
    let anonymous = api.client().graphql(document, json!({})).await;
    let expected = anonymous.assert_ok().clone();
    assert_eq!(list(&expected, "zoneCodes").len(), 8);

    api.sign_up_seed().await;
    let cookie = api.cookie().expect("signed up");
    let logged_in = api.graphql(document, json!({})).await;
    assert_eq!(*logged_in.assert_ok(), expected);
    assert_eq!(logged_in.session_cookie(), None, "the session is left as it is");
    assert_eq!(api.cookie(), Some(cookie));

    let stale = api.client();
    stale.set_cookie(Some("not-a-session".to_owned()));
    let answer = stale.graphql(document, json!({})).await;
    assert_eq!(*answer.assert_ok(), expected);
}
