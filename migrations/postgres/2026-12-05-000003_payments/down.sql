DROP TABLE idempotency_keys;
DROP TABLE payment_status_changes;
DROP TABLE payments;
DROP TABLE trades;
