//! The trade confirmation of a completed international payment or refund (tradeConfirmationForPayment.md): its
//! fields, and the one-page PDF document of them ([`render_pdf`]), served at
//! `GET /trade-confirmations/<paymentId>.pdf`.
//!
//! The document is pure: it depends on the [`TradeConfirmation`] alone (no clock, no randomness), so the same
//! payment always gives the same bytes. [`trade_confirmation_for_payment`] fills one from a stored payment for
//! an account that sent or received it.

mod render;
mod stored;
mod text;

use kernel::{Country, Currency, DateTime, Money};

use crate::{PaymentType, Rate};

pub use render::render_pdf;
pub use stored::{trade_confirmation_document, trade_confirmation_for_payment};

/// `TradeConfirmation`: the currency trade behind a completed international payment or refund.
#[derive(Clone, Debug, PartialEq)]
pub struct TradeConfirmation {
    /// The payment's (or refund's) id.
    pub payment_id: String,
    /// Its trade number (the `afexTradeNumber` given at submit).
    pub trade_number: String,
    /// When the trade was booked (the payment's submission).
    pub trade_date: DateTime,
    /// Its value date.
    pub value_date: DateTime,
    /// The entry status as the contract writes it (`PaymentEntryStatus`): always `COMPLETE` here.
    pub status: String,
    /// Always [`PaymentType::International`] here: a LOCAL payment has no currency trade.
    pub payment_type: PaymentType,
    /// `payerToBeneficiaryFX`: the quoted rate the trade was executed at (shown with 6 decimals).
    pub rate: Rate,
    pub payer: TradeParty,
    pub beneficiary: TradeParty,
    /// The payment's description.
    pub description: Option<String>,
}

/// `TradeParty`: one side of the trade, with that side's amounts (all in `currency`).
#[derive(Clone, Debug, PartialEq)]
pub struct TradeParty {
    /// The account's legal name.
    pub name: Option<String>,
    pub display_name: Option<String>,
    /// The party's login email, only on the current account's own side.
    pub email: Option<String>,
    pub country: Option<Country>,
    pub currency: Currency,
    pub sub_amount: Money,
    pub total_fee_amount: Money,
    pub total_amount: Money,
}

#[cfg(test)]
mod tests;
