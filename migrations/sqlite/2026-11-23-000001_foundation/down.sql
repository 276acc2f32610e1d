DROP TABLE server_secrets;
DROP TABLE login_failures;
DROP TABLE sessions;
DROP TABLE accounts;
DROP TABLE logins;
DROP TABLE persons;
