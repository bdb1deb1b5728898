//! Parsed documents kept from one load to the next ([`ParseCache`]): a shell that plans again at every edit (the
//! playground) parses again only the documents that changed. Parsing is most of the time of reading a file, and
//! reading a thousand nodes a quarter of the time of planning them in WebAssembly.

use std::collections::HashMap;
use std::sync::Arc;

use super::yaml::Chunk;
use super::Node;
use crate::diag::Diagnostic;

/// A document parsed: its tree (none for an empty document), or why it does not parse.
pub(super) type Parsed = Result<Option<Arc<Node>>, Diagnostic>;

/// What a document's parse depends on: its file's name (its messages carry it), its first line (its spans count
/// from there) and its text.
#[derive(Debug, PartialEq, Eq, Hash)]
struct Key {
    file: Arc<str>,
    first_line: u32,
    text: String,
}

/// The documents the last load given this cache parsed, for the next one ([`super::load_applied_cached`]).
///
/// A document's parse depends on its file's name, its first line and its text only, and the tree is never
/// changed once read, so a load gives the same result with a cache or without one. The cache holds the last
/// load's documents and no others (a document edited or gone is dropped at the next load), up to
/// [`ParseCache::MAX_TEXT`] bytes of their text: a tree weighs tens of times its text, and what is kept stays in
/// memory between loads.
#[derive(Debug)]
pub struct ParseCache {
    /// Whether to keep documents at all ([`ParseCache::none`] keeps none).
    keep: bool,
    /// The last load's documents.
    last: HashMap<Key, Parsed>,
    /// This load's, so far.
    next: HashMap<Key, Parsed>,
    /// The bytes of text of the documents in `next`.
    next_text: usize,
}

impl Default for ParseCache {
    fn default() -> Self {
        ParseCache { keep: true, last: HashMap::new(), next: HashMap::new(), next_text: 0 }
    }
}

impl ParseCache {
    /// The most document text the cache keeps trees for: a few times the 2 MB of 10,000 nodes.
    pub const MAX_TEXT: usize = 8 << 20;

    /// A cache that keeps nothing: every document is parsed (the loads that are not given one).
    pub(super) fn none() -> ParseCache {
        ParseCache { keep: false, ..ParseCache::default() }
    }

    /// The documents `chunks` of `file` parsed, in order: those the last load parsed as they were, the others by
    /// `parse` (which parses a file's documents in order).
    pub(super) fn parse(
        &mut self,
        file: &Arc<str>,
        chunks: &[Chunk<'_>],
        parse: impl FnOnce(&str, &[Chunk<'_>]) -> Vec<Result<Option<Node>, Diagnostic>>,
    ) -> Vec<Parsed> {
        let shared = |parsed: Result<Option<Node>, Diagnostic>| parsed.map(|tree| tree.map(Arc::new));
        if !self.keep {
            return parse(file, chunks).into_iter().map(shared).collect();
        }
        let keys: Vec<Key> = chunks.iter().map(|c| Key { file: file.clone(), first_line: c.first_line, text: c.text.to_string() }).collect();
        let mut out: Vec<Option<Parsed>> = keys.iter().map(|k| self.last.remove(k).or_else(|| self.next.get(k).cloned())).collect();
        let missing: Vec<usize> = (0..chunks.len()).filter(|&i| out[i].is_none()).collect();
        let to_parse: Vec<Chunk<'_>> = missing.iter().map(|&i| chunks[i].clone()).collect();
        for (i, parsed) in missing.into_iter().zip(parse(file, &to_parse)) {
            out[i] = Some(shared(parsed));
        }
        let out: Vec<Parsed> = out.into_iter().flatten().collect();
        for (key, parsed) in keys.into_iter().zip(&out) {
            if self.next_text + key.text.len() <= Self::MAX_TEXT {
                self.next_text += key.text.len();
                self.next.insert(key, parsed.clone());
            }
        }
        out
    }

    /// The load is over: its documents are kept for the next, the others dropped.
    pub(super) fn loaded(&mut self) {
        self.last = std::mem::take(&mut self.next);
        self.next_text = 0;
    }

    /// How many documents the cache holds for the next load.
    pub fn len(&self) -> usize {
        self.last.len()
    }

    pub fn is_empty(&self) -> bool {
        self.last.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;
    use std::cell::RefCell;

    use super::*;
    use crate::input::yaml;

    fn chunk(first_line: u32, text: &str) -> Chunk<'_> {
        Chunk { first_line, text: Cow::Borrowed(text) }
    }

    /// Parse as the loader does, recording the first line of each document parsed.
    fn parse_recording<'p>(parsed: &'p RefCell<Vec<u32>>) -> impl FnOnce(&str, &[Chunk<'_>]) -> Vec<Result<Option<Node>, Diagnostic>> + 'p {
        move |file, chunks| {
            parsed.borrow_mut().extend(chunks.iter().map(|c| c.first_line));
            chunks.iter().map(|c| yaml::parse_chunk(file, c)).collect()
        }
    }

    #[test]
    fn only_documents_edited_moved_or_new_are_parsed_again() {
        let file: Arc<str> = Arc::from("in.yaml");
        let mut cache = ParseCache::default();
        let parsed = RefCell::new(Vec::new());
        let (a, b, c) = ("kind: A\n", "kind: B\n", "kind: C\n");
        let first = cache.parse(&file, &[chunk(1, a), chunk(3, b), chunk(5, c)], parse_recording(&parsed));
        cache.loaded();
        assert_eq!(parsed.take(), [1, 3, 5]);
        assert_eq!(cache.len(), 3);
        // B edited, C moved down a line, D new: A is the tree read before, the same allocation.
        let second = cache.parse(&file, &[chunk(1, a), chunk(3, "kind: B2\n"), chunk(6, c), chunk(8, "kind: D\n")], parse_recording(&parsed));
        cache.loaded();
        assert_eq!(parsed.take(), [3, 6, 8]);
        let tree = |p: &Parsed| p.as_ref().unwrap().clone().unwrap();
        assert!(Arc::ptr_eq(&tree(&first[0]), &tree(&second[0])));
        assert_eq!(tree(&second[2]).span.start.line, 6, "a moved document is read where it now is");
        // Another file with the same text is another document; what the last load did not read is gone.
        let other: Arc<str> = Arc::from("other.yaml");
        cache.parse(&other, &[chunk(1, a)], parse_recording(&parsed));
        cache.loaded();
        assert_eq!(parsed.take(), [1]);
        assert_eq!(cache.len(), 1);
    }

    #[test]
    fn a_document_that_does_not_parse_is_kept_with_its_error() {
        let file: Arc<str> = Arc::from("in.yaml");
        let mut cache = ParseCache::default();
        let parsed = RefCell::new(Vec::new());
        let bad = "kind: [\n";
        let first = cache.parse(&file, &[chunk(1, bad)], parse_recording(&parsed));
        cache.loaded();
        let again = cache.parse(&file, &[chunk(1, bad)], parse_recording(&parsed));
        assert_eq!(parsed.take(), [1]);
        assert_eq!(first[0].as_ref().unwrap_err(), again[0].as_ref().unwrap_err());
    }

    #[test]
    fn no_more_than_max_text_is_kept_and_a_none_cache_keeps_nothing() {
        let file: Arc<str> = Arc::from("in.yaml");
        let big = format!("kind: A\nspec: {{note: {}}}\n", "x".repeat(ParseCache::MAX_TEXT / 2));
        let mut cache = ParseCache::default();
        let chunks = [chunk(1, &big), chunk(3, &big), chunk(5, "kind: B\n")];
        let parsed = RefCell::new(Vec::new());
        assert_eq!(cache.parse(&file, &chunks, parse_recording(&parsed)).len(), 3);
        cache.loaded();
        assert_eq!(cache.len(), 2, "the second large document is over the limit");
        let mut none = ParseCache::none();
        none.parse(&file, &chunks[2..], parse_recording(&parsed));
        none.loaded();
        assert!(none.is_empty());
    }
}
