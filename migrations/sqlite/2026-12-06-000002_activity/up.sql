-- Activity and contacts (paymentActivity.md, contacts.md): a contact shows the email the payer itself typed
-- for the beneficiary (createPaymentSession(toEmail)), so the payment keeps it; NULL when the beneficiary was
-- named by its PayMe handle. Lower case, as the payment session held it.
ALTER TABLE payments ADD COLUMN beneficiary_email TEXT;
