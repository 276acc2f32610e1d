-- Refunds (flows.md section 10). A refund is a row of payments (kind REFUND), so it settles and posts as a
-- payment does; what only a refund has is kept here, one row per refund, because payments is at diesel's
-- column limit.
CREATE TABLE refunds (
    payment_id TEXT PRIMARY KEY NOT NULL REFERENCES payments (id),
    -- The payment this refund gives money back from.
    original_payment_id TEXT NOT NULL REFERENCES payments (id),
    reason TEXT NOT NULL CHECK (reason IN ('DUPLICATE', 'FRAUDULENT', 'REQUESTED_BY_CUSTOMER', 'OTHER')),
    refund_type TEXT NOT NULL CHECK (refund_type IN ('FULL_REFUND', 'PARTIAL_REFUND')),
    CHECK (payment_id <> original_payment_id)
);
-- R, the refund count and the activity's refund lists read a payment's refunds.
CREATE INDEX refunds_original_payment ON refunds (original_payment_id);

-- Refund attempts (REFUND_MAX_ATTEMPTS): priced updateRefundSession calls counted on the original payment,
-- whoever made them and whether or not they were submitted.
CREATE TABLE refund_attempts (
    payment_id TEXT PRIMARY KEY NOT NULL REFERENCES payments (id),
    attempts INTEGER NOT NULL CHECK (attempts >= 0)
);

-- Refund sessions: the refund a login session is preparing, at most one per login session, found by the
-- login session's key as payment sessions are (so it ends at logout and account switch), and swept after
-- REFUND_SESSION_TTL without use.
CREATE TABLE refund_sessions (
    session_key TEXT PRIMARY KEY NOT NULL,
    -- This refund session's own id: a later one of the same login session has another.
    id TEXT NOT NULL,
    login_id TEXT NOT NULL REFERENCES logins (id),
    -- The refunding account (the original payment's beneficiary).
    account_id TEXT NOT NULL REFERENCES accounts (id),
    original_payment_id TEXT NOT NULL REFERENCES payments (id),
    payer_currency TEXT NOT NULL,
    funding_bank_account_id TEXT NOT NULL REFERENCES bank_accounts (id),
    -- The original payer's account, and its currency (the original payment's payer currency).
    beneficiary_account_id TEXT NOT NULL REFERENCES accounts (id),
    beneficiary_currency TEXT NOT NULL,
    -- What updateRefundSession defined (JSON), and the quote it was priced with; NULL until priced.
    definition TEXT,
    quote_id BIGINT,
    created_at TIMESTAMP NOT NULL,
    -- The idle deadline is REFUND_SESSION_TTL after this.
    used_at TIMESTAMP NOT NULL
);
CREATE INDEX refund_sessions_used ON refund_sessions (used_at);
