//! The tables of both backends (the migrations in `migrations/sqlite` and `migrations/postgres` create the same
//! tables). Written by hand to match them; ids are UUIDv7 text, timestamps UTC.

diesel::table! {
    persons (id) {
        id -> Text,
        email -> Text,
        first_name -> Nullable<Text>,
        middle_name -> Nullable<Text>,
        last_name -> Nullable<Text>,
        date_of_birth -> Nullable<Timestamp>,
        citizenship -> Nullable<Text>,
        phone_country_code -> Nullable<Text>,
        phone -> Nullable<Text>,
        personal_tax_id -> Nullable<Text>,
        uploaded_id -> Bool,
        identity_check_status -> Text,
        created_at -> Timestamp,
        personal_tax_id_digest -> Nullable<Text>,
        identity_applicant_id -> Nullable<Text>,
        identity_document_attached_at -> Nullable<Timestamp>,
        identity_check_reference -> Nullable<Text>,
        identity_check_due_at -> Nullable<Timestamp>,
        identity_check_verdict -> Nullable<Text>,
        identity_checked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    logins (id) {
        id -> Text,
        email -> Text,
        password_hash -> Text,
        person_id -> Text,
        created_at -> Timestamp,
        email_verified -> Bool,
    }
}

diesel::table! {
    accounts (id) {
        id -> Text,
        person_id -> Text,
        account_type -> Text,
        status -> Text,
        country -> Text,
        currency -> Text,
        accepted_terms_at -> Timestamp,
        slug -> Nullable<Text>,
        name -> Nullable<Text>,
        display_name -> Nullable<Text>,
        phone_country_code -> Nullable<Text>,
        phone -> Nullable<Text>,
        address_line1 -> Nullable<Text>,
        address_line2 -> Nullable<Text>,
        city -> Nullable<Text>,
        zone_code -> Nullable<Text>,
        postal_code -> Nullable<Text>,
        identification_type -> Nullable<Text>,
        industry -> Nullable<Text>,
        business_type -> Nullable<Text>,
        business_tax_id -> Nullable<Text>,
        preferred_bank_account_id -> Nullable<Text>,
        incorporation_document_filename -> Nullable<Text>,
        redirect_url -> Nullable<Text>,
        company_officers_submitted -> Bool,
        created_at -> Timestamp,
        deactivated_at -> Nullable<Timestamp>,
        deactivation_reason -> Nullable<Text>,
        status_before_disabled -> Nullable<Text>,
        business_tax_id_digest -> Nullable<Text>,
        scheduled_international -> Bool,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        state -> Text,
        login_id -> Nullable<Text>,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    login_failures (id) {
        id -> Text,
        email -> Text,
        failed_at -> Timestamp,
    }
}

diesel::table! {
    server_secrets (name) {
        name -> Text,
        value -> Text,
    }
}

diesel::table! {
    service_clock (id) {
        id -> Integer,
        offset_ms -> BigInt,
    }
}

diesel::table! {
    email_verification_tokens (id) {
        id -> Text,
        login_id -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        voided_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    email_outbox (id) {
        id -> Text,
        recipient -> Text,
        template -> Text,
        message -> Text,
        created_at -> Timestamp,
        next_attempt_at -> Timestamp,
        attempts -> Integer,
        lease_until -> Nullable<Timestamp>,
        sent_at -> Nullable<Timestamp>,
        failed_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
    }
}

diesel::table! {
    mailbox (id) {
        id -> Text,
        recipient -> Text,
        template -> Text,
        subject -> Text,
        text_body -> Text,
        html_body -> Text,
        links -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    events (id) {
        id -> Text,
        account_id -> Text,
        event -> Text,
        claims -> Text,
        created_at -> Timestamp,
        dispatched_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    webhooks (id) {
        id -> Text,
        account_id -> Text,
        endpoint -> Text,
        sealed_secret -> Text,
        active -> Bool,
        failed_in_a_row -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> Text,
        webhook_id -> Text,
        event_id -> Text,
        event -> Text,
        payload -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Nullable<Timestamp>,
        lease_until -> Nullable<Timestamp>,
        last_attempt_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    webhook_attempts (id) {
        id -> Text,
        delivery_id -> Text,
        attempted_at -> Timestamp,
        http_status -> Nullable<Integer>,
        duration_ms -> Integer,
        response_body -> Text,
        failure -> Nullable<Text>,
    }
}

diesel::table! {
    account_setup_sessions (account_id) {
        account_id -> Text,
        data -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    account_setup_details (account_id) {
        account_id -> Text,
        bank_name -> Nullable<Text>,
        job_title -> Nullable<Text>,
        zone_code_of_incorporation -> Nullable<Text>,
        business_size -> Nullable<Integer>,
        estimated_monthly_volume -> Nullable<BigInt>,
        estimated_monthly_transactions -> Nullable<Integer>,
    }
}

diesel::table! {
    company_officers (id) {
        id -> Text,
        account_id -> Text,
        officer_type -> Text,
        name -> Text,
        name_key -> Text,
        ownership_bps -> Integer,
        date_of_birth -> Nullable<Timestamp>,
        job_title -> Nullable<Text>,
        country -> Nullable<Text>,
        document_type -> Nullable<Text>,
        document_number_digest -> Nullable<Text>,
        document_number_masked -> Nullable<Text>,
        document_issuing_country -> Nullable<Text>,
        document_expiry_date -> Nullable<Timestamp>,
        identity_check_status -> Text,
        identity_check_reference -> Nullable<Text>,
        identity_check_due_at -> Nullable<Timestamp>,
        identity_check_verdict -> Nullable<Text>,
        identity_checked_at -> Nullable<Timestamp>,
        submitted -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    password_reset_requests (id) {
        id -> Text,
        email -> Text,
        requested_at -> Timestamp,
        handled_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    password_reset_tokens (id) {
        id -> Text,
        login_id -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        voided_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    bank_accounts (id) {
        id -> Text,
        account_id -> Text,
        bank_name -> Text,
        country -> Text,
        currency -> Text,
        account_type -> Text,
        status -> Text,
        account_number_masked -> Text,
        routing_number_masked -> Nullable<Text>,
        number_digest -> Text,
        favicon_url -> Nullable<Text>,
        link_id -> Nullable<Text>,
        provider_account_id -> Nullable<Text>,
        balance_as_of -> Nullable<Timestamp>,
        verification_reference -> Nullable<Text>,
        verification_due_at -> Nullable<Timestamp>,
        verification_verdict -> Nullable<Text>,
        verified_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

/// Tables whose rows a write transaction can lock ([`crate::Tx::lock_rows`]).
pub trait Lockable {
    const NAME: &'static str;
}

impl Lockable for accounts::table {
    const NAME: &'static str = "accounts";
}

impl Lockable for persons::table {
    const NAME: &'static str = "persons";
}

impl Lockable for webhooks::table {
    const NAME: &'static str = "webhooks";
}

impl Lockable for logins::table {
    const NAME: &'static str = "logins";
}

diesel::table! {
    invitations (id) {
        id -> Text,
        account_id -> Text,
        email -> Text,
        template -> Text,
        sent_at -> Timestamp,
    }
}

diesel::table! {
    identity_applicants (id) {
        id -> Text,
        person_id -> Text,
        first_name -> Nullable<Text>,
        last_name -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    verification_links (token_digest) {
        token_digest -> Text,
        account_id -> Text,
        expires_at -> Timestamp,
        created_at -> Timestamp,
    }
}

diesel::joinable!(webhook_deliveries -> webhooks (webhook_id));
diesel::allow_tables_to_appear_in_same_query!(webhook_deliveries, webhooks);
diesel::joinable!(logins -> persons (person_id));
diesel::joinable!(accounts -> persons (person_id));
diesel::allow_tables_to_appear_in_same_query!(persons, logins, accounts);
// Whether a beneficiary is emailed is read with its owner's email in one statement.
diesel::allow_tables_to_appear_in_same_query!(accounts, webhooks);
diesel::allow_tables_to_appear_in_same_query!(logins, webhooks);
// An account's preferred bank account is read with its account in one statement.
diesel::allow_tables_to_appear_in_same_query!(accounts, bank_accounts);

diesel::table! {
    ledger_postings (id) {
        id -> Text,
        set_id -> Text,
        entry_id -> Text,
        step -> Text,
        posted_at -> Timestamp,
        position -> Integer,
        ledger_account -> Text,
        currency -> Text,
        amount -> BigInt,
    }
}

diesel::table! {
    payment_sessions (session_key) {
        session_key -> Text,
        id -> Text,
        login_id -> Text,
        account_id -> Text,
        payer_currency -> Text,
        funding_source -> Text,
        funding_bank_account_id -> Nullable<Text>,
        beneficiary_account_id -> Nullable<Text>,
        beneficiary_currency -> Text,
        named_by -> Text,
        named_as -> Text,
        definition -> Nullable<Text>,
        quote_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        used_at -> Timestamp,
        payment_request_id -> Nullable<Text>,
    }
}

diesel::table! {
    quotes (id) {
        id -> BigInt,
        payer_currency -> Text,
        beneficiary_currency -> Text,
        rate -> Text,
        amounts -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    trades (id) {
        id -> BigInt,
        booked_at -> Timestamp,
    }
}

// `payments` is near diesel's 32-column limit (feature 32-column-tables): facts of one kind of payment go
// to a table of their own (refunds, refund_attempts).
diesel::table! {
    payments (id) {
        id -> Text,
        payer_account_id -> Text,
        funding_source -> Text,
        funding_bank_account_id -> Nullable<Text>,
        beneficiary_account_id -> Nullable<Text>,
        payer_currency -> Text,
        payer_sub -> BigInt,
        payer_fee -> BigInt,
        payer_total -> BigInt,
        beneficiary_currency -> Text,
        beneficiary_sub -> BigInt,
        beneficiary_fee -> BigInt,
        beneficiary_total -> BigInt,
        rate -> Text,
        international -> Bool,
        savings -> Nullable<BigInt>,
        quote_id -> BigInt,
        trade_number -> Text,
        description -> Text,
        email_message -> Nullable<Text>,
        pop_code -> Nullable<Text>,
        value_date -> Timestamp,
        status -> Text,
        submitted_at -> Timestamp,
        next_step_at -> Nullable<Timestamp>,
        payout_bank_account_id -> Nullable<Text>,
        beneficiary_email -> Nullable<Text>,
        payment_request_id -> Nullable<Text>,
        kind -> Text,
    }
}

impl Lockable for payments::table {
    const NAME: &'static str = "payments";
}

diesel::table! {
    funding_entries (id) {
        id -> Text,
        account_id -> Text,
        currency -> Text,
        amount -> BigInt,
        status -> Text,
        created_at -> Timestamp,
        completed_at -> Nullable<Timestamp>,
    }
}

impl Lockable for funding_entries::table {
    const NAME: &'static str = "funding_entries";
}

diesel::table! {
    local_linked_balances (yodlee_bank_account_id) {
        yodlee_bank_account_id -> Text,
        currency -> Text,
        balance -> BigInt,
    }
}

diesel::table! {
    local_funding_balances (account_id, currency) {
        account_id -> Text,
        currency -> Text,
        balance -> BigInt,
    }
}

diesel::table! {
    payment_status_changes (payment_id, status, changed_at) {
        payment_id -> Text,
        status -> Text,
        changed_at -> Timestamp,
    }
}

diesel::table! {
    idempotency_keys (login_id, idempotency_key) {
        login_id -> Text,
        idempotency_key -> Text,
        payment_session_id -> Nullable<Text>,
        answer -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    payment_requests (id) {
        id -> Text,
        requester_account_id -> Text,
        addressee_email -> Nullable<Text>,
        currency -> Text,
        amount -> BigInt,
        description -> Nullable<Text>,
        email_message -> Nullable<Text>,
        charge_date -> Timestamp,
        status -> Text,
        resends -> Integer,
        payment_id -> Nullable<Text>,
        declined_by_account_id -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

impl Lockable for payment_requests::table {
    const NAME: &'static str = "payment_requests";
}

diesel::table! {
    refunds (payment_id) {
        payment_id -> Text,
        original_payment_id -> Text,
        reason -> Text,
        refund_type -> Text,
    }
}

diesel::table! {
    refund_attempts (payment_id) {
        payment_id -> Text,
        attempts -> Integer,
    }
}

diesel::table! {
    refund_sessions (session_key) {
        session_key -> Text,
        id -> Text,
        login_id -> Text,
        account_id -> Text,
        original_payment_id -> Text,
        payer_currency -> Text,
        funding_bank_account_id -> Text,
        beneficiary_account_id -> Text,
        beneficiary_currency -> Text,
        definition -> Nullable<Text>,
        quote_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        used_at -> Timestamp,
    }
}

diesel::joinable!(refunds -> payments (payment_id));
diesel::allow_tables_to_appear_in_same_query!(refunds, payments);
