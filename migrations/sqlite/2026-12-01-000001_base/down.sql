DROP TABLE mailbox;
DROP TABLE email_outbox;
DROP TABLE email_verification_tokens;
DROP TABLE service_clock;
ALTER TABLE persons ADD COLUMN email_verified BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE persons SET email_verified = COALESCE((SELECT l.email_verified FROM logins l WHERE l.person_id = persons.id), FALSE);
ALTER TABLE logins DROP COLUMN email_verified;
