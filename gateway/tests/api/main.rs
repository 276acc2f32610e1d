//! The API as a client sees it: every test starts the real server on its own database (SQLite, or PostgreSQL
//! when `TEST_DATABASE_URL` is set; sessions in Redis when `TEST_REDIS_URL` is set) and talks to it over HTTP.

mod harness;

mod account_and_person;
mod account_changes;
mod account_lifecycle;
mod account_services;
mod authorization;
mod bank_accounts;
mod claim_payments;
mod company_officers;
mod contacts;
mod crash_safety;
mod docs_examples;
mod fixtures;
mod funding;
mod identity_http_provider;
mod login;
mod operator_commands;
mod passwords;
mod payment_activity;
mod payment_pricing;
mod payment_requests;
mod payment_session_view;
mod payment_sessions;
mod payment_settlement;
mod payment_submit;
mod receiver;
mod reference_data;
mod refund_activity;
mod refund_limits;
mod refunds;
mod request_payments;
mod schema;
mod session;
mod setup_session;
mod signup;
mod startup;
mod trade_confirmations;
mod transport;
mod validators;
mod verification;
mod webhook_deliveries;
mod webhook_receiver_example;
mod webhooks;
