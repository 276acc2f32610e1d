-- Claim payments (flows.md section 8, "Claim payments"; off unless PAYMENTS_TO_NEW_EMAILS): a payment to an
-- email no login has is held for that address, so a payment (and the payment session preparing it) may have
-- no beneficiary account yet; which kind of payment a row is, fixed at submit; and a claim payment can be
-- PROCESSING twice (UNCLAIMED → PROCESSING), so a status may recur in a payment's history.
PRAGMA foreign_keys = OFF;
BEGIN;

CREATE TABLE payments_rebuilt (
    id TEXT PRIMARY KEY NOT NULL,
    payer_account_id TEXT NOT NULL REFERENCES accounts (id),
    funding_source TEXT NOT NULL CHECK (funding_source IN ('BANK_ACCOUNT', 'FUNDING_BALANCE')),
    funding_bank_account_id TEXT REFERENCES bank_accounts (id),
    -- NULL while a claim payment is held for beneficiary_email, which no login had at submit.
    beneficiary_account_id TEXT REFERENCES accounts (id),
    payer_currency TEXT NOT NULL,
    payer_sub BIGINT NOT NULL,
    payer_fee BIGINT NOT NULL,
    payer_total BIGINT NOT NULL,
    beneficiary_currency TEXT NOT NULL,
    beneficiary_sub BIGINT NOT NULL,
    beneficiary_fee BIGINT NOT NULL,
    beneficiary_total BIGINT NOT NULL,
    rate TEXT NOT NULL,
    international BOOLEAN NOT NULL,
    savings BIGINT,
    quote_id BIGINT NOT NULL,
    trade_number TEXT NOT NULL,
    description TEXT NOT NULL,
    email_message TEXT,
    pop_code TEXT,
    value_date TIMESTAMP NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('SCHEDULED', 'PENDING', 'PROCESSING', 'UNCLAIMED', 'IN_TRANSIT',
        'COMPLETE', 'DECLINED', 'CANCELED', 'FAILED', 'RETURNED')),
    submitted_at TIMESTAMP NOT NULL,
    next_step_at TIMESTAMP,
    payout_bank_account_id TEXT REFERENCES bank_accounts (id),
    beneficiary_email TEXT,
    payment_request_id TEXT REFERENCES payment_requests (id),
    kind TEXT NOT NULL DEFAULT 'PAYMENT' CHECK (kind IN ('PAYMENT', 'CLAIM_PAYMENT', 'REFUND')),
    CHECK (payer_total = payer_sub + payer_fee),
    CHECK (beneficiary_total = beneficiary_sub - beneficiary_fee),
    CHECK (beneficiary_total > 0),
    CHECK (beneficiary_account_id IS NOT NULL OR (kind = 'CLAIM_PAYMENT' AND beneficiary_email IS NOT NULL))
);
INSERT INTO payments_rebuilt (id, payer_account_id, funding_source, funding_bank_account_id,
        beneficiary_account_id, payer_currency, payer_sub, payer_fee, payer_total, beneficiary_currency,
        beneficiary_sub, beneficiary_fee, beneficiary_total, rate, international, savings, quote_id, trade_number,
        description, email_message, pop_code, value_date, status, submitted_at, next_step_at,
        payout_bank_account_id, beneficiary_email, payment_request_id)
    SELECT id, payer_account_id, funding_source, funding_bank_account_id, beneficiary_account_id, payer_currency,
        payer_sub, payer_fee, payer_total, beneficiary_currency, beneficiary_sub, beneficiary_fee,
        beneficiary_total, rate, international, savings, quote_id, trade_number, description, email_message,
        pop_code, value_date, status, submitted_at, next_step_at, payout_bank_account_id, beneficiary_email,
        payment_request_id
    FROM payments;
DROP TABLE payments;
ALTER TABLE payments_rebuilt RENAME TO payments;
CREATE UNIQUE INDEX payments_trade_number ON payments (trade_number);
CREATE UNIQUE INDEX payments_quote ON payments (quote_id);
CREATE INDEX payments_payer ON payments (payer_account_id, submitted_at);
CREATE INDEX payments_beneficiary ON payments (beneficiary_account_id, submitted_at);
CREATE INDEX payments_next_step ON payments (next_step_at) WHERE next_step_at IS NOT NULL;
CREATE INDEX payments_payment_request ON payments (payment_request_id) WHERE payment_request_id IS NOT NULL;
-- Held claim payments are looked up by the address at sign-up.
CREATE INDEX payments_held_for_email ON payments (beneficiary_email) WHERE beneficiary_account_id IS NULL;

CREATE TABLE payment_sessions_rebuilt (
    session_key TEXT PRIMARY KEY NOT NULL,
    id TEXT NOT NULL,
    login_id TEXT NOT NULL REFERENCES logins (id),
    account_id TEXT NOT NULL REFERENCES accounts (id),
    payer_currency TEXT NOT NULL,
    funding_source TEXT NOT NULL CHECK (funding_source IN ('BANK_ACCOUNT', 'FUNDING_BALANCE')),
    funding_bank_account_id TEXT REFERENCES bank_accounts (id),
    -- NULL for a payment to an email no login has (claim payments): named_as holds the address.
    beneficiary_account_id TEXT REFERENCES accounts (id),
    beneficiary_currency TEXT NOT NULL,
    named_by TEXT NOT NULL CHECK (named_by IN ('EMAIL', 'HANDLE')),
    named_as TEXT NOT NULL,
    definition TEXT,
    quote_id BIGINT,
    created_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP NOT NULL,
    payment_request_id TEXT REFERENCES payment_requests (id),
    CHECK (beneficiary_account_id IS NOT NULL OR named_by = 'EMAIL')
);
INSERT INTO payment_sessions_rebuilt SELECT session_key, id, login_id, account_id, payer_currency, funding_source,
        funding_bank_account_id, beneficiary_account_id, beneficiary_currency, named_by, named_as, definition,
        quote_id, created_at, used_at, payment_request_id
    FROM payment_sessions;
DROP TABLE payment_sessions;
ALTER TABLE payment_sessions_rebuilt RENAME TO payment_sessions;
CREATE INDEX payment_sessions_used ON payment_sessions (used_at);

CREATE TABLE payment_status_changes_rebuilt (
    payment_id TEXT NOT NULL REFERENCES payments (id),
    status TEXT NOT NULL,
    changed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (payment_id, status, changed_at)
);
INSERT INTO payment_status_changes_rebuilt SELECT payment_id, status, changed_at FROM payment_status_changes;
DROP TABLE payment_status_changes;
ALTER TABLE payment_status_changes_rebuilt RENAME TO payment_status_changes;

COMMIT;
PRAGMA foreign_keys = ON;
