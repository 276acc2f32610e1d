//! ISO code enumerations of the contract: every ISO 3166-1 alpha-2 country and every active ISO 4217 currency.
//! Which of them the service works with is configuration (supported countries, the FX rates table).

use std::fmt;
use std::str::FromStr;

macro_rules! iso_codes {
    ($(#[$meta:meta])* $name:ident: $($code:ident),+ $(,)?) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow)]
        #[diesel(sql_type = diesel::sql_types::Text)]
        #[cfg_attr(feature = "graphql", derive(juniper::GraphQLEnum), graphql(rename_all = "none"))]
        pub enum $name {
            $($code),+
        }

        impl $name {
            /// Every value, in declaration order (not `ALL`: Albania's lek is a currency named `ALL`).
            pub const VALUES: &'static [$name] = &[$($name::$code),+];

            pub fn code(self) -> &'static str {
                match self {
                    $($name::$code => stringify!($code)),+
                }
            }
        }

        impl FromStr for $name {
            type Err = UnknownCode;

            fn from_str(code: &str) -> Result<Self, UnknownCode> {
                match code {
                    $(stringify!($code) => Ok($name::$code),)+
                    _ => Err(UnknownCode(code.to_owned())),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.code())
            }
        }

        crate::text_column!($name, code);
    };
}

/// A code that is not in the enumeration (only possible for data read from files or the database).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCode(pub String);

impl fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown code {:?}", self.0)
    }
}

impl std::error::Error for UnknownCode {}

iso_codes! {
    /// ISO 3166-1 alpha-2 country codes (all officially assigned codes).
    Country: AD, AE, AF, AG, AI, AL, AM, AO, AQ, AR, AS, AT, AU, AW, AX, AZ, BA, BB, BD, BE, BF, BG, BH, BI, BJ, BL, BM, BN, BO, BQ, BR, BS, BT, BV, BW, BY, BZ, CA, CC, CD, CF, CG, CH, CI, CK, CL, CM, CN, CO, CR, CU, CV, CW, CX, CY, CZ, DE, DJ, DK, DM, DO, DZ, EC, EE, EG, EH, ER, ES, ET, FI, FJ, FK, FM, FO, FR, GA, GB, GD, GE, GF, GG, GH, GI, GL, GM, GN, GP, GQ, GR, GS, GT, GU, GW, GY, HK, HM, HN, HR, HT, HU, ID, IE, IL, IM, IN, IO, IQ, IR, IS, IT, JE, JM, JO, JP, KE, KG, KH, KI, KM, KN, KP, KR, KW, KY, KZ, LA, LB, LC, LI, LK, LR, LS, LT, LU, LV, LY, MA, MC, MD, ME, MF, MG, MH, MK, ML, MM, MN, MO, MP, MQ, MR, MS, MT, MU, MV, MW, MX, MY, MZ, NA, NC, NE, NF, NG, NI, NL, NO, NP, NR, NU, NZ, OM, PA, PE, PF, PG, PH, PK, PL, PM, PN, PR, PS, PT, PW, PY, QA, RE, RO, RS, RU, RW, SA, SB, SC, SD, SE, SG, SH, SI, SJ, SK, SL, SM, SN, SO, SR, SS, ST, SV, SX, SY, SZ, TC, TD, TF, TG, TH, TJ, TK, TL, TM, TN, TO, TR, TT, TV, TW, TZ, UA, UG, UM, US, UY, UZ, VA, VC, VE, VG, VI, VN, VU, WF, WS, YE, YT, ZA, ZM, ZW
}

iso_codes! {
    /// ISO 4217 active currency codes.
    Currency: AED, AFN, ALL, AMD, AOA, ARS, AUD, AWG, AZN, BAM, BBD, BDT, BHD, BIF, BMD, BND, BOB, BOV, BRL, BSD, BTN, BWP, BYN, BZD, CAD, CDF, CHE, CHF, CHW, CLF, CLP, CNY, COP, COU, CRC, CUP, CVE, CZK, DJF, DKK, DOP, DZD, EGP, ERN, ETB, EUR, FJD, FKP, GBP, GEL, GHS, GIP, GMD, GNF, GTQ, GYD, HKD, HNL, HTG, HUF, IDR, ILS, INR, IQD, IRR, ISK, JMD, JOD, JPY, KES, KGS, KHR, KMF, KPW, KRW, KWD, KYD, KZT, LAK, LBP, LKR, LRD, LSL, LYD, MAD, MDL, MGA, MKD, MMK, MNT, MOP, MRU, MUR, MVR, MWK, MXN, MXV, MYR, MZN, NAD, NGN, NIO, NOK, NPR, NZD, OMR, PAB, PEN, PGK, PHP, PKR, PLN, PYG, QAR, RON, RSD, RUB, RWF, SAR, SBD, SCR, SDG, SEK, SGD, SHP, SLE, SOS, SRD, SSP, STN, SVC, SYP, SZL, THB, TJS, TMT, TND, TOP, TRY, TTD, TWD, TZS, UAH, UGX, USD, USN, UYI, UYU, UYW, UZS, VED, VES, VND, VUV, WST, XAD, XAF, XAG, XAU, XBA, XBB, XBC, XBD, XCD, XCG, XDR, XOF, XPD, XPF, XPT, XSU, XTS, XUA, XXX, YER, ZAR, ZMW, ZWG
}

impl Currency {
    /// The ISO 4217 minor unit (2 for USD, 0 for JPY, 3 for KWD); `None` where ISO 4217 gives none (XAU, XXX…).
    pub fn exponent(self) -> Option<u32> {
        iso_currency::Currency::from_code(self.code()).and_then(|c| c.exponent()).map(u32::from)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn codes_parse_back_and_anything_else_is_refused(text in any::<String>(), pick in 0usize..400) {
            let _ = Country::from_str(&text);
            let _ = Currency::from_str(&text);
            let country = Country::VALUES[pick % Country::VALUES.len()];
            prop_assert_eq!(Country::from_str(country.code()), Ok(country));
            let currency = Currency::VALUES[pick % Currency::VALUES.len()];
            prop_assert_eq!(Currency::from_str(currency.code()), Ok(currency));
            prop_assert!(Country::from_str(&country.code().to_lowercase()).is_err());
        }
    }
}
