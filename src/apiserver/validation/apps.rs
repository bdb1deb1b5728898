//! DaemonSets, Deployments, ReplicaSets and StatefulSets (`pkg/apis/apps/validation/validation.go`) with the
//! extra update rules of their registry strategies (`pkg/registry/apps/*/strategy.go`: the selector is immutable
//! in `apps/v1`).

use crate::api::apps_v1::{
    DaemonSet, DaemonSetSpec, DaemonSetUpdateStrategy, Deployment, DeploymentSpec, DeploymentStrategy, ReplicaSet,
    ReplicaSetSpec, StatefulSet, StatefulSetSpec,
};
use crate::api::core_v1::PodTemplateSpec;
use crate::api::labels::Selector;
use crate::api::meta_v1::LabelSelector;
use crate::api::IntOrString;
use crate::go::{GoValue, ToGo};

use super::core::{template_labels_value, validate_pod_specific_annotations, validate_pod_template_spec, PodOptions};
use super::field::{BadValue, FieldError, Path};
use super::meta::{
    label_selector_as_selector, name_is_dns_label, name_is_dns_subdomain, regex_error, selector_has_invalid_label_value,
    selector_value, validate_annotations, validate_immutable, validate_label_selector, validate_labels,
    validate_nonnegative, validate_object_meta, validate_object_meta_update, SelectorOptions,
};

const SELECTOR_MISMATCH: &str = "`selector` does not match template `labels`";

/// `ValidateDaemonSet`.
pub fn validate_daemon_set(ds: &DaemonSet, opts: &PodOptions) -> Vec<FieldError> {
    let mut errs = validate_object_meta(&ds.metadata, true, name_is_dns_subdomain, &Path::new("metadata"));
    errs.extend(validate_daemon_set_spec(&ds.spec, &Path::new("spec"), opts));
    errs
}

/// The strategy's `ValidateUpdate`: the DaemonSet as on create, `ValidateDaemonSetUpdate`, and an immutable
/// selector. (The template-generation rules of `ValidateDaemonSetSpecUpdate` cannot fail: `PrepareForUpdate`
/// sets the generation itself.)
pub fn validate_daemon_set_update(ds: &DaemonSet, old: &DaemonSet) -> Vec<FieldError> {
    let mut opts = PodOptions::for_template(Some(&old.spec.template));
    opts.allow_invalid_label_value_in_selector |= selector_has_invalid_label_value(old.spec.selector.as_deref());
    let mut errs = validate_daemon_set(ds, &opts);
    errs.extend(validate_object_meta_update(&ds.metadata, &old.metadata, &Path::new("metadata")));
    errs.extend(validate_daemon_set_spec(&ds.spec, &Path::new("spec"), &opts));
    errs.extend(immutable_selector(ds.spec.selector.as_deref(), old.spec.selector.as_deref()));
    errs
}

/// `ValidateImmutableField` on `spec.selector`.
fn immutable_selector(new: Option<&LabelSelector>, old: Option<&LabelSelector>) -> Vec<FieldError> {
    validate_immutable(&new, &old, || selector_value(new), &Path::new("spec").child("selector"))
}

/// Whether a parsed selector matches the template's labels.
fn matches_template(sel: &Selector, t: &PodTemplateSpec) -> bool {
    sel.matches(&t.metadata.labels)
}

/// `ValidateDaemonSetSpec`.
pub fn validate_daemon_set_spec(spec: &DaemonSetSpec, path: &Path, opts: &PodOptions) -> Vec<FieldError> {
    let so = SelectorOptions { allow_invalid_label_value: opts.allow_invalid_label_value_in_selector };
    let sel_path = path.child("selector");
    let mut errs = validate_label_selector(spec.selector.as_deref(), so, &sel_path);
    if let Some(sel) = label_selector_as_selector(spec.selector.as_deref()) {
        if !matches_template(&sel, &spec.template) {
            errs.push(FieldError::invalid(
                &path.child("template").child("metadata").child("labels"),
                template_labels_value(&spec.template),
                SELECTOR_MISMATCH,
            ));
        }
    }
    if let Some(s) = spec.selector.as_deref() {
        if s.match_labels.len() + s.match_expressions.len() == 0 {
            errs.push(FieldError::invalid(&sel_path, selector_value(Some(s)), "empty selector is invalid for daemonset"));
        }
    }
    let tp = path.child("template");
    errs.extend(validate_pod_template_spec(&spec.template, &tp, opts));
    errs.extend(template_must_always_restart(&spec.template, &tp, "DaemonSet"));
    errs.extend(validate_nonnegative(i64::from(spec.min_ready_seconds), &path.child("minReadySeconds")));
    errs.extend(validate_daemon_set_update_strategy(&spec.update_strategy, &path.child("updateStrategy")));
    if let Some(l) = spec.revision_history_limit {
        errs.extend(validate_nonnegative(i64::from(l), &path.child("revisionHistoryLimit")));
    }
    errs
}

/// The controller templates' shared rules: `restartPolicy: Always` and no `activeDeadlineSeconds`.
fn template_must_always_restart(t: &PodTemplateSpec, path: &Path, kind: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let sp = path.child("spec");
    if t.spec.restart_policy != "Always" {
        errs.push(FieldError::not_supported(&sp.child("restartPolicy"), &t.spec.restart_policy, &["Always"]));
    }
    if t.spec.active_deadline_seconds.is_some() {
        errs.push(FieldError::forbidden(&sp.child("activeDeadlineSeconds"), format!("activeDeadlineSeconds in {kind} is not Supported")));
    }
    errs
}

/// `ValidateDaemonSetUpdateStrategy`.
fn validate_daemon_set_update_strategy(s: &DaemonSetUpdateStrategy, path: &Path) -> Vec<FieldError> {
    match s.r#type.as_str() {
        "OnDelete" => Vec::new(),
        "RollingUpdate" => {
            let rp = path.child("rollingUpdate");
            let Some(ru) = &s.rolling_update else { return vec![FieldError::required(&rp, "")] };
            let zero = IntOrString::Int(0);
            let max_unavailable = ru.max_unavailable.as_ref().unwrap_or(&zero);
            let max_surge = ru.max_surge.as_ref().unwrap_or(&zero);
            let mut errs = validate_positive_int_or_percent(max_unavailable, &rp.child("maxUnavailable"));
            errs.extend(validate_positive_int_or_percent(max_surge, &rp.child("maxSurge")));
            errs.extend(not_more_than_100_percent(max_unavailable, &rp.child("maxUnavailable")));
            errs.extend(not_more_than_100_percent(max_surge, &rp.child("maxSurge")));
            let has_unavailable = int_or_percent_value(max_unavailable) != 0;
            let has_surge = int_or_percent_value(max_surge) != 0;
            if has_unavailable && has_surge {
                errs.push(FieldError::invalid(&rp.child("maxSurge"), BadValue::go(&max_surge.to_go()), "may not be set when maxUnavailable is non-zero"));
            } else if !has_unavailable && !has_surge {
                errs.push(FieldError::required(&rp.child("maxUnavailable"), "cannot be 0 when maxSurge is 0"));
            }
            errs
        }
        _ => vec![FieldError::not_supported(path, BadValue::go(&s.to_go()), &["RollingUpdate", "OnDelete"])],
    }
}

/// `IsValidPercent`: `^[0-9]+%$`.
fn is_valid_percent(s: &str) -> bool {
    s.strip_suffix('%').is_some_and(|n| !n.is_empty() && n.bytes().all(|c| c.is_ascii_digit()))
}

/// `intstr.IntValue`: a string reads as a decimal integer, or 0.
fn int_value(v: &IntOrString) -> i64 {
    match v {
        IntOrString::Int(i) => i64::from(*i),
        IntOrString::String(s) => s.parse::<i64>().unwrap_or(0),
    }
}

/// `getIntOrPercentValue`: the number of a valid percentage, else `IntValue`.
fn int_or_percent_value(v: &IntOrString) -> i64 {
    match v {
        IntOrString::String(s) if is_valid_percent(s) => s[..s.len() - 1].parse().unwrap_or(0),
        _ => int_value(v),
    }
}

/// `ValidatePositiveIntOrPercent`.
pub fn validate_positive_int_or_percent(v: &IntOrString, path: &Path) -> Vec<FieldError> {
    match v {
        IntOrString::String(s) if !is_valid_percent(s) => vec![FieldError::invalid(
            path,
            BadValue::go(&v.to_go()),
            regex_error("a valid percent string must be a numeric string followed by an ending '%'", "[0-9]+%", &["1%", "93%"]),
        )],
        IntOrString::String(_) => Vec::new(),
        IntOrString::Int(_) => validate_nonnegative(int_value(v), path),
    }
}

/// `IsNotMoreThan100Percent`.
pub fn not_more_than_100_percent(v: &IntOrString, path: &Path) -> Vec<FieldError> {
    match v {
        IntOrString::String(s) if is_valid_percent(s) && int_or_percent_value(v) > 100 => {
            vec![FieldError::invalid(path, BadValue::go(&v.to_go()), "must not be greater than 100%")]
        }
        _ => Vec::new(),
    }
}

/// `ValidateDeployment`.
pub fn validate_deployment(d: &Deployment, opts: &PodOptions) -> Vec<FieldError> {
    let mut errs = validate_object_meta(&d.metadata, true, name_is_dns_subdomain, &Path::new("metadata"));
    errs.extend(validate_deployment_spec(&d.spec, &Path::new("spec"), opts));
    errs
}

/// The strategy's `ValidateUpdate`: `ValidateDeploymentUpdate` and an immutable selector.
pub fn validate_deployment_update(d: &Deployment, old: &Deployment) -> Vec<FieldError> {
    let opts = PodOptions::for_template(Some(&old.spec.template));
    let mut errs = validate_object_meta_update(&d.metadata, &old.metadata, &Path::new("metadata"));
    errs.extend(validate_deployment_spec(&d.spec, &Path::new("spec"), &opts));
    errs.extend(immutable_selector(d.spec.selector.as_deref(), old.spec.selector.as_deref()));
    errs
}

/// The selector rules Deployments and ReplicaSets share: required, valid, not empty (both say "deployment").
fn validate_required_selector(sel: Option<&LabelSelector>, path: &Path, kind: &str) -> Vec<FieldError> {
    let p = path.child("selector");
    let Some(s) = sel else { return vec![FieldError::required(&p, "")] };
    let mut errs = validate_label_selector(Some(s), SelectorOptions::default(), &p);
    if s.match_labels.len() + s.match_expressions.len() == 0 {
        errs.push(FieldError::invalid(&p, selector_value(Some(s)), format!("empty selector is invalid for {kind}")));
    }
    errs
}

/// `ValidatePodTemplateSpecForReplicaSet` after `LabelSelectorAsSelector`.
fn validate_template_for_replica_set(sel: Option<&LabelSelector>, t: &PodTemplateSpec, path: &Path, opts: &PodOptions, kind: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let selector = match label_selector_as_selector(sel) {
        Some(s) => s,
        None => return vec![FieldError::invalid(&path.child("selector"), selector_value(sel), "invalid label selector")],
    };
    let tp = path.child("template");
    if !selector.is_empty() && !matches_template(&selector, t) {
        errs.push(FieldError::invalid(&tp.child("metadata").child("labels"), template_labels_value(t), SELECTOR_MISMATCH));
    }
    errs.extend(validate_pod_template_spec(t, &tp, opts));
    errs.extend(template_must_always_restart(t, &tp, kind));
    errs
}

/// `ValidateDeploymentSpec`.
fn validate_deployment_spec(spec: &DeploymentSpec, path: &Path, opts: &PodOptions) -> Vec<FieldError> {
    let mut errs = validate_nonnegative(i64::from(spec.replicas.unwrap_or(0)), &path.child("replicas"));
    errs.extend(validate_required_selector(spec.selector.as_deref(), path, "deployment"));
    errs.extend(validate_template_for_replica_set(spec.selector.as_deref(), &spec.template, path, opts, "ReplicaSet"));
    errs.extend(validate_deployment_strategy(&spec.strategy, &path.child("strategy")));
    errs.extend(validate_nonnegative(i64::from(spec.min_ready_seconds), &path.child("minReadySeconds")));
    if let Some(l) = spec.revision_history_limit {
        errs.extend(validate_nonnegative(i64::from(l), &path.child("revisionHistoryLimit")));
    }
    if let Some(p) = spec.progress_deadline_seconds {
        errs.extend(validate_nonnegative(i64::from(p), &path.child("progressDeadlineSeconds")));
        if p <= spec.min_ready_seconds {
            errs.push(FieldError::invalid(&path.child("progressDeadlineSeconds"), p, "must be greater than minReadySeconds"));
        }
    }
    errs
}

/// `ValidateDeploymentStrategy` and `ValidateRollingUpdateDeployment`.
fn validate_deployment_strategy(s: &DeploymentStrategy, path: &Path) -> Vec<FieldError> {
    let rp = path.child("rollingUpdate");
    match s.r#type.as_str() {
        "Recreate" => match s.rolling_update {
            Some(_) => vec![FieldError::forbidden(&rp, "may not be specified when strategy `type` is 'Recreate'")],
            None => Vec::new(),
        },
        "RollingUpdate" => {
            let Some(ru) = &s.rolling_update else {
                return vec![FieldError::required(&rp, "this should be defaulted and never be nil")];
            };
            let zero = IntOrString::Int(0);
            let max_unavailable = ru.max_unavailable.as_ref().unwrap_or(&zero);
            let max_surge = ru.max_surge.as_ref().unwrap_or(&zero);
            let mut errs = validate_positive_int_or_percent(max_unavailable, &rp.child("maxUnavailable"));
            errs.extend(validate_positive_int_or_percent(max_surge, &rp.child("maxSurge")));
            if int_or_percent_value(max_unavailable) == 0 && int_or_percent_value(max_surge) == 0 {
                errs.push(FieldError::invalid(
                    &rp.child("maxUnavailable"),
                    BadValue::go(&max_unavailable.to_go()),
                    "may not be 0 when `maxSurge` is 0",
                ));
            }
            errs.extend(not_more_than_100_percent(max_unavailable, &rp.child("maxUnavailable")));
            errs
        }
        _ => vec![FieldError::not_supported(path, BadValue::go(&s.to_go()), &["Recreate", "RollingUpdate"])],
    }
}

/// `ValidateReplicaSet`.
pub fn validate_replica_set(rs: &ReplicaSet, opts: &PodOptions) -> Vec<FieldError> {
    let mut errs = validate_object_meta(&rs.metadata, true, name_is_dns_subdomain, &Path::new("metadata"));
    errs.extend(validate_replica_set_spec(&rs.spec, &Path::new("spec"), opts));
    errs
}

/// The strategy's `ValidateUpdate`: the ReplicaSet as on create, `ValidateReplicaSetUpdate`, and an immutable
/// selector.
pub fn validate_replica_set_update(rs: &ReplicaSet, old: &ReplicaSet) -> Vec<FieldError> {
    let opts = PodOptions::for_template(Some(&old.spec.template));
    let mut errs = validate_replica_set(rs, &opts);
    errs.extend(validate_object_meta_update(&rs.metadata, &old.metadata, &Path::new("metadata")));
    errs.extend(validate_replica_set_spec(&rs.spec, &Path::new("spec"), &opts));
    errs.extend(immutable_selector(rs.spec.selector.as_deref(), old.spec.selector.as_deref()));
    errs
}

/// `ValidateReplicaSetSpec`.
fn validate_replica_set_spec(spec: &ReplicaSetSpec, path: &Path, opts: &PodOptions) -> Vec<FieldError> {
    let mut errs = validate_nonnegative(i64::from(spec.replicas.unwrap_or(0)), &path.child("replicas"));
    errs.extend(validate_nonnegative(i64::from(spec.min_ready_seconds), &path.child("minReadySeconds")));
    errs.extend(validate_required_selector(spec.selector.as_deref(), path, "deployment"));
    errs.extend(validate_template_for_replica_set(spec.selector.as_deref(), &spec.template, path, opts, "ReplicaSet"));
    errs
}

/// `ValidateStatefulSet`: the name must be a DNS label, as pod names append `-<ordinal>` to it.
pub fn validate_stateful_set(ss: &StatefulSet, opts: &PodOptions) -> Vec<FieldError> {
    let mut errs = validate_object_meta(&ss.metadata, true, name_is_dns_label, &Path::new("metadata"));
    errs.extend(validate_stateful_set_spec(&ss.spec, &Path::new("spec"), opts));
    errs
}

/// `ValidateStatefulSetUpdate`: only replicas, ordinals, template, update strategy, PVC retention policy and
/// minReadySeconds may change.
pub fn validate_stateful_set_update(ss: &StatefulSet, old: &StatefulSet) -> Vec<FieldError> {
    let opts = PodOptions::for_template(Some(&old.spec.template));
    let mut errs = validate_object_meta_update(&ss.metadata, &old.metadata, &Path::new("metadata"));
    errs.extend(validate_stateful_set_spec(&ss.spec, &Path::new("spec"), &opts));
    let mut spec = ss.spec.clone();
    spec.replicas = old.spec.replicas;
    spec.template = old.spec.template.clone();
    spec.update_strategy = old.spec.update_strategy.clone();
    spec.min_ready_seconds = old.spec.min_ready_seconds;
    spec.ordinals = old.spec.ordinals.clone();
    spec.persistent_volume_claim_retention_policy = old.spec.persistent_volume_claim_retention_policy.clone();
    if spec != old.spec {
        errs.push(FieldError::forbidden(
            &Path::new("spec"),
            "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
        ));
    }
    errs
}

/// The internal `apps.RollingUpdateStatefulSetStrategy`, whose partition is an `int32` rather than v1's
/// pointer, as `%#v` prints it.
fn internal_rolling_update_statefulset(ru: &crate::api::apps_v1::RollingUpdateStatefulSetStrategy) -> BadValue {
    let v = GoValue::Struct(
        "apps.RollingUpdateStatefulSetStrategy",
        vec![
            ("Partition", GoValue::Int("int32", i64::from(ru.partition.unwrap_or(0)))),
            ("MaxUnavailable", GoValue::ptr("*intstr.IntOrString", ru.max_unavailable.as_ref().map(|m| m.to_go()))),
        ],
    );
    BadValue::go(&v)
}

/// `ValidateStatefulSetSpec`. A StatefulSet's pod spec is not validated beyond its labels and annotations
/// (`ValidatePodTemplateSpecForStatefulSet`), as in Kubernetes. `rollingUpdate.maxUnavailable` is dropped
/// before validation (`MaxUnavailableStatefulSet` is off in v1.32).
fn validate_stateful_set_spec(spec: &StatefulSetSpec, path: &Path, opts: &PodOptions) -> Vec<FieldError> {
    let mut errs = Vec::new();
    match spec.pod_management_policy.as_str() {
        "" => errs.push(FieldError::required(&path.child("podManagementPolicy"), "")),
        "OrderedReady" | "Parallel" => {}
        other => errs.push(FieldError::invalid(&path.child("podManagementPolicy"), other, "must be 'OrderedReady' or 'Parallel'")),
    }
    let up = path.child("updateStrategy");
    match spec.update_strategy.r#type.as_str() {
        "" => errs.push(FieldError::required(&up, "")),
        "OnDelete" => {
            if let Some(ru) = &spec.update_strategy.rolling_update {
                errs.push(FieldError::invalid(&up.child("rollingUpdate"), internal_rolling_update_statefulset(ru), "only allowed for updateStrategy 'RollingUpdate'"));
            }
        }
        "RollingUpdate" => {
            if let Some(ru) = &spec.update_strategy.rolling_update {
                errs.extend(validate_nonnegative(i64::from(ru.partition.unwrap_or(0)), &up.child("rollingUpdate").child("partition")));
            }
        }
        _ => errs.push(FieldError::invalid(&up, BadValue::go(&spec.update_strategy.to_go()), "must be 'RollingUpdate' or 'OnDelete'")),
    }
    if let Some(p) = &spec.persistent_volume_claim_retention_policy {
        let pp = path.child("persistentVolumeClaimRetentionPolicy");
        for (name, v) in [("whenDeleted", &p.when_deleted), ("whenScaled", &p.when_scaled)] {
            if v != "Retain" && v != "Delete" {
                errs.push(FieldError::not_supported(&pp.child(name), v, &["Retain", "Delete"]));
            }
        }
    }
    errs.extend(validate_nonnegative(i64::from(spec.replicas.unwrap_or(0)), &path.child("replicas")));
    errs.extend(validate_nonnegative(i64::from(spec.min_ready_seconds), &path.child("minReadySeconds")));
    if let Some(o) = &spec.ordinals {
        errs.extend(validate_nonnegative(i64::from(o.start), &path.child("ordinals.start")));
    }
    let sp = path.child("selector");
    match spec.selector.as_deref() {
        None => errs.push(FieldError::required(&sp, "")),
        Some(s) => {
            errs.extend(validate_label_selector(Some(s), SelectorOptions::default(), &sp));
            if s.match_labels.len() + s.match_expressions.len() == 0 {
                errs.push(FieldError::invalid(&sp, selector_value(Some(s)), "empty selector is invalid for statefulset"));
            }
        }
    }
    let tp = path.child("template");
    match label_selector_as_selector(spec.selector.as_deref()) {
        None => errs.push(FieldError::invalid(&sp, selector_value(spec.selector.as_deref()), "")),
        Some(sel) => {
            let t = &spec.template;
            if !sel.is_empty() && !matches_template(&sel, t) {
                errs.push(FieldError::invalid(&tp.child("metadata").child("labels"), template_labels_value(t), SELECTOR_MISMATCH));
            }
            errs.extend(validate_labels(&t.metadata.labels, &tp.child("labels")));
            errs.extend(validate_annotations(&t.metadata.annotations, &tp.child("annotations")));
            errs.extend(validate_pod_specific_annotations(&t.metadata.annotations, &t.spec, &tp.child("annotations"), opts));
        }
    }
    errs.extend(template_must_always_restart(&spec.template, &tp, "StatefulSet"));
    errs
}
