use crate::activity::PaymentEntryType;

kernel::stored_enum! {
    /// Where a payment stands (flows.md section 8); both of its activity entries show it.
    pub enum PaymentEntryStatus {
        /// Submitted; waiting for the payer's funds to be collected.
        Pending = "PENDING",
        /// Submitted with a future value date; nothing moves before that date.
        Scheduled = "SCHEDULED",
        /// Funds collected but the beneficiary cannot receive yet (claim payments, only when enabled).
        Unclaimed = "UNCLAIMED",
        /// A payment request waiting for the payer.
        Requested = "REQUESTED",
        /// Funds collected; the trade is being executed / the payment for a request is under way.
        Processing = "PROCESSING",
        /// Paid out; on its way to the beneficiary's bank.
        InTransit = "IN_TRANSIT",
        /// Arrived (payments, refunds) or paid (requests).
        Complete = "COMPLETE",
        /// Stopped before any money moved.
        Canceled = "CANCELED",
        /// The payer's funds could not be collected.
        Declined = "DECLINED",
        /// The payout could not be made; the payer's funds were given back.
        Failed = "FAILED",
        /// The beneficiary's bank sent the payout back; the payer's funds were given back.
        Returned = "RETURNED",
    }
}

impl PaymentEntryStatus {
    /// DECLINED, CANCELED, FAILED or RETURNED: nothing moved, or the whole payer total was given back (ledger
    /// invariant 3).
    pub fn is_given_back(self) -> bool {
        matches!(self, Self::Declined | Self::Canceled | Self::Failed | Self::Returned)
    }

    /// PROCESSING or UNCLAIMED: the payer total sits in clearing (ledger invariant 4).
    pub fn is_in_clearing(self) -> bool {
        matches!(self, Self::Processing | Self::Unclaimed)
    }
}

kernel::stored_enum! {
    /// Which kind of money movement a `payments` row is, fixed when it is made; all follow the lifecycle of
    /// flows.md section 8 and post to the ledger alike.
    pub enum PaymentKind {
        Payment = "PAYMENT",
        /// A payment held until its beneficiary can receive it (PAYMENTS_TO_NEW_EMAILS).
        ClaimPayment = "CLAIM_PAYMENT",
        /// A refund of a completed payment, its payer the original payment's beneficiary.
        Refund = "REFUND",
    }
}

impl PaymentKind {
    /// The entry type of the payer's side and of the beneficiary's side.
    pub fn entry_types(self) -> (PaymentEntryType, PaymentEntryType) {
        match self {
            Self::Payment => (PaymentEntryType::CreatedPayment, PaymentEntryType::ReceivedPayment),
            Self::ClaimPayment => (PaymentEntryType::CreatedClaimPayment, PaymentEntryType::ReceivedClaimPayment),
            Self::Refund => (PaymentEntryType::CreatedRefund, PaymentEntryType::ReceivedRefund),
        }
    }
}
