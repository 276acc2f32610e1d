DROP TABLE verification_links;
DROP INDEX persons_identity_check_due;
ALTER TABLE persons DROP COLUMN identity_checked_at;
ALTER TABLE persons DROP COLUMN identity_check_verdict;
ALTER TABLE persons DROP COLUMN identity_check_due_at;
ALTER TABLE persons DROP COLUMN identity_check_reference;
ALTER TABLE persons DROP COLUMN identity_document_attached_at;
ALTER TABLE persons DROP COLUMN identity_applicant_id;
DROP TABLE identity_applicants;
