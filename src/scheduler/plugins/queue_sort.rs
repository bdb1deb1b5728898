//! PrioritySort (`queuesort`): the scheduling queue's order — higher priority first, then the pod that entered
//! the queue first.

use std::rc::Rc;

use crate::scheduler::config::Args;
use crate::scheduler::framework::{Instance, Plugin, QueueSortPlugin, QueuedPodInfo};

pub const NAME: &str = "PrioritySort";

pub struct PrioritySort;

pub fn new(_: Option<&Args>) -> Result<Instance, String> {
    Ok(Instance { queue_sort: Some(Rc::new(PrioritySort)), ..Instance::new(NAME) })
}

impl Plugin for PrioritySort {
    fn name(&self) -> &'static str {
        NAME
    }
}

impl QueueSortPlugin for PrioritySort {
    fn less(&self, a: &QueuedPodInfo, b: &QueuedPodInfo) -> bool {
        a.priority > b.priority || (a.priority == b.priority && a.timestamp < b.timestamp)
    }
}
