//! ImageLocality: nodes that already hold the pod's images score higher, scaled by how many nodes have them.

use crate::scheduler::framework::{NodeInfo, PodInfo};
use crate::scheduler::snapshot::ImageStates;

pub const NAME: &str = "ImageLocality";
pub const WEIGHT: i64 = 1;
const MB: i64 = 1024 * 1024;
const MIN_THRESHOLD: i64 = 23 * MB;
const MAX_CONTAINER_THRESHOLD: i64 = 1000 * MB;

/// `normalizedImageName`: an image without a tag gets `:latest`.
fn normalized(name: &str) -> String {
    let at = |c: char| name.rfind(c).map_or(-1, |i| i as i64);
    if at(':') <= at('/') {
        format!("{name}:latest")
    } else {
        name.to_owned()
    }
}

/// Score: the pod's images already on the node, each weighted by the share of nodes that have it, scaled
/// between 23 MiB and 1000 MiB per container. `states` are the snapshot's image states.
pub fn score(states: &ImageStates, total_nodes: usize, pod: &PodInfo, node: &NodeInfo) -> i64 {
    let on_node: std::collections::HashSet<&str> = node
        .node
        .status
        .images
        .iter()
        .flat_map(|i| i.names.iter().map(String::as_str))
        .collect();
    let spec = &pod.pod.spec;
    let mut sum = 0i64;
    for c in spec.init_containers.iter().chain(spec.containers.iter()) {
        let name = normalized(&c.image);
        if on_node.contains(name.as_str()) {
            if let Some((size, n)) = states.get(&name) {
                sum += (*size as f64 * (*n as f64 / total_nodes as f64)) as i64;
            }
        }
    }
    let containers = (spec.init_containers.len() + spec.containers.len()) as i64;
    let max = MAX_CONTAINER_THRESHOLD * containers;
    let sum = sum.clamp(MIN_THRESHOLD, max.max(MIN_THRESHOLD));
    if max == MIN_THRESHOLD {
        return 0;
    }
    100 * (sum - MIN_THRESHOLD) / (max - MIN_THRESHOLD)
}
