-- Tax ids are kept unique through keyed digests: HMAC-SHA256 under TAX_ID_KEY of `<country>:<normal form>`
-- (for a Canadian business number, of its nine-digit root). A copy of the database does not reveal the
-- numbers; `persons.personal_tax_id` holds only the masked form for display.

ALTER TABLE persons ADD COLUMN personal_tax_id_digest TEXT;
ALTER TABLE accounts ADD COLUMN business_tax_id_digest TEXT;

-- The digest names the country of the account the number was given for, so one index per table keeps each
-- number to one holder per country.
CREATE UNIQUE INDEX persons_personal_tax_id ON persons (personal_tax_id_digest)
    WHERE personal_tax_id_digest IS NOT NULL;
CREATE UNIQUE INDEX accounts_business_tax_id ON accounts (country, business_tax_id_digest)
    WHERE business_tax_id_digest IS NOT NULL;
