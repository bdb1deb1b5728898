//! Reading a manifest file into documents, as kubectl does.
//!
//! kubectl splits a YAML stream on lines that start with `---` (`apimachinery/pkg/util/yaml.YAMLReader`) and
//! converts each document to JSON separately; kubeplan does the same, and whether a broken document stops the
//! rest of its file (as it does for `kubectl apply`) is the loader's choice (`input::load_applied`). Scalars resolve by YAML 1.1 rules (`yes`, `on`, `y` are booleans, `0644` is octal), as go-yaml v2 does.
//! Budgets bound every document: alias expansion, nesting depth, node count and scalar bytes.

use std::borrow::Cow;

use crate::diag::{Diagnostic, Pos, Span};

use super::node::{with_line_base, Located, Node, Value};

/// Upper bounds for hostile input. A `kind: List` of 130,000 nodes is about 4 million YAML nodes, in a file of
/// 36 MB; a read tree weighs about a hundred times its text, so a file is refused past 64 MiB.
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;
const MAX_NODES_PER_DOCUMENT: usize = 20_000_000;
const MAX_DEPTH: usize = 64;

/// One document of a stream: its first line in the file and its text. A document that starts after other text on
/// its first line (a JSON object after another, `}{`) is borrowed with that much indentation put before it, so
/// that the parser's columns are the file's.
#[derive(Clone, Debug)]
pub struct Chunk<'a> {
    pub first_line: u32,
    pub text: Cow<'a, str>,
}

/// Split a file into documents as kubectl reads it: a stream of JSON values when it starts with a JSON object
/// ([`split_json`]), else a YAML stream ([`split_documents`]). kubectl's `YAMLOrJSONDecoder` makes the same
/// choice on a `{` after whitespace (apimachinery `util/yaml.GuessJSONStream`), which is how `jq -c` output and
/// objects printed one after the other by `kubectl get -o json` apply. A file that starts with a YAML flow mapping
/// (`{apiVersion: v1, ...}`, not JSON) stays a YAML stream here, as kubeplan has always read it, where kubectl's
/// JSON decoder would stop at its first unquoted key.
pub fn split_stream<'a>(file: &str, text: &'a str, diags: &mut Vec<Diagnostic>) -> Vec<Chunk<'a>> {
    if text.trim_start().starts_with('{') && starts_with_json_value(text) {
        split_json(text)
    } else {
        split_documents(file, text, diags)
    }
}

/// Whether the text starts with a well-formed JSON value followed by the end or another object: a YAML stream
/// that starts with a JSON document and goes on after a `---` line stays YAML, as kubeplan has always read it.
fn starts_with_json_value(text: &str) -> bool {
    let mut values = serde_json::Deserializer::from_str(text).into_iter::<serde::de::IgnoredAny>();
    if !matches!(values.next(), Some(Ok(_))) {
        return false;
    }
    let rest = text[values.byte_offset()..].trim_start();
    rest.is_empty() || rest.starts_with('{')
}

/// Split a stream of concatenated JSON values (`{...}{...}`, `{...}\n{...}`) into one chunk per value, as Go's
/// `json.Decoder` reads them one after the other for kubectl. Only the bounds are found here: strings (with their
/// escapes) and nesting are followed, and each value is then parsed (JSON is YAML) with its own file positions.
/// Text between values that is not a value's start is a chunk of its own, for the parser to refuse; a value left
/// open runs to the end of the file, where the parser says what is missing.
pub fn split_json(text: &str) -> Vec<Chunk<'_>> {
    let bytes = text.as_bytes();
    let mut chunks = Vec::new();
    let mut i = 0;
    let (mut line, mut line_start) = (1u32, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                line += 1;
                line_start = i + 1;
                i += 1;
                continue;
            }
            b' ' | b'\t' | b'\r' => {
                i += 1;
                continue;
            }
            _ => {}
        }
        let (start, first_line, col) = (i, line, text[line_start..i].chars().count());
        let mut depth = 0usize;
        let mut in_string = false;
        while i < bytes.len() {
            let b = bytes[i];
            i += 1;
            match b {
                b'\n' => {
                    line += 1;
                    line_start = i;
                }
                _ if in_string => match b {
                    b'\\' => i += usize::from(i < bytes.len() && bytes[i] != b'\n'),
                    b'"' => in_string = false,
                    _ => {}
                },
                b'"' => in_string = true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' => depth = depth.saturating_sub(1),
                _ => {}
            }
            // A value ends where its outermost bracket closes; text that is no object or array runs up to the
            // next one's start.
            let next_opens = i < bytes.len() && matches!(bytes[i], b'{' | b'[');
            if depth == 0 && !in_string && (matches!(b, b'}' | b']') || next_opens) {
                break;
            }
        }
        let value = &text[start..i];
        let text = if col == 0 { Cow::Borrowed(value) } else { Cow::Owned(format!("{}{value}", " ".repeat(col))) };
        chunks.push(Chunk { first_line, text });
    }
    chunks
}

/// Split a YAML stream into documents on `---` separator lines. Text after a separator other than a comment is
/// an error in kubectl; it is reported and the document that follows is still read.
pub fn split_documents<'a>(file: &str, text: &'a str, diags: &mut Vec<Diagnostic>) -> Vec<Chunk<'a>> {
    let mut chunks = Vec::new();
    let mut start = 0usize;
    let mut start_line = 1u32;
    let mut offset = 0usize;
    let mut line_no = 1u32;
    for line in text.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix("---") {
            let trimmed = rest.trim();
            if !trimmed.is_empty() && !trimmed.starts_with('#') {
                let col = 4 + (rest.len() - rest.trim_start().len()) as u32;
                diags.push(Diagnostic::error(
                    "yaml-syntax",
                    file,
                    Span::point(Pos { line: line_no, col }),
                    format!("invalid YAML document separator: {:?} (only a comment may follow `---`)", line.trim_end()),
                ));
            }
            chunks.push(Chunk { first_line: start_line, text: Cow::Borrowed(&text[start..offset]) });
            start = offset + line.len();
            start_line = line_no + 1 + super::encoding::lone_carriage_returns(line);
        }
        offset += line.len();
        line_no += 1 + super::encoding::lone_carriage_returns(line);
    }
    chunks.push(Chunk { first_line: start_line, text: Cow::Borrowed(&text[start..]) });
    chunks.retain(|c| !is_blank(&c.text));
    chunks
}

/// Only whitespace, comments and document-end markers.
fn is_blank(text: &str) -> bool {
    text.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#') || t == "..."
    })
}

/// Parse one document into a located tree. `Ok(None)` for an empty or null document.
///
/// A plain document (no anchors, aliases, tags or merge keys: what nearly every manifest is) is read straight
/// from the parser's events ([`super::tree`]); any other, and every document with an error, goes through
/// serde-saphyr ([`parse_chunk_fully`]), which remains the reference for the tree and the messages.
pub fn parse_chunk(file: &str, chunk: &Chunk<'_>) -> Result<Option<Node>, Diagnostic> {
    let base = chunk.first_line - 1;
    match super::tree::read(&chunk.text, base) {
        Some(node) => Ok(finish(node, &chunk.text, base)),
        None => parse_chunk_fully(file, chunk),
    }
}

/// Whether [`parse_chunk`] reads this document straight from the parser's events, and the tree it reads
/// then; `None` when it leaves the document to serde-saphyr. For the fuzz target that checks both readers agree.
#[doc(hidden)]
pub fn parse_chunk_directly(chunk: &Chunk<'_>) -> Option<Option<Node>> {
    let base = chunk.first_line - 1;
    super::tree::read(&chunk.text, base).map(|node| finish(node, &chunk.text, base))
}

/// A read tree with its spans' ends set, or `None` for a null document.
fn finish(mut node: Node, text: &str, base: u32) -> Option<Node> {
    if node.value == Value::Null {
        return None;
    }
    super::node::fix_ends(&mut node, text, base);
    Some(node)
}

/// Parse one document with serde-saphyr, whatever it holds: anchors, aliases and merge keys are expanded, tags
/// applied, budgets enforced and errors described.
#[doc(hidden)]
pub fn parse_chunk_fully(file: &str, chunk: &Chunk<'_>) -> Result<Option<Node>, Diagnostic> {
    let options = serde_saphyr::options! {
        legacy_octal_numbers: true,
        // A key written twice is kept twice: decoding reports it as the API server's strict decoding does.
        duplicate_keys: serde_saphyr::options::DuplicateKeyPolicy::PassThrough,
        budget: serde_saphyr::budget! {
            max_depth: MAX_DEPTH,
            max_nodes: MAX_NODES_PER_DOCUMENT,
            max_events: MAX_NODES_PER_DOCUMENT * 2,
            max_documents: 1,
        },
    };
    let base = chunk.first_line - 1;
    let parsed = with_line_base(base, || serde_saphyr::from_str_with_options::<Located>(&chunk.text, options));
    match parsed {
        Ok(Located(node)) => Ok(finish(node, &chunk.text, base)),
        Err(e) => Err(yaml_error(file, base, &e)),
    }
}

fn yaml_error(file: &str, base: u32, e: &serde_saphyr::Error) -> Diagnostic {
    let inner = e.without_snippet();
    let (line, col) = inner.location().map(|l| (l.line() as u32, l.column() as u32)).unwrap_or((1, 1));
    let message = plain_message(inner);
    let code = if message.contains("refused") || message.contains("recursion limit") {
        "yaml-limit"
    } else {
        "yaml-syntax"
    };
    Diagnostic::error(code, file, Span::point(Pos { line: line.max(1) + base, col: col.max(1) }), message)
}

/// The parser's message without its own `line N column M:` prefix (kubeplan prints the location itself).
fn plain_message(e: &serde_saphyr::Error) -> String {
    if let Some(words) = plain_words(e) {
        return words.to_owned();
    }
    // Documents keep a key written twice (`DuplicateKeyPolicy::PassThrough`) for decoding to report as the API
    // server does; should the parser refuse one anyway, it is said in go-yaml's words, not the parser's options.
    if let serde_saphyr::Error::DuplicateMappingKey { key, .. } = e {
        return match key {
            Some(key) => format!("key {key:?} already set in map"),
            None => "a key is already set in this map".to_owned(),
        };
    }
    let text = e.to_string();
    let first = text.lines().next().unwrap_or("").trim();
    let stripped = match first.strip_prefix("error: ") {
        Some(r) => r,
        None => first,
    };
    let stripped = match stripped.find(": ") {
        Some(i) if stripped[..i].starts_with("line ") => &stripped[i + 2..],
        _ => stripped,
    };
    // The parser's own positions are relative to the document; kubeplan reports file positions instead.
    let stripped = match stripped.find(" at line ") {
        Some(i) => &stripped[..i],
        None => stripped,
    };
    explain_budget(stripped)
}

/// What the parser's errors that speak of its own options and types mean for a manifest, in the words kubectl's
/// YAML reader (go-yaml v2, then `encoding/json`) would use.
fn plain_words(e: &serde_saphyr::Error) -> Option<&'static str> {
    use serde_saphyr::Error as E;
    Some(match e {
        E::RecursiveReferencesRequireWeakTypes { .. } => {
            "an alias refers to the node that holds it (a recursive reference); an object cannot contain itself"
        }
        E::BinaryNotUtf8 { .. } => "a !!binary value that is not UTF-8 text where a string is expected",
        E::NonFiniteFloat { .. } => {
            "infinity and NaN (.inf, .nan) are not numbers JSON can hold: kubectl cannot convert the document"
        }
        E::UnknownAnchor { .. } => "an alias (*name) refers to no anchor (&name) defined before it",
        E::MultipleDocuments { .. } => {
            "more than one YAML document between two `---` lines: kubectl splits documents on `---` lines only"
        }
        _ => return None,
    })
}

/// Say in plain words which limit a hostile document hit.
fn explain_budget(message: &str) -> String {
    if message.starts_with("recursion limit exceeded") {
        return "the document nests deeper than kubeplan's limit of 64 levels; refused".to_owned();
    }
    let Some(rest) = message.strip_prefix("budget breached: ") else { return message.to_owned() };
    let what = rest.split([' ', '{']).next().unwrap_or(rest);
    let plain = match what {
        "RecordedAnchorEvents" | "RecordedAnchorBytes" | "Aliases" | "AliasAnchorRatio" => {
            "aliases expand this document beyond kubeplan's limit (a YAML alias bomb?); refused"
        }
        "Depth" => "the document nests deeper than kubeplan's limit of 64 levels; refused",
        "Nodes" | "Events" => "the document has more YAML nodes than kubeplan's limit; refused",
        "ScalarBytes" | "TotalScalarBytes" => "the document's text exceeds kubeplan's limit; refused",
        "Documents" => {
            "more than one YAML document between two `---` lines (after a `...` end marker?): kubectl splits \
             documents on `---` lines only"
        }
        _ => return format!("the document exceeds a parser limit ({rest}); refused"),
    };
    plain.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_kubectl_and_keeps_line_numbers() {
        let mut d = vec![];
        let chunks = split_documents("f", "a: 1\n---\nb: 2\n--- # c\n\n---\nc: [\n", &mut d);
        assert!(d.is_empty());
        assert_eq!(chunks.len(), 3);
        assert_eq!(chunks[1].first_line, 3);
        assert_eq!(chunks[2].first_line, 7);
        let node = parse_chunk("f", &chunks[1]).unwrap().unwrap();
        assert_eq!(node.get("b").unwrap().span.start, Pos { line: 3, col: 4 });
        let err = parse_chunk("f", &chunks[2]).unwrap_err();
        assert_eq!(err.span.start.line, 7);
        assert_eq!(err.code, "yaml-syntax");
    }

    #[test]
    fn yaml_1_1_scalars() {
        let chunk = Chunk { first_line: 1, text: "a: yes\nb: 0644\nc: '0644'\nd: on\n".into() };
        let n = parse_chunk("f", &chunk).unwrap().unwrap();
        assert_eq!(n.get("a").unwrap().value, Value::Bool(true));
        assert_eq!(n.get("b").unwrap().value, Value::Int(420));
        assert_eq!(n.get("c").unwrap().value, Value::Str("0644".into()));
        assert_eq!(n.get("d").unwrap().value, Value::Bool(true));
    }

    #[test]
    fn alias_bomb_is_bounded() {
        let mut bomb = String::from("a: &a [x,x,x,x,x,x,x,x,x,x]\n");
        for i in 1..12 {
            bomb.push_str(&format!("{}: &{} [*{},*{},*{},*{},*{},*{},*{},*{},*{},*{}]\n",
                (b'a' + i) as char, (b'a' + i) as char,
                (b'a' + i - 1) as char, (b'a' + i - 1) as char, (b'a' + i - 1) as char, (b'a' + i - 1) as char,
                (b'a' + i - 1) as char, (b'a' + i - 1) as char, (b'a' + i - 1) as char, (b'a' + i - 1) as char,
                (b'a' + i - 1) as char, (b'a' + i - 1) as char));
        }
        let err = parse_chunk("f", &Chunk { first_line: 1, text: bomb.as_str().into() }).unwrap_err();
        assert_eq!(err.code, "yaml-limit", "{}", err.message);
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let deep = format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000));
        let err = parse_chunk("f", &Chunk { first_line: 1, text: deep.as_str().into() }).unwrap_err();
        assert_eq!(err.severity, crate::diag::Severity::Error);
    }
}
