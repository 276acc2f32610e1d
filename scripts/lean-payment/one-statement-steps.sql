-- The lean payment of payment.sql with each step in one statement: its reads, locks and checks folded into
-- data-modifying CTEs, each statement its own transaction. It models a write path that states the rules in SQL
-- rather than checking them between statements, which the PostgreSQL path could take (SQLite has no
-- data-modifying CTEs); a cost model, not an implementation: it answers nothing a refusal would need.
\set payer :client_id + 1
SELECT account FROM lean_logins WHERE id = :payer AND expires > now();
WITH payer AS (SELECT id FROM lean_accounts WHERE id = :payer FOR UPDATE),
  ben AS (SELECT id FROM lean_accounts WHERE email = 'beneficiary@example.com')
INSERT INTO lean_sessions (key, payer, beneficiary, used) SELECT :payer, payer.id, ben.id, now() FROM payer, ben
  ON CONFLICT (key) DO UPDATE SET beneficiary = excluded.beneficiary, quote = NULL, definition = NULL, used = now();
SELECT account FROM lean_logins WHERE id = :payer AND expires > now();
WITH s AS (SELECT key FROM lean_sessions WHERE key = :payer FOR UPDATE),
  r AS (SELECT a.status FROM lean_accounts a, lean_accounts b WHERE a.id = :payer AND b.id = 0),
  q AS (INSERT INTO lean_quotes (rate, expires) SELECT 1.3645, now() + interval '30 seconds' FROM s, r RETURNING id)
UPDATE lean_sessions SET quote = q.id, definition = '{"amount":3500}', used = now() FROM q WHERE key = :payer;
SELECT account FROM lean_logins WHERE id = :payer AND expires > now();
WITH s AS (DELETE FROM lean_sessions WHERE key = :payer RETURNING quote),
  a AS (SELECT a.id FROM lean_accounts a WHERE a.id = :payer FOR UPDATE),
  p AS (INSERT INTO lean_payments (quote, payer, beneficiary, amount, trade, created)
    SELECT s.quote, :payer, 0, 3500, 'T' || nextval('lean_trades'), now() FROM s, a, lean_quotes q
    WHERE q.id = s.quote AND q.expires > now() RETURNING id),
  h AS (INSERT INTO lean_history (payment, status, at) SELECT id, 'SCHEDULED', now() FROM p),
  e AS (INSERT INTO lean_events (account, payload) SELECT 0, '{"type":"payment.received"}' FROM p)
INSERT INTO lean_outbox (template, recipient)
  SELECT t, r FROM p, (VALUES ('payment_sent', 'payer'), ('payment_received', 'beneficiary')) v (t, r);
