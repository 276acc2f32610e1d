use subtle::ConstantTimeEq;

/// True when `given` equals `expected` exactly. The comparison takes as long whatever the inputs share, so an
/// attacker cannot find a secret one character at a time.
pub fn secrets_match(expected: &str, given: &str) -> bool {
    expected.as_bytes().ct_eq(given.as_bytes()).into()
}
