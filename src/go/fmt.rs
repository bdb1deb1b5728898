//! Go's `fmt` verbs as validation messages print offending values
//! (`apimachinery/pkg/util/validation/field/errors.go:ErrorBody`): `%q` for strings, `%v` for numbers and
//! booleans, `%#v` for everything else.
//!
//! The rules followed here are those of Go's `fmt` package (`print.go:printValue`, `format.go`):
//! - a struct prints as `T{Field:value, …}`, each field again in `%#v`;
//! - a nil slice or map prints as `T(nil)`, a non-nil one as `T{…}`; map entries are sorted by key;
//! - a pointer at the top level prints as `&` followed by the struct, slice or map it points to; any other
//!   pointer prints as `(*T)(0x…)`, its address, or `(*T)(nil)`. kubeplan has no addresses to show and prints
//!   the placeholder [`ADDRESS`];
//! - strings (named or not) print quoted as `strconv.Quote` does; integers in decimal, unsigned integers in
//!   hexadecimal (`0x1f`), booleans as `true`/`false`.
//!
//! Validation runs on the API server's *internal* types, so the type names in its messages are those of the
//! internal packages (`core.Taint`, `apps.DaemonSetUpdateStrategy`), except for the types that only exist in
//! `k8s.io/apimachinery/pkg/apis/meta/v1` (`v1.LabelSelector`). [`go_syntax_internal`] renames kubeplan's
//! `v1.` type names accordingly.

use std::borrow::Cow;
use std::fmt::Write as _;

use super::GoValue;

/// What `%#v` shows for a pointer that is not nil: an address. Go prints the real heap address, which differs
/// from run to run; kubeplan prints this stable stand-in.
pub const ADDRESS: &str = "0xc000000000";

/// Render a value as `fmt.Sprintf("%#v", v)` does (pointers to structs print as `&T{...}`).
pub fn go_syntax(v: &GoValue<'_>) -> String {
    let mut out = String::new();
    write(&mut out, v, 0, &|t| Cow::Borrowed(t));
    out
}

/// [`go_syntax`] with type names as the API server's internal types have them (see the module docs).
pub fn go_syntax_internal(v: &GoValue<'_>) -> String {
    let mut out = String::new();
    write(&mut out, v, 0, &internal_type_name);
    out
}

/// `strconv.Quote`: a double-quoted Go string literal. Printable characters stay as they are; `"` and `\` are
/// escaped; control characters use `\a \b \f \n \r \t \v` or `\xNN`; other non-printable characters use `\uNNNN`
/// or `\UNNNNNNNN`.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x0b' => out.push_str("\\v"),
            c if is_print(c) => out.push(c),
            c if (c as u32) < 0x20 || c == '\x7f' => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if (c as u32) < 0x10000 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08x}", c as u32);
            }
        }
    }
    out.push('"');
    out
}

/// An approximation of Go's `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII
/// space. Rust has no Unicode category tables in `std`, so non-ASCII characters count as printable unless they
/// are control, whitespace or invisible formatting characters.
fn is_print(c: char) -> bool {
    if c.is_ascii() {
        return (' '..='~').contains(&c);
    }
    !(c.is_control()
        || c.is_whitespace()
        || matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{2064}' | '\u{feff}' | '\u{fff9}'..='\u{fffb}'))
}

/// `%v` of a float64: `strconv.FormatFloat(f, 'g', -1, 64)`, the shortest representation that reads back
/// exactly, with an exponent (`1e+06`) when the decimal exponent is below -4 or at least 6.
pub fn format_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf".into() } else { "-Inf".into() };
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0".into() } else { "0".into() };
    }
    // Shortest round-trip digits and the decimal exponent, from Rust's own shortest formatting.
    let sci = format!("{:e}", f);
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let negative = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    let sign = if negative { "-" } else { "" };
    if !(-4..6).contains(&exp) {
        let (first, rest) = digits.split_at(1);
        let frac = if rest.is_empty() { String::new() } else { format!(".{rest}") };
        let esign = if exp < 0 { '-' } else { '+' };
        return format!("{sign}{first}{frac}e{esign}{:02}", exp.abs());
    }
    let n = digits.len() as i32;
    if exp >= n - 1 {
        format!("{sign}{digits}{}", "0".repeat((exp - (n - 1)) as usize))
    } else if exp >= 0 {
        let (int, frac) = digits.split_at((exp + 1) as usize);
        format!("{sign}{int}.{frac}")
    } else {
        format!("{sign}0.{}{digits}", "0".repeat((-exp - 1) as usize))
    }
}

fn write(out: &mut String, v: &GoValue<'_>, depth: usize, ty: &dyn Fn(&str) -> Cow<'_, str>) {
    match v {
        GoValue::Struct(t, fields) => {
            out.push_str(&ty(t));
            out.push('{');
            for (i, (name, f)) in fields.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(name);
                out.push(':');
                write(out, f, depth + 1, ty);
            }
            out.push('}');
        }
        GoValue::Ptr(t, None) => {
            let _ = write!(out, "({})(nil)", ty(t));
        }
        GoValue::Ptr(t, Some(to)) => {
            let composite = matches!(**to, GoValue::Struct(..) | GoValue::Slice(..) | GoValue::Map(..));
            if depth == 0 && composite {
                out.push('&');
                write(out, to, depth + 1, ty);
            } else {
                let _ = write!(out, "({})({ADDRESS})", ty(t));
            }
        }
        GoValue::Slice(t, None) | GoValue::Map(t, None) => {
            let _ = write!(out, "{}(nil)", ty(t));
        }
        GoValue::Slice(t, Some(items)) => {
            out.push_str(&ty(t));
            out.push('{');
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write(out, x, depth + 1, ty);
            }
            out.push('}');
        }
        GoValue::Map(t, Some(entries)) => {
            out.push_str(&ty(t));
            out.push('{');
            let mut sorted: Vec<&(GoValue<'_>, GoValue<'_>)> = entries.iter().collect();
            sorted.sort_by(|a, b| map_key_order(&a.0, &b.0));
            for (i, (k, x)) in sorted.into_iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write(out, k, depth + 1, ty);
                out.push(':');
                write(out, x, depth + 1, ty);
            }
            out.push('}');
        }
        GoValue::Str(_, s) => out.push_str(&quote(s)),
        GoValue::Int(_, i) => {
            let _ = write!(out, "{i}");
        }
        GoValue::Uint(_, u) => {
            let _ = write!(out, "0x{u:x}");
        }
        GoValue::Bool(_, b) => out.push_str(if *b { "true" } else { "false" }),
        GoValue::Float(_, f) => out.push_str(&format_float(*f)),
    }
}

/// The order `internal/fmtsort` gives map keys: numbers numerically, strings byte-wise.
fn map_key_order(a: &GoValue<'_>, b: &GoValue<'_>) -> std::cmp::Ordering {
    match (a, b) {
        (GoValue::Str(_, x), GoValue::Str(_, y)) => x.as_bytes().cmp(y.as_bytes()),
        (GoValue::Int(_, x), GoValue::Int(_, y)) => x.cmp(y),
        (GoValue::Uint(_, x), GoValue::Uint(_, y)) => x.cmp(y),
        (GoValue::Bool(_, x), GoValue::Bool(_, y)) => x.cmp(y),
        _ => std::cmp::Ordering::Equal,
    }
}

/// Types of `k8s.io/apimachinery/pkg/apis/meta/v1`, which the internal API types use as they are.
const META_V1_TYPES: &[&str] = &[
    "LabelSelector",
    "LabelSelectorRequirement",
    "ObjectMeta",
    "TypeMeta",
    "ListMeta",
    "Time",
    "MicroTime",
    "Duration",
    "OwnerReference",
    "ManagedFieldsEntry",
    "FieldsV1",
    "Condition",
];

/// The internal package a `k8s.io/api/*/v1` type name belongs to.
fn internal_package(name: &str) -> &'static str {
    const APPS: &[&str] = &["DaemonSet", "Deployment", "ReplicaSet", "StatefulSet", "RollingUpdate", "ControllerRevision"];
    const BATCH: &[&str] = &["Job", "CronJob", "PodFailurePolicy", "SuccessPolicy", "UncountedTerminatedPods"];
    if META_V1_TYPES.contains(&name) {
        "v1"
    } else if APPS.iter().any(|p| name.starts_with(p)) {
        "apps"
    } else if BATCH.iter().any(|p| name.starts_with(p)) {
        "batch"
    } else if name == "PriorityClass" {
        "scheduling"
    } else if ["RoleRef", "Subject", "PolicyRule", "AggregationRule"].contains(&name) {
        "rbac"
    } else if name.starts_with("CustomResource") || name.starts_with("JSONSchemaProps") {
        "apiextensions"
    } else if ["Ingress", "HTTPIngress", "NetworkPolicy", "IPBlock"].iter().any(|p| name.starts_with(p)) {
        "networking"
    } else if ["HorizontalPodAutoscaler", "HPAScaling", "MetricSpec", "MetricTarget"].iter().any(|p| name.starts_with(p)) {
        "autoscaling"
    } else {
        "core"
    }
}

/// Rename every `v1.Name` inside a Go type expression (`*v1.Probe`, `[]v1.Container`, `map[string]v1.X`) to
/// the internal package that declares `Name`.
fn internal_type_name(t: &str) -> Cow<'_, str> {
    if !t.contains("v1.") {
        return Cow::Borrowed(t);
    }
    let mut out = String::with_capacity(t.len() + 8);
    let mut rest = t;
    while let Some(pos) = rest.find("v1.") {
        let starts_word = rest[..pos].chars().last().is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 3..];
        let end = after.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(after.len());
        if starts_word {
            out.push_str(internal_package(&after[..end]));
            out.push('.');
        } else {
            out.push_str("v1.");
        }
        out.push_str(&after[..end]);
        rest = &after[end..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> GoValue<'_> {
        GoValue::Str("string", v.into())
    }

    #[test]
    fn quotes_like_strconv() {
        assert_eq!(quote("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(quote("tab\there\n"), r#""tab\there\n""#);
        assert_eq!(quote("\x01\x7f"), r#""\x01\x7f""#);
        assert_eq!(quote("naïve ☃"), "\"naïve ☃\"");
        assert_eq!(quote("\u{a0}"), r#""\u00a0""#);
    }

    #[test]
    fn structs_maps_and_nil() {
        let sel = GoValue::Struct(
            "v1.LabelSelector",
            vec![
                ("MatchLabels", GoValue::Map("map[string]string", Some(vec![(s("b"), s("2")), (s("a"), s("1"))]))),
                ("MatchExpressions", GoValue::Slice("[]v1.LabelSelectorRequirement", None)),
            ],
        );
        assert_eq!(
            go_syntax(&sel),
            r#"v1.LabelSelector{MatchLabels:map[string]string{"a":"1", "b":"2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}"#
        );
        let empty = GoValue::Map("map[string]string", Some(vec![]));
        assert_eq!(go_syntax(&empty), "map[string]string{}");
    }

    #[test]
    fn pointers_print_addresses_below_the_top() {
        let inner = GoValue::Struct("v1.RollingUpdateDaemonSet", vec![]);
        let top = GoValue::Ptr("*v1.RollingUpdateDaemonSet", Some(Box::new(inner.clone())));
        assert_eq!(go_syntax(&top), "&v1.RollingUpdateDaemonSet{}");
        let outer = GoValue::Struct(
            "v1.DaemonSetUpdateStrategy",
            vec![("Type", GoValue::Str("v1.DaemonSetUpdateStrategyType", "X".into())), ("RollingUpdate", top)],
        );
        assert_eq!(
            go_syntax_internal(&outer),
            format!("apps.DaemonSetUpdateStrategy{{Type:\"X\", RollingUpdate:(*apps.RollingUpdateDaemonSet)({ADDRESS})}}")
        );
        let nil = GoValue::Ptr("*v1.Time", None);
        assert_eq!(go_syntax_internal(&GoValue::Struct("v1.Taint", vec![("TimeAdded", nil)])), "core.Taint{TimeAdded:(*v1.Time)(nil)}");
    }

    #[test]
    fn numbers() {
        assert_eq!(go_syntax(&GoValue::Int("int32", -3)), "-3");
        assert_eq!(go_syntax(&GoValue::Uint("uint8", 31)), "0x1f");
        assert_eq!(format_float(0.5), "0.5");
        assert_eq!(format_float(100.0), "100");
        assert_eq!(format_float(1e21), "1e+21");
        assert_eq!(format_float(1e6), "1e+06");
        assert_eq!(format_float(123456.0), "123456");
        assert_eq!(format_float(0.00001), "1e-05");
    }
}
