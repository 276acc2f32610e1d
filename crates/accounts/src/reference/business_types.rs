use std::sync::OnceLock;

use super::{loaded, read_rows, same_word};

const BUSINESS_TYPES_CSV: &str = include_str!("../../data/business_types.csv");

/// A legal form a business account can declare: `value` is what is stored, `label` English display text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct BusinessType {
    pub value: String,
    pub label: String,
}

/// Every business type, in the contract's order.
pub fn business_types() -> &'static [BusinessType] {
    static PARSED: OnceLock<Vec<BusinessType>> = OnceLock::new();
    PARSED.get_or_init(|| loaded("business_types.csv", read_rows(BUSINESS_TYPES_CSV)))
}

/// The business type `text` names by its value or its label, ignoring case and surrounding white space
/// (`"limited liability company"` is `LIMITED_LIABILITY_COMPANY`); `None` when it names none (I-4325).
pub fn business_type(text: &str) -> Option<&'static BusinessType> {
    business_types().iter().find(|kind| same_word(text, &kind.value) || same_word(text, &kind.label))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_the_contracts() {
        let kinds = business_types();
        assert_eq!(kinds.len(), 11);
        assert_eq!((kinds[0].value.as_str(), kinds[0].label.as_str()), ("SOLE_PROPRIETORSHIP", "Sole proprietorship"));
        assert_eq!(kinds[10].value, "GOVERNMENT_ENTITY");
        assert!(kinds.iter().all(|kind| kind.value.is_ascii() && kind.label.is_ascii()));
    }

    #[test]
    fn a_value_or_a_label_names_a_type_ignoring_case() {
        let value = |text: &str| business_type(text).map(|kind| kind.value.as_str());
        assert_eq!(value("limited liability company"), Some("LIMITED_LIABILITY_COMPANY"));
        assert_eq!(value("limited_liability_company"), Some("LIMITED_LIABILITY_COMPANY"));
        assert_eq!(value(" Publicly Traded Corporation "), Some("PUBLIC_CORPORATION"));
        assert_eq!(value("PUBLIC_CORPORATION"), Some("PUBLIC_CORPORATION"));
        assert_eq!(value("llc"), None);
        assert_eq!(value("Public corporation"), None);
        assert_eq!(value(""), None);
    }
}
