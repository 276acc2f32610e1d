DROP TABLE company_officers;
