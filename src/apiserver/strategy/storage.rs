//! The strategies of the storage.k8s.io, rbac.authorization.k8s.io and node.k8s.io kinds
//! (`pkg/registry/{storage,rbac,node}/<kind>/strategy.go`): only a CSIDriver's changes count its generation.

use super::{next_generation_if, Strategy};
use crate::api::node_v1::RuntimeClass;
use crate::api::rbac_v1::{ClusterRole, ClusterRoleBinding, Role, RoleBinding};
use crate::api::storage_v1::{CSIDriver, CSINode, StorageClass};
use crate::apiserver::defaults::features;

/// `csiDriverStrategy`: `seLinuxMount` is kept only with its gate (on); a spec change bumps `generation`.
impl Strategy for CSIDriver {
    fn prepare_for_create(&mut self) {
        if !features::SELINUX_MOUNT_READ_WRITE_ONCE_POD {
            self.spec.se_linux_mount = None;
        }
    }

    fn prepare_for_update(&mut self, old: &Self) {
        if !features::SELINUX_MOUNT_READ_WRITE_ONCE_POD && old.spec.se_linux_mount.is_none() {
            self.spec.se_linux_mount = None;
        }
        next_generation_if(&mut self.metadata, &old.metadata, self.spec != old.spec);
    }
}

impl Strategy for StorageClass {}
impl Strategy for CSINode {}
impl Strategy for Role {}
impl Strategy for ClusterRole {}
impl Strategy for RoleBinding {}
impl Strategy for ClusterRoleBinding {}
impl Strategy for RuntimeClass {}
