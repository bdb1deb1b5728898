//! Conversions between the served versions of one kind (`pkg/apis/<group>/<version>/conversion.go`).
//!
//! kubeplan stores each kind in one version. A HorizontalPodAutoscaler is stored as autoscaling/v2, which holds
//! everything the internal type holds; one sent as autoscaling/v1 is converted on the way in and returned in
//! v1 on the way out, as the API server does for a client of that version.

use super::autoscaling_v1 as v1;
use super::autoscaling_v2 as v2;

/// `autoscaling.DefaultCPUUtilization`: the target an autoscaling/v1 HPA without one gets.
pub const DEFAULT_CPU_UTILIZATION: i32 = 80;

/// `SetDefaults_HorizontalPodAutoscaler` of autoscaling/v1 (`minReplicas: 1`), then
/// `Convert_v1_HorizontalPodAutoscaler_To_autoscaling_HorizontalPodAutoscaler`: the CPU target becomes a
/// Resource metric, and an HPA with no metric gets the CPU target of 80% the v1 controller always implied.
///
/// Not modelled: the round-trip annotations (`autoscaling.alpha.kubernetes.io/metrics`, `.../behavior`, ...)
/// through which a v1 client can carry the v2 fields.
pub fn hpa_from_v1(hpa: v1::HorizontalPodAutoscaler) -> v2::HorizontalPodAutoscaler {
    let v1::HorizontalPodAutoscaler { metadata, spec, status, .. } = hpa;
    let target = spec.target_cpu_utilization_percentage.unwrap_or(DEFAULT_CPU_UTILIZATION);
    let current_metrics = status
        .current_cpu_utilization_percentage
        .map(|u| v2::MetricStatus {
            r#type: "Resource".into(),
            resource: Some(Box::new(v2::ResourceMetricStatus {
                name: "cpu".into(),
                current: v2::MetricValueStatus { average_utilization: Some(u), ..Default::default() },
            })),
            ..Default::default()
        })
        .into_iter()
        .collect();
    v2::HorizontalPodAutoscaler {
        metadata,
        spec: v2::HorizontalPodAutoscalerSpec {
            scale_target_ref: v2::CrossVersionObjectReference {
                kind: spec.scale_target_ref.kind,
                name: spec.scale_target_ref.name,
                api_version: spec.scale_target_ref.api_version,
            },
            min_replicas: spec.min_replicas.or(Some(1)),
            max_replicas: spec.max_replicas,
            metrics: vec![cpu_utilization(target)],
            behavior: None,
        },
        status: v2::HorizontalPodAutoscalerStatus {
            observed_generation: status.observed_generation,
            last_scale_time: status.last_scale_time,
            current_replicas: status.current_replicas,
            desired_replicas: status.desired_replicas,
            current_metrics,
            conditions: Vec::new(),
        },
        ..Default::default()
    }
}

/// `Convert_autoscaling_HorizontalPodAutoscaler_To_v1_HorizontalPodAutoscaler`: the first CPU utilization
/// metric becomes `targetCPUUtilizationPercentage`, the current CPU utilization its status twin.
pub fn hpa_to_v1(hpa: &v2::HorizontalPodAutoscaler) -> v1::HorizontalPodAutoscaler {
    let cpu_target = hpa.spec.metrics.iter().find_map(|m| {
        let r = m.resource.as_ref().filter(|r| m.r#type == "Resource" && r.name == "cpu")?;
        r.target.average_utilization
    });
    let cpu_current = hpa.status.current_metrics.iter().find_map(|m| {
        let r = m.resource.as_ref().filter(|r| m.r#type == "Resource" && r.name == "cpu")?;
        r.current.average_utilization
    });
    let r = &hpa.spec.scale_target_ref;
    v1::HorizontalPodAutoscaler {
        metadata: hpa.metadata.clone(),
        spec: v1::HorizontalPodAutoscalerSpec {
            scale_target_ref: v1::CrossVersionObjectReference {
                kind: r.kind.clone(),
                name: r.name.clone(),
                api_version: r.api_version.clone(),
            },
            min_replicas: hpa.spec.min_replicas,
            max_replicas: hpa.spec.max_replicas,
            target_cpu_utilization_percentage: cpu_target,
        },
        status: v1::HorizontalPodAutoscalerStatus {
            observed_generation: hpa.status.observed_generation,
            last_scale_time: hpa.status.last_scale_time.clone(),
            current_replicas: hpa.status.current_replicas,
            desired_replicas: hpa.status.desired_replicas,
            current_cpu_utilization_percentage: cpu_current,
        },
        ..Default::default()
    }
}

fn cpu_utilization(percent: i32) -> v2::MetricSpec {
    v2::MetricSpec {
        r#type: "Resource".into(),
        resource: Some(Box::new(v2::ResourceMetricSource {
            name: "cpu".into(),
            target: v2::MetricTarget { r#type: "Utilization".into(), average_utilization: Some(percent), ..Default::default() },
        })),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_v1_hpa_round_trips_through_v2_with_its_cpu_target() {
        let mut h = v1::HorizontalPodAutoscaler::default();
        h.spec.max_replicas = 10;
        h.spec.target_cpu_utilization_percentage = Some(50);
        let stored = hpa_from_v1(h);
        assert_eq!(stored.spec.min_replicas, Some(1));
        assert_eq!(stored.spec.metrics[0].resource.as_ref().unwrap().target.average_utilization, Some(50));
        let back = hpa_to_v1(&stored);
        assert_eq!(back.spec.target_cpu_utilization_percentage, Some(50));
        // Without a target, v1 always meant 80%.
        let implied = hpa_from_v1(v1::HorizontalPodAutoscaler::default());
        assert_eq!(hpa_to_v1(&implied).spec.target_cpu_utilization_percentage, Some(DEFAULT_CPU_UTILIZATION));
    }
}
