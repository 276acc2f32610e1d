use std::str::FromStr;

use chrono::TimeZone;
use kernel::FxRates;
use rust_decimal::Decimal;

use super::*;
use crate::{FeeSchedule, MidRate, PaymentDefinition, PricingConfig, PricingError, QuoteBasis, Rate, price_payment};

fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 5, 10, 0, 0).single().expect("a valid time")
}

/// The worked payment of flows.md sections 9 and 11: 35 CAD to a USD account at r = 0.7239.
fn worked_example(payer_accepted_fees: bool) -> Result<PaymentAmounts, PricingError> {
    priced(Currency::CAD, Currency::USD, "35", "0.7239", payer_accepted_fees)
}

fn priced(
    payer: Currency,
    beneficiary: Currency,
    amount: &str,
    rate: &str,
    payer_accepted_fees: bool,
) -> Result<PaymentAmounts, PricingError> {
    let rates = FxRates::built_in().expect("the built-in rates table parses");
    let fees = FeeSchedule::built_in().expect("the built-in fee schedule parses");
    let mid = MidRate::between(&rates, payer, beneficiary).expect("both currencies are in the table");
    let amount = Money::round_half_even(Decimal::from_str(amount).expect("a decimal"), payer)?;
    let definition = PaymentDefinition {
        payer_currency: payer,
        beneficiary_currency: beneficiary,
        amount,
        quote_basis: QuoteBasis::Payer,
        payer_accepted_fees,
    };
    let rate = Rate::new(Decimal::from_str(rate).expect("a decimal")).expect("a valid rate");
    price_payment(&definition, rate, mid, &fees, PricingConfig::default().bank_fx_markup)
}

fn payer_bank() -> FundingSource {
    FundingSource::BankAccount("payer-bank".to_owned())
}

/// The postings as the spec's tables write them: `account[C] ±major`.
fn written(set: &PostingSet) -> Vec<String> {
    set.postings
        .iter()
        .map(|p| {
            let major = Decimal::new(p.amount, p.currency.exponent().unwrap_or(0));
            format!("{} {major:+}", p.account.in_currency(p.currency))
        })
        .collect()
}

#[test]
fn the_worked_example_posts_as_section_11_shows() -> Result<(), PricingError> {
    let amounts = worked_example(false)?;
    let collection = collection("p-1", at(), &amounts, &payer_bank());
    assert_eq!(written(&collection), ["bank:payer-bank[CAD] -35.00", "clearing[CAD] +35.00"]);
    let payout = payout("p-1", at(), &amounts);
    assert_eq!(
        written(&payout),
        ["clearing[CAD] -35.00", "fx[CAD] +35.00", "fx[USD] -25.34", "fees[USD] +1.00", "in_transit[USD] +24.34"]
    );
    let arrival = arrival("p-1", at(), &amounts, "beneficiary-bank");
    assert_eq!(written(&arrival), ["in_transit[USD] -24.34", "bank:beneficiary-bank[USD] +24.34"]);
    for set in [&collection, &payout, &arrival] {
        assert_eq!(set.entry_id, "p-1");
        assert_eq!(set.posted_at, at());
        assert!(set.imbalances().is_empty(), "{:?} does not balance", set.step);
    }
    assert_eq!((collection.step, payout.step, arrival.step), (Step::Collection, Step::Payout, Step::Arrival));
    Ok(())
}

#[test]
fn a_payer_borne_fee_posts_in_the_payer_currency() -> Result<(), PricingError> {
    let amounts = worked_example(true)?;
    assert_eq!(
        written(&collection("p-1", at(), &amounts, &payer_bank())),
        ["bank:payer-bank[CAD] -36.38", "clearing[CAD] +36.38"]
    );
    let payout = payout("p-1", at(), &amounts);
    assert_eq!(
        written(&payout),
        ["clearing[CAD] -36.38", "fx[CAD] +35.00", "fees[CAD] +1.38", "fx[USD] -25.34", "in_transit[USD] +25.34"]
    );
    assert!(payout.imbalances().is_empty());
    Ok(())
}

#[test]
fn a_local_payment_posts_fx_twice_and_no_fee() -> Result<(), PricingError> {
    let amounts = priced(Currency::USD, Currency::USD, "12.5", "1", false)?;
    assert_eq!(
        written(&payout("p-2", at(), &amounts)),
        ["clearing[USD] -12.50", "fx[USD] +12.50", "fx[USD] -12.50", "in_transit[USD] +12.50"]
    );
    Ok(())
}

#[test]
fn give_backs_return_the_payer_total_to_its_source() -> Result<(), PricingError> {
    let amounts = worked_example(false)?;
    let funding = FundingSource::FundingBalance(AccountId::from_text("payer-account"));
    assert_eq!(
        written(&give_back("p-1", at(), &amounts, &funding)),
        ["clearing[CAD] -35.00", "funding:payer-account[CAD] +35.00"]
    );
    let returned = give_back_after_payout("p-1", at(), &amounts, &payer_bank());
    assert_eq!(returned.step, Step::GiveBackAfterPayout);
    assert_eq!(
        written(&returned),
        [
            "clearing[CAD] +35.00",
            "fx[CAD] -35.00",
            "fx[USD] +25.34",
            "fees[USD] -1.00",
            "in_transit[USD] -24.34",
            "clearing[CAD] -35.00",
            "bank:payer-bank[CAD] +35.00"
        ]
    );
    assert!(returned.imbalances().is_empty());
    Ok(())
}

#[test]
fn a_funding_credit_moves_deposits_into_the_balance() -> Result<(), kernel::MoneyError> {
    let credit =
        funding_credit("f-1", at(), &AccountId::from_text("acc"), Money::from_minor_units(1000, Currency::EUR)?);
    assert_eq!(written(&credit), ["deposits[EUR] -10.00", "funding:acc[EUR] +10.00"]);
    assert_eq!(credit.step, Step::FundingCredit);
    Ok(())
}

#[test]
fn steps_parse_back_from_their_stored_names() {
    for step in Step::VALUES {
        assert_eq!(step.as_str().parse::<Step>(), Ok(*step));
    }
    assert!("refund".parse::<Step>().is_err());
}
