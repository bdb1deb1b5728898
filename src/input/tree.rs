//! The located tree read straight from the YAML parser's events, for the documents nearly every manifest is
//! made of: no anchors, aliases, tags or merge keys, and string keys.
//!
//! serde-saphyr (the full reader, [`super::yaml::parse_chunk`]) records every mapping key and replays it through
//! serde's visitors so that it can offer merge keys, duplicate-key policies and spans to any type; for a tree of
//! plain values that machinery is most of the cost of reading a manifest. Here the same parser (granit-parser,
//! with the options serde-saphyr gives it) is driven directly and each event becomes a node. Whatever this
//! reader does not take on — a parse error, an anchor or alias, a tag, a merge key, a key that is not a string,
//! a number JSON cannot hold, a second document, a budget's neighbourhood — makes it answer `None`, and the
//! document is read again by the full reader, whose tree and messages stay the reference. The fuzz target
//! `load` checks that both readers build the same tree whenever this one answers.

use std::borrow::Cow;

use granit_parser::{Event, Parser, ScalarStyle};

use crate::diag::{Pos, Span};

use super::node::{Key, Node, Value};

/// Nesting this reader takes on; deeper documents go to the full reader, which refuses them past its limit.
const MAX_DEPTH: usize = 48;
/// Nodes this reader takes on per document, far below the full reader's budget.
const MAX_NODES: usize = 4_000_000;

/// A collection being filled.
enum Open {
    Seq { span: Span, items: Vec<Node> },
    Map { span: Span, entries: Vec<(Key, Node)>, key: Option<Key> },
}

/// Read one document into a located tree, or `None` when it needs the full reader. Spans are as the full
/// reader gives them before [`super::node::fix_ends`]: the first line of the file is `line_base + 1`.
pub(super) fn read(text: &str, line_base: u32) -> Option<Node> {
    let mut open: Vec<Open> = Vec::new();
    let mut root = None;
    let mut documents = 0;
    let mut nodes = 0usize;
    for item in Parser::new_from_str(text) {
        let (event, span) = item.ok()?;
        let span = located(&span, line_base);
        let node = match event {
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => continue,
            Event::DocumentStart(..) => {
                documents += 1;
                if documents > 1 {
                    return None;
                }
                continue;
            }
            Event::Scalar(value, style, anchor, tag) => {
                if anchor != 0 || tag.is_some() {
                    return None;
                }
                Node { value: resolve(value, style)?, span }
            }
            Event::SequenceStart(_, anchor, ref tag) | Event::MappingStart(_, anchor, ref tag) => {
                if anchor != 0 || tag.is_some() || open.len() >= MAX_DEPTH {
                    return None;
                }
                open.push(match event {
                    Event::SequenceStart(..) => Open::Seq { span, items: Vec::new() },
                    _ => Open::Map { span, entries: Vec::new(), key: None },
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match open.pop()? {
                Open::Seq { span, items } => Node { value: Value::Seq(items), span },
                Open::Map { span, entries, key: None } => Node { value: Value::Map(entries), span },
                Open::Map { key: Some(_), .. } => return None,
            },
            _ => return None,
        };
        nodes += 1;
        if nodes > MAX_NODES {
            return None;
        }
        match open.last_mut() {
            None if root.is_none() => root = Some(node),
            None => return None,
            Some(Open::Seq { items, .. }) => items.push(node),
            Some(Open::Map { entries, key, .. }) => match key.take() {
                Some(k) => entries.push((k, node)),
                None => *key = Some(as_key(node)?),
            },
        }
    }
    if !open.is_empty() {
        return None;
    }
    Some(root.unwrap_or(Node { value: Value::Null, span: Span::default() }))
}

/// Where an event starts, and its length in characters on that line, as serde-saphyr's `Spanned` reports it
/// (its `location_from_span`): 1-based line and column, at least one character long.
fn located(span: &granit_parser::Span, line_base: u32) -> Span {
    let line = u32::try_from(span.start.line()).unwrap_or(u32::MAX).saturating_add(line_base);
    let col = u32::try_from(span.start.col()).unwrap_or(u32::MAX).saturating_add(1);
    let len = u32::try_from(span.len().max(1)).unwrap_or(u32::MAX);
    Span { start: Pos { line, col }, end: Pos { line, col: col.saturating_add(len) } }
}

/// A mapping key: a string that is not the merge key `<<`. Other keys (numbers, booleans, null, collections)
/// are turned into text by rules the full reader keeps.
fn as_key(node: Node) -> Option<Key> {
    match node.value {
        Value::Str(name) if name != "<<" => Some(Key { name, span: node.span }),
        _ => None,
    }
}

/// Whether `text`, written as a plain scalar, reads back as that same string: not a null, a boolean or a number
/// by the rules of [`resolve`] (lint fixes write values this way, and quote them otherwise).
pub(crate) fn plain_reads_as_string(text: &str) -> bool {
    matches!(resolve(Cow::Borrowed(text), ScalarStyle::Plain), Some(Value::Str(s)) if s == text)
}

/// The value of an untagged scalar by the YAML 1.1 rules kubectl's go-yaml v2 applies (as serde-saphyr's
/// `deserialize_any` does with `legacy_octal_numbers`): quoted and block scalars are strings; a plain scalar is
/// null (`~`, `null`, empty), a boolean (`yes`, `off`, `y`…), an integer (decimal, `0x`, `0o`, `0b`, or octal
/// with a leading zero, `_` between digits), a float, or else a string. `None` for an infinite or not-a-number
/// value, which the full reader refuses with its own message.
fn resolve(value: Cow<'_, str>, style: ScalarStyle) -> Option<Value> {
    if style != ScalarStyle::Plain {
        return Some(Value::Str(value.into_owned()));
    }
    if matches!(&*value, "" | "~" | "null" | "Null" | "NULL") {
        return Some(Value::Null);
    }
    let t = value.trim_matches([' ', '\t', '\r', '\n']);
    if let Some(b) = yaml11_bool(t) {
        return Some(Value::Bool(b));
    }
    if let Some(v) = integer(t) {
        return Some(v);
    }
    match float(t) {
        Some(f) if f.is_finite() => Some(Value::Float(f)),
        Some(_) => None,
        None => Some(Value::Str(value.into_owned())),
    }
}

fn yaml11_bool(t: &str) -> Option<bool> {
    const TRUE: [&str; 4] = ["true", "yes", "y", "on"];
    const FALSE: [&str; 4] = ["false", "no", "n", "off"];
    if t.len() > 5 {
        return None;
    }
    if TRUE.iter().any(|w| t.eq_ignore_ascii_case(w)) {
        Some(true)
    } else if FALSE.iter().any(|w| t.eq_ignore_ascii_case(w)) {
        Some(false)
    } else {
        None
    }
}

/// An integer as the full reader's typeless path reads one: a `-` sign makes it signed (it must fit an `i64`),
/// otherwise it is unsigned (up to `u64::MAX`; past `i64::MAX` the tree holds it as a float, as JSON would).
fn integer(t: &str) -> Option<Value> {
    if let Some(rest) = t.strip_prefix('-') {
        let magnitude = magnitude(rest)?;
        let v = 0i128.checked_sub(i128::try_from(magnitude).ok()?)?;
        return i64::try_from(v).ok().map(Value::Int);
    }
    let magnitude = magnitude(t.strip_prefix('+').unwrap_or(t))?;
    let v = u64::try_from(magnitude).ok()?;
    Some(i64::try_from(v).map(Value::Int).unwrap_or(Value::Float(v as f64)))
}

/// The digits of an unsigned integer in its radix: `0x`/`0o`/`0b` prefixes, a leading `0` for octal (legacy
/// YAML 1.1), decimal otherwise (without leading zeros). Underscores may separate digits, one at a time.
fn magnitude(rest: &str) -> Option<u128> {
    let prefixed = |p: [&str; 2]| rest.strip_prefix(p[0]).or_else(|| rest.strip_prefix(p[1]));
    let (radix, digits) = if let Some(d) = prefixed(["0x", "0X"]) {
        (16, d.strip_prefix('_').unwrap_or(d))
    } else if let Some(d) = prefixed(["0o", "0O"]) {
        (8, d.strip_prefix('_').unwrap_or(d))
    } else if let Some(d) = prefixed(["0b", "0B"]) {
        (2, d.strip_prefix('_').unwrap_or(d))
    } else if rest == "0" {
        (8, rest)
    } else if let Some(d) = rest.strip_prefix('0') {
        (8, d.strip_prefix('_').unwrap_or(d))
    } else {
        (10, rest)
    };
    digits_value(digits, radix)
}

fn digits_value(digits: &str, radix: u32) -> Option<u128> {
    let bytes = digits.as_bytes();
    let mut value: u128 = 0;
    let mut any = false;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'_' {
            let lone = i > 0 && bytes[i - 1] != b'_' && bytes.get(i + 1).is_some_and(|&n| n != b'_');
            if !lone {
                return None;
            }
            continue;
        }
        let d = (b as char).to_digit(radix)?;
        value = value.checked_mul(u128::from(radix))?.checked_add(u128::from(d))?;
        any = true;
    }
    any.then_some(value)
}

/// A float as the full reader's typeless path reads one: `.inf`/`.nan` spellings, Rust's own float syntax
/// when it gives a finite value, or a numeral that overflows to infinity. `None` when the text is no float.
fn float(t: &str) -> Option<f64> {
    let (negative, unsigned) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    match unsigned {
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        ".inf" | ".Inf" | ".INF" => return Some(if negative { f64::NEG_INFINITY } else { f64::INFINITY }),
        _ => {}
    }
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() => Some(v),
        Ok(v) if v.is_infinite() && unsigned.as_bytes().first().is_some_and(u8::is_ascii_digit) => Some(v),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_scalars_resolve_as_yaml_1_1() {
        let cases: [(&str, Value); 14] = [
            ("yes", Value::Bool(true)),
            ("Off", Value::Bool(false)),
            ("~", Value::Null),
            ("0644", Value::Int(420)),
            ("0x1_F", Value::Int(31)),
            ("-0b101", Value::Int(-5)),
            ("1_000", Value::Int(1000)),
            ("18446744073709551615", Value::Float(18446744073709551615.0)),
            ("-9223372036854775808", Value::Int(i64::MIN)),
            ("1e3", Value::Float(1000.0)),
            ("089", Value::Float(89.0)),
            ("1__0", Value::Str("1__0".into())),
            ("inf", Value::Str("inf".into())),
            ("nginx:1.27", Value::Str("nginx:1.27".into())),
        ];
        for (text, want) in cases {
            assert_eq!(resolve(text.into(), ScalarStyle::Plain), Some(want), "{text}");
        }
        assert_eq!(resolve("yes".into(), ScalarStyle::DoubleQuoted), Some(Value::Str("yes".into())));
        assert_eq!(resolve(".inf".into(), ScalarStyle::Plain), None);
        assert_eq!(resolve("1e999".into(), ScalarStyle::Plain), None);
    }

    #[test]
    fn leaves_anchors_tags_merges_and_odd_keys_to_the_full_reader() {
        for text in ["a: &x 1\nb: *x\n", "a: !!str 1\n", "<<: {a: 1}\n", "1: a\n", "? [a]\n: b\n", "a: 1\n...\nb: 2\n"] {
            assert!(read(text, 0).is_none(), "{text:?}");
        }
        assert!(read("a: [1, {b: c}]\n", 0).is_some());
    }
}

#[cfg(test)]
mod agreement {
    use super::super::yaml::{parse_chunk_directly, parse_chunk_fully, Chunk};

    #[test]
    fn scalars_read_as_the_full_reader_reads_them() {
        let mut bad = vec![];
        for s in ["0B00", "0b1", "0x1F", "0o17", "0644", "+12", "-0x10", "1_0", "0.5", "1e3", ".5", "5.", "+.5", "-1.5e-3", "0b", "0x_1", "00", "-0", "+0", "1:20", "12e", "1E5", "0B1"] {
            let text = format!("a: {s}\n");
            let chunk = Chunk { first_line: 1, text: text.as_str().into() };
            if let Some(d) = parse_chunk_directly(&chunk) {
                let f = parse_chunk_fully("f", &chunk);
                if Ok(d.clone()) != f {
                    bad.push(format!("{s}: {:?} vs {:?}", d.unwrap().get("a").map(|n| n.value.clone()), f.map(|n| n.unwrap().get("a").map(|n| n.value.clone()))));
                }
            }
        }
        assert!(bad.is_empty(), "{bad:#?}");
    }
}
