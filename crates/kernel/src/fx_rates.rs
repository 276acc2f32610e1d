use std::collections::BTreeMap;
use std::str::FromStr;

use anyhow::{Context as _, bail};
use rust_decimal::Decimal;

use crate::Currency;

const BUILT_IN: &str = include_str!("../data/fx-rates.csv");

/// The mid-market rates table (providers.md, section 2): units of each currency one US dollar buys.
///
/// It also decides which currencies can carry amounts: those in the table that have an ISO 4217 minor unit.
#[derive(Debug, Clone)]
pub struct FxRates {
    units_per_usd: BTreeMap<Currency, Decimal>,
}

impl FxRates {
    /// The table shipped in the binary.
    pub fn built_in() -> anyhow::Result<Self> {
        Self::parse(BUILT_IN).context("the built-in FX rates table is malformed")
    }

    /// A replacement table (`FX_RATES_FILE`).
    pub fn from_file(path: &str) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read FX_RATES_FILE {path}"))?;
        Self::parse(&text).with_context(|| format!("FX_RATES_FILE {path} is malformed"))
    }

    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let mut lines = text
            .lines()
            .enumerate()
            .map(|(i, line)| (i + 1, line.trim()))
            .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'));
        match lines.next() {
            Some((_, "currency,units_per_usd")) => {}
            Some((n, other)) => {
                bail!("line {n}: expected the header `currency,units_per_usd`, found {other:?}")
            }
            None => bail!("the table is empty"),
        }
        let mut units_per_usd = BTreeMap::new();
        for (n, line) in lines {
            let (code, rate) = line.split_once(',').with_context(|| format!("line {n}: expected `CUR,rate`"))?;
            let currency = Currency::from_str(code.trim())
                .with_context(|| format!("line {n}: {code:?} is not an ISO 4217 code"))?;
            let rate =
                Decimal::from_str(rate.trim()).with_context(|| format!("line {n}: {rate:?} is not a decimal"))?;
            if rate <= Decimal::ZERO || rate.scale() > 10 {
                bail!("line {n}: the rate must be positive with at most 10 decimals");
            }
            if units_per_usd.insert(currency, rate).is_some() {
                bail!("line {n}: {currency} appears twice");
            }
        }
        if units_per_usd.get(&Currency::USD) != Some(&Decimal::ONE) {
            bail!("the table must have the row USD,1");
        }
        Ok(Self { units_per_usd })
    }

    /// True when amounts can be given in this currency.
    pub fn carries_amounts(&self, currency: Currency) -> bool {
        self.units_per_usd.contains_key(&currency) && currency.exponent().is_some()
    }

    pub fn units_per_usd(&self, currency: Currency) -> Option<Decimal> {
        self.units_per_usd.get(&currency).copied()
    }

    /// The mid-market rate mid(from→to): units of `to` per unit of `from`, `units_per_usd[to] ÷
    /// units_per_usd[from]`, exact to rust_decimal's 28 significant digits and not rounded (providers.md, "Rates").
    /// `None` when either currency is not in the table.
    pub fn mid(&self, from: Currency, to: Currency) -> Option<Decimal> {
        if from == to {
            return self.units_per_usd.contains_key(&from).then_some(Decimal::ONE);
        }
        self.units_per_usd(to)?.checked_div(self.units_per_usd(from)?)
    }

    /// The currencies of the table, in code order.
    pub fn currencies(&self) -> impl Iterator<Item = Currency> + '_ {
        self.units_per_usd.keys().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_table_has_the_contract_currencies() -> anyhow::Result<()> {
        let rates = FxRates::built_in()?;
        assert!(rates.carries_amounts(Currency::USD));
        assert!(rates.carries_amounts(Currency::JPY));
        assert_eq!(rates.units_per_usd(Currency::CAD), Decimal::from_str("1.365").ok());
        assert!(!rates.carries_amounts(Currency::XAU));
        assert!(!rates.carries_amounts(Currency::KWD));
        Ok(())
    }

    #[test]
    fn mid_rates_are_exact_quotients() -> anyhow::Result<()> {
        let rates = FxRates::built_in()?;
        let cad_usd = rates.mid(Currency::CAD, Currency::USD).context("CAD and USD are in the table")?;
        assert_eq!(
            cad_usd.round_dp_with_strategy(10, rust_decimal::RoundingStrategy::ToZero),
            Decimal::from_str("0.7326007326")?
        );
        // Not rounded: the quotient keeps rust_decimal's full precision.
        assert!(cad_usd.scale() >= 27, "{cad_usd}");
        assert_eq!(rates.mid(Currency::USD, Currency::CAD), Decimal::from_str("1.365").ok());
        assert_eq!(
            rates.mid(Currency::EUR, Currency::GBP),
            Some(Decimal::from_str("0.79")? / Decimal::from_str("0.92")?)
        );
        for currency in rates.currencies() {
            assert_eq!(rates.mid(currency, currency), Some(Decimal::ONE), "{currency}");
        }
        assert_eq!(rates.mid(Currency::KWD, Currency::USD), None);
        assert_eq!(rates.mid(Currency::USD, Currency::KWD), None);
        assert_eq!(rates.mid(Currency::KWD, Currency::KWD), None);
        Ok(())
    }

    #[test]
    fn lists_the_table_currencies() -> anyhow::Result<()> {
        let rates = FxRates::built_in()?;
        let currencies: Vec<Currency> = rates.currencies().collect();
        assert_eq!(currencies.len(), 18);
        assert!(currencies.contains(&Currency::USD) && currencies.contains(&Currency::ZAR));
        assert!(!currencies.contains(&Currency::KWD));
        let small = FxRates::parse("currency,units_per_usd\nUSD,1\nEUR,0.9\n")?;
        assert_eq!(small.currencies().collect::<Vec<_>>(), vec![Currency::EUR, Currency::USD]);
        Ok(())
    }

    #[test]
    fn names_the_bad_line() {
        let err = FxRates::parse("currency,units_per_usd\nUSD,1\nEUR,abc\n").map(|_| ()).unwrap_err_text();
        assert!(err.contains("line 3"), "{err}");
        let no_usd = FxRates::parse("currency,units_per_usd\nEUR,0.9\n").map(|_| ()).unwrap_err_text();
        assert!(no_usd.contains("USD,1"), "{no_usd}");
    }

    trait ErrText {
        fn unwrap_err_text(self) -> String;
    }

    impl ErrText for anyhow::Result<()> {
        fn unwrap_err_text(self) -> String {
            self.err().map(|e| format!("{e:#}")).unwrap_or_default()
        }
    }
}
