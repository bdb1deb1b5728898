//! SchedulingGates: a pod with scheduling gates does not enter the scheduling queue until they are removed.

use std::rc::Rc;

use crate::api::core_v1::Pod;
use crate::scheduler::config::Args;
use crate::scheduler::framework::{Instance, Plugin, PreEnqueuePlugin, Reason, Status};

pub const NAME: &str = "SchedulingGates";

pub struct SchedulingGates;

pub fn new(_: Option<&Args>) -> Result<Instance, String> {
    Ok(Instance { pre_enqueue: Some(Rc::new(SchedulingGates)), ..Instance::new(NAME) })
}

impl Plugin for SchedulingGates {
    fn name(&self) -> &'static str {
        NAME
    }
}

impl PreEnqueuePlugin for SchedulingGates {
    fn pre_enqueue(&self, pod: &Pod) -> Result<(), Status> {
        if pod.spec.scheduling_gates.is_empty() {
            return Ok(());
        }
        let gates: Vec<&str> = pod.spec.scheduling_gates.iter().map(|g| g.name.as_str()).collect();
        Err(Status::unresolvable(Reason::Message(format!("waiting for scheduling gates: [{}]", gates.join(" ")))))
    }
}
