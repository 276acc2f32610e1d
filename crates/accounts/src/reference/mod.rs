//! The reference lists account setup takes its values from: ISO 3166-2 zone codes, NAICS 2022 industry codes,
//! job titles, business types and identification types (countries are in `countries.rs`). Each list is a data
//! file of `data/`, compiled in and parsed once, on first use.

mod business_types;
mod identification_types;
mod job_titles;
mod naics;
mod zones;

pub use business_types::{BusinessType, business_type, business_types};
pub use identification_types::{IdentificationType, identification_type, identification_types};
pub use job_titles::{job_title, job_titles};
pub use naics::{NAICS_DEFAULT_FIRST, NaicsCode, NaicsFirstOutOfRange, is_naics_code, naics_codes, naics_search};
pub use zones::{ZoneCode, is_zone_code, is_zone_of, zone_codes};

use anyhow::Context as _;
use serde::de::DeserializeOwned;

/// The rows of a data file (lines starting with `#` are comments).
fn read_rows<R: DeserializeOwned>(text: &str) -> anyhow::Result<Vec<R>> {
    let mut reader = csv::ReaderBuilder::new().comment(Some(b'#')).from_reader(text.as_bytes());
    reader.deserialize().enumerate().map(|(i, row)| row.with_context(|| format!("row {}", i + 1))).collect()
}

/// The parsed list, for the lookups. The files are compiled in and the unit tests read every one whole, so a
/// malformed file is a build no test passed: it stops the request (answered E-0000) rather than letting a
/// lookup answer from a partial list.
fn loaded<T>(file: &str, parsed: anyhow::Result<Vec<T>>) -> Vec<T> {
    match parsed {
        Ok(entries) => entries,
        Err(error) => panic!("data/{file} is malformed: {error:#}"),
    }
}

/// Whether `text`, trimmed, equals `word` ignoring ASCII case (the lists are ASCII, which a test checks).
fn same_word(text: &str, word: &str) -> bool {
    text.trim().eq_ignore_ascii_case(word)
}
