//! Counting finished pods (`job_controller.go:trackJobStatusAndRemoveFinalizers`,
//! `flushUncountedAndRemoveFinalizers`, `cleanUncountedPodsWithoutFinalizers`, `canRemoveFinalizer`,
//! `enactJobFinished`, `recordJobFinished`).
//!
//! A finished pod still carrying the tracking finalizer is first listed in `status.uncountedTerminatedPods` (for
//! Indexed Jobs, its index goes to `status.completedIndexes`), the status is written, the finalizer removed, and
//! then the pod moves from the uncounted list to `succeeded` or `failed`. The interim `SuccessCriteriaMet` or
//! `FailureTarget` condition is written with that first flush; `Complete` or `Failed` follows once nothing is
//! uncounted or terminating, with the `Completed "Job completed"` event (or a Warning with the failure reason).

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::api::batch_v1::{Job, JobStatus};
use crate::api::core_v1::Pod;
use crate::api::Object;
use crate::cluster::{Cluster, Concurrency, Key};

use super::conditions::{self, is_success_criteria_met};
use super::indexed::{self, completion_index};
use super::pods::{self, has_tracking_finalizer, is_pod_failed};
use super::{involved, pod_failure_policy, write_status, State, SyncCtx, COMPONENT, MAX_UNCOUNTED_PODS};

/// `trackJobStatusAndRemoveFinalizers`.
pub fn track_status(state: &mut State, cluster: &mut Cluster, key: &Key, ctx: &mut SyncCtx, mut needs_flush: bool) {
    let is_indexed = indexed::is_indexed(&ctx.job);
    let completions = indexed::completions(&ctx.job);
    if is_indexed {
        ctx.pods.sort_by_key(|p| completion_index(p).unwrap_or(-1));
    }
    let mut with_finalizer: BTreeSet<String> =
        ctx.pods.iter().filter(|p| has_tracking_finalizer(p)).map(|p| p.metadata.uid.clone()).collect();
    let mut old_counters = ctx.job.status.clone();
    if clean_uncounted(&mut ctx.job.status, &with_finalizer) {
        needs_flush = true;
    }
    let mut to_remove: Vec<Pod> = Vec::new();
    let mut new_succeeded_indexes: Vec<i32> = Vec::new();
    let mut reached_max = false;
    for pod in &ctx.pods {
        if !has_tracking_finalizer(pod) {
            continue;
        }
        let considered_failed = is_pod_failed(pod, &ctx.job);
        if !can_remove_finalizer(ctx, pod, considered_failed) {
            continue;
        }
        to_remove.push(pod.clone());
        let uid = &pod.metadata.uid;
        let uncounted = ctx.job.status.uncounted_terminated_pods.get_or_insert_with(Default::default);
        if pod.status.phase == "Succeeded" && !ctx.uncounted_failed.contains(uid) {
            if is_indexed {
                if let Some(ix) = indexed::index_in_range(pod, completions) {
                    if !ctx.prev_succeeded_indexes.has(ix) {
                        new_succeeded_indexes.push(ix);
                        needs_flush = true;
                    }
                }
            } else if !ctx.uncounted_succeeded.contains(uid) {
                needs_flush = true;
                uncounted.succeeded.push(uid.clone());
            }
        } else if considered_failed || ctx.finished.as_ref().is_some_and(|f| !is_success_criteria_met(Some(f))) {
            let index_ok = !is_indexed || indexed::index_in_range(pod, completions).is_some();
            if !ctx.uncounted_failed.contains(uid) && index_ok {
                let counted = ctx
                    .job
                    .spec
                    .pod_failure_policy
                    .as_deref()
                    .is_none_or(|policy| pod_failure_policy::matches(policy, pod).count_failed);
                if counted {
                    needs_flush = true;
                    uncounted.failed.push(uid.clone());
                }
            }
        }
        if new_succeeded_indexes.len() + uncounted.succeeded.len() + uncounted.failed.len() >= MAX_UNCOUNTED_PODS {
            reached_max = true;
            break;
        }
    }
    if is_indexed {
        new_succeeded_indexes.sort_unstable();
        ctx.succeeded_indexes = ctx.succeeded_indexes.with_ordered_indexes(&new_succeeded_indexes);
        let text = ctx.succeeded_indexes.to_string();
        if text != ctx.job.status.completed_indexes {
            needs_flush = true;
        }
        ctx.job.status.succeeded = ctx.succeeded_indexes.total();
        ctx.job.status.completed_indexes = text;
        let failed_text = ctx.failed_indexes.as_ref().map(ToString::to_string);
        if ctx.job.status.failed_indexes != failed_text {
            ctx.job.status.failed_indexes = failed_text;
            needs_flush = true;
        }
    }
    if let Some(f) = ctx.finished.clone().filter(|f| f.r#type == conditions::FAILURE_TARGET) {
        ctx.job.status.conditions.push(f.clone());
        needs_flush = true;
        ctx.finished = Some(conditions::failed_for_target(&f, &ctx.now_time));
    }
    if let Some(f) = ctx.finished.clone().filter(|f| is_success_criteria_met(Some(f))) {
        if conditions::success_criteria_met(&ctx.job).is_none() {
            ctx.job.status.conditions.push(f.clone());
            needs_flush = true;
        }
        ctx.finished =
            Some(conditions::new_condition(conditions::COMPLETE, "True", &f.reason, &f.message, &ctx.now_time));
    }
    needs_flush =
        flush_and_remove_finalizers(state, cluster, key, ctx, &to_remove, &mut with_finalizer, &mut old_counters, needs_flush);
    let finished = !reached_max && enact_finished(ctx);
    if finished {
        needs_flush = true;
    }
    if needs_flush {
        ctx.job = write_status(cluster, &ctx.job);
        if finished {
            record_finished(cluster, ctx);
        }
    }
}

/// `canRemoveFinalizer`: the Job is going away or has an outcome, the pod succeeded, or it failed and its
/// index does not keep it until its replacement exists.
fn can_remove_finalizer(ctx: &SyncCtx, pod: &Pod, considered_failed: bool) -> bool {
    if ctx.job.metadata.deletion_timestamp.is_some() || ctx.finished.is_some() || pod.status.phase == "Succeeded" {
        return true;
    }
    if !considered_failed {
        return false;
    }
    if indexed::has_backoff_limit_per_index(&ctx.job) {
        if let Some(ix) = completion_index(pod) {
            if ctx.delayed_deletion.get(&ix).is_some_and(|p| p.metadata.uid == pod.metadata.uid) {
                return false;
            }
        }
    }
    true
}

/// `flushUncountedAndRemoveFinalizers`: write the status (with the new uncounted pods and any interim
/// condition), store the backoff record, remove the finalizers, and move the pods whose finalizer is gone to the
/// counters. Returns whether the status still needs writing.
#[allow(clippy::too_many_arguments)]
fn flush_and_remove_finalizers(
    state: &mut State,
    cluster: &mut Cluster,
    key: &Key,
    ctx: &mut SyncCtx,
    to_remove: &[Pod],
    with_finalizer: &mut BTreeSet<String>,
    old_counters: &mut JobStatus,
    mut needs_flush: bool,
) -> bool {
    if needs_flush {
        ctx.job = write_status(cluster, &ctx.job);
        state.backoff.insert(key.clone(), ctx.new_backoff.clone());
        *old_counters = ctx.job.status.clone();
        needs_flush = false;
    }
    for pod in to_remove {
        remove_finalizer(cluster, pod);
        with_finalizer.remove(&pod.metadata.uid);
    }
    if clean_uncounted(&mut ctx.job.status, with_finalizer) {
        needs_flush = true;
    }
    needs_flush
}

/// The finalizer-removal patch; a pod that is already gone counts as done.
fn remove_finalizer(cluster: &mut Cluster, pod: &Pod) {
    let key = (pod.metadata.namespace.clone(), pod.metadata.name.clone());
    let Some(mut stored) = cluster.store().by_key::<Pod>(&key).cloned() else { return };
    if stored.metadata.uid != pod.metadata.uid {
        return;
    }
    stored.metadata.finalizers.retain(|f| f != pods::TRACKING_FINALIZER);
    let _ = cluster.patch(Object::Pod(Arc::new(stored)), Concurrency::Unchecked);
}

/// `cleanUncountedPodsWithoutFinalizers`: uncounted pods whose finalizer is gone move to `succeeded` and
/// `failed`. Returns whether the status changed.
pub fn clean_uncounted(status: &mut JobStatus, with_finalizer: &BTreeSet<String>) -> bool {
    let Some(uncounted) = status.uncounted_terminated_pods.as_deref_mut() else { return false };
    let mut changed = false;
    let before = uncounted.succeeded.len();
    uncounted.succeeded.retain(|u| with_finalizer.contains(u));
    if uncounted.succeeded.len() != before {
        changed = true;
        status.succeeded += (before - uncounted.succeeded.len()) as i32;
    }
    let before = uncounted.failed.len();
    uncounted.failed.retain(|u| with_finalizer.contains(u));
    if uncounted.failed.len() != before {
        changed = true;
        status.failed += (before - uncounted.failed.len()) as i32;
    }
    changed
}

/// `enactJobFinished`: add the terminal condition once no pod is uncounted or terminating. Returns whether the
/// Job finished.
fn enact_finished(ctx: &mut SyncCtx) -> bool {
    let Some(finished) = ctx.finished.clone() else { return false };
    let uncounted = ctx.job.status.uncounted_terminated_pods.as_deref();
    if uncounted.is_some_and(|u| !u.succeeded.is_empty() || !u.failed.is_empty()) {
        return false;
    }
    if ctx.terminating > 0 {
        return false;
    }
    conditions::ensure(
        &mut ctx.job.status.conditions,
        &finished.r#type,
        &finished.status,
        &finished.reason,
        &finished.message,
        &ctx.now_time,
    );
    if finished.r#type == conditions::COMPLETE {
        ctx.job.status.completion_time = Some(finished.last_transition_time.clone());
    }
    true
}

/// `recordJobFinished`: `Completed "Job completed"` (after `TooManySucceededPods` when more pods succeeded than
/// asked), or a Warning with the failure's reason and message.
fn record_finished(cluster: &mut Cluster, ctx: &SyncCtx) {
    let Some(finished) = ctx.finished.as_ref() else { return };
    let job: &Job = &ctx.job;
    if finished.r#type == conditions::COMPLETE {
        if job.spec.completions.is_some_and(|c| job.status.succeeded > c) {
            cluster.rec.event(
                COMPONENT,
                "Warning",
                "TooManySucceededPods",
                involved(job),
                "Too many succeeded pods running after completion count reached".into(),
            );
        }
        cluster.rec.event(COMPONENT, "Normal", "Completed", involved(job), "Job completed".into());
    } else {
        cluster.rec.event(COMPONENT, "Warning", &finished.reason, involved(job), finished.message.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::batch_v1::UncountedTerminatedPods;

    #[test]
    fn uncounted_pods_without_finalizers_move_to_the_counters() {
        let mut status = JobStatus {
            succeeded: 2,
            uncounted_terminated_pods: Some(Box::new(UncountedTerminatedPods {
                succeeded: vec!["a".into(), "b".into()],
                failed: vec!["c".into()],
            })),
            ..Default::default()
        };
        let with: BTreeSet<String> = ["b".to_owned()].into_iter().collect();
        assert!(clean_uncounted(&mut status, &with));
        assert_eq!((status.succeeded, status.failed), (3, 1));
        let u = status.uncounted_terminated_pods.as_deref().unwrap();
        assert_eq!(u.succeeded, ["b"]);
        assert!(u.failed.is_empty());
        assert!(!clean_uncounted(&mut status, &with));
    }
}
