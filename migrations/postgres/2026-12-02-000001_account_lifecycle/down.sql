DROP TABLE events;
ALTER TABLE accounts DROP COLUMN status_before_disabled;
ALTER TABLE accounts DROP COLUMN deactivation_reason;
ALTER TABLE accounts DROP COLUMN deactivated_at;
DROP INDEX accounts_person_type;
