//! Jobs (`pkg/apis/batch/validation/validation.go:ValidateJob`, `ValidateJobUpdate`) with the options of the
//! registry strategy (`pkg/registry/batch/job/strategy.go`).
//!
//! Validation runs after the strategy's `PrepareForCreate`, which generates the selector
//! (`batch.kubernetes.io/controller-uid: <uid>`) and the template labels unless `manualSelector` is set; the
//! object must carry the UID the API server gave it.

use std::collections::BTreeMap;

use crate::api::batch_v1::{CronJob, CronJobSpec, Job, JobSpec, PodFailurePolicy, PodFailurePolicyRule, SuccessPolicyRule};
use crate::api::meta_v1::ObjectMeta;
use crate::go::{GoValue, ToGo};

use super::core::{template_labels_value, validate_pod_template_spec, PodOptions};
use super::field::{BadValue, FieldError, Path};
use super::meta::{
    is_dns1123_label, is_dns1123_subdomain, label_selector_as_selector, labels_value, name_is_dns_subdomain,
    selector_has_invalid_label_value, selector_value, validate_immutable, validate_label_selector, validate_nonnegative,
    validate_object_meta, validate_object_meta_update, validate_qualified_name, SelectorOptions, FIELD_IMMUTABLE,
};

const LEGACY_CONTROLLER_UID: &str = "controller-uid";
const LEGACY_JOB_NAME: &str = "job-name";
const CONTROLLER_UID: &str = "batch.kubernetes.io/controller-uid";
const JOB_NAME: &str = "batch.kubernetes.io/job-name";

/// Options of Job validation (`JobValidationOptions`).
#[derive(Clone, Debug, Default)]
struct JobOptions {
    pod: PodOptions,
    allow_mutable_scheduling_directives: bool,
    require_prefixed_labels: bool,
}

/// `validationOptionsForJob`.
fn job_options(old: Option<&Job>) -> JobOptions {
    let mut o = JobOptions {
        pod: PodOptions::for_template(old.map(|j| &j.spec.template)),
        allow_mutable_scheduling_directives: false,
        require_prefixed_labels: true,
    };
    if let Some(old) = old {
        o.pod.allow_invalid_label_value_in_selector |= selector_has_invalid_label_value(old.spec.selector.as_deref());
        o.allow_mutable_scheduling_directives = old.spec.suspend == Some(true) && old.status.start_time.is_none();
        let labels = &old.spec.template.metadata.labels;
        o.require_prefixed_labels = labels.contains_key(JOB_NAME) && labels.contains_key(CONTROLLER_UID);
    }
    o
}

/// The strategy's `Validate`.
pub fn validate_job_create(job: &Job) -> Vec<FieldError> {
    validate_job(job, &job_options(None))
}

/// The strategy's `ValidateUpdate`: the Job as on create, then `ValidateJobUpdate`.
pub fn validate_job_update(job: &Job, old: &Job) -> Vec<FieldError> {
    let opts = job_options(Some(old));
    let mut errs = validate_job(job, &opts);
    errs.extend(validate_object_meta_update(&job.metadata, &old.metadata, &Path::new("metadata")));
    errs.extend(validate_job_spec_update(&job.spec, &old.spec, &Path::new("spec"), &opts));
    errs
}

/// `ValidateJob`.
fn validate_job(job: &Job, opts: &JobOptions) -> Vec<FieldError> {
    let mut errs = validate_object_meta(&job.metadata, true, name_is_dns_subdomain, &Path::new("metadata"));
    errs.extend(validate_generated_selector(job, opts.require_prefixed_labels));
    errs.extend(validate_job_spec(&job.spec, &Path::new("spec"), &opts.pod));
    if job.spec.completion_mode.as_deref() == Some("Indexed") {
        if let Some(c) = job.spec.completions.filter(|c| *c > 0) {
            let host = format!("{}-{}", job.metadata.name, c - 1);
            if !is_dns1123_label(&host).is_empty() {
                errs.push(FieldError::invalid(
                    &Path::new("metadata").child("name"),
                    &job.metadata.name,
                    format!("will not able to create pod with invalid DNS label: {host}"),
                ));
            }
        }
    }
    errs
}

/// `ValidateHasLabel`.
fn validate_has_label(meta: &ObjectMeta, path: &Path, key: &str, expected: &str) -> Option<FieldError> {
    let labels = path.child("labels");
    let p = labels.key(key);
    match meta.labels.get(key) {
        None => Some(FieldError::required(&p, format!("must be '{expected}'"))),
        Some(v) if v != expected => Some(FieldError::invalid(&p, labels_value(&meta.labels), format!("must be '{expected}'"))),
        Some(_) => None,
    }
}

/// `validateGeneratedSelector`: unless `manualSelector`, the template carries the generated labels and the
/// selector selects them.
fn validate_generated_selector(job: &Job, prefixed: bool) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if job.spec.manual_selector == Some(true) || job.spec.selector.is_none() {
        return errs;
    }
    let uid = job.metadata.uid.as_str();
    let name = job.metadata.name.as_str();
    if uid.is_empty() {
        errs.push(FieldError::required(&Path::new("metadata").child("uid"), ""));
    }
    let tm = Path::of(&["spec", "template", "metadata"]);
    let meta = &job.spec.template.metadata;
    errs.extend(validate_has_label(meta, &tm, LEGACY_CONTROLLER_UID, uid));
    errs.extend(validate_has_label(meta, &tm, LEGACY_JOB_NAME, name));
    let mut expected = BTreeMap::new();
    if prefixed {
        errs.extend(validate_has_label(meta, &tm, CONTROLLER_UID, uid));
        errs.extend(validate_has_label(meta, &tm, JOB_NAME, name));
        expected.insert(CONTROLLER_UID.to_owned(), uid.to_owned());
        expected.insert(JOB_NAME.to_owned(), name.to_owned());
    }
    expected.insert(LEGACY_CONTROLLER_UID.to_owned(), uid.to_owned());
    expected.insert(LEGACY_JOB_NAME.to_owned(), name.to_owned());
    if let Some(sel) = label_selector_as_selector(job.spec.selector.as_deref()) {
        if !sel.matches(&expected) {
            errs.push(FieldError::invalid(&Path::new("spec").child("selector"), selector_value(job.spec.selector.as_deref()), "`selector` not auto-generated"));
        }
    }
    errs
}

/// `ValidateJobSpec`: `validateJobSpec`, then the selector.
fn validate_job_spec(spec: &JobSpec, path: &Path, opts: &PodOptions) -> Vec<FieldError> {
    let mut errs = validate_job_spec_fields(spec, path, opts);
    let sp = path.child("selector");
    match spec.selector.as_deref() {
        None => errs.push(FieldError::required(&sp, "")),
        Some(s) => errs.extend(validate_label_selector(
            Some(s),
            SelectorOptions { allow_invalid_label_value: opts.allow_invalid_label_value_in_selector },
            &sp,
        )),
    }
    if let Some(sel) = label_selector_as_selector(spec.selector.as_deref()) {
        if !sel.matches(&spec.template.metadata.labels) {
            errs.push(FieldError::invalid(
                &path.child("template").child("metadata").child("labels"),
                template_labels_value(&spec.template),
                "`selector` does not match template `labels`",
            ));
        }
    }
    errs
}

/// `%q` of a string list, as Go prints `[]string` with `%q`: `["a" "b"]`.
fn quoted_list(items: &[&str]) -> String {
    let q: Vec<String> = items.iter().map(|s| crate::go::fmt::quote(s)).collect();
    format!("[{}]", q.join(" "))
}

/// `IsDomainPrefixedPath`.
fn validate_domain_prefixed_path(v: &str, path: &Path) -> Vec<FieldError> {
    if v.is_empty() {
        return vec![FieldError::required(path, "")];
    }
    let Some((host, rest)) = v.split_once('/').filter(|(h, r)| !h.is_empty() && !r.is_empty()) else {
        return vec![FieldError::invalid(path, v, "must be a domain-prefixed path (such as \"acme.io/foo\")")];
    };
    let mut errs: Vec<FieldError> = is_dns1123_subdomain(host).into_iter().map(|m| FieldError::invalid(path, host, m)).collect();
    if !rest.bytes().all(|c| c.is_ascii_alphanumeric() || b"/-._~%!$&'()*+,;=:".contains(&c)) {
        errs.push(FieldError::invalid(path, rest, "Invalid path (regex used for validation is '[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+')"));
    }
    errs
}

/// `validateJobSpec`.
fn validate_job_spec_fields(spec: &JobSpec, path: &Path, opts: &PodOptions) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let nonneg = |v: Option<i64>, name: &str, errs: &mut Vec<FieldError>| {
        if let Some(v) = v {
            errs.extend(validate_nonnegative(v, &path.child(name)));
        }
    };
    nonneg(spec.parallelism.map(i64::from), "parallelism", &mut errs);
    nonneg(spec.completions.map(i64::from), "completions", &mut errs);
    nonneg(spec.active_deadline_seconds, "activeDeadlineSeconds", &mut errs);
    nonneg(spec.backoff_limit.map(i64::from), "backoffLimit", &mut errs);
    nonneg(spec.ttl_seconds_after_finished.map(i64::from), "ttlSecondsAfterFinished", &mut errs);
    nonneg(spec.backoff_limit_per_index.map(i64::from), "backoffLimitPerIndex", &mut errs);
    if let Some(m) = spec.max_failed_indexes {
        errs.extend(validate_nonnegative(i64::from(m), &path.child("maxFailedIndexes")));
        if spec.backoff_limit_per_index.is_none() {
            errs.push(FieldError::required(&path.child("backoffLimitPerIndex"), "when maxFailedIndexes is specified"));
        }
    }
    if let Some(m) = &spec.managed_by {
        errs.extend(validate_domain_prefixed_path(m, &path.child("managedBy")));
        if m.len() > 63 {
            errs.push(FieldError::too_long(&path.child("managedBy"), 63));
        }
    }
    if let Some(mode) = &spec.completion_mode {
        if mode != "NonIndexed" && mode != "Indexed" {
            errs.push(FieldError::not_supported(&path.child("completionMode"), mode, &["NonIndexed", "Indexed"]));
        }
        if mode == "Indexed" {
            if spec.completions.is_none() {
                errs.push(FieldError::required(&path.child("completions"), "when completion mode is Indexed"));
            }
            if let Some(p) = spec.parallelism.filter(|p| *p > 100_000) {
                errs.push(FieldError::invalid(&path.child("parallelism"), p, "must be less than or equal to 100000 when completion mode is Indexed"));
            }
            if let (Some(c), Some(m)) = (spec.completions, spec.max_failed_indexes) {
                if m > c {
                    errs.push(FieldError::invalid(&path.child("maxFailedIndexes"), m, "must be less than or equal to completions"));
                }
            }
            if let Some(m) = spec.max_failed_indexes.filter(|m| *m > 100_000) {
                errs.push(FieldError::invalid(&path.child("maxFailedIndexes"), m, "must be less than or equal to 100000"));
            }
            if spec.completions.is_some_and(|c| c > 100_000) && spec.backoff_limit_per_index.is_some() {
                if spec.max_failed_indexes.is_none() {
                    errs.push(FieldError::required(&path.child("maxFailedIndexes"), "must be specified when completions is above 100000"));
                }
                if let Some(p) = spec.parallelism.filter(|p| *p > 10_000) {
                    errs.push(FieldError::invalid(
                        &path.child("parallelism"),
                        p,
                        "must be less than or equal to 10000 when completions are above 100000 and used with backoff limit per index",
                    ));
                }
                if let Some(m) = spec.max_failed_indexes.filter(|m| *m > 10_000) {
                    errs.push(FieldError::invalid(
                        &path.child("maxFailedIndexes"),
                        m,
                        "must be less than or equal to 10000 when completions are above 100000 and used with backoff limit per index",
                    ));
                }
            }
        }
    }
    if spec.completion_mode.as_deref().is_none_or(|m| m == "NonIndexed") {
        if let Some(b) = spec.backoff_limit_per_index {
            errs.push(FieldError::invalid(&path.child("backoffLimitPerIndex"), b, "requires indexed completion mode"));
        }
        if let Some(m) = spec.max_failed_indexes {
            errs.push(FieldError::invalid(&path.child("maxFailedIndexes"), m, "requires indexed completion mode"));
        }
    }
    if let Some(pfp) = &spec.pod_failure_policy {
        errs.extend(validate_pod_failure_policy(spec, pfp, &path.child("podFailurePolicy")));
    }
    if let Some(sp) = &spec.success_policy {
        let p = path.child("successPolicy");
        if spec.completion_mode.as_deref() != Some("Indexed") {
            errs.push(FieldError::invalid(&p, BadValue::go(&sp.to_go()), "requires indexed completion mode"));
        } else {
            let rp = p.child("rules");
            if sp.rules.is_empty() {
                errs.push(FieldError::required(&rp, "at least one rules must be specified when the successPolicy is specified"));
            }
            if sp.rules.len() > 20 {
                errs.push(FieldError::too_many(&rp, sp.rules.len() as i64, 20));
            }
            for (i, r) in sp.rules.iter().enumerate() {
                errs.extend(validate_success_policy_rule(spec, r, &rp.index(i)));
            }
        }
    }
    if let Some(r) = &spec.pod_replacement_policy {
        let p = path.child("podReplacementPolicy");
        if spec.pod_failure_policy.is_some() {
            if r != "Failed" {
                errs.push(FieldError::not_supported(&p, r, &["Failed"]));
            }
        } else if r != "Failed" && r != "TerminatingOrFailed" {
            errs.push(FieldError::not_supported(&p, r, &["Failed", "TerminatingOrFailed"]));
        }
    }
    errs.extend(validate_pod_template_spec(&spec.template, &path.child("template"), opts));
    let template = path.child("template");
    let template_spec = template.child("spec");
    let rp = template_spec.child("restartPolicy");
    let policy = spec.template.spec.restart_policy.as_str();
    if policy == "Always" || policy.is_empty() {
        errs.push(FieldError::required(&rp, "valid values: \"OnFailure\", \"Never\""));
    } else if policy != "OnFailure" && policy != "Never" {
        errs.push(FieldError::not_supported(&rp, policy, &["OnFailure", "Never"]));
    } else if spec.pod_failure_policy.is_some() && policy != "Never" {
        errs.push(FieldError::invalid(&rp, policy, "only \"Never\" is supported when podFailurePolicy is specified"));
    }
    errs
}

/// `validatePodFailurePolicy` and its rules.
fn validate_pod_failure_policy(spec: &JobSpec, pfp: &PodFailurePolicy, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let rules = path.child("rules");
    if pfp.rules.len() > 20 {
        errs.push(FieldError::too_many(&rules, pfp.rules.len() as i64, 20));
    }
    let names: Vec<&str> = spec
        .template
        .spec
        .containers
        .iter()
        .chain(&spec.template.spec.init_containers)
        .map(|c| c.name.as_str())
        .collect();
    for (i, r) in pfp.rules.iter().enumerate() {
        errs.extend(validate_pod_failure_policy_rule(spec, r, &rules.index(i), &names));
    }
    errs
}

/// `validatePodFailurePolicyRule` with its exit-code and pod-condition requirements.
fn validate_pod_failure_policy_rule(spec: &JobSpec, r: &PodFailurePolicyRule, path: &Path, containers: &[&str]) -> Vec<FieldError> {
    const ACTIONS: &[&str] = &["Count", "FailIndex", "FailJob", "Ignore"];
    let mut errs = Vec::new();
    let ap = path.child("action");
    if r.action.is_empty() {
        errs.push(FieldError::required(&ap, format!("valid values: {}", quoted_list(ACTIONS))));
    } else if r.action == "FailIndex" {
        if spec.backoff_limit_per_index.is_none() {
            errs.push(FieldError::invalid(&ap, &r.action, "requires the backoffLimitPerIndex to be set"));
        }
    } else if !ACTIONS.contains(&r.action.as_str()) {
        errs.push(FieldError::not_supported(&ap, &r.action, ACTIONS));
    }
    if let Some(ec) = &r.on_exit_codes {
        let p = path.child("onExitCodes");
        const OPS: &[&str] = &["In", "NotIn"];
        if ec.operator.is_empty() {
            errs.push(FieldError::required(&p.child("operator"), format!("valid values: {}", quoted_list(OPS))));
        } else if !OPS.contains(&ec.operator.as_str()) {
            errs.push(FieldError::not_supported(&p.child("operator"), &ec.operator, OPS));
        }
        if let Some(c) = &ec.container_name {
            if !containers.contains(&c.as_str()) {
                errs.push(FieldError::invalid(&p.child("containerName"), c, "must be one of the container or initContainer names in the pod template"));
            }
        }
        let vp = p.child("values");
        let values = || BadValue::go(&GoValue::slice("[]int32", ec.values.iter().map(|v| GoValue::Int("int32", i64::from(*v)))));
        if ec.values.is_empty() {
            errs.push(FieldError::invalid(&vp, values(), "at least one value is required"));
        } else if ec.values.len() > 255 {
            errs.push(FieldError::too_many(&vp, ec.values.len() as i64, 255));
        }
        let mut seen: Vec<i32> = Vec::new();
        for (j, v) in ec.values.iter().enumerate() {
            if ec.operator == "In" && *v == 0 {
                errs.push(FieldError::invalid(&vp.index(j), *v, "must not be 0 for the In operator"));
            }
            if seen.contains(v) {
                errs.push(FieldError::duplicate(&vp.index(j), *v));
            } else {
                seen.push(*v);
            }
        }
        if ec.values.windows(2).any(|w| w[0] > w[1]) {
            errs.push(FieldError::invalid(&vp, values(), "must be ordered"));
        }
    }
    if !r.on_pod_conditions.is_empty() {
        let p = path.child("onPodConditions");
        if r.on_pod_conditions.len() > 20 {
            errs.push(FieldError::too_many(&p, r.on_pod_conditions.len() as i64, 20));
        }
        const STATUSES: &[&str] = &["False", "True", "Unknown"];
        for (j, c) in r.on_pod_conditions.iter().enumerate() {
            let pp = p.index(j);
            errs.extend(validate_qualified_name(&c.r#type, &pp.child("type")));
            if c.status.is_empty() {
                errs.push(FieldError::required(&pp.child("status"), format!("valid values: {}", quoted_list(STATUSES))));
            } else if !STATUSES.contains(&c.status.as_str()) {
                errs.push(FieldError::not_supported(&pp.child("status"), &c.status, STATUSES));
            }
        }
    }
    match (r.on_exit_codes.is_some(), r.on_pod_conditions.is_empty()) {
        (true, false) => errs.push(FieldError::invalid(path, BadValue::Omitted, "specifying both OnExitCodes and OnPodConditions is not supported")),
        (false, true) => errs.push(FieldError::invalid(path, BadValue::Omitted, "specifying one of OnExitCodes and OnPodConditions is required")),
        _ => {}
    }
    errs
}

/// `validateIndexesFormat` with `parseIndexInterval`: comma-separated indexes or `a-b` intervals, increasing,
/// below `completions`; the number of indexes.
fn parse_indexes(s: &str, completions: i32) -> Result<i32, String> {
    if s.is_empty() {
        return Ok(0);
    }
    let q = crate::go::fmt::quote;
    let atoi = |x: &str| x.parse::<i64>().map_err(|_| format!("cannot convert string to integer for index: {}", q(x)));
    let mut last: Option<i64> = None;
    let mut total: i64 = 0;
    for interval in s.split(',') {
        let parts: Vec<&str> = interval.split('-').collect();
        if parts.len() > 2 {
            return Err(format!(
                "the fragment {} violates the requirement that an index interval can have at most two parts separated by '-'",
                q(interval)
            ));
        }
        let x = atoi(parts[0])?;
        if x >= i64::from(completions) {
            return Err(format!("too large index: {}", q(parts[0])));
        }
        let y = match parts.get(1) {
            Some(p) => {
                let y = atoi(p)?;
                if y >= i64::from(completions) {
                    return Err(format!("too large index: {}", q(p)));
                }
                if x >= y {
                    return Err(format!("non-increasing order, previous: {x}, current: {y}"));
                }
                y
            }
            None => x,
        };
        if let Some(l) = last.filter(|l| *l >= x) {
            return Err(format!("non-increasing order, previous: {l}, current: {x}"));
        }
        total += y - x + 1;
        last = Some(y);
    }
    Ok(total as i32)
}

/// `validateSuccessPolicyRule`.
fn validate_success_policy_rule(spec: &JobSpec, r: &SuccessPolicyRule, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let completions = spec.completions.unwrap_or(0);
    if r.succeeded_count.is_none() && r.succeeded_indexes.is_none() {
        errs.push(FieldError::required(path, "at least one of succeededCount or succeededIndexes must be specified"));
    }
    let mut total = 0;
    if let Some(idx) = &r.succeeded_indexes {
        let p = path.child("succeededIndexes");
        if idx.len() > 64 * 1024 {
            errs.push(FieldError::too_long(&p, 64 * 1024));
        }
        match parse_indexes(idx, completions) {
            Ok(t) => total = t,
            Err(e) => errs.push(FieldError::invalid(&p, idx, format!("error parsing succeededIndexes: {e}"))),
        }
    }
    if let Some(c) = r.succeeded_count {
        let p = path.child("succeededCount");
        errs.extend(validate_nonnegative(i64::from(c), &p));
        if c > completions {
            errs.push(FieldError::invalid(&p, c, format!("must be less than or equal to {completions} (the number of specified completions)")));
        }
        if r.succeeded_indexes.is_some() && c > total {
            errs.push(FieldError::invalid(
                &p,
                c,
                format!("must be less than or equal to {total} (the number of indexes in the specified succeededIndexes field)"),
            ));
        }
    }
    errs
}

/// `ValidateJobSpecUpdate`: the spec again, then the immutable fields. `completions` may change only for an
/// Indexed Job, together with `parallelism`; the template may change only in its scheduling directives, and
/// only while the Job is suspended and has never started.
fn validate_job_spec_update(spec: &JobSpec, old: &JobSpec, path: &Path, opts: &JobOptions) -> Vec<FieldError> {
    let mut errs = validate_job_spec(spec, path, &opts.pod);
    let cp = path.child("completions");
    if spec.completion_mode.as_deref() == Some("Indexed") {
        if spec.completions != old.completions {
            if let Some(c) = spec.completions {
                if Some(c) != spec.parallelism {
                    errs.push(FieldError::invalid(&cp, c, "can only be modified in tandem with spec.parallelism"));
                }
            }
        }
    } else {
        errs.extend(validate_immutable(&spec.completions, &old.completions, || spec.completions.into(), &cp));
    }
    errs.extend(validate_immutable(&spec.selector, &old.selector, || selector_value(spec.selector.as_deref()), &path.child("selector")));
    let mut old_template = old.template.clone();
    if opts.allow_mutable_scheduling_directives {
        let new_na = spec.template.spec.affinity.as_ref().and_then(|a| a.node_affinity.clone());
        match (&spec.template.spec.affinity, &mut old_template.spec.affinity) {
            (None, Some(a)) => {
                a.node_affinity = None;
                if **a == crate::api::core_v1::Affinity::default() {
                    old_template.spec.affinity = None;
                }
            }
            (Some(_), None) => {
                old_template.spec.affinity = Some(Box::new(crate::api::core_v1::Affinity { node_affinity: new_na, ..Default::default() }))
            }
            (Some(_), Some(a)) => a.node_affinity = new_na,
            (None, None) => {}
        }
        old_template.spec.node_selector = spec.template.spec.node_selector.clone();
        old_template.spec.tolerations = spec.template.spec.tolerations.clone();
        old_template.metadata.annotations = spec.template.metadata.annotations.clone();
        old_template.metadata.labels = spec.template.metadata.labels.clone();
        old_template.spec.scheduling_gates = spec.template.spec.scheduling_gates.clone();
    }
    if spec.template != old_template {
        errs.push(FieldError::invalid(&path.child("template"), BadValue::go(&spec.template.to_go()), FIELD_IMMUTABLE));
    }
    errs.extend(validate_immutable(&spec.completion_mode, &old.completion_mode, || spec.completion_mode.clone().into(), &path.child("completionMode")));
    errs.extend(validate_immutable(
        &spec.pod_failure_policy,
        &old.pod_failure_policy,
        || spec.pod_failure_policy.as_ref().map_or(BadValue::Null, |p| BadValue::go(&p.to_go())),
        &path.child("podFailurePolicy"),
    ));
    errs.extend(validate_immutable(
        &spec.backoff_limit_per_index,
        &old.backoff_limit_per_index,
        || spec.backoff_limit_per_index.into(),
        &path.child("backoffLimitPerIndex"),
    ));
    errs.extend(validate_immutable(&spec.managed_by, &old.managed_by, || spec.managed_by.clone().into(), &path.child("managedBy")));
    errs.extend(validate_immutable(
        &spec.success_policy,
        &old.success_policy,
        || spec.success_policy.as_ref().map_or(BadValue::Null, |p| BadValue::go(&p.to_go())),
        &path.child("successPolicy"),
    ));
    errs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_lists() {
        assert_eq!(parse_indexes("0,2-4", 5), Ok(4));
        assert_eq!(parse_indexes("1-0", 5), Err("non-increasing order, previous: 1, current: 0".into()));
        assert_eq!(parse_indexes("7", 5), Err("too large index: \"7\"".into()));
        assert_eq!(quoted_list(&["In", "NotIn"]), r#"["In" "NotIn"]"#);
    }

    #[test]
    fn dns_check_of_indexed_hostnames() {
        assert!(is_dns1123_label("job-4").is_empty());
    }
}

/// `ValidateCronJobCreate`: the name leaves room for the 11-character suffix of the Jobs it creates.
pub fn validate_cron_job(cj: &CronJob) -> Vec<FieldError> {
    let mut errs = validate_object_meta(&cj.metadata, true, name_is_dns_subdomain, &Path::new("metadata"));
    errs.extend(validate_cron_job_spec(&cj.spec, None, &Path::new("spec")));
    if cj.metadata.name.len() > 63 - 11 {
        errs.push(FieldError::invalid(&Path::new("metadata").child("name"), &cj.metadata.name, "must be no more than 52 characters"));
    }
    errs
}

/// `ValidateCronJobUpdate`.
pub fn validate_cron_job_update(cj: &CronJob, old: &CronJob) -> Vec<FieldError> {
    let mut errs = validate_object_meta_update(&cj.metadata, &old.metadata, &Path::new("metadata"));
    errs.extend(validate_cron_job_spec(&cj.spec, Some(&old.spec), &Path::new("spec")));
    errs
}

/// `validateCronJobSpec`: the schedule, the time zone (when new or changed), the concurrency policy, the job
/// template and the history limits.
fn validate_cron_job_spec(spec: &CronJobSpec, old: Option<&CronJobSpec>, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let schedule = path.child("schedule");
    if spec.schedule.is_empty() {
        errs.push(FieldError::required(&schedule, ""));
    } else {
        if let Err(e) = super::cron::parse_standard(&spec.schedule) {
            errs.push(FieldError::invalid(&schedule, &spec.schedule, e));
        }
        let allow_tz = old.is_some_and(|o| o.schedule.contains("TZ"));
        if allow_tz && spec.schedule.contains("TZ") && spec.time_zone.is_some() {
            errs.push(FieldError::invalid(&schedule, &spec.schedule, "cannot use both timeZone field and TZ or CRON_TZ in schedule"));
        } else if !allow_tz && spec.schedule.contains("TZ") {
            errs.push(FieldError::invalid(&schedule, &spec.schedule, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"));
        }
    }
    if let Some(d) = spec.starting_deadline_seconds {
        errs.extend(validate_nonnegative(d, &path.child("startingDeadlineSeconds")));
    }
    if old.is_none_or(|o| o.time_zone != spec.time_zone) {
        errs.extend(validate_time_zone(spec.time_zone.as_deref(), &path.child("timeZone")));
    }
    let policy = path.child("concurrencyPolicy");
    match spec.concurrency_policy.as_str() {
        "Allow" | "Forbid" | "Replace" => {}
        "" => errs.push(FieldError::required(&policy, "")),
        other => errs.push(FieldError::not_supported(&policy, other, &["Allow", "Forbid", "Replace"])),
    }
    let template = path.child("jobTemplate");
    let old_template = old.map(|o| &o.job_template.spec.template);
    let opts = PodOptions::for_template(old_template);
    errs.extend(validate_job_spec_fields(&spec.job_template.spec, &template.child("spec"), &opts));
    if let Some(sel) = &spec.job_template.spec.selector {
        errs.push(FieldError::invalid(&template.child("spec").child("selector"), selector_value(Some(sel)), "`selector` will be auto-generated"));
    }
    if spec.job_template.spec.manual_selector == Some(true) {
        errs.push(FieldError::not_supported(&template.child("spec").child("manualSelector"), true, &["nil", "false"]));
    }
    for (limit, field) in [(spec.successful_jobs_history_limit, "successfulJobsHistoryLimit"), (spec.failed_jobs_history_limit, "failedJobsHistoryLimit")] {
        if let Some(l) = limit {
            errs.extend(validate_nonnegative(i64::from(l), &path.child(field)));
        }
    }
    errs
}

/// `validateTimeZone`: a name `time.LoadLocation` knows, not `Local`.
fn validate_time_zone(tz: Option<&str>, path: &Path) -> Vec<FieldError> {
    let Some(tz) = tz else { return Vec::new() };
    if tz.is_empty() {
        return vec![FieldError::invalid(path, tz, "timeZone must be nil or non-empty string")];
    }
    let part_ok = |p: &str| {
        p != "." && p != ".." && !p.starts_with('-') && (1..=14).contains(&p.len())
            && p.bytes().all(|c| c.is_ascii_alphanumeric() || b".-_+".contains(&c))
    };
    if !tz.split('/').all(part_ok) {
        return vec![FieldError::invalid(path, tz, format!("unknown time zone {tz}"))];
    }
    let mut errs = Vec::new();
    if tz.eq_ignore_ascii_case("Local") {
        errs.push(FieldError::invalid(path, tz, "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"));
    }
    if let Err(e) = super::cron::load_location(tz) {
        errs.push(FieldError::invalid(path, tz, e));
    }
    errs
}

super::validate_by!(CronJob, create: validate_cron_job, update: validate_cron_job_update);
