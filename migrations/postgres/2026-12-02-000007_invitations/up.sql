-- Invitations and registration emails an account sent (sendInvitationEmail, sendInvitedRegisterEmail): the
-- record behind their limits, INVITATIONS_PER_DAY per account and one per address in 24 hours. A row is
-- written under the account's row lock before the email is handed to the transport and removed when the
-- transport refuses it, so a refused send does not count.

CREATE TABLE invitations (
    id TEXT PRIMARY KEY NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    email TEXT NOT NULL,
    template TEXT NOT NULL,
    sent_at TIMESTAMP NOT NULL
);
CREATE INDEX invitations_account_sent ON invitations (account_id, sent_at);
