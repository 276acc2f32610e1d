use rand::RngCore;
use subtle::ConstantTimeEq;

/// True when `given` equals `expected` exactly. The comparison takes as long whatever the inputs share, so an
/// attacker cannot find a secret one character at a time.
pub(crate) fn matches(expected: &str, given: &str) -> bool {
    expected.as_bytes().ct_eq(given.as_bytes()).into()
}

/// `BYTES` random bytes from the operating system's generator, as lower-case hex.
pub(crate) fn random_hex<const BYTES: usize>() -> String {
    let mut bytes = [0u8; BYTES];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}
