use std::sync::OnceLock;

use super::{loaded, read_rows, same_word};

const JOB_TITLES_CSV: &str = include_str!("../../data/job_titles.csv");

#[derive(serde::Deserialize)]
struct Row {
    title: String,
}

/// The job titles a business representative or a company officer can hold, in the contract's order.
pub fn job_titles() -> &'static [String] {
    static PARSED: OnceLock<Vec<String>> = OnceLock::new();
    PARSED.get_or_init(|| loaded("job_titles.csv", read_rows::<Row>(JOB_TITLES_CSV).map(titles)))
}

/// The title `text` names, ignoring case and surrounding white space, in the list's spelling (`"accountant"`
/// is `Accountant`); `None` when it names none (I-4327).
pub fn job_title(text: &str) -> Option<&'static str> {
    job_titles().iter().find(|title| same_word(text, title)).map(String::as_str)
}

fn titles(rows: Vec<Row>) -> Vec<String> {
    rows.into_iter().map(|row| row.title).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_the_contracts() {
        let titles = job_titles();
        assert_eq!(titles.len(), 15);
        assert_eq!(titles.first().map(String::as_str), Some("Chief Executive Officer"));
        assert_eq!(titles.last().map(String::as_str), Some("Other"));
        assert!(titles.iter().all(|title| title.is_ascii()));
    }

    #[test]
    fn a_title_is_matched_ignoring_case_and_answered_in_the_lists_spelling() {
        assert_eq!(job_title("accountant"), Some("Accountant"));
        assert_eq!(job_title(" CHIEF executive OFFICER "), Some("Chief Executive Officer"));
        assert_eq!(job_title("vice president"), Some("Vice President"));
        assert_eq!(job_title("CEO"), None);
        assert_eq!(job_title("Chief"), None);
        assert_eq!(job_title(""), None);
    }
}
