-- One payment through the contract's three steps as our write path is built (the rules checked between
-- statements, a transaction per step), in the fewest statements that allows: one per read, lock and write,
-- joined where one can do the work of two. Run by pgbench alone (no server), it is the most such a write path
-- could reach on this database. Each client pays as its own payer (ids 1 to 1000) to one beneficiary (id 0).
\set payer :client_id + 1
-- createPaymentSession: the login session, then the payer locked and read, the beneficiary, the session.
SELECT account FROM lean_logins WHERE id = :payer AND expires > now();
BEGIN;
SELECT status, bank, currency FROM lean_accounts WHERE id = :payer FOR UPDATE;
SELECT id, status, bank, currency FROM lean_accounts WHERE email = 'beneficiary@example.com';
INSERT INTO lean_sessions (key, payer, beneficiary, used) VALUES (:payer, :payer, 0, now())
  ON CONFLICT (key) DO UPDATE SET beneficiary = excluded.beneficiary, quote = NULL, definition = NULL, used = now();
COMMIT;
-- updatePaymentSession: the login session, the payment session locked, both parties' readiness, the quote.
SELECT account FROM lean_logins WHERE id = :payer AND expires > now();
BEGIN;
SELECT payer, beneficiary FROM lean_sessions WHERE key = :payer FOR UPDATE;
SELECT a.status, a.bank, b.status, b.bank FROM lean_accounts a, lean_accounts b WHERE a.id = :payer AND b.id = 0;
INSERT INTO lean_quotes (rate, expires) VALUES (1.3645, now() + interval '30 seconds') RETURNING id AS quote \gset
UPDATE lean_sessions SET quote = :quote, definition = '{"amount":3500,"date":"2026-12-11"}', used = now()
  WHERE key = :payer;
COMMIT;
-- submitPaymentSession: the login session, the payment session locked with its quote, the payer locked with
-- the beneficiary, the payment with its history, event and two emails in one statement, the session deleted.
SELECT account FROM lean_logins WHERE id = :payer AND expires > now();
BEGIN;
SELECT s.quote, s.definition, q.rate, q.expires FROM lean_sessions s JOIN lean_quotes q ON q.id = s.quote
  WHERE s.key = :payer FOR UPDATE OF s;
SELECT a.status, b.status, b.bank FROM lean_accounts a, lean_accounts b WHERE a.id = :payer AND b.id = 0
  FOR UPDATE OF a;
WITH p AS (INSERT INTO lean_payments (quote, payer, beneficiary, amount, trade, created)
    VALUES (:quote, :payer, 0, 3500, 'T' || nextval('lean_trades'), now()) RETURNING id),
  h AS (INSERT INTO lean_history (payment, status, at) SELECT id, 'SCHEDULED', now() FROM p),
  e AS (INSERT INTO lean_events (account, payload) SELECT 0, '{"type":"payment.received"}' FROM p)
INSERT INTO lean_outbox (template, recipient)
  SELECT t, r FROM p, (VALUES ('payment_sent', 'payer'), ('payment_received', 'beneficiary')) v (t, r);
DELETE FROM lean_sessions WHERE key = :payer;
COMMIT;
