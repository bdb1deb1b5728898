//! Decoding a located tree into typed objects with Go `encoding/json` semantics, as the API server decodes.
//!
//! - `null`, or a missing field, leaves a field at its zero value (Go's decoder does not touch it).
//! - A value of the wrong JSON type is an error naming the Go struct, the field path and the Go type, as in
//!   `json: cannot unmarshal string into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32`.
//! - Unknown fields are dropped and a key written twice is read once (the first time), as the API server reads
//!   them; both are recorded, for the caller to refuse the object as kubectl's default strict field validation
//!   (`--validate=strict`) has the API server do ([`strict_error`]).
//!
//! Every error carries the span of the offending node.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};

use crate::diag::Span;

use super::node::{Node, Value};

/// A decoding failure at a place in the document.
#[derive(Clone, Debug, PartialEq)]
pub struct DecodeError {
    pub message: String,
    pub span: Option<Span>,
    /// Field path with indices, e.g. `spec.template.spec.containers[0].ports[0].containerPort`.
    pub path: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DecodeError {}

impl de::Error for DecodeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DecodeError { message: msg.to_string(), span: None, path: String::new() }
    }
}

/// A field the typed object does not have, or a key written a second time in the same object.
#[derive(Clone, Debug, PartialEq)]
pub struct UnknownField {
    pub path: String,
    pub span: Span,
    /// The fields the enclosing object does have (JSON names), for suggestions.
    pub expected: &'static [&'static str],
    /// The key is written a second time in the same object: where it was first written (the value read).
    pub duplicate_of: Option<Span>,
}

/// The strict decoding error the API server returns for these fields (`sigs.k8s.io/json`'s strict errors):
/// `strict decoding error: unknown field "spec.x", duplicate field "metadata.name"`, in the order the decoder
/// meets them. kubectl sends the document as JSON made from a map, whose keys are sorted at every level, so
/// that order is the fields' paths compared key by key.
pub fn strict_error(fields: &[UnknownField]) -> Option<String> {
    if fields.is_empty() {
        return None;
    }
    let mut sorted: Vec<&UnknownField> = fields.iter().collect();
    sorted.sort_by(|a, b| path_order(&a.path).cmp(&path_order(&b.path)));
    let parts: Vec<String> = sorted
        .iter()
        .map(|f| format!("{} field {}", if f.duplicate_of.is_some() { "duplicate" } else { "unknown" }, crate::go::fmt::quote(&f.path)))
        .collect();
    Some(format!("strict decoding error: {}", parts.join(", ")))
}

/// A field path as the sequence the decoder walks: keys in byte order, list items by index.
fn path_order(path: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, rest) = part.split_once('[').map_or((part, ""), |(k, r)| (k, r));
        out.push((key.to_owned(), 0));
        for index in rest.split('[') {
            if let Ok(i) = index.trim_end_matches(']').parse::<usize>() {
                out.push((String::new(), i));
            }
        }
    }
    out
}

/// Decode a tree into `T`; also returns the unknown fields met on the way.
pub fn decode<T: DeserializeOwned>(node: &Node) -> Result<(T, Vec<UnknownField>), DecodeError> {
    let unknown = RefCell::new(Vec::new());
    let ctx = Ctx { unknown: &unknown };
    let d = NodeDe { node, ctx: &ctx, at: Step::Root, key_span: None };
    let v = T::deserialize(d)?;
    Ok((v, unknown.into_inner()))
}

struct Ctx<'c> {
    unknown: &'c RefCell<Vec<UnknownField>>,
}

/// Where a node sits in the document: the chain of keys and list indices from the root, kept on the stack as
/// the decoder descends. The path strings are only written out when something needs them (an error, an unknown
/// field): rendering one per node decoded cost more than the decoding itself.
#[derive(Clone, Copy)]
enum Step<'p> {
    Root,
    Key(&'p Step<'p>, &'p str),
    Index(&'p Step<'p>, usize),
}

impl Step<'_> {
    /// The path with indices, e.g. `spec.containers[0].ports[0].containerPort`, for locating.
    fn path(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, true);
        out
    }

    /// The path as Go's decoder reports it, without indices (`spec.containers.ports.containerPort`).
    fn go_path(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, false);
        out
    }

    fn write(&self, out: &mut String, indices: bool) {
        match *self {
            Step::Root => {}
            Step::Key(parent, key) => {
                parent.write(out, indices);
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Step::Index(parent, i) => {
                parent.write(out, indices);
                if indices {
                    use fmt::Write as _;
                    let _ = write!(out, "[{i}]");
                }
            }
        }
    }
}

struct NodeDe<'a, 'c, 'p> {
    node: &'a Node,
    ctx: &'c Ctx<'c>,
    /// Where `node` is, rendered as a field path only when needed.
    at: Step<'p>,
    /// The span of the key this value belongs to (for unknown fields).
    key_span: Option<Span>,
}

thread_local! {
    /// The innermost Go struct being decoded: Go names it in type errors.
    static STRUCT: RefCell<Vec<&'static str>> = const { RefCell::new(Vec::new()) };
    /// The fields of the innermost struct being decoded, for unknown-field suggestions.
    static FIELDS: RefCell<Vec<&'static [&'static str]>> = const { RefCell::new(Vec::new()) };
}

impl<'a, 'c, 'p> NodeDe<'a, 'c, 'p> {
    fn err(&self, message: String) -> DecodeError {
        DecodeError { message, span: Some(self.node.span), path: self.at.path() }
    }

    fn mismatch(&self, go_type: &str) -> DecodeError {
        let got = self.node.value.json_type();
        let strukt = STRUCT.with(|s| s.borrow().last().copied());
        let go_path = self.at.go_path();
        let msg = match strukt {
            Some(s) if !go_path.is_empty() => {
                format!("json: cannot unmarshal {got} into Go struct field {s}.{go_path} of type {go_type}")
            }
            _ => format!("json: cannot unmarshal {got} into Go value of type {go_type}"),
        };
        self.err(msg)
    }

    /// Attach this node's location to an error raised by a visitor (e.g. an unparsable quantity).
    fn locate<T>(&self, r: Result<T, DecodeError>) -> Result<T, DecodeError> {
        r.map_err(|mut e| {
            if e.span.is_none() {
                e.span = Some(self.node.span);
                e.path = self.at.path();
                e.message = format!("{} (field {})", e.message, if e.path.is_empty() { "<root>" } else { &e.path });
            }
            e
        })
    }

    fn child<'s>(&'s self, node: &'a Node, key: Option<(&'a str, Span)>, index: Option<usize>) -> NodeDe<'a, 'c, 's> {
        let at = match (key, index) {
            (Some((k, _)), _) => Step::Key(&self.at, k),
            (None, Some(i)) => Step::Index(&self.at, i),
            (None, None) => self.at,
        };
        NodeDe { node, ctx: self.ctx, at, key_span: key.map(|(_, s)| s) }
    }

    fn int(&self, go_type: &str, min: i128, max: i128) -> Result<i64, DecodeError> {
        let v = match &self.node.value {
            Value::Null => return Ok(0),
            Value::Int(i) => i128::from(*i),
            Value::Float(f) if f.fract() == 0.0 && f.abs() < 1e19 => *f as i128,
            Value::Float(f) => {
                return Err(self.err(format!(
                    "json: cannot unmarshal number {} into Go struct field {} of type {go_type}",
                    crate::go::json::format_float(*f),
                    self.at.go_path()
                )))
            }
            _ => return Err(self.mismatch(go_type)),
        };
        if v < min || v > max {
            return Err(self.err(format!(
                "json: cannot unmarshal number {v} into Go struct field {} of type {go_type}",
                self.at.go_path()
            )));
        }
        Ok(v as i64)
    }
}

macro_rules! int_method {
    ($name:ident, $visit:ident, $go:literal, $t:ty) => {
        fn $name<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DecodeError> {
            let i = self.int($go, <$t>::MIN as i128, <$t>::MAX as i128)?;
            let r = v.$visit(i as $t);
            self.locate(r)
        }
    };
}

impl<'de, 'a, 'c, 'p> de::Deserializer<'de> for NodeDe<'a, 'c, 'p> {
    type Error = DecodeError;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DecodeError> {
        let r = match &self.node.value {
            Value::Null => v.visit_unit(),
            Value::Bool(b) => v.visit_bool(*b),
            Value::Int(i) => v.visit_i64(*i),
            Value::Float(f) => v.visit_f64(*f),
            Value::Str(s) => v.visit_str(s),
            Value::Seq(_) => return self.deserialize_seq(v),
            Value::Map(_) => return self.deserialize_map(v),
        };
        self.locate(r)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DecodeError> {
        let r = match &self.node.value {
            Value::Null => v.visit_bool(false),
            Value::Bool(b) => v.visit_bool(*b),
            _ => return Err(self.mismatch("bool")),
        };
        self.locate(r)
    }

    int_method!(deserialize_i8, visit_i8, "int8", i8);
    int_method!(deserialize_i16, visit_i16, "int16", i16);
    int_method!(deserialize_i32, visit_i32, "int32", i32);
    int_method!(deserialize_i64, visit_i64, "int64", i64);
    int_method!(deserialize_u8, visit_u8, "uint8", u8);
    int_method!(deserialize_u16, visit_u16, "uint16", u16);
    int_method!(deserialize_u32, visit_u32, "uint32", u32);
    int_method!(deserialize_u64, visit_u64, "uint64", u64);

    fn deserialize_f32<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DecodeError> {
        self.deserialize_f64(v)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DecodeError> {
        let r = match &self.node.value {
            Value::Null => v.visit_f64(0.0),
            Value::Int(i) => v.visit_f64(*i as f64),
            Value::Float(f) => v.visit_f64(*f),
            _ => return Err(self.mismatch("float64")),
        };
        self.locate(r)
    }

    fn deserialize_char<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DecodeError> {
        self.deserialize_str(v)
    }

    fn deserialize_str<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DecodeError> {
        let r = match &self.node.value {
            Value::Null => v.visit_str(""),
            Value::Str(s) => v.visit_str(s),
            _ => return Err(self.mismatch("string")),
        };
        self.locate(r)
    }

    fn deserialize_string<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DecodeError> {
        self.deserialize_str(v)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DecodeError> {
        self.deserialize_str(v)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DecodeError> {
        self.deserialize_str(v)
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DecodeError> {
        match &self.node.value {
            Value::Null => v.visit_none(),
            _ => v.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DecodeError> {
        v.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _: &'static str, v: V) -> Result<V::Value, DecodeError> {
        v.visit_unit()
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _: &'static str, v: V) -> Result<V::Value, DecodeError> {
        v.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DecodeError> {
        match &self.node.value {
            Value::Null => v.visit_seq(Seq { items: &[], de: &self, index: 0 }),
            Value::Seq(items) => {
                let r = v.visit_seq(Seq { items, de: &self, index: 0 });
                self.locate(r)
            }
            _ => Err(self.mismatch("[]")),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, v: V) -> Result<V::Value, DecodeError> {
        self.deserialize_seq(v)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(self, _: &'static str, _: usize, v: V) -> Result<V::Value, DecodeError> {
        self.deserialize_seq(v)
    }

    fn deserialize_map<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DecodeError> {
        match &self.node.value {
            Value::Null => v.visit_map(Map { entries: &[], de: &self, index: 0 }),
            Value::Map(entries) => {
                let r = v.visit_map(Map { entries, de: &self, index: 0 });
                self.locate(r)
            }
            _ => Err(self.mismatch("map[string]string")),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, DecodeError> {
        match &self.node.value {
            Value::Null | Value::Map(_) => {
                STRUCT.with(|s| s.borrow_mut().push(name));
                FIELDS.with(|s| s.borrow_mut().push(fields));
                let r = self.deserialize_map(v);
                FIELDS.with(|s| s.borrow_mut().pop());
                STRUCT.with(|s| s.borrow_mut().pop());
                r
            }
            _ => Err(self.mismatch(&format!("v1.{name}"))),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, DecodeError> {
        match &self.node.value {
            Value::Str(s) => v.visit_enum(s.as_str().into_deserializer()),
            _ => Err(self.mismatch("string")),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DecodeError> {
        self.deserialize_str(v)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DecodeError> {
        // serde's derived struct visitors skip unknown fields through here.
        if let Some(span) = self.key_span {
            let expected = FIELDS.with(|s| s.borrow().last().copied()).unwrap_or(&[]);
            self.ctx.unknown.borrow_mut().push(UnknownField { path: self.at.path(), span, expected, duplicate_of: None });
        }
        v.visit_unit()
    }
}

struct Seq<'s, 'a, 'c, 'p> {
    items: &'a [Node],
    de: &'s NodeDe<'a, 'c, 'p>,
    index: usize,
}

impl<'de, 's, 'a, 'c, 'p> SeqAccess<'de> for Seq<'s, 'a, 'c, 'p> {
    type Error = DecodeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, DecodeError> {
        let Some(item) = self.items.get(self.index) else { return Ok(None) };
        let child = self.de.child(item, None, Some(self.index));
        self.index += 1;
        seed.deserialize(child).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len() - self.index)
    }
}

struct Map<'s, 'a, 'c, 'p> {
    entries: &'a [(super::node::Key, Node)],
    de: &'s NodeDe<'a, 'c, 'p>,
    index: usize,
}

impl<'de, 's, 'a, 'c, 'p> MapAccess<'de> for Map<'s, 'a, 'c, 'p> {
    type Error = DecodeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, DecodeError> {
        // A key written again is recorded and skipped: the value read is the first one.
        while let Some((k, _)) = self.entries.get(self.index) {
            let Some((first, _)) = self.entries[..self.index].iter().find(|(earlier, _)| earlier.name == k.name) else {
                break;
            };
            let expected = FIELDS.with(|s| s.borrow().last().copied()).unwrap_or(&[]);
            let path = Step::Key(&self.de.at, &k.name).path();
            let duplicate_of = Some(first.span);
            self.de.ctx.unknown.borrow_mut().push(UnknownField { path, span: k.span, expected, duplicate_of });
            self.index += 1;
        }
        let Some((k, _)) = self.entries.get(self.index) else { return Ok(None) };
        seed.deserialize(k.name.as_str().into_deserializer()).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DecodeError> {
        let (k, v) = &self.entries[self.index];
        self.index += 1;
        let child = self.de.child(v, Some((&k.name, k.span)), None);
        seed.deserialize(child)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len() - self.index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::core_v1::ContainerPort;
    use crate::input::yaml::{parse_chunk, Chunk};

    fn tree(text: &str) -> Node {
        parse_chunk("f", &Chunk { first_line: 1, text: text.into() }).unwrap().unwrap()
    }

    #[test]
    fn type_errors_name_the_go_field_and_point_at_the_value() {
        let n = tree("containerPort: abc\n");
        let e = decode::<ContainerPort>(&n).unwrap_err();
        assert_eq!(
            e.message,
            "json: cannot unmarshal string into Go struct field ContainerPort.containerPort of type int32"
        );
        assert_eq!(e.span.unwrap().start.line, 1);
        assert_eq!(e.span.unwrap().start.col, 16);
    }

    #[test]
    fn nested_paths_carry_indices_for_locating_and_drop_them_for_go() {
        use crate::api::core_v1::PodSpec;
        let n = tree("containers:\n- name: a\n  bogus: 1\n- name: b\n  ports:\n  - containerPort: abc\n");
        let e = decode::<PodSpec>(&n).unwrap_err();
        assert_eq!(e.path, "containers[1].ports[0].containerPort");
        assert_eq!(
            e.message,
            "json: cannot unmarshal string into Go struct field ContainerPort.containers.ports.containerPort of type int32"
        );
        let n = tree("containers:\n- name: a\n  bogus: 1\n  name: again\n");
        let (_, fields) = decode::<PodSpec>(&n).unwrap();
        let paths: Vec<&str> = fields.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["containers[0].bogus", "containers[0].name"]);
        assert!(fields[1].duplicate_of.is_some());
    }

    #[test]
    fn null_keeps_zero_values_and_unknown_fields_are_reported() {
        let n = tree("containerPort: 80\nprotocol: null\nbogus: 1\n");
        let (p, unknown) = decode::<ContainerPort>(&n).unwrap();
        assert_eq!(p.container_port, 80);
        assert_eq!(p.protocol, "");
        assert_eq!(unknown.len(), 1);
        assert_eq!(unknown[0].path, "bogus");
        assert_eq!(unknown[0].span.start.line, 3);
        assert!(unknown[0].expected.contains(&"containerPort"));
    }

    #[test]
    fn duplicate_keys_are_read_once_and_strict_errors_come_in_sorted_path_order() {
        let n = tree("containerPort: 80\nzeta: 1\ncontainerPort: 81\nalpha: 2\n");
        let (p, fields) = decode::<ContainerPort>(&n).unwrap();
        assert_eq!(p.container_port, 80);
        assert_eq!(fields.len(), 3);
        assert_eq!(
            strict_error(&fields).unwrap(),
            "strict decoding error: unknown field \"alpha\", duplicate field \"containerPort\", unknown field \"zeta\""
        );
        let at = |path: &str| UnknownField { path: path.into(), span: n.span, expected: &[], duplicate_of: None };
        let order = strict_error(&[at("spec.b[10].x"), at("spec.b[2].x"), at("spec.a")]).unwrap();
        assert_eq!(order, "strict decoding error: unknown field \"spec.a\", unknown field \"spec.b[2].x\", unknown field \"spec.b[10].x\"");
    }
}
