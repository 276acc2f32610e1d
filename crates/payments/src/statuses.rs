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
