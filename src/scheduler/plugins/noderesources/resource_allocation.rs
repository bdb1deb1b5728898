//! `resourceAllocationScorer`: a node's score from what the listed resources would have requested of it with
//! the pod, per scoring function (`least_allocated.go`, `most_allocated.go`, `requested_to_capacity_ratio.go`,
//! `balanced_allocation.go`).

use std::marker::PhantomData;

use crate::helpers::resources::{is_scalar_resource, CPU, EPHEMERAL_STORAGE, MEMORY};
use crate::scheduler::config::args::{ResourceSpec, UtilizationShapePoint};
use crate::scheduler::config::MAX_CUSTOM_PRIORITY_SCORE;
use crate::scheduler::framework::{CycleState, NodeInfo, PodInfo, MAX_NODE_SCORE};

/// The PreScore state of a plugin scoring with a [`ResourceAllocationScorer`]: the pod's request of each
/// scored resource. `P`, the plugin, keeps each plugin's copy apart in the cycle state.
pub struct PodRequests<P>(Vec<i64>, PhantomData<fn() -> P>);

impl<P> Clone for PodRequests<P> {
    fn clone(&self) -> Self {
        PodRequests(self.0.clone(), PhantomData)
    }
}

impl<P> std::fmt::Debug for PodRequests<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("PodRequests").field(&self.0).finish()
    }
}

/// How the per-resource fractions become a node's score.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scorer {
    /// More room left scores higher.
    LeastAllocated,
    /// Less room left scores higher (bin packing).
    MostAllocated,
    /// A broken-line function of the utilisation: the shape's points, scores scaled to 0..=100.
    RequestedToCapacityRatio(Vec<(i64, i64)>),
    /// Similar fractions of each resource score higher.
    Balanced,
}

impl Scorer {
    /// `requestedToCapacityRatioScorer`: shape scores are 0..=10, node scores 0..=100.
    pub fn requested_to_capacity_ratio(shape: &[UtilizationShapePoint]) -> Scorer {
        let scale = MAX_NODE_SCORE / MAX_CUSTOM_PRIORITY_SCORE;
        Scorer::RequestedToCapacityRatio(shape.iter().map(|p| (i64::from(p.utilization), i64::from(p.score) * scale)).collect())
    }
}

/// The number of scored resources [`ResourceAllocationScorer::score`] keeps on the stack.
const FEW: usize = 8;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceAllocationScorer {
    resources: Vec<Weighed>,
    /// The weights of cpu and memory when those two, in that order, are the whole list — the default of both
    /// plugins that score with this, so nearly every cycle's case: scored without the general loop.
    cpu_memory: Option<(i64, i64)>,
    /// Count the node's and the pod's actual requests, rather than with the scheduler's non-zero defaults for
    /// cpu and memory.
    use_requested: bool,
    scorer: Scorer,
}

/// A resource the scorer weighs: its weight, and where the node's and the pod's counts keep it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Weighed {
    name: String,
    weight: i64,
    kind: Kind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Cpu,
    Memory,
    EphemeralStorage,
    /// An extended resource, hugepages, or another name (`IsScalarResourceName`): left out for a pod that does
    /// not ask for it.
    Scalar,
    /// Any other name: the node has none of it.
    Other,
}

impl ResourceAllocationScorer {
    pub fn new(resources: &[ResourceSpec], use_requested: bool, scorer: Scorer) -> ResourceAllocationScorer {
        let resources = resources
            .iter()
            .map(|r| {
                let kind = match r.name.as_str() {
                    CPU => Kind::Cpu,
                    MEMORY => Kind::Memory,
                    EPHEMERAL_STORAGE => Kind::EphemeralStorage,
                    name if is_scalar_resource(name) => Kind::Scalar,
                    _ => Kind::Other,
                };
                Weighed { name: r.name.clone(), weight: r.weight, kind }
            })
            .collect::<Vec<_>>();
        let cpu_memory = match resources.as_slice() {
            [c, m] if c.kind == Kind::Cpu && m.kind == Kind::Memory => Some((c.weight, m.weight)),
            _ => None,
        };
        ResourceAllocationScorer { resources, cpu_memory, use_requested, scorer }
    }

    /// `calculatePodResourceRequestList`: the pod's request of each listed resource (cpu in millicores).
    pub fn pod_requests(&self, pod: &PodInfo) -> Vec<i64> {
        self.resources
            .iter()
            .map(|r| match r.kind {
                Kind::Cpu if !self.use_requested => pod.record.non_zero.milli_cpu,
                Kind::Memory if !self.use_requested => pod.record.non_zero.memory,
                _ => pod.record.requests.get(&r.name),
            })
            .collect()
    }

    /// `calculateResourceAllocatableRequest`: the node's allocatable amount of a resource and what it would
    /// have requested with the pod; `(0, 0)` for a resource the node does not have or the pod does not ask
    /// for (extended resources).
    fn allocatable_and_requested(&self, node: &NodeInfo, r: &Weighed, pod_request: i64) -> (i64, i64) {
        let requested = if self.use_requested { &node.requested } else { &node.non_zero_requested };
        match r.kind {
            Kind::Scalar if pod_request == 0 => (0, 0),
            Kind::Cpu => (node.allocatable.milli_cpu, requested.milli_cpu.wrapping_add(pod_request)),
            Kind::Memory => (node.allocatable.memory, requested.memory.wrapping_add(pod_request)),
            Kind::EphemeralStorage => (node.allocatable.ephemeral_storage, node.requested.ephemeral_storage.wrapping_add(pod_request)),
            Kind::Scalar => match node.allocatable.scalar.get(&r.name) {
                Some(a) => (*a, node.requested.scalar.get(&r.name).copied().unwrap_or(0).wrapping_add(pod_request)),
                None => (0, 0),
            },
            Kind::Other => (0, 0),
        }
    }

    /// PreScore: the pod's requests, for plugin `P`'s Score.
    pub fn pre_score<P: 'static>(&self, state: &mut CycleState, pod: &PodInfo) {
        state.write(PodRequests::<P>(self.pod_requests(pod), PhantomData));
    }

    /// One node's score: [`ResourceAllocationScorer::score_nodes`] for a single node (the plugins' `Score`).
    pub fn score_node<P: 'static>(&self, state: &CycleState, pod: &PodInfo, node: &NodeInfo) -> i64 {
        let mut score = [0];
        self.score_nodes::<P>(state, pod, &[node], &mut score);
        score[0]
    }

    /// Score every node into `scores` with the requests PreScore kept (computed again when it kept none).
    pub fn score_nodes<P: 'static>(&self, state: &CycleState, pod: &PodInfo, nodes: &[&NodeInfo], scores: &mut [i64]) {
        let computed;
        let requests = match state.read::<PodRequests<P>>() {
            Some(r) => &r.0,
            None => {
                computed = self.pod_requests(pod);
                &computed
            }
        };
        self.score_all(nodes, requests, scores);
    }

    /// Score every node with the pod's `requests`.
    fn score_all(&self, nodes: &[&NodeInfo], requests: &[i64], scores: &mut [i64]) {
        match &self.scorer {
            Scorer::LeastAllocated => self.score_each(nodes, requests, scores, |c| weighted(c, least_requested)),
            Scorer::MostAllocated => self.score_each(nodes, requests, scores, |c| weighted(c, most_requested)),
            Scorer::RequestedToCapacityRatio(shape) => self.score_each(nodes, requests, scores, |c| ratio(c, shape)),
            Scorer::Balanced => self.score_each(nodes, requests, scores, balanced),
        }
    }

    /// The loop of [`ResourceAllocationScorer::score_nodes`], one copy per scoring function so that the function
    /// is inlined into it: this runs for every feasible node of every pod.
    fn score_each(&self, nodes: &[&NodeInfo], requests: &[i64], scores: &mut [i64], combine: impl Fn(&[(i64, i64, i64)]) -> i64) {
        for (score, node) in scores.iter_mut().zip(nodes) {
            *score = self.score_with(node, requests, &combine);
        }
    }

    /// `resourceAllocationScorer.score`: the scoring function over the resources the node has — their
    /// allocatable amount, what they would have requested with the pod, and their weight. Straight-line for
    /// the default resources, cpu and memory, on a node that has both.
    #[inline(always)]
    fn score_with(&self, node: &NodeInfo, pod_requests: &[i64], combine: &impl Fn(&[(i64, i64, i64)]) -> i64) -> i64 {
        if let (Some((cpu_weight, memory_weight)), &[cpu, memory]) = (self.cpu_memory, pod_requests) {
            let requested = if self.use_requested { &node.requested } else { &node.non_zero_requested };
            let a = &node.allocatable;
            if a.milli_cpu != 0 && a.memory != 0 {
                return combine(&[
                    (a.milli_cpu, requested.milli_cpu.wrapping_add(cpu), cpu_weight),
                    (a.memory, requested.memory.wrapping_add(memory), memory_weight),
                ]);
            }
        }
        self.score_listed(node, pod_requests, combine)
    }

    /// The general case of [`ResourceAllocationScorer::score_with`]: a plain loop filling an array on the stack
    /// (a custom configuration rarely scores more than [`FEW`] resources), without an allocation.
    fn score_listed(&self, node: &NodeInfo, pod_requests: &[i64], combine: &impl Fn(&[(i64, i64, i64)]) -> i64) -> i64 {
        if self.resources.len() > FEW {
            return combine(&self.score_many(node, pod_requests));
        }
        let mut counted = [(0i64, 0i64, 0i64); FEW];
        let mut n = 0;
        for (r, &q) in self.resources.iter().zip(pod_requests) {
            let (a, q) = self.allocatable_and_requested(node, r, q);
            if a != 0 {
                counted[n] = (a, q, r.weight);
                n += 1;
            }
        }
        combine(&counted[..n])
    }

    /// The `(allocatable, requested, weight)` of more than [`FEW`] resources.
    #[cold]
    fn score_many(&self, node: &NodeInfo, pod_requests: &[i64]) -> Vec<(i64, i64, i64)> {
        self
            .resources
            .iter()
            .zip(pod_requests)
            .map(|(r, &q)| (self.allocatable_and_requested(node, r, q), r.weight))
            .filter(|&((a, _), _)| a != 0)
            .map(|((a, q), w)| (a, q, w))
            .collect()
    }
}

/// The weighted mean (integer division) of a per-resource score.
fn weighted(counted: &[(i64, i64, i64)], f: impl Fn(i64, i64) -> i64) -> i64 {
    let (score, weights) = counted.iter().fold((0, 0), |(s, ws), &(a, q, w)| (s + f(q, a) * w, ws + w));
    if weights == 0 {
        0
    } else {
        score / weights
    }
}

/// `buildRequestedToCapacityRatioScorerFunction`: the weighted mean of the positive per-resource scores of the
/// utilisation (a request above capacity is 100%), rounded.
fn ratio(counted: &[(i64, i64, i64)], shape: &[(i64, i64)]) -> i64 {
    let (mut score, mut weights) = (0, 0);
    for &(a, q, w) in counted {
        let utilization = if q > a { 100 } else { q.wrapping_mul(100).wrapping_div(a) };
        let s = broken_linear(shape, utilization);
        if s > 0 {
            score += s * w;
            weights += w;
        }
    }
    if weights == 0 {
        0
    } else {
        (score as f64 / weights as f64).round() as i64
    }
}

/// `leastRequestedScore`, in Go's int64 arithmetic (wrapping: a node may report any quantity).
fn least_requested(requested: i64, capacity: i64) -> i64 {
    if capacity == 0 || requested > capacity {
        return 0;
    }
    capacity.wrapping_sub(requested).wrapping_mul(MAX_NODE_SCORE).wrapping_div(capacity)
}

/// `mostRequestedScore`.
fn most_requested(requested: i64, capacity: i64) -> i64 {
    if capacity == 0 {
        return 0;
    }
    requested.min(capacity).wrapping_mul(MAX_NODE_SCORE).wrapping_div(capacity)
}

/// `helper.BuildBrokenLinearFunction`: the first point's score below it, the last point's above it, linear
/// (integer division) in between.
fn broken_linear(shape: &[(i64, i64)], p: i64) -> i64 {
    for (i, &(u, s)) in shape.iter().enumerate() {
        if p <= u {
            if i == 0 {
                return s;
            }
            let (pu, ps) = shape[i - 1];
            return ps + (s - ps) * (p - pu) / (u - pu);
        }
    }
    shape.last().map_or(0, |&(_, s)| s)
}

/// `balancedResourceScorer`: `(1 − std) · 100` of the fractions requested (each at most 1), in order.
fn balanced(counted: &[(i64, i64, i64)]) -> i64 {
    let fraction = |&(a, q, _): &(i64, i64, i64)| (q as f64 / a as f64).min(1.0);
    let std = match counted {
        [x, y] => ((fraction(x) - fraction(y)) / 2.0).abs(),
        c if c.len() > 2 => {
            let mean = c.iter().map(fraction).sum::<f64>() / c.len() as f64;
            (c.iter().map(|x| (fraction(x) - mean) * (fraction(x) - mean)).sum::<f64>() / c.len() as f64).sqrt()
        }
        _ => 0.0,
    };
    ((1.0 - std) * MAX_NODE_SCORE as f64) as i64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::core_v1::Node;

    fn node(cpu: i64, memory: i64, requested: (i64, i64), non_zero: (i64, i64)) -> NodeInfo {
        let mut n = NodeInfo::new(&Node::default());
        (n.allocatable.milli_cpu, n.allocatable.memory) = (cpu, memory);
        (n.requested.milli_cpu, n.requested.memory) = requested;
        (n.non_zero_requested.milli_cpu, n.non_zero_requested.memory) = non_zero;
        n
    }

    /// The straight-line cpu-and-memory case must score as the general loop over the listed resources does, for
    /// every scoring function, both counts of requests, and nodes lacking either resource.
    #[test]
    fn the_cpu_and_memory_path_scores_as_the_general_loop() {
        let nodes = [
            node(4000, 8 << 30, (1000, 1 << 30), (1100, 1 << 30)),
            node(4000, 8 << 30, (0, 0), (100, 200 << 20)),
            node(0, 8 << 30, (0, 1 << 30), (100, 1 << 30)),
            node(4000, 0, (3000, 0), (3000, 200 << 20)),
            node(i64::MAX / 64, 16 << 30, (5000, 20 << 30), (5000, 20 << 30)),
        ];
        let refs: Vec<&NodeInfo> = nodes.iter().collect();
        let shape = [UtilizationShapePoint { utilization: 0, score: 0 }, UtilizationShapePoint { utilization: 100, score: 10 }];
        let scorers = [
            Scorer::LeastAllocated,
            Scorer::MostAllocated,
            Scorer::requested_to_capacity_ratio(&shape),
            Scorer::Balanced,
        ];
        let specs = [ResourceSpec { name: CPU.into(), weight: 3 }, ResourceSpec { name: MEMORY.into(), weight: 1 }];
        for scorer in scorers {
            for use_requested in [false, true] {
                let fast = ResourceAllocationScorer::new(&specs, use_requested, scorer.clone());
                assert_eq!(fast.cpu_memory, Some((3, 1)));
                let general = ResourceAllocationScorer { cpu_memory: None, ..fast.clone() };
                for requests in [[500, 1 << 30], [0, 0], [100, 200 << 20]] {
                    let (mut a, mut b) = ([0; 5], [0; 5]);
                    fast.score_all(&refs, &requests, &mut a);
                    general.score_all(&refs, &requests, &mut b);
                    assert_eq!(a, b, "{scorer:?}, use_requested {use_requested}, requests {requests:?}");
                }
            }
        }
    }

    #[test]
    fn least_and_most_requested_integer_arithmetic() {
        assert_eq!(least_requested(1000, 4000), 75);
        assert_eq!(least_requested(5000, 4000), 0);
        assert_eq!(least_requested(200 * 1024 * 1024, 4 * 1024 * 1024 * 1024), 95);
        assert_eq!(most_requested(1000, 4000), 25);
        assert_eq!(most_requested(5000, 4000), 100, "a request above capacity counts as full");
    }

    #[test]
    fn least_requested_wraps_as_go_does() {
        // A node reporting about 1.4e14 cores: Go's (capacity - requested) * 100 wraps around int64.
        let capacity = i64::MAX / 64;
        let expected = (capacity - 100).wrapping_mul(100) / capacity;
        assert_eq!(least_requested(100, capacity), expected);
        assert!(expected < 0, "the wrapped product is negative, as in Go");
        assert_eq!(least_requested(-1, i64::MIN + 1), 0);
    }

    #[test]
    fn broken_line_interpolates_between_points() {
        // Shape 0→0, 50→100, 100→20 (scores already scaled by 10).
        let shape = [(0, 0), (50, 100), (100, 20)];
        assert_eq!(broken_linear(&shape, 0), 0);
        assert_eq!(broken_linear(&shape, 25), 50);
        assert_eq!(broken_linear(&shape, 50), 100);
        assert_eq!(broken_linear(&shape, 75), 60);
        assert_eq!(broken_linear(&[(10, 30), (90, 70)], 5), 30, "below the first point: its score");
        assert_eq!(broken_linear(&[(10, 30), (90, 70)], 95), 70, "above the last point: its score");
    }

    #[test]
    fn ratio_ignores_resources_scoring_zero() {
        let Scorer::RequestedToCapacityRatio(shape) = Scorer::requested_to_capacity_ratio(&[
            UtilizationShapePoint { utilization: 0, score: 0 },
            UtilizationShapePoint { utilization: 100, score: 10 },
        ]) else {
            unreachable!()
        };
        // cpu 50% → 50 (weight 3); memory 0% → 0, left out: 150 / 3 = 50.
        assert_eq!(ratio(&[(4000, 2000, 3), (1 << 30, 0, 1)], &shape), 50);
        assert_eq!(balanced(&[(2, 1, 1), (4, 1, 1)]), 87);
        // Three resources: the population standard deviation of 0, 0.5 and 1 is √(1/6).
        assert_eq!(balanced(&[(2, 0, 1), (2, 1, 1), (2, 2, 1)]), 59);
    }
}
