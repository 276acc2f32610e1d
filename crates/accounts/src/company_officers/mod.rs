//! Company officers of a business account: its beneficial owners and its chief executive
//! (addCompanyOfficerToAccount), their identity checks, and their submission to the financial provider
//! (canSubmitCompanyOfficers, submitCompanyOfficers).

mod add;
mod identity_check;
mod officer;
mod rules;
mod submission;

pub use add::add_company_officer;
pub(crate) use identity_check::{end_officer_check, officers_all_clear};
pub use officer::{CompanyOfficerType, IdDocumentType, NewDocument, NewOfficer};
pub use submission::{can_submit_company_officers, submit_company_officers};
