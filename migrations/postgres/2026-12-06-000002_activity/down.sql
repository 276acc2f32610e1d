ALTER TABLE payments DROP COLUMN beneficiary_email;
