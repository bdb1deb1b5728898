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

use std::rc::Rc;

use super::framework::{NodeInfo, PodInfo, Status};
use super::CycleState;

/// `RunFilterPlugins`: the first failing plugin's status, or success. Plugins whose PreFilter returned Skip
/// carry no state and pass every node.
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

/// `RunPreFilterExtensionAddPod`: `added` now runs on `node` (whose NodeInfo already counts it).
pub fn add_pod(state: &mut CycleState, pod: &PodInfo, added: &PodInfo, node: &NodeInfo) {
    if let Some(s) = state.spread.as_mut() {
        s.update_with_pod(added, pod, node, 1);
    }
    if let Some(s) = state.inter_pod.as_mut() {
        s.update_with_pod(added, pod, node, 1);
    }
}

/// `RunPreFilterExtensionRemovePod`: `removed` no longer runs on `node`.
pub fn remove_pod(state: &mut CycleState, pod: &PodInfo, removed: &PodInfo, node: &NodeInfo) {
    if let Some(s) = state.spread.as_mut() {
        s.update_with_pod(removed, pod, node, -1);
    }
    if let Some(s) = state.inter_pod.as_mut() {
        s.update_with_pod(removed, pod, node, -1);
    }
}

/// `RunFilterPluginsWithNominatedPods`: when pods of at least the pod's priority are nominated to the node, the
/// filters must pass both with those pods added (`addNominatedPods`) and without them.
pub fn filter_with_nominated(state: &CycleState, pod: &PodInfo, node: &NodeInfo, nominated: &[Rc<PodInfo>]) -> Status {
    let mut to_add = nominated.iter().filter(|p| p.priority >= pod.priority && p.uid() != pod.uid()).peekable();
    if to_add.peek().is_none() {
        return filter(state, pod, node);
    }
    let mut node_with = node.clone();
    let mut state_with = state.clone();
    for p in to_add {
        node_with.add_pod(p.clone());
        add_pod(&mut state_with, pod, p, &node_with);
    }
    let status = filter(&state_with, pod, &node_with);
    if !status.is_success() {
        return status;
    }
    filter(state, pod, node)
}
