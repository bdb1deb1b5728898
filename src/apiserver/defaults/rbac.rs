//! Defaults of the rbac.authorization.k8s.io group (`pkg/apis/rbac/v1/defaults.go`).

use crate::api::rbac_v1::{ClusterRole, ClusterRoleBinding, Role, RoleBinding, RoleRef, Subject};

/// `rbacv1.GroupName`.
pub const RBAC_GROUP: &str = "rbac.authorization.k8s.io";

/// `SetDefaults_RoleBinding` / `SetDefaults_ClusterRoleBinding` (the role's API group) and `SetDefaults_Subject`
/// for each subject: users and groups are of the RBAC group, service accounts of the core group.
fn default_binding(role_ref: &mut RoleRef, subjects: &mut [Subject]) {
    if role_ref.api_group.is_empty() {
        role_ref.api_group = RBAC_GROUP.to_owned();
    }
    for s in subjects {
        if s.api_group.is_empty() && matches!(s.kind.as_str(), "User" | "Group") {
            s.api_group = RBAC_GROUP.to_owned();
        }
    }
}

impl super::Defaults for RoleBinding {
    fn set_defaults(&mut self) {
        default_binding(&mut self.role_ref, &mut self.subjects);
    }
}

impl super::Defaults for ClusterRoleBinding {
    fn set_defaults(&mut self) {
        default_binding(&mut self.role_ref, &mut self.subjects);
    }
}

impl super::Defaults for Role {}
impl super::Defaults for ClusterRole {}
