DROP TABLE payment_sessions;
DROP TABLE quotes;
ALTER TABLE accounts DROP COLUMN scheduled_international;
