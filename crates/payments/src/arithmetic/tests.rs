use std::str::FromStr;

use kernel::{FxRates, MAX_MINOR_UNITS};
use proptest::prelude::*;

use super::*;
use crate::PricingConfig;

fn decimal(text: &str) -> Decimal {
    Decimal::from_str(text).expect("a decimal literal")
}

/// An amount written in major units, as the contract's examples write it.
fn money(text: &str, currency: Currency) -> Money {
    Money::round_half_even(decimal(text), currency).expect("an amount in range")
}

fn rate(text: &str) -> Rate {
    Rate::new(decimal(text)).expect("a valid rate")
}

fn shipped() -> (FxRates, FeeSchedule) {
    let rates = FxRates::built_in().expect("the built-in rates table parses");
    let fees = FeeSchedule::built_in().expect("the built-in fee schedule parses");
    (rates, fees)
}

fn mid(rates: &FxRates, payer: Currency, beneficiary: Currency) -> MidRate {
    MidRate::between(rates, payer, beneficiary).expect("both currencies are in the table")
}

fn definition(amount: Money, to: Currency, quote_basis: QuoteBasis, payer_accepted_fees: bool) -> PaymentDefinition {
    let (payer_currency, beneficiary_currency) = match quote_basis {
        QuoteBasis::Payer => (amount.currency(), to),
        QuoteBasis::Beneficiary => (to, amount.currency()),
    };
    PaymentDefinition { payer_currency, beneficiary_currency, amount, quote_basis, payer_accepted_fees }
}

/// Prices at the shipped tables and default margins, as the service will.
fn price_shipped(definition: &PaymentDefinition) -> Result<PaymentAmounts, PricingError> {
    let (rates, fees) = shipped();
    let config = PricingConfig::default();
    let (payer, beneficiary) = (definition.payer_currency, definition.beneficiary_currency);
    let rate = Rate::between(&rates, payer, beneficiary, config.fx_spread).expect("both currencies are in the table");
    price_payment(definition, rate, mid(&rates, payer, beneficiary), &fees, config.bank_fx_markup)
}

/// The payer side, the beneficiary side and savings, written as the contract writes them.
fn sides(amounts: &PaymentAmounts) -> Vec<String> {
    let text = |m: Money| format!("{} {}", m.to_decimal(), m.currency());
    let mut sides: Vec<String> = [
        amounts.payer_sub,
        amounts.payer_fee,
        amounts.payer_total,
        amounts.beneficiary_sub,
        amounts.beneficiary_fee,
        amounts.beneficiary_total,
    ]
    .map(text)
    .into();
    sides.push(amounts.savings.map_or_else(|| "none".to_owned(), text));
    sides
}

#[test]
fn flows_worked_example_at_its_own_rate() -> Result<(), PricingError> {
    // flows.md section 9: 35 CAD to USD at r = 0.7239, F = 1 USD (the shipped USD fee).
    let (rates, fees) = shipped();
    let markup = PricingConfig::default().bank_fx_markup;
    let cad_usd = mid(&rates, Currency::CAD, Currency::USD);
    let entered = definition(money("35", Currency::CAD), Currency::USD, QuoteBasis::Payer, false);
    let amounts = price_payment(&entered, rate("0.7239"), cad_usd, &fees, markup)?;
    assert_eq!(amounts.payment_type, PaymentType::International);
    assert_eq!(amounts.rate.to_string(), "0.723900");
    // Savings at the shipped mid: round_CAD(24.34 ÷ (0.7326… × 0.97) = 34.2516…) + 50.00 − 35.00.
    assert_eq!(
        sides(&amounts),
        ["35.00 CAD", "0.00 CAD", "35.00 CAD", "25.34 USD", "1.00 USD", "24.34 USD", "49.25 CAD"]
    );

    let accepted = PaymentDefinition { payer_accepted_fees: true, ..entered };
    let amounts = price_payment(&accepted, rate("0.7239"), cad_usd, &fees, markup)?;
    assert_eq!(
        sides(&amounts),
        ["35.00 CAD", "1.38 CAD", "36.38 CAD", "25.34 USD", "0.00 USD", "25.34 USD", "49.28 CAD"]
    );
    Ok(())
}

#[test]
fn providers_worked_example_at_the_shipped_tables() -> Result<(), PricingError> {
    // providers.md section 3: 100 USD to a GBP account.
    let entered = definition(money("100", Currency::USD), Currency::GBP, QuoteBasis::Payer, false);
    let amounts = price_shipped(&entered)?;
    assert_eq!(amounts.rate.to_string(), "0.786050");
    assert_eq!(amounts.inverted_rate, decimal("1.272184"));
    // bankAmount = round_USD(77.60 ÷ 0.7663) + 45.00 = 146.27; savings = 146.27 − 100.00.
    assert_eq!(
        sides(&amounts),
        ["100.00 USD", "0.00 USD", "100.00 USD", "78.60 GBP", "1.00 GBP", "77.60 GBP", "46.27 USD"]
    );

    // The example stops at beneficiaryTotal; savings follow the same rule: round_USD(78.60 ÷ 0.7663 = 102.5707…)
    // + 45.00 − 101.27.
    let accepted = PaymentDefinition { payer_accepted_fees: true, ..entered };
    assert_eq!(
        sides(&price_shipped(&accepted)?),
        ["100.00 USD", "1.27 USD", "101.27 USD", "78.60 GBP", "0.00 GBP", "78.60 GBP", "46.30 USD"]
    );
    Ok(())
}

#[test]
fn the_bank_amount_of_the_providers_example() -> Result<(), PricingError> {
    let (rates, fees) = shipped();
    let entered = definition(money("100", Currency::USD), Currency::GBP, QuoteBasis::Payer, false);
    let amounts = price_shipped(&entered)?;
    let usd_gbp = mid(&rates, Currency::USD, Currency::GBP);
    let markup = PricingConfig::default().bank_fx_markup;
    assert_eq!(usd_gbp.less(markup), Some(decimal("0.7663")));
    let wire = fees.bank_wire_fee(Currency::USD).ok_or(PricingError::NoFees(Currency::USD))?;
    let savings = savings(&amounts, usd_gbp, markup, wire)?;
    assert_eq!(savings.and_then(|s| s.checked_add(amounts.payer_total)), Some(money("146.27", Currency::USD)));
    Ok(())
}

#[test]
fn end_to_end_at_the_shipped_rates() -> Result<(), PricingError> {
    // 35 CAD to USD at the shipped rates: r = round6(1 ÷ 1.365 × 0.995) = 0.728938.
    let entered = definition(money("35", Currency::CAD), Currency::USD, QuoteBasis::Payer, false);
    let amounts = price_shipped(&entered)?;
    assert_eq!(amounts.rate.to_string(), "0.728938");
    assert_eq!(amounts.inverted_rate, decimal("1.371859"));
    // 35 × 0.728938 = 25.51283; bank: round_CAD(24.51 ÷ 0.71062…) = 34.49, + 50.00.
    assert_eq!(
        sides(&amounts),
        ["35.00 CAD", "0.00 CAD", "35.00 CAD", "25.51 USD", "1.00 USD", "24.51 USD", "49.49 CAD"]
    );
    let accepted = PaymentDefinition { payer_accepted_fees: true, ..entered };
    // payerFee = round_CAD(1.00 ÷ 0.728938 = 1.37185…) = 1.37.
    assert_eq!(
        sides(&price_shipped(&accepted)?),
        ["35.00 CAD", "1.37 CAD", "36.37 CAD", "25.51 USD", "0.00 USD", "25.51 USD", "49.53 CAD"]
    );
    Ok(())
}

#[test]
fn local_payments_cost_nothing() -> Result<(), PricingError> {
    for quote_basis in [QuoteBasis::Payer, QuoteBasis::Beneficiary] {
        for payer_accepted_fees in [false, true] {
            let entered = definition(money("12.34", Currency::USD), Currency::USD, quote_basis, payer_accepted_fees);
            let amounts = price_shipped(&entered)?;
            assert_eq!(amounts.payment_type, PaymentType::Local);
            assert_eq!(amounts.rate, Rate::ONE);
            assert_eq!(amounts.inverted_rate, Decimal::ONE);
            assert_eq!(
                sides(&amounts),
                ["12.34 USD", "0.00 USD", "12.34 USD", "12.34 USD", "0.00 USD", "12.34 USD", "none"]
            );
        }
    }
    Ok(())
}

#[test]
fn a_local_payment_is_priced_at_one() {
    let (rates, fees) = shipped();
    let entered = definition(money("10", Currency::USD), Currency::USD, QuoteBasis::Payer, false);
    let answer =
        price_payment(&entered, rate("0.995"), mid(&rates, Currency::USD, Currency::USD), &fees, BasisPoints::ZERO);
    assert_eq!(answer, Err(PricingError::LocalRateNotOne(rate("0.995"))));
    assert_eq!(price_refund(&entered, rate("0.995")), Err(PricingError::LocalRateNotOne(rate("0.995"))));
}

#[test]
fn yen_have_no_decimals() -> Result<(), PricingError> {
    // JPY → USD: r = round6(1 ÷ 151.5 × 0.995) = 0.006568; 10000 × r = 65.68.
    let entered = definition(money("10000", Currency::JPY), Currency::USD, QuoteBasis::Payer, false);
    let amounts = price_shipped(&entered)?;
    assert_eq!(amounts.rate.to_string(), "0.006568");
    assert_eq!(amounts.inverted_rate, decimal("152.253350"));
    assert_eq!(sides(&amounts), ["10000 JPY", "0 JPY", "10000 JPY", "65.68 USD", "1.00 USD", "64.68 USD", "6602 JPY"]);
    // The fee converted into yen: round_JPY(1.00 ÷ 0.006568 = 152.25…) = 152.
    let accepted = PaymentDefinition { payer_accepted_fees: true, ..entered };
    assert_eq!(
        sides(&price_shipped(&accepted)?),
        ["10000 JPY", "152 JPY", "10152 JPY", "65.68 USD", "0.00 USD", "65.68 USD", "6606 JPY"]
    );

    // USD → JPY with basis BENEFICIARY: r = 150.742500; payerSub = round_USD(10000 ÷ 150.7425 = 66.338…).
    let entered = definition(money("10000", Currency::JPY), Currency::USD, QuoteBasis::Beneficiary, false);
    let amounts = price_shipped(&entered)?;
    assert_eq!(amounts.rate.to_string(), "150.742500");
    assert_eq!(
        sides(&amounts),
        ["66.34 USD", "0.00 USD", "66.34 USD", "10000 JPY", "150 JPY", "9850 JPY", "45.69 USD"]
    );
    let accepted = PaymentDefinition { payer_accepted_fees: true, ..entered };
    assert_eq!(
        sides(&price_shipped(&accepted)?),
        ["66.34 USD", "1.00 USD", "67.34 USD", "10000 JPY", "0 JPY", "10000 JPY", "45.71 USD"]
    );
    Ok(())
}

/// The shipped rates table has no currency with three decimals; a table of the test's own has KWD.
fn three_decimal_tables() -> (FxRates, FeeSchedule) {
    let rates = FxRates::parse("currency,units_per_usd\nUSD,1\nJPY,151.5\nKWD,0.307\n").expect("a valid table");
    let fees = FeeSchedule::parse(
        "currency,international_fee,bank_wire_fee\nUSD,1.00,45.00\nJPY,150,6500\nKWD,0.300,12.500\n",
    )
    .expect("a valid schedule");
    fees.covers(&rates).expect("a row per currency");
    (rates, fees)
}

fn price_three_decimal(definition: &PaymentDefinition) -> Result<PaymentAmounts, PricingError> {
    let (rates, fees) = three_decimal_tables();
    let config = PricingConfig::default();
    let (payer, beneficiary) = (definition.payer_currency, definition.beneficiary_currency);
    let rate = Rate::between(&rates, payer, beneficiary, config.fx_spread).expect("both currencies are in the table");
    price_payment(definition, rate, mid(&rates, payer, beneficiary), &fees, config.bank_fx_markup)
}

#[test]
fn three_decimal_currencies() -> Result<(), PricingError> {
    assert_eq!(Currency::KWD.exponent(), Some(3));
    // KWD → JPY: r = round6(151.5 ÷ 0.307 × 0.995) = 491.017915; 1.234 × r = 605.9161… → 606.
    let entered = definition(money("1.234", Currency::KWD), Currency::JPY, QuoteBasis::Payer, false);
    let amounts = price_three_decimal(&entered)?;
    assert_eq!(amounts.rate.to_string(), "491.017915");
    assert_eq!(sides(&amounts), ["1.234 KWD", "0.000 KWD", "1.234 KWD", "606 JPY", "150 JPY", "456 JPY", "12.219 KWD"]);

    // JPY → KWD: r = 0.002016; 10000 × r = 20.160; the fee in yen: round_JPY(0.300 ÷ 0.002016 = 148.8…) = 149.
    let entered = definition(money("10000", Currency::JPY), Currency::KWD, QuoteBasis::Payer, true);
    assert_eq!(
        sides(&price_three_decimal(&entered)?),
        ["10000 JPY", "149 JPY", "10149 JPY", "20.160 KWD", "0.000 KWD", "20.160 KWD", "6607 JPY"]
    );

    // USD → KWD, basis BENEFICIARY: r = 0.305465; payerSub = round_USD(10.000 ÷ r = 32.736…) = 32.74;
    // payerFee = round_USD(0.300 ÷ r = 0.982…) = 0.98.
    let entered = definition(money("10", Currency::KWD), Currency::USD, QuoteBasis::Beneficiary, true);
    let amounts = price_three_decimal(&entered)?;
    assert_eq!(amounts.rate.to_string(), "0.305465");
    assert_eq!(amounts.inverted_rate, decimal("3.273697"));
    assert_eq!(
        sides(&amounts),
        ["32.74 USD", "0.98 USD", "33.72 USD", "10.000 KWD", "0.000 KWD", "10.000 KWD", "44.86 USD"]
    );
    Ok(())
}

#[test]
fn refuses_a_fee_that_eats_the_amount() {
    // updatePaymentSession's test point: 1.00 USD to GBP is 0.79 GBP, less than the 1.00 GBP fee (I-4747).
    let entered = definition(money("1", Currency::USD), Currency::GBP, QuoteBasis::Payer, false);
    assert_eq!(price_shipped(&entered), Err(PricingError::TooSmallToCoverFee));
    // Exactly the fee leaves nothing: refused too.
    let entered = definition(money("1", Currency::GBP), Currency::USD, QuoteBasis::Beneficiary, false);
    assert_eq!(price_shipped(&entered), Err(PricingError::TooSmallToCoverFee));
    // The payer taking the fee on top saves it.
    let accepted = definition(money("1", Currency::USD), Currency::GBP, QuoteBasis::Payer, true);
    assert!(price_shipped(&accepted).is_ok());
}

#[test]
fn refuses_what_cannot_be_priced() {
    let (rates, fees) = shipped();
    let markup = PricingConfig::default().bank_fx_markup;
    let usd_gbp = mid(&rates, Currency::USD, Currency::GBP);
    let price = |definition: &PaymentDefinition| price_payment(definition, rate("0.786050"), usd_gbp, &fees, markup);

    let zero = definition(money("0", Currency::USD), Currency::GBP, QuoteBasis::Payer, false);
    assert_eq!(price(&zero), Err(PricingError::AmountNotPositive));
    let negative = definition(money("-5", Currency::USD), Currency::GBP, QuoteBasis::Payer, false);
    assert_eq!(price(&negative), Err(PricingError::AmountNotPositive));

    let wrong_side = PaymentDefinition { quote_basis: QuoteBasis::Beneficiary, ..zero };
    assert_eq!(price(&wrong_side), Err(PricingError::AmountCurrency { expected: Currency::GBP, found: Currency::USD }));

    let huge = definition(
        Money::from_minor_units(MAX_MINOR_UNITS, Currency::USD).expect("in range"),
        Currency::GBP,
        QuoteBasis::Payer,
        true,
    );
    assert_eq!(price(&huge), Err(PricingError::Money(MoneyError::TooLarge(Currency::USD))));
    let huge = definition(
        Money::from_minor_units(MAX_MINOR_UNITS, Currency::GBP).expect("in range"),
        Currency::USD,
        QuoteBasis::Payer,
        false,
    );
    let answer = price_payment(&huge, rate("1.258"), mid(&rates, Currency::GBP, Currency::USD), &fees, markup);
    assert_eq!(answer, Err(PricingError::Money(MoneyError::TooLarge(Currency::USD))));

    // A schedule missing B (for the fee) or P (for the bank wire fee of savings).
    let only_usd = FeeSchedule::parse("currency,international_fee,bank_wire_fee\nUSD,1.00,45.00\n").expect("valid");
    let entered = definition(money("100", Currency::USD), Currency::GBP, QuoteBasis::Payer, false);
    let answer = price_payment(&entered, rate("0.786050"), usd_gbp, &only_usd, markup);
    assert_eq!(answer, Err(PricingError::NoFees(Currency::GBP)));
    let only_gbp = FeeSchedule::parse("currency,international_fee,bank_wire_fee\nGBP,1.00,35.00\n").expect("valid");
    let answer = price_payment(&entered, rate("0.786050"), usd_gbp, &only_gbp, markup);
    assert_eq!(answer, Err(PricingError::NoFees(Currency::USD)));
    // LOCAL payments need no row.
    let local = definition(money("100", Currency::EUR), Currency::EUR, QuoteBasis::Payer, false);
    assert!(price_payment(&local, Rate::ONE, MidRate::ONE, &only_usd, markup).is_ok());

    // Basis BENEFICIARY: 0.001 KWD paid from yen is 0.001 ÷ 0.002016 = 0.496 yen, which rounds to nothing.
    let (rates, fees) = three_decimal_tables();
    let jpy_kwd = mid(&rates, Currency::JPY, Currency::KWD);
    let tiny = definition(money("0.001", Currency::KWD), Currency::JPY, QuoteBasis::Beneficiary, false);
    let answer = price_payment(&tiny, rate("0.002016"), jpy_kwd, &fees, markup);
    assert_eq!(answer, Err(PricingError::PayerAmountRoundsToZero));
}

#[test]
fn savings_are_none_when_not_positive() -> Result<(), PricingError> {
    // A bank that charges no wire fee and no markup is cheaper than borderless's spread and fee.
    let (rates, _) = shipped();
    let fees = FeeSchedule::parse("currency,international_fee,bank_wire_fee\nUSD,1.00,0\nGBP,1.00,0\n").expect("valid");
    let entered = definition(money("100", Currency::USD), Currency::GBP, QuoteBasis::Payer, false);
    let amounts =
        price_payment(&entered, rate("0.786050"), mid(&rates, Currency::USD, Currency::GBP), &fees, BasisPoints::ZERO)?;
    assert_eq!(amounts.savings, None);
    Ok(())
}

#[test]
fn refunds_carry_no_fee_and_no_savings() -> Result<(), PricingError> {
    // A refund of 25.34 USD back to the CAD payer of flows.md's example, basis BENEFICIARY (the default):
    // the refunding account pays in USD, the original payer receives CAD.
    let (rates, _) = shipped();
    let usd_cad = Rate::between(&rates, Currency::USD, Currency::CAD, PricingConfig::default().fx_spread)
        .expect("both in the table");
    assert_eq!(usd_cad.to_string(), "1.358175");
    let entered = definition(money("35", Currency::CAD), Currency::USD, QuoteBasis::Beneficiary, true);
    let amounts = price_refund(&entered, usd_cad)?;
    assert_eq!(amounts.payment_type, PaymentType::International);
    // payerSub = round_USD(35 ÷ 1.358175 = 25.7699…) = 25.77.
    assert_eq!(sides(&amounts), ["25.77 USD", "0.00 USD", "25.77 USD", "35.00 CAD", "0.00 CAD", "35.00 CAD", "none"]);
    let local = definition(money("35", Currency::CAD), Currency::CAD, QuoteBasis::Beneficiary, false);
    assert_eq!(price_refund(&local, Rate::ONE)?.payment_type, PaymentType::Local);
    // A refund that delivers nothing is refused as a payment is.
    let tiny = definition(money("1", Currency::JPY), Currency::USD, QuoteBasis::Payer, false);
    assert_eq!(price_refund(&tiny, rate("0.004")), Err(PricingError::TooSmallToCoverFee));
    Ok(())
}

// Properties: against an exact rational computation in integers, every step rounds half-even exactly once.

/// n ÷ d rounded half-even, exactly, for n ≥ 0 and d > 0.
fn exact_half_even(n: i128, d: i128) -> i128 {
    let (q, r) = (n / d, n % d);
    match (2 * r).cmp(&d) {
        std::cmp::Ordering::Less => q,
        std::cmp::Ordering::Greater => q + 1,
        std::cmp::Ordering::Equal => q + (q % 2),
    }
}

const TEST_CURRENCIES: [Currency; 5] = [Currency::USD, Currency::GBP, Currency::JPY, Currency::KWD, Currency::BHD];

fn currency() -> impl Strategy<Value = Currency> {
    prop::sample::select(TEST_CURRENCIES.to_vec())
}

fn basis() -> impl Strategy<Value = QuoteBasis> {
    prop_oneof![Just(QuoteBasis::Payer), Just(QuoteBasis::Beneficiary)]
}

/// A schedule with the same fee, in each currency's own minor units, for every test currency.
fn schedule(fee_minor: i64) -> FeeSchedule {
    let mut text = String::from("currency,international_fee,bank_wire_fee\n");
    for currency in TEST_CURRENCIES {
        let exponent = currency.exponent().expect("a minor unit");
        text.push_str(&format!("{currency},{},{}\n", Decimal::new(fee_minor, exponent), Decimal::new(40, 0)));
    }
    FeeSchedule::parse(&text).expect("a valid schedule")
}

fn pow10(exponent: u32) -> i128 {
    10_i128.pow(exponent)
}

/// One generated payment: currencies, the entered amount in minor units of the side its basis fixes, r in
/// millionths (ignored when the currencies are the same), the fee in minor units of B.
#[derive(Debug)]
struct Case {
    payer: Currency,
    beneficiary: Currency,
    amount_minor: i64,
    rate_millionths: i64,
    fee_minor: i64,
    quote_basis: QuoteBasis,
    payer_accepted_fees: bool,
}

fn case() -> impl Strategy<Value = Case> {
    (
        currency(),
        currency(),
        prop_oneof![1_i64..=1_000, 1_i64..=1_000_000_000_000],
        // r from 0.000001 to 10 000.
        prop_oneof![1_i64..=2_000_000, 1_i64..=10_000_000_000],
        prop_oneof![0_i64..=1_000, 0_i64..=100_000_000],
        basis(),
        any::<bool>(),
    )
        .prop_map(
            |(payer, beneficiary, amount_minor, rate_millionths, fee_minor, quote_basis, payer_accepted_fees)| Case {
                payer,
                beneficiary,
                amount_minor,
                rate_millionths,
                fee_minor,
                quote_basis,
                payer_accepted_fees,
            },
        )
}

impl Case {
    fn rate(&self) -> Rate {
        if self.payer == self.beneficiary {
            Rate::ONE
        } else {
            Rate::new(Decimal::new(self.rate_millionths, 6)).expect("positive")
        }
    }

    fn definition(&self) -> PaymentDefinition {
        let fixed = if self.quote_basis == QuoteBasis::Payer { self.payer } else { self.beneficiary };
        PaymentDefinition {
            payer_currency: self.payer,
            beneficiary_currency: self.beneficiary,
            amount: Money::from_minor_units(self.amount_minor, fixed).expect("in range"),
            quote_basis: self.quote_basis,
            payer_accepted_fees: self.payer_accepted_fees,
        }
    }
}

fn every_step_rounds_once(case: &Case) -> Result<(), TestCaseError> {
    let Case { payer, beneficiary, amount_minor, fee_minor, quote_basis, payer_accepted_fees, .. } = *case;
    let local = payer == beneficiary;
    let rate = case.rate();
    let entered = case.definition();
    let amount = entered.amount;
    let big_r = rate.to_decimal().mantissa();
    let (e_p, e_b) = (payer.exponent().expect("minor unit"), beneficiary.exponent().expect("minor unit"));
    let fees = schedule(fee_minor);
    // A mid at the rate itself keeps the bank amount near the payer's.
    let mid = MidRate::new(rate.to_decimal()).expect("positive");
    let answer = price_payment(&entered, rate, mid, &fees, BasisPoints::new(300).expect("in range"));

    // The exact computation: amounts in minor units, r = big_r ÷ 10^6.
    let a = i128::from(amount_minor);
    let (payer_sub, beneficiary_sub) = match quote_basis {
        QuoteBasis::Payer => (a, exact_half_even(a * big_r * pow10(e_b), pow10(6 + e_p))),
        QuoteBasis::Beneficiary => (exact_half_even(a * pow10(6 + e_p), big_r * pow10(e_b)), a),
    };
    let fee = if local { 0 } else { i128::from(fee_minor) };
    let (payer_fee, beneficiary_fee) =
        if payer_accepted_fees { (exact_half_even(fee * pow10(6 + e_p), big_r * pow10(e_b)), 0) } else { (0, fee) };
    let max = i128::from(MAX_MINOR_UNITS);
    if payer_sub + payer_fee > max || beneficiary_sub > max {
        prop_assert!(matches!(answer, Err(PricingError::Money(MoneyError::TooLarge(_)))), "{:?}", answer);
        return Ok(());
    }
    // Leave room for the bank amount of savings.
    prop_assume!(payer_sub + payer_fee <= max / 2 && beneficiary_sub <= max / 2);

    if payer_sub == 0 {
        prop_assert_eq!(answer, Err(PricingError::PayerAmountRoundsToZero));
        return Ok(());
    }
    if beneficiary_sub - beneficiary_fee <= 0 {
        prop_assert_eq!(answer, Err(PricingError::TooSmallToCoverFee));
        return Ok(());
    }
    let amounts = answer.expect("a priced payment");
    let minor = |m: Money| i128::from(m.minor_units());
    prop_assert_eq!(minor(amounts.payer_sub), payer_sub);
    prop_assert_eq!(minor(amounts.beneficiary_sub), beneficiary_sub);
    prop_assert_eq!(minor(amounts.payer_fee), payer_fee);
    prop_assert_eq!(minor(amounts.beneficiary_fee), beneficiary_fee);
    prop_assert_eq!(amounts.payer_total.checked_sub(amounts.payer_sub), Some(amounts.payer_fee));
    prop_assert_eq!(amounts.beneficiary_sub.checked_sub(amounts.beneficiary_total), Some(amounts.beneficiary_fee));
    for (m, currency) in [
        (amounts.payer_sub, payer),
        (amounts.payer_fee, payer),
        (amounts.payer_total, payer),
        (amounts.beneficiary_sub, beneficiary),
        (amounts.beneficiary_fee, beneficiary),
        (amounts.beneficiary_total, beneficiary),
    ] {
        prop_assert_eq!(m.currency(), currency);
        prop_assert!(m.minor_units() >= 0);
    }
    prop_assert!(amounts.payer_total.is_positive() && amounts.beneficiary_total.is_positive());

    // Within half a minor unit of the exact product or quotient, the entered side untouched.
    let exact_beneficiary = amounts.payer_sub.to_decimal() * rate.to_decimal();
    let exact_payer = amounts.beneficiary_sub.to_decimal() / rate.to_decimal();
    match quote_basis {
        QuoteBasis::Payer => {
            prop_assert_eq!(amounts.payer_sub, amount);
            prop_assert!((amounts.beneficiary_sub.to_decimal() - exact_beneficiary).abs() <= Decimal::new(5, e_b + 1));
        }
        QuoteBasis::Beneficiary => {
            prop_assert_eq!(amounts.beneficiary_sub, amount);
            prop_assert!((amounts.payer_sub.to_decimal() - exact_payer).abs() <= Decimal::new(5, e_p + 1));
        }
    }

    if local {
        prop_assert_eq!(amounts.payment_type, PaymentType::Local);
        prop_assert_eq!(amounts.payer_sub.minor_units(), amounts.beneficiary_sub.minor_units());
        prop_assert_eq!(amounts.payer_fee.minor_units(), 0);
        prop_assert_eq!(amounts.beneficiary_fee.minor_units(), 0);
        prop_assert_eq!(amounts.savings, None);
    } else {
        prop_assert_eq!(amounts.payment_type, PaymentType::International);
        if let Some(saved) = amounts.savings {
            prop_assert_eq!(saved.currency(), payer);
            prop_assert!(saved.is_positive());
            // bankAmount − bank wire fee is the beneficiary total at the bank's rate, rounded once.
            let bank_amount = saved.checked_add(amounts.payer_total).expect("in range");
            let converted = bank_amount.checked_sub(fees.bank_wire_fee(payer).expect("a row")).expect("in range");
            let exact = amounts.beneficiary_total.to_decimal() / (rate.to_decimal() * Decimal::new(97, 2));
            prop_assert!((converted.to_decimal() - exact).abs() <= Decimal::new(5, e_p + 1));
        }
    }

    Ok(())
}

fn refunds_round_once_and_carry_nothing_else(case: &Case) -> Result<(), TestCaseError> {
    let local = case.payer == case.beneficiary;
    let quote_basis = case.quote_basis;
    match price_refund(&case.definition(), case.rate()) {
        Ok(amounts) => {
            prop_assert_eq!(amounts.payer_fee.minor_units(), 0);
            prop_assert_eq!(amounts.beneficiary_fee.minor_units(), 0);
            prop_assert_eq!(amounts.payer_total, amounts.payer_sub);
            prop_assert_eq!(amounts.beneficiary_total, amounts.beneficiary_sub);
            prop_assert!(amounts.payer_total.is_positive() && amounts.beneficiary_total.is_positive());
            prop_assert_eq!(amounts.savings, None);
            if local {
                prop_assert_eq!(amounts.payer_sub.minor_units(), amounts.beneficiary_sub.minor_units());
            }
        }
        Err(PricingError::PayerAmountRoundsToZero) => prop_assert_eq!(quote_basis, QuoteBasis::Beneficiary),
        Err(PricingError::TooSmallToCoverFee) => prop_assert_eq!(quote_basis, QuoteBasis::Payer),
        Err(PricingError::Money(MoneyError::TooLarge(_))) => prop_assert!(!local),
        Err(other) => prop_assert!(false, "unexpected {:?}", other),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn payments_round_each_step_once(case in case()) {
        every_step_rounds_once(&case)?;
    }

    #[test]
    fn refunds_round_once_and_carry_no_fee(case in case()) {
        refunds_round_once_and_carry_nothing_else(&case)?;
    }
}
