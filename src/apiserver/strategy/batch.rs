//! The Job registry strategy (`pkg/registry/batch/job/strategy.go`).

use super::pod::drop_disabled_template_fields;
use crate::api::batch_v1::{Job, JobStatus};
use crate::apiserver::defaults::features;

/// `batch.kubernetes.io/controller-uid`: the label that ties a Job's pods to it.
pub const CONTROLLER_UID_LABEL: &str = "batch.kubernetes.io/controller-uid";
/// `controller-uid`: the legacy spelling of [`CONTROLLER_UID_LABEL`], still added.
pub const LEGACY_CONTROLLER_UID_LABEL: &str = "controller-uid";
/// `batch.kubernetes.io/job-name`.
pub const JOB_NAME_LABEL: &str = "batch.kubernetes.io/job-name";
/// `job-name`: the legacy spelling of [`JOB_NAME_LABEL`], still added.
pub const LEGACY_JOB_NAME_LABEL: &str = "job-name";

/// `jobStrategy.PrepareForCreate`.
///
/// - unless `manualSelector` is true, the selector and template labels are generated
///   ([`generate_job_selector`]); that needs `metadata.uid`, so when the uid is still empty this step is skipped
///   and the caller must call [`generate_job_selector`] once it has assigned the uid;
/// - status cleared, `generation: 1`;
/// - fields of disabled Job gates dropped (all Job gates are on in v1.32) and disabled template fields dropped.
pub fn prepare_job_for_create(job: &mut Job) {
    if !job.metadata.uid.is_empty() {
        generate_selector_if_needed(job);
    }
    job.status = JobStatus::default();
    job.metadata.generation = 1;
    if !features::JOB_MANAGED_BY {
        job.spec.managed_by = None;
    }
    if !features::JOB_SUCCESS_POLICY {
        job.spec.success_policy = None;
    }
    if !features::JOB_BACKOFF_LIMIT_PER_INDEX {
        job.spec.backoff_limit_per_index = None;
        job.spec.max_failed_indexes = None;
        if let Some(pfp) = job.spec.pod_failure_policy.as_deref_mut() {
            pfp.rules.retain(|r| r.action != "FailIndex");
        }
    }
    if !features::JOB_POD_REPLACEMENT_POLICY {
        job.spec.pod_replacement_policy = None;
    }
    drop_disabled_template_fields(&mut job.spec.template, None);
}

/// `jobStrategy.PrepareForUpdate`: status kept, gated fields dropped unless already used, and any spec change
/// bumps `generation`. The selector is not generated again: an update must carry the stored one.
pub fn prepare_job_for_update(new: &mut Job, old: &Job) {
    new.status = old.status.clone();
    if !features::JOB_SUCCESS_POLICY && old.spec.success_policy.is_none() {
        new.spec.success_policy = None;
    }
    if !features::JOB_BACKOFF_LIMIT_PER_INDEX {
        if old.spec.backoff_limit_per_index.is_none() {
            new.spec.backoff_limit_per_index = None;
        }
        if old.spec.max_failed_indexes.is_none() {
            new.spec.max_failed_indexes = None;
        }
    }
    if !features::JOB_POD_REPLACEMENT_POLICY && old.spec.pod_replacement_policy.is_none() {
        new.spec.pod_replacement_policy = None;
    }
    drop_disabled_template_fields(&mut new.spec.template, Some(&old.spec.template));
    if new.spec != old.spec {
        new.metadata.generation = old.metadata.generation + 1;
    }
}

/// `generateSelectorIfNeeded`: only Jobs without `manualSelector: true` (a missing value counts as false, its
/// default) get a generated selector.
fn generate_selector_if_needed(job: &mut Job) {
    if !job.spec.manual_selector.unwrap_or(false) {
        generate_job_selector(job);
    }
}

/// `generateSelector`: the template gets `job-name` and `batch.kubernetes.io/job-name` (the Job's name) and
/// `controller-uid` and `batch.kubernetes.io/controller-uid` (its `metadata.uid`), each only if absent (a
/// conflicting value is validation's to reject), and the selector gets
/// `matchLabels[batch.kubernetes.io/controller-uid] = uid` if it does not name that key.
///
/// [`prepare_for_create`](super::prepare_for_create) calls this when the uid is set; a caller that assigns the
/// uid later calls it itself.
pub fn generate_job_selector(job: &mut Job) {
    let name = job.metadata.name.clone();
    let uid = job.metadata.uid.clone();
    let labels = &mut job.spec.template.metadata.labels;
    for key in [LEGACY_JOB_NAME_LABEL, JOB_NAME_LABEL] {
        labels.entry(key.to_owned()).or_insert_with(|| name.clone());
    }
    for key in [LEGACY_CONTROLLER_UID_LABEL, CONTROLLER_UID_LABEL] {
        labels.entry(key.to_owned()).or_insert_with(|| uid.clone());
    }
    let selector = job.spec.selector.get_or_insert_with(Box::default);
    selector.match_labels.entry(CONTROLLER_UID_LABEL.to_owned()).or_insert(uid);
}
