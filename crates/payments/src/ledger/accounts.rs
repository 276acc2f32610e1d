//! The ledger accounts of flows.md section 11. A ledger account holds one currency; the currency is kept beside
//! the name (a posting's own field), so `name[C]` is a [`LedgerAccount`] and a [`Currency`].

use std::fmt;

use kernel::{AccountId, Currency};

/// A ledger account's name, without its currency.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LedgerAccount {
    /// `bank:<bankAccountId>`: a customer's bank account outside borderless (a counterpart).
    Bank(String),
    /// `funding:<accountId>`: the account's funding balance, held by borderless; never negative.
    Funding(AccountId),
    /// `deposits`: money that entered funding balances from outside.
    Deposits,
    /// `clearing`: payer totals collected and not yet paid out or given back.
    Clearing,
    /// `fx`: borderless's position with the financial provider from trades.
    Fx,
    /// `in_transit`: beneficiary totals paid out and not yet arrived.
    InTransit,
    /// `fees`: fee income.
    Fees,
}

/// Where a payment's payer total comes from and is given back to (flows.md section 11, "source").
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum FundingSource {
    /// The payer's funding bank account: `bank:<bankAccountId>[P]`.
    BankAccount(String),
    /// The payer account's funding balance: `funding:<accountId>[P]`.
    FundingBalance(AccountId),
}

impl FundingSource {
    pub fn ledger_account(&self) -> LedgerAccount {
        match self {
            Self::BankAccount(id) => LedgerAccount::Bank(id.clone()),
            Self::FundingBalance(id) => LedgerAccount::Funding(id.clone()),
        }
    }
}

impl LedgerAccount {
    /// The name as the spec writes it and the database stores it: `bank:<id>`, `funding:<id>`, `clearing`, ….
    pub fn name(&self) -> String {
        match self {
            Self::Bank(id) => format!("bank:{id}"),
            Self::Funding(id) => format!("funding:{id}"),
            Self::Deposits => "deposits".to_owned(),
            Self::Clearing => "clearing".to_owned(),
            Self::Fx => "fx".to_owned(),
            Self::InTransit => "in_transit".to_owned(),
            Self::Fees => "fees".to_owned(),
        }
    }

    /// The account a stored name denotes; `None` for a name no ledger account has (an empty id included).
    pub fn parse(name: &str) -> Option<Self> {
        let account = match name {
            "deposits" => Self::Deposits,
            "clearing" => Self::Clearing,
            "fx" => Self::Fx,
            "in_transit" => Self::InTransit,
            "fees" => Self::Fees,
            _ => match name.split_once(':') {
                Some(("bank", id)) if !id.is_empty() => Self::Bank(id.to_owned()),
                Some(("funding", id)) if !id.is_empty() => Self::Funding(AccountId::from_text(id)),
                _ => return None,
            },
        };
        Some(account)
    }

    /// `name[C]`, the spec's notation for the account in one currency.
    pub fn in_currency(&self, currency: Currency) -> String {
        format!("{}[{currency}]", self.name())
    }
}

impl fmt::Display for LedgerAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_render_as_the_spec_writes_them_and_parse_back() {
        let accounts = [
            (LedgerAccount::Bank("ba-1".to_owned()), "bank:ba-1"),
            (LedgerAccount::Funding(AccountId::from_text("acc-1")), "funding:acc-1"),
            (LedgerAccount::Deposits, "deposits"),
            (LedgerAccount::Clearing, "clearing"),
            (LedgerAccount::Fx, "fx"),
            (LedgerAccount::InTransit, "in_transit"),
            (LedgerAccount::Fees, "fees"),
        ];
        for (account, name) in accounts {
            assert_eq!(account.name(), name);
            assert_eq!(LedgerAccount::parse(name), Some(account));
        }
        assert_eq!(LedgerAccount::Clearing.in_currency(Currency::CAD), "clearing[CAD]");
        assert_eq!(LedgerAccount::Bank("ba-1".to_owned()).in_currency(Currency::USD), "bank:ba-1[USD]");
        for unknown in ["", "bank:", "funding:", "clearing[CAD]", "bank", "wallet:x"] {
            assert_eq!(LedgerAccount::parse(unknown), None, "{unknown}");
        }
    }
}
