//! Rollouts that cannot finish: which workloads the plan leaves with an incomplete rollout, where they stopped
//! progressing, and why, read from the plan's final state and its timeline.
//!
//! The reasons follow the controllers' own arithmetic:
//! - a pod of the rollout stays Pending (the scheduler's message and the node it was meant for);
//! - a DaemonSet surge pod needs a host port its node's old pod holds (`maxSurge` starts the new pod beside the
//!   old one, and the old one goes only once the new one is available: neither happens);
//! - the budget is used up: `maxUnavailable` by pods that are not available (Pending, on a NotReady or deleted
//!   node, not Ready, or Ready for less than `minReadySeconds`), `maxSurge` by surge pods that are not available;
//! - the strategy does not replace pods by itself (`OnDelete`), the Deployment is paused, or its progress
//!   deadline passed.

use std::collections::HashMap;

use serde::Serialize;

use crate::api::apps_v1::{ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet};
use crate::api::core_v1::{Node, Pod};
use crate::api::meta_v1::ObjectMeta;
use crate::api::controller_of;
use crate::cluster::{Cluster, Limit, RolloutBudget, WorkloadStatus};
use crate::controller::daemonset::{is_pod_updated, target_node_name, template_generation};
use crate::controller::deployment::util as deploy_util;
use crate::helpers::pod::{is_pod_available, is_pod_ready, is_pod_terminal};
use crate::scheduler::framework::{host_ports, ports_conflict, HostPort};

use super::status::{complete, resource_name, status};

/// A rollout that cannot finish.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(hashmap_as_object, missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct Stall {
    pub kind: &'static str,
    pub namespace: String,
    pub name: String,
    /// How kubectl names the workload: `daemonset.apps/name`.
    pub resource: String,
    /// The phase and round in which the rollout last changed (a pod of it created, bound, started or deleted, or
    /// its status updated); nothing changes it afterwards.
    pub phase: String,
    pub round: u32,
    /// What `kubectl rollout status` keeps printing.
    pub status: String,
    pub reasons: Vec<StallReason>,
}

/// Why a rollout cannot finish.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(hashmap_as_object, missing_as_null))]
pub enum StallKind {
    /// A pod of the rollout stays Pending.
    PodPending,
    /// A surge pod cannot share a host port with the old pod on its node.
    SurgeHostPortConflict,
    /// A pod of the rollout is bound but never becomes available.
    PodNotAvailable,
    /// `maxUnavailable` is used up by unavailable pods, so no old pod may go.
    MaxUnavailableReached,
    /// `maxSurge` is used up by surge pods that are not available, so no further pod may be added.
    MaxSurgeReached,
    /// The controller could not create pods (its `FailedCreate` event).
    CreateFailed,
    /// `OnDelete`: old pods are replaced only when someone deletes them.
    OnDelete,
    /// The Deployment is paused.
    Paused,
    /// The Deployment's `Progressing` condition says `ProgressDeadlineExceeded`.
    ProgressDeadlineExceeded,
    /// None of the above: the controllers have nothing more to do, yet the status is not complete.
    NotProgressing,
}

/// One reason, with the objects it is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(hashmap_as_object, missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct StallReason {
    pub reason: StallKind,
    /// The reason in a sentence.
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pod: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node: Option<String>,
    /// The scheduler's message for a Pending pod (its `PodScheduled` condition).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scheduler_message: Option<String>,
    /// `port/protocol`, for a host port conflict.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host_port: Option<String>,
    /// The old pod holding the host port.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_pod: Option<String>,
    /// The resolved `maxUnavailable` or `maxSurge`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i32>,
    /// The pods that use the budget up.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "wasm", tsify(optional))]
    pub pods: Vec<String>,
}

impl StallReason {
    fn new(reason: StallKind, message: String) -> StallReason {
        StallReason {
            reason,
            message,
            pod: None,
            node: None,
            scheduler_message: None,
            host_port: None,
            old_pod: None,
            limit: None,
            pods: Vec::new(),
        }
    }
}

/// Every rollout the plan leaves incomplete, in namespace/name order (DaemonSets, Deployments, StatefulSets).
/// Costs nothing beyond a status check per workload when every rollout completed.
pub fn stalls(cluster: &Cluster) -> Vec<Stall> {
    let s = cluster.store();
    let incomplete = s.list::<DaemonSet>().any(|o| !complete(&WorkloadStatus::of_daemonset(o)))
        || s.list::<Deployment>().any(|o| !complete(&WorkloadStatus::of_deployment(o)))
        || s.list::<StatefulSet>().any(|o| !complete(&WorkloadStatus::of_statefulset(o)));
    if !incomplete {
        return Vec::new();
    }
    let ctx = Context::new(cluster);
    let mut out = Vec::new();
    for ds in s.list::<DaemonSet>() {
        let st = WorkloadStatus::of_daemonset(ds);
        if !complete(&st) {
            out.push(ctx.stall("DaemonSet", &ds.metadata, &st, daemonset_reasons(&ctx, ds), &[]));
        }
    }
    for d in s.list::<Deployment>() {
        let st = WorkloadStatus::of_deployment(d);
        if !complete(&st) {
            let rss = ctx.replica_sets_of(d);
            let rs_names: Vec<&str> = rss.iter().map(|rs| rs.metadata.name.as_str()).collect();
            out.push(ctx.stall("Deployment", &d.metadata, &st, deployment_reasons(&ctx, d, &rss), &rs_names));
        }
    }
    for ss in s.list::<StatefulSet>() {
        let st = WorkloadStatus::of_statefulset(ss);
        if !complete(&st) {
            out.push(ctx.stall("StatefulSet", &ss.metadata, &st, statefulset_reasons(&ctx, ss), &[]));
        }
    }
    out.sort_by(|a, b| (&a.namespace, &a.name, a.kind).cmp(&(&b.namespace, &b.name, b.kind)));
    out
}

/// A point of the timeline: phase index, round, phase name.
type At<'a> = (usize, u32, &'a str);

/// What every analysis reads: the cluster, pods by controlling owner, the clock, and where each workload and
/// each pod owner last changed.
struct Context<'a> {
    cluster: &'a Cluster,
    pods_by_owner: HashMap<&'a str, Vec<&'a Pod>>,
    now: u64,
    /// Last status change per (kind, namespace, name).
    last_status: HashMap<(&'a str, &'a str, &'a str), At<'a>>,
    /// Last action on a pod per (namespace, owner as `Kind/name`).
    last_action: HashMap<(&'a str, &'a str), At<'a>>,
}

impl<'a> Context<'a> {
    fn new(cluster: &'a Cluster) -> Context<'a> {
        let mut pods_by_owner: HashMap<&str, Vec<&Pod>> = HashMap::new();
        for pod in cluster.store().list::<Pod>() {
            if is_pod_terminal(pod) && pod.metadata.deletion_timestamp.is_some() {
                continue;
            }
            if let Some(owner) = controller_of(&pod.metadata) {
                pods_by_owner.entry(owner.uid.as_str()).or_default().push(pod);
            }
        }
        let rec = &cluster.rec;
        let phase_index: HashMap<&str, usize> = rec.phases.iter().enumerate().map(|(i, p)| (p.as_str(), i)).collect();
        let at = |phase: &'a str, round: u32| (phase_index.get(phase).copied().unwrap_or(0), round, phase);
        let mut last_status = HashMap::new();
        for r in &rec.statuses {
            last_status.insert((r.status.kind(), r.namespace.as_str(), r.name.as_str()), at(&r.phase, r.round));
        }
        let mut last_action = HashMap::new();
        for step in &rec.steps {
            for a in &step.actions {
                if let Some(owner) = &a.owner {
                    last_action.insert((a.namespace.as_str(), owner.as_str()), at(&step.phase, step.round));
                }
            }
        }
        Context { cluster, pods_by_owner, now: cluster.store().created(), last_status, last_action }
    }

    fn pods_of(&self, meta: &ObjectMeta) -> &[&'a Pod] {
        self.pods_by_owner.get(meta.uid.as_str()).map(Vec::as_slice).unwrap_or(&[])
    }

    fn node(&self, name: &str) -> Option<&'a Node> {
        self.cluster.store().get::<Node>("", name)
    }

    fn replica_sets_of(&self, d: &Deployment) -> Vec<&'a ReplicaSet> {
        self.cluster
            .store()
            .list::<ReplicaSet>()
            .filter(|rs| rs.metadata.namespace == d.metadata.namespace)
            .filter(|rs| controller_of(&rs.metadata).is_some_and(|o| o.uid == d.metadata.uid))
            .collect()
    }

    /// The stall record: where the rollout last changed and what kubectl keeps printing.
    fn stall(
        &self,
        kind: &'static str,
        meta: &ObjectMeta,
        st: &WorkloadStatus,
        mut reasons: Vec<StallReason>,
        pod_owners: &[&str],
    ) -> Stall {
        let (phase, round) = self.last_change(kind, meta, pod_owners);
        if let Some(failed) = self.create_failure(kind, meta, pod_owners) {
            reasons.push(failed);
        }
        if reasons.is_empty() {
            reasons.push(StallReason::new(
                StallKind::NotProgressing,
                "no controller has anything left to do for it, yet its status is not complete".into(),
            ));
        }
        Stall {
            kind,
            namespace: meta.namespace.clone(),
            name: meta.name.clone(),
            resource: resource_name(kind, &meta.name),
            phase,
            round,
            status: status(&meta.name, st).printed(),
            reasons,
        }
    }

    /// The last phase and round in which the workload's recorded status changed or a pod of it (or of the
    /// ReplicaSets named in `pod_owners`) was acted on.
    fn last_change(&self, kind: &str, meta: &ObjectMeta, pod_owners: &[&str]) -> (String, u32) {
        let ns = meta.namespace.as_str();
        let mut candidates: Vec<At> = Vec::new();
        candidates.extend(self.last_status.get(&(kind, ns, meta.name.as_str())).copied());
        let own = format!("{kind}/{}", meta.name);
        candidates.extend(self.last_action.get(&(ns, own.as_str())).copied());
        for rs in pod_owners {
            let owner = format!("ReplicaSet/{rs}");
            candidates.extend(self.last_action.get(&(ns, owner.as_str())).copied());
        }
        candidates
            .into_iter()
            .max_by_key(|(phase, round, _)| (*phase, *round))
            .map(|(_, round, phase)| (phase.to_owned(), round))
            .unwrap_or_default()
    }

    /// The controller's last `FailedCreate` event for the workload (or its ReplicaSets), if the last phase had
    /// one.
    fn create_failure(&self, kind: &str, meta: &ObjectMeta, pod_owners: &[&str]) -> Option<StallReason> {
        let rec = &self.cluster.rec;
        let last_phase = rec.phases.last()?;
        let e = rec.events.iter().rev().find(|e| {
            e.reason == "FailedCreate"
                && e.phase == *last_phase
                && e.involved_object.namespace == meta.namespace
                && ((e.involved_object.kind == kind && e.involved_object.name == meta.name)
                    || (e.involved_object.kind == "ReplicaSet"
                        && pod_owners.contains(&e.involved_object.name.as_str())))
        })?;
        Some(StallReason::new(
            StallKind::CreateFailed,
            format!("{} cannot create pods: {}", e.involved_object.name, e.message),
        ))
    }

    /// Why a pod that is not available is not: Pending (not bound), on a node that is gone or NotReady, not Ready,
    /// or Ready for less than `minReadySeconds`.
    fn unavailable_why(&self, pod: &Pod, min_ready_seconds: i32) -> String {
        if pod.spec.node_name.is_empty() {
            return match scheduler_message(pod) {
                Some(m) => format!("Pending: {m}"),
                None => "Pending".into(),
            };
        }
        let node = &pod.spec.node_name;
        match self.node(node) {
            None => format!("its node {node} no longer exists"),
            Some(n) if !node_ready(n) => format!("its node {node} is NotReady"),
            Some(_) if !is_pod_ready(pod) => "not Ready".into(),
            Some(_) => format!(
                "Ready for less than minReadySeconds ({min_ready_seconds}s); kubeplan's clock advances only as objects are created"
            ),
        }
    }

    /// The same in a word or two, for lists.
    fn unavailable_short(&self, pod: &Pod) -> String {
        if pod.spec.node_name.is_empty() {
            return "Pending".into();
        }
        let node = &pod.spec.node_name;
        match self.node(node) {
            None => format!("node {node} gone"),
            Some(n) if !node_ready(n) => format!("node {node} NotReady"),
            Some(_) if !is_pod_ready(pod) => "not Ready".into(),
            Some(_) => "Ready for less than minReadySeconds".into(),
        }
    }

    /// The pods named (of `namespace`), each with why it is not available, for a budget's list.
    fn pods_named<'n>(&self, namespace: &str, names: impl Iterator<Item = &'n String>) -> Vec<(Option<String>, String)> {
        let store = self.cluster.store();
        names
            .map(|name| {
                let why = store.get::<Pod>(namespace, name).map_or_else(|| "gone".to_owned(), |p| self.unavailable_short(p));
                (Some(name.clone()), why)
            })
            .collect()
    }

    fn available(&self, pod: &Pod, min_ready_seconds: i32) -> bool {
        is_pod_available(pod, min_ready_seconds, self.now)
    }
}

fn node_ready(node: &Node) -> bool {
    node.status.conditions.iter().any(|c| c.r#type == "Ready" && c.status == "True")
}

fn scheduler_message(pod: &Pod) -> Option<&str> {
    pod.status
        .conditions
        .iter()
        .find(|c| c.r#type == "PodScheduled" && c.status == "False")
        .map(|c| c.message.as_str())
        .filter(|m| !m.is_empty())
}

fn port_text(p: &HostPort) -> String {
    format!("{}/{}", p.port, p.protocol)
}

/// The first host port of `new` that `old` also holds.
fn conflicting_port(new: &Pod, old: &Pod) -> Option<HostPort> {
    let used = host_ports(old);
    host_ports(new).into_iter().find(|p| ports_conflict(&used, p))
}

fn pending_reason(pod: &Pod, node: Option<&str>) -> StallReason {
    let msg = scheduler_message(pod).map(str::to_owned);
    let target = node.map(|n| format!(" (meant for node {n})")).unwrap_or_default();
    let text = match &msg {
        Some(m) => format!("pod {}{target} is Pending: {m}", pod.metadata.name),
        None => format!("pod {}{target} is Pending and was never scheduled", pod.metadata.name),
    };
    let mut r = StallReason::new(StallKind::PodPending, text);
    r.pod = Some(pod.metadata.name.clone());
    r.node = node.map(str::to_owned);
    r.scheduler_message = msg;
    r
}

fn surge_port_reason(new: &Pod, old: &Pod, node: &str, port: &HostPort, kind: &str) -> StallReason {
    let what = if kind == "DaemonSet" {
        format!("maxSurge starts pod {} on node {node} beside old pod {}", new.metadata.name, old.metadata.name)
    } else {
        format!("maxSurge adds pod {} while old pod {} runs on node {node}", new.metadata.name, old.metadata.name)
    };
    let mut r = StallReason::new(
        StallKind::SurgeHostPortConflict,
        format!(
            "{what}, but both need host port {}: the new pod stays Pending until the old one goes, and the old one goes only once the new one is available",
            port_text(port)
        ),
    );
    r.pod = Some(new.metadata.name.clone());
    r.node = Some(node.to_owned());
    r.scheduler_message = scheduler_message(new).map(str::to_owned);
    r.host_port = Some(port_text(port));
    r.old_pod = Some(old.metadata.name.clone());
    r
}

fn not_available_reason(ctx: &Context, pod: &Pod, min_ready_seconds: i32) -> StallReason {
    let why = ctx.unavailable_why(pod, min_ready_seconds);
    let mut r =
        StallReason::new(StallKind::PodNotAvailable, format!("pod {} is not available: {why}", pod.metadata.name));
    r.pod = Some(pod.metadata.name.clone());
    r.node = Some(pod.spec.node_name.clone());
    r
}

/// A used-up budget: `using` holds the pods (name and a short why) and other things (nodes without a pod) that
/// use it.
fn budget_reason(kind: StallKind, limit: &Limit, using: Vec<(Option<String>, String)>, waiting: usize) -> StallReason {
    let how = percent_note(limit);
    let limit = limit.value;
    let (field, verb) = match kind {
        StallKind::MaxSurgeReached => ("maxSurge", "no further pod may be added"),
        _ => ("maxUnavailable", "no old pod may be deleted"),
    };
    let list: Vec<String> = using
        .iter()
        .map(|(pod, why)| match pod {
            Some(p) => format!("{p} ({why})"),
            None => why.clone(),
        })
        .collect();
    let message = if limit == 0 {
        let with = if list.is_empty() { String::new() } else { format!(" and {} not available", list.join(", ")) };
        format!("{field} is 0{how}{with}: {verb}, so {waiting} old pod(s) wait")
    } else {
        let by = if list.is_empty() { String::new() } else { format!(" by {}", list.join(", ")) };
        format!("{field} {limit}{how} is used up{by}: {verb}, so {waiting} old pod(s) wait")
    };
    let mut r = StallReason::new(kind, message);
    r.limit = Some(limit);
    r.pods = using.into_iter().filter_map(|(p, _)| p).collect();
    r
}

/// How a percentage was resolved: ` (25% of 5, rounded up)`; nothing for a number.
fn percent_note(limit: &Limit) -> String {
    match &limit.percent_of {
        Some((v, total, up)) => format!(" ({v} of {total}, rounded {})", if *up { "up" } else { "down" }),
        None => String::new(),
    }
}

// ----- DaemonSets -----

/// The DaemonSet's current template hash: the label of its highest revision.
fn daemonset_hash(ctx: &Context, ds: &DaemonSet) -> String {
    ctx.cluster
        .store()
        .list_in::<ControllerRevision>(&ds.metadata.namespace)
        .filter(|r| controller_of(&r.metadata).is_some_and(|o| o.uid == ds.metadata.uid))
        .max_by_key(|r| r.revision)
        .and_then(|r| r.metadata.labels.get(crate::controller::daemonset::HASH_LABEL).cloned())
        .unwrap_or_default()
}

/// A node's daemon pods, split into the updated and the old ones (pods being deleted left out).
#[derive(Default)]
struct NodePods<'a> {
    new: Vec<&'a Pod>,
    old: Vec<&'a Pod>,
}

fn daemonset_reasons(ctx: &Context, ds: &DaemonSet) -> Vec<StallReason> {
    let hash = daemonset_hash(ctx, ds);
    let generation = template_generation(ds);
    let mrs = ds.spec.min_ready_seconds;
    let mut nodes: std::collections::BTreeMap<&str, NodePods> = std::collections::BTreeMap::new();
    for pod in ctx.pods_of(&ds.metadata) {
        if pod.metadata.deletion_timestamp.is_some() {
            continue;
        }
        let Some(node) = target_node_name(pod) else { continue };
        let entry = nodes.entry(node).or_default();
        if is_pod_updated(pod, &hash, generation) {
            entry.new.push(pod);
        } else {
            entry.old.push(pod);
        }
    }
    let mut reasons = Vec::new();
    for (node, pods) in &nodes {
        for new in &pods.new {
            if !new.spec.node_name.is_empty() {
                if !ctx.available(new, mrs) {
                    reasons.push(not_available_reason(ctx, new, mrs));
                }
                continue;
            }
            let conflict = pods.old.iter().find_map(|old| conflicting_port(new, old).map(|p| (old, p)));
            match conflict {
                Some((old, port)) => reasons.push(surge_port_reason(new, old, node, &port, "DaemonSet")),
                None => reasons.push(pending_reason(new, Some(node))),
            }
        }
        if pods.new.is_empty() {
            for old in pods.old.iter().filter(|p| p.spec.node_name.is_empty()) {
                reasons.push(pending_reason(old, Some(node)));
            }
        }
    }

    if ds.spec.update_strategy.r#type != "RollingUpdate" {
        let old: usize = nodes.values().map(|p| p.old.len()).sum();
        if old > 0 {
            reasons.push(StallReason::new(
                StallKind::OnDelete,
                format!(
                    "updateStrategy {}: {old} old pod(s) are replaced only when someone deletes them",
                    ds.spec.update_strategy.r#type
                ),
            ));
        }
        return reasons;
    }
    if let Some(budget) = daemonset_budget(ctx, ds) {
        reasons.push(budget);
    }
    reasons
}

/// The rolling update's budget as the controller recorded it at its last step (`rollingUpdate`): whether old pods
/// wait because `maxUnavailable` (without surge) or `maxSurge` is used up.
fn daemonset_budget(ctx: &Context, ds: &DaemonSet) -> Option<StallReason> {
    let key = (ds.metadata.namespace.clone(), ds.metadata.name.clone());
    match ctx.cluster.rec.budgets.get(&("DaemonSet", key))? {
        RolloutBudget::DaemonSetUnavailable { max_unavailable, unavailable, empty, replaceable } => {
            if *replaceable == 0 {
                return None;
            }
            let mut using = ctx.pods_named(&ds.metadata.namespace, unavailable.iter().flat_map(|(_, pods)| pods));
            let mut used = unavailable.len() as i32;
            if *empty > 0 {
                used += empty;
                using.push((None, format!("{empty} node(s) without a pod")));
            }
            if used < max_unavailable.value {
                return None;
            }
            Some(budget_reason(StallKind::MaxUnavailableReached, max_unavailable, using, *replaceable))
        }
        RolloutBudget::DaemonSetSurge { max_surge, surging, replaceable } => {
            if *replaceable == 0 || (surging.len() as i32) < max_surge.value {
                return None;
            }
            let using = ctx.pods_named(&ds.metadata.namespace, surging.iter());
            Some(budget_reason(StallKind::MaxSurgeReached, max_surge, using, *replaceable))
        }
        RolloutBudget::Deployment { .. } => None,
    }
}

// ----- Deployments -----

fn deployment_reasons(ctx: &Context, d: &Deployment, rss: &[&ReplicaSet]) -> Vec<StallReason> {
    let mut reasons = Vec::new();
    if d.spec.paused {
        reasons.push(StallReason::new(StallKind::Paused, "the Deployment is paused: spec.paused is true".into()));
    }
    if let Some(c) =
        d.status.conditions.iter().find(|c| c.r#type == "Progressing" && c.reason == "ProgressDeadlineExceeded")
    {
        reasons.push(StallReason::new(StallKind::ProgressDeadlineExceeded, c.message.clone()));
    }
    let mrs = d.spec.min_ready_seconds;
    let new_rs = rss.iter().copied().find(|rs| deploy_util::equal_ignore_hash(&rs.spec.template, &d.spec.template));
    let is_new = |rs: &ReplicaSet| new_rs.is_some_and(|n| n.metadata.uid == rs.metadata.uid);
    let old_pods: Vec<&Pod> =
        rss.iter().filter(|rs| !is_new(rs)).flat_map(|rs| ctx.pods_of(&rs.metadata).iter().copied()).collect();
    let new_pods: Vec<&Pod> = new_rs.map(|rs| ctx.pods_of(&rs.metadata).to_vec()).unwrap_or_default();
    let key = (d.metadata.namespace.clone(), d.metadata.name.clone());
    let budget = ctx.cluster.rec.budgets.get(&("Deployment", key));
    let surges = matches!(budget, Some(RolloutBudget::Deployment { max_surge, .. }) if max_surge.value > 0);
    let mut unavailable_new = Vec::new();
    for pod in &new_pods {
        if ctx.available(pod, mrs) {
            continue;
        }
        unavailable_new.push((Some(pod.metadata.name.clone()), ctx.unavailable_short(pod)));
        if !pod.spec.node_name.is_empty() {
            reasons.push(not_available_reason(ctx, pod, mrs));
            continue;
        }
        let conflict = surges
            .then(|| {
                old_pods
                    .iter()
                    .filter(|o| !o.spec.node_name.is_empty())
                    .find_map(|o| conflicting_port(pod, o).map(|p| (*o, p)))
            })
            .flatten();
        match conflict {
            Some((old, port)) => reasons.push(surge_port_reason(pod, old, &old.spec.node_name, &port, "Deployment")),
            None => {
                let nominated = Some(pod.status.nominated_node_name.as_str()).filter(|n| !n.is_empty());
                reasons.push(pending_reason(pod, nominated));
            }
        }
    }
    let Some(RolloutBudget::Deployment { max_surge, max_unavailable, old_replicas, surge_used_up, unavailable_used_up, .. }) =
        budget
    else {
        return reasons;
    };
    if *old_replicas == 0 {
        return reasons;
    }
    let waiting = *old_replicas as usize;
    if *surge_used_up {
        reasons.push(budget_reason(StallKind::MaxSurgeReached, max_surge, unavailable_new.clone(), waiting));
    }
    if *unavailable_used_up {
        reasons.push(budget_reason(StallKind::MaxUnavailableReached, max_unavailable, unavailable_new, waiting));
    }
    reasons
}

// ----- StatefulSets -----

fn statefulset_reasons(ctx: &Context, ss: &StatefulSet) -> Vec<StallReason> {
    let mut reasons = Vec::new();
    let mrs = ss.spec.min_ready_seconds;
    let mut pods: Vec<&Pod> = ctx.pods_of(&ss.metadata).to_vec();
    pods.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
    let mut old = 0;
    for pod in pods {
        if pod.metadata.labels.get(crate::controller::daemonset::HASH_LABEL) != Some(&ss.status.update_revision) {
            old += 1;
        }
        if pod.spec.node_name.is_empty() {
            reasons.push(pending_reason(pod, None));
        } else if !ctx.available(pod, mrs) {
            reasons.push(not_available_reason(ctx, pod, mrs));
        }
    }
    if ss.spec.update_strategy.r#type != "RollingUpdate" && old > 0 {
        reasons.push(StallReason::new(
            StallKind::OnDelete,
            format!(
                "updateStrategy {}: {old} old pod(s) are replaced only when someone deletes them",
                ss.spec.update_strategy.r#type
            ),
        ));
    }
    reasons
}

#[cfg(test)]
mod tests {
    //! States the cluster model does not reach by itself (a node going NotReady with its pods, a Deployment
    //! past its progress deadline, a status left behind), made by editing a planned cluster as the missing
    //! components would, then settled again where the controllers would react.
    use super::*;
    use crate::api::apps_v1::DeploymentCondition;
    use crate::api::Resource;
    use crate::cluster::Concurrency;
    use crate::input::Source;
    use crate::{plan, Plan, PlanInput, PlanOptions};

    fn node(name: &str) -> String {
        format!(
            "apiVersion: v1\nkind: Node\nmetadata: {{name: {name}, labels: {{kubernetes.io/hostname: {name}}}}}\nstatus: {{capacity: {{cpu: '4', memory: 8Gi, pods: '110'}}, conditions: [{{type: Ready, status: 'True'}}]}}\n---\n"
        )
    }

    fn planned(workload: &str) -> Plan {
        let input = node("n1") + &node("n2") + workload;
        let p = plan(
            &PlanInput { manifests: vec![Source::new("in.yaml", input)], ..Default::default() },
            &PlanOptions::default(),
        );
        assert!(p.diagnostics.is_empty() && p.rejections().is_empty());
        assert!(stalls(&p.cluster).is_empty());
        p
    }

    const DS: &str = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\nspec:\n  selector: {matchLabels: {app: agent}}\n  template:\n    metadata: {labels: {app: agent}}\n    spec:\n      containers: [{name: agent, image: 'a:1'}]\n";
    const DEPLOY: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: 'w:1'}]\n";

    #[test]
    fn a_pod_on_a_not_ready_node_is_not_available() {
        let mut p = planned(DS);
        // The node stops reporting; the node lifecycle controller marks its pods not Ready.
        let mut sim = crate::sim::Simulation::on(std::mem::take(&mut p.cluster));
        sim.begin_phase("step1:nodeNotReady");
        let c = &mut sim.cluster;
        let mut node = c.store().get::<Node>("", "n2").cloned().unwrap();
        for cond in node.status.conditions.iter_mut() {
            cond.status = "False".into();
        }
        c.update_status(node.into_object(), Concurrency::Unchecked).unwrap();
        let mut pod = c.store().list::<Pod>().find(|p| p.spec.node_name == "n2").cloned().unwrap();
        for cond in pod.status.conditions.iter_mut().filter(|c| c.r#type == "Ready") {
            cond.status = "False".into();
        }
        let name = pod.metadata.name.clone();
        c.update_status(pod.into_object(), Concurrency::Unchecked).unwrap();
        sim.settle();
        p.cluster = sim.cluster;
        let s = stalls(&p.cluster);
        assert_eq!(s.len(), 1);
        assert_eq!(
            s[0].status,
            "Waiting for daemon set \"agent\" rollout to finish: 1 of 2 updated pods are available..."
        );
        assert_eq!(s[0].reasons.len(), 1);
        let r = &s[0].reasons[0];
        assert_eq!(
            (r.reason, r.pod.as_deref(), r.node.as_deref()),
            (StallKind::PodNotAvailable, Some(name.as_str()), Some("n2"))
        );
        assert_eq!(r.message, format!("pod {name} is not available: its node n2 is NotReady"));
        assert_eq!((s[0].phase.as_str(), s[0].round), ("step1:nodeNotReady", 1));
    }

    #[test]
    fn an_exceeded_progress_deadline_is_reported() {
        let mut p = planned(DEPLOY);
        let mut d = p.cluster.store().list::<Deployment>().next().cloned().unwrap();
        let message = "ReplicaSet \"web-x\" has timed out progressing.".to_owned();
        let c = d.status.conditions.iter_mut().find(|c| c.r#type == "Progressing").unwrap();
        *c = DeploymentCondition {
            r#type: "Progressing".into(),
            status: "False".into(),
            reason: "ProgressDeadlineExceeded".into(),
            message: message.clone(),
            ..Default::default()
        };
        p.cluster.update_status(d.into_object(), Concurrency::Unchecked).unwrap();
        let s = stalls(&p.cluster);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].status, "error: deployment \"web\" exceeded its progress deadline");
        assert_eq!(
            (s[0].reasons[0].reason, s[0].reasons[0].message.as_str()),
            (StallKind::ProgressDeadlineExceeded, message.as_str())
        );
    }

    #[test]
    fn an_incomplete_status_with_nothing_to_do_is_not_progressing() {
        let mut p = planned(DS);
        // A generation the controller has not observed (only the API server sets it; the model's never runs ahead).
        let mut ds = p.cluster.store().list::<DaemonSet>().next().cloned().unwrap();
        ds.metadata.generation = 7;
        p.cluster.store_mut().put(ds.into_object());
        let s = stalls(&p.cluster);
        assert_eq!(s[0].status, "Waiting for daemon set spec update to be observed...");
        assert_eq!(s[0].reasons.iter().map(|r| r.reason).collect::<Vec<_>>(), [StallKind::NotProgressing]);
    }
}
