//! DefaultPreemption (`framework/preemption/preemption.go`, `plugins/defaultpreemption`): when no node fits, find
//! nodes where evicting lower-priority pods would let the pod fit, pick one, evict its victims and nominate the
//! node for the pod's next attempt.

use std::rc::Rc;

use crate::api::core_v1::Pod;
use crate::cluster::{Cluster, InvolvedObject};

use super::framework::{fit_error_message, Code, NodeInfo, NodeToStatus, PodInfo, Status};
use super::{plugins, CycleState, Nominate, Snapshot, DEFAULT_SCHEDULER};

/// `DefaultPreemptionArgs`: at least 10% of the nodes, at least 100, as candidates.
const MIN_CANDIDATE_NODES_PERCENTAGE: usize = 10;
const MIN_CANDIDATE_NODES_ABSOLUTE: usize = 100;

struct Candidate {
    node: String,
    victims: Vec<Rc<PodInfo>>,
}

/// `PostFilter`: the message to append to the FitError (`preemption: ...`) and what to do with the pod's
/// nominated node.
pub fn post_filter(
    cluster: &mut Cluster,
    snapshot: &mut Snapshot,
    pod: &PodInfo,
    statuses: &NodeToStatus,
    state: &CycleState,
) -> (String, Nominate) {
    if let Some(msg) = not_eligible(snapshot, pod, statuses) {
        return (format!("preemption: {msg}"), Nominate::Keep);
    }
    let potential: Vec<usize> = snapshot
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| statuses.get(n.name()).code == Code::Unschedulable)
        .map(|(i, _)| i)
        .collect();
    let num_all = snapshot.nodes.len();
    let mut dry_statuses = NodeToStatus::default();
    let candidates = if potential.is_empty() {
        Vec::new()
    } else {
        dry_run(snapshot, pod, state, &potential, &mut dry_statuses)
    };
    if candidates.is_empty() {
        dry_statuses.absent = Status::unresolvable("", "Preemption is not helpful for scheduling");
        let msg = fit_error_message(num_all, &dry_statuses, "", "");
        return (format!("preemption: {msg}"), Nominate::Set(String::new()));
    }
    let best = select_candidate(candidates);
    prepare(cluster, snapshot, pod, &best);
    (String::new(), Nominate::Set(best.node))
}

/// `PodEligibleToPreemptOthers`.
fn not_eligible(snapshot: &Snapshot, pod: &PodInfo, statuses: &NodeToStatus) -> Option<&'static str> {
    if pod.pod.spec.preemption_policy.as_deref() == Some("Never") {
        return Some("not eligible due to preemptionPolicy=Never.");
    }
    let nominated = pod.pod.status.nominated_node_name.as_str();
    if !nominated.is_empty() {
        if statuses.get(nominated).code == Code::UnschedulableAndUnresolvable {
            return None;
        }
        if let Some(node) = snapshot.get(nominated) {
            let terminating = node
                .pods
                .iter()
                .any(|p| p.priority < pod.priority && p.pod.metadata.deletion_timestamp.is_some());
            if terminating {
                return Some("not eligible due to a terminating pod on the nominated node.");
            }
        }
    }
    None
}

/// `DryRunPreemption` over the potential nodes, sequentially and from offset 0 (a real scheduler starts at a
/// random offset), stopping once enough candidates are found.
fn dry_run(snapshot: &Snapshot, pod: &PodInfo, state: &CycleState, potential: &[usize], statuses: &mut NodeToStatus) -> Vec<Candidate> {
    let n = potential.len();
    let want = (n * MIN_CANDIDATE_NODES_PERCENTAGE / 100).max(MIN_CANDIDATE_NODES_ABSOLUTE).min(n);
    let mut out = Vec::new();
    for &i in potential {
        let node = &snapshot.nodes[i];
        match select_victims(state, pod, node) {
            Ok(victims) => {
                out.push(Candidate { node: node.name().to_owned(), victims });
                if out.len() >= want {
                    break;
                }
            }
            Err(status) => {
                statuses.explicit.insert(node.name().to_owned(), status);
            }
        }
    }
    out
}

/// `util.MoreImportantPod`: higher priority, then the one that started earlier.
fn more_important(a: &PodInfo, b: &PodInfo) -> std::cmp::Ordering {
    b.priority.cmp(&a.priority).then(a.creation.cmp(&b.creation))
}

/// `SelectVictimsOnNode`: remove every lower-priority pod; if the pod then fits, add them back from the most
/// important down while it still fits. Those that cannot come back are the victims.
fn select_victims(state: &CycleState, pod: &PodInfo, node: &NodeInfo) -> Result<Vec<Rc<PodInfo>>, Status> {
    let mut copy = node.clone();
    let mut potential: Vec<Rc<PodInfo>> = node.pods.iter().filter(|p| p.priority < pod.priority).cloned().collect();
    if potential.is_empty() {
        return Err(Status::unresolvable("", "No preemption victims found for incoming pod"));
    }
    for p in &potential {
        copy.remove_pod(p.namespace(), p.name());
    }
    let status = plugins::filter(state, pod, &copy);
    if !status.is_success() {
        return Err(status);
    }
    potential.sort_by(|a, b| more_important(a, b));
    let mut victims = Vec::new();
    for p in potential {
        copy.add_pod(p.clone());
        if !plugins::filter(state, pod, &copy).is_success() {
            copy.remove_pod(p.namespace(), p.name());
            victims.push(p);
        }
    }
    if victims.is_empty() {
        return Err(Status::new(Code::Error, "", format!("expected at least one victim pod on node {:?}", node.name())));
    }
    Ok(victims)
}

/// `SelectCandidate` / `pickOneNodeForPreemption`: fewest PDB violations (none are modelled), lowest
/// highest-victim priority, lowest priority sum, fewest victims, latest start; then the first in name order.
fn select_candidate(mut candidates: Vec<Candidate>) -> Candidate {
    candidates.sort_by(|a, b| a.node.cmp(&b.node));
    if candidates.len() == 1 {
        return candidates.pop().expect("one candidate");
    }
    let scores: Vec<Box<dyn Fn(&Candidate) -> i128>> = vec![
        Box::new(|c| -i128::from(c.victims[0].priority)),
        Box::new(|c| -c.victims.iter().map(|v| i128::from(v.priority) + i128::from(i32::MAX) + 1).sum::<i128>()),
        Box::new(|c| -(c.victims.len() as i128)),
        Box::new(|c| c.victims.iter().map(|v| i128::from(v.creation)).min().unwrap_or(i128::MIN)),
    ];
    let mut remaining: Vec<usize> = (0..candidates.len()).collect();
    for f in scores {
        let best = remaining.iter().map(|&i| f(&candidates[i])).max().unwrap_or(0);
        remaining.retain(|&i| f(&candidates[i]) == best);
        if remaining.len() == 1 {
            break;
        }
    }
    let pick = remaining[0];
    candidates.swap_remove(pick)
}

/// `prepareCandidate`: evict the victims (each gets a `Preempted` event) and clear the nominations of
/// lower-priority pods nominated to the same node.
fn prepare(cluster: &mut Cluster, snapshot: &mut Snapshot, pod: &PodInfo, c: &Candidate) {
    for v in &c.victims {
        cluster.rec.event(
            DEFAULT_SCHEDULER,
            "Normal",
            "Preempted",
            InvolvedObject { kind: "Pod".into(), namespace: v.namespace().to_owned(), name: v.name().to_owned() },
            format!("Preempted by pod {} on node {}", pod.pod.metadata.uid, c.node),
        );
        cluster.delete_pod(v.namespace(), v.name());
        if let Some(&i) = snapshot.index.get(&c.node) {
            snapshot.nodes[i].remove_pod(v.namespace(), v.name());
        }
    }
    let lower: Vec<Pod> = cluster
        .store
        .pods
        .values()
        .filter(|p| {
            p.status.nominated_node_name == c.node && p.spec.priority.unwrap_or(0) < pod.priority
        })
        .cloned()
        .collect();
    for mut p in lower {
        p.status.nominated_node_name.clear();
        cluster.write(crate::api::Object::Pod(Box::new(p)));
    }
}
