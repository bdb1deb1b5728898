//! The Recreate strategy (`pkg/controller/deployment/recreate.go`): scale every old ReplicaSet to zero, wait until
//! none of their pods is left (the ReplicaSets' `status.replicas` at zero and no pod of theirs in any phase but
//! Succeeded or Failed), then create or scale the new ReplicaSet to the full size.

use crate::api::apps_v1::ReplicaSet;

use super::client::SyncResult;
use super::progress::sync_rollout_status;
use super::sync::{all_of, all_replica_sets_and_sync_revision, cleanup_deployment, scale_replica_set_and_record_event};
use super::util::{self, replicas, rs_replicas};
use super::{PodMap, Sync};

/// `rolloutRecreate`.
pub(crate) fn rollout_recreate(s: &mut Sync<'_>, mut rs_list: Vec<ReplicaSet>, pod_map: &PodMap) -> SyncResult<()> {
    let (mut new, mut old) = all_replica_sets_and_sync_revision(s, &mut rs_list, false)?;
    let mut all = all_of(new.as_ref(), &old);
    let mut active_old = util::filter_active(&old);

    if scale_down_old_replica_sets(s, &mut active_old)? {
        return sync_rollout_status(s, &all, new.as_ref());
    }
    if old_pods_running(new.as_ref(), &old, pod_map) {
        return sync_rollout_status(s, &all, new.as_ref());
    }
    if new.is_none() {
        (new, old) = all_replica_sets_and_sync_revision(s, &mut rs_list, true)?;
        all = all_of(new.as_ref(), &old);
    }
    if let Some(n) = &new {
        scale_replica_set_and_record_event(s, n, replicas(&s.d))?;
    }
    if util::deployment_complete(&s.d, &s.d.status) {
        cleanup_deployment(s, &old)?;
    }
    sync_rollout_status(s, &all, new.as_ref())
}

/// `scaleDownOldReplicaSetsForRecreate`: every active old ReplicaSet to zero, oldest first. Returns whether any
/// was scaled.
fn scale_down_old_replica_sets(s: &mut Sync<'_>, old: &mut [ReplicaSet]) -> SyncResult<bool> {
    let mut scaled = false;
    for rs in old.iter_mut() {
        if rs_replicas(rs) == 0 {
            continue;
        }
        let (did, updated) = scale_replica_set_and_record_event(s, rs, 0)?;
        if did {
            *rs = updated;
            scaled = true;
        }
    }
    Ok(scaled)
}

/// `oldPodsRunning`: an old ReplicaSet still reports pods, or a pod of any ReplicaSet but the new one is in a
/// phase other than Succeeded or Failed.
pub(crate) fn old_pods_running(new: Option<&ReplicaSet>, old: &[ReplicaSet], pod_map: &PodMap) -> bool {
    if util::actual_replica_count(old) > 0 {
        return true;
    }
    pod_map
        .iter()
        .filter(|(uid, _)| new.is_none_or(|n| n.metadata.uid != **uid))
        .any(|(_, pods)| pods.iter().any(|p| !matches!(p.status.phase.as_str(), "Succeeded" | "Failed")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::core_v1::Pod;

    fn rs(uid: &str, status_replicas: i32) -> ReplicaSet {
        let mut rs = ReplicaSet::default();
        rs.metadata.uid = uid.into();
        rs.status.replicas = status_replicas;
        rs
    }

    fn pod(phase: &str) -> Pod {
        let mut p = Pod::default();
        p.status.phase = phase.into();
        p
    }

    #[test]
    fn recreate_waits_for_old_pods() {
        let new = rs("new", 0);
        // The old ReplicaSet's status still counts a pod: wait, even with no pod listed.
        assert!(old_pods_running(Some(&new), &[rs("old", 1)], &PodMap::new()));
        let mut map = PodMap::new();
        map.insert("old".into(), vec![pod("Succeeded"), pod("Failed")]);
        map.insert("new".into(), vec![pod("Running")]);
        assert!(!old_pods_running(Some(&new), &[rs("old", 0)], &map), "finished pods and the new ones do not count");
        map.get_mut("old").unwrap().push(pod("Pending"));
        assert!(old_pods_running(Some(&new), &[rs("old", 0)], &map));
        map.get_mut("old").unwrap().pop();
        map.get_mut("old").unwrap().push(pod(""));
        assert!(old_pods_running(None, &[rs("old", 0)], &map), "a pod not yet started counts");
    }
}
