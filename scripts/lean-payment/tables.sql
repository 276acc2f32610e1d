-- The tables of the lean payment (scripts/lean-payment/payment.sql), shaped like
-- borderless's own (ints for its text ids). Created beside pgbench's tables in the bench database.
CREATE TABLE lean_logins (id int PRIMARY KEY, account int NOT NULL, expires timestamptz NOT NULL);
CREATE TABLE lean_accounts (id int PRIMARY KEY, email text NOT NULL UNIQUE, status text NOT NULL,
  bank text NOT NULL, currency text NOT NULL);
CREATE TABLE lean_sessions (key int PRIMARY KEY, payer int NOT NULL, beneficiary int NOT NULL, quote bigint,
  definition text, used timestamptz NOT NULL);
CREATE TABLE lean_quotes (id bigserial PRIMARY KEY, rate numeric NOT NULL, expires timestamptz NOT NULL);
CREATE TABLE lean_payments (id bigserial PRIMARY KEY, quote bigint NOT NULL UNIQUE, payer int NOT NULL,
  beneficiary int NOT NULL, amount bigint NOT NULL, trade text NOT NULL, created timestamptz NOT NULL);
CREATE SEQUENCE lean_trades;
CREATE TABLE lean_history (id bigserial PRIMARY KEY, payment bigint NOT NULL, status text NOT NULL,
  at timestamptz NOT NULL);
CREATE TABLE lean_events (id bigserial PRIMARY KEY, account int NOT NULL, payload text NOT NULL);
CREATE TABLE lean_outbox (id bigserial PRIMARY KEY, template text NOT NULL, recipient text NOT NULL);
INSERT INTO lean_accounts SELECT i, 'payer-' || i || '@example.com', 'VERIFIED', 'bank-' || i, 'USD'
  FROM generate_series(1, 1000) i;
INSERT INTO lean_accounts VALUES (0, 'beneficiary@example.com', 'VERIFIED', 'bank-0', 'CAD');
INSERT INTO lean_logins SELECT i, i, now() + interval '1 day' FROM generate_series(1, 1000) i;
