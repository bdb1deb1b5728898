//! Roles, ClusterRoles and their bindings (`pkg/apis/rbac/validation/validation.go`).

use crate::api::rbac_v1::{ClusterRole, ClusterRoleBinding, PolicyRule, Role, RoleBinding, RoleRef, Subject};
use crate::apiserver::defaults::RBAC_GROUP;
use crate::go::ToGo;

use super::field::{BadValue, FieldError, Path};
use super::meta::{
    name_is_dns_subdomain, name_is_path_segment, validate_label_selector, validate_object_meta, validate_object_meta_update, SelectorOptions,
};
use super::service::strings_value;

/// `ValidateRBACName` (`path.ValidatePathSegmentName`): RBAC names may hold anything a URL path segment can.
fn rbac_name(name: &str, prefix: bool) -> Vec<String> {
    name_is_path_segment(name, prefix)
}

/// `ValidatePolicyRule`: verbs, and either non-resource URLs (not in namespaced roles) or API groups and
/// resources.
fn validate_rule(rule: &PolicyRule, namespaced: bool, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if rule.verbs.is_empty() {
        errs.push(FieldError::required(&path.child("verbs"), "verbs must contain at least one value"));
    }
    if !rule.non_resource_urls.is_empty() {
        let urls = path.child("nonResourceURLs");
        if namespaced {
            errs.push(FieldError::invalid(&urls, strings_value(&rule.non_resource_urls), "namespaced rules cannot apply to non-resource URLs"));
        }
        if !rule.api_groups.is_empty() || !rule.resources.is_empty() || !rule.resource_names.is_empty() {
            errs.push(FieldError::invalid(
                &urls,
                strings_value(&rule.non_resource_urls),
                "rules cannot apply to both regular resources and non-resource URLs",
            ));
        }
        return errs;
    }
    if rule.api_groups.is_empty() {
        errs.push(FieldError::required(&path.child("apiGroups"), "resource rules must supply at least one api group"));
    }
    if rule.resources.is_empty() {
        errs.push(FieldError::required(&path.child("resources"), "resource rules must supply at least one resource"));
    }
    errs
}

fn validate_rules(rules: &[PolicyRule], namespaced: bool) -> Vec<FieldError> {
    rules.iter().enumerate().flat_map(|(i, r)| validate_rule(r, namespaced, &Path::new("rules").index(i))).collect()
}

pub fn validate_role(role: &Role) -> Vec<FieldError> {
    let mut errs = validate_object_meta(&role.metadata, true, rbac_name, &Path::new("metadata"));
    errs.extend(validate_rules(&role.rules, true));
    errs
}

pub fn validate_role_update(role: &Role, old: &Role) -> Vec<FieldError> {
    let mut errs = validate_role(role);
    errs.extend(validate_object_meta_update(&role.metadata, &old.metadata, &Path::new("metadata")));
    errs
}

/// `ValidateClusterRole`: also the aggregation rule's selectors.
pub fn validate_cluster_role(role: &ClusterRole) -> Vec<FieldError> {
    let mut errs = validate_object_meta(&role.metadata, false, rbac_name, &Path::new("metadata"));
    errs.extend(validate_rules(&role.rules, false));
    if let Some(agg) = &role.aggregation_rule {
        let path = Path::of(&["aggregationRule", "clusterRoleSelectors"]);
        if agg.cluster_role_selectors.is_empty() {
            errs.push(FieldError::required(&path, "at least one clusterRoleSelector required if aggregationRule is non-nil"));
        }
        for (i, s) in agg.cluster_role_selectors.iter().enumerate() {
            errs.extend(validate_label_selector(Some(s), SelectorOptions::default(), &path.index(i)));
        }
    }
    errs
}

pub fn validate_cluster_role_update(role: &ClusterRole, old: &ClusterRole) -> Vec<FieldError> {
    let mut errs = validate_cluster_role(role);
    errs.extend(validate_object_meta_update(&role.metadata, &old.metadata, &Path::new("metadata")));
    errs
}

/// The role reference of a binding: the RBAC group, a kind among `kinds`, a name.
fn validate_role_ref(r: &RoleRef, kinds: &[&str]) -> Vec<FieldError> {
    let path = Path::new("roleRef");
    let mut errs = Vec::new();
    if r.api_group != RBAC_GROUP {
        errs.push(FieldError::not_supported(&path.child("apiGroup"), &r.api_group, &[RBAC_GROUP]));
    }
    if !kinds.contains(&r.kind.as_str()) {
        errs.push(FieldError::not_supported(&path.child("kind"), &r.kind, kinds));
    }
    if r.name.is_empty() {
        errs.push(FieldError::required(&path.child("name"), ""));
    } else {
        errs.extend(rbac_name(&r.name, false).into_iter().map(|m| FieldError::invalid(&path.child("name"), &r.name, m)));
    }
    errs
}

/// `ValidateRoleBindingSubject`.
fn validate_subject(s: &Subject, namespaced: bool, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if s.name.is_empty() {
        errs.push(FieldError::required(&path.child("name"), ""));
    }
    match s.kind.as_str() {
        "ServiceAccount" => {
            if !s.name.is_empty() {
                errs.extend(name_is_dns_subdomain(&s.name, false).into_iter().map(|m| FieldError::invalid(&path.child("name"), &s.name, m)));
            }
            if !s.api_group.is_empty() {
                errs.push(FieldError::not_supported(&path.child("apiGroup"), &s.api_group, &[""]));
            }
            if !namespaced && s.namespace.is_empty() {
                errs.push(FieldError::required(&path.child("namespace"), ""));
            }
        }
        "User" | "Group" => {
            if s.api_group != RBAC_GROUP {
                errs.push(FieldError::not_supported(&path.child("apiGroup"), &s.api_group, &[RBAC_GROUP]));
            }
        }
        other => errs.push(FieldError::not_supported(&path.child("kind"), other, &["ServiceAccount", "User", "Group"])),
    }
    errs
}

fn validate_subjects(subjects: &[Subject], namespaced: bool) -> Vec<FieldError> {
    subjects.iter().enumerate().flat_map(|(i, s)| validate_subject(s, namespaced, &Path::new("subjects").index(i))).collect()
}

/// A binding's role reference cannot change.
fn role_ref_unchanged(new: &RoleRef, old: &RoleRef) -> Vec<FieldError> {
    if new == old {
        return Vec::new();
    }
    vec![FieldError::invalid(&Path::new("roleRef"), BadValue::go(&new.to_go()), "cannot change roleRef")]
}

pub fn validate_role_binding(b: &RoleBinding) -> Vec<FieldError> {
    let mut errs = validate_object_meta(&b.metadata, true, rbac_name, &Path::new("metadata"));
    errs.extend(validate_role_ref(&b.role_ref, &["Role", "ClusterRole"]));
    errs.extend(validate_subjects(&b.subjects, true));
    errs
}

pub fn validate_role_binding_update(b: &RoleBinding, old: &RoleBinding) -> Vec<FieldError> {
    let mut errs = validate_role_binding(b);
    errs.extend(validate_object_meta_update(&b.metadata, &old.metadata, &Path::new("metadata")));
    errs.extend(role_ref_unchanged(&b.role_ref, &old.role_ref));
    errs
}

pub fn validate_cluster_role_binding(b: &ClusterRoleBinding) -> Vec<FieldError> {
    let mut errs = validate_object_meta(&b.metadata, false, rbac_name, &Path::new("metadata"));
    errs.extend(validate_role_ref(&b.role_ref, &["ClusterRole"]));
    errs.extend(validate_subjects(&b.subjects, false));
    errs
}

pub fn validate_cluster_role_binding_update(b: &ClusterRoleBinding, old: &ClusterRoleBinding) -> Vec<FieldError> {
    let mut errs = validate_cluster_role_binding(b);
    errs.extend(validate_object_meta_update(&b.metadata, &old.metadata, &Path::new("metadata")));
    errs.extend(role_ref_unchanged(&b.role_ref, &old.role_ref));
    errs
}

super::validate_by!(Role, create: validate_role, update: validate_role_update);
super::validate_by!(ClusterRole, create: validate_cluster_role, update: validate_cluster_role_update);
super::validate_by!(RoleBinding, create: validate_role_binding, update: validate_role_binding_update);
super::validate_by!(ClusterRoleBinding, create: validate_cluster_role_binding, update: validate_cluster_role_binding_update);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_binding_keeps_its_role() {
        let mut old = RoleBinding::default();
        old.metadata.name = "ci-view".into();
        old.metadata.namespace = "default".into();
        old.role_ref = RoleRef { api_group: RBAC_GROUP.into(), kind: "ClusterRole".into(), name: "view".into() };
        let mut new = old.clone();
        new.role_ref.name = "edit".into();
        let msgs: Vec<String> = validate_role_binding_update(&new, &old).iter().map(ToString::to_string).collect();
        assert_eq!(
            msgs,
            ["roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", Kind:\"ClusterRole\", Name:\"edit\"}: cannot change roleRef"]
        );
    }
}
