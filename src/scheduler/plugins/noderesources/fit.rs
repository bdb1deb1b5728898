//! NodeResourcesFit: the pod's requests must fit in what the node has left (`fitsRequest`, less the extended
//! resources the arguments ignore), and nodes score by the configured strategy — LeastAllocated (the default),
//! MostAllocated or RequestedToCapacityRatio — over the configured resources and weights.

use std::collections::BTreeSet;

use crate::helpers::resources::{is_extended_resource, Resource};
use crate::scheduler::config::args::{NodeResourcesFitArgs, LEAST_ALLOCATED, MOST_ALLOCATED, REQUESTED_TO_CAPACITY_RATIO};
use crate::scheduler::config::validation::validate_fit_args;
use crate::scheduler::config::Args;
use crate::scheduler::plugins::checked_args;
use crate::scheduler::framework::{
    CycleState, FilterPlugin, Handle, Instance, NodeInfo, Plugin, PodInfo, PreFilterPlugin, PreFilterResult, PreScorePlugin,
    Reason, ScorePlugin, Status,
};

use super::resource_allocation::{ResourceAllocationScorer, Scorer};

pub const NAME: &str = "NodeResourcesFit";

pub struct Fit {
    ignored_resources: BTreeSet<String>,
    ignored_resource_groups: BTreeSet<String>,
    scorer: ResourceAllocationScorer,
}

/// `NewFit`: the arguments are validated (`ValidateNodeResourcesFitArgs`, unlike the configuration's
/// validation, which skips them) and the scoring strategy chosen.
pub fn new(args: Option<&Args>) -> Result<Instance, String> {
    let args = checked_args(
        args,
        "NodeResourcesFitArgs",
        |a| if let Args::NodeResourcesFit(x) = a { Some(x) } else { None },
        validate_fit_args,
    )?;
    Ok(Instance::filter_and_score(NAME, Fit::from_args(args)?))
}

impl Fit {
    fn from_args(args: &NodeResourcesFitArgs) -> Result<Fit, String> {
        let Some(strategy) = &args.scoring_strategy else { return Err("scoring strategy not specified".into()) };
        let scorer = match strategy.type_.as_str() {
            LEAST_ALLOCATED => Scorer::LeastAllocated,
            MOST_ALLOCATED => Scorer::MostAllocated,
            REQUESTED_TO_CAPACITY_RATIO => {
                Scorer::requested_to_capacity_ratio(strategy.requested_to_capacity_ratio.as_ref().map_or(&[][..], |r| &r.shape))
            }
            other => return Err(format!("scoring strategy {other} is not supported")),
        };
        Ok(Fit {
            ignored_resources: args.ignored_resources.iter().cloned().collect(),
            ignored_resource_groups: args.ignored_resource_groups.iter().cloned().collect(),
            scorer: ResourceAllocationScorer::new(&strategy.resources, false, scorer),
        })
    }

    /// Whether the Filter ignores an extended resource, by name or by group (the part before `/`).
    fn ignores(&self, name: &str) -> bool {
        if !is_extended_resource(name) {
            return false;
        }
        let group = name.split('/').next().unwrap_or("");
        self.ignored_resources.contains(name) || (!self.ignored_resource_groups.is_empty() && self.ignored_resource_groups.contains(group))
    }

    /// `fitsRequest`: every shortage, in Kubernetes' order (pods, cpu, memory, ephemeral-storage, then extended
    /// resources in name order). What is left on a node is computed as Go does, in wrapping int64 arithmetic.
    pub fn insufficient(&self, req: &Resource, node: &NodeInfo) -> Vec<Reason> {
        let mut out = Vec::new();
        if node.pods.len() as i64 + 1 > node.allocatable.allowed_pod_number {
            out.push(Reason::TooManyPods);
        }
        if req.milli_cpu == 0 && req.memory == 0 && req.ephemeral_storage == 0 && req.scalar.is_empty() {
            return out;
        }
        let (a, r) = (&node.allocatable, &node.requested);
        let mut short = |name: &str| out.push(Reason::InsufficientResource(name.to_owned()));
        if req.milli_cpu > 0 && req.milli_cpu > a.milli_cpu.wrapping_sub(r.milli_cpu) {
            short("cpu");
        }
        if req.memory > 0 && req.memory > a.memory.wrapping_sub(r.memory) {
            short("memory");
        }
        if req.ephemeral_storage > 0 && req.ephemeral_storage > a.ephemeral_storage.wrapping_sub(r.ephemeral_storage) {
            short("ephemeral-storage");
        }
        for (name, q) in &req.scalar {
            if *q == 0 || self.ignores(name) {
                continue;
            }
            let free = a.scalar.get(name).copied().unwrap_or(0).wrapping_sub(r.scalar.get(name).copied().unwrap_or(0));
            if *q > free {
                short(name);
            }
        }
        out
    }
}

impl Plugin for Fit {
    fn name(&self) -> &'static str {
        NAME
    }
}

impl PreFilterPlugin for Fit {
    /// The PreFilter state is the pod's requests (`computePodResourceRequest`), which [`PodInfo`] already
    /// holds: nothing to compute here.
    fn pre_filter(&self, _: &Handle<'_>, _: &mut CycleState, _: &PodInfo) -> Result<PreFilterResult, Status> {
        Ok(None)
    }
}

impl FilterPlugin for Fit {
    fn filter(&self, _: &CycleState, pod: &PodInfo, node: &NodeInfo) -> Result<(), Status> {
        let reasons = self.insufficient(&pod.record.requests, node);
        if reasons.is_empty() {
            return Ok(());
        }
        Err(Status { code: crate::scheduler::framework::Code::Unschedulable, reasons, plugin: "" })
    }
}

impl PreScorePlugin for Fit {
    fn pre_score(&self, _: &Handle<'_>, state: &mut CycleState, pod: &PodInfo, _: &[&NodeInfo]) -> Result<(), Status> {
        self.scorer.pre_score::<Self>(state, pod);
        Ok(())
    }
}

impl ScorePlugin for Fit {
    fn score(&self, _: &Handle<'_>, state: &CycleState, pod: &PodInfo, node: &NodeInfo) -> Result<i64, Status> {
        Ok(self.scorer.score_node::<Self>(state, pod, node))
    }

    fn score_nodes(&self, _: &Handle<'_>, state: &CycleState, pod: &PodInfo, nodes: &[&NodeInfo], scores: &mut [i64]) -> Result<(), Status> {
        self.scorer.score_nodes::<Self>(state, pod, nodes, scores);
        Ok(())
    }
}
