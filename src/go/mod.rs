//! A small model of Go values as `reflect` sees them.
//!
//! Kubernetes derives several user-visible strings from the *Go representation* of its objects rather than from
//! their JSON: `controller-revision-hash` and `pod-template-hash` hash a go-spew dump of `v1.PodTemplateSpec`
//! (`pkg/util/hash/hash.go:DeepHashObject`), and validation messages print offending values with `%#v`
//! (`apimachinery/pkg/util/validation/field/errors.go`). kubeplan's API types are generated with a [`ToGo`] impl
//! that rebuilds that Go shape (field order, pointer or value, Go type names), and the printers in this module
//! render it the way Go does.

use std::borrow::Cow;

pub mod fmt;
pub mod json;
pub mod spew;

/// A Go value: enough of `reflect.Value` to print it as go-spew or `fmt` would.
#[derive(Clone, Debug, PartialEq)]
pub enum GoValue<'a> {
    /// A struct: its type name (`v1.Container`) and its fields in declaration order.
    Struct(&'static str, Vec<(&'static str, GoValue<'a>)>),
    /// A pointer: its type (`*v1.Probe`) and the value it points to, or `None` for nil.
    Ptr(&'static str, Option<Box<GoValue<'a>>>),
    /// A slice: its type (`[]v1.Container`) and its elements, or `None` for a nil slice.
    Slice(&'static str, Option<Vec<GoValue<'a>>>),
    /// A map: its type and its entries (printers sort them, as go-spew's `SortKeys` does), or `None` for nil.
    Map(&'static str, Option<Vec<(GoValue<'a>, GoValue<'a>)>>),
    /// A string of a possibly named string type (`string`, `v1.RestartPolicy`).
    Str(&'static str, Cow<'a, str>),
    Int(&'static str, i64),
    Uint(&'static str, u64),
    Bool(&'static str, bool),
    Float(&'static str, f64),
}

impl<'a> GoValue<'a> {
    /// A pointer that is nil when `to` is `None`.
    pub fn ptr(ty: &'static str, to: Option<GoValue<'a>>) -> Self {
        GoValue::Ptr(ty, to.map(Box::new))
    }

    /// A slice built from Rust items. kubeplan does not distinguish a nil slice from an empty one: the API
    /// server's encoders omit both, so after a round trip through storage an empty list reads back as nil.
    pub fn slice(ty: &'static str, items: impl Iterator<Item = GoValue<'a>>) -> Self {
        let items: Vec<_> = items.collect();
        GoValue::Slice(ty, if items.is_empty() { None } else { Some(items) })
    }

    /// A map built from Rust entries; empty maps are nil for the same reason as slices.
    pub fn map(ty: &'static str, entries: impl Iterator<Item = (GoValue<'a>, GoValue<'a>)>) -> Self {
        let entries: Vec<_> = entries.collect();
        GoValue::Map(ty, if entries.is_empty() { None } else { Some(entries) })
    }

    /// The Go type name as `reflect.Type.String()` prints it.
    pub fn type_name(&self) -> &'static str {
        match self {
            GoValue::Struct(t, _)
            | GoValue::Ptr(t, _)
            | GoValue::Slice(t, _)
            | GoValue::Map(t, _)
            | GoValue::Str(t, _)
            | GoValue::Int(t, _)
            | GoValue::Uint(t, _)
            | GoValue::Bool(t, _)
            | GoValue::Float(t, _) => t,
        }
    }
}

/// Types that can show themselves as the Go value Kubernetes would hold.
pub trait ToGo {
    fn to_go(&self) -> GoValue<'_>;
}
