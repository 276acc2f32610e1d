-- Bank accounts of an account (addBankAccount, bankAccounts, changePreferredBankAccount): linked through the
-- bank-link provider or typed in by hand. Which one is preferred is `accounts.preferred_bank_account_id`, the one
-- source of truth: a single column cannot name two.
CREATE TABLE bank_accounts (
    id TEXT PRIMARY KEY NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    bank_name TEXT NOT NULL,
    country TEXT NOT NULL CHECK (length(country) = 2),
    currency TEXT NOT NULL CHECK (length(currency) = 3),
    account_type TEXT NOT NULL CHECK (account_type IN ('CHECKING', 'SAVINGS')),
    status TEXT NOT NULL CHECK (status IN ('PENDING_VERIFICATION', 'FULLY_VERIFIED', 'FAILED')),
    -- The numbers only masked (`**` + last four characters, which the settlement rules read) and as a keyed
    -- fingerprint (HMAC-SHA256 under TAX_ID_KEY of country, routing and account number), so a copy of the
    -- database does not reveal them.
    account_number_masked TEXT NOT NULL,
    routing_number_masked TEXT,
    number_digest TEXT NOT NULL,
    favicon_url TEXT,
    -- A linked account: the provider's ids, and when its balance was last refreshed (null: always fresh).
    link_id TEXT,
    provider_account_id TEXT,
    balance_as_of TIMESTAMP,
    -- A typed-in account: the provider's verification, its due time and the verdict it decided at the start.
    verification_reference TEXT,
    verification_due_at TIMESTAMP,
    verification_verdict TEXT CHECK (verification_verdict IN ('FULLY_VERIFIED', 'FAILED')),
    verified_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    CHECK ((link_id IS NULL) = (provider_account_id IS NULL)),
    CHECK (link_id IS NOT NULL OR verification_reference IS NOT NULL)
);
CREATE UNIQUE INDEX bank_accounts_number ON bank_accounts (account_id, number_digest);
CREATE INDEX bank_accounts_account ON bank_accounts (account_id, created_at);
-- The verification job's work list: typed-in accounts still pending, by when their outcome is due.
CREATE INDEX bank_accounts_due_verifications ON bank_accounts (verification_due_at)
    WHERE status = 'PENDING_VERIFICATION';
