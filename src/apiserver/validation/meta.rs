//! Object metadata, names, labels, annotations and label selectors
//! (`apimachinery/pkg/util/validation/validation.go`, `apimachinery/pkg/api/validation/objectmeta.go`,
//! `apimachinery/pkg/apis/meta/v1/validation/validation.go`).
//!
//! The string checks return the messages Kubernetes returns (`[]string`); callers wrap them into field errors.

use std::collections::BTreeMap;

use crate::api::labels::Selector;
use crate::api::meta_v1::{LabelSelector, LabelSelectorRequirement, ObjectMeta, OwnerReference};
use crate::go::ToGo;

use super::field::{BadValue, FieldError, Path};

/// `api/validation.FieldImmutableErrorMsg`.
pub use super::field::FIELD_IMMUTABLE;
/// `api/validation.IsNegativeErrorMsg`.
pub const IS_NEGATIVE: &str = "must be greater than or equal to 0";
/// `core/validation.isNotPositiveErrorMsg`.
pub const IS_NOT_POSITIVE: &str = "must be greater than zero";

/// `api/validation.TotalAnnotationSizeLimitB`.
const TOTAL_ANNOTATION_SIZE_LIMIT: usize = 256 * (1 << 10);

const QUALIFIED_NAME_FMT: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const QUALIFIED_NAME_ERR: &str =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_FMT: &str = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
const LABEL_VALUE_ERR: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const DNS1123_LABEL_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_LABEL_ERR: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const DNS1123_SUBDOMAIN_ERR: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_UNDERSCORE_ERR: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '_', '-' or '.', and must start and end with an alphanumeric character";
const DNS1035_LABEL_FMT: &str = "[a-z]([-a-z0-9]*[a-z0-9])?";
const DNS1035_LABEL_ERR: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";

/// `MaxLenError`.
pub fn max_len_error(n: usize) -> String {
    format!("must be no more than {n} characters")
}

/// `RegexError`: the explanation, examples and the regular expression used.
pub fn regex_error(msg: &str, fmt: &str, examples: &[&str]) -> String {
    if examples.is_empty() {
        return format!("{msg} (regex used for validation is '{fmt}')");
    }
    let ex: Vec<String> = examples.iter().map(|e| format!("'{e}', ")).collect();
    format!("{msg} (e.g. {}regex used for validation is '{fmt}')", ex.join(" or "))
}

/// `EmptyError`.
pub fn empty_error() -> &'static str {
    "must be non-empty"
}

/// `InclusiveRangeError`.
pub fn inclusive_range_error(lo: i64, hi: i64) -> String {
    format!("must be between {lo} and {hi}, inclusive")
}

fn is_alnum(c: u8) -> bool {
    c.is_ascii_alphanumeric()
}

/// `^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$`
fn matches_qualified_name_part(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && is_alnum(b[0])
        && is_alnum(b[b.len() - 1])
        && b.iter().all(|&c| is_alnum(c) || matches!(c, b'-' | b'_' | b'.'))
}

/// One DNS label: `^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`, or with `underscore` the `_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?`
/// variant.
fn matches_dns1123_label(label: &[u8], underscore: bool) -> bool {
    let b = match label {
        [b'_', rest @ ..] if underscore => rest,
        _ => label,
    };
    let lower = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    !b.is_empty()
        && lower(b[0])
        && lower(b[b.len() - 1])
        && b.iter().all(|&c| lower(c) || c == b'-' || (underscore && c == b'_'))
}

/// DNS labels joined by dots. Split as bytes: `str::split('.')` goes through a char searcher that cost more than
/// checking the labels, and this runs for every prefixed label key (`app.kubernetes.io/name`) and every name of
/// every object written.
fn matches_dns1123_subdomain(s: &str, underscore: bool) -> bool {
    s.as_bytes().split(|&c| c == b'.').all(|l| matches_dns1123_label(l, underscore))
}

/// `IsQualifiedName`: an optional DNS-subdomain prefix and `/`, then a name of at most 63 characters.
pub fn is_qualified_name(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    // One or two parts around a `/`, split without collecting them: every label key of every object written
    // comes here, and the vector of parts cost a third of the check.
    let name = match value.split_once('/') {
        None => value,
        Some((prefix, name)) if !name.contains('/') => {
            if prefix.is_empty() {
                errs.push(format!("prefix part {}", empty_error()));
            } else {
                errs.extend(is_dns1123_subdomain(prefix).into_iter().map(|m| format!("prefix part {m}")));
            }
            name
        }
        Some(_) => {
            errs.push(format!(
                "a qualified name {} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
                regex_error(QUALIFIED_NAME_ERR, QUALIFIED_NAME_FMT, &["MyName", "my.name", "123-abc"])
            ));
            return errs;
        }
    };
    if name.is_empty() {
        errs.push(format!("name part {}", empty_error()));
    } else if name.len() > 63 {
        errs.push(format!("name part {}", max_len_error(63)));
    }
    if !matches_qualified_name_part(name) {
        errs.push(format!("name part {}", regex_error(QUALIFIED_NAME_ERR, QUALIFIED_NAME_FMT, &["MyName", "my.name", "123-abc"])));
    }
    errs
}

/// `IsValidLabelValue`: empty, or at most 63 characters of the qualified-name alphabet.
pub fn is_valid_label_value(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 63 {
        errs.push(max_len_error(63));
    }
    if !value.is_empty() && !matches_qualified_name_part(value) {
        errs.push(regex_error(LABEL_VALUE_ERR, LABEL_VALUE_FMT, &["MyValue", "my_value", "12345"]));
    }
    errs
}

/// One `Invalid` per message of `IsDNS1123Label` (`ValidateDNS1123Label`).
pub fn dns1123_label_errors(value: &str, path: &Path) -> Vec<FieldError> {
    is_dns1123_label(value).into_iter().map(|m| FieldError::invalid(path, value, m)).collect()
}

/// `IsDNS1123Label`.
pub fn is_dns1123_label(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 63 {
        errs.push(max_len_error(63));
    }
    if !matches_dns1123_label(value.as_bytes(), false) {
        if matches_dns1123_subdomain(value, false) {
            errs.push("must not contain dots".to_owned());
        } else {
            errs.push(regex_error(DNS1123_LABEL_ERR, DNS1123_LABEL_FMT, &["my-name", "123-abc"]));
        }
    }
    errs
}

/// `IsDNS1123Subdomain`.
pub fn is_dns1123_subdomain(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 253 {
        errs.push(max_len_error(253));
    }
    if !matches_dns1123_subdomain(value, false) {
        errs.push(regex_error(DNS1123_SUBDOMAIN_ERR, DNS1123_SUBDOMAIN_FMT, &["example.com"]));
    }
    errs
}

/// `IsDNS1123SubdomainWithUnderscore`.
pub fn is_dns1123_subdomain_with_underscore(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 253 {
        errs.push(max_len_error(253));
    }
    if !matches_dns1123_subdomain(value, true) {
        errs.push(regex_error(DNS1123_SUBDOMAIN_UNDERSCORE_ERR, DNS1123_SUBDOMAIN_FMT, &["example.com"]));
    }
    errs
}

/// `IsDNS1035Label`.
pub fn is_dns1035_label(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 63 {
        errs.push(max_len_error(63));
    }
    let b = value.as_bytes();
    let ok = !b.is_empty()
        && b[0].is_ascii_lowercase()
        && (b[b.len() - 1].is_ascii_lowercase() || b[b.len() - 1].is_ascii_digit())
        && b.iter().all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-');
    if !ok {
        errs.push(regex_error(DNS1035_LABEL_ERR, DNS1035_LABEL_FMT, &["my-name", "abc-123"]));
    }
    errs
}

/// A name check as the API server's `ValidateNameFunc`s are: `prefix` is true for a `generateName`, whose
/// trailing dash is allowed because a suffix will follow.
pub type NameFn = fn(&str, bool) -> Vec<String>;

/// `maskTrailingDash`: Go replaces the last *two* bytes of a prefix ending in `-` with `a`.
fn mask_trailing_dash(name: &str) -> String {
    if name.len() > 1 && name.ends_with('-') {
        format!("{}a", String::from_utf8_lossy(&name.as_bytes()[..name.len() - 2]))
    } else {
        name.to_owned()
    }
}

/// `NameIsDNSSubdomain`.
pub fn name_is_dns_subdomain(name: &str, prefix: bool) -> Vec<String> {
    if prefix {
        return is_dns1123_subdomain(&mask_trailing_dash(name));
    }
    is_dns1123_subdomain(name)
}

/// `NameIsDNSLabel`.
pub fn name_is_dns_label(name: &str, prefix: bool) -> Vec<String> {
    if prefix {
        return is_dns1123_label(&mask_trailing_dash(name));
    }
    is_dns1123_label(name)
}

/// `NameIsDNS1035Label`.
pub fn name_is_dns1035_label(name: &str, prefix: bool) -> Vec<String> {
    if prefix {
        return is_dns1035_label(&mask_trailing_dash(name));
    }
    is_dns1035_label(name)
}

/// `ValidateNonnegativeField`.
pub fn validate_nonnegative(value: i64, path: &Path) -> Vec<FieldError> {
    if value < 0 {
        vec![FieldError::invalid(path, value, IS_NEGATIVE)]
    } else {
        Vec::new()
    }
}

/// `ValidateImmutableField`: `Invalid value: <new>: field is immutable` when the values differ semantically
/// (kubeplan's `PartialEq` treats nil and empty collections alike and compares quantities by value, as
/// `apiequality.Semantic` does).
pub fn validate_immutable<T: PartialEq>(new: &T, old: &T, new_value: impl FnOnce() -> BadValue, path: &Path) -> Vec<FieldError> {
    if new == old {
        Vec::new()
    } else {
        vec![FieldError::invalid(path, new_value(), FIELD_IMMUTABLE)]
    }
}

/// `ValidateQualifiedName` (core): one `Invalid` per message of [`is_qualified_name`].
pub fn validate_qualified_name(value: &str, path: &Path) -> Vec<FieldError> {
    is_qualified_name(value).into_iter().map(|m| FieldError::invalid(path, value, m)).collect()
}

/// `ValidateLabelName`.
pub fn validate_label_name(name: &str, path: &Path) -> Vec<FieldError> {
    is_qualified_name(name).into_iter().map(|m| FieldError::invalid(path, name, m)).collect()
}

/// `ValidateLabels`: every key a qualified name, every value a label value. (Go walks the map in random order;
/// kubeplan reports keys in sorted order.)
pub fn validate_labels(labels: &BTreeMap<String, String>, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (k, v) in labels {
        errs.extend(validate_label_name(k, path));
        errs.extend(is_valid_label_value(v).into_iter().map(|m| FieldError::invalid(path, v, m)));
    }
    errs
}

/// `ValidateAnnotations`: keys are qualified names (checked lower-cased) and all keys and values together
/// take at most 256 KiB.
pub fn validate_annotations(annotations: &BTreeMap<String, String>, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for k in annotations.keys() {
        errs.extend(is_qualified_name(&k.to_lowercase()).into_iter().map(|m| FieldError::invalid(path, k, m)));
    }
    let total: usize = annotations.iter().map(|(k, v)| k.len() + v.len()).sum();
    if total > TOTAL_ANNOTATION_SIZE_LIMIT {
        errs.push(FieldError::too_long(path, TOTAL_ANNOTATION_SIZE_LIMIT as i64));
    }
    errs
}

/// Options of `ValidateLabelSelector`.
#[derive(Clone, Copy, Debug, Default)]
pub struct SelectorOptions {
    pub allow_invalid_label_value: bool,
}

/// `ValidateLabelSelector` (nil is valid).
pub fn validate_label_selector(sel: Option<&LabelSelector>, opts: SelectorOptions, path: &Path) -> Vec<FieldError> {
    let Some(sel) = sel else { return Vec::new() };
    let mut errs = validate_labels(&sel.match_labels, &path.child("matchLabels"));
    for (i, r) in sel.match_expressions.iter().enumerate() {
        errs.extend(validate_label_selector_requirement(r, opts, &path.child("matchExpressions").index(i)));
    }
    errs
}

/// `ValidateLabelSelectorRequirement`.
pub fn validate_label_selector_requirement(r: &LabelSelectorRequirement, opts: SelectorOptions, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    match r.operator.as_str() {
        "In" | "NotIn" => {
            if r.values.is_empty() {
                errs.push(FieldError::required(&path.child("values"), "must be specified when `operator` is 'In' or 'NotIn'"));
            }
        }
        "Exists" | "DoesNotExist" => {
            if !r.values.is_empty() {
                errs.push(FieldError::forbidden(
                    &path.child("values"),
                    "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                ));
            }
        }
        op => errs.push(FieldError::invalid(&path.child("operator"), op, "not a valid selector operator")),
    }
    errs.extend(validate_label_name(&r.key, &path.child("key")));
    if !opts.allow_invalid_label_value {
        for (i, v) in r.values.iter().enumerate() {
            errs.extend(is_valid_label_value(v).into_iter().map(|m| FieldError::invalid(&path.child("values").index(i), v, m)));
        }
    }
    errs
}

/// `LabelSelectorHasInvalidLabelValue`.
pub fn selector_has_invalid_label_value(sel: Option<&LabelSelector>) -> bool {
    sel.is_some_and(|s| s.match_expressions.iter().any(|e| e.values.iter().any(|v| !is_valid_label_value(v).is_empty())))
}

/// `metav1.LabelSelectorAsSelector` as validation uses it: a nil selector selects nothing, `{}` selects
/// everything, and `None` when a requirement would not parse (an unknown operator, values where none are allowed
/// or none where some are required, a key that is not a qualified name, a value that is not a label value).
pub fn label_selector_as_selector(sel: Option<&LabelSelector>) -> Option<Selector> {
    let Some(s) = sel else { return Some(Selector::Nothing) };
    let key_ok = |k: &str| is_qualified_name(k).is_empty();
    let value_ok = |v: &str| is_valid_label_value(v).is_empty();
    for (k, v) in &s.match_labels {
        if !key_ok(k) || !value_ok(v) {
            return None;
        }
    }
    for e in &s.match_expressions {
        let values_ok = match e.operator.as_str() {
            "In" | "NotIn" => !e.values.is_empty(),
            "Exists" | "DoesNotExist" => e.values.is_empty(),
            _ => false,
        };
        if !values_ok || !key_ok(&e.key) || !e.values.iter().all(|v| value_ok(v)) {
            return None;
        }
    }
    Selector::from_label_selector(Some(s)).ok()
}

/// The selector as the bad value of a selector error: `v1.LabelSelector{...}`, or `"null"` when nil.
pub fn selector_value(sel: Option<&LabelSelector>) -> BadValue {
    sel.map_or(BadValue::Null, |s| BadValue::go(&s.to_go()))
}

/// A label map as the bad value of an error: `map[string]string{...}`.
pub fn labels_value(labels: &BTreeMap<String, String>) -> BadValue {
    let v = crate::go::GoValue::map(
        "map[string]string",
        labels.iter().map(|(k, v)| {
            (crate::go::GoValue::Str("string", k.as_str().into()), crate::go::GoValue::Str("string", v.as_str().into()))
        }),
    );
    BadValue::go(&v)
}

/// Finalizer names the API server knows without a domain prefix (`helper.IsStandardFinalizerName`).
const STANDARD_FINALIZERS: &[&str] = &["kubernetes", "orphan", "foregroundDeletion"];

/// `validateKubeFinalizerName`: a finalizer without `/` must be a standard one.
pub fn validate_kube_finalizer_name(name: &str, path: &Path) -> Vec<FieldError> {
    if !name.contains('/') && !STANDARD_FINALIZERS.contains(&name) {
        return vec![FieldError::invalid(path, name, "name is neither a standard finalizer name nor is it fully qualified")];
    }
    Vec::new()
}

/// `ValidateFinalizers` (apimachinery): qualified names, and not both `orphan` and `foregroundDeletion`.
fn validate_finalizers(finalizers: &[String], path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for f in finalizers {
        errs.extend(is_qualified_name(f).into_iter().map(|m| FieldError::invalid(path, f, m)));
    }
    if finalizers.iter().any(|f| f == "orphan") && finalizers.iter().any(|f| f == "foregroundDeletion") {
        let v = crate::go::GoValue::slice(
            "[]string",
            finalizers.iter().map(|f| crate::go::GoValue::Str("string", f.as_str().into())),
        );
        errs.push(FieldError::invalid(path, BadValue::go(&v), "finalizer orphan and foregroundDeletion cannot be both set"));
    }
    errs
}

/// `validateOwnerReference` and `ValidateOwnerReferences`.
fn validate_owner_references(meta: &ObjectMeta, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    // The first reference with `controller: true`; its `Kind/name` is only written out for an error.
    let mut first_controller = None;
    for r in &meta.owner_references {
        let version = r.api_version.rsplit('/').next().unwrap_or("");
        if version.is_empty() {
            errs.push(FieldError::invalid(&path.child("apiVersion"), &r.api_version, "version must not be empty"));
        }
        if r.kind.is_empty() {
            errs.push(FieldError::invalid(&path.child("kind"), &r.kind, "kind must not be empty"));
        }
        if r.name.is_empty() {
            errs.push(FieldError::invalid(&path.child("name"), &r.name, "name must not be empty"));
        }
        if r.uid.is_empty() {
            errs.push(FieldError::invalid(&path.child("uid"), &r.uid, "uid must not be empty"));
        }
        if r.api_version == "v1" && r.kind == "Event" {
            errs.push(FieldError::invalid(path, BadValue::go(&r.to_go()), "/v1, Kind=Event is disallowed from being an owner"));
        }
        if r.controller == Some(true) {
            if let Some(first) = first_controller {
                let (first, name) = (controller_name(first), controller_name(r));
                let all = crate::go::GoValue::slice("[]v1.OwnerReference", meta.owner_references.iter().map(|o| o.to_go()));
                errs.push(FieldError::invalid(
                    path,
                    BadValue::go(&all),
                    format!(
                        "Only one reference can have Controller set to true. Found \"true\" in references for {first} and {name}"
                    ),
                ));
            } else {
                first_controller = Some(r);
            }
        }
    }
    errs
}

/// How `validateOwnerReferences` names a controller reference: `Kind/name`.
fn controller_name(r: &OwnerReference) -> String {
    format!("{}/{}", r.kind, r.name)
}

/// `ValidateManagedFields`: the operation must be `Apply` or `Update`.
fn validate_managed_fields(meta: &ObjectMeta, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (i, m) in meta.managed_fields.iter().enumerate() {
        let p = path.index(i);
        if m.operation != "Apply" && m.operation != "Update" {
            errs.push(FieldError::invalid(&p.child("operation"), &m.operation, "must be `Apply` or `Update`"));
        }
        if !m.fields_type.is_empty() && m.fields_type != "FieldsV1" {
            errs.push(FieldError::invalid(&p.child("fieldsType"), &m.fields_type, "must be `FieldsV1`"));
        }
    }
    errs
}

/// `ValidateObjectMeta` of `pkg/apis/core/validation` (the apimachinery checks plus the Kubernetes finalizer
/// names) for an object being created.
///
/// `requires_namespace` is false for cluster-scoped kinds; the API server clears a namespace given to those
/// before validating, so it is not checked there.
pub fn validate_object_meta(meta: &ObjectMeta, requires_namespace: bool, name_fn: NameFn, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if !meta.generate_name.is_empty() {
        errs.extend(
            name_fn(&meta.generate_name, true)
                .into_iter()
                .map(|m| FieldError::invalid(&path.child("generateName"), &meta.generate_name, m)),
        );
    }
    if meta.name.is_empty() {
        errs.push(FieldError::required(&path.child("name"), "name or generateName is required"));
    } else {
        errs.extend(name_fn(&meta.name, false).into_iter().map(|m| FieldError::invalid(&path.child("name"), &meta.name, m)));
    }
    if requires_namespace {
        if meta.namespace.is_empty() {
            errs.push(FieldError::required(&path.child("namespace"), ""));
        } else {
            errs.extend(
                name_is_dns_label(&meta.namespace, false)
                    .into_iter()
                    .map(|m| FieldError::invalid(&path.child("namespace"), &meta.namespace, m)),
            );
        }
    }
    errs.extend(validate_nonnegative(meta.generation, &path.child("generation")));
    errs.extend(validate_labels(&meta.labels, &path.child("labels")));
    errs.extend(validate_annotations(&meta.annotations, &path.child("annotations")));
    errs.extend(validate_owner_references(meta, &path.child("ownerReferences")));
    errs.extend(validate_finalizers(&meta.finalizers, &path.child("finalizers")));
    errs.extend(validate_managed_fields(meta, &path.child("managedFields")));
    for (i, f) in meta.finalizers.iter().enumerate() {
        errs.extend(validate_kube_finalizer_name(f, &path.child("finalizers").index(i)));
    }
    errs
}

/// `path.ValidatePathSegmentName`: a name may hold anything a URL path segment can (not `.` or `..`, no `/` or
/// `%`); a generated-name prefix only the characters.
pub fn name_is_path_segment(name: &str, prefix: bool) -> Vec<String> {
    let mut errs = Vec::new();
    if !prefix && (name == "." || name == "..") {
        errs.push(format!("may not be '{name}'"));
    }
    if name.contains('/') {
        errs.push("may not contain '/'".to_owned());
    }
    if name.contains('%') {
        errs.push("may not contain '%'".to_owned());
    }
    errs
}

/// The common metadata check `rest.BeforeCreate` runs after the kind's own validation passed
/// (`ValidateObjectMetaAccessor` with path-segment names): it matters for the kinds whose validation does not
/// check the metadata (PodDisruptionBudgets), and a cluster-scoped object may carry no namespace.
pub fn validate_object_meta_accessor(meta: &ObjectMeta, namespaced: bool) -> Vec<FieldError> {
    let path = Path::new("metadata");
    let mut errs = validate_object_meta(meta, namespaced, name_is_path_segment, &path);
    if !namespaced && !meta.namespace.is_empty() {
        errs.push(FieldError::forbidden(&path.child("namespace"), "not allowed on this type"));
    }
    errs
}

/// `ValidateObjectMetaUpdate` of `pkg/apis/core/validation`.
///
/// Two checks of the Go function cannot fail for kubeplan's updates and are left out: the resource version
/// (the registry fills it in for an unconditional update, and `kubectl apply` always sends it) and the
/// generation (`BeforeUpdate` copies the stored one before validating). UID and creation timestamp are
/// likewise copied from the stored object when the update leaves them empty.
pub fn validate_object_meta_update(new: &ObjectMeta, old: &ObjectMeta, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if old.deletion_timestamp.is_some() {
        let extra: Vec<&String> = new.finalizers.iter().filter(|f| !old.finalizers.contains(f)).collect();
        if !extra.is_empty() {
            let mut sorted: Vec<&String> = extra;
            sorted.sort();
            sorted.dedup();
            let list: Vec<String> = sorted.iter().map(|f| crate::go::fmt::quote(f)).collect();
            errs.push(FieldError::forbidden(
                &path.child("finalizers"),
                format!(
                    "no new finalizers can be added if the object is being deleted, found new finalizers []string{{{}}}",
                    list.join(", ")
                ),
            ));
        }
    }
    errs.extend(validate_immutable(&new.name, &old.name, || (&new.name).into(), &path.child("name")));
    errs.extend(validate_immutable(&new.namespace, &old.namespace, || (&new.namespace).into(), &path.child("namespace")));
    if !new.uid.is_empty() {
        errs.extend(validate_immutable(&new.uid, &old.uid, || (&new.uid).into(), &path.child("uid")));
    }
    errs.extend(validate_labels(&new.labels, &path.child("labels")));
    errs.extend(validate_annotations(&new.annotations, &path.child("annotations")));
    errs.extend(validate_owner_references(new, &path.child("ownerReferences")));
    errs.extend(validate_managed_fields(new, &path.child("managedFields")));
    for (i, f) in new.finalizers.iter().enumerate() {
        errs.extend(validate_kube_finalizer_name(f, &path.child("finalizers").index(i)));
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_names() {
        assert!(is_dns1123_label("my-name").is_empty());
        assert_eq!(is_dns1123_label("a.b"), vec!["must not contain dots"]);
        assert_eq!(
            is_dns1123_label("Bad_"),
            vec!["a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"]
        );
        assert_eq!(
            is_dns1123_subdomain("My-App"),
            vec!["a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"]
        );
        assert!(is_dns1123_subdomain("a.b-c.d").is_empty());
        assert!(!is_dns1123_subdomain("a..b").is_empty());
        assert!(!is_dns1123_subdomain("a.").is_empty() && !is_dns1123_subdomain("").is_empty(), "an empty label");
        assert!(is_dns1123_subdomain_with_underscore("_a.b_c").is_empty());
        assert!(!is_dns1123_subdomain_with_underscore("a._").is_empty());
        assert_eq!(is_dns1123_label(&"a".repeat(64)).len(), 1);
        assert!(name_is_dns_subdomain("web-", true).is_empty());
        assert_eq!(name_is_dns_subdomain("é-", true).len(), 1, "no panic on a multi-byte prefix");
    }

    #[test]
    fn qualified_names_and_values() {
        assert!(is_qualified_name("app.kubernetes.io/name").is_empty());
        assert_eq!(is_qualified_name("/a"), vec!["prefix part must be non-empty"]);
        assert_eq!(is_qualified_name("a/b/c").len(), 1);
        assert_eq!(is_qualified_name("a//b").len(), 1);
        assert_eq!(is_qualified_name("example.com/").len(), 2, "an empty name part, which the pattern refuses too");
        assert_eq!(is_qualified_name("Example.com/x").len(), 1, "the prefix is a lowercase subdomain");
        assert_eq!(
            is_valid_label_value("-x"),
            vec!["a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"]
        );
        assert!(is_valid_label_value("").is_empty());
    }
}
