DROP TABLE account_setup_details;
DROP TABLE account_setup_sessions;
