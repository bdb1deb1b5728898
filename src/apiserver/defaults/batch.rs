//! Defaults of the batch group (`pkg/apis/batch/v1/defaults.go` and `zz_generated.defaults.go`).

use super::core::default_pod_template;
use super::features;
use crate::api::batch_v1::{CronJob, Job};

/// `SetObjectDefaults_Job`: `SetDefaults_Job`, then the pod template defaults.
pub fn default_job(job: &mut Job) {
    set_defaults_job(job);
    default_pod_template(&mut job.spec.template);
}

/// `SetDefaults_Job`.
///
/// - `completions` and `parallelism` both 1 when both are unset; otherwise an unset `parallelism` is 1 (and an
///   unset `completions` stays unset: a work queue);
/// - `backoffLimit: 6`, or the largest int32 with `backoffLimitPerIndex`;
/// - the Job's labels are the template's labels when the Job has none. Kubeplan copies them, so the
///   `controller-uid` and `job-name` labels the registry adds to the template afterwards stay off the Job, as in
///   the conformance oracle's stored Jobs. (In Go both fields then share one map, and an API server decoding
///   without a deep copy would show those labels on the Job as well; a Job read back from storage is defaulted
///   again and gains them when it had no labels of its own.)
/// - `completionMode: NonIndexed`, `suspend: false`, `manualSelector: false`;
/// - each `podFailurePolicy` `onPodConditions` pattern gets `status: "True"`;
/// - `podReplacementPolicy`: `Failed` with a pod failure policy, else `TerminatingOrFailed`
///   (JobPodReplacementPolicy, on).
pub fn set_defaults_job(job: &mut Job) {
    let spec = &mut job.spec;
    if spec.completions.is_none() && spec.parallelism.is_none() {
        spec.completions = Some(1);
        spec.parallelism = Some(1);
    }
    spec.parallelism.get_or_insert(1);
    if spec.backoff_limit.is_none() {
        spec.backoff_limit = Some(if spec.backoff_limit_per_index.is_some() { i32::MAX } else { 6 });
    }
    // Go only copies a non-nil template label map; kubeplan cannot tell nil from empty, and copying an empty
    // map changes nothing, so "non-empty" is the same rule.
    if job.metadata.labels.is_empty() && !spec.template.metadata.labels.is_empty() {
        job.metadata.labels = spec.template.metadata.labels.clone();
    }
    spec.completion_mode.get_or_insert_with(|| "NonIndexed".to_owned());
    spec.suspend.get_or_insert(false);
    if let Some(pfp) = spec.pod_failure_policy.as_deref_mut() {
        for rule in &mut pfp.rules {
            for pattern in &mut rule.on_pod_conditions {
                if pattern.status.is_empty() {
                    pattern.status = "True".to_owned();
                }
            }
        }
    }
    if features::JOB_POD_REPLACEMENT_POLICY && spec.pod_replacement_policy.is_none() {
        let policy = if spec.pod_failure_policy.is_some() { "Failed" } else { "TerminatingOrFailed" };
        spec.pod_replacement_policy = Some(policy.to_owned());
    }
    spec.manual_selector.get_or_insert(false);
}

/// `SetObjectDefaults_CronJob`: `SetDefaults_CronJob` (`concurrencyPolicy: Allow`, `suspend: false`, history limits
/// 3 successful and 1 failed), then the defaults of the job template's pod template. The job template's own
/// spec gets none (`SetDefaults_Job` runs on Jobs, when the CronJob controller creates them).
pub fn default_cron_job(cj: &mut CronJob) {
    let spec = &mut cj.spec;
    if spec.concurrency_policy.is_empty() {
        spec.concurrency_policy = "Allow".to_owned();
    }
    spec.suspend.get_or_insert(false);
    spec.successful_jobs_history_limit.get_or_insert(3);
    spec.failed_jobs_history_limit.get_or_insert(1);
    default_pod_template(&mut spec.job_template.spec.template);
}

super::defaults_by! { CronJob => default_cron_job }
