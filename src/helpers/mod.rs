//! Shared helpers, mirroring `k8s.io/component-helpers` and `pkg/api/v1/pod`: taint toleration, node affinity
//! matching, pod resource requests, node topology and a pod's status. The controllers, the scheduler, the kubelet
//! and the views all use them, as in Kubernetes.

pub mod node_affinity;
pub mod pod;
pub mod ports;
pub mod resources;
pub mod storage;
pub mod taints;

use crate::api::core_v1::Node;

/// `topology.kubernetes.io/region` and `zone`, and their deprecated `failure-domain.beta` forms.
pub const LABEL_ZONE: &str = "topology.kubernetes.io/zone";
pub const LABEL_REGION: &str = "topology.kubernetes.io/region";
const LABEL_ZONE_BETA: &str = "failure-domain.beta.kubernetes.io/zone";
const LABEL_REGION_BETA: &str = "failure-domain.beta.kubernetes.io/region";

/// `component-helpers/node/topology.GetZoneKey`: `region:\x00:zone`, empty when the node has neither label.
pub fn zone_key(node: &Node) -> String {
    let labels = &node.metadata.labels;
    let zone = labels.get(LABEL_ZONE).or_else(|| labels.get(LABEL_ZONE_BETA)).map(String::as_str).unwrap_or("");
    let region = labels.get(LABEL_REGION).or_else(|| labels.get(LABEL_REGION_BETA)).map(String::as_str).unwrap_or("");
    if zone.is_empty() && region.is_empty() {
        return String::new();
    }
    format!("{region}:\x00:{zone}")
}
