//! A string interner for tokens: each distinct token gets a dense `u32` id.
//!
//! Input: tokens with their [`hash_token`] hash. Output: ids, and the token
//! and hash back for an id. A [`super::Doc`] uses one for its vocabulary and
//! [`super::AlertSet`] one for its trigger words. All tokens live in one
//! arena and the open-addressing slots hold ids, so interning a document's
//! few hundred words costs no allocation per word; hashes are kept so lookups
//! from one table into another never hash a token twice.

/// Hashes a token (FxHash-style over 8-byte words; tokens are short and the
/// tables are ours, so speed matters more than flooding resistance).
pub(crate) fn hash_token(s: &str) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h = s.len() as u64;
    let mut chunks = s.as_bytes().chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut word = [0u8; 8];
        word[..rest.len()].copy_from_slice(rest);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
    }
    // Fold the high bits down: slots are picked from the low bits.
    h ^ (h >> 29)
}

/// Interned tokens: id → (token, hash), and token → id.
#[derive(Debug, Clone, Default)]
pub(crate) struct TokenTable {
    arena: String,
    spans: Vec<(u32, u32)>,
    hashes: Vec<u64>,
    /// Open addressing, linear probing; `0` is empty, else id + 1.
    slots: Vec<u32>,
}

impl TokenTable {
    /// A table sized for about `n` distinct tokens.
    pub(crate) fn with_capacity(n: usize) -> TokenTable {
        TokenTable {
            arena: String::with_capacity(n * 6),
            spans: Vec::with_capacity(n),
            hashes: Vec::with_capacity(n),
            slots: vec![0; (n * 2).next_power_of_two().max(16)],
        }
    }

    /// Number of distinct tokens.
    pub(crate) fn len(&self) -> usize {
        self.spans.len()
    }

    /// The token with id `id`.
    pub(crate) fn token(&self, id: u32) -> &str {
        let (start, len) = self.spans[id as usize];
        &self.arena[start as usize..(start + len) as usize]
    }

    /// The hash of the token with id `id`.
    pub(crate) fn hash(&self, id: u32) -> u64 {
        self.hashes[id as usize]
    }

    /// The id of `token` (whose hash is `hash`), if interned.
    pub(crate) fn get(&self, token: &str, hash: u64) -> Option<u32> {
        let mask = self.slots.len() - 1;
        let mut slot = hash as usize & mask;
        loop {
            let id = self.slots[slot].checked_sub(1)?;
            if self.hashes[id as usize] == hash && self.token(id) == token {
                return Some(id);
            }
            slot = (slot + 1) & mask;
        }
    }

    /// The id of `token`, interning it first if new. The flag says it was new.
    pub(crate) fn intern(&mut self, token: &str, hash: u64) -> (u32, bool) {
        let mask = self.slots.len() - 1;
        let mut slot = hash as usize & mask;
        loop {
            match self.slots[slot].checked_sub(1) {
                Some(id) if self.hashes[id as usize] == hash && self.token(id) == token => {
                    return (id, false);
                }
                Some(_) => slot = (slot + 1) & mask,
                None => break,
            }
        }
        let id = self.spans.len() as u32;
        self.spans
            .push((self.arena.len() as u32, token.len() as u32));
        self.arena.push_str(token);
        self.hashes.push(hash);
        self.slots[slot] = id + 1;
        // Keep the load under a half so probes stay short.
        if self.spans.len() * 2 > self.slots.len() {
            self.grow();
        }
        (id, true)
    }

    fn grow(&mut self) {
        let mut slots = vec![0u32; self.slots.len() * 2];
        let mask = slots.len() - 1;
        for (id, &hash) in self.hashes.iter().enumerate() {
            let mut slot = hash as usize & mask;
            while slots[slot] != 0 {
                slot = (slot + 1) & mask;
            }
            slots[slot] = id as u32 + 1;
        }
        self.slots = slots;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interns_each_distinct_token_once_across_growth() {
        let mut table = TokenTable::with_capacity(1);
        let words: Vec<String> = (0..500).map(|i| format!("w{i}")).collect();
        for w in words.iter().chain(words.iter()) {
            table.intern(w, hash_token(w));
        }
        assert_eq!(table.len(), 500);
        for (i, w) in words.iter().enumerate() {
            assert_eq!(table.get(w, hash_token(w)), Some(i as u32));
            assert_eq!(table.token(i as u32), w);
        }
        assert_eq!(table.get("nope", hash_token("nope")), None);
    }

    #[test]
    fn hash_differs_for_similar_tokens() {
        let cases = [
            ("a", "b"),
            ("ab", "ba"),
            ("machine", "machines"),
            ("", "\0"),
        ];
        for (a, b) in cases {
            assert_ne!(hash_token(a), hash_token(b), "{a:?} vs {b:?}");
        }
    }
}
