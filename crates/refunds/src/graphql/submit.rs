//! submitRefundSession's answer: the contract's `SubmitRefundResult`.

use juniper::{ID, graphql_object};
use kernel::{Context, Currency, DateTime};
use payments::graphql::{PaymentSessionType, rate_value};
use payments::refunds::RefundReason;

use crate::SubmittedRefund;

/// The contract's `SubmitRefundResult`.
#[derive(Debug)]
pub struct SubmitRefundResult(pub SubmittedRefund);

#[graphql_object(context = Context)]
impl SubmitRefundResult {
    /// The new refund's id (its PaymentEntry id).
    fn id(&self) -> ID {
        self.0.id.clone().into()
    }

    fn payment_session_type(&self) -> PaymentSessionType {
        PaymentSessionType::Refund
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
        rate_value(self.0.rate.to_decimal())
    }

    fn description(&self) -> &str {
        &self.0.description
    }

    fn message(&self) -> Option<&str> {
        self.0.message.as_deref()
    }

    fn reason(&self) -> RefundReason {
        self.0.reason
    }

    fn value_date(&self) -> DateTime {
        DateTime::of_date(self.0.value_date)
    }

    /// The financial provider's trade number (name kept from the original API).
    fn afex_trade_number(&self) -> &str {
        &self.0.trade_number
    }
}
