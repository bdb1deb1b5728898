//! kubectl's REST mapping: which kind each document's `apiVersion` and `kind` name on a v1.32 API server.
//!
//! kubectl asks the server's discovery which group versions serve which kinds (`RESTMapper`). A built-in kind
//! in a version v1.32 no longer serves (`extensions/v1beta1`, `batch/v1beta1`, ...), or a kind no built-in group
//! has, cannot be mapped: kubectl refuses the document with [`mapping_error`] before anything reaches the API
//! server. A kind of any other group is a custom resource, served once a CustomResourceDefinition defines it.

use crate::api::GroupKind;

/// The API groups a v1.32 API server serves itself, and `extensions`, which it served once: a kind in one of
/// them is built-in or unknown, never a custom resource.
const BUILTIN_GROUPS: &[&str] = &[
    "",
    "admissionregistration.k8s.io",
    "apiextensions.k8s.io",
    "apiregistration.k8s.io",
    "apps",
    "authentication.k8s.io",
    "authorization.k8s.io",
    "autoscaling",
    "batch",
    "certificates.k8s.io",
    "coordination.k8s.io",
    "discovery.k8s.io",
    "events.k8s.io",
    "extensions",
    "flowcontrol.apiserver.k8s.io",
    "internal.apiserver.k8s.io",
    "networking.k8s.io",
    "node.k8s.io",
    "policy",
    "rbac.authorization.k8s.io",
    "resource.k8s.io",
    "scheduling.k8s.io",
    "storage.k8s.io",
    "storagemigration.k8s.io",
];

/// Built-in kinds kubeplan reads but does not model (webhooks, API services, ...): served, and skipped with a
/// note. Group, kind, the versions v1.32 serves.
const UNMODELLED_KINDS: &[(&str, &str, &[&str])] = &[
    ("admissionregistration.k8s.io", "MutatingWebhookConfiguration", &["v1"]),
    ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration", &["v1"]),
    ("admissionregistration.k8s.io", "ValidatingAdmissionPolicy", &["v1", "v1beta1"]),
    ("admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding", &["v1", "v1beta1"]),
    ("apiregistration.k8s.io", "APIService", &["v1"]),
    ("", "Event", &["v1"]),
    ("events.k8s.io", "Event", &["v1"]),
    ("storage.k8s.io", "VolumeAttachment", &["v1"]),
    ("storage.k8s.io", "CSIStorageCapacity", &["v1"]),
    ("certificates.k8s.io", "CertificateSigningRequest", &["v1"]),
    ("flowcontrol.apiserver.k8s.io", "FlowSchema", &["v1", "v1beta3"]),
    ("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration", &["v1", "v1beta3"]),
];

/// Group versions that served a kind kubeplan models and were removed, with the release that removed them
/// (for the linter's hint; kubectl's refusal is the same whatever the version).
const REMOVED: &[(&str, &[&str], &str)] = &[
    ("extensions/v1beta1", &["DaemonSet", "Deployment", "ReplicaSet", "NetworkPolicy"], "v1.16"),
    ("extensions/v1beta1", &["Ingress"], "v1.22"),
    ("apps/v1beta1", &["Deployment", "StatefulSet", "ControllerRevision"], "v1.16"),
    ("apps/v1beta2", &["DaemonSet", "Deployment", "ReplicaSet", "StatefulSet", "ControllerRevision"], "v1.16"),
    ("batch/v1beta1", &["CronJob"], "v1.25"),
    ("batch/v2alpha1", &["CronJob"], "v1.21"),
    ("policy/v1beta1", &["PodDisruptionBudget"], "v1.25"),
    ("autoscaling/v2beta1", &["HorizontalPodAutoscaler"], "v1.25"),
    ("autoscaling/v2beta2", &["HorizontalPodAutoscaler"], "v1.26"),
    ("networking.k8s.io/v1beta1", &["Ingress", "IngressClass"], "v1.22"),
    ("rbac.authorization.k8s.io/v1beta1", &["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"], "v1.22"),
    ("rbac.authorization.k8s.io/v1alpha1", &["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"], "v1.22"),
    ("storage.k8s.io/v1beta1", &["StorageClass", "CSIDriver", "CSINode"], "v1.22"),
    ("discovery.k8s.io/v1beta1", &["EndpointSlice"], "v1.25"),
    ("coordination.k8s.io/v1beta1", &["Lease"], "v1.22"),
    ("node.k8s.io/v1beta1", &["RuntimeClass"], "v1.25"),
    ("node.k8s.io/v1alpha1", &["RuntimeClass"], "v1.22"),
    ("apiextensions.k8s.io/v1beta1", &["CustomResourceDefinition"], "v1.22"),
    ("scheduling.k8s.io/v1beta1", &["PriorityClass"], "v1.22"),
    ("scheduling.k8s.io/v1alpha1", &["PriorityClass"], "v1.22"),
];

/// What `apiVersion` and `kind` map to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mapping {
    /// A kind kubeplan models, in a version v1.32 serves.
    Served(GroupKind),
    /// A built-in kind in a version v1.32 does not serve; `removed_in` when the version is one that was removed.
    NotServed(GroupKind, Option<&'static str>),
    /// A built-in kind kubeplan does not model, in a version v1.32 serves.
    Unmodelled,
    /// A kind no built-in group has in this version.
    NoMatch,
    /// A kind of another group: a custom resource.
    Custom,
}

/// Map a document's `apiVersion` and `kind`.
pub fn map(api_version: &str, kind: &str) -> Mapping {
    let (group, version) = split_api_version(api_version);
    if !BUILTIN_GROUPS.contains(&group) {
        return Mapping::Custom;
    }
    if let Some(gk) = GroupKind::from_group_kind(group, kind) {
        return if serves(gk, version) {
            Mapping::Served(gk)
        } else {
            Mapping::NotServed(gk, removed_in(api_version, kind))
        };
    }
    if UNMODELLED_KINDS.iter().any(|(g, k, vs)| *g == group && *k == kind && vs.contains(&version)) {
        return Mapping::Unmodelled;
    }
    match GroupKind::from_kind(kind) {
        // A kind kubeplan models written in another built-in group (`extensions/v1beta1` Deployments).
        Some(gk) if removed_in(api_version, kind).is_some() => Mapping::NotServed(gk, removed_in(api_version, kind)),
        _ => Mapping::NoMatch,
    }
}

/// Whether v1.32 serves `gk` in `version`: the version kubeplan stores it in, and autoscaling/v1 for HPAs.
fn serves(gk: GroupKind, version: &str) -> bool {
    gk.api_version().rsplit('/').next() == Some(version) || (gk == GroupKind::HorizontalPodAutoscaler && version == "v1")
}

/// The release that removed `kind` from `api_version`, for versions that once served it.
pub fn removed_in(api_version: &str, kind: &str) -> Option<&'static str> {
    REMOVED.iter().find(|(gv, kinds, _)| *gv == api_version && kinds.contains(&kind)).map(|(_, _, r)| *r)
}

/// `group` and `version` of an apiVersion (`v1` is the core group's).
pub fn split_api_version(api_version: &str) -> (&str, &str) {
    api_version.rsplit_once('/').unwrap_or(("", api_version))
}

/// kubectl's refusal of a document it cannot map: `resource mapping not found for name: "N" namespace: "NS"
/// from "FILE": no matches for kind "K" in version "G/V"`, a newline, `ensure CRDs are installed first`. The
/// namespace is as written in the document, the file as named on the command line.
pub fn mapping_error(name: &str, namespace: &str, file: &str, kind: &str, api_version: &str) -> String {
    use crate::go::fmt::quote;
    format!(
        "resource mapping not found for name: {} namespace: {} from {}: no matches for kind {} in version {}\nensure CRDs are installed first",
        quote(name),
        quote(namespace),
        quote(file),
        quote(kind),
        quote(api_version)
    )
}

/// Every kind name a built-in group serves or served, for "did you mean" suggestions.
pub fn known_kind_names() -> impl Iterator<Item = &'static str> {
    GroupKind::BUILTIN.iter().map(|g| g.kind()).chain(UNMODELLED_KINDS.iter().map(|(_, k, _)| *k))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_map_as_on_a_v1_32_server() {
        assert_eq!(map("apps/v1", "DaemonSet"), Mapping::Served(GroupKind::DaemonSet));
        assert_eq!(map("autoscaling/v1", "HorizontalPodAutoscaler"), Mapping::Served(GroupKind::HorizontalPodAutoscaler));
        assert_eq!(map("autoscaling/v2", "HorizontalPodAutoscaler"), Mapping::Served(GroupKind::HorizontalPodAutoscaler));
        assert_eq!(map("autoscaling/v2beta2", "HorizontalPodAutoscaler"), Mapping::NotServed(GroupKind::HorizontalPodAutoscaler, Some("v1.26")));
        assert_eq!(map("extensions/v1beta1", "Ingress"), Mapping::NotServed(GroupKind::Ingress, Some("v1.22")));
        assert_eq!(map("batch/v1beta1", "CronJob"), Mapping::NotServed(GroupKind::CronJob, Some("v1.25")));
        assert_eq!(map("v2", "ConfigMap"), Mapping::NotServed(GroupKind::ConfigMap, None));
        assert_eq!(map("apps/v1", "DaemonSett"), Mapping::NoMatch);
        assert_eq!(map("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration"), Mapping::Unmodelled);
        assert_eq!(map("admissionregistration.k8s.io/v1beta1", "ValidatingWebhookConfiguration"), Mapping::NoMatch);
        assert_eq!(map("monitoring.coreos.com/v1", "ServiceMonitor"), Mapping::Custom);
        assert_eq!(map("snapshot.storage.k8s.io/v1", "VolumeSnapshot"), Mapping::Custom);
    }

    #[test]
    fn the_refusal_is_kubectls() {
        assert_eq!(
            mapping_error("old", "", "in.yaml", "CronJob", "batch/v1beta1"),
            "resource mapping not found for name: \"old\" namespace: \"\" from \"in.yaml\": no matches for kind \"CronJob\" in version \"batch/v1beta1\"\nensure CRDs are installed first"
        );
    }
}
