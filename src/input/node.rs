//! A YAML/JSON document as a tree of located values.
//!
//! Each document is first read into this tree (with YAML 1.1 scalar resolution, as kubectl's YAML-to-JSON step
//! does), then decoded into typed objects by [`super::decode`]. Keeping the tree lets every later message, from
//! a type error to an API-server validation error, point at the exact line and column of the field.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use crate::diag::{Pos, Span};

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

/// A mapping key with its own location (unknown-field findings point at the key).
#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    pub name: String,
    pub span: Span,
}

impl Value {
    /// The JSON type name Go's decoder uses in `cannot unmarshal <type> into ...`.
    pub fn json_type(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Int(_) | Value::Float(_) => "number",
            Value::Str(_) => "string",
            Value::Seq(_) => "array",
            Value::Map(_) => "object",
        }
    }
}

impl Node {
    /// The value under `key` when this node is a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(m) => m.iter().find(|(k, _)| k.name == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The key node of `key` when this node is a mapping.
    pub fn key(&self, key: &str) -> Option<&Key> {
        match &self.value {
            Value::Map(m) => m.iter().find(|(k, _)| k.name == key).map(|(k, _)| k),
            _ => None,
        }
    }

    /// The value as JSON, as kubectl sends a document (a key written twice keeps its first value).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Value::Str(s) => J::String(s.clone()),
            Value::Seq(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => {
                let mut m = serde_json::Map::new();
                for (k, v) in entries {
                    m.entry(k.name.clone()).or_insert_with(|| v.to_json());
                }
                J::Object(m)
            }
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Walk a field path such as `spec.template.spec.containers[0].ports[1].hostPort` (the form of API-server
    /// field errors) and return the deepest node reached and whether the whole path was found.
    /// The span of the field at `path`, or of the closest enclosing field the document has (its key when the
    /// value is missing).
    pub fn locate_span(&self, path: &str) -> Span {
        match self.locate(path) {
            (node, _, true) => node.span,
            (_, Some(k), false) => k.span,
            (node, None, false) => node.span,
        }
    }

    pub fn locate(&self, path: &str) -> (&Node, Option<&Key>, bool) {
        let mut node = self;
        let mut key = None;
        for seg in path_segments(path) {
            let next = match seg {
                Segment::Field(name) => node.key(name).zip(node.get(name)).map(|(k, v)| (Some(k), v)),
                Segment::Index(i) => match &node.value {
                    Value::Seq(items) => items.get(i).map(|v| (None, v)),
                    _ => None,
                },
                Segment::MapKey(name) => node.key(name).zip(node.get(name)).map(|(k, v)| (Some(k), v)),
            };
            match next {
                Some((k, v)) => {
                    if k.is_some() {
                        key = k;
                    }
                    node = v;
                }
                None => return (node, key, false),
            }
        }
        (node, key, true)
    }
}

enum Segment<'a> {
    Field(&'a str),
    Index(usize),
    MapKey(&'a str),
}

fn path_segments(path: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('.') {
            rest = r;
            continue;
        }
        if let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']').unwrap_or(r.len());
            let inner = &r[..end];
            match inner.parse::<usize>() {
                Ok(i) => out.push(Segment::Index(i)),
                Err(_) => out.push(Segment::MapKey(inner.trim_matches('"'))),
            }
            rest = r.get(end + 1..).unwrap_or("");
            continue;
        }
        let end = rest.find(['.', '[']).unwrap_or(rest.len());
        out.push(Segment::Field(&rest[..end]));
        rest = &rest[end..];
    }
    out
}

/// Where a spanned value starts and ends, shifted by the line at which its document starts in the file.
fn span_of<T>(s: &Spanned<T>, line_base: u32) -> Span {
    let loc = &s.referenced;
    let line = loc.line() as u32 + line_base;
    let col = loc.column() as u32;
    let len = loc.span().len().max(1) as u32;
    Span { start: Pos { line, col }, end: Pos { line, col: col + len } }
}

/// Deserialisation target for serde-saphyr: builds the located tree. `LINE_BASE` carries the document's first
/// line through serde, which offers no other channel.
pub(super) struct Located(pub Node);

thread_local! {
    static LINE_BASE: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

pub(super) fn with_line_base<R>(base: u32, f: impl FnOnce() -> R) -> R {
    let old = LINE_BASE.with(|b| b.replace(base));
    let r = f();
    LINE_BASE.with(|b| b.set(old));
    r
}

struct Raw(Value);

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Raw, E> {
        Ok(Raw(Value::Null))
    }
    fn visit_none<E>(self) -> Result<Raw, E> {
        Ok(Raw(Value::Null))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Raw, D::Error> {
        Raw::deserialize(d)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Raw, E> {
        Ok(Raw(Value::Bool(b)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Raw, E> {
        Ok(Raw(Value::Int(v)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Raw, E> {
        Ok(Raw(i64::try_from(v).map(Value::Int).unwrap_or(Value::Float(v as f64))))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Raw, E> {
        Ok(Raw(i64::try_from(v).map(Value::Int).unwrap_or(Value::Float(v as f64))))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Raw, E> {
        Ok(Raw(i64::try_from(v).map(Value::Int).unwrap_or(Value::Float(v as f64))))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Raw, E> {
        Ok(Raw(Value::Float(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Raw, E> {
        Ok(Raw(Value::Str(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Raw, E> {
        Ok(Raw(Value::Str(v)))
    }
    fn visit_bytes<E>(self, v: &[u8]) -> Result<Raw, E> {
        Ok(Raw(Value::Str(String::from_utf8_lossy(v).into_owned())))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Raw, A::Error> {
        let mut items = Vec::new();
        while let Some(x) = a.next_element::<Located>()? {
            items.push(x.0);
        }
        Ok(Raw(Value::Seq(items)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Raw, A::Error> {
        let base = LINE_BASE.with(|b| b.get());
        let mut entries = Vec::new();
        while let Some(k) = a.next_key::<Spanned<KeyText>>()? {
            let v = a.next_value::<Located>()?;
            entries.push((Key { span: span_of(&k, base), name: k.value.0 }, v.0));
        }
        Ok(Raw(Value::Map(entries)))
    }
}

impl<'de> Deserialize<'de> for Located {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Spanned::<Raw>::deserialize(d)?;
        let base = LINE_BASE.with(|b| b.get());
        let span = span_of(&s, base);
        Ok(Located(Node { value: s.value.0, span }))
    }
}

/// A mapping key as text. YAML allows non-string keys; kubectl's YAML-to-JSON step turns them into strings.
struct KeyText(String);

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = Raw::deserialize(d)?;
        Ok(KeyText(match raw.0 {
            Value::Str(s) => s,
            Value::Bool(b) => b.to_string(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => crate::go::json::format_float(f),
            Value::Null => "null".to_owned(),
            Value::Seq(_) | Value::Map(_) => String::new(),
        }))
    }
}

/// Set every span's end to just after the node's last character.
///
/// The parser reports a scalar's start and its length in characters (for a multi-line scalar that length runs
/// past the end of its first line, and a block scalar's takes in the indentation that follows it) and a
/// collection's start only. Afterwards a scalar ends after its last non-blank character, a block collection
/// after its last entry, a flow collection after its closing bracket, and an alias (`*name`) after its name.
/// `text` is the document's text; `line_base` the number of lines of the file before it.
pub(super) fn fix_ends(node: &mut Node, text: &str, line_base: u32) {
    let index = LineIndex::new(text, line_base);
    fix_node(node, &index);
}

/// Line starts of a document, to convert between file positions and byte offsets in its text. Columns count
/// characters; in an ASCII document (nearly every manifest) they are byte counts, found without walking the text.
struct LineIndex<'t> {
    text: &'t str,
    starts: Vec<usize>,
    base: u32,
    ascii: bool,
}

impl<'t> LineIndex<'t> {
    fn new(text: &'t str, base: u32) -> LineIndex<'t> {
        LineIndex { text, starts: super::encoding::line_starts(text), base, ascii: text.is_ascii() }
    }

    /// The byte offset of a position, if it lies in the text.
    fn offset(&self, p: Pos) -> Option<usize> {
        let line = p.line.checked_sub(self.base + 1)? as usize;
        let start = *self.starts.get(line)?;
        let end = self.starts.get(line + 1).copied().unwrap_or(self.text.len());
        let line = &self.text[start..end];
        let col = p.col.saturating_sub(1) as usize;
        if self.ascii || line.is_ascii() {
            return Some(start + col.min(line.len()));
        }
        Some(start + self.advance(line, col))
    }

    /// The byte length of the first `chars` characters of `text`, a part of the document (all of it when it is
    /// shorter).
    fn advance(&self, text: &str, chars: usize) -> usize {
        if self.ascii {
            return chars.min(text.len());
        }
        text.char_indices().nth(chars).map_or(text.len(), |(i, _)| i)
    }

    fn pos(&self, offset: usize) -> Pos {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset).saturating_sub(1);
        let before = &self.text[self.starts[line]..offset];
        let col = if self.ascii { before.len() } else { before.chars().count() } as u32 + 1;
        Pos { line: line as u32 + 1 + self.base, col }
    }

    fn byte(&self, offset: usize) -> Option<u8> {
        self.text.as_bytes().get(offset).copied()
    }
}

fn fix_node(node: &mut Node, ix: &LineIndex<'_>) {
    let Some(start) = ix.offset(node.span.start) else { return };
    if ix.byte(start) == Some(b'*') {
        node.span.end = ix.pos(token_end(ix.text, start));
        return;
    }
    let last = match &mut node.value {
        Value::Map(entries) => {
            for (_, v) in entries.iter_mut() {
                fix_node(v, ix);
            }
            Some(entries.last().map(|(k, v)| k.span.end.max(v.span.end)))
        }
        Value::Seq(items) => {
            for v in items.iter_mut() {
                fix_node(v, ix);
            }
            Some(items.last().map(|v| v.span.end))
        }
        _ => None,
    };
    match last {
        None => {
            let len = node.span.end.col.saturating_sub(node.span.start.col) as usize;
            let mut end = start + ix.advance(&ix.text[start..], len);
            while end > start + 1 && matches!(ix.byte(end - 1), Some(b' ' | b'\t' | b'\n' | b'\r')) {
                end -= 1;
            }
            node.span.end = ix.pos(end);
        }
        Some(last) => {
            // Children of an alias or of a merged anchor can lie before the collection itself.
            let last = last.filter(|e| *e > node.span.start);
            let after_props = skip_properties(ix.text, start);
            let closer = match ix.byte(after_props) {
                Some(b'[') => Some(b']'),
                Some(b'{') => Some(b'}'),
                _ => None,
            };
            let end = match (closer, last) {
                (Some(c), last) => {
                    let from = last.and_then(|p| ix.offset(p)).unwrap_or(after_props + 1);
                    closing(ix.text, from, c).map(|o| ix.pos(o + 1)).or(last)
                }
                (None, last) => last,
            };
            if let Some(end) = end {
                node.span.end = end;
            }
        }
    }
}

/// The end of a token such as an alias or anchor name.
fn token_end(text: &str, from: usize) -> usize {
    text[from..].find(|c: char| c.is_whitespace() || matches!(c, ',' | ']' | '}')).map_or(text.len(), |i| from + i)
}

/// Past a node's anchor and tag (`&a !!map `), if any.
fn skip_properties(text: &str, mut at: usize) -> usize {
    while matches!(text.as_bytes().get(at), Some(b'&' | b'!')) {
        at = token_end(text, at);
        while matches!(text.as_bytes().get(at), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            at += 1;
        }
    }
    at
}

/// The offset of the bracket that closes a flow collection, looking from `from` (after its last entry) past
/// blanks, commas and comments.
fn closing(text: &str, mut at: usize, closer: u8) -> Option<usize> {
    let bytes = text.as_bytes();
    while let Some(&b) = bytes.get(at) {
        match b {
            b' ' | b'\t' | b'\n' | b'\r' | b',' => at += 1,
            b'#' => at = text[at..].find('\n').map_or(text.len(), |i| at + i),
            _ if b == closer => return Some(at),
            _ => return None,
        }
    }
    None
}
