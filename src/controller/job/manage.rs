//! `manageJob`: bring the number of active pods to what the Job wants (`job_controller.go:manageJob`,
//! `activePodsForRemoval`, `deleteJobPods`, `deleteActivePods`, `getPodCreationInfoForIndependentIndexes`;
//! `indexed_job_utils.go:getPodsWithDelayedDeletionPerIndex`).
//!
//! `wantActive` is `parallelism` (until the first success when `completions` is unset), capped by the
//! completions still missing. Excess pods are deleted (duplicated or invalid indexes first, then in
//! `ActivePods` order); missing ones are created in slow-start batches of 1, 2, 4, ..., at most 500 per sync,
//! unless the Job is backing off after failures.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::api::batch_v1::Job;
use crate::api::core_v1::Pod;
use crate::api::{GroupKind, Object};
use crate::cluster::{Cluster, Concurrency};
use crate::controller::util::{self, Owner};
use crate::helpers::pod::is_pod_ready;

use super::indexed::{self, completion_index};
use super::pods::{self, active_pods_cmp, has_tracking_finalizer};
use super::{backoff, SyncCtx, COMPONENT, MAX_POD_CREATE_DELETE_PER_SYNC};

/// `wantActive`: how many pods should be running now.
pub fn want_active(job: &Job, active: i32, succeeded: i32) -> i32 {
    let parallelism = job.spec.parallelism.unwrap_or(1);
    match job.spec.completions {
        None if succeeded > 0 => active,
        None => parallelism,
        Some(c) => (c - succeeded).min(parallelism).max(0),
    }
}

/// `manageJob`: returns the number of active pods after this sync's creations and deletions.
pub fn manage_job(cluster: &mut Cluster, ctx: &mut SyncCtx) -> i32 {
    let job = ctx.job.clone();
    let mut active = ctx.active.len() as i32;
    let active_pods: Vec<Pod> = ctx.active_pods().into_iter().cloned().collect();

    if super::suspended(&job) {
        let doomed = active_pods_for_removal(&job, &active_pods, active as usize);
        let (removed_ready, removed) = delete_job_pods(cluster, &job, &doomed);
        ctx.terminating += removed;
        ctx.ready -= removed_ready;
        return active - removed;
    }

    let want = want_active(&job, active, ctx.succeeded);
    let rm_at_least = (active - want).max(0) as usize;
    let mut doomed = active_pods_for_removal(&job, &active_pods, rm_at_least);
    doomed.truncate(MAX_POD_CREATE_DELETE_PER_SYNC as usize);
    if !doomed.is_empty() {
        let (removed_ready, removed) = delete_job_pods(cluster, &job, &doomed);
        ctx.terminating += removed;
        ctx.ready -= removed_ready;
        return active - removed;
    }

    let terminating = if pods::only_replace_failed_pods(&job) { ctx.terminating } else { 0 };
    let mut diff = want - terminating - active;
    if diff <= 0 {
        return active;
    }
    if !indexed::has_backoff_limit_per_index(&job) && ctx.new_backoff.remaining(ctx.now) > 0 {
        // Go requeues the Job for later and reports no active pods for this sync.
        return 0;
    }
    diff = diff.min(MAX_POD_CREATE_DELETE_PER_SYNC);

    let mut indexes: Vec<i32> = Vec::new();
    if indexed::is_indexed(&job) {
        let completions = indexed::completions(&job);
        let active_refs: Vec<&Pod> = active_pods.iter().collect();
        let terminating_pods: Vec<&Pod> = ctx.pods.iter().filter(|p| pods::is_terminating(p)).collect();
        let terminating_refs = pods::only_replace_failed_pods(&job).then_some(terminating_pods.as_slice());
        indexes = indexed::first_pending_indexes(
            &ctx.succeeded_indexes,
            &active_refs,
            terminating_refs,
            ctx.failed_indexes.as_ref(),
            diff,
            completions,
        );
        if indexed::has_backoff_limit_per_index(&job) {
            let (now_indexes, wait) = creatable_indexes(ctx, &indexes);
            if wait > 0 {
                return 0;
            }
            indexes = now_indexes;
        }
        diff = indexes.len() as i32;
    }
    active += diff;
    create_pods(cluster, ctx, &job, diff, &indexes, &mut active);
    active
}

/// The creation loop of `manageJob`: slow-start batches; after a batch with a failure the remaining pods are
/// not attempted (and not counted active).
fn create_pods(cluster: &mut Cluster, ctx: &SyncCtx, job: &Job, mut diff: i32, indexes: &[i32], active: &mut i32) {
    let owner = Owner::of(GroupKind::Job, &job.metadata);
    let mut template = job.spec.template.clone();
    if indexed::is_indexed(job) {
        indexed::add_completion_index_env(&mut template);
    }
    if !template.metadata.finalizers.iter().any(|f| f == pods::TRACKING_FINALIZER) {
        template.metadata.finalizers.push(pods::TRACKING_FINALIZER.into());
    }
    let mut next_index = indexes.iter();
    let mut batch = diff.min(1);
    let mut errors = 0;
    while diff > 0 {
        let errors_before = errors;
        for _ in 0..batch {
            let mut t = template.clone();
            let mut generate_name = String::new();
            if let Some(&ix) = next_index.next() {
                indexed::set_completion_index(&mut t, &job.metadata.name, ix);
                generate_name = indexed::generate_name_with_index(&job.metadata.name, ix);
                if indexed::has_backoff_limit_per_index(job) {
                    indexed::add_index_failure_count(&mut t, job, ctx.delayed_deletion.get(&ix));
                }
            }
            let mut pod = util::pod_from_template(&t, &owner);
            if !generate_name.is_empty() {
                pod.metadata.generate_name = generate_name;
            }
            if util::create_pod(cluster, pod, &owner, COMPONENT).is_err() {
                *active -= 1;
                errors += 1;
            }
        }
        let skipped = diff - batch;
        if errors > errors_before && skipped > 0 {
            *active -= skipped;
            break;
        }
        diff -= batch;
        batch = (2 * batch).min(diff);
    }
}

/// `activePodsForRemoval`: for Indexed Jobs every pod with a duplicated, missing or out-of-range index, then (or
/// for NonIndexed Jobs only) the first pods in `ActivePods` order until `rm_at_least` are chosen.
pub fn active_pods_for_removal(job: &Job, pods: &[Pod], rm_at_least: usize) -> Vec<Pod> {
    let refs: Vec<&Pod> = pods.iter().collect();
    let (mut rm, mut left) = if indexed::is_indexed(job) {
        indexed::split_duplicated_indexes(&refs, indexed::completions(job))
    } else {
        (Vec::new(), refs)
    };
    if rm.len() < rm_at_least {
        left.sort_by(|a, b| active_pods_cmp(a, b));
        let more = (rm_at_least - rm.len()).min(left.len());
        rm.extend(left.drain(..more));
    }
    rm.into_iter().cloned().collect()
}

/// `deleteJobPods`: remove each pod's tracking finalizer (so it is not counted as failed), then delete it.
/// Returns the deleted pods that were ready and all deleted pods.
pub fn delete_job_pods(cluster: &mut Cluster, job: &Job, doomed: &[Pod]) -> (i32, i32) {
    let owner = Owner::of(GroupKind::Job, &job.metadata);
    let (mut ready, mut deleted) = (0, 0);
    for pod in doomed {
        let key = (pod.metadata.namespace.clone(), pod.metadata.name.clone());
        if has_tracking_finalizer(pod) {
            if let Some(mut stored) = cluster.store().by_key::<Pod>(&key).cloned() {
                stored.metadata.finalizers.retain(|f| f != pods::TRACKING_FINALIZER);
                let _ = cluster.patch(Object::Pod(Arc::new(stored)), Concurrency::Unchecked);
            }
        }
        util::delete_pod(cluster, &job.metadata.namespace, &pod.metadata.name, &owner, COMPONENT);
        deleted += 1;
        if is_pod_ready(pod) {
            ready += 1;
        }
    }
    (ready, deleted)
}

/// `deleteActivePods`: delete the active pods of a Job that has failed or succeeded, keeping their finalizers
/// (they are counted when they are gone). Returns the deleted ready pods and all deleted pods.
pub fn delete_active_pods(cluster: &mut Cluster, job: &Job, doomed: &[Pod]) -> (i32, i32) {
    let owner = Owner::of(GroupKind::Job, &job.metadata);
    let (mut ready, mut deleted) = (0, 0);
    for pod in doomed {
        util::delete_pod(cluster, &job.metadata.namespace, &pod.metadata.name, &owner, COMPONENT);
        deleted += 1;
        if is_pod_ready(pod) {
            ready += 1;
        }
    }
    (ready, deleted)
}

/// `getPodsWithDelayedDeletionPerIndex`: per index that is neither done, failed nor active, the failed pod whose
/// finalizer is kept until its replacement carries its failure count (the latest, most-failed one).
pub fn pods_with_delayed_deletion(ctx: &SyncCtx) -> BTreeMap<i32, Pod> {
    let completions = indexed::completions(&ctx.job);
    let active: Vec<i32> = ctx.active_pods().iter().filter_map(|p| completion_index(p)).collect();
    let mut out: BTreeMap<i32, Pod> = BTreeMap::new();
    let none = Default::default();
    for p in super::valid_pods(ctx, &none, |p| pods::is_pod_failed(p, &ctx.job)) {
        let Some(ix) = indexed::index_in_range(p, completions) else { continue };
        let failed = ctx.failed_indexes.as_ref().is_some_and(|f| f.has(ix));
        if ctx.succeeded_indexes.has(ix) || failed || active.contains(&ix) {
            continue;
        }
        match out.get(&ix) {
            Some(last)
                if !(indexed::index_absolute_failure_count(last) <= indexed::index_absolute_failure_count(p)
                    && pods::finished_time(p) >= pods::finished_time(last)) => {}
            _ => {
                out.insert(ix, p.clone());
            }
        }
    }
    out
}

/// `getPodCreationInfoForIndependentIndexes`: the indexes whose own backoff is over, or, when none is, the
/// shortest wait.
fn creatable_indexes(ctx: &SyncCtx, indexes: &[i32]) -> (Vec<i32>, u64) {
    let mut now_indexes = Vec::new();
    let mut min_wait: Option<u64> = None;
    for &ix in indexes {
        let wait = ctx.delayed_deletion.get(&ix).map_or(0, |p| {
            let failures = indexed::index_absolute_failure_count(p) + 1;
            backoff::remaining(ctx.now, failures, Some(pods::finished_time(p)))
        });
        if wait == 0 {
            now_indexes.push(ix);
        } else {
            min_wait = Some(min_wait.map_or(wait, |m| m.min(wait)));
        }
    }
    if now_indexes.is_empty() {
        (now_indexes, min_wait.unwrap_or(0))
    } else {
        (now_indexes, 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(completions: Option<i32>, parallelism: i32) -> Job {
        let mut j = Job::default();
        j.spec.completions = completions;
        j.spec.parallelism = Some(parallelism);
        j
    }

    #[test]
    fn want_active_arithmetic() {
        // completions 5, parallelism 2: two at a time until fewer remain.
        assert_eq!(want_active(&job(Some(5), 2), 0, 0), 2);
        assert_eq!(want_active(&job(Some(5), 2), 0, 4), 1);
        assert_eq!(want_active(&job(Some(5), 2), 0, 5), 0);
        assert_eq!(want_active(&job(Some(5), 2), 0, 7), 0, "never negative");
        // No completions: parallelism until the first success, then whatever is still running.
        assert_eq!(want_active(&job(None, 3), 0, 0), 3);
        assert_eq!(want_active(&job(None, 3), 2, 1), 2);
        assert_eq!(want_active(&job(None, 3), 0, 1), 0);
    }

    #[test]
    fn removal_takes_least_progressed_pods_first() {
        let mut a = Pod::default();
        a.metadata.name = "running".into();
        a.spec.node_name = "n".into();
        a.status.phase = "Running".into();
        let mut b = Pod::default();
        b.metadata.name = "unscheduled".into();
        b.status.phase = "Pending".into();
        let j = job(Some(5), 2);
        let rm = active_pods_for_removal(&j, &[a.clone(), b.clone()], 1);
        assert_eq!(rm.len(), 1);
        assert_eq!(rm[0].metadata.name, "unscheduled");
        assert!(active_pods_for_removal(&j, &[a, b], 0).is_empty());
    }
}
