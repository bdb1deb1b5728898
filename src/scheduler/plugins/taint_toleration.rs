//! TaintToleration: rejects nodes with an untolerated NoSchedule or NoExecute taint (the first one, in the node's
//! order, names the reason); scores nodes by how few PreferNoSchedule taints the pod does not tolerate.

use std::rc::Rc;

use crate::api::core_v1::Toleration;
use crate::helpers::taints::{find_untolerated, is_no_schedule_or_no_execute, tolerated, PREFER_NO_SCHEDULE};
use crate::scheduler::config::Args;
use crate::scheduler::framework::{
    CycleState, FilterPlugin, Handle, Instance, NodeInfo, Plugin, PodInfo, PreScorePlugin, Reason, ScorePlugin, Status,
};
use crate::scheduler::normalize::default_normalize;

pub const NAME: &str = "TaintToleration";

pub struct TaintToleration;

/// The PreScore state: the tolerations that can tolerate PreferNoSchedule taints (empty effect or
/// PreferNoSchedule).
#[derive(Clone, Debug)]
struct PreferNoSchedule(Vec<Toleration>);

pub fn new(_: Option<&Args>) -> Result<Instance, String> {
    let p = Rc::new(TaintToleration);
    Ok(Instance { filter: Some(p.clone()), pre_score: Some(p.clone()), score: Some(p), ..Instance::new(NAME) })
}

impl Plugin for TaintToleration {
    fn name(&self) -> &'static str {
        NAME
    }
}

impl FilterPlugin for TaintToleration {
    fn filter(&self, _: &CycleState, pod: &PodInfo, node: &NodeInfo) -> Result<(), Status> {
        match find_untolerated(&node.node.taints, pod.tolerations(), is_no_schedule_or_no_execute) {
            None => Ok(()),
            Some(t) => Err(Status::unresolvable(Reason::UntoleratedTaint { key: t.key.clone(), value: t.value.clone() })),
        }
    }
}

impl PreScorePlugin for TaintToleration {
    fn pre_score(&self, _: &Handle<'_>, state: &mut CycleState, pod: &PodInfo, _: &[&NodeInfo]) -> Result<(), Status> {
        let tolerations = pod.tolerations().iter().filter(|t| t.effect.is_empty() || t.effect == PREFER_NO_SCHEDULE).cloned().collect();
        state.write(PreferNoSchedule(tolerations));
        Ok(())
    }
}

/// The tolerations PreScore kept.
fn tolerations(state: &CycleState) -> &[Toleration] {
    state.read::<PreferNoSchedule>().map_or(&[][..], |p| &p.0)
}

/// The node's PreferNoSchedule taints the tolerations do not tolerate.
fn untolerated(tolerations: &[Toleration], node: &NodeInfo) -> i64 {
    node.node.taints.iter().filter(|t| t.effect == PREFER_NO_SCHEDULE && !tolerated(tolerations, t)).count() as i64
}

impl ScorePlugin for TaintToleration {
    /// The number of PreferNoSchedule taints not tolerated.
    fn score(&self, _: &Handle<'_>, state: &CycleState, _: &PodInfo, node: &NodeInfo) -> Result<i64, Status> {
        Ok(untolerated(tolerations(state), node))
    }

    fn score_nodes(&self, _: &Handle<'_>, state: &CycleState, _: &PodInfo, nodes: &[&NodeInfo], scores: &mut [i64]) -> Result<(), Status> {
        let tolerations = tolerations(state);
        for (score, node) in scores.iter_mut().zip(nodes) {
            *score = untolerated(tolerations, node);
        }
        Ok(())
    }

    /// `DefaultNormalizeScore(100, reverse)`: fewer untolerated taints score higher.
    fn normalize_score(&self, _: &CycleState, _: &PodInfo, _: &[&NodeInfo], scores: &mut [i64]) -> Result<(), Status> {
        default_normalize(scores, true);
        Ok(())
    }
}
