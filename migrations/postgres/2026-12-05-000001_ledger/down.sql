DROP TABLE ledger_postings;
DROP FUNCTION ledger_postings_append_only();
