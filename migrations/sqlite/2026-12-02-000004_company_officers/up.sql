-- Company officers of a business account (addCompanyOfficerToAccount, submitCompanyOfficers): its beneficial
-- owners (UBO) and its one chief executive (CEO), each with the identity check of its document.
CREATE TABLE company_officers (
    id TEXT PRIMARY KEY NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    officer_type TEXT NOT NULL CHECK (officer_type IN ('UBO', 'CEO')),
    name TEXT NOT NULL,
    -- The name trimmed, inner white space collapsed, lower-cased: with the type, what identifies an officer.
    name_key TEXT NOT NULL,
    -- Hundredths of a percent.
    ownership_bps INTEGER NOT NULL CHECK (ownership_bps >= 0 AND ownership_bps <= 10000),
    date_of_birth TIMESTAMP,
    job_title TEXT,
    country TEXT CHECK (length(country) = 2),
    -- The identity document: its number only as a keyed digest (HMAC-SHA256 under TAX_ID_KEY) and a masked form,
    -- so a copy of the database does not reveal it.
    document_type TEXT CHECK (document_type IN ('PASSPORT', 'DRIVING_LICENCE', 'NATIONAL_IDENTITY_CARD')),
    document_number_digest TEXT,
    document_number_masked TEXT,
    document_issuing_country TEXT CHECK (length(document_issuing_country) = 2),
    document_expiry_date TIMESTAMP,
    identity_check_status TEXT NOT NULL DEFAULT 'NOT_STARTED'
        CHECK (identity_check_status IN ('NOT_STARTED', 'PENDING', 'CLEAR', 'REJECTED')),
    -- The identity provider's answer when the check started: its reference, when to ask for the outcome, and
    -- (the local provider) the verdict it decided then.
    identity_check_reference TEXT,
    identity_check_due_at TIMESTAMP,
    identity_check_verdict TEXT CHECK (identity_check_verdict IN ('CLEAR', 'REJECTED')),
    identity_checked_at TIMESTAMP,
    submitted BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL,
    CHECK ((document_type IS NULL) = (document_number_digest IS NULL)),
    CHECK ((identity_check_status = 'NOT_STARTED') = (document_type IS NULL))
);
CREATE UNIQUE INDEX company_officers_identity ON company_officers (account_id, officer_type, name_key);
CREATE INDEX company_officers_account ON company_officers (account_id, created_at);
-- The identity-check job's work list: the checks still running, by when their outcome is due.
CREATE INDEX company_officers_due_checks ON company_officers (identity_check_due_at)
    WHERE identity_check_status = 'PENDING';
