//! What every path of a Deployment sync shares (`pkg/controller/deployment/sync.go`): finding or creating the
//! new ReplicaSet and keeping revisions in step, proportional scaling, scaling one ReplicaSet, cleaning up old
//! ReplicaSets beyond `revisionHistoryLimit`, and the status.

use crate::api::apps_v1::{DeploymentStatus, ReplicaSet, ReplicaSetSpec};
use crate::api::meta_v1::LabelSelector;
use crate::api::controller_of;
use crate::cluster::ApiError;
use crate::controller::hash::compute_hash;

use super::client::{self, SyncError, SyncResult};
use super::util::{self, replicas, rs_replicas};
use super::Sync;

/// The new ReplicaSet (if any) and all the others, oldest first.
pub(crate) type ReplicaSets = (Option<ReplicaSet>, Vec<ReplicaSet>);

/// `old` followed by `new`: Go's `append(oldRSs, newRS)` without the nil.
pub(crate) fn all_of(new: Option<&ReplicaSet>, old: &[ReplicaSet]) -> Vec<ReplicaSet> {
    old.iter().cloned().chain(new.cloned()).collect()
}

/// `syncStatusOnly`: the Deployment is being deleted; only its status is kept up to date.
pub(crate) fn sync_status_only(s: &mut Sync<'_>, mut rs_list: Vec<ReplicaSet>) -> SyncResult<()> {
    let (new, old) = all_replica_sets_and_sync_revision(s, &mut rs_list, false)?;
    let all = all_of(new.as_ref(), &old);
    sync_deployment_status(s, &all, new.as_ref())
}

/// `sync`: scaling events and paused Deployments. Scale (proportionally when needed); a paused Deployment also
/// cleans up old ReplicaSets.
pub(crate) fn sync(s: &mut Sync<'_>, mut rs_list: Vec<ReplicaSet>) -> SyncResult<()> {
    let (new, mut old) = all_replica_sets_and_sync_revision(s, &mut rs_list, false)?;
    scale(s, new.as_ref(), &mut old)?;
    if s.d.spec.paused && util::rollback_to(&s.d).is_none() {
        cleanup_deployment(s, &old)?;
    }
    let all = all_of(new.as_ref(), &old);
    sync_deployment_status(s, &all, new.as_ref())
}

/// `checkPausedConditions`: with a progress deadline, record pausing and resuming as an Unknown Progressing
/// condition (unless the rollout already timed out).
pub(crate) fn check_paused_conditions(s: &mut Sync<'_>) -> SyncResult<()> {
    if !util::has_progress_deadline(&s.d) {
        return Ok(());
    }
    let cond = util::get_condition(&s.d.status, util::PROGRESSING);
    if cond.is_some_and(|c| c.reason == util::TIMED_OUT_REASON) {
        return Ok(());
    }
    let paused_exists = cond.is_some_and(|c| c.reason == util::PAUSED_DEPLOY_REASON);
    let condition = if s.d.spec.paused && !paused_exists {
        util::new_condition(
            util::PROGRESSING,
            "Unknown",
            util::PAUSED_DEPLOY_REASON,
            "Deployment is paused".into(),
            s.clock.now(),
        )
    } else if !s.d.spec.paused && paused_exists {
        util::new_condition(
            util::PROGRESSING,
            "Unknown",
            util::RESUMED_DEPLOY_REASON,
            "Deployment is resumed".into(),
            s.clock.now(),
        )
    } else {
        return Ok(());
    };
    util::set_condition(&mut s.d.status, condition);
    client::update_deployment_status(s.cluster, &s.d)
}

/// `getAllReplicaSetsAndSyncRevision`: the new ReplicaSet (created when asked and missing), with its revision
/// raised above every old one, and the old ReplicaSets.
pub(crate) fn all_replica_sets_and_sync_revision(
    s: &mut Sync<'_>,
    rs_list: &mut [ReplicaSet],
    create_if_missing: bool,
) -> SyncResult<ReplicaSets> {
    let old = util::find_old_replica_sets(&s.d, rs_list);
    let new = new_replica_set(s, rs_list, &old, create_if_missing)?;
    Ok((new, old))
}

/// `getNewReplicaSet`.
///
/// An existing new ReplicaSet gets the Deployment's annotations, the next revision and the Deployment's
/// `minReadySeconds`; if that needed an update the updated ReplicaSet is returned at once. Otherwise the
/// Deployment takes the ReplicaSet's revision (and a FoundNewReplicaSet condition when it has none).
///
/// A missing one is created, when asked, named `<deployment>-<pod-template-hash>`, with as many replicas as
/// `NewRSNewReplicas` allows. A name taken by a ReplicaSet that is not this template's is a hash collision:
/// `collisionCount` goes up and the sync fails, so the next one hashes differently.
fn new_replica_set(
    s: &mut Sync<'_>,
    rs_list: &mut [ReplicaSet],
    old: &[ReplicaSet],
    create_if_missing: bool,
) -> SyncResult<Option<ReplicaSet>> {
    let existing = util::find_new_replica_set(&s.d, rs_list).map(|i| rs_list[i].clone());
    let new_revision = util::max_revision(old).wrapping_add(1).to_string();

    if let Some(existing) = existing {
        let mut copy = existing;
        let annotations_updated = util::set_new_replica_set_annotations(
            &s.d,
            &mut copy,
            &new_revision,
            true,
            util::MAX_REV_HISTORY_LENGTH_IN_CHARS,
        );
        let min_ready_seconds_changed = copy.spec.min_ready_seconds != s.d.spec.min_ready_seconds;
        if annotations_updated || min_ready_seconds_changed {
            copy.spec.min_ready_seconds = s.d.spec.min_ready_seconds;
            return client::update_replica_set(s.cluster, &copy).map(Some);
        }
        let revision = copy.metadata.annotations.get(util::REVISION_ANNOTATION).cloned().unwrap_or_default();
        let mut needs_update = util::set_deployment_revision(&mut s.d, &revision);
        if util::has_progress_deadline(&s.d) && util::get_condition(&s.d.status, util::PROGRESSING).is_none() {
            let message = format!("Found new replica set {:?}", copy.metadata.name);
            let c = util::new_condition(util::PROGRESSING, "True", util::FOUND_NEW_RS_REASON, message, s.clock.now());
            util::set_condition(&mut s.d.status, c);
            needs_update = true;
        }
        if needs_update {
            client::update_deployment_status(s.cluster, &s.d)?;
        }
        return Ok(Some(copy));
    }

    if !create_if_missing {
        return Ok(None);
    }

    let mut rs = new_replica_set_object(s);
    let count = {
        let all: Vec<&ReplicaSet> = old.iter().chain(std::iter::once(&rs)).collect();
        util::new_rs_new_replicas(&s.d, &all, &rs).map_err(SyncError::Other)?
    };
    rs.spec.replicas = Some(count);
    util::set_new_replica_set_annotations(&s.d, &mut rs, &new_revision, false, util::MAX_REV_HISTORY_LENGTH_IN_CHARS);
    let name = rs.metadata.name.clone();

    let (created, already_exists) = match client::create_replica_set(s.cluster, rs) {
        Ok(created) => (created, false),
        Err(ApiError::AlreadyExists(msg)) => {
            let key = (s.d.metadata.namespace.clone(), name.clone());
            let Some(found) = s.cluster.store.replicasets.get(&key).cloned() else {
                return Err(SyncError::Api(ApiError::NotFound(format!("replicaset.apps {name:?} not found"))));
            };
            let ours = controller_of(&found.metadata).is_some_and(|r| r.uid == s.d.metadata.uid);
            if ours && util::equal_ignore_hash(&s.d.spec.template, &found.spec.template) {
                (found, true)
            } else {
                // A hash collision: count it, so that the next sync hashes the template differently.
                let count = s.d.status.collision_count.get_or_insert(0);
                *count = count.wrapping_add(1);
                let _ = client::update_deployment_status(s.cluster, &s.d);
                return Err(SyncError::Api(ApiError::AlreadyExists(msg)));
            }
        }
        Err(e) => {
            let message = format!("Failed to create new replica set {name:?}: {e}");
            if util::has_progress_deadline(&s.d) {
                let c = util::new_condition(
                    util::PROGRESSING,
                    "False",
                    util::FAILED_RS_CREATE_REASON,
                    message.clone(),
                    s.clock.now(),
                );
                util::set_condition(&mut s.d.status, c);
                let _ = client::update_deployment_status(s.cluster, &s.d);
            }
            s.event("Warning", util::FAILED_RS_CREATE_REASON, message);
            return Err(SyncError::Api(e));
        }
    };
    if !already_exists && count > 0 {
        s.event(
            "Normal",
            "ScalingReplicaSet",
            format!("Scaled up replica set {} from 0 to {count}", created.metadata.name),
        );
    }
    let mut needs_update = util::set_deployment_revision(&mut s.d, &new_revision);
    if !already_exists && util::has_progress_deadline(&s.d) {
        let message = format!("Created new replica set {:?}", created.metadata.name);
        let c = util::new_condition(util::PROGRESSING, "True", util::NEW_REPLICA_SET_REASON, message, s.clock.now());
        util::set_condition(&mut s.d.status, c);
        needs_update = true;
    }
    if needs_update {
        client::update_deployment_status(s.cluster, &s.d)?;
    }
    Ok(Some(created))
}

/// The ReplicaSet `getNewReplicaSet` creates: the template with the `pod-template-hash` label (hashed before the
/// label is added, with the collision count), the selector with the same label, the controller reference.
fn new_replica_set_object(s: &Sync<'_>) -> ReplicaSet {
    let d = &s.d;
    let hash = compute_hash(&d.spec.template, d.status.collision_count);
    let mut template = d.spec.template.clone();
    template.metadata.labels.insert(util::POD_TEMPLATE_HASH_LABEL.to_owned(), hash.clone());
    let mut selector: LabelSelector = d.spec.selector.as_deref().cloned().unwrap_or_default();
    selector.match_labels.insert(util::POD_TEMPLATE_HASH_LABEL.to_owned(), hash.clone());
    let mut rs = ReplicaSet::default();
    rs.metadata.name = format!("{}-{hash}", d.metadata.name);
    rs.metadata.namespace = d.metadata.namespace.clone();
    rs.metadata.owner_references = vec![s.owner.controller_ref()];
    rs.metadata.labels = template.metadata.labels.clone();
    rs.spec = ReplicaSetSpec {
        replicas: Some(0),
        min_ready_seconds: d.spec.min_ready_seconds,
        selector: Some(Box::new(selector)),
        template,
    };
    rs
}

/// `scale`: bring the ReplicaSets to the Deployment's size. With one active ReplicaSet (or none: the newest), it
/// takes all the replicas; a saturated new ReplicaSet leaves the old ones none; otherwise, rolling, the
/// difference to `replicas + maxSurge` is shared out in proportion to each ReplicaSet's size, larger first,
/// the leftover going to the first.
pub(crate) fn scale(s: &mut Sync<'_>, new: Option<&ReplicaSet>, old: &mut [ReplicaSet]) -> SyncResult<()> {
    let want = replicas(&s.d);
    if let Some(target) = util::find_active_or_latest(new, old) {
        if rs_replicas(&target) == want {
            return Ok(());
        }
        scale_replica_set_and_record_event(s, &target, want)?;
        return Ok(());
    }
    if util::is_saturated(&s.d, new) {
        for rs in util::filter_active(old) {
            scale_replica_set_and_record_event(s, &rs, 0)?;
        }
        return Ok(());
    }
    if !util::is_rolling_update(&s.d) {
        return Ok(());
    }
    let mut all = util::filter_active(&all_of(new, old));
    let current = util::replica_count(&all);
    let allowed = if want > 0 { util::max_total_replicas(&s.d) } else { 0 };
    let to_add = allowed.wrapping_sub(current);
    match to_add.cmp(&0) {
        std::cmp::Ordering::Greater => all.sort_by(util::by_size_newer),
        std::cmp::Ordering::Less => all.sort_by(util::by_size_older),
        std::cmp::Ordering::Equal => {}
    }
    let mut added = 0;
    let mut sizes: Vec<i32> = Vec::with_capacity(all.len());
    for rs in &all {
        if to_add != 0 {
            let p = util::replica_set_proportion(rs, &s.d, to_add, added);
            sizes.push(rs_replicas(rs).wrapping_add(p));
            added = added.wrapping_add(p);
        } else {
            sizes.push(rs_replicas(rs));
        }
    }
    for (i, rs) in all.iter().enumerate() {
        if i == 0 && to_add != 0 {
            sizes[0] = sizes[0].wrapping_add(to_add.wrapping_sub(added)).max(0);
        }
        scale_replica_set(s, rs, sizes[i])?;
    }
    Ok(())
}

/// `scaleReplicaSetAndRecordEvent`: nothing to do when the size is already right.
pub(crate) fn scale_replica_set_and_record_event(
    s: &mut Sync<'_>,
    rs: &ReplicaSet,
    new_scale: i32,
) -> SyncResult<(bool, ReplicaSet)> {
    if rs_replicas(rs) == new_scale {
        return Ok((false, rs.clone()));
    }
    scale_replica_set(s, rs, new_scale)
}

/// `scaleReplicaSet`: set the size and the desired/max replica annotations; a size change is a
/// `ScalingReplicaSet` event. Returns whether the size changed, and the ReplicaSet as stored.
pub(crate) fn scale_replica_set(s: &mut Sync<'_>, rs: &ReplicaSet, new_scale: i32) -> SyncResult<(bool, ReplicaSet)> {
    let desired = replicas(&s.d);
    let max = util::max_total_replicas(&s.d);
    let size_changes = rs_replicas(rs) != new_scale;
    if !size_changes && !util::replicas_annotations_need_update(rs, desired, max) {
        return Ok((false, rs.clone()));
    }
    let old_scale = rs_replicas(rs);
    let mut copy = rs.clone();
    copy.spec.replicas = Some(new_scale);
    util::set_replicas_annotations(&mut copy, desired, max);
    let updated = client::update_replica_set(s.cluster, &copy)?;
    if size_changes {
        let direction = if old_scale < new_scale { "up" } else { "down" };
        s.event(
            "Normal",
            "ScalingReplicaSet",
            format!("Scaled {direction} replica set {} from {old_scale} to {new_scale}", updated.metadata.name),
        );
    }
    Ok((size_changes, updated))
}

/// `cleanupDeployment`: delete the oldest (by revision) old ReplicaSets beyond `revisionHistoryLimit`, skipping
/// any that still has or wants pods or whose latest spec its controller has not observed.
pub(crate) fn cleanup_deployment(s: &mut Sync<'_>, old: &[ReplicaSet]) -> SyncResult<()> {
    if !util::has_revision_history_limit(&s.d) {
        return Ok(());
    }
    let mut cleanable: Vec<&ReplicaSet> = old.iter().filter(|rs| rs.metadata.deletion_timestamp.is_none()).collect();
    let limit = s.d.spec.revision_history_limit.unwrap_or(0);
    let diff = cleanable.len() as i64 - i64::from(limit);
    if diff <= 0 {
        return Ok(());
    }
    cleanable.sort_by(|a, b| util::by_revision(a, b));
    for rs in cleanable.into_iter().take(diff as usize) {
        if rs.status.replicas != 0
            || rs_replicas(rs) != 0
            || rs.metadata.generation > rs.status.observed_generation
            || rs.metadata.deletion_timestamp.is_some()
        {
            continue;
        }
        match client::delete_replica_set(s.cluster, &rs.metadata.namespace, &rs.metadata.name) {
            Ok(()) | Err(SyncError::Api(ApiError::NotFound(_))) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// `syncDeploymentStatus`: store the status computed from the ReplicaSets when it changed.
pub(crate) fn sync_deployment_status(s: &mut Sync<'_>, all: &[ReplicaSet], new: Option<&ReplicaSet>) -> SyncResult<()> {
    let status = calculate_status(s, all, new);
    if s.d.status == status {
        return Ok(());
    }
    s.d.status = status;
    client::update_deployment_status(s.cluster, &s.d)
}

/// `calculateStatus`: counts from the ReplicaSets' statuses (updated = the new one's pods), the generation seen,
/// the conditions carried over, and Available while at most `maxUnavailable` pods are missing.
pub(crate) fn calculate_status(s: &Sync<'_>, all: &[ReplicaSet], new: Option<&ReplicaSet>) -> DeploymentStatus {
    let d = &s.d;
    let available = util::available_replica_count(all);
    let total = util::replica_count(all);
    let mut status = DeploymentStatus {
        observed_generation: d.metadata.generation,
        replicas: util::actual_replica_count(all),
        updated_replicas: util::actual_replica_count(new),
        ready_replicas: util::ready_replica_count(all),
        available_replicas: available,
        unavailable_replicas: total.wrapping_sub(available).max(0),
        conditions: d.status.conditions.clone(),
        collision_count: d.status.collision_count,
    };
    let condition = if available >= replicas(d).wrapping_sub(util::max_unavailable(d)) {
        util::new_condition(
            util::AVAILABLE,
            "True",
            util::MINIMUM_REPLICAS_AVAILABLE,
            "Deployment has minimum availability.".into(),
            s.clock.now(),
        )
    } else {
        util::new_condition(
            util::AVAILABLE,
            "False",
            util::MINIMUM_REPLICAS_UNAVAILABLE,
            "Deployment does not have minimum availability.".into(),
            s.clock.now(),
        )
    };
    util::set_condition(&mut status, condition);
    status
}

/// `isScalingEvent`: an active ReplicaSet was sized for a different number of replicas than the Deployment
/// now has.
pub(crate) fn is_scaling_event(s: &mut Sync<'_>, mut rs_list: Vec<ReplicaSet>) -> SyncResult<bool> {
    let (new, old) = all_replica_sets_and_sync_revision(s, &mut rs_list, false)?;
    let all = all_of(new.as_ref(), &old);
    let want = replicas(&s.d);
    Ok(util::filter_active(&all).iter().any(|rs| util::desired_replicas_annotation(rs).is_some_and(|n| n != want)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::controller::deployment::harness::{cluster_with, deployment, replica_set, size, sync_of};

    /// One case of the Go `TestScale` table: the Deployment went from `before` to `after` replicas (same surge);
    /// the ReplicaSets (name, size, creation second; the first is the new one unless `no_new`) carry the
    /// annotations of `before`.
    fn scale_case(before: i32, after: i32, surge: i32, rss: &[(&str, i32, u64)], no_new: bool) -> Vec<i32> {
        let old_d = deployment(before, surge, 0);
        let d = deployment(after, surge, 0);
        let mut list: Vec<ReplicaSet> = rss
            .iter()
            .map(|(name, n, t)| {
                let mut rs = replica_set(&d, name, *n, *n, *t);
                util::set_replicas_annotations(&mut rs, before, before + util::max_surge(&old_d));
                rs
            })
            .collect();
        let mut cluster = cluster_with(&d, &list);
        let new = if no_new { None } else { Some(list.remove(0)) };
        let mut s = sync_of(&mut cluster, d);
        scale(&mut s, new.as_ref(), &mut list).unwrap();
        rss.iter().map(|(name, _, _)| size(&cluster, name).unwrap()).collect()
    }

    #[test]
    fn scale_follows_the_kubernetes_table() {
        // newest ReplicaSet first; seconds: older 1, old 2, new 3.
        assert_eq!(scale_case(10, 12, 0, &[("v1", 10, 3)], false), [12]);
        assert_eq!(scale_case(10, 5, 0, &[("v1", 10, 3)], false), [5]);
        assert_eq!(scale_case(5, 10, 0, &[("v2", 2, 3), ("v1", 3, 2)], false), [4, 6]);
        assert_eq!(scale_case(5, 3, 0, &[("v2", 2, 3), ("v1", 3, 2)], false), [1, 2]);
        assert_eq!(scale_case(9, 4, 0, &[("v2", 8, 3), ("v1", 1, 2)], false), [4, 0]);
        assert_eq!(scale_case(7, 10, 0, &[("v3", 2, 3), ("v2", 3, 2), ("v1", 2, 1)], false), [3, 4, 3]);
        assert_eq!(scale_case(13, 8, 0, &[("v3", 2, 3), ("v2", 8, 2), ("v1", 3, 1)], false), [1, 5, 2]);
        // Leftovers: up to the newest, down from the oldest.
        assert_eq!(scale_case(3, 4, 0, &[("v3", 1, 3), ("v2", 1, 2), ("v1", 1, 1)], false), [2, 1, 1]);
        assert_eq!(scale_case(3, 2, 0, &[("v3", 1, 3), ("v2", 1, 2), ("v1", 1, 1)], false), [1, 1, 0]);
        assert_eq!(scale_case(4, 5, 0, &[("v2", 2, 2), ("v1", 2, 1)], true), [3, 2]);
        assert_eq!(scale_case(6, 0, 0, &[("v3", 3, 3), ("v2", 2, 2), ("v1", 1, 1)], false), [0, 0, 0]);
        assert_eq!(scale_case(6, 6, 0, &[("v3", 0, 3), ("v2", 0, 2), ("v1", 0, 1)], false), [6, 0, 0]);
        assert_eq!(scale_case(10, 20, 2, &[("v2", 6, 3), ("v1", 6, 2)], false), [11, 11]);
    }

    #[test]
    fn scale_with_new_surge_and_size() {
        // "change both surge and size": 10 (surge 3) -> 50 (surge 6).
        let old_d = deployment(10, 3, 0);
        let d = deployment(50, 6, 0);
        let mut new = replica_set(&d, "v2", 5, 5, 3);
        let mut old = vec![replica_set(&d, "v1", 8, 8, 2)];
        util::set_replicas_annotations(&mut new, 10, 10 + util::max_surge(&old_d));
        util::set_replicas_annotations(&mut old[0], 10, 10 + util::max_surge(&old_d));
        let mut cluster = cluster_with(&d, &[new.clone(), old[0].clone()]);
        let mut s = sync_of(&mut cluster, d);
        scale(&mut s, Some(&new), &mut old).unwrap();
        assert_eq!((size(&cluster, "v2"), size(&cluster, "v1")), (Some(22), Some(34)));
    }

    #[test]
    fn saturated_but_broken_new_replica_set_leaves_old_pods() {
        let d = deployment(2, 1, 1);
        let mut new = replica_set(&d, "v2", 2, 0, 3);
        let mut old = vec![replica_set(&d, "v1", 1, 1, 2)];
        util::set_replicas_annotations(&mut new, 2, 3);
        util::set_replicas_annotations(&mut old[0], 2, 3);
        let mut cluster = cluster_with(&d, &[new.clone(), old[0].clone()]);
        let mut s = sync_of(&mut cluster, d);
        scale(&mut s, Some(&new), &mut old).unwrap();
        assert_eq!((size(&cluster, "v2"), size(&cluster, "v1")), (Some(2), Some(1)));
    }

    #[test]
    fn cleanup_keeps_the_history_limit_and_busy_replica_sets() {
        let run = |limit: i32, specs: &[(i32, i32)]| -> usize {
            let mut d = deployment(1, 0, 0);
            d.spec.revision_history_limit = Some(limit);
            let rss: Vec<ReplicaSet> = specs
                .iter()
                .enumerate()
                .map(|(i, (spec, status))| {
                    let mut rs = replica_set(&d, &format!("foo-{}", i + 1), *spec, 0, i as u64 + 1);
                    rs.status.replicas = *status;
                    rs
                })
                .collect();
            let mut cluster = cluster_with(&d, &rss);
            let mut s = sync_of(&mut cluster, d);
            cleanup_deployment(&mut s, &rss).unwrap();
            rss.len() - cluster.store.replicasets.len()
        };
        assert_eq!(run(1, &[(0, 0), (0, 0), (0, 0)]), 2);
        assert_eq!(run(0, &[(0, 0), (0, 1), (1, 0), (1, 1)]), 1);
        assert_eq!(run(0, &[(0, 0), (0, 0)]), 2);
        assert_eq!(run(0, &[(1, 1), (1, 1)]), 0);
        assert_eq!(run(i32::MAX, &[(0, 0), (0, 0), (0, 0)]), 0);
    }

    #[test]
    fn stale_copies_conflict() {
        let d = deployment(3, 1, 0);
        let rs = replica_set(&d, "v1", 3, 3, 1);
        let mut cluster = cluster_with(&d, std::slice::from_ref(&rs));
        let mut s = sync_of(&mut cluster, d);
        let (scaled, updated) = scale_replica_set(&mut s, &rs, 2).unwrap();
        assert!(scaled);
        assert_eq!(updated.metadata.generation, 2, "a spec change bumps the generation");
        // The copy read before that update is stale now; the fresh one is not.
        assert!(matches!(scale_replica_set(&mut s, &rs, 1), Err(SyncError::Conflict(_))));
        assert!(scale_replica_set(&mut s, &updated, 1).is_ok());
        // The first status update of a sync succeeds, later ones from the same copy conflict.
        s.d.status.replicas = 7;
        assert!(client::update_deployment_status(s.cluster, &s.d).is_ok());
        s.d.status.replicas = 8;
        assert!(matches!(client::update_deployment_status(s.cluster, &s.d), Err(SyncError::Conflict(_))));
    }
}
