DROP TRIGGER ledger_postings_no_delete;
DROP TRIGGER ledger_postings_no_update;
DROP TABLE ledger_postings;
