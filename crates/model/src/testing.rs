//! A small deterministic generator for the property tests (links, HAR files),
//! shared by the unit and the integration tests, so they need no crate.
//! Not for anything but tests: it is xorshift, predictable by design.

/// Seeded by the test; the same seed gives the same cases.
pub struct Gen(pub u64);

impl Gen {
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number below `n` (which must be over 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// Up to `max` pieces of `alphabet`, joined.
    pub fn text(&mut self, max: usize, alphabet: &[&str]) -> String {
        let len = self.below(max + 1);
        (0..len).map(|_| alphabet[self.below(alphabet.len())]).collect()
    }
}
