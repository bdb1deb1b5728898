//! ReplicaSet status (`pkg/controller/replicaset/replica_set_utils.go`): counts from the pods the sync listed
//! before it created or deleted any, and the ReplicaFailure condition while creating or deleting fails.

use std::collections::BTreeMap;

use crate::api::apps_v1::{ReplicaSet, ReplicaSetCondition, ReplicaSetSpec, ReplicaSetStatus};
use crate::api::core_v1::Pod;
use crate::api::{Object, Time};
use crate::cluster::store::key_of;
use crate::cluster::{Cluster, Concurrency};
use crate::helpers::pod::{is_pod_available, is_pod_ready};

pub const REPLICA_FAILURE: &str = "ReplicaFailure";

/// What `calculateStatus` counts of the claimed pods: how many, and how many of them carry the template's labels,
/// are Ready, and are available.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PodCounts {
    pub replicas: i32,
    pub fully_labeled: i32,
    pub ready: i32,
    pub available: i32,
}

impl PodCounts {
    /// One claimed pod's share of the counts, `now_seconds` being the controllers' wall clock.
    pub fn of_pod(spec: &ReplicaSetSpec, pod: &Pod, now_seconds: u64) -> PodCounts {
        let mut counts = PodCounts::of_ready(&spec.template.metadata.labels, pod);
        if counts.available == 1 && !is_pod_available(pod, spec.min_ready_seconds, now_seconds) {
            counts.available = 0;
        }
        counts
    }

    /// One claimed pod's share of the counts, counting a Ready pod as available (no `minReadySeconds`).
    pub fn of_ready(template_labels: &BTreeMap<String, String>, pod: &Pod) -> PodCounts {
        let fully_labeled = template_labels.iter().all(|(k, v)| pod.metadata.labels.get(k) == Some(v));
        let ready = is_pod_ready(pod);
        PodCounts { replicas: 1, fully_labeled: fully_labeled.into(), ready: ready.into(), available: ready.into() }
    }

    /// The counts of the claimed pods.
    pub fn tally(rs: &ReplicaSet, pods: &[impl std::borrow::Borrow<Pod>], now_seconds: u64) -> PodCounts {
        let mut counts = PodCounts::default();
        for pod in pods {
            counts += PodCounts::of_pod(&rs.spec, pod.borrow(), now_seconds);
        }
        counts
    }
}

impl std::ops::AddAssign for PodCounts {
    fn add_assign(&mut self, other: PodCounts) {
        self.replicas += other.replicas;
        self.fully_labeled += other.fully_labeled;
        self.ready += other.ready;
        self.available += other.available;
    }
}

impl std::ops::SubAssign for PodCounts {
    fn sub_assign(&mut self, other: PodCounts) {
        self.replicas -= other.replicas;
        self.fully_labeled -= other.fully_labeled;
        self.ready -= other.ready;
        self.available -= other.available;
    }
}

/// `calculateStatus`: `counts` are those of the active pods the ReplicaSet controls, as listed at the start of the
/// sync; `manage_error` is what creating or deleting pods failed with, if anything.
pub fn calculate_status(rs: &ReplicaSet, counts: PodCounts, manage_error: Option<&str>, now: &Time) -> ReplicaSetStatus {
    let mut status = rs.status.clone();
    let failure = get_condition(&rs.status, REPLICA_FAILURE).is_some();
    match manage_error {
        Some(message) if !failure => {
            let diff = i64::from(counts.replicas) - i64::from(rs.spec.replicas.unwrap_or(1));
            let reason = match diff.cmp(&0) {
                std::cmp::Ordering::Less => "FailedCreate",
                std::cmp::Ordering::Greater => "FailedDelete",
                std::cmp::Ordering::Equal => "",
            };
            set_condition(&mut status, new_condition(REPLICA_FAILURE, "True", reason, message, now));
        }
        None if failure => remove_condition(&mut status, REPLICA_FAILURE),
        _ => {}
    }
    status.replicas = counts.replicas;
    status.fully_labeled_replicas = counts.fully_labeled;
    status.ready_replicas = counts.ready;
    status.available_replicas = counts.available;
    status
}

/// `updateReplicaSetStatus`: store the status with the generation observed, unless nothing changed and the
/// generation was already observed.
pub fn update_status(cluster: &mut Cluster, rs: &ReplicaSet, mut status: ReplicaSetStatus) {
    let s = &rs.status;
    if s.replicas == status.replicas
        && s.fully_labeled_replicas == status.fully_labeled_replicas
        && s.ready_replicas == status.ready_replicas
        && s.available_replicas == status.available_replicas
        && rs.metadata.generation == s.observed_generation
        && s.conditions == status.conditions
    {
        return;
    }
    status.observed_generation = rs.metadata.generation;
    // The status subresource keeps the stored spec and metadata.
    let Some(mut stored) = cluster.store().by_key::<ReplicaSet>(&key_of(&rs.metadata)).cloned() else { return };
    stored.status = status;
    let _ = cluster.patch(Object::ReplicaSet(Box::new(stored)), Concurrency::Unchecked);
}

/// `NewReplicaSetCondition`.
pub fn new_condition(ty: &str, status: &str, reason: &str, message: &str, now: &Time) -> ReplicaSetCondition {
    ReplicaSetCondition {
        r#type: ty.to_owned(),
        status: status.to_owned(),
        last_transition_time: now.clone(),
        reason: reason.to_owned(),
        message: message.to_owned(),
    }
}

/// `GetCondition`.
pub fn get_condition<'a>(status: &'a ReplicaSetStatus, ty: &str) -> Option<&'a ReplicaSetCondition> {
    status.conditions.iter().find(|c| c.r#type == ty)
}

/// `SetCondition`: unchanged when status and reason are the same; otherwise replaced and moved last.
pub fn set_condition(status: &mut ReplicaSetStatus, condition: ReplicaSetCondition) {
    if get_condition(status, &condition.r#type)
        .is_some_and(|c| c.status == condition.status && c.reason == condition.reason)
    {
        return;
    }
    remove_condition(status, &condition.r#type.clone());
    status.conditions.push(condition);
}

/// `RemoveCondition`.
pub fn remove_condition(status: &mut ReplicaSetStatus, ty: &str) {
    status.conditions.retain(|c| c.r#type != ty);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::core_v1::PodCondition;

    fn pod(labels: &[(&str, &str)], ready: bool) -> Pod {
        let mut p = Pod::default();
        p.metadata.labels = labels.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        if ready {
            p.status.conditions.push(PodCondition {
                r#type: "Ready".into(),
                status: "True".into(),
                last_transition_time: Time::at_second(3),
                ..Default::default()
            });
        }
        p
    }

    #[test]
    fn counts_and_failure_condition() {
        let mut rs = ReplicaSet::default();
        rs.spec.replicas = Some(3);
        rs.spec.template.metadata.labels.insert("app".into(), "a".into());
        rs.spec.template.metadata.labels.insert("pod-template-hash".into(), "h".into());
        let pods = [pod(&[("app", "a"), ("pod-template-hash", "h")], true), pod(&[("app", "a")], false)];
        let now = Time::at_second(10);
        let counts = |rs: &ReplicaSet, at| PodCounts::tally(rs, &pods, at);
        let s = calculate_status(&rs, counts(&rs, 10), Some("boom"), &now);
        assert_eq!((s.replicas, s.fully_labeled_replicas, s.ready_replicas, s.available_replicas), (2, 1, 1, 1));
        assert_eq!(s.conditions[0].reason, "FailedCreate");
        assert_eq!(s.conditions[0].message, "boom");
        rs.status = s;
        let s = calculate_status(&rs, counts(&rs, 10), None, &now);
        assert!(s.conditions.is_empty(), "cleared once managing succeeds");
        // Not available before minReadySeconds passed.
        rs.spec.min_ready_seconds = 30;
        assert_eq!(counts(&rs, 10).available, 0);
        assert_eq!(counts(&rs, 34).available, 1);
    }
}
