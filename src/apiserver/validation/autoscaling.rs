//! HorizontalPodAutoscalers (`pkg/apis/autoscaling/validation/validation.go`), validated in the v2 form they are
//! stored in, whatever version they were sent in.

use std::collections::BTreeSet;

use crate::api::autoscaling_v2::{
    CrossVersionObjectReference, HPAScalingRules, HorizontalPodAutoscaler, HorizontalPodAutoscalerSpec, MetricIdentifier,
    MetricSpec, MetricTarget,
};
use crate::go::ToGo;

use super::meta::dns1123_label_errors;
use super::core::{validate_container_resource_name};
use super::field::{BadValue, FieldError, Path};
use super::meta::{name_is_dns_subdomain, validate_object_meta, validate_object_meta_update};

/// `MaxPeriodSeconds` and `MaxStabilizationWindowSeconds`.
const MAX_PERIOD_SECONDS: i32 = 1800;
const MAX_STABILIZATION_WINDOW_SECONDS: i32 = 3600;

/// `IsValidPathSegmentName`: not `.` or `..`, no `/` or `%`.
pub fn path_segment_errors(name: &str) -> Vec<String> {
    super::meta::name_is_path_segment(name, false)
}

fn segment_field(value: &str, path: &Path) -> Vec<FieldError> {
    if value.is_empty() {
        return vec![FieldError::required(path, "")];
    }
    path_segment_errors(value).into_iter().map(|m| FieldError::invalid(path, value, m)).collect()
}

/// `ValidateCrossVersionObjectReference`.
fn validate_reference(r: &CrossVersionObjectReference, path: &Path) -> Vec<FieldError> {
    let mut errs = segment_field(&r.kind, &path.child("kind"));
    errs.extend(segment_field(&r.name, &path.child("name")));
    errs
}

/// `validateHorizontalPodAutoscalerSpec`, with `minReplicas` at least `min_lower_bound` (1: HPAScaleToZero is off).
fn validate_spec(spec: &HorizontalPodAutoscalerSpec, path: &Path, min_lower_bound: i32) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if let Some(min) = spec.min_replicas.filter(|m| *m < min_lower_bound) {
        errs.push(FieldError::invalid(&path.child("minReplicas"), min, format!("must be greater than or equal to {min_lower_bound}")));
    }
    if spec.max_replicas < 1 {
        errs.push(FieldError::invalid(&path.child("maxReplicas"), spec.max_replicas, "must be greater than 0"));
    }
    if spec.min_replicas.is_some_and(|m| spec.max_replicas < m) {
        errs.push(FieldError::invalid(&path.child("maxReplicas"), spec.max_replicas, "must be greater than or equal to `minReplicas`"));
    }
    errs.extend(validate_reference(&spec.scale_target_ref, &path.child("scaleTargetRef")));
    let metrics = path.child("metrics");
    for (i, m) in spec.metrics.iter().enumerate() {
        errs.extend(validate_metric(m, &metrics.index(i)));
    }
    let object_or_external = spec.metrics.iter().any(|m| m.r#type == "Object" || m.r#type == "External");
    if spec.min_replicas == Some(0) && !object_or_external {
        errs.push(FieldError::forbidden(&metrics, "must specify at least one Object or External metric to support scaling to zero replicas"));
    }
    if let Some(b) = &spec.behavior {
        let behavior = path.child("behavior");
        errs.extend(validate_rules(b.scale_up.as_deref(), &behavior.child("scaleUp")));
        errs.extend(validate_rules(b.scale_down.as_deref(), &behavior.child("scaleDown")));
    }
    errs
}

/// `validateScalingRules` and `validateScalingPolicy`.
fn validate_rules(rules: Option<&HPAScalingRules>, path: &Path) -> Vec<FieldError> {
    let Some(rules) = rules else { return Vec::new() };
    let mut errs = Vec::new();
    if let Some(w) = rules.stabilization_window_seconds {
        let p = path.child("stabilizationWindowSeconds");
        if w < 0 {
            errs.push(FieldError::invalid(&p, w, "must be greater than or equal to zero"));
        }
        if w > MAX_STABILIZATION_WINDOW_SECONDS {
            errs.push(FieldError::invalid(&p, w, format!("must be less than or equal to {MAX_STABILIZATION_WINDOW_SECONDS}")));
        }
    }
    if let Some(s) = &rules.select_policy {
        if !["Disabled", "Max", "Min"].contains(&s.as_str()) {
            errs.push(FieldError::not_supported(&path.child("selectPolicy"), s, &["Disabled", "Max", "Min"]));
        }
    }
    let policies = path.child("policies");
    if rules.policies.is_empty() {
        errs.push(FieldError::required(&policies, "must specify at least one Policy"));
    }
    for (i, p) in rules.policies.iter().enumerate() {
        let pp = policies.index(i);
        if p.r#type != "Pods" && p.r#type != "Percent" {
            errs.push(FieldError::not_supported(&pp.child("type"), &p.r#type, &["Percent", "Pods"]));
        }
        if p.value <= 0 {
            errs.push(FieldError::invalid(&pp.child("value"), p.value, "must be greater than zero"));
        }
        if p.period_seconds <= 0 {
            errs.push(FieldError::invalid(&pp.child("periodSeconds"), p.period_seconds, "must be greater than zero"));
        }
        if p.period_seconds > MAX_PERIOD_SECONDS {
            errs.push(FieldError::invalid(&pp.child("periodSeconds"), p.period_seconds, format!("must be less than or equal to {MAX_PERIOD_SECONDS}")));
        }
    }
    errs
}

const METRIC_TYPES: [&str; 5] = ["ContainerResource", "External", "Object", "Pods", "Resource"];

/// `validateMetricSpec`: a known type, its source (and only it).
fn validate_metric(m: &MetricSpec, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if m.r#type.is_empty() {
        errs.push(FieldError::required(&path.child("type"), "must specify a metric source type"));
    }
    if !METRIC_TYPES.contains(&m.r#type.as_str()) {
        errs.push(FieldError::not_supported(&path.child("type"), &m.r#type, &METRIC_TYPES));
    }
    let mut present = BTreeSet::new();
    if let Some(o) = &m.object {
        present.insert("object");
        if present.len() == 1 {
            let p = path.child("object");
            errs.extend(validate_reference(&o.described_object, &p.child("describedObject")));
            errs.extend(validate_identifier(&o.metric, &p.child("metric")));
            errs.extend(validate_target(&o.target, &p.child("target")));
            if o.target.value.is_none() && o.target.average_value.is_none() {
                errs.push(FieldError::required(&p.child("target").child("averageValue"), "must set either a target value or averageValue"));
            }
        }
    }
    if let Some(e) = &m.external {
        present.insert("external");
        if present.len() == 1 {
            let p = path.child("external");
            errs.extend(validate_identifier(&e.metric, &p.child("metric")));
            errs.extend(validate_target(&e.target, &p.child("target")));
            if e.target.value.is_none() && e.target.average_value.is_none() {
                errs.push(FieldError::required(
                    &p.child("target").child("averageValue"),
                    "must set either a target value for metric or a per-pod target",
                ));
            }
            if e.target.value.is_some() && e.target.average_value.is_some() {
                errs.push(FieldError::forbidden(&p.child("target").child("value"), "may not set both a target value for metric and a per-pod target"));
            }
        }
    }
    if let Some(pods) = &m.pods {
        present.insert("pods");
        if present.len() == 1 {
            let p = path.child("pods");
            errs.extend(validate_identifier(&pods.metric, &p.child("metric")));
            errs.extend(validate_target(&pods.target, &p.child("target")));
            if pods.target.average_value.is_none() {
                errs.push(FieldError::required(&p.child("target").child("averageValue"), "must specify a positive target averageValue"));
            }
        }
    }
    if let Some(r) = &m.resource {
        present.insert("resource");
        if present.len() == 1 {
            let p = path.child("resource");
            if r.name.is_empty() {
                errs.push(FieldError::required(&p.child("name"), "must specify a resource name"));
            }
            errs.extend(validate_target(&r.target, &p.child("target")));
            errs.extend(utilization_or_value(&r.target, &p.child("target")));
        }
    }
    if let Some(c) = &m.container_resource {
        present.insert("containerResource");
        if present.len() == 1 {
            let p = path.child("containerResource");
            if c.name.is_empty() {
                errs.push(FieldError::required(&p.child("name"), "must specify a resource name"));
            } else {
                errs.extend(validate_container_resource_name(&c.name, &p.child("name")));
            }
            if c.container.is_empty() {
                errs.push(FieldError::required(&p.child("container"), "must specify a container"));
            } else {
                errs.extend(dns1123_label_errors(&c.container, &p.child("container")));
            }
            errs.extend(validate_target(&c.target, &p.child("target")));
            errs.extend(utilization_or_value(&c.target, &p.child("target")));
        }
    }
    let expected = match m.r#type.as_str() {
        "Object" => Some(("object", m.object.is_some())),
        "Pods" => Some(("pods", m.pods.is_some())),
        "Resource" => Some(("resource", m.resource.is_some())),
        "External" => Some(("external", m.external.is_some())),
        "ContainerResource" => Some(("containerResource", m.container_resource.is_some())),
        _ => None,
    };
    match expected {
        Some((field, false)) => errs.push(FieldError::required(&path.child(field), "must populate information for the given metric source")),
        Some(_) => {}
        None => errs.push(FieldError::not_supported(&path.child("type"), &m.r#type, &METRIC_TYPES)),
    }
    if present.len() != 1 {
        if let Some((field, _)) = expected {
            present.remove(field);
        }
        for field in present {
            errs.push(FieldError::forbidden(&path.child(field), "must populate the given metric source only"));
        }
    }
    errs
}

/// A Resource or ContainerResource target is a utilization or an average value, not both.
fn utilization_or_value(t: &MetricTarget, path: &Path) -> Vec<FieldError> {
    match (t.average_utilization.is_some(), t.average_value.is_some()) {
        (false, false) => vec![FieldError::required(&path.child("averageUtilization"), "must set either a target raw value or a target utilization")],
        (true, true) => vec![FieldError::forbidden(&path.child("averageValue"), "may not set both a target raw value and a target utilization")],
        _ => Vec::new(),
    }
}

/// `validateMetricTarget`.
fn validate_target(t: &MetricTarget, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if t.r#type.is_empty() {
        errs.push(FieldError::required(&path.child("type"), "must specify a metric target type"));
    }
    if !["Utilization", "Value", "AverageValue"].contains(&t.r#type.as_str()) {
        errs.push(FieldError::invalid(&path.child("type"), &t.r#type, "must be either Utilization, Value, or AverageValue"));
    }
    for (q, field) in [(&t.value, "value"), (&t.average_value, "averageValue")] {
        if let Some(q) = q.as_ref().filter(|q| q.sign() != 1) {
            errs.push(FieldError::invalid(&path.child(field), BadValue::go(&q.to_go()), "must be positive"));
        }
    }
    if let Some(u) = t.average_utilization.filter(|u| *u < 1) {
        errs.push(FieldError::invalid(&path.child("averageUtilization"), u, "must be greater than 0"));
    }
    errs
}

/// `validateMetricIdentifier`.
fn validate_identifier(id: &MetricIdentifier, path: &Path) -> Vec<FieldError> {
    let name = path.child("name");
    if id.name.is_empty() {
        return vec![FieldError::required(&name, "must specify a metric name")];
    }
    path_segment_errors(&id.name).into_iter().map(|m| FieldError::invalid(&name, &id.name, m)).collect()
}

pub fn validate_hpa(hpa: &HorizontalPodAutoscaler) -> Vec<FieldError> {
    let mut errs = validate_object_meta(&hpa.metadata, true, name_is_dns_subdomain, &Path::new("metadata"));
    errs.extend(validate_spec(&hpa.spec, &Path::new("spec"), 1));
    errs
}

/// `ValidateHorizontalPodAutoscalerUpdate`: an HPA stored with `minReplicas: 0` may keep it.
pub fn validate_hpa_update(hpa: &HorizontalPodAutoscaler, old: &HorizontalPodAutoscaler) -> Vec<FieldError> {
    let mut errs = validate_object_meta_update(&hpa.metadata, &old.metadata, &Path::new("metadata"));
    let lower = if old.spec.min_replicas == Some(0) { 0 } else { 1 };
    errs.extend(validate_spec(&hpa.spec, &Path::new("spec"), lower));
    errs
}

super::validate_by!(HorizontalPodAutoscaler, create: validate_hpa, update: validate_hpa_update);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::autoscaling_v2::{HPAScalingPolicy, HorizontalPodAutoscalerBehavior, PodsMetricSource};

    #[test]
    fn pods_metrics_need_a_name_and_periods_are_bounded() {
        let mut hpa = HorizontalPodAutoscaler::default();
        hpa.metadata.name = "w".into();
        hpa.metadata.namespace = "default".into();
        hpa.spec.max_replicas = 3;
        hpa.spec.min_replicas = Some(1);
        hpa.spec.scale_target_ref = CrossVersionObjectReference { kind: "Deployment".into(), name: "w".into(), api_version: "apps/v1".into() };
        hpa.spec.metrics.push(MetricSpec {
            r#type: "Pods".into(),
            pods: Some(Box::new(PodsMetricSource {
                metric: MetricIdentifier::default(),
                target: MetricTarget { r#type: "AverageValue".into(), average_value: Some(crate::api::Quantity::parse("1").unwrap()), ..Default::default() },
            })),
            ..Default::default()
        });
        hpa.spec.behavior = Some(Box::new(HorizontalPodAutoscalerBehavior {
            scale_down: Some(Box::new(HPAScalingRules {
                policies: vec![HPAScalingPolicy { r#type: "Percent".into(), value: 10, period_seconds: 3600 }],
                ..Default::default()
            })),
            ..Default::default()
        }));
        let msgs: Vec<String> = validate_hpa(&hpa).iter().map(ToString::to_string).collect();
        assert_eq!(
            msgs,
            [
                "spec.metrics[0].pods.metric.name: Required value: must specify a metric name",
                "spec.behavior.scaleDown.policies[0].periodSeconds: Invalid value: 3600: must be less than or equal to 1800",
            ]
        );
    }
}
