DROP INDEX payments_payment_request;
ALTER TABLE payments DROP COLUMN payment_request_id;
ALTER TABLE payment_sessions DROP COLUMN payment_request_id;
DROP TABLE payment_requests;
