//! Pretty JSON with every object's keys in sorted order, printed straight from `Serialize`.
//!
//! `kubeplan plan --output json` has always printed its document through [`serde_json::Value`], whose objects
//! keep their keys sorted: a pod's fields come out in byte order of their names, not in the Go struct order its
//! type declares them in. Building that value tree for every pod, event and step, only to print it and drop it,
//! was most of the time spent writing a plan (and allocations by the million). This serializer prints the same
//! bytes without the tree: each object's entries are written as they come, and only when an object's keys
//! arrive out of order is that object's text put back in sorted order, once, when it ends.
//!
//! The bytes are those of `serde_json::to_value` printed by `serde_json::to_string_pretty` (two spaces, `": "`)
//! at a given nesting depth: a later key written twice wins, as a JSON value's map keeps the last insert; scalars
//! are formatted by serde_json itself; a value a JSON value cannot hold (a map key that is not a string or a
//! number) is an error.

use std::fmt::Display;

use serde::ser::{self, Serialize};

/// Append `value` printed pretty with sorted keys, as it would print at nesting `depth` of a larger document.
/// When the value is an object, the `extra` entries are added to it first (a pod's `kind` and `apiVersion`, which
/// the objects of the plan do not carry); an entry the value writes with the same key replaces one, as a later
/// insert into a JSON value's map does.
pub fn write<T: Serialize + ?Sized>(out: &mut Vec<u8>, value: &T, depth: usize, extra: &[(&str, &str)]) -> Result<(), Error> {
    let mut printer = Printer {
        out,
        depth,
        top: depth,
        keys: Vec::new(),
        frames: Vec::new(),
        spare_entries: Vec::new(),
        scratch: Vec::new(),
        extra,
    };
    value.serialize(&mut printer)
}

/// Why a value could not be printed: it has no JSON form (serde_json's value would refuse it too).
#[derive(Debug)]
pub struct Error(String);

impl Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

/// One entry of an object being printed: its key (a range of [`Printer::keys`]) and its `"key": value` text (a
/// range of the output, after the separator before it).
#[derive(Clone, Copy)]
struct Entry {
    key: (usize, usize),
    text: (usize, usize),
}

/// An object being printed: where its text starts (after `{`), its entries, and where its keys start in
/// [`Printer::keys`].
struct Frame {
    start: usize,
    keys_start: usize,
    entries: Vec<Entry>,
}

struct Printer<'o, 'e> {
    out: &'o mut Vec<u8>,
    /// The nesting depth of the value being printed (its entries are one deeper).
    depth: usize,
    /// The depth of the value [`write`] was given.
    top: usize,
    /// The raw (unescaped) keys of the objects being printed, to compare them as a JSON value's map does.
    keys: Vec<u8>,
    /// The objects being printed, innermost last.
    frames: Vec<Frame>,
    /// Entry lists of objects already printed, emptied, for the objects still to come: a pod is some thirty
    /// objects, never more than a few of them open at once.
    spare_entries: Vec<Vec<Entry>>,
    scratch: Vec<u8>,
    /// Entries added to the value's object, when the value is one.
    extra: &'e [(&'e str, &'e str)],
}

impl Printer<'_, '_> {
    fn newline(&mut self, depth: usize) {
        self.out.push(b'\n');
        self.out.resize(self.out.len() + 2 * depth, b' ');
    }

    fn scalar<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        serde_json::to_writer(&mut *self.out, v).map_err(|e| Error(e.to_string()))
    }

    fn string(&mut self, v: &str) {
        write_string(self.out, v);
    }

    /// `[`, then the elements, each on its own line one level deeper, then `]` (`[]` when empty).
    fn begin_array(&mut self) {
        self.out.push(b'[');
        self.depth += 1;
    }

    fn array_element<T: Serialize + ?Sized>(&mut self, first: bool, v: &T) -> Result<(), Error> {
        if !first {
            self.out.push(b',');
        }
        self.newline(self.depth);
        v.serialize(&mut *self)
    }

    fn end_array(&mut self, empty: bool) {
        self.depth -= 1;
        if !empty {
            self.newline(self.depth);
        }
        self.out.push(b']');
    }

    fn begin_object(&mut self) -> Result<(), Error> {
        let outermost = self.depth == self.top;
        self.out.push(b'{');
        self.depth += 1;
        let entries = self.spare_entries.pop().unwrap_or_default();
        let frame = Frame { start: self.out.len(), keys_start: self.keys.len(), entries };
        self.frames.push(frame);
        if outermost {
            let extra = self.extra;
            for (k, v) in extra {
                self.entry(k, |p| Ok(p.string(v)))?;
            }
        }
        Ok(())
    }

    /// Write one entry in the order it comes; [`Printer::end_object`] puts the object right if the keys were
    /// not sorted.
    fn entry(&mut self, key: &str, value: impl FnOnce(&mut Self) -> Result<(), Error>) -> Result<(), Error> {
        let key_start = self.keys.len();
        self.keys.extend_from_slice(key.as_bytes());
        let first = self.frames.last().is_none_or(|f| f.entries.is_empty());
        if !first {
            self.out.push(b',');
        }
        self.newline(self.depth);
        let start = self.out.len();
        self.string(key);
        self.out.extend_from_slice(b": ");
        value(self)?;
        let entry = Entry { key: (key_start, self.keys.len()), text: (start, self.out.len()) };
        if let Some(frame) = self.frames.last_mut() {
            frame.entries.push(entry);
        }
        Ok(())
    }

    fn end_object(&mut self) {
        let Some(mut frame) = self.frames.pop() else { return };
        self.depth -= 1;
        let key = |e: &Entry| &self.keys[e.key.0..e.key.1];
        let sorted = frame.entries.windows(2).all(|w| key(&w[0]) < key(&w[1]));
        if !sorted {
            self.reorder(&mut frame);
        }
        if !frame.entries.is_empty() {
            self.newline(self.depth);
        }
        self.out.push(b'}');
        self.keys.truncate(frame.keys_start);
        frame.entries.clear();
        self.spare_entries.push(frame.entries);
    }

    /// Print an object's entries again in key order, a key written twice once with its last value.
    fn reorder(&mut self, frame: &mut Frame) {
        let keys = &self.keys;
        let key = |e: &Entry| &keys[e.key.0..e.key.1];
        // Stable, so that of entries with one key the last written stays last, and is the one kept.
        frame.entries.sort_by(|a, b| key(a).cmp(key(b)));
        let mut kept: Vec<Entry> = Vec::with_capacity(frame.entries.len());
        for e in &frame.entries {
            match kept.last_mut() {
                Some(last) if key(last) == key(e) => *last = *e,
                _ => kept.push(*e),
            }
        }
        self.scratch.clear();
        self.scratch.extend_from_slice(&self.out[frame.start..]);
        self.out.truncate(frame.start);
        for (i, e) in kept.iter().enumerate() {
            if i > 0 {
                self.out.push(b',');
            }
            self.out.push(b'\n');
            self.out.resize(self.out.len() + 2 * (self.depth + 1), b' ');
            self.out.extend_from_slice(&self.scratch[e.text.0 - frame.start..e.text.1 - frame.start]);
        }
        frame.entries = kept;
    }
}

/// A sequence or tuple being printed.
pub struct Seq<'p, 'o, 'e> {
    p: &'p mut Printer<'o, 'e>,
    empty: bool,
    /// The entry of the object around the array, for a tuple variant (`{"Variant": [...]}`).
    variant: Option<Entry>,
}

/// An object being printed: a map, a struct or a struct variant's fields.
pub struct Obj<'p, 'o, 'e> {
    p: &'p mut Printer<'o, 'e>,
    /// The key given by `serialize_key`, waiting for its value.
    key: Option<String>,
    /// The entry of the object around this one, for a struct variant (`{"Variant": {...}}`).
    variant: Option<Entry>,
}

/// `Serializer` methods that print their value as serde_json formats it.
macro_rules! scalars {
    ($($method:ident: $t:ty),*) => {
        $(fn $method(self, v: $t) -> Result<(), Error> {
            self.scalar(&v)
        })*
    };
}

/// `Serializer` methods of [`KeyText`] that write their value as a string.
macro_rules! key_texts {
    ($($method:ident: $t:ty),*) => {
        $(fn $method(self, v: $t) -> Result<String, Error> {
            Ok(v.to_string())
        })*
    };
}

impl<'p, 'o, 'e> ser::Serializer for &'p mut Printer<'o, 'e> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Seq<'p, 'o, 'e>;
    type SerializeTuple = Seq<'p, 'o, 'e>;
    type SerializeTupleStruct = Seq<'p, 'o, 'e>;
    type SerializeTupleVariant = Seq<'p, 'o, 'e>;
    type SerializeMap = Obj<'p, 'o, 'e>;
    type SerializeStruct = Obj<'p, 'o, 'e>;
    type SerializeStructVariant = Obj<'p, 'o, 'e>;

    scalars!(serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64);
    fn serialize_i128(self, v: i128) -> Result<(), Error> {
        // A JSON value holds 64-bit integers only.
        let v = i64::try_from(v).map_err(|_| Error("number out of range".into()))?;
        self.scalar(&v)
    }
    scalars!(serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64);
    fn serialize_u128(self, v: u128) -> Result<(), Error> {
        let v = u64::try_from(v).map_err(|_| Error("number out of range".into()))?;
        self.scalar(&v)
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        // A JSON value keeps an f32 as the f64 of the same value.
        self.scalar(&f64::from(v))
    }
    scalars!(serialize_f64: f64, serialize_char: char);
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.string(v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        // A JSON value holds bytes as an array of numbers.
        self.begin_array();
        for (i, b) in v.iter().enumerate() {
            self.array_element(i == 0, b)?;
        }
        self.end_array(v.is_empty());
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), Error> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        self.serialize_none()
    }
    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> Result<(), Error> {
        self.string(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _name: &'static str, v: &T) -> Result<(), Error> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        self.begin_object()?;
        self.entry(variant, |p| v.serialize(p))?;
        self.end_object();
        Ok(())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Seq<'p, 'o, 'e>, Error> {
        self.begin_array();
        Ok(Seq { p: self, empty: true, variant: None })
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq<'p, 'o, 'e>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Seq<'p, 'o, 'e>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Seq<'p, 'o, 'e>, Error> {
        // `{"Variant": [` now; the entry is recorded when the array ends.
        self.begin_object()?;
        let variant = open_variant_entry(self, variant)?;
        self.begin_array();
        Ok(Seq { p: self, empty: true, variant: Some(variant) })
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Obj<'p, 'o, 'e>, Error> {
        self.begin_object()?;
        Ok(Obj { p: self, key: None, variant: None })
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Obj<'p, 'o, 'e>, Error> {
        self.serialize_map(None)
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Obj<'p, 'o, 'e>, Error> {
        self.begin_object()?;
        let variant = open_variant_entry(self, variant)?;
        self.begin_object()?;
        Ok(Obj { p: self, key: None, variant: Some(variant) })
    }
}

/// Start the single entry of a variant's object (`"Variant": `) whose value follows: its key's range in
/// [`Printer::keys`] and where its text starts, for [`close_variant_entry`] to record it once the value is
/// printed.
fn open_variant_entry(p: &mut Printer<'_, '_>, variant: &'static str) -> Result<Entry, Error> {
    let key_start = p.keys.len();
    p.keys.extend_from_slice(variant.as_bytes());
    p.newline(p.depth);
    let text_start = p.out.len();
    p.scalar(variant)?;
    p.out.extend_from_slice(b": ");
    Ok(Entry { key: (key_start, p.keys.len()), text: (text_start, text_start) })
}

fn close_variant_entry(p: &mut Printer<'_, '_>, mut entry: Entry) {
    entry.text.1 = p.out.len();
    if let Some(frame) = p.frames.last_mut() {
        frame.entries.push(entry);
    }
    p.end_object();
}

impl Seq<'_, '_, '_> {
    fn element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        let first = self.empty;
        self.empty = false;
        self.p.array_element(first, v)
    }

    fn finish(self) -> Result<(), Error> {
        self.p.end_array(self.empty);
        if let Some(entry) = self.variant {
            close_variant_entry(self.p, entry);
        }
        Ok(())
    }
}

/// The four serde traits of a sequence, all printing an array element by element.
macro_rules! seq_impls {
    ($($tr:ident::$method:ident),*) => {
        $(impl ser::$tr for Seq<'_, '_, '_> {
            type Ok = ();
            type Error = Error;
            fn $method<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
                self.element(v)
            }
            fn end(self) -> Result<(), Error> {
                self.finish()
            }
        })*
    };
}

seq_impls!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl Obj<'_, '_, '_> {
    fn finish(self) -> Result<(), Error> {
        self.p.end_object();
        if let Some(entry) = self.variant {
            close_variant_entry(self.p, entry);
        }
        Ok(())
    }
}

impl ser::SerializeMap for Obj<'_, '_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.key = Some(key.serialize(KeyText)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        let key = self.key.take().ok_or_else(|| Error("a map value without its key".into()))?;
        self.p.entry(&key, |p| v.serialize(p))
    }
    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

/// A struct's and a struct variant's fields: entries under their names.
macro_rules! struct_impls {
    ($($tr:ident),*) => {
        $(impl ser::$tr for Obj<'_, '_, '_> {
            type Ok = ();
            type Error = Error;
            fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> Result<(), Error> {
                self.p.entry(key, |p| v.serialize(p))
            }
            fn end(self) -> Result<(), Error> {
                self.finish()
            }
        })*
    };
}

struct_impls!(SerializeStruct, SerializeStructVariant);

/// A map key as a JSON value's map holds it: a string, or a number, a bool or a char written as a string.
/// Anything else (a sequence, a map, null) is refused, as serde_json refuses it.
struct KeyText;

impl ser::Serializer for KeyText {
    type Ok = String;
    type Error = Error;
    type SerializeSeq = ser::Impossible<String, Error>;
    type SerializeTuple = ser::Impossible<String, Error>;
    type SerializeTupleStruct = ser::Impossible<String, Error>;
    type SerializeTupleVariant = ser::Impossible<String, Error>;
    type SerializeMap = ser::Impossible<String, Error>;
    type SerializeStruct = ser::Impossible<String, Error>;
    type SerializeStructVariant = ser::Impossible<String, Error>;

    fn serialize_str(self, v: &str) -> Result<String, Error> {
        Ok(v.to_owned())
    }
    key_texts!(
        serialize_char: char, serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_i128: i128, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
        serialize_u64: u64, serialize_u128: u128
    );
    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> Result<String, Error> {
        Ok(variant.to_owned())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _name: &'static str, v: &T) -> Result<String, Error> {
        v.serialize(self)
    }
    fn serialize_f32(self, v: f32) -> Result<String, Error> {
        finite_key(v.is_finite(), &v)
    }
    fn serialize_f64(self, v: f64) -> Result<String, Error> {
        finite_key(v.is_finite(), &v)
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<String, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_none(self) -> Result<String, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _v: &T) -> Result<String, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_unit(self) -> Result<String, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<String, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _v: &T,
    ) -> Result<String, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeTupleStruct, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeStruct, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(key_must_be_a_string())
    }
}

/// A float key as serde_json formats the number; a JSON value's map refuses NaN and the infinities.
fn finite_key<T: Serialize>(finite: bool, v: &T) -> Result<String, Error> {
    if !finite {
        return Err(Error("float key must be finite".into()));
    }
    serde_json::to_string(v).map_err(|e| Error(e.to_string()))
}

/// Append `s` as a JSON string, escaped as serde_json escapes it: `"` and `\`, the control characters
/// (`\b`, `\t`, `\n`, `\f` and `\r` by name, the others as `\u00xx`), nothing else.
///
/// The text of a plan is mostly strings that need no escape (names, labels, images, quantities), and serde_json
/// looks every byte up in its escape table one at a time. Here eight bytes at a time are tested for the three
/// kinds of byte that need an escape, and a run without any is copied whole.
fn write_string(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut copied = 0;
    let mut at = 0;
    loop {
        while let Some(word) = bytes.get(at..at + 8) {
            if any_needs_escape(u64::from_le_bytes(word.try_into().expect("eight bytes"))) {
                break;
            }
            at += 8;
        }
        // The next escape is among the next eight bytes, or there is none before the end.
        let Some(offset) = bytes[at..].iter().position(|&b| NEEDS_ESCAPE[usize::from(b)]) else { break };
        let b = bytes[at + offset];
        out.extend_from_slice(&bytes[copied..at + offset]);
        match escape_of(b) {
            Escape::Short(c) => out.extend_from_slice(&[b'\\', c]),
            Escape::Unicode => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(&[b'\\', b'u', b'0', b'0', HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xf)]]);
            }
        }
        at += offset + 1;
        copied = at;
    }
    out.extend_from_slice(&bytes[copied..]);
    out.push(b'"');
}

/// The bytes a JSON string escapes: the control characters, `"` and `\\`.
const NEEDS_ESCAPE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = b < 0x20 || b == b'"' as usize || b == b'\\' as usize;
        b += 1;
    }
    table
};

/// How a byte is escaped in a JSON string.
enum Escape {
    /// A backslash and this character.
    Short(u8),
    /// `\u00` and the byte in two lowercase hex digits.
    Unicode,
}

/// How a byte of [`NEEDS_ESCAPE`] is escaped.
fn escape_of(b: u8) -> Escape {
    match b {
        0x08 => Escape::Short(b'b'),
        0x09 => Escape::Short(b't'),
        0x0a => Escape::Short(b'n'),
        0x0c => Escape::Short(b'f'),
        0x0d => Escape::Short(b'r'),
        0x00..=0x1f => Escape::Unicode,
        _ => Escape::Short(b),
    }
}

/// Whether any of the eight bytes of `word` is a control character, `"` or `\` (the bit tricks of "Bit Twiddling
/// Hacks": a byte below `n`, a byte equal to `c`; exact as to whether any byte is one).
fn any_needs_escape(word: u64) -> bool {
    const ONES: u64 = u64::MAX / 255;
    const HIGH: u64 = ONES * 0x80;
    let below = |n: u8| word.wrapping_sub(ONES * u64::from(n)) & !word & HIGH;
    let equal = |c: u8| {
        let x = word ^ (ONES * u64::from(c));
        x.wrapping_sub(ONES) & !x & HIGH
    };
    (below(0x20) | equal(b'"') | equal(b'\\')) != 0
}

fn key_must_be_a_string() -> Error {
    Error("key must be a string".into())
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, HashMap};

    use serde::Serialize;
    use serde_json::json;

    use super::write;

    /// What the printer must give: the value through a JSON value, printed pretty, every line after the first
    /// indented `depth` levels.
    fn through_value<T: Serialize>(v: &T, depth: usize) -> String {
        let text = serde_json::to_string_pretty(&serde_json::to_value(v).unwrap()).unwrap();
        text.replace('\n', &format!("\n{}", "  ".repeat(depth)))
    }

    fn printed<T: Serialize>(v: &T, depth: usize, extra: &[(&str, &str)]) -> String {
        let mut out = Vec::new();
        write(&mut out, v, depth, extra).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[derive(Serialize)]
    enum Shape {
        Unit,
        Newtype(u8),
        Tuple(i32, &'static str),
        Struct { zeta: u8, alpha: Vec<u8> },
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Inner {
        zone: &'static str,
        api_version: Option<&'static str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<u8>,
        empty_list: Vec<u8>,
        empty_map: BTreeMap<String, u8>,
    }

    #[derive(Serialize)]
    struct Outer {
        status: Inner,
        metadata: HashMap<String, i64>,
        shapes: Vec<Shape>,
        #[serde(with = "serde_bytes_like")]
        bytes: Vec<u8>,
        ratio: f32,
        big: f64,
        nan: f64,
        text: &'static str,
        tuple: (bool, char, u64, i128),
        #[serde(flatten)]
        flat: BTreeMap<&'static str, &'static str>,
    }

    /// `serialize_bytes`, which derive does not call for a `Vec<u8>` by itself.
    mod serde_bytes_like {
        pub fn serialize<S: serde::Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(v)
        }
    }

    fn sample() -> Outer {
        Outer {
            status: Inner { zone: "b", api_version: None, skipped: None, empty_list: vec![], empty_map: BTreeMap::new() },
            metadata: [("name", 1), ("Upper", 2), ("a\"quote", 3), ("z", -4), ("é", 5)].map(|(k, v)| (k.to_owned(), v)).into(),
            shapes: vec![Shape::Unit, Shape::Newtype(7), Shape::Tuple(-1, "t\n"), Shape::Struct { zeta: 1, alpha: vec![2, 3] }],
            bytes: vec![0, 255],
            ratio: 0.1,
            big: 1e300,
            nan: f64::NAN,
            text: "tab\t \u{1} </script>",
            tuple: (true, 'x', u64::MAX, -5),
            // Written after the struct's own `text`: a later insert replaces the earlier one.
            flat: [("text", "flattened"), ("aaa", "first")].into(),
        }
    }

    #[test]
    fn prints_what_a_json_value_prints() {
        for depth in [0, 1, 2, 5] {
            assert_eq!(printed(&sample(), depth, &[]), through_value(&sample(), depth), "depth {depth}");
        }
    }

    #[test]
    fn scalars_and_empty_containers_print_alone() {
        let values = [json!(null), json!(1.5), json!("s"), json!([]), json!({}), json!([[], {}, [1]]), json!({"b": {}, "a": []})];
        for v in values {
            assert_eq!(printed(&v, 1, &[]), through_value(&v, 1));
        }
    }

    #[test]
    fn extra_entries_join_the_outermost_object_and_yield_to_its_own() {
        let pod = json!({"spec": {"kind": "inner"}, "metadata": {"name": "p"}});
        let expected = json!({"apiVersion": "v1", "kind": "Pod", "spec": {"kind": "inner"}, "metadata": {"name": "p"}});
        assert_eq!(printed(&pod, 2, &[("apiVersion", "v1"), ("kind", "Pod")]), through_value(&expected, 2));
        let own = json!({"kind": "Own"});
        assert_eq!(printed(&own, 0, &[("kind", "Pod")]), through_value(&own, 0));
        let list = json!([{"a": 1}]);
        assert_eq!(printed(&list, 0, &[("kind", "Pod")]), through_value(&list, 0), "only the value's own object");
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let mut cases: Vec<String> = (0u32..=0x7f).filter_map(char::from_u32).map(|c| format!("ab{c}cdefghij{c}")).collect();
        cases.extend(["", "plain-name-12345", "\u{7f}\u{80}é€😀\"quoted\"", "\\\\", "12345678\"", "1234567\n"].map(String::from));
        // Every position of an escape within and across the eight-byte words.
        for len in 0..20 {
            for at in 0..len {
                for special in ['"', '\\', '\u{1}', '\u{1f}', ' ', '\u{7f}', 'é'] {
                    let mut s: String = "x".repeat(len);
                    s.replace_range(at..at + 1, &special.to_string());
                    cases.push(s);
                }
            }
        }
        for s in cases {
            let mut out = Vec::new();
            super::write_string(&mut out, &s);
            assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string(&s).unwrap(), "{s:?}");
        }
    }

    #[test]
    fn keys_are_strings_or_numbers_as_a_json_value_holds_them() {
        #[derive(Serialize)]
        struct M(#[serde(serialize_with = "as_map")] Vec<(f64, u8)>);
        fn as_map<S: serde::Serializer>(v: &[(f64, u8)], s: S) -> Result<S::Ok, S::Error> {
            s.collect_map(v.iter().map(|(k, v)| (k, v)))
        }
        let by_float = M(vec![(1.5, 1), (-0.25, 2), (1e21, 3)]);
        assert_eq!(printed(&by_float, 0, &[]), through_value(&by_float, 0));
        for refused in [M(vec![(f64::NAN, 1)]), M(vec![(f64::INFINITY, 1)])] {
            assert!(serde_json::to_value(&refused).is_err());
            assert!(write(&mut Vec::new(), &refused, 0, &[]).is_err());
        }
        let by_int: BTreeMap<i128, u8> = [(10, 1), (9, 2), (-1, 3)].into();
        assert_eq!(printed(&by_int, 0, &[]), through_value(&by_int, 0));
        let by_list: BTreeMap<Vec<u8>, u8> = [(vec![1], 1)].into();
        assert!(serde_json::to_value(&by_list).is_err());
        assert!(write(&mut Vec::new(), &by_list, 0, &[]).is_err());
    }
}
