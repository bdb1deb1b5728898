//! ReplicaSet status (`pkg/controller/replicaset/replica_set_utils.go`): counts from the pods the sync listed
//! before it created or deleted any, and the ReplicaFailure condition while creating or deleting fails.

use crate::api::apps_v1::{ReplicaSet, ReplicaSetCondition, ReplicaSetStatus};
use crate::api::core_v1::Pod;
use crate::api::{Object, Time};
use crate::cluster::store::key_of;
use crate::cluster::Cluster;
use crate::helpers::pod::{is_pod_available, is_pod_ready};

pub const REPLICA_FAILURE: &str = "ReplicaFailure";

/// `calculateStatus`: `pods` are the active pods the ReplicaSet controls, as listed at the start of the sync;
/// `manage_error` is what creating or deleting pods failed with, if anything.
pub fn calculate_status(
    rs: &ReplicaSet,
    pods: &[impl std::borrow::Borrow<Pod>],
    manage_error: Option<&str>,
    now: &Time,
    now_seconds: u64,
) -> ReplicaSetStatus {
    let mut status = rs.status.clone();
    let template_labels = &rs.spec.template.metadata.labels;
    let mut fully_labeled = 0;
    let mut ready = 0;
    let mut available = 0;
    for pod in pods.iter().map(|p| p.borrow()) {
        if template_labels.iter().all(|(k, v)| pod.metadata.labels.get(k) == Some(v)) {
            fully_labeled += 1;
        }
        if is_pod_ready(pod) {
            ready += 1;
            if is_pod_available(pod, rs.spec.min_ready_seconds, now_seconds) {
                available += 1;
            }
        }
    }
    let failure = get_condition(&rs.status, REPLICA_FAILURE).is_some();
    match manage_error {
        Some(message) if !failure => {
            let diff = pods.len() as i64 - i64::from(rs.spec.replicas.unwrap_or(1));
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
    status.replicas = pods.len() as i32;
    status.fully_labeled_replicas = fully_labeled;
    status.ready_replicas = ready;
    status.available_replicas = available;
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
    let Some(mut stored) = cluster.store.replicasets.get(&key_of(&rs.metadata)).cloned() else { return };
    stored.status = status;
    cluster.write(Object::ReplicaSet(Box::new(stored)));
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
        let s = calculate_status(&rs, &pods, Some("boom"), &now, 10);
        assert_eq!((s.replicas, s.fully_labeled_replicas, s.ready_replicas, s.available_replicas), (2, 1, 1, 1));
        assert_eq!(s.conditions[0].reason, "FailedCreate");
        assert_eq!(s.conditions[0].message, "boom");
        rs.status = s;
        let s = calculate_status(&rs, &pods, None, &now, 10);
        assert!(s.conditions.is_empty(), "cleared once managing succeeds");
        // Not available before minReadySeconds passed.
        rs.spec.min_ready_seconds = 30;
        assert_eq!(calculate_status(&rs, &pods, None, &now, 10).available_replicas, 0);
        assert_eq!(calculate_status(&rs, &pods, None, &now, 34).available_replicas, 1);
    }
}
