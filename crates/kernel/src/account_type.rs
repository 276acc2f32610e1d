crate::stored_enum! {
    // Fixed when the account is opened, so a session can carry it.
    pub enum AccountType {
        Personal = "PERSONAL",
        Business = "BUSINESS",
    }
}
