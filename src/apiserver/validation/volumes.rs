//! Pod volumes, volume mounts and volume devices (`pkg/apis/core/validation/validation.go:ValidateVolumes`,
//! `validateVolumeSource`, `ValidateVolumeMounts`, `ValidateVolumeDevices`).
//!
//! The common sources are checked field by field: `emptyDir`, `hostPath`, `secret`, `configMap`,
//! `persistentVolumeClaim`, `projected`, `downwardAPI`, `nfs`, `csi`, `ephemeral`. The in-tree cloud and legacy
//! sources (iSCSI, RBD, Cinder, …) only count towards "one volume type per volume".

use std::collections::BTreeMap;

use crate::api::core_v1::{
    Container, DownwardAPIVolumeFile, KeyToPath, ObjectFieldSelector, ResourceFieldSelector, Volume, VolumeMount,
};
use crate::api::Quantity;

use super::pod_options::PodOptions;
use super::field::{FieldError, Path};
use super::meta::{is_dns1123_subdomain, name_is_dns_subdomain, validate_qualified_name};

/// The volumes that passed validation, by name: what mounts and devices may refer to.
pub type VolumeMap<'a> = BTreeMap<&'a str, &'a Volume>;

const FILE_MODE_ERROR: &str = "must be a number between 0 and 0777 (octal), both inclusive";

/// `ValidateVolumes`: each volume's source, a DNS-label name, unique names. Volumes with errors are left out of
/// the returned map.
pub fn validate_volumes<'a>(volumes: &'a [Volume], pod_name: Option<&str>, path: &Path, opts: &PodOptions) -> (VolumeMap<'a>, Vec<FieldError>) {
    let mut errs = Vec::new();
    let mut map = VolumeMap::new();
    let created_pvcs: Vec<String> = match pod_name {
        Some(pod) if !pod.is_empty() => {
            volumes.iter().filter(|v| v.ephemeral.is_some()).map(|v| format!("{pod}-{}", v.name)).collect()
        }
        _ => Vec::new(),
    };
    for (i, vol) in volumes.iter().enumerate() {
        let idx = path.index(i);
        let name_path = idx.child("name");
        let mut el = validate_volume_source(vol, &idx, pod_name, opts);
        if vol.name.is_empty() {
            el.push(FieldError::required(&name_path, ""));
        } else {
            el.extend(super::meta::dns1123_label_errors(&vol.name, &name_path));
        }
        if map.contains_key(vol.name.as_str()) {
            el.push(FieldError::duplicate(&name_path, &vol.name));
        }
        if el.is_empty() {
            map.insert(vol.name.as_str(), vol);
        } else {
            errs.extend(el);
        }
        if let Some(pvc) = &vol.persistent_volume_claim {
            if created_pvcs.contains(&pvc.claim_name) {
                errs.push(FieldError::invalid(
                    &idx.child("persistentVolumeClaim").child("claimName"),
                    &pvc.claim_name,
                    "must not reference a PVC that gets created for an ephemeral volume",
                ));
            }
        }
    }
    (map, errs)
}

/// `validateVolumeSource`: exactly one source, each checked in Go's order.
fn validate_volume_source(vol: &Volume, path: &Path, pod_name: Option<&str>, opts: &PodOptions) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut count = 0;
    if let Some(e) = &vol.empty_dir {
        count += 1;
        if e.size_limit.as_ref().is_some_and(|q| q.sign() < 0) {
            errs.push(FieldError::forbidden(
                &path.child("emptyDir").child("sizeLimit"),
                "SizeLimit field must be a valid resource quantity",
            ));
        }
    }
    // Each further source: an error when one was already seen, else its own checks.
    let mut one = |name: &str, present: bool, errs: &mut Vec<FieldError>, check: &mut dyn FnMut(&mut Vec<FieldError>)| {
        if !present {
            return;
        }
        if count > 0 {
            errs.push(FieldError::forbidden(&path.child(name), "may not specify more than 1 volume type"));
        } else {
            count += 1;
            check(errs);
        }
    };
    one("hostPath", vol.host_path.is_some(), &mut errs, &mut |errs| {
        let hp = vol.host_path.as_deref().unwrap();
        let p = path.child("hostPath");
        if hp.path.is_empty() {
            errs.push(FieldError::required(&p.child("path"), ""));
            return;
        }
        errs.extend(validate_path_no_backsteps(&hp.path, &p.child("path")));
        if let Some(t) = &hp.r#type {
            const TYPES: &[&str] =
                &["", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"];
            if !TYPES.contains(&t.as_str()) {
                errs.push(FieldError::not_supported(&p.child("type"), t, TYPES));
            }
        }
    });
    one("gitRepo", vol.git_repo.is_some(), &mut errs, &mut |errs| {
        let g = vol.git_repo.as_deref().unwrap();
        let p = path.child("gitRepo");
        if g.repository.is_empty() {
            errs.push(FieldError::required(&p.child("repository"), ""));
        }
        errs.extend(validate_local_descending_path(&g.directory, &p.child("directory")));
    });
    one("gcePersistentDisk", vol.gce_persistent_disk.is_some(), &mut errs, &mut |_| {});
    one("awsElasticBlockStore", vol.aws_elastic_block_store.is_some(), &mut errs, &mut |_| {});
    one("secret", vol.secret.is_some(), &mut errs, &mut |errs| {
        let s = vol.secret.as_deref().unwrap();
        let p = path.child("secret");
        if s.secret_name.is_empty() {
            errs.push(FieldError::required(&p.child("secretName"), ""));
        }
        errs.extend(validate_mode(s.default_mode, &p.child("defaultMode")));
        for (i, kp) in s.items.iter().enumerate() {
            errs.extend(validate_key_to_path(kp, &p.child("items").index(i)));
        }
    });
    one("nfs", vol.nfs.is_some(), &mut errs, &mut |errs| {
        let n = vol.nfs.as_deref().unwrap();
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
    });
    one("iscsi", vol.iscsi.is_some(), &mut errs, &mut |_| {});
    one("glusterfs", vol.glusterfs.is_some(), &mut errs, &mut |_| {});
    one("flocker", vol.flocker.is_some(), &mut errs, &mut |_| {});
    one("persistentVolumeClaim", vol.persistent_volume_claim.is_some(), &mut errs, &mut |errs| {
        if vol.persistent_volume_claim.as_deref().unwrap().claim_name.is_empty() {
            errs.push(FieldError::required(&path.child("persistentVolumeClaim").child("claimName"), ""));
        }
    });
    one("rbd", vol.rbd.is_some(), &mut errs, &mut |_| {});
    one("cinder", vol.cinder.is_some(), &mut errs, &mut |_| {});
    one("cephFS", vol.cephfs.is_some(), &mut errs, &mut |_| {});
    one("quobyte", vol.quobyte.is_some(), &mut errs, &mut |_| {});
    // Go names this path "downwarAPI" in the error.
    one("downwarAPI", vol.downward_api.is_some(), &mut errs, &mut |errs| {
        let d = vol.downward_api.as_deref().unwrap();
        let p = path.child("downwardAPI");
        errs.extend(validate_mode(d.default_mode, &p.child("defaultMode")));
        for file in &d.items {
            errs.extend(validate_downward_api_volume_file(file, &p));
        }
    });
    one("fc", vol.fc.is_some(), &mut errs, &mut |_| {});
    one("flexVolume", vol.flex_volume.is_some(), &mut errs, &mut |_| {});
    one("configMap", vol.config_map.is_some(), &mut errs, &mut |errs| {
        let c = vol.config_map.as_deref().unwrap();
        let p = path.child("configMap");
        if c.name.is_empty() {
            errs.push(FieldError::required(&p.child("name"), ""));
        }
        errs.extend(validate_mode(c.default_mode, &p.child("defaultMode")));
        for (i, kp) in c.items.iter().enumerate() {
            errs.extend(validate_key_to_path(kp, &p.child("items").index(i)));
        }
    });
    one("azureFile", vol.azure_file.is_some(), &mut errs, &mut |_| {});
    one("vsphereVolume", vol.vsphere_volume.is_some(), &mut errs, &mut |_| {});
    one("photonPersistentDisk", vol.photon_persistent_disk.is_some(), &mut errs, &mut |_| {});
    one("portworxVolume", vol.portworx_volume.is_some(), &mut errs, &mut |_| {});
    one("azureDisk", vol.azure_disk.is_some(), &mut errs, &mut |_| {});
    one("storageos", vol.storageos.is_some(), &mut errs, &mut |_| {});
    one("projected", vol.projected.is_some(), &mut errs, &mut |errs| {
        errs.extend(validate_projected(vol, &path.child("projected"), opts));
    });
    one("scaleIO", vol.scale_io.is_some(), &mut errs, &mut |_| {});
    one("csi", vol.csi.is_some(), &mut errs, &mut |errs| {
        let c = vol.csi.as_deref().unwrap();
        let p = path.child("csi");
        errs.extend(validate_csi_driver_name(&c.driver, &p.child("driver")));
        if let Some(r) = &c.node_publish_secret_ref {
            if r.name.is_empty() {
                errs.push(FieldError::required(&p.child("nodePublishSecretRef").child("name"), ""));
            } else {
                errs.extend(name_is_dns_subdomain(&r.name, false).into_iter().map(|m| FieldError::invalid(&p.child("name"), &r.name, m)));
            }
        }
    });
    one("ephemeral", vol.ephemeral.is_some(), &mut errs, &mut |errs| {
        let e = vol.ephemeral.as_deref().unwrap();
        let p = path.child("ephemeral");
        if e.volume_claim_template.is_none() {
            errs.push(FieldError::required(&p.child("volumeClaimTemplate"), ""));
        }
        if let Some(pod) = pod_name.filter(|n| !n.is_empty()) {
            if !vol.name.is_empty() {
                let pvc = format!("{pod}-{}", vol.name);
                for m in name_is_dns_subdomain(&pvc, false) {
                    errs.push(FieldError::invalid(&path.child("name"), &vol.name, format!("PVC name {}: {m}", crate::go::fmt::quote(&pvc))));
                }
            }
        }
    });
    if count == 0 && vol.image.is_none() {
        errs.push(FieldError::required(path, "must specify a volume type"));
    }
    errs
}

/// A file mode of `secret`, `configMap`, `downwardAPI` and `projected` volumes: 0 to 0777.
fn validate_mode(mode: Option<i32>, path: &Path) -> Vec<FieldError> {
    match mode {
        Some(m) if !(0..=0o777).contains(&m) => vec![FieldError::invalid(path, m, FILE_MODE_ERROR)],
        _ => Vec::new(),
    }
}

/// `validateKeyToPath`.
fn validate_key_to_path(kp: &KeyToPath, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if kp.key.is_empty() {
        errs.push(FieldError::required(&path.child("key"), ""));
    }
    if kp.path.is_empty() {
        errs.push(FieldError::required(&path.child("path"), ""));
    }
    errs.extend(validate_local_non_reserved_path(&kp.path, &path.child("path")));
    errs.extend(validate_mode(kp.mode, &path.child("mode")));
    errs
}

/// `validateLocalDescendingPath`: relative and without `..` elements.
pub fn validate_local_descending_path(target: &str, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if target.starts_with('/') {
        errs.push(FieldError::invalid(path, target, "must be a relative path"));
    }
    errs.extend(validate_path_no_backsteps(target, path));
    errs
}

/// `validatePathNoBacksteps`.
pub fn validate_path_no_backsteps(target: &str, path: &Path) -> Vec<FieldError> {
    if target.split('/').any(|p| p == "..") {
        vec![FieldError::invalid(path, target, "must not contain '..'")]
    } else {
        Vec::new()
    }
}

/// `ValidateLocalNonReservedPath`: a descending path that does not start with `..`.
pub fn validate_local_non_reserved_path(target: &str, path: &Path) -> Vec<FieldError> {
    let mut errs = validate_local_descending_path(target, path);
    if target.starts_with("..") && !target.starts_with("../") {
        errs.push(FieldError::invalid(path, target, "must not start with '..'"));
    }
    errs
}

/// `ValidateCSIDriverName`.
fn validate_csi_driver_name(driver: &str, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if driver.is_empty() {
        errs.push(FieldError::required(path, ""));
    }
    if driver.len() > 63 {
        errs.push(FieldError::too_long(path, 63));
    }
    errs.extend(is_dns1123_subdomain(&driver.to_lowercase()).into_iter().map(|m| FieldError::invalid(path, driver, m)));
    errs
}

/// The downward-API fields a volume file may project.
const VOLUME_FIELD_PATHS: &[&str] = &["metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"];
/// The downward-API fields an environment variable may read.
pub const ENV_FIELD_PATHS: &[&str] = &[
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.serviceAccountName",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
];
/// Container resources the downward API exposes.
pub const RESOURCE_FIELD_PATHS: &[&str] =
    &["limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu", "requests.ephemeral-storage", "requests.memory"];

/// `validateDownwardAPIVolumeFile`.
fn validate_downward_api_volume_file(file: &DownwardAPIVolumeFile, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if file.path.is_empty() {
        errs.push(FieldError::required(&path.child("path"), ""));
    }
    errs.extend(validate_local_non_reserved_path(&file.path, &path.child("path")));
    if let Some(f) = &file.field_ref {
        errs.extend(validate_object_field_selector(f, VOLUME_FIELD_PATHS, &path.child("fieldRef")));
        if file.resource_field_ref.is_some() {
            errs.push(FieldError::invalid(path, "resource", "fieldRef and resourceFieldRef can not be specified simultaneously"));
        }
    } else if let Some(r) = &file.resource_field_ref {
        errs.extend(validate_resource_field_selector(r, &path.child("resourceFieldRef"), true));
    } else {
        errs.push(FieldError::required(path, "one of fieldRef and resourceFieldRef is required"));
    }
    errs.extend(validate_mode(file.mode, &path.child("mode")));
    errs
}

/// `validateObjectFieldSelector` with `ConvertDownwardAPIFieldLabel`.
pub fn validate_object_field_selector(fs: &ObjectFieldSelector, allowed: &[&str], path: &Path) -> Vec<FieldError> {
    if fs.api_version.is_empty() {
        return vec![FieldError::required(&path.child("apiVersion"), "")];
    }
    if fs.field_path.is_empty() {
        return vec![FieldError::required(&path.child("fieldPath"), "")];
    }
    let converted = match convert_downward_api_field_label(&fs.api_version, &fs.field_path) {
        Ok(p) => p,
        Err(e) => {
            return vec![FieldError::invalid(&path.child("fieldPath"), &fs.field_path, format!("error converting fieldPath: {e}"))];
        }
    };
    match split_subscripted_path(&converted) {
        Some((p, subscript)) => match p {
            "metadata.annotations" => validate_qualified_name(&subscript.to_lowercase(), path),
            "metadata.labels" => validate_qualified_name(subscript, path),
            _ => vec![FieldError::invalid(path, p, "does not support subscript")],
        },
        None if !allowed.contains(&converted.as_str()) => {
            vec![FieldError::not_supported(&path.child("fieldPath"), converted.as_str(), allowed)]
        }
        None => Vec::new(),
    }
}

/// `fieldpath.SplitMaybeSubscriptedPath`: `metadata.labels['key']` into the path and the key.
fn split_subscripted_path(p: &str) -> Option<(&str, &str)> {
    let s = p.strip_suffix("']")?;
    let (path, key) = s.split_once("['")?;
    (!path.is_empty()).then_some((path, key))
}

/// `pods.ConvertDownwardAPIFieldLabel` for `v1`.
fn convert_downward_api_field_label(version: &str, label: &str) -> Result<String, String> {
    if version != "v1" {
        return Err(format!("unsupported pod version: {version}"));
    }
    if let Some((p, _)) = split_subscripted_path(label) {
        return match p {
            "metadata.annotations" | "metadata.labels" => Ok(label.to_owned()),
            _ => Err(format!("field label does not support subscript: {label}")),
        };
    }
    match label {
        "metadata.annotations" | "metadata.labels" | "metadata.name" | "metadata.namespace" | "metadata.uid"
        | "spec.nodeName" | "spec.restartPolicy" | "spec.serviceAccountName" | "spec.schedulerName" | "status.phase"
        | "status.hostIP" | "status.hostIPs" | "status.podIP" | "status.podIPs" => Ok(label.to_owned()),
        "spec.host" => Ok("spec.nodeName".to_owned()),
        _ => Err(format!("field label not supported: {label}")),
    }
}

/// `validateContainerResourceFieldSelector` with `validateContainerResourceDivisor`.
pub fn validate_resource_field_selector(fs: &ResourceFieldSelector, path: &Path, volume: bool) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if volume && fs.container_name.is_empty() {
        errs.push(FieldError::required(&path.child("containerName"), ""));
    } else if fs.resource.is_empty() {
        errs.push(FieldError::required(&path.child("resource"), ""));
    } else if !RESOURCE_FIELD_PATHS.contains(&fs.resource.as_str())
        && !fs.resource.starts_with("requests.hugepages-")
        && !fs.resource.starts_with("limits.hugepages-")
    {
        errs.push(FieldError::not_supported(&path.child("resource"), &fs.resource, RESOURCE_FIELD_PATHS));
    }
    errs.extend(validate_divisor(&fs.resource, &fs.divisor, path));
    errs
}

/// `validateContainerResourceDivisor`.
fn validate_divisor(resource: &str, divisor: &Quantity, path: &Path) -> Vec<FieldError> {
    const BYTES: &[&str] = &["1", "1k", "1M", "1G", "1T", "1P", "1E", "1Ki", "1Mi", "1Gi", "1Ti", "1Pi", "1Ei"];
    const BYTES_MSG: &str = "1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei";
    let mut errs = Vec::new();
    if divisor.is_zero() {
        return errs;
    }
    let d = divisor.to_string();
    let p = path.child("divisor");
    match resource {
        "limits.cpu" | "requests.cpu" if !["1m", "1"].contains(&d.as_str()) => {
            errs.push(FieldError::invalid(&p, resource, "only divisor's values 1m and 1 are supported with the cpu resource"))
        }
        "limits.memory" | "requests.memory" if !BYTES.contains(&d.as_str()) => errs.push(FieldError::invalid(
            &p,
            resource,
            format!("only divisor's values {BYTES_MSG} are supported with the memory resource"),
        )),
        "limits.ephemeral-storage" | "requests.ephemeral-storage" if !BYTES.contains(&d.as_str()) => {
            errs.push(FieldError::invalid(
                &p,
                resource,
                format!("only divisor's values {BYTES_MSG} are supported with the local ephemeral storage resource"),
            ))
        }
        _ => {}
    }
    if (resource.starts_with("requests.hugepages-") || resource.starts_with("limits.hugepages-")) && !BYTES.contains(&d.as_str()) {
        errs.push(FieldError::invalid(
            &p,
            resource,
            format!("only divisor's values {BYTES_MSG} are supported with the hugepages resource"),
        ));
    }
    errs
}

/// `validateProjectedVolumeSource` and `validateProjectionSources` (cluster trust bundles are behind a disabled
/// feature gate and dropped before validation).
fn validate_projected(vol: &Volume, path: &Path, opts: &PodOptions) -> Vec<FieldError> {
    let proj = vol.projected.as_deref().unwrap();
    let mut errs = validate_mode(proj.default_mode, &path.child("defaultMode"));
    let mut all_paths: Vec<String> = Vec::new();
    let mut claim = |p: &str, errs: &mut Vec<FieldError>, value: &str| {
        if all_paths.iter().any(|x| x == p) {
            errs.push(FieldError::invalid(path, value, "conflicting duplicate paths"));
        } else {
            all_paths.push(p.to_owned());
        }
    };
    for (i, src) in proj.sources.iter().enumerate() {
        let mut n = 0;
        let sources = path.child("sources");
        let sp = sources.index(i);
        if let Some(s) = &src.secret {
            n += 1;
            let pp = sp.child("secret");
            if s.name.is_empty() {
                errs.push(FieldError::required(&pp.child("name"), ""));
            }
            for (j, kp) in s.items.iter().enumerate() {
                errs.extend(validate_key_to_path(kp, &pp.child("items").index(j)));
                if !kp.path.is_empty() {
                    claim(&kp.path, &mut errs, &s.name);
                }
            }
        }
        if let Some(c) = &src.config_map {
            n += 1;
            let pp = sp.child("configMap");
            if c.name.is_empty() {
                errs.push(FieldError::required(&pp.child("name"), ""));
            }
            for (j, kp) in c.items.iter().enumerate() {
                errs.extend(validate_key_to_path(kp, &pp.child("items").index(j)));
                if !kp.path.is_empty() {
                    claim(&kp.path, &mut errs, &c.name);
                }
            }
        }
        if let Some(d) = &src.downward_api {
            n += 1;
            let pp = sp.child("downwardAPI");
            for file in &d.items {
                errs.extend(validate_downward_api_volume_file(file, &pp));
                if !file.path.is_empty() {
                    claim(&file.path, &mut errs, &file.path);
                }
            }
        }
        if let Some(t) = &src.service_account_token {
            n += 1;
            let pp = sp.child("serviceAccountToken");
            let exp = t.expiration_seconds.unwrap_or(0);
            if exp < 10 * 60 {
                errs.push(FieldError::invalid(&pp.child("expirationSeconds"), exp, "may not specify a duration less than 10 minutes"));
            }
            if exp > 1 << 32 {
                errs.push(FieldError::invalid(&pp.child("expirationSeconds"), exp, "may not specify a duration larger than 2^32 seconds"));
            }
            if t.path.is_empty() {
                errs.push(FieldError::required(&path.child("path"), ""));
            } else if !opts.allow_non_local_projected_token_path {
                errs.extend(validate_local_non_reserved_path(&t.path, &path.child("path")));
            }
        }
        if n > 1 {
            errs.push(FieldError::forbidden(&sp, "may not specify more than 1 volume type per source"));
        }
    }
    errs
}

/// `ValidateVolumeMounts`.
pub fn validate_volume_mounts(ctr: &Container, volumes: &VolumeMap<'_>, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let devices: BTreeMap<&str, &str> = ctr.volume_devices.iter().map(|d| (d.name.as_str(), d.device_path.as_str())).collect();
    let mut mount_points: Vec<&str> = Vec::new();
    for (i, m) in ctr.volume_mounts.iter().enumerate() {
        let idx = path.index(i);
        if m.name.is_empty() {
            errs.push(FieldError::required(&idx.child("name"), ""));
        }
        if !volumes.contains_key(m.name.as_str()) {
            errs.push(FieldError::not_found(&idx.child("name"), &m.name));
        }
        if m.mount_path.is_empty() {
            errs.push(FieldError::required(&idx.child("mountPath"), ""));
        }
        if mount_points.contains(&m.mount_path.as_str()) {
            errs.push(FieldError::invalid(&idx.child("mountPath"), &m.mount_path, "must be unique"));
        }
        mount_points.push(&m.mount_path);
        if devices.contains_key(m.name.as_str()) {
            errs.push(FieldError::invalid(&idx.child("name"), &m.name, "must not already exist in volumeDevices"));
        }
        if devices.values().any(|p| *p == m.mount_path) {
            errs.push(FieldError::invalid(&idx.child("mountPath"), &m.mount_path, "must not already exist as a path in volumeDevices"));
        }
        if !m.sub_path.is_empty() {
            errs.extend(validate_local_descending_path(&m.sub_path, &path.child("subPath")));
        }
        if !m.sub_path_expr.is_empty() {
            if !m.sub_path.is_empty() {
                errs.push(FieldError::invalid(&idx.child("subPathExpr"), &m.sub_path_expr, "subPathExpr and subPath are mutually exclusive"));
            }
            errs.extend(validate_local_descending_path(&m.sub_path_expr, &path.child("subPathExpr")));
        }
        if let Some(mp) = &m.mount_propagation {
            errs.extend(validate_mount_propagation(mp, ctr, &path.child("mountPropagation")));
        }
        errs.extend(validate_recursive_read_only(m, &path.child("recursiveReadOnly")));
    }
    errs
}

/// `validateMountPropagation`: a known mode, and `Bidirectional` only for privileged containers.
fn validate_mount_propagation(mode: &str, ctr: &Container, path: &Path) -> Vec<FieldError> {
    const MODES: &[&str] = &["Bidirectional", "HostToContainer", "None"];
    let mut errs = Vec::new();
    if !MODES.contains(&mode) {
        errs.push(FieldError::not_supported(path, mode, MODES));
    }
    let privileged = ctr.security_context.as_ref().and_then(|s| s.privileged).unwrap_or(false);
    if mode == "Bidirectional" && !privileged {
        errs.push(FieldError::forbidden(path, "Bidirectional mount propagation is available only to privileged containers"));
    }
    errs
}

/// `validateMountRecursiveReadOnly`.
fn validate_recursive_read_only(m: &VolumeMount, path: &Path) -> Vec<FieldError> {
    let Some(rro) = &m.recursive_read_only else { return Vec::new() };
    let mut errs = Vec::new();
    match rro.as_str() {
        "Disabled" => {}
        "Enabled" | "IfPossible" => {
            if !m.read_only {
                errs.push(FieldError::forbidden(path, "may only be specified when readOnly is true"));
            }
            if m.mount_propagation.as_deref().is_some_and(|p| p != "None") {
                errs.push(FieldError::forbidden(path, "may only be specified when mountPropagation is None or not specified"));
            }
        }
        other => errs.push(FieldError::not_supported(path, other, &["Disabled", "Enabled", "IfPossible"])),
    }
    errs
}

/// `ValidateVolumeDevices`: block devices must come from PVC-backed volumes.
pub fn validate_volume_devices(ctr: &Container, volumes: &VolumeMap<'_>, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mounts: BTreeMap<&str, &str> = ctr.volume_mounts.iter().map(|m| (m.name.as_str(), m.mount_path.as_str())).collect();
    let mut device_paths: Vec<&str> = Vec::new();
    let mut device_names: Vec<&str> = Vec::new();
    for (i, d) in ctr.volume_devices.iter().enumerate() {
        let idx = path.index(i);
        let source = volumes.get(d.name.as_str());
        let is_pvc = source.is_some_and(|v| v.persistent_volume_claim.is_some() || v.ephemeral.is_some());
        if d.name.is_empty() {
            errs.push(FieldError::required(&idx.child("name"), ""));
        }
        if device_names.contains(&d.name.as_str()) {
            errs.push(FieldError::invalid(&idx.child("name"), &d.name, "must be unique"));
        }
        if source.is_some() && !is_pvc {
            errs.push(FieldError::invalid(
                &idx.child("name"),
                &d.name,
                "can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode",
            ));
        }
        if source.is_none() {
            errs.push(FieldError::not_found(&idx.child("name"), &d.name));
        }
        if d.device_path.is_empty() {
            errs.push(FieldError::required(&idx.child("devicePath"), ""));
        }
        if device_paths.contains(&d.device_path.as_str()) {
            errs.push(FieldError::invalid(&idx.child("devicePath"), &d.device_path, "must be unique"));
        }
        if !d.device_path.is_empty() && !validate_path_no_backsteps(&d.device_path, &path.child("devicePath")).is_empty() {
            errs.push(FieldError::invalid(&idx.child("devicePath"), &d.device_path, "can not contain backsteps ('..')"));
        } else {
            device_paths.push(&d.device_path);
        }
        if mounts.contains_key(d.name.as_str()) {
            errs.push(FieldError::invalid(&idx.child("name"), &d.name, "must not already exist in volumeMounts"));
        }
        if mounts.values().any(|p| *p == d.device_path) {
            errs.push(FieldError::invalid(&idx.child("devicePath"), &d.device_path, "must not already exist as a path in volumeMounts"));
        }
        if !d.name.is_empty() {
            device_names.push(&d.name);
        }
    }
    errs
}

/// A projected service-account token outside the pod's directory (`hasNonLocalProjectedTokenPath`).
pub fn has_non_local_projected_token_path(volumes: &[Volume]) -> bool {
    volumes.iter().filter_map(|v| v.projected.as_deref()).flat_map(|p| &p.sources).any(|s| {
        s.service_account_token
            .as_ref()
            .is_some_and(|t| !validate_local_non_reserved_path(&t.path, &Path::new("")).is_empty())
    })
}
