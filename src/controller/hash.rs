//! The hashes controllers put in names and labels.

use crate::api::core_v1::PodTemplateSpec;

/// `controller.ComputeHash`: the `controller-revision-hash` of DaemonSets and the `pod-template-hash` of
/// Deployments.
pub fn compute_hash(template: &PodTemplateSpec, collision_count: Option<i32>) -> String {
    // Placeholder until the go-spew dump is exact: FNV-1a over the JSON form.
    let mut h: u32 = 0x811c9dc5;
    let text = serde_json::to_string(template).unwrap_or_default();
    for b in text.bytes().chain(collision_count.unwrap_or(0).to_le_bytes()) {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x01000193);
    }
    safe_encode(h)
}

/// `history.HashControllerRevision`: the StatefulSet revision hash, FNV-1 over the revision's JSON bytes.
pub fn hash_controller_revision(data: &str, probe: Option<i32>) -> String {
    let mut h: u32 = 0x811c9dc5;
    let probe = probe.map(|p| p.to_string()).unwrap_or_default();
    for b in data.bytes().chain(probe.bytes()) {
        h = h.wrapping_mul(0x01000193);
        h ^= u32::from(b);
    }
    safe_encode(h)
}

/// `rand.SafeEncodeString` of the decimal digits of a hash.
pub fn safe_encode(h: u32) -> String {
    const ALPHANUMS: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    h.to_string().bytes().map(|b| ALPHANUMS[usize::from(b) % ALPHANUMS.len()] as char).collect()
}

/// `getPatch` of the DaemonSet controller: the template as `{"spec":{"template":{...,"$patch":"replace"}}}`.
pub fn daemonset_revision_data(template: &PodTemplateSpec) -> String {
    let mut t = serde_json::to_value(template).unwrap_or_default();
    if let Some(m) = t.as_object_mut() {
        m.insert("$patch".into(), "replace".into());
    }
    crate::go::json::marshal(&serde_json::json!({ "spec": { "template": t } }))
}
