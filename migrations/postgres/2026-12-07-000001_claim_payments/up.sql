-- Claim payments (flows.md section 8, "Claim payments"; off unless PAYMENTS_TO_NEW_EMAILS): a payment to an
-- email no login has is held for that address, so a payment (and the payment session preparing it) may have
-- no beneficiary account yet; which kind of payment a row is, fixed at submit; and a claim payment can be
-- PROCESSING twice (UNCLAIMED → PROCESSING), so a status may recur in a payment's history.
ALTER TABLE payments ALTER COLUMN beneficiary_account_id DROP NOT NULL;
ALTER TABLE payments ADD COLUMN kind TEXT NOT NULL DEFAULT 'PAYMENT'
    CHECK (kind IN ('PAYMENT', 'CLAIM_PAYMENT', 'REFUND'));
ALTER TABLE payments ADD CONSTRAINT payments_beneficiary_named
    CHECK (beneficiary_account_id IS NOT NULL OR (kind = 'CLAIM_PAYMENT' AND beneficiary_email IS NOT NULL));
CREATE INDEX payments_held_for_email ON payments (beneficiary_email) WHERE beneficiary_account_id IS NULL;

ALTER TABLE payment_sessions ALTER COLUMN beneficiary_account_id DROP NOT NULL;
ALTER TABLE payment_sessions ADD CONSTRAINT payment_sessions_beneficiary_named
    CHECK (beneficiary_account_id IS NOT NULL OR named_by = 'EMAIL');

ALTER TABLE payment_status_changes DROP CONSTRAINT payment_status_changes_pkey;
ALTER TABLE payment_status_changes ADD PRIMARY KEY (payment_id, status, changed_at);
