//! NodeResourcesBalancedAllocation: nodes whose listed resources (cpu and memory by default) would be used in
//! similar proportions score higher. Counts the actual requests (no non-zero defaults).

use std::rc::Rc;

use crate::scheduler::config::validation::validate_balanced_allocation_args;
use crate::scheduler::config::Args;
use crate::scheduler::plugins::checked_args;
use crate::scheduler::framework::{CycleState, Handle, Instance, NodeInfo, Plugin, PodInfo, PreScorePlugin, ScorePlugin, Status};

use super::resource_allocation::{ResourceAllocationScorer, Scorer};

pub const NAME: &str = "NodeResourcesBalancedAllocation";

pub struct BalancedAllocation {
    scorer: ResourceAllocationScorer,
}

/// `NewBalancedAllocation`: the arguments are validated again (`ValidateNodeResourcesBalancedAllocationArgs`).
pub fn new(args: Option<&Args>) -> Result<Instance, String> {
    let args = checked_args(
        args,
        "NodeResourcesBalancedAllocationArgs",
        |a| if let Args::NodeResourcesBalancedAllocation(x) = a { Some(x) } else { None },
        validate_balanced_allocation_args,
    )?;
    let scorer = ResourceAllocationScorer::new(&args.resources, true, Scorer::Balanced);
    let p = Rc::new(BalancedAllocation { scorer });
    Ok(Instance { pre_score: Some(p.clone()), score: Some(p), ..Instance::new(NAME) })
}

impl Plugin for BalancedAllocation {
    fn name(&self) -> &'static str {
        NAME
    }
}

impl PreScorePlugin for BalancedAllocation {
    fn pre_score(&self, _: &Handle<'_>, state: &mut CycleState, pod: &PodInfo, _: &[&NodeInfo]) -> Result<(), Status> {
        self.scorer.pre_score::<Self>(state, pod);
        Ok(())
    }
}

impl ScorePlugin for BalancedAllocation {
    fn score(&self, _: &Handle<'_>, state: &CycleState, pod: &PodInfo, node: &NodeInfo) -> Result<i64, Status> {
        Ok(self.scorer.score_node::<Self>(state, pod, node))
    }

    fn score_nodes(&self, _: &Handle<'_>, state: &CycleState, pod: &PodInfo, nodes: &[&NodeInfo], scores: &mut [i64]) -> Result<(), Status> {
        self.scorer.score_nodes::<Self>(state, pod, nodes, scores);
        Ok(())
    }
}
