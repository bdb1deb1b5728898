//! The hashes controllers put in names and labels.
//!
//! * `controller.ComputeHash` (DaemonSet `controller-revision-hash`, Deployment `pod-template-hash`): FNV-1a 32
//!   over the go-spew `%#v` text of the Go `v1.PodTemplateSpec` (`hashutil.DeepHashObject`), then the collision
//!   count, if any, as 4 little-endian bytes and 4 zero bytes.
//! * `history.HashControllerRevision` (StatefulSet revision names): FNV-1 32 over the revision's JSON bytes, then
//!   the decimal collision count.
//!
//! Both are printed in decimal and passed through `rand.SafeEncodeString`.

use crate::api::core_v1::PodTemplateSpec;
use crate::go::{spew, ToGo};

const FNV32_OFFSET: u32 = 0x811c9dc5;
const FNV32_PRIME: u32 = 0x0100_0193;

fn fnv1a(h: u32, bytes: &[u8]) -> u32 {
    bytes.iter().fold(h, |h, &b| (h ^ u32::from(b)).wrapping_mul(FNV32_PRIME))
}

fn fnv1(h: u32, bytes: &[u8]) -> u32 {
    bytes.iter().fold(h, |h, &b| h.wrapping_mul(FNV32_PRIME) ^ u32::from(b))
}

/// The text `DeepHashObject` feeds the hasher for a pod template, as the controller sees the template (see
/// [`as_stored`]).
pub fn template_dump(template: &PodTemplateSpec) -> String {
    spew::sprint(&as_stored(template).to_go())
}

/// `controller.ComputeHash`: the `controller-revision-hash` of DaemonSets and the `pod-template-hash` of
/// Deployments.
pub fn compute_hash(template: &PodTemplateSpec, collision_count: Option<i32>) -> String {
    let mut h = fnv1a(FNV32_OFFSET, template_dump(template).as_bytes());
    if let Some(c) = collision_count {
        h = fnv1a(h, &(c as u32).to_le_bytes());
        h = fnv1a(h, &[0; 4]);
    }
    safe_encode(h)
}

/// `history.HashControllerRevision`: the StatefulSet revision hash, FNV-1 over the revision's JSON bytes and the
/// decimal probe (the StatefulSet controller always passes its collision count, 0 unless a name collided).
pub fn hash_controller_revision(data: &str, probe: Option<i32>) -> String {
    let mut h = fnv1(FNV32_OFFSET, data.as_bytes());
    if let Some(p) = probe {
        h = fnv1(h, p.to_string().as_bytes());
    }
    safe_encode(h)
}

/// `rand.SafeEncodeString` of the decimal digits of a hash.
pub fn safe_encode(h: u32) -> String {
    const ALPHANUMS: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    h.to_string().bytes().map(|b| ALPHANUMS[usize::from(b) % ALPHANUMS.len()] as char).collect()
}

/// The template as a controller holds it: the API server stores what it defaulted and controllers read it back
/// through an informer, and that encode/decode changes Go's internal state in ways the hash can see. Quantities
/// are re-parsed from their `String()` text (so `0.5` defaulted to `{5, -1}` comes back as `500m`, with that
/// text cached), and empty slices and maps come back nil (kubeplan's Go view already treats them so).
pub fn as_stored(template: &PodTemplateSpec) -> PodTemplateSpec {
    serde_json::to_value(template)
        .ok()
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_else(|| template.clone())
}

/// The template JSON as Go's `encoding/json` writes a `v1.PodTemplateSpec` once it has been decoded into a
/// `map[string]interface{}`: keys sorted by [`crate::go::json::marshal`], numbers as float64, a zero
/// `creationTimestamp` as `null` (Go's `omitempty` never drops a struct), and the lists without `omitempty` that a
/// round trip left nil as `null`.
fn template_json(template: &PodTemplateSpec) -> serde_json::Value {
    use serde_json::Value;
    let mut v = serde_json::to_value(as_stored(template)).unwrap_or(Value::Null);
    zero_time_to_null(v.get_mut("metadata"));
    if let Some(volumes) = v.pointer_mut("/spec/volumes").and_then(Value::as_array_mut) {
        for vol in volumes {
            zero_time_to_null(vol.pointer_mut("/ephemeral/volumeClaimTemplate/metadata"));
            empty_to_null(vol.pointer_mut("/projected/sources"));
        }
    }
    empty_to_null(v.pointer_mut("/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms"));
    numbers_to_float(&mut v);
    v
}

/// An `ObjectMeta`'s `creationTimestamp` is a struct, which `omitempty` never drops: zero, it is `null`.
fn zero_time_to_null(meta: Option<&mut serde_json::Value>) {
    if let Some(meta) = meta.and_then(serde_json::Value::as_object_mut) {
        meta.entry("creationTimestamp").or_insert(serde_json::Value::Null);
    }
}

fn empty_to_null(v: Option<&mut serde_json::Value>) {
    if let Some(v) = v {
        if v.as_array().is_some_and(Vec::is_empty) {
            *v = serde_json::Value::Null;
        }
    }
}

/// `json.Unmarshal` into an `interface{}` makes every number a float64, and `json.Marshal` writes a float64 with
/// the fewest digits that read back as the same float: an integer beyond 2^53 comes out rounded
/// (9223372036854775807 becomes 9223372036854776000).
fn numbers_to_float(v: &mut serde_json::Value) {
    use serde_json::{Number, Value};
    match v {
        Value::Number(n) => {
            let Some(f) = n.as_f64() else { return };
            if f.fract() == 0.0 && f.abs() >= 9_007_199_254_740_992.0 && f.abs() < 1e21 {
                let text = shortest_integer_text(f);
                if let Ok(u) = text.parse::<u64>() {
                    *n = Number::from(u);
                    return;
                }
                if let Ok(i) = text.parse::<i64>() {
                    *n = Number::from(i);
                    return;
                }
            }
            if let Some(x) = Number::from_f64(f) {
                *n = x;
            }
        }
        Value::Array(a) => a.iter_mut().for_each(numbers_to_float),
        Value::Object(m) => m.values_mut().for_each(numbers_to_float),
        _ => {}
    }
}

/// `strconv.FormatFloat(f, 'f', -1, 64)` for an integral float: the shortest round-trip digits, zero-padded.
fn shortest_integer_text(f: f64) -> String {
    let sci = format!("{f:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: usize = exp.parse().unwrap_or(0);
    let neg = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let width = exp + 1;
    let mut out = String::from(if neg { "-" } else { "" });
    out.push_str(&digits);
    out.push_str(&"0".repeat(width.saturating_sub(digits.len())));
    out
}

/// `{"spec":{"template":{"$patch":"replace",...}}}`: the patch both the DaemonSet and the StatefulSet controller
/// store as a ControllerRevision's `data`.
fn template_patch(template: &PodTemplateSpec) -> String {
    let mut t = template_json(template);
    if let Some(m) = t.as_object_mut() {
        m.insert("$patch".to_owned(), serde_json::Value::String("replace".to_owned()));
    }
    crate::go::json::marshal(&serde_json::json!({ "spec": { "template": t } }))
}

/// `statefulset/stateful_set_utils.go:getPatch`: the revision data whose FNV-1 hash names a StatefulSet revision.
pub fn statefulset_revision_data(template: &PodTemplateSpec) -> String {
    template_patch(template)
}

/// `daemon/update.go:getPatch`: the revision data of a DaemonSet revision (compared byte for byte to find the
/// revision that matches the current template).
pub fn daemonset_revision_data(template: &PodTemplateSpec) -> String {
    template_patch(template)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(json: &str) -> PodTemplateSpec {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn fnv_variants() {
        // FNV-1a and FNV-1 of "a" (the published test values).
        assert_eq!(fnv1a(FNV32_OFFSET, b"a"), 0xe40c292c);
        assert_eq!(fnv1(FNV32_OFFSET, b"a"), 0x050c5d7e);
        assert_eq!(safe_encode(1234567890), "56789bcdf4");
    }

    #[test]
    fn revision_json_follows_go_encoding() {
        let t = template(
            r#"{"metadata":{"labels":{"a":"<b>"}},"spec":{"containers":[{"name":"c","image":"i"}],
            "activeDeadlineSeconds":9223372036854775807,
            "volumes":[{"name":"e","ephemeral":{"volumeClaimTemplate":{"spec":{"resources":{"requests":{"storage":"1.5Gi"}}}}}},
                       {"name":"p","projected":{"sources":[]}}]}}"#,
        );
        let data = statefulset_revision_data(&t);
        assert!(data.starts_with(r#"{"spec":{"template":{"$patch":"replace","metadata":{"creationTimestamp":null,"labels":{"a":"\u003cb\u003e"}}"#), "{data}");
        assert!(data.contains(r#""activeDeadlineSeconds":9223372036854776000,"#), "{data}");
        assert!(data.contains(r#""volumeClaimTemplate":{"metadata":{"creationTimestamp":null},"spec":{"resources":{"requests":{"storage":"1536Mi"}}}}"#), "{data}");
        assert!(data.contains(r#"{"name":"p","projected":{"sources":null}}"#), "{data}");
    }

    #[test]
    fn shortest_integers() {
        assert_eq!(shortest_integer_text(9_223_372_036_854_775_807.0), "9223372036854776000");
        assert_eq!(shortest_integer_text(9_007_199_254_740_993.0), "9007199254740992");
        assert_eq!(shortest_integer_text(-1e20), "-100000000000000000000");
    }
}
