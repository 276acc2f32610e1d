-- The double-entry ledger (flows.md section 11): one row per posting. A posting set is the rows sharing a
-- set_id, written in one transaction with the status change of its payment, refund or funding entry.
--
-- Append-only: postings are never changed or deleted (a give-back is a new set), so the database refuses
-- UPDATE and DELETE itself, whatever code runs against it.

CREATE TABLE ledger_postings (
    id TEXT PRIMARY KEY NOT NULL,
    set_id TEXT NOT NULL,
    -- The PaymentEntry id of the payment, refund or funding entry the set belongs to. Not a foreign key: the
    -- ledger outlives and does not depend on how entries are stored.
    entry_id TEXT NOT NULL,
    step TEXT NOT NULL
        CHECK (step IN ('collection', 'payout', 'arrival', 'give_back', 'give_back_after_payout', 'funding_credit')),
    posted_at TIMESTAMP NOT NULL,
    -- The posting's place in its set, so a set reads back in the order it was written.
    position INTEGER NOT NULL CHECK (position >= 0),
    -- `bank:<bankAccountId>`, `funding:<accountId>`, `deposits`, `clearing`, `fx`, `in_transit` or `fees`; the
    -- currency is kept apart, so `clearing[CAD]` is ('clearing', 'CAD').
    ledger_account TEXT NOT NULL,
    currency TEXT NOT NULL CHECK (length(currency) = 3),
    -- Signed minor units: positive when money arrives on the ledger account. Postings of 0 are not written.
    amount BIGINT NOT NULL CHECK (amount <> 0),
    UNIQUE (set_id, position)
);
CREATE INDEX ledger_postings_entry ON ledger_postings (entry_id);
CREATE INDEX ledger_postings_order ON ledger_postings (posted_at, set_id, position);

CREATE FUNCTION ledger_postings_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger postings are append-only: % refused', TG_OP;
END;
$$;

CREATE TRIGGER ledger_postings_no_change BEFORE UPDATE OR DELETE ON ledger_postings
    FOR EACH ROW EXECUTE FUNCTION ledger_postings_append_only();
-- A row trigger does not see TRUNCATE, which would empty the table at once.
CREATE TRIGGER ledger_postings_no_truncate BEFORE TRUNCATE ON ledger_postings
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_postings_append_only();
