//! The Pod registry strategy (`pkg/registry/core/pod/strategy.go`) and the field dropping every pod spec goes
//! through on create and update (`pkg/api/pod/util.go`: `DropDisabledPodFields`, `DropDisabledTemplateFields`).

use std::collections::{BTreeMap, BTreeSet};

use crate::api::core_v1::{
    AppArmorProfile, ContainerStatus, Pod, PodAffinityTerm, PodCondition, PodSpec, PodStatus, PodTemplateSpec,
    SecurityContext,
};
use crate::api::meta_v1::LabelSelectorRequirement;
use crate::api::Quantity;
use crate::apiserver::defaults::features;

/// The annotation key prefix of the deprecated per-container AppArmor annotations.
pub const APPARMOR_ANNOTATION_KEY_PREFIX: &str = "container.apparmor.security.beta.kubernetes.io/";
/// The message of the `SchedulingGated` condition added to pods created with scheduling gates.
pub const SCHEDULING_GATED_MESSAGE: &str = "Scheduling is blocked due to non-empty scheduling gates";

/// Every container of a pod spec, mutably, in `VisitContainers` order (init, regular, ephemeral). The body sees
/// each container as `$c`; the three kinds share the field names it may use.
macro_rules! each_container_mut {
    ($spec:expr, |$c:ident| $body:block) => {{
        for $c in $spec.init_containers.iter_mut() $body
        for $c in $spec.containers.iter_mut() $body
        for $c in $spec.ephemeral_containers.iter_mut() $body
    }};
}

/// Whether any container of a pod spec satisfies a predicate (`VisitContainers` with `AllContainers`).
macro_rules! any_container {
    ($spec:expr, |$c:ident| $pred:expr) => {
        $spec.init_containers.iter().any(|$c| $pred)
            || $spec.containers.iter().any(|$c| $pred)
            || $spec.ephemeral_containers.iter().any(|$c| $pred)
    };
}

// ---------------------------------------------------------------------------------------------------------------
// The pod strategy
// ---------------------------------------------------------------------------------------------------------------

/// `podStrategy.PrepareForCreate`.
///
/// - the status is replaced by `{phase: Pending, qosClass}` (the QoS class a client sent is kept, as Go computes
///   it with `GetPodQOS` before resetting the status);
/// - disabled fields are dropped ([`drop_disabled_pod_fields`]);
/// - pods with scheduling gates get a `PodScheduled=False` `SchedulingGated` condition;
/// - `matchLabelKeys` / `mismatchLabelKeys` of pod (anti-)affinity terms become selector requirements;
/// - the AppArmor fields and the deprecated annotations are synced.
///
/// The condition's `lastTransitionTime` is "now" in Go; kubeplan has no clock and uses the pod's
/// `creationTimestamp`, which the caller stamps before calling this.
pub fn prepare_pod_for_create(pod: &mut Pod) {
    let qos = if pod.status.qos_class.is_empty() {
        compute_pod_qos(&pod.spec).to_owned()
    } else {
        pod.status.qos_class.clone()
    };
    pod.status = PodStatus { phase: "Pending".to_owned(), qos_class: qos, ..PodStatus::default() };
    drop_disabled_pod_fields(pod, None);
    apply_scheduling_gated_condition(pod);
    mutate_pod_affinity(pod);
    apply_app_armor_version_skew(pod);
}

/// `podStrategy.PrepareForUpdate`: the status cannot change through the main resource, and disabled fields
/// are dropped unless the old pod already used them.
pub fn prepare_pod_for_update(new: &mut Pod, old: &Pod) {
    new.status = old.status.clone();
    drop_disabled_pod_fields(new, Some(old));
}

/// `applySchedulingGatedCondition`.
fn apply_scheduling_gated_condition(pod: &mut Pod) {
    if pod.spec.scheduling_gates.is_empty() || pod.status.conditions.iter().any(|c| c.r#type == "PodScheduled") {
        return;
    }
    pod.status.conditions.push(PodCondition {
        r#type: "PodScheduled".to_owned(),
        status: "False".to_owned(),
        reason: "SchedulingGated".to_owned(),
        message: SCHEDULING_GATED_MESSAGE.to_owned(),
        last_transition_time: pod.metadata.creation_timestamp.clone(),
        ..PodCondition::default()
    });
}

/// `mutatePodAffinity` (MatchLabelKeysInPodAffinity, on): for every pod affinity and anti-affinity term with a
/// label selector, each `matchLabelKeys` key the pod has as a label adds `key In (value)`, each
/// `mismatchLabelKeys` key adds `key NotIn (value)`.
fn mutate_pod_affinity(pod: &mut Pod) {
    if !features::MATCH_LABEL_KEYS_IN_POD_AFFINITY {
        return;
    }
    let labels = &pod.metadata.labels;
    let Some(affinity) = pod.spec.affinity.as_deref_mut() else { return };
    if let Some(a) = affinity.pod_affinity.as_deref_mut() {
        a.preferred_during_scheduling_ignored_during_execution
            .iter_mut()
            .for_each(|w| apply_match_label_keys(&mut w.pod_affinity_term, labels));
        a.required_during_scheduling_ignored_during_execution
            .iter_mut()
            .for_each(|t| apply_match_label_keys(t, labels));
    }
    if let Some(a) = affinity.pod_anti_affinity.as_deref_mut() {
        a.preferred_during_scheduling_ignored_during_execution
            .iter_mut()
            .for_each(|w| apply_match_label_keys(&mut w.pod_affinity_term, labels));
        a.required_during_scheduling_ignored_during_execution
            .iter_mut()
            .for_each(|t| apply_match_label_keys(t, labels));
    }
}

/// `applyMatchLabelKeysAndMismatchLabelKeys`: a term without a selector matches nothing and is left alone.
fn apply_match_label_keys(term: &mut PodAffinityTerm, labels: &BTreeMap<String, String>) {
    if term.match_label_keys.is_empty() && term.mismatch_label_keys.is_empty() {
        return;
    }
    let Some(sel) = term.label_selector.as_deref_mut() else { return };
    for (keys, op) in [(&term.match_label_keys, "In"), (&term.mismatch_label_keys, "NotIn")] {
        for key in keys {
            if let Some(value) = labels.get(key) {
                sel.match_expressions.push(LabelSelectorRequirement {
                    key: key.clone(),
                    operator: op.to_owned(),
                    values: vec![value.clone()],
                });
            }
        }
    }
}

/// `applyAppArmorVersionSkew`: for every container of a non-Windows pod, an AppArmor profile field (the
/// container's, else the pod's) without the deprecated annotation writes the annotation; an annotation without
/// a container field writes the field, unless it is invalid or equal to the pod-level profile.
fn apply_app_armor_version_skew(pod: &mut Pod) {
    if pod.spec.os.as_ref().is_some_and(|os| os.name == "windows") {
        return;
    }
    let pod_profile = pod.spec.security_context.as_ref().and_then(|s| s.app_armor_profile.as_deref()).cloned();
    let annotations = &mut pod.metadata.annotations;
    each_container_mut!(pod.spec, |c| {
        let key = format!("{APPARMOR_ANNOTATION_KEY_PREFIX}{}", c.name);
        let container_profile = c.security_context.as_ref().and_then(|s| s.app_armor_profile.as_deref());
        match annotations.get(&key) {
            None => {
                let value =
                    container_profile.or(pod_profile.as_ref()).map(app_armor_annotation_for_field).unwrap_or_default();
                if !value.is_empty() {
                    annotations.insert(key, value);
                }
            }
            Some(annotation) if container_profile.is_none() => {
                if let Some(field) = app_armor_field_for_annotation(annotation) {
                    if Some(&field) != pod_profile.as_ref() {
                        c.security_context
                            .get_or_insert_with(|| Box::new(SecurityContext::default()))
                            .app_armor_profile = Some(Box::new(field));
                    }
                }
            }
            Some(_) => {}
        }
    });
}

/// `appArmorAnnotationForField`: empty for a `Localhost` profile without a name and for unknown types.
fn app_armor_annotation_for_field(p: &AppArmorProfile) -> String {
    match p.r#type.as_str() {
        "Unconfined" => "unconfined".to_owned(),
        "RuntimeDefault" => "runtime/default".to_owned(),
        "Localhost" => p.localhost_profile.as_ref().map(|l| format!("localhost/{l}")).unwrap_or_default(),
        _ => String::new(),
    }
}

/// `apparmorFieldForAnnotation`, keeping only values `ValidateAppArmorProfileField` accepts (a localhost
/// profile must be non-empty, unpadded and at most 4095 bytes).
fn app_armor_field_for_annotation(annotation: &str) -> Option<AppArmorProfile> {
    let profile = |t: &str, l: Option<String>| AppArmorProfile { r#type: t.to_owned(), localhost_profile: l };
    match annotation {
        "unconfined" => Some(profile("Unconfined", None)),
        "runtime/default" => Some(profile("RuntimeDefault", None)),
        _ => {
            let name = annotation.strip_prefix("localhost/")?;
            let valid = !name.is_empty() && name.trim() == name && name.len() <= 4095;
            valid.then(|| profile("Localhost", Some(name.to_owned())))
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// QoS class
// ---------------------------------------------------------------------------------------------------------------

/// `qos.ComputePodQOS` (PodLevelResources off): `BestEffort` when no regular or init container requests or
/// limits cpu or memory; `Guaranteed` when every such container limits both cpu and memory and the summed
/// requests equal the summed limits; `Burstable` otherwise. Ephemeral containers do not count; zero quantities
/// are ignored.
pub fn compute_pod_qos(spec: &PodSpec) -> &'static str {
    let supported = |name: &str| name == "cpu" || name == "memory";
    let mut requests: BTreeMap<&str, i128> = BTreeMap::new();
    let mut limits: BTreeMap<&str, i128> = BTreeMap::new();
    let mut guaranteed = true;
    for c in spec.containers.iter().chain(spec.init_containers.iter()) {
        for (name, q) in &c.resources.requests {
            if supported(name) && q.sign() > 0 {
                *requests.entry(name.as_str()).or_default() += nano_value(q);
            }
        }
        let mut found = BTreeSet::new();
        for (name, q) in &c.resources.limits {
            if supported(name) && q.sign() > 0 {
                found.insert(name.as_str());
                *limits.entry(name.as_str()).or_default() += nano_value(q);
            }
        }
        if !(found.contains("cpu") && found.contains("memory")) {
            guaranteed = false;
        }
    }
    if requests.is_empty() && limits.is_empty() {
        return "BestEffort";
    }
    if guaranteed && requests.iter().all(|(name, r)| limits.get(name) == Some(r)) && requests.len() == limits.len() {
        return "Guaranteed";
    }
    "Burstable"
}

/// A quantity in nano units, exact for every quantity below ~9.2e9 (quantities keep at most nano precision);
/// larger ones (memory sizes) are whole numbers and go through their integer value.
fn nano_value(q: &Quantity) -> i128 {
    const LIMIT: i64 = 9_000_000_000;
    let whole = q.value();
    if whole.abs() < LIMIT {
        i128::from(q.scaled_value(-9))
    } else {
        i128::from(whole) * 1_000_000_000
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Dropping disabled fields
// ---------------------------------------------------------------------------------------------------------------

/// `DropDisabledPodFields`: the spec drops of [`drop_disabled_pod_spec_fields`], then the status fields of gated
/// features.
pub fn drop_disabled_pod_fields(pod: &mut Pod, old: Option<&Pod>) {
    let old_spec = old.map(|p| &p.spec);
    drop_disabled_pod_spec_fields(&mut pod.spec, old_spec);
    drop_disabled_pod_status_fields(&mut pod.status, old_spec);
}

/// `DropDisabledTemplateFields`: what a workload's pod template loses on create and update.
pub fn drop_disabled_template_fields(template: &mut PodTemplateSpec, old: Option<&PodTemplateSpec>) {
    drop_disabled_pod_spec_fields(&mut template.spec, old.map(|t| &t.spec));
}

/// `dropDisabledFields`: fields of features that are off in v1.32 are removed, unless the old object (on update)
/// already uses them. With the v1.32 defaults that means:
/// - `securityContext.hostUsers` (UserNamespacesSupport), `securityContext.supplementalGroupsPolicy`
///   (SupplementalGroupsPolicy) and `securityContext.seLinuxChangePolicy` (SELinuxChangePolicy);
/// - pod-level `resources` (PodLevelResources);
/// - a container's `securityContext.procMount` is forced to `Default` (ProcMountType);
/// - `resourceClaims` and containers' `resources.claims` (DynamicResourceAllocation);
/// - projected `clusterTrustBundle` sources (ClusterTrustBundleProjection);
/// - containers' `resizePolicy` (InPlacePodVerticalScaling);
/// - `image` volumes and the mounts of them (ImageVolume).
///
/// Gates that are on (topology spread policies and `matchLabelKeys`, affinity `matchLabelKeys`, sidecar
/// `restartPolicy`, `recursiveReadOnly`, lifecycle `sleep`) drop nothing; their branches are kept behind the
/// [`features`] constants.
pub fn drop_disabled_pod_spec_fields(spec: &mut PodSpec, old: Option<&PodSpec>) {
    drop_security_context_fields(spec, old);
    if !features::POD_LEVEL_RESOURCES && !old.is_some_and(pod_level_resources_in_use) {
        spec.resources = None;
    }
    drop_proc_mount(spec, old);
    drop_topology_spread_fields(spec, old);
    drop_match_label_keys_in_pod_affinity(spec, old);
    if !features::DYNAMIC_RESOURCE_ALLOCATION && !old.is_some_and(dynamic_resource_allocation_in_use) {
        each_container_mut!(spec, |c| {
            c.resources.claims.clear();
        });
        spec.resource_claims.clear();
    }
    if !features::CLUSTER_TRUST_BUNDLE_PROJECTION && !old.is_some_and(cluster_trust_bundle_in_use) {
        for v in &mut spec.volumes {
            if let Some(p) = v.projected.as_deref_mut() {
                p.sources.iter_mut().for_each(|s| s.cluster_trust_bundle = None);
            }
        }
    }
    if !features::IN_PLACE_POD_VERTICAL_SCALING
        && !old.is_some_and(|o| o.containers.iter().any(|c| !c.resize_policy.is_empty()))
    {
        each_container_mut!(spec, |c| {
            c.resize_policy.clear();
        });
    }
    if !features::SIDECAR_CONTAINERS && !old.is_some_and(restartable_init_containers_in_use) {
        spec.init_containers.iter_mut().for_each(|c| c.restart_policy = None);
    }
    if !features::RECURSIVE_READ_ONLY_MOUNTS && !old.is_some_and(rro_in_use) {
        each_container_mut!(spec, |c| {
            c.volume_mounts.iter_mut().for_each(|m| m.recursive_read_only = None);
        });
    }
    if !features::POD_LIFECYCLE_SLEEP_ACTION && !old.is_some_and(sleep_action_in_use) {
        drop_sleep_actions(spec);
    }
    if !features::IMAGE_VOLUME && !old.is_some_and(|o| o.volumes.iter().any(|v| v.image.is_some())) {
        drop_image_volumes(spec);
    }
    if !features::SE_LINUX_CHANGE_POLICY && !old.is_some_and(se_linux_change_policy_in_use) {
        if let Some(sc) = spec.security_context.as_deref_mut() {
            sc.se_linux_change_policy = None;
        }
    }
}

/// The `hostUsers` and `supplementalGroupsPolicy` drops of `dropDisabledFields`.
fn drop_security_context_fields(spec: &mut PodSpec, old: Option<&PodSpec>) {
    // `hostUsers` is a PodSpec field in v1 (the internal type keeps it in the security context).
    if !features::USER_NAMESPACES_SUPPORT && !old.is_some_and(host_users_in_use) {
        spec.host_users = None;
    }
    let old_sgp = old.and_then(|o| o.security_context.as_ref()).is_some_and(|s| s.supplemental_groups_policy.is_some());
    if !features::SUPPLEMENTAL_GROUPS_POLICY && !old_sgp {
        if let Some(sc) = spec.security_context.as_deref_mut() {
            sc.supplemental_groups_policy = None;
        }
    }
}

/// `dropDisabledProcMountField`: with ProcMountType off a present `procMount` becomes `Default` (not nil, so
/// objects persisted by 1.12 do not diff), unless the old spec uses a non-default value.
fn drop_proc_mount(spec: &mut PodSpec, old: Option<&PodSpec>) {
    let old_in_use = old.is_some_and(|o| {
        any_container!(o, |c| c
            .security_context
            .as_ref()
            .and_then(|s| s.proc_mount.as_deref())
            .is_some_and(|p| p != "Default"))
    });
    if features::PROC_MOUNT_TYPE || old_in_use {
        return;
    }
    each_container_mut!(spec, |c| {
        if let Some(sc) = c.security_context.as_deref_mut() {
            if sc.proc_mount.is_some() {
                sc.proc_mount = Some("Default".to_owned());
            }
        }
    });
}

/// `dropDisabledNodeInclusionPolicyFields` and `dropDisabledMatchLabelKeysFieldInTopologySpread` (both gates on).
fn drop_topology_spread_fields(spec: &mut PodSpec, old: Option<&PodSpec>) {
    let old_uses = |f: fn(&crate::api::core_v1::TopologySpreadConstraint) -> bool| {
        old.is_some_and(|o| o.topology_spread_constraints.iter().any(f))
    };
    if !features::NODE_INCLUSION_POLICY_IN_POD_TOPOLOGY_SPREAD {
        if !old_uses(|c| c.node_taints_policy.is_some()) {
            spec.topology_spread_constraints.iter_mut().for_each(|c| c.node_taints_policy = None);
        }
        if !old_uses(|c| c.node_affinity_policy.is_some()) {
            spec.topology_spread_constraints.iter_mut().for_each(|c| c.node_affinity_policy = None);
        }
    }
    if !features::MATCH_LABEL_KEYS_IN_POD_TOPOLOGY_SPREAD && !old_uses(|c| !c.match_label_keys.is_empty()) {
        spec.topology_spread_constraints.iter_mut().for_each(|c| c.match_label_keys.clear());
    }
}

/// `dropDisabledMatchLabelKeysFieldInPodAffinity` (gate on).
fn drop_match_label_keys_in_pod_affinity(spec: &mut PodSpec, old: Option<&PodSpec>) {
    if features::MATCH_LABEL_KEYS_IN_POD_AFFINITY || old.is_some_and(match_label_keys_in_pod_affinity_in_use) {
        return;
    }
    let Some(affinity) = spec.affinity.as_deref_mut() else { return };
    let clear = |t: &mut PodAffinityTerm| {
        t.match_label_keys.clear();
        t.mismatch_label_keys.clear();
    };
    if let Some(a) = affinity.pod_affinity.as_deref_mut() {
        a.required_during_scheduling_ignored_during_execution.iter_mut().for_each(clear);
        a.preferred_during_scheduling_ignored_during_execution.iter_mut().for_each(|w| clear(&mut w.pod_affinity_term));
    }
    if let Some(a) = affinity.pod_anti_affinity.as_deref_mut() {
        a.required_during_scheduling_ignored_during_execution.iter_mut().for_each(clear);
        a.preferred_during_scheduling_ignored_during_execution.iter_mut().for_each(|w| clear(&mut w.pod_affinity_term));
    }
}

/// `matchLabelKeysFieldInPodAffinityInUse`.
fn match_label_keys_in_pod_affinity_in_use(spec: &PodSpec) -> bool {
    let Some(affinity) = spec.affinity.as_deref() else { return false };
    let used = |t: &PodAffinityTerm| !t.match_label_keys.is_empty() || !t.mismatch_label_keys.is_empty();
    let in_a = affinity.pod_affinity.as_deref().is_some_and(|a| {
        a.required_during_scheduling_ignored_during_execution.iter().any(used)
            || a.preferred_during_scheduling_ignored_during_execution.iter().any(|w| used(&w.pod_affinity_term))
    });
    let in_anti = affinity.pod_anti_affinity.as_deref().is_some_and(|a| {
        a.required_during_scheduling_ignored_during_execution.iter().any(used)
            || a.preferred_during_scheduling_ignored_during_execution.iter().any(|w| used(&w.pod_affinity_term))
    });
    in_a || in_anti
}

/// `dynamicResourceAllocationInUse`: containers can only name claims the pod lists, so the list decides.
fn dynamic_resource_allocation_in_use(spec: &PodSpec) -> bool {
    !spec.resource_claims.is_empty()
}

/// `hostUsersInUse`.
fn host_users_in_use(spec: &PodSpec) -> bool {
    spec.host_users.is_some()
}

/// `podLevelResourcesInUse`.
fn pod_level_resources_in_use(spec: &PodSpec) -> bool {
    spec.resources.as_deref().is_some_and(|r| !r.requests.is_empty() || !r.limits.is_empty())
}

/// `clusterTrustBundleProjectionInUse`.
fn cluster_trust_bundle_in_use(spec: &PodSpec) -> bool {
    spec.volumes
        .iter()
        .filter_map(|v| v.projected.as_deref())
        .any(|p| p.sources.iter().any(|s| s.cluster_trust_bundle.is_some()))
}

/// `restartableInitContainersInUse`.
fn restartable_init_containers_in_use(spec: &PodSpec) -> bool {
    spec.init_containers.iter().any(|c| c.restart_policy.as_deref() == Some("Always"))
}

/// `rroInUse`.
fn rro_in_use(spec: &PodSpec) -> bool {
    any_container!(spec, |c| c.volume_mounts.iter().any(|m| m.recursive_read_only.is_some()))
}

/// `podLifecycleSleepActionInUse`.
fn sleep_action_in_use(spec: &PodSpec) -> bool {
    any_container!(spec, |c| c.lifecycle.as_deref().is_some_and(|l| {
        l.pre_stop.as_deref().is_some_and(|h| h.sleep.is_some())
            || l.post_start.as_deref().is_some_and(|h| h.sleep.is_some())
    }))
}

/// `seLinuxChangePolicyInUse`.
fn se_linux_change_policy_in_use(spec: &PodSpec) -> bool {
    spec.security_context.as_deref().is_some_and(|s| s.se_linux_change_policy.is_some())
}

/// `dropPodLifecycleSleepAction`: without the gate a `sleep` handler goes, and with it a handler or lifecycle
/// left empty.
fn drop_sleep_actions(spec: &mut PodSpec) {
    each_container_mut!(spec, |c| {
        if let Some(l) = c.lifecycle.as_deref_mut() {
            for h in [&mut l.pre_stop, &mut l.post_start] {
                if let Some(handler) = h.as_deref_mut() {
                    if handler.sleep.is_some() {
                        handler.sleep = None;
                        if handler.exec.is_none() && handler.http_get.is_none() && handler.tcp_socket.is_none() {
                            *h = None;
                        }
                    }
                }
            }
            if l.pre_stop.is_none() && l.post_start.is_none() {
                c.lifecycle = None;
            }
        }
    });
}

/// `dropImageVolumes`: image volumes and every mount of them.
fn drop_image_volumes(spec: &mut PodSpec) {
    let names: BTreeSet<String> = spec.volumes.iter().filter(|v| v.image.is_some()).map(|v| v.name.clone()).collect();
    spec.volumes.retain(|v| v.image.is_none());
    if names.is_empty() {
        return;
    }
    each_container_mut!(spec, |c| {
        c.volume_mounts.retain(|m| !names.contains(&m.name));
    });
}

/// `dropDisabledPodStatusFields`: container status `resources` and `resize` (InPlacePodVerticalScaling),
/// `allocatedResources` (InPlacePodVerticalScalingAllocatedStatus), `resourceClaimStatuses`
/// (DynamicResourceAllocation), `allocatedResourcesStatus` (ResourceHealthStatus) and `user`
/// (SupplementalGroupsPolicy), each unless the old spec uses the feature.
pub fn drop_disabled_pod_status_fields(status: &mut PodStatus, old: Option<&PodSpec>) {
    let all = |s: &mut PodStatus, f: &dyn Fn(&mut ContainerStatus)| {
        s.container_statuses
            .iter_mut()
            .chain(s.init_container_statuses.iter_mut())
            .chain(s.ephemeral_container_statuses.iter_mut())
            .for_each(f);
    };
    if !features::IN_PLACE_POD_VERTICAL_SCALING
        && !old.is_some_and(|o| o.containers.iter().any(|c| !c.resize_policy.is_empty()))
    {
        all(status, &|c| c.resources = None);
        status.resize.clear();
    }
    if !features::IN_PLACE_POD_VERTICAL_SCALING || !features::IN_PLACE_POD_VERTICAL_SCALING_ALLOCATED_STATUS {
        all(status, &|c| c.allocated_resources.clear());
    }
    if !features::DYNAMIC_RESOURCE_ALLOCATION && !old.is_some_and(dynamic_resource_allocation_in_use) {
        status.resource_claim_statuses.clear();
    }
    if !features::RECURSIVE_READ_ONLY_MOUNTS && !old.is_some_and(rro_in_use) {
        all(status, &|c| c.volume_mounts.clear());
    }
    if !features::RESOURCE_HEALTH_STATUS {
        all(status, &|c| c.allocated_resources_status.clear());
    }
    let old_sgp = old.and_then(|o| o.security_context.as_ref()).is_some_and(|s| s.supplemental_groups_policy.is_some());
    if !features::SUPPLEMENTAL_GROUPS_POLICY && !old_sgp {
        all(status, &|c| c.user = None);
    }
}
