DROP TABLE webhook_attempts;
DROP TABLE webhook_deliveries;
DROP INDEX events_undispatched;
ALTER TABLE events DROP COLUMN dispatched_at;
DROP TABLE webhooks;
