//! Randomness, in two kinds kept apart on purpose.
//!
//! - [`token`]: secrets (session and notes keys) straight from the operating
//!   system's random source. Nothing the lab sends is ever derived from it
//!   except the token itself, to its owner.
//! - [`Rng`]: a small fast generator for what may be guessed without harm
//!   (a weighted status, `/lab/bytes`). Each use seeds a fresh one from the
//!   OS source, so its output says nothing about tokens or about other
//!   requests' output.

/// A new secret: 128 bits from the OS random source, as 32 hex digits.
pub fn token() -> String {
    let mut bytes = [0u8; 16];
    fill_from_os(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn fill_from_os(buf: &mut [u8]) {
    // The OS source only fails where there is none at all (an early-boot
    // Linux without getrandom(2)); the lab cannot make keys safely there.
    getrandom::fill(buf).expect("the operating system's random source is available");
}

/// xorshift64*: fast and not secret, for answers where guessing is harmless.
pub struct Rng(u64);

impl Rng {
    /// A generator of its own, seeded from the OS source.
    pub fn new() -> Rng {
        let mut seed = [0u8; 8];
        fill_from_os(&mut seed);
        Rng(u64::from_le_bytes(seed) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A float in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn fill(&mut self, buf: &mut [u8]) {
        for chunk in buf.chunks_mut(8) {
            let bytes = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_128_bit_hex_and_do_not_repeat() {
        let tokens: std::collections::HashSet<String> = (0..1000).map(|_| token()).collect();
        assert_eq!(tokens.len(), 1000);
        assert!(tokens.iter().all(|t| t.len() == 32 && t.chars().all(|c| c.is_ascii_hexdigit())));
    }

    #[test]
    fn two_generators_do_not_share_a_stream() {
        // Seeded from the OS, not the clock: two made in the same instant differ.
        let (mut a, mut b) = (Rng::new(), Rng::new());
        assert_ne!((a.next_u64(), a.next_u64()), (b.next_u64(), b.next_u64()));
    }

    #[test]
    fn random_units_stay_in_range() {
        let mut rng = Rng::new();
        for _ in 0..10_000 {
            let u = rng.unit();
            assert!((0.0..1.0).contains(&u));
        }
        let mut buf = [0u8; 13];
        rng.fill(&mut buf);
        assert!(buf.iter().any(|b| *b != 0));
    }
}
