//! kube-scheduler v1.32 (`pkg/scheduler`): one long-lived scheduler running the profiles of its configuration
//! ([`config`], [`profile`]). Every pending pod whose `schedulerName` names a profile goes through that
//! profile's scheduling cycle ([`schedule_one`]) — PreFilter, Filter over a sample of nodes taken in the node
//! tree's order from a start index all profiles share, PostFilter (preemption) when nothing fits, then Score and
//! the choice of a host — and this module makes the API calls the decision asks for: the binding, the
//! evictions, the failure's condition and events.

pub mod config;
pub mod configuration;
pub mod framework;
mod listers;
pub mod node_tree;
pub mod normalize;
pub mod placement;
pub mod plugins;
pub mod profile;
pub mod registry;
pub mod schedule_one;
pub mod snapshot;

use std::rc::Rc;
use std::sync::Arc;

use crate::api::core_v1::{Node, Pod, PodCondition};
use crate::api::{GroupKind, Object};
use crate::cluster::api::pod_action;
use crate::cluster::store::key_of;
use crate::cluster::{Cluster, Concurrency, InvolvedObject, Key, Op, Propagation, Store};
use crate::helpers::pod::set_condition;
use framework::{Nominate, PodInfo, Preemption, QueuedPodInfo};
use node_tree::NodeTree;
pub use placement::{NodeList, Placement, Retention, ScoreTable, Verdict, DEFAULT_DETAIL_BUDGET};
pub use profile::Profiles;
use schedule_one::{Cycle, Outcome};
pub use snapshot::Snapshot;

/// `v1.DefaultSchedulerName`: the profile of the default configuration.
pub const DEFAULT_SCHEDULER: &str = config::DEFAULT_SCHEDULER_NAME;
/// Events keep at most this many bytes of message (`NoteLengthLimit`).
const EVENT_NOTE_LIMIT: usize = 1024;

/// State that outlives one scheduling cycle: the profiles, the node tree and the start index of the node search
/// (one for all profiles, as in one long-lived scheduler), and the decisions taken so far.
#[derive(Debug, Default)]
pub struct Scheduler {
    /// The configuration's profiles (the default configuration unless one was given).
    pub profiles: Rc<Profiles>,
    pub tree: NodeTree,
    /// `nextStartNodeIndex`: where the next pod's search starts, whichever profile schedules it.
    pub next_start_node_index: usize,
    pub placements: Vec<Placement>,
    /// Record every examined node's verdict in placements (for `explain` and the playground).
    pub record_verdicts: bool,
    /// Let nominated pods hold their node against pods of lower or equal priority (`PodNominator`). Off in the
    /// model: each scheduler pass takes every pending pod through the queue once, so a pod is nominated only
    /// while it is itself being scheduled, and a nomination reserves nothing for the other pods (the real v1.32
    /// results show a lower-priority pod taking the room a preemptor freed and was nominated to, in the same
    /// pass). On, the nominator holds every pending pod with a nominated node, as a long-lived queue would.
    pub reserve_nominated_nodes: bool,
    /// Which decisions keep every node's scores and verdicts, and which only their summary.
    pub retention: Retention,
    /// The last pass's snapshot, refreshed by the next pass with what changed ([`Snapshot::refresh`]).
    pub snapshot: Option<Snapshot>,
    /// Whether a configuration document gave the profiles (rather than the default configuration).
    pub configured: bool,
    /// The scoring buffer every cycle scores into (kept to reuse its memory).
    pub scores: framework::Scores,
}

/// kube-scheduler started with this configuration document as `--config`: the profiles it runs, or the error
/// it exits with (decoding, validation, or building a profile).
pub fn profiles_from(document: &crate::input::Node) -> Result<Profiles, config::ConfigError> {
    Profiles::new(config::load(document)?)
}

impl Scheduler {
    /// Run the profiles of a configuration document rather than the default configuration's.
    pub fn configure(&mut self, profiles: Profiles) {
        self.profiles = Rc::new(profiles);
        self.configured = true;
    }

    /// The configuration a document gave, as kube-scheduler runs it; `None` for the default configuration.
    pub fn configuration(&self) -> Option<&config::KubeSchedulerConfiguration> {
        self.configured.then_some(&self.profiles.config)
    }

    /// Whether one of the profiles schedules pods naming `scheduler_name` (`HandlesSchedulerName`).
    pub fn handles(&self, scheduler_name: &str) -> bool {
        self.profiles.handles(scheduler_name)
    }
}

/// Whether the scheduler takes the pod into its queue now: not bound, not terminating, a profile of this
/// scheduler named, and that profile's PreEnqueue plugins (scheduling gates) let it in.
pub(crate) fn wants_scheduling(profiles: &Profiles, pod: &Pod) -> bool {
    pod.spec.node_name.is_empty()
        && pod.metadata.deletion_timestamp.is_none()
        && !crate::helpers::pod::is_pod_terminal(pod)
        && profiles.get(&pod.spec.scheduler_name).is_some_and(|f| f.run_pre_enqueue(pod).is_ok())
}

/// Keep the node tree in step with the cluster's nodes (nodes arrive in name order).
fn sync_tree(tree: &mut NodeTree, store: &Store) {
    let gone: Vec<String> = tree.names().filter(|n| store.get::<Node>("", n).is_none()).map(str::to_owned).collect();
    for n in gone {
        tree.remove(&n);
    }
    for node in store.list::<Node>() {
        match tree.zone_of(&node.metadata.name).map(str::to_owned) {
            Some(zone) => tree.update(&zone, node),
            None => tree.add(node),
        }
    }
}

/// One scheduler pass: every pending pod in the queue's order (the profiles' common queue sort: priority
/// first, then creation order).
pub fn run(sched: &mut Scheduler, cluster: &mut Cluster) {
    let profiles = sched.profiles.clone();
    let Some(queue) = profiles.first() else { return };
    let mut pending: Vec<(QueuedPodInfo, Key)> = cluster
        .store()
        .unbound_pods()
        .filter(|(_, p)| wants_scheduling(&profiles, p))
        .map(|(k, p)| (QueuedPodInfo { priority: p.spec.priority.unwrap_or(0), timestamp: Store::creation_index(&p.metadata) }, k.clone()))
        .collect();
    if pending.is_empty() {
        return;
    }
    pending.sort_by(|(a, _), (b, _)| {
        if queue.less(a, b) {
            std::cmp::Ordering::Less
        } else if queue.less(b, a) {
            std::cmp::Ordering::Greater
        } else {
            std::cmp::Ordering::Equal
        }
    });
    let mut snapshot = take_snapshot(sched, cluster, &profiles);
    for (_, key) in pending {
        let Some(pod) = cluster.store().shared_pod(&key).cloned() else { continue };
        if !wants_scheduling(&profiles, &pod) {
            continue;
        }
        let Some(fw) = profiles.get(&pod.spec.scheduler_name) else { continue };
        let info = snapshot.pod_info(pod);
        let outcome = {
            let mut cycle = Cycle::new(sched, cluster, &snapshot, fw);
            cycle.schedule_pod(&info)
        };
        record(sched, cluster, &mut snapshot, fw.profile_name(), info, outcome);
    }
    sched.snapshot = Some(snapshot);
}

/// The snapshot for this pass: last pass's, brought up to date with the pods written since, or, when nodes
/// changed (or there is none yet, or the pod log no longer reaches back to it), a new one built after the node
/// tree has taken in the nodes.
fn take_snapshot(sched: &mut Scheduler, cluster: &Cluster, profiles: &Profiles) -> Snapshot {
    if let Some(mut snapshot) = sched.snapshot.take() {
        if snapshot.refresh(cluster.store()) {
            #[cfg(debug_assertions)]
            if let Some(difference) = snapshot.differs_from(&Snapshot::build(cluster.store(), &sched.tree.list(), None)) {
                panic!("the refreshed snapshot is not the one a build gives: {difference}");
            }
            return snapshot;
        }
    }
    sync_tree(&mut sched.tree, cluster.store());
    let order = sched.tree.list();
    let nominations = sched.reserve_nominated_nodes;
    Snapshot::build(cluster.store(), &order, nominations.then_some(&|p: &Pod| wants_scheduling(profiles, p)))
}

/// Make the API calls a decision asks for and keep it: bind, or evict the preemption's victims and record the
/// failure.
fn record(sched: &mut Scheduler, cluster: &mut Cluster, snapshot: &mut Snapshot, profile: &str, info: PodInfo, outcome: Outcome) {
    match outcome {
        Outcome::Bound(placement) => {
            let node = placement.selected_node.clone().unwrap_or_default();
            bind(cluster, snapshot, profile, info, &node);
            sched.placements.push(placement);
        }
        Outcome::Failed(mut f) => {
            if let Some(p) = &f.preemption {
                prepare_candidate(cluster, snapshot, profile, &info, p);
            }
            if let Nominate::Set(n) = &f.nominate {
                if !n.is_empty() {
                    f.placement.nominated_node = Some(n.clone());
                }
            }
            record_failure(sched, cluster, snapshot, profile, &info.pod, &f);
            sched.placements.push(f.placement);
        }
    }
}

/// Bind: set `nodeName` and `PodScheduled=True`, record the event and the action, and count the pod on its node
/// for the pods scheduled after it (which also ends its nomination).
///
/// The pod is written in place ([`Cluster::update_pod`]), not as a copy. The snapshot then keeps the cycle's
/// [`PodRecord`](framework::PodRecord) of it: nothing a record holds (identity, labels, derived requests, ports
/// and affinity terms, the start and deletion) is changed by the binding, so the record of the bound pod would be
/// the same. A pod no longer stored cannot be bound: it is neither counted nor reported (`Scheduled` is recorded
/// once the binding succeeded, as `bindingCycle` does).
fn bind(cluster: &mut Cluster, snapshot: &mut Snapshot, profile: &str, info: PodInfo, node: &str) {
    let PodInfo { pod, record, .. } = info;
    let key = key_of(&pod.metadata);
    // The cycle's reference goes first: with the store's the only one left, the binding writes the pod in place.
    drop(pod);
    let bound = cluster.update_pod(&key, |spec, status| {
        spec.node_name = node.to_owned();
        if status.phase.is_empty() {
            status.phase = "Pending".into();
        }
        set_condition(status, PodCondition { r#type: "PodScheduled".into(), status: "True".into(), ..Default::default() });
    });
    let Ok(pod) = bound.map(Arc::clone) else { return };
    debug_assert!(record.describes(&pod), "the binding changed what the snapshot keeps of {}/{}", key.0, key.1);
    cluster.rec.event(
        profile.to_owned(),
        "Normal",
        "Scheduled",
        InvolvedObject { kind: "Pod".into(), namespace: key.0.clone(), name: key.1.clone() },
        format!("Successfully assigned {}/{} to {}", key.0, key.1, node),
    );
    cluster.rec.action(pod_action(Op::Bind, &pod));
    snapshot.add_pod(node, Rc::new(record));
}

/// `prepareCandidate`: evict the victims (each gets a `Preempted` event from the profile) and clear the
/// nominations of lower-priority pods nominated to the same node.
fn prepare_candidate(cluster: &mut Cluster, snapshot: &mut Snapshot, profile: &str, pod: &PodInfo, c: &Preemption) {
    for v in &c.victims {
        let _ = cluster.delete(GroupKind::Pod, v.namespace(), v.name(), Propagation::Background);
        snapshot.remove_pod(&c.node, v.namespace(), v.name());
        cluster.rec.event(
            profile.to_owned(),
            "Normal",
            "Preempted",
            InvolvedObject { kind: "Pod".into(), namespace: v.namespace().to_owned(), name: v.name().to_owned() },
            format!("Preempted by pod {} on node {}", pod.uid(), c.node),
        );
    }
    let lower: Vec<(String, String)> = snapshot
        .nominated_for(&c.node)
        .iter()
        .filter(|p| p.priority < pod.record.priority)
        .map(|p| (p.namespace().to_owned(), p.name().to_owned()))
        .collect();
    for (ns, name) in lower {
        snapshot.unnominate(&ns, &name);
        let Some(mut p) = cluster.store().by_key::<Pod>(&(ns, name)).cloned() else { continue };
        if p.status.nominated_node_name.is_empty() {
            continue;
        }
        p.status.nominated_node_name.clear();
        let _ = cluster.patch(Object::Pod(Arc::new(p)), Concurrency::Unchecked);
    }
}

/// `handleSchedulingFailure`: `PodScheduled=False` with the message, the nominated node (in the pod's status and
/// in the nominator), and a `FailedScheduling` event from the profile (its message cut to 1024 bytes).
fn record_failure(sched: &Scheduler, cluster: &mut Cluster, snapshot: &mut Snapshot, profile: &str, pod: &Pod, f: &schedule_one::Failure) {
    let key = (pod.metadata.namespace.clone(), pod.metadata.name.clone());
    let Some(mut current) = cluster.store().by_key::<Pod>(&key).cloned() else { return };
    let status = &mut current.status;
    if status.phase.is_empty() {
        status.phase = "Pending".into();
    }
    set_condition(
        status,
        PodCondition {
            r#type: "PodScheduled".into(),
            status: "False".into(),
            reason: f.reason.into(),
            message: f.message.clone(),
            ..Default::default()
        },
    );
    if let Nominate::Set(n) = &f.nominate {
        status.nominated_node_name = n.clone();
    }
    if sched.reserve_nominated_nodes {
        let nominated_node = status.nominated_node_name.clone();
        snapshot.nominate(&current, &nominated_node);
    }
    cluster.rec.event(
        profile.to_owned(),
        "Warning",
        "FailedScheduling",
        InvolvedObject { kind: "Pod".into(), namespace: key.0.clone(), name: key.1.clone() },
        truncate_note(&f.message),
    );
    let _ = cluster.patch(Object::Pod(Arc::new(current)), Concurrency::Unchecked);
}

fn truncate_note(message: &str) -> String {
    if message.len() <= EVENT_NOTE_LIMIT {
        return message.to_owned();
    }
    let mut end = EVENT_NOTE_LIMIT - 4;
    while !message.is_char_boundary(end) {
        end -= 1;
    }
    format!("{} ...", &message[..end])
}
