//! StatefulSet status (`stateful_set_control.go:computeReplicaStatus`, `updateStatus`,
//! `updateStatefulSetStatus`; `stateful_set_utils.go:completeRollingUpdate`, `inconsistentStatus`;
//! `stateful_set_status_updater.go`).

use crate::api::apps_v1::{StatefulSet, StatefulSetStatus};
use crate::api::core_v1::Pod;
use crate::api::Object;
use crate::cluster::{Cluster, Concurrency};

use super::identity::{self, is_created, is_running_and_ready, is_terminating, pod_revision};

/// `updateStatus`: recount replicas, ready, available, current and updated over the given pods (pods not yet
/// created have no phase and count only towards nothing).
pub fn recount(
    status: &mut StatefulSetStatus,
    min_ready_seconds: i32,
    now: u64,
    current: &str,
    update: &str,
    pods: &[&Pod],
) {
    status.replicas = 0;
    status.ready_replicas = 0;
    status.available_replicas = 0;
    status.current_replicas = 0;
    status.updated_replicas = 0;
    for pod in pods {
        if is_created(pod) {
            status.replicas += 1;
        }
        if is_running_and_ready(pod) {
            status.ready_replicas += 1;
            if identity::is_running_and_available(pod, min_ready_seconds, now) {
                status.available_replicas += 1;
            }
        }
        if is_created(pod) && !is_terminating(pod) {
            let revision = pod_revision(pod);
            if revision == current {
                status.current_replicas += 1;
            }
            if revision == update {
                status.updated_replicas += 1;
            }
        }
    }
}

/// `completeRollingUpdate`: once every replica is updated and ready, the update revision becomes current.
pub fn complete_rolling_update(set: &StatefulSet, status: &mut StatefulSetStatus) {
    let replicas = identity::replicas(set);
    if set.spec.update_strategy.r#type == "RollingUpdate"
        && status.updated_replicas == replicas
        && status.ready_replicas == replicas
        && status.replicas == replicas
    {
        status.current_replicas = status.updated_replicas;
        status.current_revision = status.update_revision.clone();
    }
}

/// `inconsistentStatus`: whether the computed status differs from the stored one in a way worth writing (the
/// collision count alone is not).
pub fn inconsistent(set: &StatefulSet, status: &StatefulSetStatus) -> bool {
    let s = &set.status;
    status.observed_generation > s.observed_generation
        || status.replicas != s.replicas
        || status.current_replicas != s.current_replicas
        || status.ready_replicas != s.ready_replicas
        || status.updated_replicas != s.updated_replicas
        || status.current_revision != s.current_revision
        || status.available_replicas != s.available_replicas
        || status.update_revision != s.update_revision
}

/// `updateStatefulSetStatus`: complete a finished rolling update, then write the whole status (the updater
/// replaces `status` wholesale) when it is inconsistent with the stored one.
pub fn update(cluster: &mut Cluster, set: &StatefulSet, mut status: StatefulSetStatus) {
    complete_rolling_update(set, &mut status);
    if !inconsistent(set, &status) {
        return;
    }
    let key = (set.metadata.namespace.clone(), set.metadata.name.clone());
    let Some(mut stored) = cluster.store().by_key::<StatefulSet>(&key).cloned() else { return };
    stored.status = status;
    let _ = cluster.patch(Object::StatefulSet(Box::new(stored)), Concurrency::Unchecked);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rolling_update_completes_only_when_all_updated_and_ready() {
        let mut set = StatefulSet::default();
        set.spec.replicas = Some(3);
        set.spec.update_strategy.r#type = "RollingUpdate".into();
        let mut st = StatefulSetStatus {
            replicas: 3,
            ready_replicas: 3,
            updated_replicas: 2,
            current_replicas: 1,
            current_revision: "a".into(),
            update_revision: "b".into(),
            ..Default::default()
        };
        complete_rolling_update(&set, &mut st);
        assert_eq!(st.current_revision, "a");
        st.updated_replicas = 3;
        complete_rolling_update(&set, &mut st);
        assert_eq!((st.current_revision.as_str(), st.current_replicas), ("b", 3));
        // OnDelete never completes a rollout.
        set.spec.update_strategy.r#type = "OnDelete".into();
        let mut st2 = StatefulSetStatus {
            replicas: 3,
            ready_replicas: 3,
            updated_replicas: 3,
            update_revision: "b".into(),
            ..Default::default()
        };
        complete_rolling_update(&set, &mut st2);
        assert_eq!(st2.current_revision, "");
    }

    #[test]
    fn collision_count_alone_is_not_inconsistent() {
        let set = StatefulSet::default();
        let st = StatefulSetStatus { collision_count: Some(1), ..Default::default() };
        assert!(!inconsistent(&set, &st));
        let st = StatefulSetStatus { observed_generation: 1, ..Default::default() };
        assert!(inconsistent(&set, &st));
    }
}
