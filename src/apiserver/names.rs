//! Names the API server generates for `metadata.generateName`.
//!
//! A real API server appends five random characters from `bcdfghjklmnpqrstvwxz2456789`
//! (`apiserver/pkg/storage/names/generate.go`). kubeplan counts instead, per prefix, in that alphabet
//! (`bbbbb`, `bbbbc`, ...): plans stay stable and readable, and the output says that a cluster picks at random.

use crate::hash::HashMap;

const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
/// `MaxGeneratedNameLength`: 63 minus the five random characters.
const MAX_BASE: usize = 58;

#[derive(Clone, Debug, Default)]
pub struct NameGenerator {
    next: HashMap<String, u64>,
}

impl NameGenerator {
    /// The next name for `base`, truncating the base to 58 characters as the API server does.
    pub fn generate(&mut self, base: &str) -> String {
        let name = self.peek(base);
        self.commit(base);
        name
    }

    /// The name `generate` would give next, without using it up (a create may still be refused).
    pub fn peek(&self, base: &str) -> String {
        let base = truncate(base, MAX_BASE);
        let n = self.next.get(base).copied().unwrap_or(0);
        format!("{base}{}", suffix(n))
    }

    /// Use up the name `peek` gave.
    pub fn commit(&mut self, base: &str) {
        *self.next.entry(truncate(base, MAX_BASE).to_owned()).or_insert(0) += 1;
    }
}

fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// The n-th five-character suffix, counting from `bbbbb` in the generator's alphabet.
fn suffix(mut n: u64) -> String {
    let base = ALPHABET.len() as u64;
    let mut out = [ALPHABET[0]; 5];
    for slot in out.iter_mut().rev() {
        *slot = ALPHABET[(n % base) as usize];
        n /= base;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_in_the_api_server_alphabet() {
        let mut g = NameGenerator::default();
        let names: Vec<String> = (0..5).map(|_| g.generate("agent-")).collect();
        assert_eq!(names, ["agent-bbbbb", "agent-bbbbc", "agent-bbbbd", "agent-bbbbf", "agent-bbbbg"]);
        assert_eq!(g.generate("other-"), "other-bbbbb");
        assert_eq!(suffix(27), "bbbcb");
    }

    #[test]
    fn long_bases_are_truncated_to_58() {
        let mut g = NameGenerator::default();
        let long = "x".repeat(70);
        assert_eq!(g.generate(&long).len(), 63);
    }
}
