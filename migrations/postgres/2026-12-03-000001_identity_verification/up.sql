-- Identity verification of persons (providers.md section 5) and the hosted verification page.
--
-- An applicant is created at the identity provider by embedOnfido, with the names the person had then; the
-- person's check starts from one of them when addOnfidoDocumentToPerson attaches its document. The check's
-- columns mirror those of company officers: the provider's reference, when to ask for the outcome, a verdict
-- the local provider reached at the start, and when the check ended. A document attached whose check has no
-- reference yet is started again by the identity-check job (the provider was unreachable).

CREATE TABLE identity_applicants (
    id TEXT PRIMARY KEY NOT NULL,
    person_id TEXT NOT NULL REFERENCES persons (id),
    first_name TEXT,
    last_name TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX identity_applicants_person ON identity_applicants (person_id);

ALTER TABLE persons ADD COLUMN identity_applicant_id TEXT;
ALTER TABLE persons ADD COLUMN identity_document_attached_at TIMESTAMP;
ALTER TABLE persons ADD COLUMN identity_check_reference TEXT;
ALTER TABLE persons ADD COLUMN identity_check_due_at TIMESTAMP;
ALTER TABLE persons ADD COLUMN identity_check_verdict TEXT;
ALTER TABLE persons ADD COLUMN identity_checked_at TIMESTAMP;
CREATE INDEX persons_identity_check_due ON persons (identity_check_status, identity_check_due_at);

-- One live link per account: issuing a new one deletes the earlier (under the account's row lock). Only the
-- token's SHA-256 is kept.
CREATE TABLE verification_links (
    token_digest TEXT PRIMARY KEY NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    expires_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX verification_links_account ON verification_links (account_id);
