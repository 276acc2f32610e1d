//! paymentSession's answer: the contract's `PaymentSessionResult` and the objects under it.

use juniper::{GraphQLEnum, GraphQLObject, ID, graphql_object};
use kernel::{Clock, Context, Currency, DateTime, Money};

use super::activity::Contact;
use crate::{PaymentSessionView, QuoteBasis, Rate, Review};

/// A rate as the contract's Float: its exact 6-decimal text read as a number.
pub fn rate_value(rate: rust_decimal::Decimal) -> f64 {
    rate.normalize().to_string().parse().unwrap_or(f64::NAN)
}

/// An amount of `currency` held in minor units, as the contract's Float.
fn major(minor: i64, currency: Currency) -> f64 {
    Money::from_minor_units(minor, currency).map_or(f64::NAN, Money::to_major_f64)
}

/// The contract's `PaymentType`.
#[derive(Debug, Clone, Copy, GraphQLEnum)]
#[graphql(name = "PaymentType")]
pub enum PaymentTypeValue {
    Local,
    International,
}

/// The contract's `TempFxRates`.
#[derive(Debug, GraphQLObject)]
pub struct TempFxRates {
    /// Beneficiary units per payer unit (up to 6 decimals).
    rate: f64,
    /// Payer units per beneficiary unit (up to 6 decimals).
    inverted_rate: f64,
}

impl From<Rate> for TempFxRates {
    fn from(rate: Rate) -> Self {
        Self { rate: rate_value(rate.to_decimal()), inverted_rate: rate_value(rate.inverted()) }
    }
}

/// The contract's `PaymentSide`.
#[derive(Debug, GraphQLObject)]
pub struct PaymentSide {
    currency: Currency,
    sub_amount: f64,
    total_amount: f64,
    total_fee_amount: f64,
}

/// The contract's `Savings`.
#[derive(Debug, GraphQLObject)]
pub struct Savings {
    /// The payer's total cost with borderless.
    borderless_amount: f64,
    /// The payer's total cost with a typical bank for the same beneficiary amount.
    bank_amount: f64,
    /// bankAmount − borderlessAmount (positive).
    savings_amount: f64,
    currency: Currency,
}

/// The contract's `PaymentSessionResult`.
#[derive(Debug)]
pub struct PaymentSessionResult(pub PaymentSessionView);

/// The contract's `PaymentPayer`.
pub struct PaymentPayer<'a>(&'a PaymentSessionView);

#[graphql_object(context = Context)]
impl PaymentPayer<'_> {
    /// The payer's currency.
    fn currency(&self) -> Currency {
        self.0.payer_currency
    }

    /// The funding bank account; null when funded from the funding balance.
    fn bank_account(&self) -> Option<accounts::graphql::BankAccount> {
        self.0.funding_bank_account.clone().map(accounts::graphql::BankAccount)
    }

    /// Set when funded from the funding balance: the balance's currency.
    fn funding_balance_currency(&self) -> Option<Currency> {
        self.0.funding_balance.then_some(self.0.payer_currency)
    }
}

/// The contract's `PaymentBeneficiary`.
pub struct PaymentBeneficiary<'a>(&'a PaymentSessionView);

#[graphql_object(context = Context)]
impl PaymentBeneficiary<'_> {
    fn currency(&self) -> Currency {
        self.0.beneficiary_currency
    }

    fn contact(&self) -> Contact {
        Contact { email: self.0.named_email.clone(), account: self.0.beneficiary.clone(), last_activity_at: None }
    }
}

#[graphql_object(context = Context)]
impl PaymentSessionResult {
    fn payer(&self) -> PaymentPayer<'_> {
        PaymentPayer(&self.0)
    }

    fn beneficiary(&self) -> PaymentBeneficiary<'_> {
        PaymentBeneficiary(&self.0)
    }

    /// Indicative payer→beneficiary rate (no quote behind it); rate 1 for same-currency payments.
    fn temp_exchange_rate(&self) -> TempFxRates {
        self.0.indicative_rate.into()
    }

    /// Earliest value date possible now.
    fn temp_value_date(&self) -> DateTime {
        DateTime::of_date(self.0.today)
    }

    /// The priced payment; null until updatePaymentSession has succeeded.
    fn review_payment(&self) -> Option<ReviewPayment<'_>> {
        self.0.review.as_ref().map(|review| ReviewPayment { view: &self.0, review })
    }
}

/// The contract's `ReviewPayment`.
pub struct ReviewPayment<'a> {
    view: &'a PaymentSessionView,
    review: &'a Review,
}

#[graphql_object(context = Context)]
impl ReviewPayment<'_> {
    fn payment_object(&self) -> PaymentObject<'_> {
        PaymentObject { view: self.view, review: self.review }
    }

    fn description(&self) -> &str {
        &self.review.definition.description
    }

    fn email_message(&self) -> Option<&str> {
        self.review.definition.email_message.as_deref()
    }

    fn pop_code(&self) -> Option<&str> {
        self.review.definition.pop_code.as_deref()
    }

    fn payer_accepted_fees(&self) -> bool {
        self.review.definition.payer_accepted_fees
    }

    fn quote_basis(&self) -> QuoteBasis {
        self.review.definition.quote_basis
    }
}

/// The contract's `PaymentObject`: the current quote.
pub struct PaymentObject<'a> {
    view: &'a PaymentSessionView,
    review: &'a Review,
}

#[graphql_object(context = Context)]
impl PaymentObject<'_> {
    #[graphql(name = "type")]
    fn kind(&self) -> PaymentTypeValue {
        if self.review.quote.amounts.international { PaymentTypeValue::International } else { PaymentTypeValue::Local }
    }

    /// True when no conversion is involved (same currency, rate exactly 1).
    fn is_settlement_quote(&self) -> bool {
        !self.review.quote.amounts.international
    }

    /// Whole seconds left before the quote expires (0 once expired); computed when read.
    fn expires_in(&self, ctx: &Context) -> i32 {
        let left = (self.review.quote.expires_at - ctx.clock.now()).num_seconds();
        i32::try_from(left.max(0)).unwrap_or(i32::MAX)
    }

    /// When the quote expires.
    fn expires_at(&self) -> DateTime {
        DateTime(self.review.quote.expires_at)
    }

    fn quote_id(&self) -> ID {
        self.review.quote.id.to_string().into()
    }

    fn value_date(&self) -> DateTime {
        DateTime::of_date(self.review.definition.value_date)
    }

    /// Beneficiary units per payer unit applied to this payment (up to 6 decimals).
    #[graphql(name = "payerToBeneficiaryFX")]
    fn payer_to_beneficiary_fx(&self) -> f64 {
        rate_value(self.review.quote.rate.to_decimal())
    }

    /// Null for LOCAL payments, for refunds, and when borderless is not cheaper.
    fn savings(&self) -> Option<Savings> {
        let amounts = &self.review.quote.amounts;
        let payer = self.view.payer_currency;
        amounts.savings.map(|savings| Savings {
            borderless_amount: major(amounts.payer_total, payer),
            bank_amount: major(amounts.payer_total + savings, payer),
            savings_amount: major(savings, payer),
            currency: payer,
        })
    }

    fn payer(&self) -> PaymentSide {
        let amounts = &self.review.quote.amounts;
        let currency = self.view.payer_currency;
        PaymentSide {
            currency,
            sub_amount: major(amounts.payer_sub, currency),
            total_amount: major(amounts.payer_total, currency),
            total_fee_amount: major(amounts.payer_fee, currency),
        }
    }

    fn beneficiary(&self) -> PaymentSide {
        let amounts = &self.review.quote.amounts;
        let currency = self.view.beneficiary_currency;
        PaymentSide {
            currency,
            sub_amount: major(amounts.beneficiary_sub, currency),
            total_amount: major(amounts.beneficiary_total, currency),
            total_fee_amount: major(amounts.beneficiary_fee, currency),
        }
    }
}

// The refund session shows its payer, beneficiary and quote with these same objects (refundSession).
impl<'a> PaymentPayer<'a> {
    pub fn of(view: &'a PaymentSessionView) -> Self {
        Self(view)
    }
}

impl<'a> PaymentBeneficiary<'a> {
    pub fn of(view: &'a PaymentSessionView) -> Self {
        Self(view)
    }
}

impl<'a> PaymentObject<'a> {
    pub fn of(view: &'a PaymentSessionView, review: &'a Review) -> Self {
        Self { view, review }
    }
}
