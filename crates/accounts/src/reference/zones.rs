use std::str::FromStr;
use std::sync::OnceLock;

use anyhow::{Context as _, ensure};
use kernel::Country;

use super::{loaded, read_rows};

const ZONE_CODES_CSV: &str = include_str!("../../data/zone_codes.csv");

/// One ISO 3166-2 subdivision (state, province, territory, …), at any level of the standard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneCode {
    pub country: Country,
    /// The full code, country prefix included (`US-CA`).
    pub code: String,
    pub name: String,
    /// The subdivision type as ISO 3166-2 names it (`State`, `Province`, `London borough`, …).
    pub category: String,
}

#[derive(serde::Deserialize)]
struct Row {
    code: String,
    name: String,
    category: String,
}

/// Every subdivision of every country, ordered by code (byte order): each country's are one run, found by
/// its prefix.
fn all() -> &'static [ZoneCode] {
    static PARSED: OnceLock<Vec<ZoneCode>> = OnceLock::new();
    PARSED.get_or_init(|| loaded("zone_codes.csv", parse(ZONE_CODES_CSV)))
}

/// The subdivisions of `country`, ordered by code; empty for a country ISO 3166-2 does not subdivide.
pub fn zone_codes(country: Country) -> &'static [ZoneCode] {
    let all = all();
    let start = all.partition_point(|zone| zone.country.code() < country.code());
    let end = start + all[start..].partition_point(|zone| zone.country == country);
    &all[start..end]
}

/// Whether `code` is a subdivision of `country` (what an account's `zoneCode` must be, I-4418).
pub fn is_zone_of(country: Country, code: &str) -> bool {
    zone_codes(country).binary_search_by(|zone| zone.code.as_str().cmp(code)).is_ok()
}

/// Whether `code` is a subdivision of any country (what `zoneCodeOfIncorporation` must be, I-4322).
pub fn is_zone_code(code: &str) -> bool {
    all().binary_search_by(|zone| zone.code.as_str().cmp(code)).is_ok()
}

fn parse(text: &str) -> anyhow::Result<Vec<ZoneCode>> {
    let zones = read_rows::<Row>(text)?
        .into_iter()
        .map(|row| {
            let (prefix, _) =
                row.code.split_once('-').with_context(|| format!("{} has no country prefix", row.code))?;
            let country = Country::from_str(prefix).with_context(|| row.code.clone())?;
            Ok(ZoneCode { country, code: row.code, name: row.name, category: row.category })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    // The lookups search by code and take each country's run by its prefix: both need this order.
    for pair in zones.windows(2) {
        ensure!(pair[0].code < pair[1].code, "{} is not ordered after {}", pair[1].code, pair[0].code);
    }
    Ok(zones)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    fn count(country: Country, category: &str) -> usize {
        zone_codes(country).iter().filter(|zone| zone.category == category).count()
    }

    #[test]
    fn the_shipped_edition_has_the_contract_counts() {
        assert_eq!(all().len(), 5_127);
        let countries: HashSet<Country> = all().iter().map(|zone| zone.country).collect();
        assert_eq!(countries.len(), 200);
        let sizes = [Country::US, Country::CA, Country::MX, Country::AU, Country::GB].map(|c| zone_codes(c).len());
        assert_eq!(sizes, [57, 13, 32, 8, 220]);
        assert_eq!((count(Country::US, "State"), count(Country::US, "District")), (50, 1));
        assert_eq!(count(Country::US, "Outlying area"), 6);
        assert_eq!((count(Country::CA, "Province"), count(Country::CA, "Territory")), (10, 3));
        assert_eq!((count(Country::MX, "State"), count(Country::MX, "Federal district")), (31, 1));
        assert_eq!((count(Country::AU, "State"), count(Country::AU, "Territory")), (6, 2));
        for country in [Country::VA, Country::HK, Country::PR, Country::AQ] {
            assert!(zone_codes(country).is_empty(), "{country}");
        }
    }

    #[test]
    fn each_country_gets_its_own_subdivisions_in_code_order() {
        for country in Country::VALUES {
            let zones = zone_codes(*country);
            assert!(zones.iter().all(|zone| zone.country == *country && zone.code.starts_with(country.code())));
            assert!(zones.windows(2).all(|pair| pair[0].code < pair[1].code), "{country}");
        }
        let first: Vec<&str> = zone_codes(Country::US).iter().take(6).map(|zone| zone.code.as_str()).collect();
        assert_eq!(first, ["US-AK", "US-AL", "US-AR", "US-AS", "US-AZ", "US-CA"]);
        let cmx = zone_codes(Country::MX).iter().find(|zone| zone.code == "MX-CMX").expect("MX-CMX listed");
        assert_eq!((cmx.name.as_str(), cmx.category.as_str()), ("Ciudad de México", "Federal district"));
    }

    #[test]
    fn a_zone_belongs_to_its_own_country_only() {
        assert!(is_zone_of(Country::US, "US-CA"));
        assert!(is_zone_of(Country::CA, "CA-ON"));
        assert!(is_zone_of(Country::GB, "GB-ENG"));
        assert!(!is_zone_of(Country::CA, "US-CA"));
        assert!(!is_zone_of(Country::US, "us-ca"));
        assert!(!is_zone_of(Country::US, "CA"));
        assert!(!is_zone_of(Country::HK, "HK-HK"));
        assert!(is_zone_code("MX-JAL") && is_zone_code("FR-75"));
        assert!(!is_zone_code("US-XX") && !is_zone_code(""));
    }
}
