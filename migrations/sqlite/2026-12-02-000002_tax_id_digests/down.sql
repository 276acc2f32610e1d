DROP INDEX accounts_business_tax_id;
DROP INDEX persons_personal_tax_id;
ALTER TABLE accounts DROP COLUMN business_tax_id_digest;
ALTER TABLE persons DROP COLUMN personal_tax_id_digest;
