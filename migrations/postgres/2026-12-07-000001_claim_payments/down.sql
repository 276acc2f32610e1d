ALTER TABLE payment_status_changes DROP CONSTRAINT payment_status_changes_pkey;
ALTER TABLE payment_status_changes ADD PRIMARY KEY (payment_id, status);
DELETE FROM payment_sessions WHERE beneficiary_account_id IS NULL;
ALTER TABLE payment_sessions DROP CONSTRAINT payment_sessions_beneficiary_named;
ALTER TABLE payment_sessions ALTER COLUMN beneficiary_account_id SET NOT NULL;
DROP INDEX payments_held_for_email;
ALTER TABLE payments DROP CONSTRAINT payments_beneficiary_named;
ALTER TABLE payments DROP COLUMN kind;
ALTER TABLE payments ALTER COLUMN beneficiary_account_id SET NOT NULL;
