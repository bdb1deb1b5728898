//! Warnings about claims, volumes and classes: `pkg/api/persistentvolumeclaim/util.go`
//! (`GetWarningsForPersistentVolumeClaim`), `pkg/api/persistentvolume/util.go`
//! (`GetWarningsForPersistentVolume`) and `pkg/api/storage/util.go` (`GetWarningsForStorageClass`).

use std::collections::BTreeMap;

use super::node_labels;
use crate::api::core_v1::{PersistentVolume, PersistentVolumeClaim, PersistentVolumeClaimSpec};
use crate::api::storage_v1::StorageClass;
use crate::api::Quantity;
use crate::apiserver::validation::field::Path;

const BETA_STORAGE_CLASS: &str = "volume.beta.kubernetes.io/storage-class";
const STORAGE_CLASS_ANNOTATION_DEPRECATED: &str = r#"deprecated since v1.8; use "storageClassName" attribute instead"#;

/// A claim: the beta storage class annotation, then its spec.
pub fn for_claim(claim: &PersistentVolumeClaim) -> Vec<String> {
    let mut w = Vec::new();
    if claim.metadata.annotations.contains_key(BETA_STORAGE_CLASS) {
        let annotations = Path::of(&["metadata", "annotations"]);
        let path = annotations.key(BETA_STORAGE_CLASS);
        w.push(format!("{path}: {STORAGE_CLASS_ANNOTATION_DEPRECATED}"));
    }
    w.extend(for_claim_spec(&Path::new("spec"), &claim.spec));
    w
}

/// `GetWarningsForPersistentVolumeClaimSpec`: a storage request or limit with a fraction of a byte.
pub fn for_claim_spec(path: &Path, spec: &PersistentVolumeClaimSpec) -> Vec<String> {
    let resources = path.child("resources");
    let mut w = Vec::new();
    for (list, quantities) in [("requests", &spec.resources.requests), ("limits", &spec.resources.limits)] {
        w.extend(fractional_bytes(&resources.child(list), quantities, "storage"));
    }
    w
}

/// The warning for a byte quantity of `resource` in `quantities` that is not a whole number of bytes.
pub(super) fn fractional_bytes(path: &Path, quantities: &BTreeMap<String, Quantity>, resource: &str) -> Option<String> {
    let value = quantities.get(resource)?;
    (value.milli_value() % 1000 != 0).then(|| {
        format!(
            "{}: fractional byte value {} is invalid, must be an integer",
            path.key(resource),
            crate::go::fmt::quote(&value.to_string())
        )
    })
}

/// A volume: deprecated annotations, the Recycle policy, deprecated node labels in its node affinity, and
/// volume plugins that are deprecated or gone.
pub fn for_volume(volume: &PersistentVolume) -> Vec<String> {
    const ANNOTATIONS: [(&str, &str); 2] = [
        (BETA_STORAGE_CLASS, STORAGE_CLASS_ANNOTATION_DEPRECATED),
        ("volume.beta.kubernetes.io/mount-options", r#"deprecated since v1.31; use "mountOptions" attribute instead"#),
    ];
    let annotations = Path::of(&["metadata", "annotations"]);
    let spec = Path::new("spec");
    let mut w: Vec<String> = ANNOTATIONS
        .iter()
        .filter(|(key, _)| volume.metadata.annotations.contains_key(*key))
        .map(|(key, msg)| format!("{}: {msg}", annotations.key(key)))
        .collect();
    let s = &volume.spec;
    if s.persistent_volume_reclaim_policy == "Recycle" {
        w.push(format!(
            "{}: The Recycle reclaim policy is deprecated. Instead, the recommended approach is to use dynamic \
             provisioning.",
            spec.child("persistentVolumeReclaimPolicy")
        ));
    }
    if let Some(required) = s.node_affinity.as_ref().and_then(|a| a.required.as_ref()) {
        let node_affinity = spec.child("nodeAffinity");
        let required_path = node_affinity.child("required");
        let terms = required_path.child("nodeSelectorTerms");
        for (i, term) in required.node_selector_terms.iter().enumerate() {
            w.extend(node_labels::for_selector_term(term, &terms.index(i)));
        }
    }
    let plugins = [
        (s.cephfs.is_some(), "cephfs", "deprecated in v1.28, non-functional in v1.31+"),
        (s.photon_persistent_disk.is_some(), "photonPersistentDisk", "deprecated in v1.11, non-functional in v1.16+"),
        (s.scale_io.is_some(), "scaleIO", "deprecated in v1.16, non-functional in v1.22+"),
        (s.storageos.is_some(), "storageOS", "deprecated in v1.22, non-functional in v1.25+"),
        (s.glusterfs.is_some(), "glusterfs", "deprecated in v1.25, non-functional in v1.26+"),
        (s.rbd.is_some(), "rbd", "deprecated in v1.28, non-functional in v1.31+"),
    ];
    w.extend(plugins.iter().filter(|(set, ..)| *set).map(|(_, field, msg)| format!("{}: {msg}", spec.child(field))));
    w
}

/// A class: deprecated node labels in its allowed topologies.
pub fn for_class(class: &StorageClass) -> Vec<String> {
    let topologies = Path::new("allowedTopologies");
    let mut w = Vec::new();
    for (i, topology) in class.allowed_topologies.iter().enumerate() {
        let term_path = topologies.index(i);
        let expressions = term_path.child("matchLabelExpressions");
        for (j, e) in topology.match_label_expressions.iter().enumerate() {
            if let Some(msg) = node_labels::deprecated(&e.key) {
                w.push(format!("{}: {msg}", expressions.index(j).child("key")));
            }
        }
    }
    w
}
