use std::sync::OnceLock;

use anyhow::ensure;
use kernel::{ApiError, ContractError};

use super::{loaded, read_rows};

const NAICS_CSV: &str = include_str!("../../data/naics.csv");

/// How many codes a search returns when the caller does not say.
pub const NAICS_DEFAULT_FIRST: i32 = 50;

/// Most codes one search may return (`first` is 1 to this).
const MAX_FIRST: i32 = 500;

/// One six-digit NAICS 2022 industry ("national industry").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NaicsCode {
    pub code: String,
    /// The official title, without the Census tables' trailing T / US markers.
    pub title: String,
    /// The title in ASCII lower case, what a text search is matched against.
    folded_title: String,
}

#[derive(serde::Deserialize)]
struct Row {
    code: String,
    title: String,
}

/// A search asked for fewer than 1 or more than 500 codes: I-4333.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NaicsFirstOutOfRange;

impl From<NaicsFirstOutOfRange> for ApiError {
    fn from(_: NaicsFirstOutOfRange) -> Self {
        ContractError::NaicsFirstOutOfRange.into()
    }
}

/// Every six-digit code, ordered by code.
pub fn naics_codes() -> &'static [NaicsCode] {
    static PARSED: OnceLock<Vec<NaicsCode>> = OnceLock::new();
    PARSED.get_or_init(|| loaded("naics.csv", parse(NAICS_CSV)))
}

/// Whether `code` is a six-digit NAICS 2022 code (what an account's `industry` must be, I-4326).
pub fn is_naics_code(code: &str) -> bool {
    naics_codes().binary_search_by(|naics| naics.code.as_str().cmp(code)).is_ok()
}

/// The first `first` codes matching `search`, by code. `search` is trimmed and its runs of white space made
/// one space; empty, it matches every code. Digits only match the start of the code; any other text matches
/// the title where a word begins (the title's start, or after a character that is not a letter or digit),
/// ignoring case.
pub fn naics_search(search: Option<&str>, first: i32) -> Result<Vec<&'static NaicsCode>, NaicsFirstOutOfRange> {
    if !(1..=MAX_FIRST).contains(&first) {
        return Err(NaicsFirstOutOfRange);
    }
    let limit = usize::try_from(first).map_err(|_| NaicsFirstOutOfRange)?;
    let search = search.unwrap_or_default().split_whitespace().collect::<Vec<_>>().join(" ");
    let by_code = search.chars().all(|c| c.is_ascii_digit());
    let needle = search.to_ascii_lowercase();
    let matches = |naics: &NaicsCode| {
        if by_code { naics.code.starts_with(search.as_str()) } else { starts_a_word(&naics.folded_title, &needle) }
    };
    Ok(naics_codes().iter().filter(|naics| matches(naics)).take(limit).collect())
}

/// Whether `needle` occurs in `text` at the start of `text` or right after a character that is not a letter
/// or digit.
fn starts_a_word(text: &str, needle: &str) -> bool {
    text.match_indices(needle)
        .any(|(at, _)| text[..at].chars().next_back().is_none_or(|before| !before.is_alphanumeric()))
}

fn parse(text: &str) -> anyhow::Result<Vec<NaicsCode>> {
    let codes: Vec<NaicsCode> = read_rows::<Row>(text)?
        .into_iter()
        .map(|row| NaicsCode { folded_title: row.title.to_ascii_lowercase(), code: row.code, title: row.title })
        .collect();
    for naics in &codes {
        ensure!(naics.code.len() == 6 && naics.code.bytes().all(|b| b.is_ascii_digit()), "code {:?}", naics.code);
        // Folding ASCII only keeps byte positions, and a search can still only match what it spells.
        ensure!(naics.title.is_ascii() && !naics.title.trim().is_empty(), "title of {}", naics.code);
    }
    // Searches answer in code order and look codes up by binary search.
    for pair in codes.windows(2) {
        ensure!(pair[0].code < pair[1].code, "{} is not ordered after {}", pair[1].code, pair[0].code);
    }
    Ok(codes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn search(text: &str, first: i32) -> Vec<&'static str> {
        naics_search(Some(text), first).expect("first in range").into_iter().map(|n| n.code.as_str()).collect()
    }

    fn titles(text: &str) -> Vec<&'static str> {
        naics_search(Some(text), 500).expect("first in range").into_iter().map(|n| n.title.as_str()).collect()
    }

    #[test]
    fn the_list_is_the_2022_six_digit_level() {
        assert_eq!(naics_codes().len(), 1_012);
        assert!(is_naics_code("522320") && is_naics_code("513210") && is_naics_code("111110"));
        assert!(!is_naics_code("511210") && !is_naics_code("454110"));
        assert!(!is_naics_code("52") && !is_naics_code("5223") && !is_naics_code("5223200"));
        let processing = naics_codes().iter().find(|n| n.code == "522320").expect("522320");
        assert_eq!(processing.title, "Financial Transactions Processing, Reserve, and Clearinghouse Activities");
    }

    #[test]
    fn digits_match_the_start_of_the_code() {
        assert_eq!(search("5223", 50), ["522310", "522320", "522390"]);
        assert_eq!(search(" 522320 ", 50), ["522320"]);
        assert!(search("5223201", 50).is_empty());
        assert!(search("511210", 50).is_empty());
    }

    #[test]
    fn text_matches_where_a_word_of_the_title_begins() {
        let soft = titles("soft");
        assert!(soft.contains(&"Software Publishers") && soft.contains(&"Soft Drink Manufacturing"), "{soft:?}");
        let ware = titles("ware");
        assert!(ware.contains(&"General Warehousing and Storage"), "{ware:?}");
        assert!(!ware.contains(&"Software Publishers"), "{ware:?}");
        assert_eq!(titles("computer prog"), ["Custom Computer Programming Services"]);
        assert_eq!(titles("  COMPUTER \t prog "), ["Custom Computer Programming Services"]);
        assert!(titles("bank").contains(&"Monetary Authorities-Central Bank"));
        assert_eq!(search("software", 10), ["423430", "513210"]);
        assert!(titles("oftware").is_empty());
    }

    #[test]
    fn no_search_lists_every_code_up_to_first() {
        let all = naics_search(None, 500).expect("first in range");
        assert_eq!((all.len(), all[0].code.as_str(), all[0].title.as_str()), (500, "111110", "Soybean Farming"));
        assert_eq!(naics_search(Some("   "), 50).expect("first in range").len(), 50);
        assert_eq!(search("", 1), ["111110"]);
        // Without paging, every code is reached by its two-digit prefix: none has more than 500.
        let mut reached = 0;
        for sector in 10..100 {
            let codes = search(&sector.to_string(), 500);
            assert!(codes.len() < 500, "sector {sector}");
            reached += codes.len();
        }
        assert_eq!(reached, 1_012);
    }

    #[test]
    fn first_is_between_1_and_500() {
        for first in [0, -1, 501, i32::MAX, i32::MIN] {
            assert_eq!(naics_search(None, first), Err(NaicsFirstOutOfRange), "{first}");
        }
        assert!(naics_search(Some("bank"), 1).is_ok() && naics_search(Some("bank"), 500).is_ok());
    }
}
