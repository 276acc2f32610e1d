//! tradeConfirmationForPayment's answer: the contract's `TradeConfirmation` and `TradeParty`.

use juniper::{ID, graphql_object};
use kernel::{Context, Country, Currency, DateTime, PublicUrls};

use super::session_view::{PaymentTypeValue, rate_value};
use crate::{PaymentEntryStatus, PaymentType};

/// The contract's `TradeConfirmation`.
#[derive(Debug)]
pub struct TradeConfirmation(pub crate::TradeConfirmation);

#[graphql_object(context = Context)]
impl TradeConfirmation {
    fn payment_id(&self) -> ID {
        self.0.payment_id.clone().into()
    }

    fn trade_number(&self) -> &str {
        &self.0.trade_number
    }

    /// When the trade was booked (the payment's submission).
    fn trade_date(&self) -> DateTime {
        self.0.trade_date
    }

    fn value_date(&self) -> DateTime {
        self.0.value_date
    }

    /// Only completed payments have a confirmation.
    fn status(&self) -> PaymentEntryStatus {
        PaymentEntryStatus::Complete
    }

    #[graphql(name = "type")]
    fn payment_type(&self) -> PaymentTypeValue {
        match self.0.payment_type {
            PaymentType::Local => PaymentTypeValue::Local,
            PaymentType::International => PaymentTypeValue::International,
        }
    }

    #[graphql(name = "payerToBeneficiaryFX")]
    fn payer_to_beneficiary_fx(&self) -> f64 {
        rate_value(self.0.rate.to_decimal())
    }

    fn payer(&self) -> TradeParty<'_> {
        TradeParty(&self.0.payer)
    }

    fn beneficiary(&self) -> TradeParty<'_> {
        TradeParty(&self.0.beneficiary)
    }

    fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    /// URL of the PDF of this confirmation, served by the API host to the same session.
    fn document_url(&self, ctx: &Context) -> Result<String, kernel::ApiError> {
        let urls = ctx.services.get::<PublicUrls>()?;
        Ok(format!("{}/trade-confirmations/{}.pdf", urls.api, self.0.payment_id))
    }
}

/// The contract's `TradeParty`.
pub struct TradeParty<'a>(&'a crate::TradeParty);

#[graphql_object(context = Context)]
impl TradeParty<'_> {
    /// Account name (legal name) of the party.
    fn name(&self) -> Option<&str> {
        self.0.name.as_deref()
    }

    fn display_name(&self) -> Option<&str> {
        self.0.display_name.as_deref()
    }

    fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }

    fn country(&self) -> Option<Country> {
        self.0.country
    }

    fn currency(&self) -> Currency {
        self.0.currency
    }

    fn sub_amount(&self) -> f64 {
        self.0.sub_amount.to_major_f64()
    }

    fn total_fee_amount(&self) -> f64 {
        self.0.total_fee_amount.to_major_f64()
    }

    fn total_amount(&self) -> f64 {
        self.0.total_amount.to_major_f64()
    }
}
