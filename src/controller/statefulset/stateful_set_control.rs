//! `stateful_set_control.go`: one StatefulSet sync after its pods are claimed.
//!
//! The revisions decide the current and update templates; replicas in ordinal range are created (or replaced when
//! they failed or succeeded), then pods beyond the range are deleted, then a RollingUpdate deletes the highest
//! outdated pod at or above the partition. `OrderedReady` does all of this one pod at a time and waits for each
//! pod to be Running, Ready and Available; `Parallel` acts on every pod at once, in slow-start batches.

use crate::api::apps_v1::{ControllerRevision, StatefulSet, StatefulSetStatus};
use crate::api::core_v1::Pod;
use crate::api::labels::Selector;
use crate::cluster::{ApiError, Cluster};

use super::history;
use super::identity::{
    allows_burst, end_ordinal, identity_matches, in_ordinal_range, is_created, is_finished, is_healthy, is_pending,
    is_running_and_available, is_running_and_ready, is_terminating, new_versioned_pod, ordinal, pod_revision,
    start_ordinal, storage_matches,
};
use super::stateful_pod_control as pod_control;
use super::status;

/// `MaxBatchSize`: the largest slow-start batch in Parallel mode.
pub const MAX_BATCH_SIZE: usize = 500;

/// What a step of `runForAll` reports: whether a monotonic walk must stop, and any error.
type StepResult = (bool, Result<(), ApiError>);

/// `UpdateStatefulSet`: list and sort the revisions, perform the update (pods and status), then trim the history,
/// even when the update failed.
pub fn update_stateful_set(cluster: &mut Cluster, set: &StatefulSet, selector: &Selector, pods: &[Pod]) {
    let mut revisions = history::list(cluster, set, selector);
    history::sort(&mut revisions);
    let (current, update) = match revisions_for(cluster, set, &revisions) {
        Ok((current, update, collision_count)) => {
            let (status, _result) = update_pods(cluster, set, &current, &update, collision_count, pods);
            status::update(cluster, set, status);
            (Some(current), Some(update))
        }
        Err(_) => (None, None),
    };
    truncate_history(cluster, set, pods, &revisions, current.as_ref(), update.as_ref());
}

/// `getStatefulSetRevisions`: the current and update revisions and the collision count. The update revision is
/// the newest revision when its data equals the template's, an older equal revision renumbered as the newest (a
/// rollback), or a new revision. The current revision is the one `status.currentRevision` names, else the update
/// revision.
pub fn revisions_for(
    cluster: &mut Cluster,
    set: &StatefulSet,
    revisions: &[ControllerRevision],
) -> Result<(ControllerRevision, ControllerRevision, i32), ApiError> {
    let mut collision_count = set.status.collision_count.unwrap_or(0);
    let candidate = history::new_revision(set, history::next_revision(revisions), collision_count);
    let equal = history::find_equal(revisions, &candidate);
    let update = match (equal.last(), revisions.last()) {
        (Some(eq), Some(last)) if history::equal_revision(last, eq) => last.clone(),
        (Some(eq), _) => history::update_revision_number(cluster, eq, candidate.revision),
        (None, _) => history::create(cluster, set, &candidate, &mut collision_count)?,
    };
    let current = revisions
        .iter()
        .find(|r| r.metadata.name == set.status.current_revision)
        .cloned()
        .unwrap_or_else(|| update.clone());
    Ok((current, update, collision_count))
}

/// `truncateHistory`: delete the oldest revisions that no pod, nor the current or update revision, refers to,
/// until at most `revisionHistoryLimit` of them remain. `revisions` is the sorted list read before the update.
pub fn truncate_history(
    cluster: &mut Cluster,
    set: &StatefulSet,
    pods: &[Pod],
    revisions: &[ControllerRevision],
    current: Option<&ControllerRevision>,
    update: Option<&ControllerRevision>,
) {
    let mut live: Vec<&str> = pods.iter().map(pod_revision).collect();
    live.extend(current.map(|r| r.metadata.name.as_str()));
    live.extend(update.map(|r| r.metadata.name.as_str()));
    let history: Vec<&ControllerRevision> =
        revisions.iter().filter(|r| !live.contains(&r.metadata.name.as_str())).collect();
    let limit = set.spec.revision_history_limit.unwrap_or(10);
    if limit < 0 || history.len() <= limit as usize {
        return;
    }
    let doomed = history.len() - limit as usize;
    for rev in &history[..doomed] {
        history::delete(cluster, rev);
    }
}

/// The pods `updateStatefulSet` works on: one per ordinal in range (existing, or to be created) and the condemned
/// ones beyond it, highest ordinal first.
struct Pods {
    replicas: Vec<Pod>,
    condemned: Vec<Pod>,
    /// The name of the first pod that is not healthy: the lowest replica, else the lowest condemned pod.
    first_unhealthy: Option<String>,
}

impl Pods {
    fn all(&self) -> Vec<&Pod> {
        self.replicas.iter().chain(&self.condemned).collect()
    }
}

/// Sort the set's pods into replicas and condemned pods, filling the missing ordinals with new pods at the right
/// revision.
fn partition_pods(
    set: &StatefulSet,
    current_set: &StatefulSet,
    update_set: &StatefulSet,
    current: &ControllerRevision,
    update: &ControllerRevision,
    pods: &[Pod],
) -> Pods {
    let start = start_ordinal(set);
    let end = end_ordinal(set);
    let mut slots: Vec<Option<Pod>> = vec![None; (end - start + 1).max(0) as usize];
    let mut condemned = Vec::new();
    for pod in pods {
        if in_ordinal_range(pod, set) {
            slots[(ordinal(pod) - start) as usize] = Some(pod.clone());
        } else if ordinal(pod) >= 0 {
            condemned.push(pod.clone());
        }
    }
    let replicas: Vec<Pod> = slots
        .into_iter()
        .enumerate()
        .map(|(i, slot)| {
            slot.unwrap_or_else(|| {
                new_versioned_pod(
                    current_set,
                    update_set,
                    &current.metadata.name,
                    &update.metadata.name,
                    start + i as i64,
                )
            })
        })
        .collect();
    condemned.sort_by_key(|p| std::cmp::Reverse(ordinal(p)));
    let first_unhealthy =
        replicas.iter().chain(condemned.iter().rev()).find(|p| !is_healthy(p)).map(|p| p.metadata.name.clone());
    Pods { replicas, condemned, first_unhealthy }
}

/// `updateStatefulSet`: create, replace, delete and update pods; returns the status to record and the error the
/// sync ends with.
pub fn update_pods(
    cluster: &mut Cluster,
    set: &StatefulSet,
    current: &ControllerRevision,
    update: &ControllerRevision,
    collision_count: i32,
    pods: &[Pod],
) -> (StatefulSetStatus, Result<(), ApiError>) {
    let current_set = history::apply_revision(set, current);
    let update_set = history::apply_revision(set, update);
    let now = cluster.store().created();
    let min_ready = set.spec.min_ready_seconds;
    let (cur_name, upd_name) = (current.metadata.name.as_str(), update.metadata.name.as_str());

    let mut status = StatefulSetStatus {
        observed_generation: set.metadata.generation,
        current_revision: cur_name.to_owned(),
        update_revision: upd_name.to_owned(),
        collision_count: Some(collision_count),
        ..Default::default()
    };
    status::recount(&mut status, min_ready, now, cur_name, upd_name, &pods.iter().collect::<Vec<_>>());

    let sorted = partition_pods(set, &current_set, &update_set, current, update, pods);
    if set.metadata.deletion_timestamp.is_some() {
        return (status, Ok(()));
    }
    let monotonic = !allows_burst(set);

    let (exit, result) = run_for_all(sorted.replicas.len(), monotonic, &mut |i| {
        process_replica(cluster, set, &update_set, monotonic, &sorted.replicas[i])
    });
    if exit || result.is_err() {
        status::recount(&mut status, min_ready, now, cur_name, upd_name, &sorted.all());
        return (status, result);
    }

    // Claims always match their retention policy in the model (see `stateful_pod_control`), so the condemned
    // pods' claims need no fixing here.

    let first_unhealthy = sorted.first_unhealthy.as_deref();
    let (exit, result) = run_for_all(sorted.condemned.len(), monotonic, &mut |i| {
        process_condemned(cluster, set, first_unhealthy, monotonic, &sorted.condemned[i])
    });
    if exit || result.is_err() {
        status::recount(&mut status, min_ready, now, cur_name, upd_name, &sorted.all());
        return (status, result);
    }

    status::recount(&mut status, min_ready, now, cur_name, upd_name, &sorted.all());
    if set.spec.update_strategy.r#type == "OnDelete" {
        return (status, Ok(()));
    }
    let result = rolling_update(cluster, set, upd_name, &sorted.replicas, &mut status);
    (status, result)
}

/// The RollingUpdate step with `MaxUnavailableStatefulSet` off: from the highest ordinal down to the partition,
/// delete the first pod not at the update revision (it comes back at the update revision next sync), or wait for
/// an updated pod that is not healthy yet.
fn rolling_update(
    cluster: &mut Cluster,
    set: &StatefulSet,
    update_revision: &str,
    replicas: &[Pod],
    status: &mut StatefulSetStatus,
) -> Result<(), ApiError> {
    let update_min =
        set.spec.update_strategy.rolling_update.as_ref().map_or(0, |ru| i64::from(ru.partition.unwrap_or(0)));
    for target in (0..replicas.len()).rev().take_while(|&t| t as i64 >= update_min) {
        let pod = &replicas[target];
        if pod_revision(pod) != update_revision && !is_terminating(pod) {
            let result = match pod_control::delete_pod(cluster, set, pod) {
                Err(ApiError::NotFound(_)) => Ok(()),
                other => other,
            };
            status.current_replicas -= 1;
            return result;
        }
        if !is_healthy(pod) {
            return Ok(());
        }
    }
    Ok(())
}

/// `processReplica`: replace a finished pod, create a missing one, create a pending pod's missing claims, wait
/// (monotonic) for a pod that is terminating, not Running and Ready, or not Available, and restore a drifted
/// identity.
fn process_replica(
    cluster: &mut Cluster,
    set: &StatefulSet,
    update_set: &StatefulSet,
    monotonic: bool,
    pod: &Pod,
) -> StepResult {
    if is_finished(pod) {
        if pod.metadata.deletion_timestamp.is_none() {
            if let Err(e) = pod_control::delete_pod(cluster, set, pod) {
                return (true, Err(e));
            }
        }
        return (true, Ok(()));
    }
    if !is_created(pod) {
        if let Err(e) = pod_control::create_pod(cluster, set, pod) {
            return (true, Err(e));
        }
        if monotonic {
            return (true, Ok(()));
        }
    }
    if is_pending(pod) {
        if let Err(e) = pod_control::create_claims(cluster, set, pod) {
            return (true, Err(e));
        }
    }
    if monotonic {
        let now = cluster.store().created();
        if is_terminating(pod)
            || !is_running_and_ready(pod)
            || !is_running_and_available(pod, set.spec.min_ready_seconds, now)
        {
            return (true, Ok(()));
        }
    }
    if identity_matches(set, pod) && storage_matches(set, pod) {
        return (false, Ok(()));
    }
    match pod_control::update_pod(cluster, update_set, pod) {
        Ok(()) => (false, Ok(())),
        Err(e) => (true, Err(e)),
    }
}

/// `processCondemned`: delete a pod beyond the ordinal range; in monotonic mode only once it is healthy (or is the
/// first unhealthy pod), and only one per sync.
fn process_condemned(
    cluster: &mut Cluster,
    set: &StatefulSet,
    first_unhealthy: Option<&str>,
    monotonic: bool,
    pod: &Pod,
) -> StepResult {
    if is_terminating(pod) {
        return (monotonic, Ok(()));
    }
    let is_first_unhealthy = first_unhealthy == Some(pod.metadata.name.as_str());
    if monotonic && !is_first_unhealthy {
        let now = cluster.store().created();
        if !is_running_and_ready(pod) || !is_running_and_available(pod, set.spec.min_ready_seconds, now) {
            return (true, Ok(()));
        }
    }
    (true, pod_control::delete_pod(cluster, set, pod))
}

/// `runForAll`: in monotonic mode, one pod after the other until one says stop; otherwise all of them in
/// slow-start batches, stopping after a batch with an error. Returns whether to stop and the error.
fn run_for_all(n: usize, monotonic: bool, step: &mut dyn FnMut(usize) -> StepResult) -> StepResult {
    if monotonic {
        for i in 0..n {
            let (exit, result) = step(i);
            if exit || result.is_err() {
                return (true, result);
            }
        }
        return (false, Ok(()));
    }
    match slow_start_batch(1, n, &mut |i| step(i).1) {
        Ok(_) => (false, Ok(())),
        Err(e) => (true, Err(e)),
    }
}

/// `slowStartBatch`: batches of `initial`, twice that, and so on (at most [`MAX_BATCH_SIZE`]); every call of a
/// batch is made, and a batch with an error ends the walk with its first error. Returns the successes.
pub fn slow_start_batch(
    initial: usize,
    mut remaining: usize,
    step: &mut dyn FnMut(usize) -> Result<(), ApiError>,
) -> Result<usize, ApiError> {
    let mut successes = 0;
    let mut next = 0;
    let mut batch = remaining.min(initial);
    while batch > 0 {
        let mut first_error = None;
        for i in next..next + batch {
            match step(i) {
                Ok(()) => successes += 1,
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        next += batch;
        if let Some(e) = first_error {
            return Err(e);
        }
        remaining -= batch;
        batch = (2 * batch).min(remaining).min(MAX_BATCH_SIZE);
    }
    Ok(successes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slow_start_batches_double_and_stop_after_a_failed_batch() {
        let mut seen = Vec::new();
        let n = slow_start_batch(1, 10, &mut |i| {
            seen.push(i);
            Ok(())
        })
        .unwrap();
        assert_eq!(n, 10);
        assert_eq!(seen, (0..10).collect::<Vec<_>>());

        let mut seen = Vec::new();
        let r = slow_start_batch(1, 10, &mut |i| {
            seen.push(i);
            if i == 1 {
                Err(ApiError::Client("no".into()))
            } else {
                Ok(())
            }
        });
        assert!(r.is_err());
        // Batches 1 and 2 ran (indices 0, 1, 2); the batch of 4 did not.
        assert_eq!(seen, [0, 1, 2]);
    }

    #[test]
    fn monotonic_walk_stops_at_the_first_exit() {
        let mut seen = Vec::new();
        let (exit, _) = run_for_all(5, true, &mut |i| {
            seen.push(i);
            (i == 2, Ok(()))
        });
        assert!(exit);
        assert_eq!(seen, [0, 1, 2]);
        // Parallel ignores exit signals.
        let mut seen = Vec::new();
        let (exit, _) = run_for_all(5, false, &mut |i| {
            seen.push(i);
            (true, Ok(()))
        });
        assert!(!exit);
        assert_eq!(seen.len(), 5);
    }
}
