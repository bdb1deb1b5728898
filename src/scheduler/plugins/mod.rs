//! The default profile's plugins (`pkg/scheduler/apis/config/v1/default_plugins.go`), each in the module named
//! after it. [`filter`] runs the Filter plugins in the profile's order and stops at the first rejection, as
//! `RunFilterPlugins` does; the volume plugins (VolumeRestrictions, NodeVolumeLimits, VolumeBinding, VolumeZone)
//! accept every node for pods without persistent volumes and are not modelled further.

pub mod image_locality;
pub mod inter_pod_affinity;
pub mod node_affinity;
pub mod node_name;
pub mod node_ports;
pub mod node_unschedulable;
pub mod noderesources;
pub mod pod_topology_spread;
pub mod taint_toleration;

use super::framework::{NodeInfo, PodInfo, Status};
use super::CycleState;

/// `RunFilterPlugins`: the first failing plugin's status, or success.
pub fn filter(state: &CycleState, pod: &PodInfo, node: &NodeInfo) -> Status {
    let checks: [&dyn Fn() -> Option<Status>; 8] = [
        &|| node_unschedulable::filter(pod, node),
        &|| node_name::filter(pod, node),
        &|| taint_toleration::filter(pod, node),
        &|| node_affinity::filter(&state.node_affinity, pod, node),
        &|| node_ports::filter(&state.node_ports, node),
        &|| noderesources::fit::filter(&state.fit, node),
        &|| pod_topology_spread::filter(state.spread.as_ref(), pod, node),
        &|| inter_pod_affinity::filter(state.inter_pod.as_ref(), pod, node),
    ];
    for check in checks {
        if let Some(status) = check() {
            return status;
        }
    }
    Status::success()
}
