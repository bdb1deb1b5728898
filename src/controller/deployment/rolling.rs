//! The RollingUpdate strategy (`pkg/controller/deployment/rolling.go`).
//!
//! Each sync does one step: grow the new ReplicaSet within `replicas + maxSurge`; if it did not grow, shrink the
//! old ones while at least `replicas - maxUnavailable` pods stay available (unhealthy old pods first); when the
//! rollout is complete, clean up old ReplicaSets. The status is recomputed from the ReplicaSets as the sync read
//! them.

use crate::api::apps_v1::{Deployment, ReplicaSet};
use crate::cluster::store::key_of;
use crate::cluster::{Limit, RolloutBudget};

use super::client::{SyncError, SyncResult};
use super::progress::sync_rollout_status;
use super::sync::{all_of, all_replica_sets_and_sync_revision, cleanup_deployment, scale_replica_set_and_record_event};
use super::util::{self, replicas, rs_replicas};
use super::Sync;

/// `rolloutRolling`, recording the budget of the step.
pub(crate) fn rollout_rolling(s: &mut Sync<'_>, mut rs_list: Vec<ReplicaSet>) -> SyncResult<()> {
    let (new, old) = all_replica_sets_and_sync_revision(s, &mut rs_list, true)?;
    let new = new.ok_or_else(|| SyncError::Other("no new replica set".into()))?;
    let all = all_of(Some(&new), &old);
    let budget = budget(&s.d, &all, &old, &new);
    s.cluster.rec.budget(super::KIND, key_of(&s.d.metadata), Some(budget));

    if reconcile_new_replica_set(s, &all, &new)? {
        return sync_rollout_status(s, &all, Some(&new));
    }
    if reconcile_old_replica_sets(s, &all, util::filter_active(&old), &new)? {
        return sync_rollout_status(s, &all, Some(&new));
    }
    if util::deployment_complete(&s.d, &s.d.status) {
        cleanup_deployment(s, &old)?;
    }
    sync_rollout_status(s, &all, Some(&new))
}

/// What this step may do, as `reconcileNewReplicaSet` and `reconcileOldReplicaSets` work it out from the
/// ReplicaSets as read: whether the new ReplicaSet is held at `replicas + maxSurge`, and whether no old pod may
/// go without the available pods falling below `replicas - maxUnavailable`.
fn budget(d: &Deployment, all: &[ReplicaSet], old: &[ReplicaSet], new: &ReplicaSet) -> RolloutBudget {
    let want = replicas(d);
    let ru = d.spec.strategy.rolling_update.as_deref();
    let (max_surge, max_unavailable) = (util::max_surge(d), util::max_unavailable(d));
    let total = util::replica_count(all);
    let old_replicas = util::replica_count(old);
    let new_replicas = rs_replicas(new);
    let min_available = want.wrapping_sub(max_unavailable);
    let new_unavailable = new_replicas.wrapping_sub(new.status.available_replicas);
    RolloutBudget::Deployment {
        max_surge: Limit::resolved(max_surge, ru.and_then(|r| r.max_surge.as_ref()), want, true),
        max_unavailable: Limit::resolved(max_unavailable, ru.and_then(|r| r.max_unavailable.as_ref()), want, false),
        old_replicas,
        new_replicas,
        surge_used_up: new_replicas < want && total >= want.wrapping_add(max_surge),
        unavailable_used_up: old_replicas > 0 && total.wrapping_sub(min_available).wrapping_sub(new_unavailable) <= 0,
    }
}

/// `reconcileNewReplicaSet`: scale the new ReplicaSet down to `replicas` if above, else up as far as
/// `NewRSNewReplicas` allows. Returns whether it was scaled.
fn reconcile_new_replica_set(s: &mut Sync<'_>, all: &[ReplicaSet], new: &ReplicaSet) -> SyncResult<bool> {
    let want = replicas(&s.d);
    if rs_replicas(new) == want {
        return Ok(false);
    }
    if rs_replicas(new) > want {
        return Ok(scale_replica_set_and_record_event(s, new, want)?.0);
    }
    let all: Vec<&ReplicaSet> = all.iter().collect();
    let count = util::new_rs_new_replicas(&s.d, &all, new).map_err(SyncError::Other)?;
    Ok(scale_replica_set_and_record_event(s, new, count)?.0)
}

/// `reconcileOldReplicaSets`: how far the old ReplicaSets may shrink is the total minus the minimum available
/// minus the new ReplicaSet's unavailable pods. Unhealthy old replicas go first, then available ones while more
/// than the minimum are available. Errors while scaling end the step without failing the sync, as in Go.
fn reconcile_old_replica_sets(
    s: &mut Sync<'_>,
    all: &[ReplicaSet],
    old: Vec<ReplicaSet>,
    new: &ReplicaSet,
) -> SyncResult<bool> {
    if util::replica_count(&old) == 0 {
        return Ok(false);
    }
    let all_pods = util::replica_count(all);
    let min_available = replicas(&s.d).wrapping_sub(util::max_unavailable(&s.d));
    let new_unavailable = rs_replicas(new).wrapping_sub(new.status.available_replicas);
    let max_scaled_down = all_pods.wrapping_sub(min_available).wrapping_sub(new_unavailable);
    if max_scaled_down <= 0 {
        return Ok(false);
    }
    let Ok((old, cleaned)) = cleanup_unhealthy_replicas(s, old, max_scaled_down) else { return Ok(false) };
    let all = all_of(Some(new), &old);
    let Ok(scaled) = scale_down_old_replica_sets_for_rolling_update(s, &all, old) else { return Ok(false) };
    Ok(cleaned.wrapping_add(scaled) > 0)
}

/// `cleanupUnhealthyReplicas`: oldest first, take away each old ReplicaSet's unavailable replicas, at most
/// `max_cleanup` in all. Returns the old ReplicaSets as they are now and how many replicas went.
fn cleanup_unhealthy_replicas(
    s: &mut Sync<'_>,
    mut old: Vec<ReplicaSet>,
    max_cleanup: i32,
) -> SyncResult<(Vec<ReplicaSet>, i32)> {
    old.sort_by(util::by_creation);
    let mut total = 0;
    for target in old.iter_mut() {
        if total >= max_cleanup {
            break;
        }
        let (size, available) = (rs_replicas(target), target.status.available_replicas);
        if size == 0 || size == available {
            continue;
        }
        let count = max_cleanup.wrapping_sub(total).min(size.wrapping_sub(available));
        let new_size = size.wrapping_sub(count);
        if new_size > size {
            return Err(SyncError::Other(format!(
                "when cleaning up unhealthy replicas, got invalid request to scale down {}/{} {size} -> {new_size}",
                target.metadata.namespace, target.metadata.name
            )));
        }
        let (_, updated) = scale_replica_set_and_record_event(s, target, new_size)?;
        total = total.wrapping_add(count);
        *target = updated;
    }
    Ok((old, total))
}

/// `scaleDownOldReplicaSetsForRollingUpdate`: while more than the minimum are available, scale old ReplicaSets
/// down oldest first by the surplus. Returns how many replicas went.
fn scale_down_old_replica_sets_for_rolling_update(
    s: &mut Sync<'_>,
    all: &[ReplicaSet],
    mut old: Vec<ReplicaSet>,
) -> SyncResult<i32> {
    let min_available = replicas(&s.d).wrapping_sub(util::max_unavailable(&s.d));
    let available = util::available_replica_count(all);
    if available <= min_available {
        return Ok(0);
    }
    old.sort_by(util::by_creation);
    let to_scale_down = available.wrapping_sub(min_available);
    let mut total = 0;
    for target in &old {
        if total >= to_scale_down {
            break;
        }
        let size = rs_replicas(target);
        if size == 0 {
            continue;
        }
        let count = size.min(to_scale_down.wrapping_sub(total));
        let new_size = size.wrapping_sub(count);
        if new_size > size {
            return Err(SyncError::Other(format!(
                "when scaling down old RS, got invalid request to scale down {}/{} {size} -> {new_size}",
                target.metadata.namespace, target.metadata.name
            )));
        }
        scale_replica_set_and_record_event(s, target, new_size)?;
        total = total.wrapping_add(count);
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::controller::deployment::harness::{cluster_with, deployment, replica_set, size, sync_of};

    /// `TestDeploymentController_reconcileNewReplicaSet` (maxUnavailable 0).
    #[test]
    fn new_replica_set_grows_within_the_surge() {
        for (replicas, surge, old_n, new_n, expected) in [
            (10, 0, 10, 0, None),
            (10, 2, 10, 0, Some(2)),
            (10, 2, 5, 0, Some(7)),
            (10, 2, 10, 2, None),
            (10, 2, 2, 11, Some(10)),
        ] {
            let d = deployment(replicas, surge, 0);
            let new = replica_set(&d, "new", new_n, 0, 2);
            let old = replica_set(&d, "old", old_n, old_n, 1);
            let mut cluster = cluster_with(&d, &[new.clone(), old.clone()]);
            let mut s = sync_of(&mut cluster, d);
            let scaled = reconcile_new_replica_set(&mut s, &[new.clone(), old], &new).unwrap();
            assert_eq!(scaled, expected.is_some());
            assert_eq!(size(&cluster, "new"), Some(expected.unwrap_or(new_n)));
        }
    }

    /// `TestDeploymentController_reconcileOldReplicaSets` (maxSurge 0), with the resulting old size.
    #[test]
    fn old_replica_sets_shrink_while_enough_stay_available() {
        for (replicas, unavailable, old_n, new_n, old_ready, new_ready, expected) in [
            (10, 0, 10, 0, 10, 0, Some(9)),
            (10, 2, 10, 0, 10, 0, Some(8)),
            (10, 2, 10, 0, 8, 0, Some(8)),
            (10, 2, 10, 0, 9, 0, Some(8)),
            (10, 2, 8, 2, 8, 0, None),
        ] {
            let d = deployment(replicas, 0, unavailable);
            let new = replica_set(&d, "new", new_n, new_ready, 2);
            let old = replica_set(&d, "old", old_n, old_ready, 1);
            let mut cluster = cluster_with(&d, &[new.clone(), old.clone()]);
            let mut s = sync_of(&mut cluster, d);
            let scaled = reconcile_old_replica_sets(&mut s, &[old.clone(), new.clone()], vec![old], &new).unwrap();
            assert_eq!(scaled, expected.is_some());
            assert_eq!(size(&cluster, "old"), Some(expected.unwrap_or(old_n)));
        }
    }

    /// `TestDeploymentController_cleanupUnhealthyReplicas`.
    #[test]
    fn unhealthy_replicas_go_first() {
        for (ready, max, expected) in [(8, 1, 1), (8, 3, 2), (8, 0, 0), (10, 3, 0)] {
            let d = deployment(10, 2, 2);
            let old = replica_set(&d, "old", 10, ready, 1);
            let mut cluster = cluster_with(&d, std::slice::from_ref(&old));
            let mut s = sync_of(&mut cluster, d);
            let (_, count) = cleanup_unhealthy_replicas(&mut s, vec![old], max).unwrap();
            assert_eq!(count, expected);
            assert_eq!(size(&cluster, "old"), Some(10 - expected));
        }
    }

    /// `TestDeploymentController_scaleDownOldReplicaSetsForRollingUpdate`.
    #[test]
    fn available_old_replicas_go_down_to_the_minimum() {
        for (unavailable, ready, old_n, expected) in
            [(0, 10, 10, Some(9)), (2, 10, 10, Some(8)), (2, 8, 10, None), (2, 10, 0, None), (2, 1, 10, None)]
        {
            let d = deployment(10, 0, unavailable);
            let old = replica_set(&d, "old", old_n, ready, 1);
            let mut cluster = cluster_with(&d, std::slice::from_ref(&old));
            let mut s = sync_of(&mut cluster, d);
            let n =
                scale_down_old_replica_sets_for_rolling_update(&mut s, std::slice::from_ref(&old), vec![old.clone()])
                    .unwrap();
            assert_eq!(n > 0, expected.is_some());
            assert_eq!(size(&cluster, "old"), Some(expected.unwrap_or(old_n)));
        }
    }
}
