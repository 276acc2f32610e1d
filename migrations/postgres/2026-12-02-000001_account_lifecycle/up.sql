-- One account of each type per person, closing and blocking accounts, and the event outbox.

CREATE UNIQUE INDEX accounts_person_type ON accounts (person_id, account_type);

ALTER TABLE accounts ADD COLUMN deactivated_at TIMESTAMP;
ALTER TABLE accounts ADD COLUMN deactivation_reason TEXT;
-- The status a DISABLED account returns to when staff lift the block.
ALTER TABLE accounts ADD COLUMN status_before_disabled TEXT
    CHECK (status_before_disabled IN ('NOT_SETUP', 'SETUP_SUBMITTED', 'VERIFIED', 'FUNDING_BALANCE_VERIFIED'));

-- Events for an account's webhooks, written in the transaction of the change that caused them.
CREATE TABLE events (
    id TEXT PRIMARY KEY NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    event TEXT NOT NULL,
    claims TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX events_account ON events (account_id, created_at);
