-- The base every later domain builds on: the verified flag moves to the login (auth owns it), the manual
-- clock's offset shared by every process, email verification tokens, the email outbox and the local mailbox.

ALTER TABLE logins ADD COLUMN email_verified BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE logins SET email_verified = (SELECT p.email_verified FROM persons p WHERE p.id = logins.person_id);
ALTER TABLE persons DROP COLUMN email_verified;

CREATE TABLE service_clock (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    offset_ms BIGINT NOT NULL CHECK (offset_ms >= 0)
);
INSERT INTO service_clock (id, offset_ms) VALUES (1, 0);

-- Only the SHA-256 of a token is kept; the token itself exists only in the emailed link.
CREATE TABLE email_verification_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    login_id TEXT NOT NULL REFERENCES logins (id),
    token_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    voided_at TIMESTAMP
);
CREATE UNIQUE INDEX email_verification_tokens_hash ON email_verification_tokens (token_hash);
CREATE INDEX email_verification_tokens_login ON email_verification_tokens (login_id, created_at);

-- Emails written in the transaction that caused them and handed to the transport by the outbox job.
CREATE TABLE email_outbox (
    id TEXT PRIMARY KEY NOT NULL,
    recipient TEXT NOT NULL,
    template TEXT NOT NULL,
    message TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    lease_until TIMESTAMP,
    sent_at TIMESTAMP,
    failed_at TIMESTAMP,
    last_error TEXT
);
CREATE INDEX email_outbox_due ON email_outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;

-- The local mail transport (EMAIL_TRANSPORT=mailbox): delivered messages, readable back.
CREATE TABLE mailbox (
    id TEXT PRIMARY KEY NOT NULL,
    recipient TEXT NOT NULL,
    template TEXT NOT NULL,
    subject TEXT NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT NOT NULL,
    links TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX mailbox_recipient ON mailbox (recipient, created_at);
