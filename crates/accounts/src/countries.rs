use std::str::FromStr;
use std::sync::OnceLock;

use anyhow::Context as _;
use kernel::{Country, Currency};

const COUNTRIES_CSV: &str = include_str!("../data/countries.csv");

/// One ISO 3166-1 country as the reference data describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountryInfo {
    pub code: Country,
    pub alpha3: String,
    pub name: String,
    pub calling_code: Option<String>,
    pub currency: Option<Currency>,
}

#[derive(serde::Deserialize)]
struct Row {
    code: String,
    alpha3: String,
    name: String,
    calling_code: String,
    currency: String,
}

/// Every country, ordered by name with accents removed and ignoring case (the file's order, which a test
/// checks).
pub fn countries() -> anyhow::Result<&'static [CountryInfo]> {
    static PARSED: OnceLock<Result<Vec<CountryInfo>, String>> = OnceLock::new();
    PARSED
        .get_or_init(|| parse(COUNTRIES_CSV).map_err(|e| format!("{e:#}")))
        .as_deref()
        .map_err(|e| anyhow::anyhow!("{e}"))
}

pub fn country_info(code: Country) -> anyhow::Result<&'static CountryInfo> {
    countries()?
        .iter()
        .find(|c| c.code == code)
        .with_context(|| format!("country {code} is missing from the reference data"))
}

/// The countries of `supported` (the configured `SUPPORTED_COUNTRIES`), in the order of [`countries`].
pub fn supported_countries(supported: &[Country]) -> anyhow::Result<Vec<&'static CountryInfo>> {
    Ok(countries()?.iter().filter(|c| supported.contains(&c.code)).collect())
}

fn parse(text: &str) -> anyhow::Result<Vec<CountryInfo>> {
    let mut reader = csv::ReaderBuilder::new().comment(Some(b'#')).from_reader(text.as_bytes());
    reader
        .deserialize::<Row>()
        .enumerate()
        .map(|(i, row)| {
            let row = row.with_context(|| format!("countries.csv row {}", i + 1))?;
            let optional = |text: String| Some(text).filter(|t| !t.is_empty());
            Ok(CountryInfo {
                code: Country::from_str(&row.code)?,
                alpha3: row.alpha3,
                name: row.name,
                calling_code: optional(row.calling_code),
                currency: optional(row.currency).map(|c| Currency::from_str(&c)).transpose()?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covers_every_country_once() -> anyhow::Result<()> {
        let all = countries()?;
        assert_eq!(all.len(), Country::VALUES.len());
        for code in Country::VALUES {
            assert_eq!(all.iter().filter(|c| c.code == *code).count(), 1, "{code}");
        }
        let us = country_info(Country::US)?;
        assert_eq!(
            (us.alpha3.as_str(), us.calling_code.as_deref(), us.currency),
            ("USA", Some("+1"), Some(Currency::USD))
        );
        assert_eq!(country_info(Country::AQ)?.currency, None);
        let gb = country_info(Country::GB)?;
        assert_eq!(
            (gb.alpha3.as_str(), gb.name.as_str(), gb.calling_code.as_deref(), gb.currency),
            ("GBR", "United Kingdom", Some("+44"), Some(Currency::GBP))
        );
        let without_calling_code: Vec<&str> =
            all.iter().filter(|c| c.calling_code.is_none()).map(|c| c.code.code()).collect();
        assert_eq!(without_calling_code, ["AQ", "BV", "TF", "HM", "PN", "GS", "UM"]);
        Ok(())
    }

    /// The name as the contract orders it: accents removed (the few letters the names use), case ignored.
    fn sort_key(name: &str) -> String {
        name.chars()
            .map(|c| match c {
                'Å' => 'a',
                'ç' => 'c',
                'é' => 'e',
                'ô' => 'o',
                'ü' => 'u',
                c if c.is_ascii() => c.to_ascii_lowercase(),
                c => panic!("{name}: add {c:?} without its accent to this test"),
            })
            .collect()
    }

    #[test]
    fn are_ordered_by_name_without_accents_ignoring_case() -> anyhow::Result<()> {
        let all = countries()?;
        for pair in all.windows(2) {
            assert!(sort_key(&pair[0].name) < sort_key(&pair[1].name), "{} before {}", pair[0].name, pair[1].name);
        }
        let first: Vec<&str> = all.iter().take(3).map(|c| c.name.as_str()).collect();
        assert_eq!(first, ["Afghanistan", "Åland Islands", "Albania"]);
        Ok(())
    }

    #[test]
    fn the_supported_ones_keep_the_order_of_all() -> anyhow::Result<()> {
        let codes = |list: Vec<&CountryInfo>| list.iter().map(|c| c.code).collect::<Vec<_>>();
        assert_eq!(
            codes(supported_countries(&[Country::US, Country::CA, Country::US, Country::AU])?),
            [Country::AU, Country::CA, Country::US]
        );
        assert!(supported_countries(&[])?.is_empty());
        Ok(())
    }
}
