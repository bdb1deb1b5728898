//! NodeResourcesFit: the pod's requests must fit in what the node has left (`fitsRequest`), and nodes with more
//! room left score higher (LeastAllocated over cpu and memory, weight 1 each).

use crate::helpers::resources::Resource;
use crate::scheduler::framework::{NodeInfo, PodInfo, Status};

pub const NAME: &str = "NodeResourcesFit";
pub const WEIGHT: i64 = 1;

/// PreFilter state: the pod's requests.
#[derive(Clone, Debug, Default)]
pub struct State {
    pub requests: Resource,
}

pub fn pre_filter(pod: &PodInfo) -> State {
    State { requests: pod.requests.clone() }
}

/// `fitsRequest`: every shortage, in Kubernetes' order (pods, cpu, memory, ephemeral-storage, then extended
/// resources).
pub fn insufficient(req: &Resource, node: &NodeInfo) -> Vec<String> {
    let mut out = Vec::new();
    if node.pods.len() as i64 + 1 > node.allocatable.allowed_pod_number {
        out.push("Too many pods".to_owned());
    }
    if req.milli_cpu == 0 && req.memory == 0 && req.ephemeral_storage == 0 && req.scalar.values().all(|v| *v == 0) && req.scalar.is_empty() {
        return out;
    }
    let (a, r) = (&node.allocatable, &node.requested);
    if req.milli_cpu > 0 && req.milli_cpu > a.milli_cpu - r.milli_cpu {
        out.push("Insufficient cpu".to_owned());
    }
    if req.memory > 0 && req.memory > a.memory - r.memory {
        out.push("Insufficient memory".to_owned());
    }
    if req.ephemeral_storage > 0 && req.ephemeral_storage > a.ephemeral_storage - r.ephemeral_storage {
        out.push("Insufficient ephemeral-storage".to_owned());
    }
    for (name, q) in &req.scalar {
        if *q == 0 {
            continue;
        }
        let free = a.scalar.get(name).copied().unwrap_or(0) - r.scalar.get(name).copied().unwrap_or(0);
        if *q > free {
            out.push(format!("Insufficient {name}"));
        }
    }
    out
}

pub fn filter(state: &State, node: &NodeInfo) -> Option<Status> {
    let reasons = insufficient(&state.requests, node);
    if reasons.is_empty() {
        return None;
    }
    Some(Status { code: crate::scheduler::framework::Code::Unschedulable, reasons, plugin: NAME })
}

/// `leastRequestedScore`.
fn least_requested(requested: i64, capacity: i64) -> i64 {
    if capacity == 0 || requested > capacity {
        return 0;
    }
    (capacity - requested) * 100 / capacity
}

/// LeastAllocated over cpu and memory: the node's non-zero requests plus the pod's non-zero requests.
pub fn score(pod: &PodInfo, node: &NodeInfo) -> i64 {
    let pairs = [
        (node.allocatable.milli_cpu, node.non_zero_requested.milli_cpu + pod.non_zero.milli_cpu),
        (node.allocatable.memory, node.non_zero_requested.memory + pod.non_zero.memory),
    ];
    let (mut sum, mut weights) = (0, 0);
    for (alloc, req) in pairs {
        if alloc == 0 {
            continue;
        }
        sum += least_requested(req, alloc);
        weights += 1;
    }
    if weights == 0 {
        0
    } else {
        sum / weights
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn least_requested_integer_arithmetic() {
        assert_eq!(least_requested(1000, 4000), 75);
        assert_eq!(least_requested(5000, 4000), 0);
        assert_eq!(least_requested(200 * 1024 * 1024, 4 * 1024 * 1024 * 1024), 95);
    }
}
