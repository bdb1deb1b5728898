//! NodeResourcesBalancedAllocation: nodes whose cpu and memory would be used in similar proportions score
//! higher. Uses the actual requests (no non-zero defaults).

use crate::scheduler::framework::{NodeInfo, PodInfo};

pub const NAME: &str = "NodeResourcesBalancedAllocation";
pub const WEIGHT: i64 = 1;

pub fn score(pod: &PodInfo, node: &NodeInfo) -> i64 {
    let pairs = [
        (node.allocatable.milli_cpu, node.requested.milli_cpu + pod.requests.milli_cpu),
        (node.allocatable.memory, node.requested.memory + pod.requests.memory),
    ];
    let fractions: Vec<f64> = pairs
        .iter()
        .filter(|(alloc, _)| *alloc != 0)
        .map(|(alloc, req)| (*req as f64 / *alloc as f64).min(1.0))
        .collect();
    let std = match fractions.len() {
        2 => ((fractions[0] - fractions[1]) / 2.0).abs(),
        n if n > 2 => {
            let mean = fractions.iter().sum::<f64>() / n as f64;
            (fractions.iter().map(|f| (f - mean) * (f - mean)).sum::<f64>() / n as f64).sqrt()
        }
        _ => 0.0,
    };
    ((1.0 - std) * 100.0) as i64
}
