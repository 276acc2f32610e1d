-- Persons, their logins and accounts; server-side sessions; failed-login records; server secrets.
-- Timestamps are UTC. Enumerations are text checked against their values.

CREATE TABLE persons (
    id TEXT PRIMARY KEY NOT NULL,
    email TEXT NOT NULL CHECK (email = lower(trim(email)) AND email <> ''),
    email_verified BOOLEAN NOT NULL DEFAULT FALSE,
    first_name TEXT,
    middle_name TEXT,
    last_name TEXT,
    date_of_birth TIMESTAMP,
    citizenship TEXT,
    phone_country_code TEXT,
    phone TEXT,
    personal_tax_id TEXT,
    uploaded_id BOOLEAN NOT NULL DEFAULT FALSE,
    identity_check_status TEXT NOT NULL DEFAULT 'NOT_STARTED'
        CHECK (identity_check_status IN ('NOT_STARTED', 'PENDING', 'CLEAR', 'REJECTED')),
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX persons_email ON persons (email);

CREATE TABLE logins (
    id TEXT PRIMARY KEY NOT NULL,
    email TEXT NOT NULL CHECK (email = lower(trim(email)) AND email <> ''),
    password_hash TEXT NOT NULL,
    person_id TEXT NOT NULL REFERENCES persons (id),
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX logins_email ON logins (email);
CREATE UNIQUE INDEX logins_person ON logins (person_id);

CREATE TABLE accounts (
    id TEXT PRIMARY KEY NOT NULL,
    person_id TEXT NOT NULL REFERENCES persons (id),
    account_type TEXT NOT NULL CHECK (account_type IN ('PERSONAL', 'BUSINESS')),
    status TEXT NOT NULL
        CHECK (status IN ('NOT_SETUP', 'SETUP_SUBMITTED', 'VERIFIED', 'FUNDING_BALANCE_VERIFIED', 'DEACTIVATED', 'DISABLED')),
    country TEXT NOT NULL CHECK (length(country) = 2),
    currency TEXT NOT NULL CHECK (length(currency) = 3),
    accepted_terms_at TIMESTAMP NOT NULL,
    slug TEXT,
    name TEXT,
    display_name TEXT,
    phone_country_code TEXT,
    phone TEXT,
    address_line1 TEXT,
    address_line2 TEXT,
    city TEXT,
    zone_code TEXT,
    postal_code TEXT,
    identification_type TEXT,
    industry TEXT,
    business_type TEXT,
    business_tax_id TEXT,
    preferred_bank_account_id TEXT,
    incorporation_document_filename TEXT,
    redirect_url TEXT,
    company_officers_submitted BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX accounts_person ON accounts (person_id, created_at);
CREATE UNIQUE INDEX accounts_slug ON accounts (lower(slug)) WHERE slug IS NOT NULL;

CREATE TABLE sessions (
    id TEXT PRIMARY KEY NOT NULL,
    state TEXT NOT NULL,
    login_id TEXT,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_expires ON sessions (expires_at);
CREATE INDEX sessions_login ON sessions (login_id);

CREATE TABLE login_failures (
    id TEXT PRIMARY KEY NOT NULL,
    email TEXT NOT NULL,
    failed_at TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_email ON login_failures (email, failed_at);

CREATE TABLE server_secrets (
    name TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
