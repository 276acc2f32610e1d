//! Write transactions, locks and constraint mapping on a real database (SQLite, or PostgreSQL when
//! `TEST_DATABASE_URL` is set).

use std::sync::{Arc, Barrier};
use std::time::Duration;

use diesel::prelude::*;
use store::schema::{accounts, bank_accounts, email_verification_tokens, login_failures, logins, persons};
use store::{
    DbConnection, DbError, Pool, TestDatabase, UniqueIndex, connect_pool, violated_unique_index, write_transaction,
};

fn now() -> chrono::NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

fn person(conn: &mut DbConnection, id: &str, email: &str) -> QueryResult<usize> {
    diesel::insert_into(persons::table)
        .values((persons::id.eq(id), persons::email.eq(email), persons::created_at.eq(now())))
        .execute(conn)
}

fn login(conn: &mut DbConnection, id: &str, email: &str, person_id: &str) -> QueryResult<usize> {
    diesel::insert_into(logins::table)
        .values((
            logins::id.eq(id),
            logins::email.eq(email),
            logins::password_hash.eq("x"),
            logins::person_id.eq(person_id),
            logins::created_at.eq(now()),
        ))
        .execute(conn)
}

fn account(conn: &mut DbConnection, id: &str, person_id: &str, slug: Option<&str>) -> QueryResult<usize> {
    diesel::insert_into(accounts::table)
        .values((
            accounts::id.eq(id),
            accounts::person_id.eq(person_id),
            accounts::account_type.eq("PERSONAL"),
            accounts::status.eq("NOT_SETUP"),
            accounts::country.eq("US"),
            accounts::currency.eq("USD"),
            accounts::accepted_terms_at.eq(now()),
            accounts::slug.eq(slug),
            accounts::created_at.eq(now()),
        ))
        .execute(conn)
}

/// Runs `work` on `threads` threads at once, each on its own pooled connection, and returns their results.
fn race<T: Send + 'static>(
    pool: &Pool,
    threads: usize,
    work: impl Fn(&mut DbConnection) -> T + Send + Sync + 'static,
) -> Vec<T> {
    let work = Arc::new(work);
    let start = Arc::new(Barrier::new(threads));
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let (pool, work, start) = (pool.clone(), Arc::clone(&work), Arc::clone(&start));
            std::thread::spawn(move || {
                let mut conn = pool.get().expect("connection");
                start.wait();
                work(&mut conn)
            })
        })
        .collect();
    handles.into_iter().map(|h| h.join().expect("thread")).collect()
}

#[test]
fn two_check_then_write_transactions_on_one_key_cannot_both_pass() -> anyhow::Result<()> {
    let database = TestDatabase::new()?;
    let pool = connect_pool(database.url(), 4)?;
    let wrote = race(&pool, 4, |conn| {
        write_transaction(conn, |tx| {
            tx.lock_key("slot:only-one")?;
            let taken: i64 =
                login_failures::table.filter(login_failures::email.eq("slot")).count().get_result(tx.conn())?;
            // Give a concurrent transaction every chance to read the same count before this one writes.
            std::thread::sleep(Duration::from_millis(50));
            if taken == 0 {
                diesel::insert_into(login_failures::table)
                    .values((
                        login_failures::id.eq(kernel_free_id()),
                        login_failures::email.eq("slot"),
                        login_failures::failed_at.eq(now()),
                    ))
                    .execute(tx.conn())?;
            }
            Ok::<_, DbError>(taken == 0)
        })
        .expect("transaction")
    });
    assert_eq!(wrote.iter().filter(|w| **w).count(), 1, "{wrote:?}");
    let mut conn = pool.get()?;
    let rows: i64 = login_failures::table.count().get_result(&mut conn)?;
    assert_eq!(rows, 1);
    Ok(())
}

#[test]
fn a_locked_row_is_checked_and_written_by_one_transaction_at_a_time() -> anyhow::Result<()> {
    let database = TestDatabase::new()?;
    let pool = connect_pool(database.url(), 4)?;
    {
        let mut conn = pool.get()?;
        person(&mut conn, "p1", "p1@example.com")?;
        account(&mut conn, "a1", "p1", None)?;
    }
    let claimed = race(&pool, 4, |conn| {
        let me = kernel_free_id();
        write_transaction(conn, |tx| {
            tx.lock_rows::<accounts::table>(&["a1"])?;
            let slug: Option<String> = accounts::table.find("a1").select(accounts::slug).first(tx.conn())?;
            std::thread::sleep(Duration::from_millis(50));
            if slug.is_none() {
                diesel::update(accounts::table.find("a1")).set(accounts::slug.eq(&me)).execute(tx.conn())?;
            }
            Ok::<_, DbError>(slug.is_none())
        })
        .expect("transaction")
    });
    assert_eq!(claimed.iter().filter(|c| **c).count(), 1, "{claimed:?}");
    Ok(())
}

#[test]
fn a_connection_left_inside_a_transaction_is_never_handed_out_again() -> anyhow::Result<()> {
    let database = TestDatabase::new()?;
    let pool = connect_pool(database.url(), 1)?;
    let panicked = std::thread::spawn({
        let pool = pool.clone();
        move || {
            let mut conn = pool.get().expect("connection");
            let _: Result<(), DbError> = write_transaction(&mut conn, |tx| {
                person(tx.conn(), "p1", "p1@example.com")?;
                panic!("a bug inside a transaction");
            });
        }
    })
    .join();
    assert!(panicked.is_err());
    // The only pooled connection was inside a transaction (and on SQLite held the write lock): the pool must
    // have dropped it and give a fresh one that can write at once.
    let mut conn = pool.get()?;
    write_transaction(&mut conn, |tx| person(tx.conn(), "p2", "p2@example.com"))?;
    let persons: Vec<String> = persons::table.select(persons::id).load(&mut conn)?;
    assert_eq!(persons, vec!["p2".to_owned()], "the panicked transaction's write must be gone");
    Ok(())
}

#[test]
fn each_unique_index_is_named_in_its_violation() -> anyhow::Result<()> {
    let database = TestDatabase::new()?;
    let pool = connect_pool(database.url(), 1)?;
    let mut conn = pool.get()?;
    person(&mut conn, "p1", "a@example.com")?;
    person(&mut conn, "p2", "b@example.com")?;
    login(&mut conn, "l1", "a@example.com", "p1")?;
    account(&mut conn, "a1", "p1", Some("Handle"))?;
    // The tax-id digests of p1 and a1; a4 is a second account in the same country (US).
    person(&mut conn, "p4", "d@example.com")?;
    account(&mut conn, "a4", "p4", None)?;
    diesel::update(persons::table.find("p1")).set(persons::personal_tax_id_digest.eq("digest-1")).execute(&mut conn)?;
    diesel::update(accounts::table.find("a1"))
        .set(accounts::business_tax_id_digest.eq("digest-1"))
        .execute(&mut conn)?;
    diesel::insert_into(email_verification_tokens::table)
        .values((
            email_verification_tokens::id.eq("t1"),
            email_verification_tokens::login_id.eq("l1"),
            email_verification_tokens::token_hash.eq("h"),
            email_verification_tokens::created_at.eq(now()),
            email_verification_tokens::expires_at.eq(now()),
        ))
        .execute(&mut conn)?;

    let bank_account = |conn: &mut DbConnection, id: &str| {
        diesel::insert_into(bank_accounts::table)
            .values((
                bank_accounts::id.eq(id),
                bank_accounts::account_id.eq("a1"),
                bank_accounts::bank_name.eq("Chase"),
                bank_accounts::country.eq("US"),
                bank_accounts::currency.eq("USD"),
                bank_accounts::account_type.eq("CHECKING"),
                bank_accounts::status.eq("PENDING_VERIFICATION"),
                bank_accounts::account_number_masked.eq("**1111"),
                bank_accounts::number_digest.eq("digest-1"),
                bank_accounts::verification_reference.eq("v"),
                bank_accounts::created_at.eq(now()),
            ))
            .execute(conn)
    };
    bank_account(&mut conn, "b1")?;

    let cases: Vec<(UniqueIndex, QueryResult<usize>)> = vec![
        (UniqueIndex::BankAccountsNumber, bank_account(&mut conn, "b2")),
        (UniqueIndex::PersonsEmail, person(&mut conn, "p3", "a@example.com")),
        (UniqueIndex::LoginsEmail, login(&mut conn, "l2", "a@example.com", "p2")),
        (UniqueIndex::LoginsPerson, login(&mut conn, "l3", "c@example.com", "p1")),
        (UniqueIndex::AccountsSlug, account(&mut conn, "a2", "p2", Some("hANDLE"))),
        (UniqueIndex::AccountsPersonType, account(&mut conn, "a3", "p1", None)),
        (
            UniqueIndex::PersonsPersonalTaxId,
            diesel::update(persons::table.find("p2"))
                .set(persons::personal_tax_id_digest.eq("digest-1"))
                .execute(&mut conn),
        ),
        (
            UniqueIndex::AccountsBusinessTaxId,
            diesel::update(accounts::table.find("a4"))
                .set(accounts::business_tax_id_digest.eq("digest-1"))
                .execute(&mut conn),
        ),
        (
            UniqueIndex::EmailVerificationTokensHash,
            diesel::insert_into(email_verification_tokens::table)
                .values((
                    email_verification_tokens::id.eq("t2"),
                    email_verification_tokens::login_id.eq("l1"),
                    email_verification_tokens::token_hash.eq("h"),
                    email_verification_tokens::created_at.eq(now()),
                    email_verification_tokens::expires_at.eq(now()),
                ))
                .execute(&mut conn),
        ),
    ];
    for (index, outcome) in cases {
        let error = outcome.expect_err("a duplicate is refused");
        assert_eq!(violated_unique_index(&error), Some(index), "{error:?}");
    }
    // A primary key is not one of the mapped unique indexes: the caller answers it as an internal error.
    let duplicate_id = person(&mut conn, "p1", "z@example.com").expect_err("duplicate id");
    assert_eq!(violated_unique_index(&duplicate_id), None, "{duplicate_id:?}");
    Ok(())
}

#[test]
fn a_refused_insert_inside_a_savepoint_leaves_the_transaction_usable() -> anyhow::Result<()> {
    let database = TestDatabase::new()?;
    let pool = connect_pool(database.url(), 1)?;
    let mut conn = pool.get()?;
    person(&mut conn, "p1", "a@example.com")?;
    write_transaction(&mut conn, |tx| {
        let duplicate = tx.savepoint(|tx| person(tx.conn(), "p2", "a@example.com"));
        assert_eq!(duplicate.as_ref().err().and_then(violated_unique_index), Some(UniqueIndex::PersonsEmail));
        // On PostgreSQL this statement would fail with "current transaction is aborted" without the savepoint.
        person(tx.conn(), "p3", "c@example.com")
    })?;
    let ids: Vec<String> = persons::table.select(persons::id).order(persons::id).load(&mut conn)?;
    assert_eq!(ids, vec!["p1".to_owned(), "p3".to_owned()]);
    Ok(())
}

fn kernel_free_id() -> String {
    uuid::Uuid::new_v4().to_string()
}
