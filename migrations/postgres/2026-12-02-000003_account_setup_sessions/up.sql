-- The account setup session (flows.md section 3): one per account, server-side, holding what the user typed
-- before submitAccountSetupSession applies it. The fields are one JSON document (`data`), read and written
-- whole by the accounts crate; tax ids appear in it only as keyed digest and masked form, never in full.
CREATE TABLE account_setup_sessions (
    account_id TEXT PRIMARY KEY NOT NULL REFERENCES accounts (id),
    data TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
-- Expired sessions are kept 7 days (I-4310 rather than I-2001), then swept.
CREATE INDEX account_setup_sessions_expires ON account_setup_sessions (expires_at);

-- Setup data the account receives at submit that has no column on `accounts` (whose diesel table is at its
-- column limit): one row per submitted account.
CREATE TABLE account_setup_details (
    account_id TEXT PRIMARY KEY NOT NULL REFERENCES accounts (id),
    bank_name TEXT,
    job_title TEXT,
    zone_code_of_incorporation TEXT,
    business_size INTEGER CHECK (business_size >= 0),
    -- Minor units of the account's currency.
    estimated_monthly_volume BIGINT CHECK (estimated_monthly_volume >= 0),
    estimated_monthly_transactions INTEGER CHECK (estimated_monthly_transactions >= 0)
);
