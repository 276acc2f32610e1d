-- Settlement (flows.md section 8; providers.md section 4): what the settlement job needs on each payment, the
-- funding entries of `borderless admin fund`, and the local financial provider's own state.

-- When the payment's next settlement step is due (the value date's start for SCHEDULED, then each delay after
-- the step before); NULL once the payment is in a final status. The job's work list is this column.
ALTER TABLE payments ADD COLUMN next_step_at TIMESTAMP;
-- The bank account the payout went to (the beneficiary's preferred one at that moment), the arrival's
-- destination; NULL until paid out.
ALTER TABLE payments ADD COLUMN payout_bank_account_id TEXT REFERENCES bank_accounts (id);
-- Payments made before settlement existed are due at once.
UPDATE payments SET next_step_at = CASE WHEN status = 'SCHEDULED' THEN value_date ELSE submitted_at END
    WHERE status IN ('SCHEDULED', 'PENDING');
CREATE INDEX payments_next_step ON payments (next_step_at) WHERE next_step_at IS NOT NULL;

-- Funding entries (flows.md section 8, "Funding entries"): money moving into an account's funding balance.
-- CREATED_FUNDING_PAYMENT only for now: PENDING, then COMPLETE (balance credited) at the next settlement tick.
CREATE TABLE funding_entries (
    id TEXT PRIMARY KEY NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    currency TEXT NOT NULL CHECK (length(currency) = 3),
    amount BIGINT NOT NULL CHECK (amount > 0),
    status TEXT NOT NULL CHECK (status IN ('PENDING', 'COMPLETE', 'DECLINED')),
    created_at TIMESTAMP NOT NULL,
    completed_at TIMESTAMP
);
CREATE INDEX funding_entries_account ON funding_entries (account_id, created_at);
CREATE INDEX funding_entries_pending ON funding_entries (created_at) WHERE status = 'PENDING';

-- The local financial provider's books (providers.md sections 4 and 6). A real provider keeps these on its
-- side. Linked balances are kept per yodleeBankAccountId, a row made from the bank-link fixture's balance the
-- first time money moves on it.
CREATE TABLE local_linked_balances (
    yodlee_bank_account_id TEXT PRIMARY KEY NOT NULL,
    currency TEXT NOT NULL CHECK (length(currency) = 3),
    balance BIGINT NOT NULL
);
-- Funding balances per account and currency; never negative (a collection larger than it is DECLINED).
CREATE TABLE local_funding_balances (
    account_id TEXT NOT NULL REFERENCES accounts (id),
    currency TEXT NOT NULL CHECK (length(currency) = 3),
    balance BIGINT NOT NULL CHECK (balance >= 0),
    PRIMARY KEY (account_id, currency)
);
