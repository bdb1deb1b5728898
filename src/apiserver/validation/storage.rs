//! PersistentVolumeClaims and PersistentVolumes (`pkg/apis/core/validation/validation.go`), StorageClasses,
//! CSIDrivers and CSINodes (`pkg/apis/storage/validation/validation.go`).

use std::collections::BTreeSet;

use crate::api::core_v1::{PersistentVolume, PersistentVolumeClaim, PersistentVolumeClaimSpec, TopologySelectorTerm};
use crate::api::storage_v1::{CSIDriver, CSINode, StorageClass};
use crate::api::Quantity;
use crate::go::GoValue;

use super::core::{validate_node_selector, validate_resource_quantity_value};
use super::field::{BadValue, FieldError, Path};
use super::meta::{
    is_dns1123_subdomain, name_is_dns_label, name_is_dns_subdomain, validate_immutable, validate_label_name,
    validate_label_selector, validate_nonnegative, validate_object_meta, validate_object_meta_update,
    validate_qualified_name, SelectorOptions, IS_NOT_POSITIVE,
};
use super::volumes::validate_path_no_backsteps;

const ACCESS_MODES: [&str; 4] = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"];

/// The access modes: supported ones, and `ReadWriteOncePod` only alone.
fn validate_access_modes(modes: &[String], path: &Path, required_detail: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if modes.is_empty() {
        errs.push(FieldError::required(path, required_detail));
    }
    let (mut once_pod, mut others) = (false, false);
    for m in modes {
        if !ACCESS_MODES.contains(&m.as_str()) {
            errs.push(FieldError::not_supported(path, m, &ACCESS_MODES));
        } else if m == "ReadWriteOncePod" {
            once_pod = true;
        } else {
            others = true;
        }
    }
    if once_pod && others {
        errs.push(FieldError::forbidden(path, "may not use ReadWriteOncePod with other access modes"));
    }
    errs
}

/// `ValidatePositiveQuantityValue`.
fn positive_quantity(q: &Quantity, path: &Path) -> Vec<FieldError> {
    if q.sign() <= 0 {
        vec![FieldError::invalid(path, q.to_string(), IS_NOT_POSITIVE)]
    } else {
        Vec::new()
    }
}

/// `ValidateClassName` (a DNS subdomain) as field errors.
fn class_name_errors(name: &str, path: &Path) -> Vec<FieldError> {
    name_is_dns_subdomain(name, false).into_iter().map(|m| FieldError::invalid(path, name, m)).collect()
}

/// `ValidatePersistentVolumeClaimSpec`.
pub fn validate_pvc_spec(spec: &PersistentVolumeClaimSpec, path: &Path) -> Vec<FieldError> {
    let mut errs = validate_access_modes(&spec.access_modes, &path.child("accessModes"), "at least 1 access mode is required");
    if let Some(sel) = &spec.selector {
        errs.extend(validate_label_selector(Some(sel), SelectorOptions::default(), &path.child("selector")));
    }
    let resources = path.child("resources");
    let storage_path = resources.key("storage");
    match spec.resources.requests.get("storage") {
        None => errs.push(FieldError::required(&storage_path, "")),
        Some(q) => {
            let not_positive = positive_quantity(q, &storage_path);
            if not_positive.is_empty() {
                errs.extend(validate_resource_quantity_value("storage", q, &storage_path));
            } else {
                errs.extend(not_positive);
            }
        }
    }
    if let Some(class) = spec.storage_class_name.as_deref().filter(|c| !c.is_empty()) {
        errs.extend(class_name_errors(class, &path.child("storageClassName")));
    }
    if let Some(mode) = &spec.volume_mode {
        if !["Block", "Filesystem"].contains(&mode.as_str()) {
            errs.push(FieldError::not_supported(&path.child("volumeMode"), mode, &["Block", "Filesystem"]));
        }
    }
    if let Some(ds) = &spec.data_source {
        errs.extend(validate_data_source(&ds.name, &ds.kind, ds.api_group.as_deref(), &path.child("dataSource")));
    }
    if let Some(r) = &spec.data_source_ref {
        let ref_path = path.child("dataSourceRef");
        errs.extend(validate_data_source(&r.name, &r.kind, r.api_group.as_deref(), &ref_path));
        if let Some(ns) = r.namespace.as_deref().filter(|n| !n.is_empty()) {
            errs.extend(name_is_dns_label(ns, false).into_iter().map(|m| FieldError::invalid(&ref_path.child("namespace"), ns, m)));
        }
    }
    let cross_namespace = spec.data_source_ref.as_ref().and_then(|r| r.namespace.as_deref()).is_some_and(|n| !n.is_empty());
    let data_source_path = || BadValue::Str(path.child("dataSource").to_string());
    if cross_namespace {
        if spec.data_source.is_some() {
            errs.push(FieldError::invalid(path, data_source_path(), "may not be specified when dataSourceRef.namespace is specified"));
        }
    } else if let (Some(ds), Some(r)) = (&spec.data_source, &spec.data_source_ref) {
        if ds.api_group != r.api_group || ds.kind != r.kind || ds.name != r.name {
            errs.push(FieldError::invalid(path, data_source_path(), "must match dataSourceRef"));
        }
    }
    errs
}

/// `validateDataSource` / `validateDataSourceRef`: name and kind required, only claims in the core group.
fn validate_data_source(name: &str, kind: &str, api_group: Option<&str>, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if name.is_empty() {
        errs.push(FieldError::required(&path.child("name"), ""));
    }
    if kind.is_empty() {
        errs.push(FieldError::required(&path.child("kind"), ""));
    }
    let group = api_group.unwrap_or("");
    if group.is_empty() && kind != "PersistentVolumeClaim" {
        errs.push(FieldError::invalid(path, kind, "must be 'PersistentVolumeClaim' when referencing the default apiGroup"));
    }
    if !group.is_empty() {
        errs.extend(is_dns1123_subdomain(group).into_iter().map(|m| FieldError::invalid(&path.child("apiGroup"), group, m)));
    }
    errs
}

/// `ValidatePersistentVolumeClaim`.
pub fn validate_pvc(pvc: &PersistentVolumeClaim) -> Vec<FieldError> {
    let mut errs = validate_object_meta(&pvc.metadata, true, name_is_dns_subdomain, &Path::new("metadata"));
    errs.extend(validate_pvc_spec(&pvc.spec, &Path::new("spec")));
    errs
}

/// `ValidatePersistentVolumeClaimUpdate`: the spec is immutable but for the requested storage of a bound claim
/// (growing it), and a volume name set once.
///
/// Not modelled: the `go-cmp` diff Go appends to the immutability message.
pub fn validate_pvc_update(pvc: &PersistentVolumeClaim, old: &PersistentVolumeClaim) -> Vec<FieldError> {
    let mut errs = validate_object_meta_update(&pvc.metadata, &old.metadata, &Path::new("metadata"));
    errs.extend(validate_pvc(pvc));
    let mut new_spec = pvc.spec.clone();
    let mut old_spec = old.spec.clone();
    if old_spec.volume_name.is_empty() {
        old_spec.volume_name = new_spec.volume_name.clone();
    }
    // A claim without a class may get one (the DefaultStorageClass retroactive assignment).
    if old_spec.storage_class_name.is_none() && new_spec.storage_class_name.is_some() && !old.metadata.annotations.contains_key(crate::helpers::storage::BETA_STORAGE_CLASS) {
        new_spec.storage_class_name = None;
    }
    let bound = pvc.status.phase == "Bound";
    if bound {
        if let Some(q) = old.spec.resources.requests.get("storage") {
            new_spec.resources.requests.insert("storage".into(), q.clone());
        }
    }
    if new_spec != old_spec {
        errs.push(FieldError::forbidden(
            &Path::new("spec"),
            "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims",
        ));
    }
    errs
}

/// `ValidatePersistentVolume`: access modes, a storage capacity, a known reclaim policy, node affinity, exactly
/// one volume source, class name and volume mode. Of the volume sources, host paths, local volumes, NFS and CSI
/// are checked field by field; the in-tree cloud volumes are counted only.
pub fn validate_pv(pv: &PersistentVolume) -> Vec<FieldError> {
    let mut errs = validate_object_meta(&pv.metadata, false, name_is_dns_subdomain, &Path::new("metadata"));
    let spec = &pv.spec;
    let path = Path::new("spec");
    errs.extend(validate_access_modes(&spec.access_modes, &path.child("accessModes"), ""));
    let cap = path.child("capacity");
    if spec.capacity.is_empty() {
        errs.push(FieldError::required(&cap, ""));
    }
    if !spec.capacity.contains_key("storage") || spec.capacity.len() > 1 {
        let value = GoValue::map(
            "v1.ResourceList",
            spec.capacity.iter().map(|(k, v)| (GoValue::Str("v1.ResourceName", k.as_str().into()), crate::go::ToGo::to_go(v))),
        );
        errs.push(FieldError::not_supported(&cap, BadValue::go(&value), &["storage"]));
    }
    for (r, q) in &spec.capacity {
        if q.value() < 0 {
            errs.push(FieldError::invalid(&cap.key(r), q.value(), "must be a valid resource quantity"));
        }
        errs.extend(positive_quantity(q, &cap.key(r)));
    }
    let policy = spec.persistent_volume_reclaim_policy.as_str();
    if !policy.is_empty() && !["Delete", "Recycle", "Retain"].contains(&policy) {
        errs.push(FieldError::not_supported(&path.child("persistentVolumeReclaimPolicy"), policy, &["Delete", "Recycle", "Retain"]));
    }
    if let Some(na) = &spec.node_affinity {
        match &na.required {
            Some(req) => errs.extend(validate_node_selector(req, true, &path.child("nodeAffinity").child("required"))),
            None => errs.push(FieldError::required(&path.child("nodeAffinity").child("required"), "must specify required node constraints")),
        }
    }
    errs.extend(validate_pv_source(pv, &path));
    if !spec.storage_class_name.is_empty() {
        errs.extend(class_name_errors(&spec.storage_class_name, &path.child("storageClassName")));
    }
    if let Some(mode) = &spec.volume_mode {
        if !["Block", "Filesystem"].contains(&mode.as_str()) {
            errs.push(FieldError::not_supported(&path.child("volumeMode"), mode, &["Block", "Filesystem"]));
        }
    }
    errs
}

/// Exactly one volume source, in Go's order of checks.
fn validate_pv_source(pv: &PersistentVolume, path: &Path) -> Vec<FieldError> {
    let s = &pv.spec;
    let sources = [
        ("hostPath", s.host_path.is_some()),
        ("gcePersistentDisk", s.gce_persistent_disk.is_some()),
        ("awsElasticBlockStore", s.aws_elastic_block_store.is_some()),
        ("glusterfs", s.glusterfs.is_some()),
        ("flocker", s.flocker.is_some()),
        ("nfs", s.nfs.is_some()),
        ("rbd", s.rbd.is_some()),
        ("quobyte", s.quobyte.is_some()),
        ("cephFS", s.cephfs.is_some()),
        ("iscsi", s.iscsi.is_some()),
        ("cinder", s.cinder.is_some()),
        ("fc", s.fc.is_some()),
        ("flexVolume", s.flex_volume.is_some()),
        ("azureFile", s.azure_file.is_some()),
        ("vsphereVolume", s.vsphere_volume.is_some()),
        ("photonPersistentDisk", s.photon_persistent_disk.is_some()),
        ("portworxVolume", s.portworx_volume.is_some()),
        ("azureDisk", s.azure_disk.is_some()),
        ("scaleIO", s.scale_io.is_some()),
        ("local", s.local.is_some()),
        ("storageos", s.storageos.is_some()),
        ("csi", s.csi.is_some()),
    ];
    let mut errs = Vec::new();
    let mut count = 0;
    for (name, present) in sources {
        if !present {
            continue;
        }
        if count > 0 {
            errs.push(FieldError::forbidden(&path.child(name), "may not specify more than 1 volume type"));
            continue;
        }
        count += 1;
        errs.extend(validate_one_source(pv, name, path));
    }
    if count == 0 {
        errs.push(FieldError::required(path, "must specify a volume type"));
    }
    if let Some(h) = &s.host_path {
        if clean_is_root(&h.path) && s.persistent_volume_reclaim_policy == "Recycle" {
            errs.push(FieldError::forbidden(&path.child("persistentVolumeReclaimPolicy"), "may not be 'recycle' for a hostPath mount of '/'"));
        }
    }
    errs
}

fn clean_is_root(p: &str) -> bool {
    !p.is_empty() && p.split('/').all(|seg| seg.is_empty() || seg == ".")
        && p.starts_with('/')
}

fn validate_one_source(pv: &PersistentVolume, name: &str, path: &Path) -> Vec<FieldError> {
    let s = &pv.spec;
    let mut errs = Vec::new();
    match name {
        "hostPath" => {
            let Some(h) = &s.host_path else { return errs };
            let host_path = path.child("hostPath");
            let p = host_path.child("path");
            if h.path.is_empty() {
                errs.push(FieldError::required(&p, ""));
            } else {
                errs.extend(validate_path_no_backsteps(&h.path, &p));
            }
        }
        "local" => {
            let Some(l) = &s.local else { return errs };
            let local = path.child("local");
            let p = local.child("path");
            if l.path.is_empty() {
                errs.push(FieldError::required(&p, ""));
            } else {
                errs.extend(validate_path_no_backsteps(&l.path, &p));
            }
            if s.node_affinity.is_none() {
                errs.push(FieldError::required(&path.child("nodeAffinity"), "Local volume requires node affinity"));
            }
        }
        "nfs" => {
            let Some(n) = &s.nfs else { return errs };
            let p = path.child("nfs");
            if n.server.is_empty() {
                errs.push(FieldError::required(&p.child("server"), ""));
            }
            if n.path.is_empty() {
                errs.push(FieldError::required(&p.child("path"), ""));
            }
            if !n.path.starts_with('/') {
                errs.push(FieldError::invalid(&p.child("path"), &n.path, "must be an absolute path"));
            }
        }
        "csi" => {
            let Some(c) = &s.csi else { return errs };
            let p = path.child("csi");
            errs.extend(validate_csi_driver_name(&c.driver, &p.child("driver")));
            if c.volume_handle.is_empty() {
                errs.push(FieldError::required(&p.child("volumeHandle"), ""));
            }
        }
        _ => {}
    }
    errs
}

/// `ValidateCSIDriverName`: required, at most 63 characters, a DNS subdomain (in lower case).
pub fn validate_csi_driver_name(name: &str, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if name.is_empty() {
        errs.push(FieldError::required(path, ""));
    }
    if name.len() > 63 {
        errs.push(FieldError::too_long(path, 63));
    }
    errs.extend(is_dns1123_subdomain(&name.to_lowercase()).into_iter().map(|m| FieldError::invalid(path, name, m)));
    errs
}

/// `ValidatePersistentVolumeUpdate`: the volume source and mode cannot change.
///
/// Not modelled: the `go-cmp` diff Go appends to the immutability message.
pub fn validate_pv_update(pv: &PersistentVolume, old: &PersistentVolume) -> Vec<FieldError> {
    let mut errs = validate_pv(pv);
    let source = |p: &PersistentVolume| {
        let mut s = p.spec.clone();
        s.capacity.clear();
        s.access_modes.clear();
        s.claim_ref = None;
        s.persistent_volume_reclaim_policy.clear();
        s.storage_class_name.clear();
        s.mount_options.clear();
        s.volume_mode = None;
        s.node_affinity = None;
        s.volume_attributes_class_name = None;
        s
    };
    if source(pv) != source(old) {
        errs.push(FieldError::forbidden(
            &Path::new("spec").child("persistentvolumesource"),
            "spec.persistentvolumesource is immutable after creation",
        ));
    }
    errs.extend(validate_immutable(&pv.spec.volume_mode, &old.spec.volume_mode, || pv.spec.volume_mode.clone().into(), &Path::new("volumeMode")));
    errs
}

/// `ValidateStorageClass`.
pub fn validate_storage_class(sc: &StorageClass) -> Vec<FieldError> {
    let mut errs = validate_object_meta(&sc.metadata, false, name_is_dns_subdomain, &Path::new("metadata"));
    let provisioner = Path::new("provisioner");
    if sc.provisioner.is_empty() {
        errs.push(FieldError::required(&provisioner, ""));
    } else {
        errs.extend(validate_qualified_name(&sc.provisioner.to_lowercase(), &provisioner));
    }
    errs.extend(validate_parameters(sc));
    if let Some(policy) = sc.reclaim_policy.as_deref().filter(|p| !p.is_empty()) {
        if !["Delete", "Retain"].contains(&policy) {
            errs.push(FieldError::not_supported(&Path::new("reclaimPolicy"), policy, &["Delete", "Retain"]));
        }
    }
    let mode_path = Path::new("volumeBindingMode");
    match sc.volume_binding_mode.as_deref() {
        None => errs.push(FieldError::required(&mode_path, "")),
        Some(m) if !["Immediate", "WaitForFirstConsumer"].contains(&m) => {
            errs.push(FieldError::not_supported(&mode_path, m, &["Immediate", "WaitForFirstConsumer"]));
        }
        Some(_) => {}
    }
    errs.extend(validate_allowed_topologies(&sc.allowed_topologies, &Path::new("allowedTopologies")));
    errs
}

/// `validateParameters`: at most 512 entries of 256 KiB in all, no empty key.
fn validate_parameters(sc: &StorageClass) -> Vec<FieldError> {
    let path = Path::new("parameters");
    if sc.parameters.len() > 512 {
        return vec![FieldError::too_long(&path, 512)];
    }
    let mut errs = Vec::new();
    let mut size = 0;
    for (k, v) in &sc.parameters {
        if k.is_empty() {
            errs.push(FieldError::invalid(&path, k, "field can not be empty."));
        }
        size += k.len() + v.len();
    }
    if size > 256 * 1024 {
        errs.push(FieldError::too_long(&path, 256 * 1024));
    }
    errs
}

/// `validateAllowedTopologies` with `ValidateTopologySelectorTerm`: values required and unique, keys label
/// names and unique within a term, terms unique.
fn validate_allowed_topologies(terms: &[TopologySelectorTerm], path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut seen: Vec<Vec<(String, BTreeSet<String>)>> = Vec::new();
    for (i, term) in terms.iter().enumerate() {
        let term_path = path.index(i);
        let exprs = term_path.child("matchLabelExpressions");
        let mut keys = BTreeSet::new();
        let mut map = Vec::new();
        for (j, req) in term.match_label_expressions.iter().enumerate() {
            let p = exprs.index(j);
            if req.values.is_empty() {
                errs.push(FieldError::required(&p.child("values"), ""));
            }
            let mut values = BTreeSet::new();
            for (k, v) in req.values.iter().enumerate() {
                if !values.insert(v.clone()) {
                    errs.push(FieldError::duplicate(&p.child("values").index(k), v));
                }
            }
            errs.extend(validate_label_name(&req.key, &p.child("key")));
            if !keys.insert(req.key.clone()) {
                errs.push(FieldError::duplicate(&p.child("key"), &req.key));
            }
            map.retain(|(k, _): &(String, BTreeSet<String>)| *k != req.key);
            map.push((req.key.clone(), values));
        }
        map.sort();
        if seen.contains(&map) {
            errs.push(FieldError::duplicate(&exprs, ""));
        }
        seen.push(map);
    }
    errs
}

/// `ValidateStorageClassUpdate`: parameters, provisioner, reclaim policy and binding mode cannot change.
pub fn validate_storage_class_update(sc: &StorageClass, old: &StorageClass) -> Vec<FieldError> {
    let mut errs = validate_object_meta_update(&sc.metadata, &old.metadata, &Path::new("metadata"));
    if sc.parameters != old.parameters {
        errs.push(FieldError::forbidden(&Path::new("parameters"), "updates to parameters are forbidden."));
    }
    if sc.provisioner != old.provisioner {
        errs.push(FieldError::forbidden(&Path::new("provisioner"), "updates to provisioner are forbidden."));
    }
    if sc.reclaim_policy != old.reclaim_policy {
        errs.push(FieldError::forbidden(&Path::new("reclaimPolicy"), "updates to reclaimPolicy are forbidden."));
    }
    errs.extend(validate_immutable(
        &sc.volume_binding_mode,
        &old.volume_binding_mode,
        || sc.volume_binding_mode.clone().into(),
        &Path::new("volumeBindingMode"),
    ));
    errs
}

/// `ValidateCSIDriver`.
pub fn validate_csi_driver(d: &CSIDriver) -> Vec<FieldError> {
    let mut errs = validate_object_meta(&d.metadata, false, csi_driver_name, &Path::new("metadata"));
    errs.extend(validate_csi_driver_spec(d, &Path::new("spec")));
    errs
}

/// A CSIDriver's name as `ValidateCSIDriverName` checks it, as a name function.
fn csi_driver_name(name: &str, _prefix: bool) -> Vec<String> {
    validate_csi_driver_name(name, &Path::new("")).into_iter().map(|e| e.body().split_once(": ").map_or(e.body(), |(_, r)| r.to_owned())).collect()
}

/// `validateCSIDriverSpec`.
fn validate_csi_driver_spec(d: &CSIDriver, path: &Path) -> Vec<FieldError> {
    let spec = &d.spec;
    let mut errs = Vec::new();
    // Go names this field `attachedRequired`.
    for (value, field) in [
        (spec.attach_required.is_none(), "attachedRequired"),
        (spec.pod_info_on_mount.is_none(), "podInfoOnMount"),
        (spec.storage_capacity.is_none(), "storageCapacity"),
    ] {
        if value {
            errs.push(FieldError::required(&path.child(field), ""));
        }
    }
    if let Some(p) = &spec.fs_group_policy {
        if !["File", "None", "ReadWriteOnceWithFSType"].contains(&p.as_str()) {
            errs.push(FieldError::not_supported(&path.child("fsGroupPolicy"), p, &["File", "None", "ReadWriteOnceWithFSType"]));
        }
    }
    let mut audiences = BTreeSet::new();
    let token_requests = path.child("tokenRequests");
    for (i, tr) in spec.token_requests.iter().enumerate() {
        let p = token_requests.index(i);
        if !audiences.insert(tr.audience.clone()) {
            errs.push(FieldError::duplicate(&p.child("audience"), &tr.audience));
            continue;
        }
        if let Some(s) = tr.expiration_seconds {
            if s < 600 {
                errs.push(FieldError::invalid(&p.child("expirationSeconds"), s, "may not specify a duration less than 10 minutes"));
            }
            if s > 1 << 32 {
                errs.push(FieldError::invalid(&p.child("expirationSeconds"), s, "may not specify a duration larger than 2^32 seconds"));
            }
        }
    }
    for m in &spec.volume_lifecycle_modes {
        if !["Persistent", "Ephemeral"].contains(&m.as_str()) {
            errs.push(FieldError::not_supported(&path.child("volumeLifecycleModes"), m, &["Persistent", "Ephemeral"]));
        }
    }
    if spec.se_linux_mount.is_none() && crate::apiserver::defaults::features::SELINUX_MOUNT_READ_WRITE_ONCE_POD {
        errs.push(FieldError::required(&path.child("seLinuxMount"), ""));
    }
    errs
}

/// `ValidateCSIDriverUpdate`: attach-required and the lifecycle modes cannot change.
pub fn validate_csi_driver_update(d: &CSIDriver, old: &CSIDriver) -> Vec<FieldError> {
    let mut errs = validate_object_meta_update(&d.metadata, &old.metadata, &Path::new("metadata"));
    errs.extend(validate_csi_driver_spec(d, &Path::new("spec")));
    let spec = Path::new("spec");
    errs.extend(validate_immutable(&d.spec.attach_required, &old.spec.attach_required, || d.spec.attach_required.into(), &spec.child("attachedRequired")));
    errs.extend(validate_immutable(
        &d.spec.volume_lifecycle_modes,
        &old.spec.volume_lifecycle_modes,
        || super::service::strings_value(&d.spec.volume_lifecycle_modes),
        &spec.child("volumeLifecycleModes"),
    ));
    errs
}

/// `ValidateCSINode`: each driver named, with a node ID of at most 192 characters, a non-negative allocatable
/// count, unique, with unique qualified topology keys.
pub fn validate_csi_node(n: &CSINode) -> Vec<FieldError> {
    let mut errs = validate_object_meta(&n.metadata, false, name_is_dns_subdomain, &Path::new("metadata"));
    let drivers = Path::of(&["spec", "drivers"]);
    let mut names = BTreeSet::new();
    for (i, d) in n.spec.drivers.iter().enumerate() {
        let p = drivers.index(i);
        errs.extend(validate_csi_driver_name(&d.name, &p.child("name")));
        if d.node_id.is_empty() {
            errs.push(FieldError::required(&p.child("nodeID"), ""));
        }
        if d.node_id.len() > 192 {
            errs.push(FieldError::invalid(&p.child("nodeID"), &d.node_id, "must be 192 characters or less"));
        }
        if let Some(count) = d.allocatable.as_ref().and_then(|a| a.count) {
            errs.extend(validate_nonnegative(i64::from(count), &p.child("allocatable").child("count")));
        }
        if !names.insert(d.name.clone()) {
            errs.push(FieldError::duplicate(&p.child("name"), &d.name));
        }
        let mut keys = BTreeSet::new();
        for key in &d.topology_keys {
            if key.is_empty() {
                errs.push(FieldError::required(&p, ""));
            }
            if !keys.insert(key.clone()) {
                errs.push(FieldError::duplicate(&p, key));
            }
            errs.extend(validate_qualified_name(key, &p));
        }
    }
    errs
}

/// `ValidateCSINodeUpdate`: a driver already listed cannot change.
pub fn validate_csi_node_update(n: &CSINode, old: &CSINode) -> Vec<FieldError> {
    let mut errs = validate_csi_node(n);
    for o in &old.spec.drivers {
        if n.spec.drivers.iter().any(|d| d.name == o.name && d != o) {
            errs.push(FieldError::invalid(&Path::new("CSINodeDriver"), BadValue::Omitted, "field is immutable"));
        }
    }
    errs
}

super::validate_by!(PersistentVolumeClaim, create: validate_pvc, update: validate_pvc_update);
super::validate_by!(PersistentVolume, create: validate_pv, update: validate_pv_update);
super::validate_by!(StorageClass, create: validate_storage_class, update: validate_storage_class_update);
super::validate_by!(CSIDriver, create: validate_csi_driver, update: validate_csi_driver_update);
super::validate_by!(CSINode, create: validate_csi_node, update: validate_csi_node_update);

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(errs: &[FieldError]) -> Vec<String> {
        errs.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn a_claim_needs_a_storage_request_and_known_access_modes() {
        let mut pvc = PersistentVolumeClaim::default();
        pvc.metadata.name = "data".into();
        pvc.metadata.namespace = "default".into();
        pvc.spec.access_modes = vec!["ReadWriteAll".into()];
        assert_eq!(
            messages(&validate_pvc(&pvc)),
            [
                "spec.accessModes: Unsupported value: \"ReadWriteAll\": supported values: \"ReadOnlyMany\", \"ReadWriteMany\", \"ReadWriteOnce\", \"ReadWriteOncePod\"",
                "spec.resources[storage]: Required value",
            ]
        );
    }

    #[test]
    fn a_storage_class_keeps_its_parameters_and_provisioner() {
        let mut old = StorageClass { provisioner: "ebs.csi.aws.com".into(), ..Default::default() };
        old.metadata.name = "fast".into();
        old.reclaim_policy = Some("Delete".into());
        old.volume_binding_mode = Some("Immediate".into());
        old.parameters.insert("type".into(), "gp3".into());
        let mut new = old.clone();
        new.provisioner = "kubernetes.io/aws-ebs".into();
        new.parameters.insert("type".into(), "io1".into());
        assert_eq!(
            messages(&validate_storage_class_update(&new, &old)),
            ["parameters: Forbidden: updates to parameters are forbidden.", "provisioner: Forbidden: updates to provisioner are forbidden."]
        );
    }
}
