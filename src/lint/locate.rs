//! Ranges in the source: a field's key through its value, positions as editors count them, and the
//! indentation a suggested edit needs.

use crate::diag::{Pos, Span};
use crate::input::node::{Node, Value};
use crate::input::Manifest;

/// The range of the field at `path` (an API field path such as `spec.template.spec.containers[0].ports[1]`):
/// from its key through its value when the document has it, the item itself for a list index, and the key of
/// the closest enclosing field when the field is absent (that is where it would go).
pub fn field_span(m: &Manifest, path: &str) -> Span {
    field_span_in(&m.tree, path)
}

pub fn field_span_in(tree: &Node, path: &str) -> Span {
    let (node, key, found) = tree.locate(path);
    let ends_with_index = path.ends_with(']') && path.rsplit('[').next().is_some_and(|i| i.trim_end_matches(']').parse::<usize>().is_ok());
    match (found, key) {
        (true, Some(k)) if !ends_with_index => Span { start: k.span.start, end: node.span.end.max(k.span.end) },
        (true, _) => node.span,
        (false, Some(k)) => k.span,
        (false, None) => object_span(tree),
    }
}

/// The span of the value at `path`, if the document has it.
pub fn value_span(m: &Manifest, path: &str) -> Option<Span> {
    let (node, _, found) = m.tree.locate(path);
    found.then_some(node.span)
}

/// The node at `path`, if the document has it.
pub fn node_at<'a>(m: &'a Manifest, path: &str) -> Option<&'a Node> {
    let (node, _, found) = m.tree.locate(path);
    found.then_some(node)
}

/// Where a finding about a whole object points: its `metadata.name` field, else its `kind`.
pub fn object_span(tree: &Node) -> Span {
    let (node, key, found) = tree.locate("metadata.name");
    if let (true, Some(k)) = (found, key) {
        return Span { start: k.span.start, end: node.span.end.max(k.span.end) };
    }
    match (tree.key("kind"), tree.get("kind")) {
        (Some(k), Some(v)) => Span { start: k.span.start, end: v.span.end },
        _ => Span::point(tree.span.start),
    }
}

/// Positions of one text: lines, and columns as characters (kubeplan's), UTF-16 code units (LSP's) or bytes.
pub struct LineIndex<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    pub fn new(text: &'t str) -> LineIndex<'t> {
        LineIndex { text, starts: crate::input::encoding::line_starts(text) }
    }

    /// The text of a 1-based line, without its line break.
    pub fn line(&self, line: u32) -> Option<&'t str> {
        let i = (line as usize).checked_sub(1)?;
        let start = *self.starts.get(i)?;
        let end = self.starts.get(i + 1).copied().unwrap_or(self.text.len());
        Some(self.text[start..end].trim_end_matches(['\n', '\r']))
    }

    pub fn line_count(&self) -> u32 {
        self.starts.len() as u32
    }

    /// The byte offset of a position (clamped to its line).
    pub fn offset(&self, p: Pos) -> usize {
        let Some(line) = self.line(p.line.max(1)) else { return self.text.len() };
        let start = self.starts[(p.line.max(1) - 1) as usize];
        let col = p.col.saturating_sub(1) as usize;
        start + line.char_indices().nth(col).map_or(line.len(), |(i, _)| i)
    }

    /// The position of a byte offset.
    pub fn pos(&self, offset: usize) -> Pos {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset).saturating_sub(1);
        let col = self.text[self.starts[line]..offset].chars().count() as u32 + 1;
        Pos { line: line as u32 + 1, col }
    }

    /// An LSP position: zero-based line and UTF-16 code units from the line start.
    pub fn utf16(&self, p: Pos) -> (u32, u32) {
        let line = p.line.max(1);
        let Some(text) = self.line(line) else {
            let last = self.line_count();
            return (last.saturating_sub(1), self.line(last).map_or(0, |l| l.encode_utf16().count() as u32));
        };
        let col = p.col.saturating_sub(1) as usize;
        let units: usize = text.chars().take(col).map(char::len_utf16).sum();
        (line - 1, units as u32)
    }

    /// The kubeplan position of an LSP position.
    pub fn from_utf16(&self, line: u32, character: u32) -> Pos {
        let Some(text) = line.checked_add(1).and_then(|l| self.line(l)) else { return self.pos(self.text.len()) };
        let mut units = 0u32;
        let mut col = 1u32;
        for c in text.chars() {
            if units >= character {
                break;
            }
            units += c.len_utf16() as u32;
            col += 1;
        }
        Pos { line: line + 1, col }
    }
}

/// The indentation (in spaces) of a 1-based column: `col - 1`.
pub fn indent(col: u32) -> String {
    " ".repeat(col.saturating_sub(1) as usize)
}

/// Whether a collection node is written in flow style (`[...]` or `{...}`), judged from its source text.
pub fn is_flow(node: &Node, index: &LineIndex<'_>) -> bool {
    let at = index.offset(node.span.start);
    matches!(index.text.as_bytes().get(at), Some(b'[' | b'{'))
}

/// The column of the `-` that introduces a block sequence item starting at `item`, if the item is a block item.
pub fn dash_col(item: &Node, index: &LineIndex<'_>) -> Option<u32> {
    let line = index.line(item.span.start.line)?;
    let before: String = line.chars().take(item.span.start.col.saturating_sub(1) as usize).collect();
    let dash = before.rfind('-')?;
    before[dash + 1..].trim().is_empty().then(|| before[..dash].chars().count() as u32 + 1)
}

/// Whether a node is a mapping.
pub fn is_map(node: &Node) -> bool {
    matches!(node.value, Value::Map(_))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_positions_count_surrogate_pairs() {
        let ix = LineIndex::new("a: b\nname: \"😀é\" # x\n");
        assert_eq!(ix.utf16(Pos { line: 2, col: 7 }), (1, 6));
        // After the emoji (two UTF-16 units) and é.
        assert_eq!(ix.utf16(Pos { line: 2, col: 10 }), (1, 10));
        assert_eq!(ix.from_utf16(1, 10), Pos { line: 2, col: 10 });
        assert_eq!(ix.pos(ix.offset(Pos { line: 2, col: 9 })), Pos { line: 2, col: 9 });
        assert_eq!(ix.line(2), Some("name: \"😀é\" # x"));
    }

    #[test]
    fn lsp_positions_past_the_text_are_its_end() {
        let ix = LineIndex::new("a: b\nc: d\n");
        assert_eq!(ix.from_utf16(u32::MAX, u32::MAX), Pos { line: 3, col: 1 });
        assert_eq!(ix.from_utf16(7, 0), Pos { line: 3, col: 1 });
    }
}
