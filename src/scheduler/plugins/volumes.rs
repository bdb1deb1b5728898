//! The volume plugins kubeplan does not model — VolumeRestrictions, NodeVolumeLimits, VolumeZone — and the
//! disabled DynamicResources (VolumeBinding has a module of its own). kubeplan binds no persistent volumes and
//! no resource claims: their PreFilter skips (as it does in Kubernetes for a pod without such volumes or
//! claims), so their Filter accepts every node. They are registered with the extension points they implement,
//! so that a configuration naming them is checked and ordered as kube-scheduler does.

use std::rc::Rc;

use crate::api::core_v1::Pod;
use crate::scheduler::config::Args;
use crate::scheduler::framework::{
    Code, CycleState, ExtensionPoint, FilterPlugin, Handle, Instance, NodeInfo, NodeToStatus, Plugin, PodInfo,
    PostFilterPlugin, PostFilterResult, PreEnqueuePlugin, PreFilterPlugin, PreFilterResult, Reason,
    Status,
};

/// A plugin that has nothing to check for the pods kubeplan models.
pub struct NotModelled(&'static str);

impl Plugin for NotModelled {
    fn name(&self) -> &'static str {
        self.0
    }
}

impl PreEnqueuePlugin for NotModelled {
    fn pre_enqueue(&self, _: &Pod) -> Result<(), Status> {
        Ok(())
    }
}

impl PreFilterPlugin for NotModelled {
    fn pre_filter(&self, _: &Handle<'_>, _: &mut CycleState, _: &PodInfo) -> Result<PreFilterResult, Status> {
        Err(Status::skip())
    }
}

impl FilterPlugin for NotModelled {
    fn filter(&self, _: &CycleState, _: &PodInfo, _: &NodeInfo) -> Result<(), Status> {
        Ok(())
    }
}

impl PostFilterPlugin for NotModelled {
    /// DynamicResources with its feature off: `plugin disabled`.
    fn post_filter(&self, _: &Handle<'_>, _: &CycleState, _: &PodInfo, _: &NodeToStatus) -> (Option<PostFilterResult>, Status) {
        (None, Status::new(Code::Unschedulable, Reason::Message("plugin disabled".into())))
    }
}

/// PreFilter and Filter only.
fn filter_only(name: &'static str) -> Instance {
    let p = Rc::new(NotModelled(name));
    Instance { pre_filter: Some(p.clone()), filter: Some(p), ..Instance::new(name) }
}

pub fn volume_restrictions(_: Option<&Args>) -> Result<Instance, String> {
    Ok(filter_only("VolumeRestrictions"))
}

pub fn node_volume_limits(_: Option<&Args>) -> Result<Instance, String> {
    Ok(filter_only("NodeVolumeLimits"))
}

pub fn volume_zone(_: Option<&Args>) -> Result<Instance, String> {
    Ok(filter_only("VolumeZone"))
}

/// DynamicResources with the DynamicResourceAllocation feature off (v1.32's default): PreEnqueue passes,
/// PreFilter skips, PostFilter rejects with `plugin disabled`; Reserve and PreBind do nothing.
pub fn dynamic_resources(_: Option<&Args>) -> Result<Instance, String> {
    let p = Rc::new(NotModelled("DynamicResources"));
    Ok(Instance {
        pre_enqueue: Some(p.clone()),
        post_filter: Some(p),
        other: &[ExtensionPoint::Reserve, ExtensionPoint::PreBind],
        ..filter_only("DynamicResources")
    })
}
