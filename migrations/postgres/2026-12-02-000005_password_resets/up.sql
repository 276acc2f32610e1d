-- Password reset (flows.md section 5): requests are queued and answered by a job, so the request path does the
-- same work whether or not a login has the email; only the SHA-256 of a token is kept.

CREATE TABLE password_reset_requests (
    id TEXT PRIMARY KEY NOT NULL,
    email TEXT NOT NULL,
    requested_at TIMESTAMP NOT NULL,
    handled_at TIMESTAMP
);
CREATE INDEX password_reset_requests_due ON password_reset_requests (requested_at) WHERE handled_at IS NULL;

CREATE TABLE password_reset_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    login_id TEXT NOT NULL REFERENCES logins (id),
    token_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    voided_at TIMESTAMP
);
CREATE UNIQUE INDEX password_reset_tokens_hash ON password_reset_tokens (token_hash);
CREATE INDEX password_reset_tokens_login ON password_reset_tokens (login_id, created_at);
