-- Payment requests (flows.md section 8, "Payment requests"): one row per request, seen by the requester as
-- CREATED_PAYMENT_REQUEST and by every account of the addressed email (now or after it signs up) as
-- RECEIVED_PAYMENT_REQUEST. The addressee is an email, not an account, so no account id is kept for it.
CREATE TABLE payment_requests (
    id TEXT PRIMARY KEY NOT NULL,
    requester_account_id TEXT NOT NULL REFERENCES accounts (id),
    -- Lower case; NULL for a pay-me request (generatePayMeRequest), which nobody can decline.
    addressee_email TEXT,
    currency TEXT NOT NULL CHECK (length(currency) = 3),
    -- Integer minor units of currency.
    amount BIGINT NOT NULL CHECK (amount > 0),
    -- NULL only for a pay-me request made without one.
    description TEXT,
    email_message TEXT,
    charge_date TIMESTAMP NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('REQUESTED', 'PROCESSING', 'COMPLETE', 'DECLINED', 'CANCELED')),
    -- Times resendPaymentRequest sent the email again (PAYMENT_REQUEST_MAX_RESENDS).
    resends INTEGER NOT NULL DEFAULT 0 CHECK (resends >= 0),
    -- The payment under way (PROCESSING) or that paid it (COMPLETE); NULL otherwise.
    payment_id TEXT REFERENCES payments (id) DEFERRABLE INITIALLY DEFERRED,
    declined_by_account_id TEXT REFERENCES accounts (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK ((status IN ('PROCESSING', 'COMPLETE')) = (payment_id IS NOT NULL)),
    CHECK ((status = 'DECLINED') = (declined_by_account_id IS NOT NULL))
);
CREATE INDEX payment_requests_addressee ON payment_requests (addressee_email, status, created_at);
CREATE INDEX payment_requests_requester ON payment_requests (requester_account_id, created_at);
CREATE UNIQUE INDEX payment_requests_payment ON payment_requests (payment_id) WHERE payment_id IS NOT NULL;

-- The request a payment session (createPaymentForRequestSession) or a payment pays; NULL for the others.
ALTER TABLE payment_sessions ADD COLUMN payment_request_id TEXT REFERENCES payment_requests (id);
ALTER TABLE payments ADD COLUMN payment_request_id TEXT REFERENCES payment_requests (id);
CREATE INDEX payments_payment_request ON payments (payment_request_id) WHERE payment_request_id IS NOT NULL;
