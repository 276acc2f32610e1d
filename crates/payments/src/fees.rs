use std::collections::BTreeMap;
use std::str::FromStr;

use anyhow::{Context as _, bail};
use kernel::{Currency, FxRates, Money};
use rust_decimal::Decimal;

const BUILT_IN: &str = include_str!("../data/fees.csv");

const HEADER: &str = "currency,international_fee,bank_wire_fee";

/// The fee schedule (providers.md section 3): per currency, borderless's flat fee on an INTERNATIONAL payment
/// paid out in it, and what a typical bank charges for an outgoing international wire paid in it (savings only).
#[derive(Debug, Clone)]
pub struct FeeSchedule {
    rows: BTreeMap<Currency, Fees>,
}

#[derive(Debug, Clone, Copy)]
struct Fees {
    international_fee: Money,
    bank_wire_fee: Money,
}

impl FeeSchedule {
    /// The schedule shipped in the binary.
    pub fn built_in() -> anyhow::Result<Self> {
        Self::parse(BUILT_IN).context("the built-in fee schedule is malformed")
    }

    /// A replacement schedule (`FEES_FILE`).
    pub fn from_file(path: &str) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read FEES_FILE {path}"))?;
        Self::parse(&text).with_context(|| format!("FEES_FILE {path} is malformed"))
    }

    /// A CSV text with the header `currency,international_fee,bank_wire_fee`, one row per currency; blank lines
    /// and lines starting with `#` are skipped. Amounts are read as exact decimals in major units of the row's
    /// currency, zero or more, with no more decimals than its ISO 4217 minor unit (`JPY,150,6500`). An error names
    /// the line.
    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let mut lines = text
            .lines()
            .enumerate()
            .map(|(i, line)| (i + 1, line.trim()))
            .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'));
        match lines.next() {
            Some((_, HEADER)) => {}
            Some((n, other)) => bail!("line {n}: expected the header `{HEADER}`, found {other:?}"),
            None => bail!("the fee schedule is empty"),
        }
        let mut rows = BTreeMap::new();
        for (n, line) in lines {
            let fields: Vec<&str> = line.split(',').map(str::trim).collect();
            let [code, international_fee, bank_wire_fee] = fields[..] else {
                bail!("line {n}: expected `CUR,international_fee,bank_wire_fee`");
            };
            let currency =
                Currency::from_str(code).with_context(|| format!("line {n}: {code:?} is not an ISO 4217 code"))?;
            let fees = Fees {
                international_fee: amount(international_fee, currency)
                    .with_context(|| format!("line {n}: international_fee"))?,
                bank_wire_fee: amount(bank_wire_fee, currency).with_context(|| format!("line {n}: bank_wire_fee"))?,
            };
            if rows.insert(currency, fees).is_some() {
                bail!("line {n}: {currency} appears twice");
            }
        }
        Ok(Self { rows })
    }

    /// Checked at start, after both tables are read: every currency of the rates table can be paid in and paid
    /// out, so each needs a row. Rows for other currencies are harmless and unused.
    pub fn covers(&self, rates: &FxRates) -> anyhow::Result<()> {
        let missing: Vec<String> =
            rates.currencies().filter(|c| !self.rows.contains_key(c)).map(|c| c.to_string()).collect();
        if !missing.is_empty() {
            bail!(
                "the fee schedule has no row for {} (every currency of the rates table needs one)",
                missing.join(", ")
            );
        }
        Ok(())
    }

    /// borderless's flat fee on an INTERNATIONAL payment paid out in `currency`, in that currency.
    pub fn international_fee(&self, currency: Currency) -> Option<Money> {
        self.rows.get(&currency).map(|fees| fees.international_fee)
    }

    /// A typical bank's fee for an international wire paid in `currency`, in that currency.
    pub fn bank_wire_fee(&self, currency: Currency) -> Option<Money> {
        self.rows.get(&currency).map(|fees| fees.bank_wire_fee)
    }
}

/// An exact amount of a fee: never rounded, so a schedule cannot say more than its currency can carry.
fn amount(text: &str, currency: Currency) -> anyhow::Result<Money> {
    let exponent = currency.exponent().with_context(|| format!("{currency} has no ISO 4217 minor unit"))?;
    // Plain digits only: no sign (a fee is never negative) and no exponent, which `Decimal::from_str` would take.
    let plain = text.split_once('.').map_or(text, |(whole, _)| whole);
    let fraction = text.split_once('.').map_or("0", |(_, fraction)| fraction);
    if [plain, fraction].iter().any(|part| part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit())) {
        bail!("{text:?} is not a decimal of zero or more");
    }
    let value = Decimal::from_str(text).with_context(|| format!("{text:?} is out of range"))?;
    if value.normalize().scale() > exponent {
        bail!("{text:?} has more decimals than {currency} allows ({exponent})");
    }
    Money::round_half_even(value, currency).map_err(|e| anyhow::anyhow!("{text:?} is out of range: {e:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn money(minor: i64, currency: Currency) -> Option<Money> {
        Money::from_minor_units(minor, currency).ok()
    }

    fn error_text(text: &str) -> String {
        FeeSchedule::parse(text).err().map(|e| format!("{e:#}")).unwrap_or_default()
    }

    #[test]
    fn built_in_schedule_is_the_contract_table() -> anyhow::Result<()> {
        let fees = FeeSchedule::built_in()?;
        let rates = FxRates::built_in()?;
        fees.covers(&rates)?;
        assert_eq!(fees.rows.len(), 18);
        assert_eq!(fees.international_fee(Currency::USD), money(100, Currency::USD));
        assert_eq!(fees.bank_wire_fee(Currency::USD), money(4500, Currency::USD));
        assert_eq!(fees.international_fee(Currency::GBP), money(100, Currency::GBP));
        assert_eq!(fees.bank_wire_fee(Currency::GBP), money(3500, Currency::GBP));
        assert_eq!(fees.international_fee(Currency::CAD), money(150, Currency::CAD));
        assert_eq!(fees.bank_wire_fee(Currency::CAD), money(5000, Currency::CAD));
        // JPY has no decimals: 150 yen is 150 minor units.
        assert_eq!(fees.international_fee(Currency::JPY), money(150, Currency::JPY));
        assert_eq!(fees.bank_wire_fee(Currency::JPY), money(6500, Currency::JPY));
        assert_eq!(fees.international_fee(Currency::INR), money(8000, Currency::INR));
        assert_eq!(fees.bank_wire_fee(Currency::INR), money(350_000, Currency::INR));
        assert_eq!(fees.international_fee(Currency::ZAR), money(1800, Currency::ZAR));
        assert_eq!(fees.international_fee(Currency::KWD), None);
        assert_eq!(fees.bank_wire_fee(Currency::KWD), None);
        Ok(())
    }

    #[test]
    fn reads_three_decimal_currencies_exactly() -> anyhow::Result<()> {
        let fees =
            FeeSchedule::parse("# test\ncurrency,international_fee,bank_wire_fee\n\nKWD, 0.305 ,12.5\nJPY,0,0\n")?;
        assert_eq!(fees.international_fee(Currency::KWD), money(305, Currency::KWD));
        assert_eq!(fees.bank_wire_fee(Currency::KWD), money(12_500, Currency::KWD));
        assert_eq!(fees.international_fee(Currency::JPY), money(0, Currency::JPY));
        Ok(())
    }

    #[test]
    fn names_the_bad_line() {
        let header = "currency,international_fee,bank_wire_fee\nUSD,1.00,45.00\n";
        for (row, says) in [
            ("EUR,abc,40.00", "not a decimal"),
            ("EUR,1.00,1e3", "not a decimal"),
            ("EUR,+1.00,40.00", "not a decimal"),
            ("EUR,1.,40.00", "not a decimal"),
            ("EUR,.5,40.00", "not a decimal"),
            ("EUR,,40.00", "not a decimal"),
            ("EUR,1.00", "expected `CUR,international_fee,bank_wire_fee`"),
            ("EUR,1.00,40.00,1", "expected `CUR,international_fee,bank_wire_fee`"),
            ("EUX,1.00,40.00", "not an ISO 4217 code"),
            ("EUR,1.005,40.00", "more decimals than EUR allows"),
            ("JPY,150.5,6500", "more decimals than JPY allows"),
            ("EUR,-1.00,40.00", "not a decimal of zero or more"),
            ("XAU,1,1", "no ISO 4217 minor unit"),
            ("EUR,1.00,10000000000000.00", "out of range"),
            ("USD,1.00,45.00", "USD appears twice"),
        ] {
            let err = error_text(&format!("{header}{row}\n"));
            assert!(err.contains("line 3") && err.contains(says), "{row}: {err}");
        }
        assert!(error_text("currency,fee\nUSD,1\n").contains("line 1"));
        assert!(error_text("# nothing\n").contains("empty"));
    }

    #[test]
    fn every_rate_currency_needs_a_row() -> anyhow::Result<()> {
        let rates = FxRates::parse("currency,units_per_usd\nUSD,1\nEUR,0.92\nGBP,0.79\n")?;
        let fees = FeeSchedule::parse("currency,international_fee,bank_wire_fee\nUSD,1.00,45.00\nJPY,150,6500\n")?;
        let err = fees.covers(&rates).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("EUR, GBP"), "{err}");
        Ok(())
    }

    #[test]
    fn reads_a_replacement_file() -> anyhow::Result<()> {
        let dir = std::env::temp_dir().join(format!("payments-fees-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let path = dir.join("fees.csv");
        std::fs::write(&path, "currency,international_fee,bank_wire_fee\nUSD,2.50,30.00\n")?;
        let path = path.to_str().context("a UTF-8 path")?;
        let fees = FeeSchedule::from_file(path)?;
        assert_eq!(fees.international_fee(Currency::USD), money(250, Currency::USD));
        std::fs::write(path, "currency,international_fee,bank_wire_fee\nUSD,2.505,30.00\n")?;
        let err = FeeSchedule::from_file(path).err().map(|e| format!("{e:#}")).unwrap_or_default();
        assert!(err.contains("FEES_FILE") && err.contains("line 2"), "{err}");
        std::fs::remove_dir_all(&dir)?;
        assert!(FeeSchedule::from_file(path).is_err());
        Ok(())
    }
}
