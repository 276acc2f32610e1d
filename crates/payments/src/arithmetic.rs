//! The money arithmetic of flows.md section 9, steps 1 to 6: one pure computation from a definition and a rate
//! to both sides of a payment. Every step rounds half-even once, to the minor unit of the step's currency, from
//! exact decimals; amounts are then integer minor units.

use kernel::{Currency, Money, MoneyError};
use rust_decimal::Decimal;

use crate::{BasisPoints, FeeSchedule, MidRate, PricingError, Rate};

kernel::stored_enum! {
    /// Which side's amount the entered amount fixes (`QuoteBasis`).
    pub enum QuoteBasis {
        /// The amount is in the payer's currency; the beneficiary's amount follows from the rate.
        Payer = "PAYER",
        /// The amount is in the beneficiary's currency; the payer's amount follows from the rate.
        Beneficiary = "BENEFICIARY",
    }
}

/// `PaymentType`: LOCAL when the payer and beneficiary currencies are the same, INTERNATIONAL otherwise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PaymentType {
    Local,
    International,
}

/// What the payer asked for, as pricing needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PaymentDefinition {
    /// P: the currency the payer pays in.
    pub payer_currency: Currency,
    /// B: the currency the beneficiary is paid in.
    pub beneficiary_currency: Currency,
    /// A: in P with basis PAYER, in B with basis BENEFICIARY; positive.
    pub amount: Money,
    pub quote_basis: QuoteBasis,
    /// `payerAcceptedFees`: the payer pays the fee on top instead of the beneficiary bearing it. Refunds carry no
    /// fee, so it changes nothing there.
    pub payer_accepted_fees: bool,
}

/// Both sides of a priced payment or refund.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PaymentAmounts {
    /// In P.
    pub payer_sub: Money,
    /// In P: the fee converted at r when the payer accepted it, else 0.
    pub payer_fee: Money,
    /// In P: payer_sub + payer_fee, what leaves the payer.
    pub payer_total: Money,
    /// In B.
    pub beneficiary_sub: Money,
    /// In B: the fee when the beneficiary bears it, else 0.
    pub beneficiary_fee: Money,
    /// In B: beneficiary_sub − beneficiary_fee, what reaches the beneficiary; positive.
    pub beneficiary_total: Money,
    /// r, `payerToBeneficiaryFX`.
    pub rate: Rate,
    /// 1 ÷ r at 6 decimals, display only.
    pub inverted_rate: Decimal,
    pub payment_type: PaymentType,
    /// In P: what a typical bank would take more than borderless for the same beneficiary total. `None` for
    /// LOCAL payments, for refunds, and when it is not positive.
    pub savings: Option<Money>,
}

/// Prices a payment (flows.md section 9, steps 1 to 6).
///
/// `rate` is the quote's r (exactly 1 when P = B); `mid` is mid(P→B), used only for savings; `bank_fx_markup` is
/// `BANK_FX_MARKUP_BPS`. The fee is the international fee of B from `fees` for an INTERNATIONAL payment and 0 for
/// a LOCAL one. A beneficiary total of 0 or less is refused with [`PricingError::TooSmallToCoverFee`] (I-4747).
pub fn price_payment(
    definition: &PaymentDefinition,
    rate: Rate,
    mid: MidRate,
    fees: &FeeSchedule,
    bank_fx_markup: BasisPoints,
) -> Result<PaymentAmounts, PricingError> {
    let payment_type = payment_type(definition, rate)?;
    let beneficiary = definition.beneficiary_currency;
    let fee = match payment_type {
        PaymentType::Local => zero(beneficiary)?,
        PaymentType::International => fees.international_fee(beneficiary).ok_or(PricingError::NoFees(beneficiary))?,
    };
    let mut amounts = price(definition, rate, payment_type, fee)?;
    if payment_type == PaymentType::International {
        let payer = definition.payer_currency;
        let bank_wire_fee = fees.bank_wire_fee(payer).ok_or(PricingError::NoFees(payer))?;
        amounts.savings = savings(&amounts, mid, bank_fx_markup, bank_wire_fee)?;
    }
    Ok(amounts)
}

/// Prices a refund (flows.md sections 9 and 10): as a payment, with no fee and no savings. The refund's payer is
/// the account refunding, its beneficiary the original payer. A beneficiary total of 0 or less (a tiny amount
/// with basis PAYER that rounds to nothing) is refused as for payments, with
/// [`PricingError::TooSmallToCoverFee`]; the refund pages name no code for it.
pub fn price_refund(definition: &PaymentDefinition, rate: Rate) -> Result<PaymentAmounts, PricingError> {
    let payment_type = payment_type(definition, rate)?;
    price(definition, rate, payment_type, zero(definition.beneficiary_currency)?)
}

/// Step 1: the type follows from the currencies; a LOCAL payment is priced at exactly 1.
fn payment_type(definition: &PaymentDefinition, rate: Rate) -> Result<PaymentType, PricingError> {
    if definition.payer_currency != definition.beneficiary_currency {
        Ok(PaymentType::International)
    } else if rate == Rate::ONE {
        Ok(PaymentType::Local)
    } else {
        Err(PricingError::LocalRateNotOne(rate))
    }
}

/// Steps 3 to 5, with the fee F in B already decided (step 2).
fn price(
    definition: &PaymentDefinition,
    rate: Rate,
    payment_type: PaymentType,
    fee: Money,
) -> Result<PaymentAmounts, PricingError> {
    let PaymentDefinition { payer_currency: payer, beneficiary_currency: beneficiary, amount, .. } = *definition;
    let r = rate.to_decimal();
    let fixed = match definition.quote_basis {
        QuoteBasis::Payer => payer,
        QuoteBasis::Beneficiary => beneficiary,
    };
    if amount.currency() != fixed {
        return Err(PricingError::AmountCurrency { expected: fixed, found: amount.currency() });
    }
    if !amount.is_positive() {
        return Err(PricingError::AmountNotPositive);
    }
    let (payer_sub, beneficiary_sub) = match definition.quote_basis {
        QuoteBasis::Payer => (amount, round(amount.to_decimal().checked_mul(r), beneficiary)?),
        QuoteBasis::Beneficiary => (round(amount.to_decimal().checked_div(r), payer)?, amount),
    };
    if !payer_sub.is_positive() {
        return Err(PricingError::PayerAmountRoundsToZero);
    }
    let (payer_fee, beneficiary_fee) = if definition.payer_accepted_fees {
        (round(fee.to_decimal().checked_div(r), payer)?, zero(beneficiary)?)
    } else {
        (zero(payer)?, fee)
    };
    let payer_total = payer_sub.checked_add(payer_fee).ok_or(MoneyError::TooLarge(payer))?;
    let beneficiary_total = beneficiary_sub.checked_sub(beneficiary_fee).ok_or(MoneyError::TooLarge(beneficiary))?;
    if !beneficiary_total.is_positive() {
        return Err(PricingError::TooSmallToCoverFee);
    }
    Ok(PaymentAmounts {
        payer_sub,
        payer_fee,
        payer_total,
        beneficiary_sub,
        beneficiary_fee,
        beneficiary_total,
        rate,
        inverted_rate: rate.inverted(),
        payment_type,
        savings: None,
    })
}

/// Step 6: bankRate = mid × (1 − markup), not rounded; bankAmount = round_P(beneficiaryTotal ÷ bankRate) + the
/// bank wire fee of P; savings = bankAmount − payerTotal, kept only when positive.
fn savings(
    amounts: &PaymentAmounts,
    mid: MidRate,
    bank_fx_markup: BasisPoints,
    bank_wire_fee: Money,
) -> Result<Option<Money>, PricingError> {
    let payer = amounts.payer_total.currency();
    let bank_rate = mid.less(bank_fx_markup);
    let converted = round(bank_rate.and_then(|rate| amounts.beneficiary_total.to_decimal().checked_div(rate)), payer)?;
    let bank_amount = converted.checked_add(bank_wire_fee).ok_or(MoneyError::TooLarge(payer))?;
    let savings = bank_amount.checked_sub(amounts.payer_total).ok_or(MoneyError::TooLarge(payer))?;
    Ok(savings.is_positive().then_some(savings))
}

/// `round_X`: half-even to the minor unit of `currency`, once. `None` is a decimal overflow on the way.
fn round(value: Option<Decimal>, currency: Currency) -> Result<Money, MoneyError> {
    Money::round_half_even(value.ok_or(MoneyError::TooLarge(currency))?, currency)
}

fn zero(currency: Currency) -> Result<Money, MoneyError> {
    Money::from_minor_units(0, currency)
}

#[cfg(test)]
mod tests;
