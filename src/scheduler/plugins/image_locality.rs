//! ImageLocality: nodes that already hold the pod's images score higher, scaled by how many nodes have them.

use std::rc::Rc;

use crate::scheduler::config::Args;
use crate::scheduler::framework::{CycleState, Handle, Instance, NodeInfo, Plugin, PodInfo, ScorePlugin, Status};
use crate::scheduler::snapshot::ImageStates;

pub const NAME: &str = "ImageLocality";
const MB: i64 = 1024 * 1024;
const MIN_THRESHOLD: i64 = 23 * MB;
const MAX_CONTAINER_THRESHOLD: i64 = 1000 * MB;

pub struct ImageLocality;

pub fn new(_: Option<&Args>) -> Result<Instance, String> {
    Ok(Instance { score: Some(Rc::new(ImageLocality)), ..Instance::new(NAME) })
}

impl Plugin for ImageLocality {
    fn name(&self) -> &'static str {
        NAME
    }
}

impl ScorePlugin for ImageLocality {
    fn score(&self, handle: &Handle<'_>, state: &CycleState, pod: &PodInfo, node: &NodeInfo) -> Result<i64, Status> {
        let mut score = [0];
        self.score_nodes(handle, state, pod, &[node], &mut score)?;
        Ok(score[0])
    }

    /// The pod's images that some node holds, with their scaled score, are the same for every node: found once.
    fn score_nodes(&self, handle: &Handle<'_>, _: &CycleState, pod: &PodInfo, nodes: &[&NodeInfo], scores: &mut [i64]) -> Result<(), Status> {
        score_all(handle.snapshot.images(), handle.snapshot.nodes.len(), pod, nodes, scores);
        Ok(())
    }
}

/// `normalizedImageName`: an image without a tag gets `:latest`.
fn normalized(name: &str) -> String {
    let at = |c: char| name.rfind(c).map_or(-1, |i| i as i64);
    if at(':') <= at('/') {
        format!("{name}:latest")
    } else {
        name.to_owned()
    }
}

/// `calculatePriority`: the summed image scores clamped to [23 MiB, 1000 MiB × containers] and scaled to 0..=100.
fn priority(sum: i64, containers: usize) -> i64 {
    let max = MAX_CONTAINER_THRESHOLD * containers as i64;
    let sum = if sum < MIN_THRESHOLD {
        MIN_THRESHOLD
    } else if sum > max {
        max
    } else {
        sum
    };
    if max == MIN_THRESHOLD {
        return 0;
    }
    100 * (sum - MIN_THRESHOLD) / (max - MIN_THRESHOLD)
}

/// Score over the nodes: the pod's images already on the node, each weighted by the share of nodes
/// that have it (`scaledImageScore`), summed over init and regular containers. `states` are the snapshot's image
/// states.
fn score_all(states: &ImageStates, total_nodes: usize, pod: &PodInfo, nodes: &[&NodeInfo], scores: &mut [i64]) {
    let spec = &pod.pod.spec;
    let containers = spec.init_containers.len() + spec.containers.len();
    // The pod's images that some node holds, with their scaled score.
    let wanted: Vec<(String, i64)> = spec
        .init_containers
        .iter()
        .chain(spec.containers.iter())
        .filter_map(|c| {
            let name = normalized(&c.image);
            let (size, n) = states.get(&name)?;
            Some((name, (*size as f64 * (*n as f64 / total_nodes as f64)) as i64))
        })
        .collect();
    for (score, node) in scores.iter_mut().zip(nodes) {
        let images = &node.node.images;
        let sum: i64 = wanted
            .iter()
            .filter(|(name, _)| images.iter().any(|i| i.names.iter().any(|n| n == name)))
            .map(|(_, s)| s)
            .sum();
        *score = priority(sum, containers);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_without_a_tag_get_latest() {
        assert_eq!(normalized("nginx"), "nginx:latest");
        assert_eq!(normalized("registry:5000/nginx"), "registry:5000/nginx:latest");
        assert_eq!(normalized("nginx:1.25"), "nginx:1.25");
    }

    #[test]
    fn priority_scales_between_the_thresholds() {
        assert_eq!(priority(0, 1), 0);
        assert_eq!(priority(1000 * MB, 1), 100);
        // Half-way between 23 MiB and 1000 MiB.
        assert_eq!(priority(23 * MB + (977 * MB) / 2, 1), 50);
        assert_eq!(priority(5000 * MB, 2), 100);
    }
}
