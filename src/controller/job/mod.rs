//! The Job controller (`pkg/controller/job/job_controller.go`), as v1.32 runs it with its default gates
//! (JobManagedBy, JobPodReplacementPolicy, JobBackoffLimitPerIndex, JobSuccessPolicy and PodIndexLabel on).
//!
//! One sync (`syncJob`): claim the pods (adoption adds the `batch.kubernetes.io/job-tracking` finalizer), count
//! what finished since the last sync, decide whether the Job failed or succeeded, otherwise
//! [`manage::manage_job`] creates or deletes pods to reach the wanted number of active ones; then
//! [`tracking::track_status`] records finished pods through `status.uncountedTerminatedPods`, removes their
//! finalizers, moves them to the counters, and adds the conditions.
//!
//! The model's informers are synchronous, so creation, deletion and finalizer-removal expectations are always
//! satisfied by the next sync. Times are the model's logical clock (one second per object created).

pub mod backoff;
pub mod conditions;
pub mod indexed;
pub mod manage;
pub mod pod_failure_policy;
pub mod pods;
pub mod success_policy;
pub mod tracking;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::api::batch_v1::{Job, JobCondition, UncountedTerminatedPods};
use crate::api::core_v1::Pod;
use crate::api::labels::Selector;
use crate::api::{GroupKind, Object, Time};
use crate::cluster::{Cluster, Concurrency, InvolvedObject, Key};
use crate::controller::util::{self, Owner};
use crate::helpers::pod::is_pod_ready;

use indexed::Intervals;

pub const COMPONENT: &str = "job-controller";
/// `batch.JobControllerName`: the `spec.managedBy` value that means this controller.
pub const CONTROLLER_NAME: &str = "kubernetes.io/job-controller";
/// `MaxPodCreateDeletePerSync`.
pub const MAX_POD_CREATE_DELETE_PER_SYNC: i32 = 500;
/// `MaxUncountedPods`.
pub const MAX_UNCOUNTED_PODS: usize = 500;

/// What the controller remembers between syncs beyond the store: the pod-failure backoff record per Job.
#[derive(Clone, Debug, Default)]
pub struct State {
    pub backoff: BTreeMap<Key, backoff::Record>,
}

/// Sync every Job, in namespace/name order.
pub fn sync_all(state: &mut State, cluster: &mut Cluster) {
    let keys: Vec<Key> = cluster.store().keys(GroupKind::Job).cloned().collect();
    for key in keys {
        sync_job(state, cluster, &key);
    }
    clean_orphan_pods(cluster);
}

/// The orphan worker (`syncOrphanPod`, `handleSingleOrphanPod`): a pod that still carries the tracking finalizer
/// but no longer belongs to a running Job (its Job is gone, finished, or released it) loses the finalizer. Go
/// queues such pods from its pod and Job event handlers; the model looks at every pod once per round, after the
/// Job syncs.
fn clean_orphan_pods(cluster: &mut Cluster) {
    let orphans: Vec<Key> = cluster
        .store()
        .entries::<Pod>()
        .filter(|(_, p)| pods::has_tracking_finalizer(p) && !belongs_to_running_job(cluster, p))
        .map(|(k, _)| k.clone())
        .collect();
    for key in orphans {
        let Some(mut pod) = cluster.store().by_key::<Pod>(&key).cloned() else { continue };
        pod.metadata.finalizers.retain(|f| f != pods::TRACKING_FINALIZER);
        let _ = cluster.patch(Object::Pod(Arc::new(pod)), Concurrency::Unchecked);
    }
}

/// Whether `handleSingleOrphanPod` leaves the pod's finalizer alone: its controller is not a batch/v1 Job, or is
/// a Job another controller manages, or a Job that has not finished.
fn belongs_to_running_job(cluster: &Cluster, pod: &Pod) -> bool {
    let Some(r) = crate::api::controller_of(&pod.metadata) else { return false };
    if r.kind != "Job" || r.api_version != "batch/v1" {
        return true;
    }
    let job =
        cluster.store().by_key::<Job>(&(pod.metadata.namespace.clone(), r.name.clone())).filter(|j| j.metadata.uid == r.uid);
    match job {
        Some(j) if managed_elsewhere(j) => true,
        Some(j) => !conditions::is_finished(j),
        None => false,
    }
}

/// `syncJobCtx`: what one sync knows about the Job and its pods.
#[derive(Clone, Debug)]
pub struct SyncCtx {
    /// The Job as this sync changes it (its status is written back).
    pub job: Job,
    pub pods: Vec<Pod>,
    /// Indexes into `pods` of the active pods.
    pub active: Vec<usize>,
    pub ready: i32,
    /// `status.uncountedTerminatedPods` as the sync found it.
    pub uncounted_succeeded: BTreeSet<String>,
    pub uncounted_failed: BTreeSet<String>,
    /// Pods being deleted (tracked: the JobPodReplacementPolicy gate is on).
    pub terminating: i32,
    pub succeeded: i32,
    pub failed: i32,
    pub finished: Option<JobCondition>,
    pub prev_succeeded_indexes: Intervals,
    pub succeeded_indexes: Intervals,
    pub failed_indexes: Option<Intervals>,
    pub delayed_deletion: BTreeMap<i32, Pod>,
    pub new_backoff: backoff::Record,
    /// The model clock, in seconds, and as a time.
    pub now: u64,
    pub now_time: Time,
}

impl SyncCtx {
    pub fn active_pods(&self) -> Vec<&Pod> {
        self.active.iter().map(|&i| &self.pods[i]).collect()
    }
}

/// The Job as an event's object.
pub fn involved(job: &Job) -> InvolvedObject {
    InvolvedObject { kind: "Job".into(), namespace: job.metadata.namespace.clone(), name: job.metadata.name.clone() }
}

/// `managedByExternalController`: another controller's `spec.managedBy`.
fn managed_elsewhere(job: &Job) -> bool {
    job.spec.managed_by.as_deref().is_some_and(|m| m != CONTROLLER_NAME)
}

/// `jobSuspended`.
pub fn suspended(job: &Job) -> bool {
    job.spec.suspend == Some(true)
}

/// `syncJob`.
fn sync_job(state: &mut State, cluster: &mut Cluster, key: &Key) {
    let Some(mut job) = cluster.store().by_key::<Job>(key).cloned() else {
        state.backoff.remove(key);
        return;
    };
    if managed_elsewhere(&job) {
        return;
    }
    if conditions::is_finished(&job) {
        state.backoff.remove(key);
        return;
    }
    if let Some(mode) = job.spec.completion_mode.as_deref() {
        if mode != "NonIndexed" && mode != "Indexed" {
            let message = "Skipped Job sync because completion mode is unknown".to_owned();
            cluster.rec.event(COMPONENT, "Warning", "UnknownCompletionMode", involved(&job), message);
            return;
        }
    }
    let uncounted =
        job.status.uncounted_terminated_pods.get_or_insert_with(|| Box::new(UncountedTerminatedPods::default()));
    let (uncounted_succeeded, uncounted_failed): (BTreeSet<String>, BTreeSet<String>) =
        (uncounted.succeeded.iter().cloned().collect(), uncounted.failed.iter().cloned().collect());

    let pods = pods_for_job(cluster, &job);
    let active: Vec<usize> = (0..pods.len()).filter(|&i| util::is_pod_active(&pods[i])).collect();
    let ready = active.iter().filter(|&&i| is_pod_ready(&pods[i])).count() as i32;
    let terminating = pods.iter().filter(|p| pods::is_terminating(p)).count() as i32;
    let now = cluster.store().created();
    let mut ctx = SyncCtx {
        job,
        pods,
        active,
        ready,
        uncounted_succeeded,
        uncounted_failed,
        terminating,
        succeeded: 0,
        failed: 0,
        finished: None,
        prev_succeeded_indexes: Intervals::default(),
        succeeded_indexes: Intervals::default(),
        failed_indexes: None,
        delayed_deletion: BTreeMap::new(),
        new_backoff: backoff::Record::default(),
        now,
        now_time: Time::at_second(now),
    };
    let mut active_count = ctx.active.len() as i32;
    let (new_succeeded, new_failed) = new_finished_pods(&ctx);
    let succeeded = ctx.job.status.succeeded + new_succeeded.len() as i32 + ctx.uncounted_succeeded.len() as i32;
    let failed = ctx.job.status.failed + non_ignored_failed(&ctx.job, &new_failed) + ctx.uncounted_failed.len() as i32;
    let new_backoff = backoff::new_record(state.backoff.get(key), &new_succeeded, &new_failed);
    (ctx.succeeded, ctx.failed, ctx.new_backoff) = (succeeded, failed, new_backoff);

    if ctx.job.status.start_time.is_none() && !suspended(&ctx.job) {
        ctx.job.status.start_time = Some(ctx.now_time.clone());
    }
    evaluate_finish(&mut ctx);

    let mut suspend_changed = false;
    if ctx.finished.is_some() {
        let doomed: Vec<Pod> = ctx.active_pods().into_iter().cloned().collect();
        let (deleted_ready, deleted) = manage::delete_active_pods(cluster, &ctx.job, &doomed);
        if deleted != active_count {
            ctx.finished = None;
        }
        active_count -= deleted;
        ctx.terminating += deleted;
        ctx.ready -= deleted_ready;
    } else {
        let manage_called = ctx.job.metadata.deletion_timestamp.is_none();
        if manage_called {
            active_count = manage::manage_job(cluster, &mut ctx);
        }
        let completions = ctx.job.spec.completions;
        let complete = match completions {
            None => ctx.succeeded > 0 && active_count == 0,
            Some(c) => ctx.succeeded >= c && active_count == 0,
        };
        if complete {
            ctx.finished = Some(conditions::success(&ctx.now_time));
        } else if manage_called {
            suspend_changed = update_suspended_condition(cluster, &mut ctx);
        }
    }

    let status = &ctx.job.status;
    let needs_update = suspend_changed
        || active_count != status.active
        || Some(ctx.ready) != status.ready
        || status.terminating != Some(ctx.terminating);
    ctx.job.status.active = active_count;
    ctx.job.status.ready = Some(ctx.ready);
    ctx.job.status.terminating = Some(ctx.terminating);
    tracking::track_status(state, cluster, key, &mut ctx, needs_update);
}

/// The failure and success criteria, in Go's order: a recorded `SuccessCriteriaMet` or `FailureTarget` stands;
/// then the pod failure policy, the backoff limit and the active deadline; then, for Indexed Jobs, the failed
/// indexes and the success policy.
fn evaluate_finish(ctx: &mut SyncCtx) {
    let job = &ctx.job;
    let now = &ctx.now_time;
    let exceeds_backoff_limit = ctx.failed > job.spec.backoff_limit.unwrap_or(6);
    ctx.finished = conditions::success_criteria_met(job).cloned();
    if ctx.finished.is_none() {
        if let Some(target) =
            conditions::find(&job.status.conditions, conditions::FAILURE_TARGET).filter(|c| c.status == "True")
        {
            ctx.finished = Some(conditions::failed_for_target(target, now));
        } else if let Some(message) = fail_job_message(job, &ctx.pods) {
            ctx.finished =
                Some(conditions::new_condition(conditions::FAILURE_TARGET, "True", "PodFailurePolicy", &message, now));
        }
    }
    if ctx.finished.is_none() {
        if exceeds_backoff_limit || past_backoff_limit_on_failure(job, &ctx.pods) {
            ctx.finished =
                Some(conditions::failure("BackoffLimitExceeded", "Job has reached the specified backoff limit", now));
        } else if past_active_deadline(job, ctx.now) {
            ctx.finished =
                Some(conditions::failure("DeadlineExceeded", "Job was active longer than specified deadline", now));
        }
    }
    if !indexed::is_indexed(job) {
        return;
    }
    let completions = indexed::completions(job);
    let (prev, succeeded) = indexed::succeeded_indexes(job, &ctx.pods);
    ctx.succeeded = succeeded.total();
    ctx.prev_succeeded_indexes = prev;
    ctx.succeeded_indexes = succeeded;
    if indexed::has_backoff_limit_per_index(job) {
        let failed = indexed::failed_indexes(job, &ctx.pods);
        if ctx.finished.is_none() {
            let total = failed.total();
            if job.spec.max_failed_indexes.is_some_and(|m| total > m) {
                ctx.finished = Some(conditions::failure(
                    "MaxFailedIndexesExceeded",
                    "Job has exceeded the specified maximal number of failed indexes",
                    now,
                ));
            } else if total > 0 && total + ctx.succeeded_indexes.total() >= completions {
                ctx.finished = Some(conditions::failure("FailedIndexes", "Job has failed indexes", now));
            }
        }
        ctx.failed_indexes = Some(failed);
        ctx.delayed_deletion = manage::pods_with_delayed_deletion(ctx);
    }
    if ctx.finished.is_none() {
        if let Some(msg) =
            success_policy::matches(ctx.job.spec.success_policy.as_deref(), completions, &ctx.succeeded_indexes)
        {
            ctx.finished = Some(conditions::new_condition(
                conditions::SUCCESS_CRITERIA_MET,
                "True",
                "SuccessPolicy",
                &msg,
                &ctx.now_time,
            ));
        }
    }
}

/// The `Suspended` condition after `manageJob`: True with `Suspended "Job suspended"`, or back to False with
/// `Resumed "Job resumed"` (which restarts `status.startTime`). Returns whether it changed.
fn update_suspended_condition(cluster: &mut Cluster, ctx: &mut SyncCtx) -> bool {
    let now = ctx.now_time.clone();
    let is_suspended = suspended(&ctx.job);
    let conds = &mut ctx.job.status.conditions;
    if is_suspended {
        let changed = conditions::ensure(conds, conditions::SUSPENDED, "True", "JobSuspended", "Job suspended", &now);
        if changed {
            cluster.rec.event(COMPONENT, "Normal", "Suspended", involved(&ctx.job), "Job suspended".into());
        }
        changed
    } else {
        let changed = conditions::ensure(conds, conditions::SUSPENDED, "False", "JobResumed", "Job resumed", &now);
        if changed {
            cluster.rec.event(COMPONENT, "Normal", "Resumed", involved(&ctx.job), "Job resumed".into());
            ctx.job.status.start_time = Some(now);
        }
        changed
    }
}

/// `getPodsForJob`: claim the namespace's pods the selector matches; adoption adds the tracking finalizer (and
/// so does this sync's view of an adopted pod).
fn pods_for_job(cluster: &mut Cluster, job: &Job) -> Vec<Pod> {
    let Ok(selector) = Selector::from_label_selector(job.spec.selector.as_deref()) else { return Vec::new() };
    let owner = Owner::of(GroupKind::Job, &job.metadata);
    let deleting = job.metadata.deletion_timestamp.is_some();
    let keys = util::claim_pods_with(cluster, &owner, &selector, deleting, &|_| true, Some(pods::TRACKING_FINALIZER));
    keys.iter().filter_map(|k| cluster.store().by_key::<Pod>(k).cloned()).collect()
}

/// `getNewFinishedPods`: succeeded and failed pods not yet counted (still carrying the finalizer and not in the
/// uncounted lists; for Indexed Jobs, with a valid index).
fn new_finished_pods(ctx: &SyncCtx) -> (Vec<&Pod>, Vec<&Pod>) {
    let succeeded = valid_pods(ctx, &ctx.uncounted_succeeded, |p| p.status.phase == "Succeeded");
    let failed = valid_pods(ctx, &ctx.uncounted_failed, |p| pods::is_pod_failed(p, &ctx.job));
    (succeeded, failed)
}

/// `getValidPodsWithFilter`.
pub fn valid_pods<'a>(ctx: &'a SyncCtx, uncounted: &BTreeSet<String>, filter: impl Fn(&Pod) -> bool) -> Vec<&'a Pod> {
    let indexed = indexed::is_indexed(&ctx.job);
    let completions = indexed::completions(&ctx.job);
    ctx.pods
        .iter()
        .filter(|p| pods::has_tracking_finalizer(p) && !uncounted.contains(&p.metadata.uid))
        .filter(|p| !indexed || indexed::index_in_range(p, completions).is_some())
        .filter(|p| filter(p))
        .collect()
}

/// `nonIgnoredFailedPodsCount`: failures the pod failure policy does not ignore.
fn non_ignored_failed(job: &Job, failed: &[&Pod]) -> i32 {
    match job.spec.pod_failure_policy.as_deref() {
        None => failed.len() as i32,
        Some(policy) => failed.iter().filter(|p| pod_failure_policy::matches(policy, p).count_failed).count() as i32,
    }
}

/// `getFailJobMessage`: the message of a `FailJob` rule some failed pod matches.
fn fail_job_message(job: &Job, pods: &[Pod]) -> Option<String> {
    let policy = job.spec.pod_failure_policy.as_deref()?;
    pods.iter()
        .filter(|p| pods::is_pod_failed(p, job))
        .find_map(|p| pod_failure_policy::matches(policy, p).fail_job_message)
}

/// `pastBackoffLimitOnFailure`: with `restartPolicy: OnFailure`, the container restarts of running and pending
/// pods reach the backoff limit (any restart, when the limit is 0).
fn past_backoff_limit_on_failure(job: &Job, pods: &[Pod]) -> bool {
    if job.spec.template.spec.restart_policy != "OnFailure" {
        return false;
    }
    let restarts: i32 = pods
        .iter()
        .filter(|p| matches!(p.status.phase.as_str(), "Running" | "Pending"))
        .flat_map(|p| p.status.init_container_statuses.iter().chain(&p.status.container_statuses))
        .map(|s| s.restart_count)
        .sum();
    let limit = job.spec.backoff_limit.unwrap_or(6);
    if limit == 0 {
        restarts > 0
    } else {
        restarts >= limit
    }
}

/// `pastActiveDeadline`: running (not suspended) for at least `activeDeadlineSeconds` since `status.startTime`.
fn past_active_deadline(job: &Job, now: u64) -> bool {
    let (Some(deadline), Some(start)) = (job.spec.active_deadline_seconds, job.status.start_time.as_ref()) else {
        return false;
    };
    if suspended(job) {
        return false;
    }
    let start = start.0.as_deref().map_or(0, crate::api::seconds_of);
    now.saturating_sub(start) as i64 >= deadline
}

/// `UpdateStatus`: store the Job's status as this sync computed it; returns the stored Job.
pub fn write_status(cluster: &mut Cluster, job: &Job) -> Job {
    let key = (job.metadata.namespace.clone(), job.metadata.name.clone());
    let Some(mut stored) = cluster.store().by_key::<Job>(&key).cloned() else { return job.clone() };
    stored.status = job.status.clone();
    let _ = cluster.patch(Object::Job(Box::new(stored.clone())), Concurrency::Unchecked);
    stored
}
