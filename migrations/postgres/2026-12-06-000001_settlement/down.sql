DROP TABLE local_funding_balances;
DROP TABLE local_linked_balances;
DROP TABLE funding_entries;
DROP INDEX payments_next_step;
ALTER TABLE payments DROP COLUMN payout_bank_account_id;
ALTER TABLE payments DROP COLUMN next_step_at;
