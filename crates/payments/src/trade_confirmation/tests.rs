use std::str::FromStr;

use kernel::{Country, Currency, DateTime, Money};
use rust_decimal::Decimal;

use super::render::{MARGIN, PAGE_HEIGHT, PAGE_WIDTH, layout};
use super::*;

fn money(minor: i64, currency: Currency) -> Money {
    Money::from_minor_units(minor, currency).expect("a valid amount")
}

fn at(text: &str) -> DateTime {
    DateTime::parse(text).expect("a valid date-time")
}

/// The contract's example: 35 CAD at 0.728938 for 25.51 USD less a 1 USD fee.
fn example() -> TradeConfirmation {
    TradeConfirmation {
        payment_id: "0190b5d4-2e1f-7a3c-9b12-4c5d6e7f8091".into(),
        trade_number: "100042".into(),
        trade_date: at("2024-06-18T14:02:11.348Z"),
        value_date: at("2024-06-20"),
        status: "COMPLETE".into(),
        payment_type: PaymentType::International,
        rate: Rate::new(Decimal::from_str("0.728938").expect("a decimal")).expect("a valid rate"),
        payer: TradeParty {
            name: Some("Maple Goods Inc.".into()),
            display_name: Some("Maple Goods".into()),
            email: Some("owner@maple.example".into()),
            country: Some(Country::CA),
            currency: Currency::CAD,
            sub_amount: money(3500, Currency::CAD),
            total_fee_amount: money(0, Currency::CAD),
            total_amount: money(3500, Currency::CAD),
        },
        beneficiary: TradeParty {
            name: Some("Test Business LLC".into()),
            display_name: Some("test business".into()),
            email: None,
            country: Some(Country::US),
            currency: Currency::USD,
            sub_amount: money(2551, Currency::USD),
            total_fee_amount: money(100, Currency::USD),
            total_amount: money(2451, Currency::USD),
        },
        description: Some("Invoice 2024-117 (May) \\ samples".into()),
    }
}

fn render(confirmation: &TradeConfirmation) -> Vec<u8> {
    render_pdf(confirmation).expect("the confirmation renders")
}

fn document(bytes: &[u8]) -> lopdf::Document {
    lopdf::Document::load_mem(bytes).expect("a PDF that lopdf reads")
}

fn text_of(bytes: &[u8]) -> String {
    let document = document(bytes);
    assert_eq!(document.get_pages().len(), 1, "one page");
    document.extract_text(&[1]).expect("the page's text")
}

fn assert_pdf_envelope(bytes: &[u8]) {
    assert!(bytes.starts_with(b"%PDF-"));
    assert!(bytes.trim_ascii_end().ends_with(b"%%EOF"));
}

#[test]
fn renders_a_one_page_pdf_with_the_fields() {
    let bytes = render(&example());
    assert_pdf_envelope(&bytes);
    let text = text_of(&bytes);
    for expected in [
        "Trade Confirmation",
        "100042",
        "0190b5d4-2e1f-7a3c-9b12-4c5d6e7f8091",
        "2024-06-18",
        "2024-06-20",
        "COMPLETE",
        "INTERNATIONAL",
        "1 CAD = 0.728938 USD",
        "Maple Goods Inc.",
        "Maple Goods",
        "owner@maple.example",
        "35.00 CAD",
        "0.00 CAD",
        "25.51 USD",
        "1.00 USD",
        "24.51 USD",
        "Test Business LLC",
        "Invoice 2024-117 (May) \\ samples",
    ] {
        assert!(text.contains(expected), "{expected:?} is missing from {text:?}");
    }
    // A4, in points.
    let document = document(&bytes);
    let page = document.get_pages()[&1];
    let media_box = document
        .get_dictionary(page)
        .and_then(|page| page.get(b"MediaBox"))
        .and_then(lopdf::Object::as_array)
        .expect("the page's MediaBox");
    let numbers: Vec<f32> = media_box.iter().map(|n| n.as_float().expect("a number")).collect();
    assert!((numbers[2] - PAGE_WIDTH).abs() < 0.5 && (numbers[3] - PAGE_HEIGHT).abs() < 0.5, "{numbers:?}");
}

#[test]
fn writes_amounts_in_the_currency_decimals() {
    let mut confirmation = example();
    confirmation.rate = Rate::new(Decimal::from_str("150.5").expect("a decimal")).expect("a valid rate");
    confirmation.beneficiary = TradeParty {
        currency: Currency::JPY,
        sub_amount: money(150, Currency::JPY),
        total_fee_amount: money(0, Currency::JPY),
        total_amount: money(150, Currency::JPY),
        ..confirmation.beneficiary
    };
    confirmation.payer.sub_amount = money(2434, Currency::CAD);
    let text = text_of(&render(&confirmation));
    assert!(text.contains("150 JPY"), "{text:?}");
    assert!(text.contains("0 JPY"), "{text:?}");
    assert!(text.contains("24.34 CAD"), "{text:?}");
    assert!(text.contains("1 CAD = 150.500000 JPY"), "{text:?}");
}

#[test]
fn the_same_confirmation_gives_the_same_bytes() {
    let first = render(&example());
    assert_eq!(first, render(&example()));
    assert_eq!(first, render(&example().clone()));
    // The document id and dates follow from the confirmation, not the clock.
    let mut other = example();
    other.trade_number = "100043".into();
    assert_ne!(first, render(&other));
    let document = document(&first);
    let info = document
        .trailer
        .get(b"Info")
        .and_then(lopdf::Object::as_reference)
        .and_then(|id| document.get_dictionary(id))
        .expect("the Info dictionary");
    let created = info.get(b"CreationDate").and_then(lopdf::Object::as_str).expect("a CreationDate");
    assert_eq!(created, b"D:20240618140211Z");
}

#[test]
fn shows_what_win_ansi_cannot_represent_as_question_marks() {
    let mut confirmation = example();
    confirmation.payer.name = Some("Zoë Ölander 中文".into());
    confirmation.payer.display_name = Some("Zoë (\u{1F600})".into());
    confirmation.description = Some("Paiement reçu — merci 😀\tfin".into());
    let bytes = render(&confirmation);
    assert_pdf_envelope(&bytes);
    let text = text_of(&bytes);
    assert!(text.contains("Zoë Ölander ??"), "{text:?}");
    assert!(text.contains("Zoë (?)"), "{text:?}");
    assert!(text.contains("Paiement reçu — merci ? fin"), "{text:?}");
}

#[test]
fn long_texts_are_wrapped_and_cut_within_the_page() {
    let mut confirmation = example();
    confirmation.description =
        Some(format!("{}\n\nSecond paragraph.", "A very long description of goods. ".repeat(300)));
    confirmation.payer.name = Some("Wide Name ".repeat(60));
    confirmation.beneficiary.display_name = Some("W".repeat(400));
    confirmation.payer.email = Some(format!("{}@example.com", "m".repeat(200)));
    confirmation.trade_number = "9".repeat(300);

    let page = layout(&confirmation).expect("a layout");
    for line in &page.lines {
        assert!(line.y >= MARGIN && line.y + line.size <= PAGE_HEIGHT - MARGIN, "{line:?} leaves the page");
        assert!(line.x >= MARGIN && line.x + line.width() <= PAGE_WIDTH - MARGIN, "{line:?} is too wide");
    }
    let last = page.lines.last().expect("some lines");
    assert!(last.text.ends_with("..."), "{last:?}");
    assert!(page.lines.iter().filter(|line| line.text.starts_with("A very long")).count() == 1);

    let bytes = render(&confirmation);
    assert_pdf_envelope(&bytes);
    let text = text_of(&bytes);
    assert!(text.contains("35.00 CAD") && text.contains("24.51 USD"), "{text:?}");
    assert!(!text.contains("Second paragraph."));
}

#[test]
fn short_texts_and_missing_values_fit_as_they_are() {
    let mut confirmation = example();
    confirmation.description = None;
    confirmation.beneficiary.name = None;
    confirmation.beneficiary.country = None;
    let page = layout(&confirmation).expect("a layout");
    assert!(page.lines.iter().all(|line| !line.text.ends_with("...")));
    assert_pdf_envelope(&render(&confirmation));
}

#[test]
fn refuses_amounts_in_another_currency() {
    let mut confirmation = example();
    confirmation.payer.total_fee_amount = money(100, Currency::USD);
    let error = render_pdf(&confirmation).expect_err("a mismatched currency");
    assert!(error.to_string().contains("payer"), "{error}");
}
