//! Defaults of the apps group (`pkg/apis/apps/v1/defaults.go` and `zz_generated.defaults.go`).
//!
//! Each kind gets its own `SetDefaults_<Kind>` and then the pod template defaults ([`default_pod_template`]),
//! which are `SetDefaults_PodSpec` and the nested defaults but never `SetDefaults_Pod`.

use super::core::{default_persistent_volume_claim, default_pod_template};
use super::features;
use crate::api::apps_v1::{
    DaemonSet, Deployment, ReplicaSet, RollingUpdateDaemonSet, RollingUpdateDeployment,
    RollingUpdateStatefulSetStrategy, StatefulSet, StatefulSetPersistentVolumeClaimRetentionPolicy,
};
use crate::api::IntOrString;

/// The default `revisionHistoryLimit` of DaemonSets, Deployments and StatefulSets.
pub const DEFAULT_REVISION_HISTORY_LIMIT: i32 = 10;
/// The default `progressDeadlineSeconds` of Deployments.
pub const DEFAULT_PROGRESS_DEADLINE_SECONDS: i32 = 600;

/// `SetObjectDefaults_DaemonSet`.
pub fn default_daemon_set(ds: &mut DaemonSet) {
    set_defaults_daemon_set(ds);
    default_pod_template(&mut ds.spec.template);
}

/// `SetObjectDefaults_Deployment`.
pub fn default_deployment(d: &mut Deployment) {
    set_defaults_deployment(d);
    default_pod_template(&mut d.spec.template);
}

/// `SetObjectDefaults_ReplicaSet`.
pub fn default_replica_set(rs: &mut ReplicaSet) {
    set_defaults_replica_set(rs);
    default_pod_template(&mut rs.spec.template);
}

/// `SetObjectDefaults_StatefulSet`: the StatefulSet's own defaults, its template, then each volume claim
/// template (`volumeMode: Filesystem`, `status.phase: Pending`, rounded resource lists).
pub fn default_stateful_set(ss: &mut StatefulSet) {
    set_defaults_stateful_set(ss);
    default_pod_template(&mut ss.spec.template);
    ss.spec.volume_claim_templates.iter_mut().for_each(default_persistent_volume_claim);
}

/// `SetDefaults_DaemonSet`: `RollingUpdate` with `maxUnavailable: 1` and `maxSurge: 0` unless given (an
/// `OnDelete` DaemonSet gets no `rollingUpdate`), and `revisionHistoryLimit: 10`.
pub fn set_defaults_daemon_set(ds: &mut DaemonSet) {
    let strategy = &mut ds.spec.update_strategy;
    if strategy.r#type.is_empty() {
        strategy.r#type = "RollingUpdate".to_owned();
    }
    if strategy.r#type == "RollingUpdate" {
        let ru = strategy.rolling_update.get_or_insert_with(|| Box::new(RollingUpdateDaemonSet::default()));
        ru.max_unavailable.get_or_insert(IntOrString::Int(1));
        ru.max_surge.get_or_insert(IntOrString::Int(0));
    }
    ds.spec.revision_history_limit.get_or_insert(DEFAULT_REVISION_HISTORY_LIMIT);
}

/// `SetDefaults_Deployment`: `replicas: 1`, `RollingUpdate` with 25% `maxUnavailable` and `maxSurge` unless
/// given (a `Recreate` Deployment gets no `rollingUpdate`), `revisionHistoryLimit: 10`,
/// `progressDeadlineSeconds: 600`.
pub fn set_defaults_deployment(d: &mut Deployment) {
    d.spec.replicas.get_or_insert(1);
    let strategy = &mut d.spec.strategy;
    if strategy.r#type.is_empty() {
        strategy.r#type = "RollingUpdate".to_owned();
    }
    if strategy.r#type == "RollingUpdate" {
        let ru = strategy.rolling_update.get_or_insert_with(|| Box::new(RollingUpdateDeployment::default()));
        ru.max_unavailable.get_or_insert_with(|| IntOrString::String("25%".to_owned()));
        ru.max_surge.get_or_insert_with(|| IntOrString::String("25%".to_owned()));
    }
    d.spec.revision_history_limit.get_or_insert(DEFAULT_REVISION_HISTORY_LIMIT);
    d.spec.progress_deadline_seconds.get_or_insert(DEFAULT_PROGRESS_DEADLINE_SECONDS);
}

/// `SetDefaults_ReplicaSet`: `replicas: 1`.
pub fn set_defaults_replica_set(rs: &mut ReplicaSet) {
    rs.spec.replicas.get_or_insert(1);
}

/// `SetDefaults_StatefulSet`.
///
/// - `podManagementPolicy: OrderedReady`;
/// - `updateStrategy.type: RollingUpdate`; an empty `rollingUpdate` is added only when the type was empty, so
///   an explicit `type: RollingUpdate` without `rollingUpdate` stays without it;
/// - `rollingUpdate.partition: 0` when `rollingUpdate` exists (and `maxUnavailable: 1` only with the
///   MaxUnavailableStatefulSet gate, off in v1.32);
/// - `persistentVolumeClaimRetentionPolicy` `Retain`/`Retain` (StatefulSetAutoDeletePVC, GA);
/// - `replicas: 1`, `revisionHistoryLimit: 10`.
pub fn set_defaults_stateful_set(ss: &mut StatefulSet) {
    let spec = &mut ss.spec;
    if spec.pod_management_policy.is_empty() {
        spec.pod_management_policy = "OrderedReady".to_owned();
    }
    if spec.update_strategy.r#type.is_empty() {
        spec.update_strategy.r#type = "RollingUpdate".to_owned();
        spec.update_strategy
            .rolling_update
            .get_or_insert_with(|| Box::new(RollingUpdateStatefulSetStrategy::default()));
    }
    if spec.update_strategy.r#type == "RollingUpdate" {
        if let Some(ru) = spec.update_strategy.rolling_update.as_deref_mut() {
            ru.partition.get_or_insert(0);
            if features::MAX_UNAVAILABLE_STATEFUL_SET {
                ru.max_unavailable.get_or_insert(IntOrString::Int(1));
            }
        }
    }
    if features::STATEFUL_SET_AUTO_DELETE_PVC {
        let policy = spec
            .persistent_volume_claim_retention_policy
            .get_or_insert_with(|| Box::new(StatefulSetPersistentVolumeClaimRetentionPolicy::default()));
        if policy.when_deleted.is_empty() {
            policy.when_deleted = "Retain".to_owned();
        }
        if policy.when_scaled.is_empty() {
            policy.when_scaled = "Retain".to_owned();
        }
    }
    spec.replicas.get_or_insert(1);
    spec.revision_history_limit.get_or_insert(DEFAULT_REVISION_HISTORY_LIMIT);
}
