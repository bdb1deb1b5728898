//! Defaults of the autoscaling group (`pkg/apis/autoscaling/v2/defaults.go`; an autoscaling/v1 object is
//! defaulted as v1 when it is read, see [`crate::api::conversion::hpa_from_v1`]).

use crate::api::autoscaling_v2::{HPAScalingPolicy, HPAScalingRules, HorizontalPodAutoscaler, MetricSpec};

/// `SetDefaults_HorizontalPodAutoscaler`: `minReplicas: 1`; no metric means 80% average CPU utilization; a
/// `behavior` given is completed with the default rules (scale up by 4 pods or 100% per 15 s, no stabilization;
/// scale down by 100% per 15 s, the controller's stabilization window).
pub fn default_horizontal_pod_autoscaler(hpa: &mut HorizontalPodAutoscaler) {
    hpa.spec.min_replicas.get_or_insert(1);
    if hpa.spec.metrics.is_empty() {
        hpa.spec.metrics.push(cpu_utilization(crate::api::conversion::DEFAULT_CPU_UTILIZATION));
    }
    if let Some(b) = hpa.spec.behavior.as_deref_mut() {
        b.scale_up = Some(Box::new(scaling_rules(b.scale_up.take(), scale_up_defaults())));
        b.scale_down = Some(Box::new(scaling_rules(b.scale_down.take(), scale_down_defaults())));
    }
}

fn cpu_utilization(percent: i32) -> MetricSpec {
    use crate::api::autoscaling_v2::{MetricTarget, ResourceMetricSource};
    MetricSpec {
        r#type: "Resource".into(),
        resource: Some(Box::new(ResourceMetricSource {
            name: "cpu".into(),
            target: MetricTarget { r#type: "Utilization".into(), average_utilization: Some(percent), ..Default::default() },
        })),
        ..Default::default()
    }
}

fn policy(r#type: &str, value: i32, period_seconds: i32) -> HPAScalingPolicy {
    HPAScalingPolicy { r#type: r#type.to_owned(), value, period_seconds }
}

fn scale_up_defaults() -> HPAScalingRules {
    HPAScalingRules {
        stabilization_window_seconds: Some(0),
        select_policy: Some("Max".to_owned()),
        policies: vec![policy("Pods", 4, 15), policy("Percent", 100, 15)],
    }
}

fn scale_down_defaults() -> HPAScalingRules {
    HPAScalingRules {
        stabilization_window_seconds: None,
        select_policy: Some("Max".to_owned()),
        policies: vec![policy("Percent", 100, 15)],
    }
}

/// `copyHPAScalingRules`: what the user gave wins, field by field (`policies` as a whole).
fn scaling_rules(given: Option<Box<HPAScalingRules>>, mut rules: HPAScalingRules) -> HPAScalingRules {
    if let Some(g) = given {
        if g.select_policy.is_some() {
            rules.select_policy = g.select_policy;
        }
        if g.stabilization_window_seconds.is_some() {
            rules.stabilization_window_seconds = g.stabilization_window_seconds;
        }
        // Go copies a non-nil list, even an empty one; kubeplan cannot tell an empty list from a missing one.
        if !g.policies.is_empty() {
            rules.policies = g.policies;
        }
    }
    rules
}

super::defaults_by! { HorizontalPodAutoscaler => default_horizontal_pod_autoscaler }
