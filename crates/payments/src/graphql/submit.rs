//! submitPaymentSession's answer: the contract's `SubmitPaymentResult`.

use juniper::{GraphQLEnum, ID, graphql_object};
use kernel::{Context, Currency, DateTime};

use crate::SubmittedPayment;

/// The contract's `PaymentSessionType`.
#[derive(Debug, Clone, Copy, GraphQLEnum)]
pub enum PaymentSessionType {
    MakePayment,
    Refund,
}

/// The contract's `SubmitPaymentResult`.
#[derive(Debug)]
pub struct SubmitPaymentResult(pub SubmittedPayment);

#[graphql_object(context = Context)]
impl SubmitPaymentResult {
    /// The new payment's id (its PaymentEntry id).
    fn id(&self) -> ID {
        self.0.id.clone().into()
    }

    fn payment_session_type(&self) -> PaymentSessionType {
        PaymentSessionType::MakePayment
    }

    fn payer_currency(&self) -> Currency {
        self.0.payer.total.currency()
    }

    fn payer_sub_amount(&self) -> f64 {
        self.0.payer.sub.to_major_f64()
    }

    fn payer_total_fee_amount(&self) -> f64 {
        self.0.payer.fee.to_major_f64()
    }

    fn payer_total_amount(&self) -> f64 {
        self.0.payer.total.to_major_f64()
    }

    fn beneficiary_currency(&self) -> Currency {
        self.0.beneficiary.total.currency()
    }

    fn beneficiary_sub_amount(&self) -> f64 {
        self.0.beneficiary.sub.to_major_f64()
    }

    fn beneficiary_total_fee_amount(&self) -> f64 {
        self.0.beneficiary.fee.to_major_f64()
    }

    fn beneficiary_total_amount(&self) -> f64 {
        self.0.beneficiary.total.to_major_f64()
    }

    #[graphql(name = "payerToBeneficiaryFX")]
    fn payer_to_beneficiary_fx(&self) -> f64 {
        super::session_view::rate_value(self.0.rate.to_decimal())
    }

    fn description(&self) -> &str {
        &self.0.description
    }

    fn email_message(&self) -> Option<&str> {
        self.0.email_message.as_deref()
    }

    fn value_date(&self) -> DateTime {
        DateTime::of_date(self.0.value_date)
    }

    /// The financial provider's trade number (name kept from the original API).
    fn afex_trade_number(&self) -> &str {
        &self.0.trade_number
    }

    /// For a payment of a pay-me request: the beneficiary account's redirectUrl; else null.
    fn payment_redirect_url(&self) -> Option<&str> {
        self.0.redirect_url.as_deref()
    }
}
