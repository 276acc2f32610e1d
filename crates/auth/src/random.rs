use rand::RngCore;

/// `N` bytes from the operating system's generator: the stuff of session ids, cookie keys and tokens.
pub(crate) fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    rand::rng().fill_bytes(&mut bytes);
    bytes
}
