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

/// Every country, ordered by name.
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
        Ok(())
    }
}
