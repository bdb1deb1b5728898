//! Defaults of the storage.k8s.io group (`pkg/apis/storage/v1/defaults.go`).

use super::features;
use crate::api::storage_v1::{CSIDriver, CSINode, StorageClass};

/// `SetDefaults_StorageClass`: reclaim policy `Delete`, binding mode `Immediate`.
pub fn default_storage_class(sc: &mut StorageClass) {
    sc.reclaim_policy.get_or_insert_with(|| "Delete".to_owned());
    sc.volume_binding_mode.get_or_insert_with(|| "Immediate".to_owned());
}

/// `SetDefaults_CSIDriver`: attach required, no pod info on mount, no storage capacity, fsGroup policy
/// `ReadWriteOnceWithFSType`, `Persistent` volumes, no republish, and with SELinuxMountReadWriteOncePod (beta, on)
/// `seLinuxMount: false`.
pub fn default_csi_driver(d: &mut CSIDriver) {
    let spec = &mut d.spec;
    spec.attach_required.get_or_insert(true);
    spec.pod_info_on_mount.get_or_insert(false);
    spec.storage_capacity.get_or_insert(false);
    spec.fs_group_policy.get_or_insert_with(|| "ReadWriteOnceWithFSType".to_owned());
    if spec.volume_lifecycle_modes.is_empty() {
        spec.volume_lifecycle_modes.push("Persistent".to_owned());
    }
    spec.requires_republish.get_or_insert(false);
    if features::SELINUX_MOUNT_READ_WRITE_ONCE_POD {
        spec.se_linux_mount.get_or_insert(false);
    }
}

super::defaults_by! {
    StorageClass => default_storage_class,
    CSIDriver => default_csi_driver,
}

impl super::Defaults for CSINode {}
