-- The held claim payments and the kind have no place in the earlier tables: undone only on a database without
-- claim payments or refunds.
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE payments_rebuilt AS SELECT id, payer_account_id, funding_source, funding_bank_account_id,
        beneficiary_account_id, payer_currency, payer_sub, payer_fee, payer_total, beneficiary_currency,
        beneficiary_sub, beneficiary_fee, beneficiary_total, rate, international, savings, quote_id, trade_number,
        description, email_message, pop_code, value_date, status, submitted_at, next_step_at,
        payout_bank_account_id, beneficiary_email, payment_request_id
    FROM payments WHERE kind = 'PAYMENT';
DROP TABLE payments;
ALTER TABLE payments_rebuilt RENAME TO payments;
CREATE UNIQUE INDEX payments_trade_number ON payments (trade_number);
CREATE UNIQUE INDEX payments_quote ON payments (quote_id);
CREATE INDEX payments_payer ON payments (payer_account_id, submitted_at);
CREATE INDEX payments_beneficiary ON payments (beneficiary_account_id, submitted_at);
CREATE INDEX payments_next_step ON payments (next_step_at) WHERE next_step_at IS NOT NULL;
CREATE INDEX payments_payment_request ON payments (payment_request_id) WHERE payment_request_id IS NOT NULL;
DELETE FROM payment_sessions WHERE beneficiary_account_id IS NULL;
COMMIT;
PRAGMA foreign_keys = ON;
