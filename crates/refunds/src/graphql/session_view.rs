//! refundSession's answer: the contract's `RefundSessionResult` and `ReviewRefund`, showing the payer, the
//! beneficiary and the quote with the payment session's own objects.

use juniper::graphql_object;
use kernel::{Context, DateTime};
use payments::graphql::{PaymentBeneficiary, PaymentObject, PaymentPayer, TempFxRates};
use payments::refunds::{RefundReason, RefundType};
use payments::{Definition, PaymentSessionView, QuoteBasis, Review};

use crate::RefundSessionView;

/// The contract's `RefundSessionResult`.
#[derive(Debug)]
pub struct RefundSessionResult {
    view: RefundSessionView,
    /// The same facts in the payment session's shape, for the objects shared with paymentSession.
    shown: PaymentSessionView,
}

impl RefundSessionResult {
    pub fn new(view: RefundSessionView) -> Self {
        let review = view.review.as_ref().map(|review| Review {
            definition: Definition {
                amount: review.amount,
                quote_basis: review.quote_basis,
                payer_accepted_fees: false,
                description: review.description.clone(),
                email_message: review.message.clone(),
                pop_code: None,
                value_date: review.value_date,
            },
            quote: review.quote.clone(),
        });
        let shown = PaymentSessionView {
            payer_currency: view.payer_currency,
            funding_bank_account: view.bank_account.clone(),
            funding_balance: false,
            beneficiary_currency: view.beneficiary_currency,
            beneficiary: view.beneficiary.clone(),
            named_email: None,
            indicative_rate: view.indicative_rate,
            today: view.today,
            review,
        };
        Self { view, shown }
    }
}

#[graphql_object(context = Context)]
impl RefundSessionResult {
    /// The refunding account (the original beneficiary).
    fn payer(&self) -> PaymentPayer<'_> {
        PaymentPayer::of(&self.shown)
    }

    /// The original payer.
    fn beneficiary(&self) -> PaymentBeneficiary<'_> {
        PaymentBeneficiary::of(&self.shown)
    }

    fn temp_exchange_rate(&self) -> TempFxRates {
        self.view.indicative_rate.into()
    }

    fn temp_value_date(&self) -> DateTime {
        DateTime::of_date(self.view.today)
    }

    /// The priced refund; null until updateRefundSession has succeeded.
    fn review_refund(&self) -> Option<ReviewRefund<'_>> {
        self.shown.review.as_ref().map(|review| ReviewRefund { view: &self.shown, review })
    }

    /// Null until updateRefundSession has succeeded.
    fn reason(&self) -> Option<RefundReason> {
        self.view.review.as_ref().map(|review| review.reason)
    }

    /// Null until updateRefundSession has succeeded.
    fn refund_type(&self) -> Option<RefundType> {
        self.view.review.as_ref().map(|review| review.refund_type)
    }

    /// Largest refund still possible, in the original payer's currency (the refund beneficiary's currency).
    fn max_refund_amount(&self) -> f64 {
        self.view.max_refund_amount.to_major_f64()
    }
}

/// The contract's `ReviewRefund`.
pub struct ReviewRefund<'a> {
    view: &'a PaymentSessionView,
    review: &'a Review,
}

#[graphql_object(context = Context)]
impl ReviewRefund<'_> {
    fn payment_object(&self) -> PaymentObject<'_> {
        PaymentObject::of(self.view, self.review)
    }

    fn description(&self) -> &str {
        &self.review.definition.description
    }

    fn message(&self) -> Option<&str> {
        self.review.definition.email_message.as_deref()
    }

    fn quote_basis(&self) -> QuoteBasis {
        self.review.definition.quote_basis
    }
}
