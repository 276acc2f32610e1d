-- Payment sessions (flows.md section 6): the payment a login session is preparing, at most one per login
-- session. The login session is named by its key (kept in the session's state, never sent to the client),
-- so the payment session survives the session id's renewals; it ends when its account is no longer the
-- session's current one, after PAYMENT_SESSION_TTL without use, or when the login session ends (its key is
-- then never presented again, and the row is swept).

CREATE TABLE payment_sessions (
    session_key TEXT PRIMARY KEY NOT NULL,
    -- This payment session's own id: a later one of the same login session has another.
    id TEXT NOT NULL,
    login_id TEXT NOT NULL REFERENCES logins (id),
    account_id TEXT NOT NULL REFERENCES accounts (id),
    payer_currency TEXT NOT NULL,
    -- BANK_ACCOUNT (the preferred bank account at creation) or FUNDING_BALANCE (in payer_currency).
    funding_source TEXT NOT NULL CHECK (funding_source IN ('BANK_ACCOUNT', 'FUNDING_BALANCE')),
    funding_bank_account_id TEXT REFERENCES bank_accounts (id),
    beneficiary_account_id TEXT NOT NULL REFERENCES accounts (id),
    beneficiary_currency TEXT NOT NULL,
    -- How the payer named the beneficiary: EMAIL or HANDLE, and what was typed (normalised).
    named_by TEXT NOT NULL CHECK (named_by IN ('EMAIL', 'HANDLE')),
    named_as TEXT NOT NULL,
    -- What updatePaymentSession defined (JSON), and the quote it was priced with; NULL until priced.
    definition TEXT,
    quote_id BIGINT,
    created_at TIMESTAMP NOT NULL,
    -- The idle deadline is PAYMENT_SESSION_TTL after this.
    used_at TIMESTAMP NOT NULL
);
CREATE INDEX payment_sessions_used ON payment_sessions (used_at);

-- Quotes (flows.md section 7): a rate and the amounts it gives, frozen until expires_at. Ids are issued in
-- sequence from 10000001, as the contract shows them.
CREATE TABLE quotes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    payer_currency TEXT NOT NULL,
    beneficiary_currency TEXT NOT NULL,
    -- The customer rate r at 6 decimals, and the priced amounts (JSON, integer minor units).
    rate TEXT NOT NULL,
    amounts TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
-- SQLite's AUTOINCREMENT continues from the sequence row: the first quote gets 10000001.
INSERT INTO sqlite_sequence (name, seq) VALUES ('quotes', 10000000);

-- The scheduled-international permission (flows.md section 7, I-4731), set only by operations staff.
ALTER TABLE accounts ADD COLUMN scheduled_international BOOLEAN NOT NULL DEFAULT false;
