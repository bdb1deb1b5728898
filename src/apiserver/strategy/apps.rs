//! The apps registry strategies (`pkg/registry/apps/{daemonset,deployment,replicaset,statefulset}/strategy.go`)
//! and the DaemonSet template generation that the apps/v1 conversion keeps in an annotation
//! (`pkg/apis/apps/v1/conversion.go`).

use super::pod::drop_disabled_template_fields;
use crate::api::apps_v1::{
    DaemonSet, DaemonSetStatus, Deployment, DeploymentStatus, ReplicaSet, ReplicaSetStatus, StatefulSet,
    StatefulSetStatus,
};
use crate::apiserver::defaults::features;

/// The annotation that carries a DaemonSet's `templateGeneration` in apps/v1 (`appsv1.DeprecatedTemplateGeneration`).
pub const DEPRECATED_TEMPLATE_GENERATION: &str = "deprecated.daemonset.template.generation";

/// The DaemonSet's template generation as the conversion to the internal type reads it
/// (`Convert_v1_DaemonSet_To_apps_DaemonSet`): the annotation as a base-10 int64, 0 when absent.
///
/// Go rejects the whole request when the annotation is not a number; kubeplan reads such a value as 0 and
/// leaves the rejection to validation.
pub fn template_generation(ds: &DaemonSet) -> i64 {
    ds.metadata.annotations.get(DEPRECATED_TEMPLATE_GENERATION).and_then(|v| v.parse().ok()).unwrap_or(0)
}

/// Write the template generation back as `Convert_apps_DaemonSet_To_v1_DaemonSet` does on every apps/v1 output.
fn set_template_generation(ds: &mut DaemonSet, generation: i64) {
    ds.metadata.annotations.insert(DEPRECATED_TEMPLATE_GENERATION.to_owned(), generation.to_string());
}

/// `daemonSetStrategy.PrepareForCreate`: status cleared, `generation: 1`, template generation at least 1 (a
/// client-supplied annotation of 1 or more is kept), disabled template fields dropped.
pub fn prepare_daemon_set_for_create(ds: &mut DaemonSet) {
    ds.status = DaemonSetStatus::default();
    ds.metadata.generation = 1;
    let tg = template_generation(ds).max(1);
    set_template_generation(ds, tg);
    drop_disabled_template_fields(&mut ds.spec.template, None);
}

/// `daemonSetStrategy.PrepareForUpdate`: status and template generation cannot be changed by the client; a
/// semantic change of the template bumps both the template generation and `generation`, any other spec change
/// only `generation`.
pub fn prepare_daemon_set_for_update(new: &mut DaemonSet, old: &DaemonSet) {
    drop_disabled_template_fields(&mut new.spec.template, Some(&old.spec.template));
    new.status = old.status.clone();
    let old_tg = template_generation(old);
    if new.spec.template != old.spec.template {
        set_template_generation(new, old_tg + 1);
        new.metadata.generation = old.metadata.generation + 1;
        return;
    }
    set_template_generation(new, old_tg);
    if new.spec != old.spec {
        new.metadata.generation = old.metadata.generation + 1;
    }
}

/// `deploymentStrategy.PrepareForCreate`.
pub fn prepare_deployment_for_create(d: &mut Deployment) {
    d.status = DeploymentStatus::default();
    d.metadata.generation = 1;
    drop_disabled_template_fields(&mut d.spec.template, None);
}

/// `deploymentStrategy.PrepareForUpdate`: a spec change or an annotation change bumps `generation` (annotations
/// are copied to the ReplicaSets, so the controller must see them as a new generation).
pub fn prepare_deployment_for_update(new: &mut Deployment, old: &Deployment) {
    new.status = old.status.clone();
    drop_disabled_template_fields(&mut new.spec.template, Some(&old.spec.template));
    if new.spec != old.spec || new.metadata.annotations != old.metadata.annotations {
        new.metadata.generation = old.metadata.generation + 1;
    }
}

/// `rsStrategy.PrepareForCreate`.
pub fn prepare_replica_set_for_create(rs: &mut ReplicaSet) {
    rs.status = ReplicaSetStatus::default();
    rs.metadata.generation = 1;
    drop_disabled_template_fields(&mut rs.spec.template, None);
}

/// `rsStrategy.PrepareForUpdate`: any spec change (a scale too) bumps `generation`.
pub fn prepare_replica_set_for_update(new: &mut ReplicaSet, old: &ReplicaSet) {
    new.status = old.status.clone();
    drop_disabled_template_fields(&mut new.spec.template, Some(&old.spec.template));
    if new.spec != old.spec {
        new.metadata.generation = old.metadata.generation + 1;
    }
}

/// `statefulSetStrategy.PrepareForCreate`.
pub fn prepare_stateful_set_for_create(ss: &mut StatefulSet) {
    ss.status = StatefulSetStatus::default();
    ss.metadata.generation = 1;
    drop_stateful_set_disabled_fields(ss, None);
    drop_disabled_template_fields(&mut ss.spec.template, None);
    stamp_volume_claim_template_type_meta(ss);
}

/// `statefulSetStrategy.PrepareForUpdate`: any spec change bumps `generation`.
pub fn prepare_stateful_set_for_update(new: &mut StatefulSet, old: &StatefulSet) {
    new.status = old.status.clone();
    drop_stateful_set_disabled_fields(new, Some(old));
    drop_disabled_template_fields(&mut new.spec.template, Some(&old.spec.template));
    stamp_volume_claim_template_type_meta(new);
    if new.spec != old.spec {
        new.metadata.generation = old.metadata.generation + 1;
    }
}

/// `dropStatefulSetDisabledFields`: `rollingUpdate.maxUnavailable` goes while MaxUnavailableStatefulSet is off
/// (unless the old object uses it); the retention policy and ordinals stay (their gates are GA).
fn drop_stateful_set_disabled_fields(new: &mut StatefulSet, old: Option<&StatefulSet>) {
    if !features::STATEFUL_SET_AUTO_DELETE_PVC
        && old.is_none_or(|o| o.spec.persistent_volume_claim_retention_policy.is_none())
    {
        new.spec.persistent_volume_claim_retention_policy = None;
    }
    let old_max_unavailable = old
        .and_then(|o| o.spec.update_strategy.rolling_update.as_deref())
        .is_some_and(|ru| ru.max_unavailable.is_some());
    if !features::MAX_UNAVAILABLE_STATEFUL_SET && !old_max_unavailable {
        if let Some(ru) = new.spec.update_strategy.rolling_update.as_deref_mut() {
            ru.max_unavailable = None;
        }
    }
    if !features::STATEFUL_SET_START_ORDINAL && old.is_none_or(|o| o.spec.ordinals.is_none()) {
        new.spec.ordinals = None;
    }
}

/// `Convert_apps_StatefulSetSpec_To_v1_StatefulSetSpec`: apps/v1 output always names the volume claim
/// templates' type (`apiVersion: v1`, `kind: PersistentVolumeClaim`), as reflective conversion did before 1.17.
fn stamp_volume_claim_template_type_meta(ss: &mut StatefulSet) {
    for t in &mut ss.spec.volume_claim_templates {
        t.api_version = "v1".to_owned();
        t.kind = "PersistentVolumeClaim".to_owned();
    }
}
