//! Field errors: the error type of `apimachinery/pkg/util/validation/field` and the text the API server makes of
//! a list of them (`errors.go:Error.Error`, `ErrorBody`, `ErrorList.ToAggregate`).
//!
//! A [`FieldError`] keeps its parts — kind, field path, offending value, detail — so callers such as a linter
//! can use them one by one; its `Display` is exactly Go's `field.Error.Error()`.

use std::borrow::Cow;
use std::fmt;

use crate::go::fmt as gofmt;
use crate::go::GoValue;
use crate::input::node::{Node, Value};

/// The kind of a field error (`field.ErrorType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    NotFound,
    Required,
    Duplicate,
    Invalid,
    NotSupported,
    Forbidden,
    TooLong,
    TooMany,
    Internal,
    TypeInvalid,
}

impl ErrorKind {
    /// The machine-readable cause type of the API server's Status details (`FieldValueInvalid`, …).
    pub fn cause_type(self) -> &'static str {
        match self {
            ErrorKind::NotFound => "FieldValueNotFound",
            ErrorKind::Required => "FieldValueRequired",
            ErrorKind::Duplicate => "FieldValueDuplicate",
            ErrorKind::Invalid => "FieldValueInvalid",
            ErrorKind::NotSupported => "FieldValueNotSupported",
            ErrorKind::Forbidden => "FieldValueForbidden",
            ErrorKind::TooLong => "FieldValueTooLong",
            ErrorKind::TooMany => "FieldValueTooMany",
            ErrorKind::Internal => "InternalError",
            ErrorKind::TypeInvalid => "FieldValueTypeInvalid",
        }
    }

    /// The words that open the message (`ErrorType.String()`).
    pub fn text(self) -> &'static str {
        match self {
            ErrorKind::NotFound => "Not found",
            ErrorKind::Required => "Required value",
            ErrorKind::Duplicate => "Duplicate value",
            ErrorKind::Invalid | ErrorKind::TypeInvalid => "Invalid value",
            ErrorKind::NotSupported => "Unsupported value",
            ErrorKind::Forbidden => "Forbidden",
            ErrorKind::TooLong => "Too long",
            ErrorKind::TooMany => "Too many",
            ErrorKind::Internal => "Internal error",
        }
    }
}

/// The offending value of a field error, as Go holds it in `Error.BadValue`.
///
/// `ErrorBody` prints plain `string`s with `%q`, `int32`/`int64`/`float`/`bool` with `%v` and anything else
/// with `%#v`; a nil value or nil pointer prints as `"null"`, and pointers are dereferenced first, so the
/// constructors here take the value a pointer points to.
#[derive(Clone, Debug, PartialEq)]
pub enum BadValue {
    /// No value is shown (`field.OmitValueType`, and the kinds whose message never includes one).
    Omitted,
    /// A nil value or a nil pointer; printed as `"null"`.
    Null,
    /// A string of any string type; printed quoted (`%q` and `%#v` agree for strings).
    Str(String),
    /// An integer of any signed integer type; printed in decimal.
    Int(i64),
    Bool(bool),
    Float(f64),
    /// A struct, slice, map or other composite value; printed with `%#v` under the API server's internal type
    /// names ([`crate::go::fmt::go_syntax_internal`]).
    Go(GoValue<'static>),
    /// A value whose type has a `String` method (`fmt.Stringer`, e.g. a `metav1.Duration`): printed as that
    /// method prints it, unquoted.
    Stringer(String),
}

impl BadValue {
    /// The value as `ErrorBody` prints it after the kind's words, or `None` when it shows no value.
    pub fn render(&self) -> Option<String> {
        Some(match self {
            BadValue::Omitted => return None,
            BadValue::Null => gofmt::quote("null"),
            BadValue::Str(s) => gofmt::quote(s),
            BadValue::Int(i) => i.to_string(),
            BadValue::Bool(b) => b.to_string(),
            BadValue::Float(f) => gofmt::format_float(*f),
            BadValue::Go(v) => gofmt::go_syntax_internal(v),
            BadValue::Stringer(s) => s.clone(),
        })
    }

    /// A Go value, copied so that it no longer borrows from the object it was taken from.
    pub fn go(v: &GoValue<'_>) -> BadValue {
        BadValue::Go(owned(v))
    }
}

impl From<&str> for BadValue {
    fn from(s: &str) -> Self {
        BadValue::Str(s.to_owned())
    }
}

impl From<String> for BadValue {
    fn from(s: String) -> Self {
        BadValue::Str(s)
    }
}

impl From<&String> for BadValue {
    fn from(s: &String) -> Self {
        BadValue::Str(s.clone())
    }
}

impl From<i64> for BadValue {
    fn from(i: i64) -> Self {
        BadValue::Int(i)
    }
}

impl From<i32> for BadValue {
    fn from(i: i32) -> Self {
        BadValue::Int(i64::from(i))
    }
}

impl From<usize> for BadValue {
    fn from(i: usize) -> Self {
        BadValue::Int(i as i64)
    }
}

impl From<bool> for BadValue {
    fn from(b: bool) -> Self {
        BadValue::Bool(b)
    }
}

impl From<GoValue<'_>> for BadValue {
    fn from(v: GoValue<'_>) -> Self {
        BadValue::go(&v)
    }
}

/// A pointer: nil prints as `"null"`, anything else as the value it points to.
impl<T: Into<BadValue>> From<Option<T>> for BadValue {
    fn from(v: Option<T>) -> Self {
        v.map_or(BadValue::Null, Into::into)
    }
}

/// Copy a Go value so that its strings are owned.
fn owned(v: &GoValue<'_>) -> GoValue<'static> {
    match v {
        GoValue::Struct(t, fields) => GoValue::Struct(t, fields.iter().map(|(n, f)| (*n, owned(f))).collect()),
        GoValue::Ptr(t, to) => GoValue::Ptr(t, to.as_ref().map(|x| Box::new(owned(x)))),
        GoValue::Slice(t, items) => GoValue::Slice(t, items.as_ref().map(|xs| xs.iter().map(owned).collect())),
        GoValue::Map(t, entries) => {
            GoValue::Map(t, entries.as_ref().map(|es| es.iter().map(|(k, x)| (owned(k), owned(x))).collect()))
        }
        GoValue::Str(t, s) => GoValue::Str(t, Cow::Owned(s.to_string())),
        GoValue::Int(t, i) => GoValue::Int(t, *i),
        GoValue::Uint(t, u) => GoValue::Uint(t, *u),
        GoValue::Bool(t, b) => GoValue::Bool(t, *b),
        GoValue::Float(t, f) => GoValue::Float(t, *f),
    }
}

/// A field path (`field.Path`): the step that names a field, an element or a map entry, and a reference to the
/// path it extends — Go's linked list of parent pointers, kept on the stack.
///
/// Validation names the path of every field it visits, of every object written (a controller's pods too), and
/// reports an error for very few of them; building each path's text cost more than the validation around it. So
/// a step is a pair of words, and the text `field.Path.String()` prints — `spec.containers[0].ports[1].hostPort`
/// — is written only when an error or a warning is made of it ([`Path::render`], `Display`), as the YAML decoder
/// keeps its path (`NodeDe::child`).
///
/// A path borrows the one it extends, so `let p = path.child("a").index(i);` does not compile (the middle path
/// is a temporary): name the middle path in a `let` of its own, as the loops do with a list's path.
#[derive(Clone, Copy, Debug)]
pub struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    step: Step<'a>,
}

/// One step of a [`Path`].
#[derive(Clone, Copy, Debug)]
enum Step<'a> {
    /// A field name (`Path.Child`), or the text of a whole root (`Path::new("spec.overhead")`).
    Name(&'a str),
    /// Field names, one under the other (`field.NewPath(name, moreNames...)`).
    Names(&'a [&'a str]),
    /// A list element (`Path.Index`).
    Index(usize),
    /// A map key or any other subscript (`Path.Key`).
    Key(&'a str),
}

impl Step<'_> {
    /// Append this step to the text of the path before it: a name after a `.` unless it opens the text, an index
    /// or key between brackets.
    fn write(self, out: &mut String) {
        match self {
            Step::Name(name) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(name);
            }
            Step::Names(names) => {
                for name in names {
                    Step::Name(name).write(out);
                }
            }
            Step::Index(i) => {
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
            Step::Key(k) => {
                out.push('[');
                out.push_str(k);
                out.push(']');
            }
        }
    }
}

impl<'a> Path<'a> {
    /// A root path (`field.NewPath`). An empty name is the root of a path that starts with its first child.
    pub const fn new(name: &'a str) -> Path<'a> {
        Path { parent: None, step: Step::Name(name) }
    }

    /// A root path and the fields under it (`field.NewPath("spec", "template")`): one step, so that it can be
    /// kept in a `let` and extended.
    pub const fn of(names: &'a [&'a str]) -> Path<'a> {
        Path { parent: None, step: Step::Names(names) }
    }

    /// `Path.Child`.
    pub fn child<'b>(&'b self, name: &'b str) -> Path<'b> {
        Path { parent: Some(self), step: Step::Name(name) }
    }

    /// `Path.Index`.
    pub fn index(&self, i: usize) -> Path<'_> {
        Path { parent: Some(self), step: Step::Index(i) }
    }

    /// `Path.Key`: a map key or any other subscript, printed as is between brackets.
    pub fn key<'b>(&'b self, k: &'b str) -> Path<'b> {
        Path { parent: Some(self), step: Step::Key(k) }
    }

    /// The text of the path, as `field.Path.String()` prints it. Only an error or a warning needs it.
    pub fn render(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        if let Some(parent) = self.parent {
            parent.write(out);
        }
        self.step.write(out);
    }

    /// The path as an [`OwnedPath`], for what keeps it beyond the validation that made it.
    pub fn owned(&self) -> OwnedPath {
        OwnedPath(self.render())
    }
}

impl Default for Path<'_> {
    /// The empty root: its first child opens the text, without a `.`.
    fn default() -> Self {
        Path::new("")
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render())
    }
}

/// A field path rendered once and kept: an admission plugin's refusal names the fields that caused it, and a
/// Pod Security finding the fields that fail its check, long after the [`Path`]s they were made from are gone.
/// It prints as the [`Path`] it was made from would.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct OwnedPath(String);

impl OwnedPath {
    /// A root path (`field.NewPath`); the name may be a whole path's text (`spec.serviceAccountName`).
    pub fn new(name: &str) -> OwnedPath {
        OwnedPath(name.to_owned())
    }

    /// `Path.Child`.
    pub fn child(&self, name: &str) -> OwnedPath {
        self.extended(Step::Name(name))
    }

    /// `Path.Index`.
    pub fn index(&self, i: usize) -> OwnedPath {
        self.extended(Step::Index(i))
    }

    /// `Path.Key`.
    pub fn key(&self, k: &str) -> OwnedPath {
        self.extended(Step::Key(k))
    }

    fn extended(&self, step: Step<'_>) -> OwnedPath {
        let mut s = self.0.clone();
        step.write(&mut s);
        OwnedPath(s)
    }

    /// This path as the root of a [`Path`], to validate what lies under it.
    pub fn as_path(&self) -> Path<'_> {
        Path::new(&self.0)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OwnedPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `ValidateImmutableField`'s detail.
pub const FIELD_IMMUTABLE: &str = "field is immutable";

/// One field error (`field.Error`).
#[derive(Clone, Debug, PartialEq)]
pub struct FieldError {
    pub kind: ErrorKind,
    /// The JSON field path of the v1 object, e.g. `spec.template.spec.restartPolicy`.
    pub field: String,
    pub value: BadValue,
    pub detail: String,
}

impl FieldError {
    fn new(kind: ErrorKind, path: &Path<'_>, value: BadValue, detail: impl Into<String>) -> FieldError {
        FieldError { kind, field: path.render(), value, detail: detail.into() }
    }

    /// `field.Invalid`.
    pub fn invalid(path: &Path<'_>, value: impl Into<BadValue>, detail: impl Into<String>) -> FieldError {
        FieldError::new(ErrorKind::Invalid, path, value.into(), detail)
    }

    /// Whether this is `ValidateImmutableField`'s error: an update changed a field that cannot change.
    pub fn is_immutable(&self) -> bool {
        self.kind == ErrorKind::Invalid && self.detail == FIELD_IMMUTABLE
    }

    /// `field.Required`.
    pub fn required(path: &Path<'_>, detail: impl Into<String>) -> FieldError {
        FieldError::new(ErrorKind::Required, path, BadValue::Str(String::new()), detail)
    }

    /// `field.Forbidden`.
    pub fn forbidden(path: &Path<'_>, detail: impl Into<String>) -> FieldError {
        FieldError::new(ErrorKind::Forbidden, path, BadValue::Str(String::new()), detail)
    }

    /// `field.Duplicate`.
    pub fn duplicate(path: &Path<'_>, value: impl Into<BadValue>) -> FieldError {
        FieldError::new(ErrorKind::Duplicate, path, value.into(), "")
    }

    /// `field.NotFound`.
    pub fn not_found(path: &Path<'_>, value: impl Into<BadValue>) -> FieldError {
        FieldError::new(ErrorKind::NotFound, path, value.into(), "")
    }

    /// `field.NotSupported`: the detail lists the supported values, each quoted.
    pub fn not_supported(path: &Path<'_>, value: impl Into<BadValue>, supported: &[&str]) -> FieldError {
        let detail = if supported.is_empty() {
            String::new()
        } else {
            let quoted: Vec<String> = supported.iter().map(|s| gofmt::quote(s)).collect();
            format!("supported values: {}", quoted.join(", "))
        };
        FieldError::new(ErrorKind::NotSupported, path, value.into(), detail)
    }

    /// `field.TooLong`: the value is never shown.
    pub fn too_long(path: &Path<'_>, max_length: i64) -> FieldError {
        let detail =
            if max_length >= 0 { format!("may not be more than {max_length} bytes") } else { "value is too long".to_owned() };
        FieldError::new(ErrorKind::TooLong, path, BadValue::Str("<value omitted>".into()), detail)
    }

    /// `field.TooMany`.
    pub fn too_many(path: &Path<'_>, actual: i64, max: i64) -> FieldError {
        let detail = if max >= 0 { format!("must have at most {max} items") } else { "has too many items".to_owned() };
        let value = if actual >= 0 { BadValue::Int(actual) } else { BadValue::Omitted };
        FieldError::new(ErrorKind::TooMany, path, value, detail)
    }

    /// `field.InternalError`.
    pub fn internal(path: &Path<'_>, detail: impl Into<String>) -> FieldError {
        FieldError::new(ErrorKind::Internal, path, BadValue::Null, detail)
    }

    /// The message without the field path (`Error.ErrorBody`).
    pub fn body(&self) -> String {
        let mut s = self.kind.text().to_owned();
        let shows_value = !matches!(
            self.kind,
            ErrorKind::Required | ErrorKind::Forbidden | ErrorKind::TooLong | ErrorKind::Internal
        );
        if shows_value {
            if let Some(v) = self.value.render() {
                s.push_str(": ");
                s.push_str(&v);
            }
        }
        if !self.detail.is_empty() {
            s.push_str(": ");
            s.push_str(&self.detail);
        }
        s
    }
}

impl fmt::Display for FieldError {
    /// `<field>: <body>`, as `Error.Error()`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.body())
    }
}

/// `ErrorList.ToAggregate().Error()`: every distinct message once, in order; a single message as it is, several
/// as `[a, b, c]`. `None` for an empty list. (Nothing is truncated: the API server shows every error.)
pub fn aggregate(errors: &[FieldError]) -> Option<String> {
    aggregate_messages(errors.iter().map(FieldError::to_string))
}

/// `utilerrors.NewAggregate(errs).Error()` over messages: one message alone, several as `[a, b]`, repeats
/// dropped; `None` when there are none.
pub fn aggregate_messages(messages: impl IntoIterator<Item = String>) -> Option<String> {
    let mut seen: Vec<String> = Vec::new();
    for msg in messages {
        if !seen.contains(&msg) {
            seen.push(msg);
        }
    }
    match seen.len() {
        0 => None,
        1 => seen.pop(),
        _ => Some(format!("[{}]", seen.join(", "))),
    }
}

/// Refine the Go values of `errors` with what the document `tree` says about empty maps and lists.
///
/// kubeplan's API types do not tell a missing map from an empty one, but Go does: `matchLabels: {}` decodes to
/// an empty, non-nil map that `%#v` prints as `map[string]string{}`, while an absent or `null` one prints as
/// `map[string]string(nil)`. For each error whose value is a composite, this walks the document at the error's
/// field path and marks the maps and lists written there as `{}` or `[]` as empty rather than nil.
pub fn refine_with_source(errors: &mut [FieldError], tree: &Node) {
    for e in errors {
        if let BadValue::Go(v) = &mut e.value {
            let (node, _, found) = tree.locate(&e.field);
            if found {
                refine(v, node);
            }
        }
    }
}

fn refine(v: &mut GoValue<'static>, node: &Node) {
    match (v, &node.value) {
        (GoValue::Map(_, entries @ None), Value::Map(m)) if m.is_empty() => *entries = Some(Vec::new()),
        (GoValue::Slice(_, items @ None), Value::Seq(s)) if s.is_empty() => *items = Some(Vec::new()),
        (GoValue::Struct(_, fields), Value::Map(m)) => {
            for (name, f) in fields.iter_mut() {
                if let Some((_, child)) = m.iter().find(|(k, _)| k.name.eq_ignore_ascii_case(name)) {
                    refine(f, child);
                }
            }
        }
        (GoValue::Ptr(_, Some(to)), _) => refine(to, node),
        (GoValue::Slice(_, Some(items)), Value::Seq(s)) => {
            for (x, child) in items.iter_mut().zip(s) {
                refine(x, child);
            }
        }
        (GoValue::Map(_, Some(entries)), Value::Map(m)) => {
            for (k, x) in entries.iter_mut() {
                if let GoValue::Str(_, key) = k {
                    if let Some((_, child)) = m.iter().find(|(mk, _)| mk.name == **key) {
                        refine(x, child);
                    }
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_print_as_field_path_string() {
        assert_eq!(Path::new("").child("spec").render(), "spec");
        assert_eq!(Path::default().child("spec").child("x").render(), "spec.x");
        assert_eq!(Path::default().index(1).child("x").render(), "[1].x");
        let a = Path::new("a");
        assert_eq!(a.index(0).index(9).index(10).index(1234567).render(), "a[0][9][10][1234567]");
        assert_eq!(a.index(usize::MAX).render(), format!("a[{}]", usize::MAX));
        let b = a.child("b");
        let c = b.key("c.d");
        assert_eq!(c.child("e").render(), "a.b[c.d].e");
        assert_eq!(Path::new("spec.volumes").index(2).child("name").to_string(), "spec.volumes[2].name");
        assert_eq!(Path::of(&["spec", "template"]).child("x").render(), "spec.template.x");
        assert_eq!(Path::default().child("x").render(), Path::of(&["", "x"]).render());
    }

    #[test]
    fn owned_paths_print_as_the_paths_they_were_made_from() {
        let (spec, empty) = (Path::new("spec"), Path::default());
        let key = spec.key("k");
        assert_eq!(key.child("x").owned(), OwnedPath::new("spec").key("k").child("x"));
        assert_eq!(empty.child("x").owned(), OwnedPath::default().child("x"));
        assert_eq!(OwnedPath::new("a").index(3).as_path().child("b").render(), "a[3].b");
        assert_eq!(OwnedPath::default().as_path().child("b").render(), "b");
    }

    #[test]
    fn bodies_follow_error_body() {
        let template = Path::new("spec.template");
        let pod_spec = template.child("spec");
        let p = pod_spec.child("restartPolicy");
        assert_eq!(
            FieldError::not_supported(&p, "Never", &["Always"]).to_string(),
            r#"spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always""#
        );
        assert_eq!(FieldError::required(&Path::new("spec").child("containers"), "").to_string(), "spec.containers: Required value");
        assert_eq!(
            FieldError::invalid(&Path::new("x").index(0).child("hostPort"), 9101, "must match").to_string(),
            "x[0].hostPort: Invalid value: 9101: must match"
        );
        assert_eq!(FieldError::invalid(&Path::new("a"), BadValue::Null, "d").to_string(), r#"a: Invalid value: "null": d"#);
        assert_eq!(FieldError::too_long(&Path::new("a"), 63).to_string(), "a: Too long: may not be more than 63 bytes");
        assert_eq!(FieldError::too_many(&Path::new("a"), 25, 20).to_string(), "a: Too many: 25: must have at most 20 items");
        assert_eq!(FieldError::invalid(&Path::new("a"), BadValue::Omitted, "d").to_string(), "a: Invalid value: d");
        assert_eq!(Path::new("metadata").child("labels").key("a/b").to_string(), "metadata.labels[a/b]");
    }

    #[test]
    fn aggregate_dedups_and_brackets() {
        let a = FieldError::required(&Path::new("a"), "");
        let b = FieldError::required(&Path::new("b"), "");
        assert_eq!(aggregate(&[]), None);
        assert_eq!(aggregate(&[a.clone(), a.clone()]).unwrap(), "a: Required value");
        assert_eq!(aggregate(&[a.clone(), b.clone(), a]).unwrap(), "[a: Required value, b: Required value]");
    }
}
