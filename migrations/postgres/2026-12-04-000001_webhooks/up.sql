-- Webhooks (providers.md section 8): the endpoints of an account, and the delivery of its events.
--
-- An event (table `events`, written by the domain in the transaction of its change) is dispatched once: the
-- delivery job marks it and makes one delivery per webhook active at that moment. A delivery keeps the
-- payload it was made with, so every attempt sends the same claims; each attempt is signed afresh with the
-- webhook's current secret. A runner takes a due delivery by leasing it, so one attempt is sent once.

CREATE TABLE webhooks (
    id TEXT PRIMARY KEY NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    endpoint TEXT NOT NULL,
    -- The signing secret, encrypted (AES-256-GCM under WEBHOOK_SECRETS_KEY): never stored in clear.
    sealed_secret TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    -- Deliveries ending FAILED since the last success; WEBHOOK_DISABLE_AFTER of them make it inactive.
    failed_in_a_row INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX webhooks_account_endpoint ON webhooks (account_id, endpoint);

ALTER TABLE events ADD COLUMN dispatched_at TIMESTAMP;
CREATE INDEX events_undispatched ON events (created_at) WHERE dispatched_at IS NULL;

CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY NOT NULL,
    webhook_id TEXT NOT NULL REFERENCES webhooks (id),
    -- The event's id (the payload's `jti`); a test delivery's own.
    event_id TEXT NOT NULL,
    event TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('PENDING', 'DELIVERED', 'RETRYING', 'FAILED')),
    attempts INTEGER NOT NULL,
    next_attempt_at TIMESTAMP,
    lease_until TIMESTAMP,
    last_attempt_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX webhook_deliveries_event ON webhook_deliveries (webhook_id, event_id);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status IN ('PENDING', 'RETRYING');
CREATE INDEX webhook_deliveries_latest ON webhook_deliveries (webhook_id, last_attempt_at);

CREATE TABLE webhook_attempts (
    id TEXT PRIMARY KEY NOT NULL,
    delivery_id TEXT NOT NULL REFERENCES webhook_deliveries (id),
    attempted_at TIMESTAMP NOT NULL,
    http_status INTEGER,
    duration_ms INTEGER NOT NULL,
    -- The first 64 KiB of the answer, as text.
    response_body TEXT NOT NULL,
    -- Why it failed: dns, connect, tls, timeout, status or private; NULL for a success.
    failure TEXT
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, attempted_at);
