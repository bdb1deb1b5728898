//! The in-tree registry (`pkg/scheduler/framework/plugins/registry.go`): every plugin kube-scheduler v1.32 can
//! run, by name, with the function that builds it from its arguments.

use super::config::Args;
use super::framework::Instance;
use super::plugins::*;

/// A plugin's name and factory (`PluginFactory`): the arguments are the profile's for the plugin, if any.
pub struct Registration {
    pub name: &'static str,
    pub new: fn(Option<&Args>) -> Result<Instance, String>,
}

/// `NewInTreeRegistry`, in the default profile's order (Kubernetes keeps a map; the order only decides which
/// of several failing plugins is reported).
pub const REGISTRY: &[Registration] = &[
    Registration { name: scheduling_gates::NAME, new: scheduling_gates::new },
    Registration { name: queue_sort::NAME, new: queue_sort::new },
    Registration { name: node_unschedulable::NAME, new: node_unschedulable::new },
    Registration { name: node_name::NAME, new: node_name::new },
    Registration { name: taint_toleration::NAME, new: taint_toleration::new },
    Registration { name: node_affinity::NAME, new: node_affinity::new },
    Registration { name: node_ports::NAME, new: node_ports::new },
    Registration { name: noderesources::fit::NAME, new: noderesources::fit::new },
    Registration { name: "VolumeRestrictions", new: volumes::volume_restrictions },
    Registration { name: "NodeVolumeLimits", new: volumes::node_volume_limits },
    Registration { name: volume_binding::NAME, new: volume_binding::new },
    Registration { name: "VolumeZone", new: volumes::volume_zone },
    Registration { name: pod_topology_spread::NAME, new: pod_topology_spread::new },
    Registration { name: inter_pod_affinity::NAME, new: inter_pod_affinity::new },
    Registration { name: default_preemption::NAME, new: default_preemption::new },
    Registration { name: noderesources::balanced_allocation::NAME, new: noderesources::balanced_allocation::new },
    Registration { name: image_locality::NAME, new: image_locality::new },
    Registration { name: default_binder::NAME, new: default_binder::new },
    Registration { name: "DynamicResources", new: volumes::dynamic_resources },
];
