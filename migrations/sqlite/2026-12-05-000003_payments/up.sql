-- Payments (flows.md sections 6 to 9): what submitPaymentSession made, one row per payment; both activity
-- entries (the payer's CREATED_PAYMENT and the beneficiary's RECEIVED_PAYMENT) are this row seen from either
-- side, so they always show the same status. Amounts in integer minor units of their side's currency.

-- Trades (providers.md section 2): numbers issued in sequence from 100001.
CREATE TABLE trades (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    booked_at TIMESTAMP NOT NULL
);
INSERT INTO sqlite_sequence (name, seq) VALUES ('trades', 100000);

CREATE TABLE payments (
    id TEXT PRIMARY KEY NOT NULL,
    payer_account_id TEXT NOT NULL REFERENCES accounts (id),
    funding_source TEXT NOT NULL CHECK (funding_source IN ('BANK_ACCOUNT', 'FUNDING_BALANCE')),
    funding_bank_account_id TEXT REFERENCES bank_accounts (id),
    beneficiary_account_id TEXT NOT NULL REFERENCES accounts (id),
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
    CHECK (payer_total = payer_sub + payer_fee),
    CHECK (beneficiary_total = beneficiary_sub - beneficiary_fee),
    CHECK (beneficiary_total > 0)
);
CREATE UNIQUE INDEX payments_trade_number ON payments (trade_number);
CREATE UNIQUE INDEX payments_quote ON payments (quote_id);
CREATE INDEX payments_payer ON payments (payer_account_id, submitted_at);
CREATE INDEX payments_beneficiary ON payments (beneficiary_account_id, submitted_at);

-- Every status a payment has had, with when it was entered (the first row is the submit).
CREATE TABLE payment_status_changes (
    payment_id TEXT NOT NULL REFERENCES payments (id),
    status TEXT NOT NULL,
    changed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (payment_id, status)
);

-- Idempotency keys of submits (README, "Retrying a submit"): the first answer a login got for a key, kept
-- IDEMPOTENCY_KEY_TTL, with the payment session it was for.
CREATE TABLE idempotency_keys (
    login_id TEXT NOT NULL REFERENCES logins (id),
    idempotency_key TEXT NOT NULL,
    -- NULL when the first submit found no payment session.
    payment_session_id TEXT,
    answer TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (login_id, idempotency_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
