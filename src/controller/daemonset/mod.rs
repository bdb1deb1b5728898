//! The DaemonSet controller (`pkg/controller/daemon/daemon_controller.go`), including OpenShift's namespace
//! node-selector patch (`patch_nodeselector.go`).
//!
//! One sync: build the revision history, then `manage` (create a pod on every node that should run one and has
//! none; delete failed, succeeded, excess and misplaced pods), then, when `manage` left nothing in flight, the
//! rolling update; then history cleanup and status.

mod history;
mod nodes;
mod rolling;
mod status;
mod view;

use std::collections::BTreeMap;

use crate::api::apps_v1::DaemonSet;
use crate::api::core_v1::{Affinity, Node, NodeAffinity, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, Pod, PodSpec, PodTemplateSpec, Toleration};
use crate::api::labels::Selector;
use crate::api::meta_v1::LabelSelector;
use crate::api::{GroupKind, Object};
use crate::cluster::{Cluster, Concurrency, Key};
use crate::controller::util::{self, Owner};
use crate::helpers::pod::{is_pod_available, is_pod_ready, is_pod_terminal};
use crate::helpers::taints::same_toleration;

pub use nodes::{node_should_run_daemon_pod, Unsuitable};
pub use view::{UnsuitableNodes, Views};

pub const COMPONENT: &str = "daemonset-controller";
/// `BurstReplicas`: at most this many creations and deletions per sync.
pub const BURST_REPLICAS: usize = 250;
/// Pod label with the DaemonSet's template generation.
pub const TEMPLATE_GENERATION_LABEL: &str = "pod-template-generation";
/// Pod and revision label with the template hash.
pub const HASH_LABEL: &str = "controller-revision-hash";
/// DaemonSet annotation the apps/v1 conversion writes from `spec.templateGeneration`.
pub const TEMPLATE_GENERATION_ANNOTATION: &str = "deprecated.daemonset.template.generation";

/// Sync every DaemonSet, in namespace/name order.
pub fn sync_all(views: &mut Views, cluster: &mut Cluster) {
    views.retain_existing(cluster.store());
    let keys: Vec<Key> = cluster.store().keys(GroupKind::DaemonSet).cloned().collect();
    for key in keys {
        sync(views, cluster, &key);
    }
}

/// `syncDaemonSet`.
fn sync(views: &mut Views, cluster: &mut Cluster, key: &Key) {
    let Some(ds) = cluster.store().by_key::<DaemonSet>(key).cloned() else { return };
    let owner = Owner::of(GroupKind::DaemonSet, &ds.metadata);
    if ds.spec.selector.as_deref() == Some(&LabelSelector::default()) {
        cluster.rec.event(
            COMPONENT,
            "Warning",
            "SelectingAll",
            owner.involved(),
            "This daemon set is selecting all pods. A non-empty selector is required.".into(),
        );
        return;
    }
    if ds.metadata.deletion_timestamp.is_some() {
        return;
    }
    let Some((hash, old)) = history::construct(cluster, &ds) else { return };
    // The DaemonSet may have changed (collision count, revision bump); read it again.
    let Some(ds) = cluster.store().by_key::<DaemonSet>(key).cloned() else { return };
    let in_flight = manage(views, cluster, &ds, &owner, &hash);
    let rolling = ds.spec.update_strategy.r#type == "RollingUpdate";
    if !in_flight && rolling && !all_pods_updated(views, cluster, &ds, &owner, &hash) {
        rolling::rolling_update(cluster, &ds, &owner, &hash);
    } else {
        cluster.rec.budget(rolling::KIND, key.clone(), None);
    }
    history::cleanup(cluster, &ds, &owner, &old);
    update_status(views, cluster, key, &hash, true);
}

/// Whether the view shows every live pod of the DaemonSet at the current revision, so that the rolling update
/// would neither delete nor create anything.
fn all_pods_updated(views: &mut Views, cluster: &mut Cluster, ds: &DaemonSet, owner: &Owner, hash: &str) -> bool {
    view::current(views, cluster, ds, owner, hash).is_some_and(|(view, store)| !view.has_old_pods(store))
}

/// `updateDaemonSetStatus` and `storeDaemonSetStatus`: recompute the status and store it. For each node where the pod should run, the first pod (scheduled first,
/// then oldest) decides readiness, availability and whether the node counts as updated.
fn update_status(views: &mut Views, cluster: &mut Cluster, key: &Key, hash: &str, update_observed_generation: bool) {
    let Some(ds) = cluster.store().by_key::<DaemonSet>(key).cloned() else { return };
    let owner = Owner::of(GroupKind::DaemonSet, &ds.metadata);
    let counts = match view::current(views, cluster, &ds, &owner, hash) {
        Some((view, _)) => view.counts(),
        None => {
            let node_pods = node_to_daemon_pods(cluster, &ds, &owner, false);
            status::count(cluster.store(), &ds, &node_pods, hash)
        }
    };
    let s = &ds.status;
    let same = s.desired_number_scheduled == counts.desired
        && s.current_number_scheduled == counts.current
        && s.number_misscheduled == counts.misscheduled
        && s.number_ready == counts.ready
        && s.updated_number_scheduled == counts.updated
        && s.number_available == counts.available
        && s.number_unavailable == counts.desired - counts.available
        && s.observed_generation >= ds.metadata.generation;
    if same {
        return;
    }
    let mut next = ds;
    if update_observed_generation {
        next.status.observed_generation = next.metadata.generation;
    }
    next.status.desired_number_scheduled = counts.desired;
    next.status.current_number_scheduled = counts.current;
    next.status.number_misscheduled = counts.misscheduled;
    next.status.number_ready = counts.ready;
    next.status.updated_number_scheduled = counts.updated;
    next.status.number_available = counts.available;
    next.status.number_unavailable = counts.desired - counts.available;
    let _ = cluster.patch(Object::DaemonSet(Box::new(next)), Concurrency::Unchecked);
}

/// The DaemonSet's pods by the node they run on or target, as store keys, leaving out pods that are both
/// terminal and deleted unless asked (`getNodesToDaemonPods`). Adopts and releases pods as `ClaimPods` does.
pub(crate) fn node_to_daemon_pods(
    cluster: &mut Cluster,
    ds: &DaemonSet,
    owner: &Owner,
    include_deleted_terminal: bool,
) -> BTreeMap<String, Vec<Key>> {
    let selector = Selector::for_controller(ds.spec.selector.as_deref());
    let deleting = ds.metadata.deletion_timestamp.is_some();
    if let Some(out) = listed_without_claims(cluster.store(), owner, &selector, deleting, include_deleted_terminal) {
        return out;
    }
    let claimed = util::claim_pods(cluster, owner, &selector, deleting);
    let mut out: BTreeMap<String, Vec<Key>> = BTreeMap::new();
    for key in claimed {
        let Some(pod) = cluster.store().by_key::<Pod>(&key) else { continue };
        if !include_deleted_terminal && is_pod_terminal(pod) && pod.metadata.deletion_timestamp.is_some() {
            continue;
        }
        if let Some(node) = target_node_name(pod) {
            add_to_node(&mut out, node, key);
        }
    }
    out
}

/// [`node_to_daemon_pods`] in one pass over the store, when the claim would write nothing: no matching orphan
/// to adopt and no owned pod to release, as in all but the rare syncs that meet one (`None` then, and the
/// claim runs). The same pods in the same order, without first listing every claimed pod's key.
fn listed_without_claims(
    store: &crate::cluster::Store,
    owner: &Owner,
    selector: &Selector,
    deleting: bool,
    include_deleted_terminal: bool,
) -> Option<BTreeMap<String, Vec<Key>>> {
    let mut out: BTreeMap<String, Vec<Key>> = BTreeMap::new();
    for pod in store.claimable_pods(&owner.namespace, &owner.uid) {
        let listed = listed_node(pod, owner, selector, deleting, include_deleted_terminal).ok()?;
        if let Some(node) = listed {
            add_to_node(&mut out, node, (pod.metadata.namespace.clone(), pod.metadata.name.clone()));
        }
    }
    Some(out)
}

/// A pod the DaemonSet's claim would adopt or release: listing it needs the claim to run.
pub(crate) struct ClaimNeeded;

/// The node under which [`node_to_daemon_pods`] lists `pod` (of the DaemonSet's namespace) when the claim
/// leaves the pod as it is: `Ok(None)` for a pod the listing leaves out (another controller's, a non-matching
/// orphan, a deleted terminal pod unless asked for, a pod without a target node), `Err` for a matching orphan to
/// adopt or an owned pod no longer matching, to release.
pub(crate) fn listed_node<'p>(
    pod: &'p Pod,
    owner: &Owner,
    selector: &Selector,
    deleting: bool,
    include_deleted_terminal: bool,
) -> Result<Option<&'p str>, ClaimNeeded> {
    let matches = selector.matches(&pod.metadata.labels);
    match crate::api::controller_of(&pod.metadata) {
        Some(r) if owner.owns(r) && !matches => return if deleting { Ok(None) } else { Err(ClaimNeeded) },
        Some(r) if owner.owns(r) => {}
        Some(_) => return Ok(None),
        None if matches && !deleting && pod.metadata.deletion_timestamp.is_none() => return Err(ClaimNeeded),
        None => return Ok(None),
    }
    if !include_deleted_terminal && is_pod_terminal(pod) && pod.metadata.deletion_timestamp.is_some() {
        return Ok(None);
    }
    Ok(target_node_name(pod))
}

fn add_to_node(out: &mut BTreeMap<String, Vec<Key>>, node: &str, key: Key) {
    // Most nodes hold one daemon pod: look up before allocating the node name as a key.
    match out.get_mut(node) {
        Some(keys) => keys.push(key),
        None => {
            out.insert(node.to_owned(), vec![key]);
        }
    }
}

/// Every node, in name order, with its entry of `node_pods` (also in name order): one walk over both maps
/// instead of a lookup by name per node, which dominated a round at 100,000 nodes.
pub(crate) fn with_daemon_pods<'a>(
    store: &'a crate::cluster::Store,
    node_pods: &'a BTreeMap<String, Vec<Key>>,
) -> impl Iterator<Item = (&'a Node, Option<&'a Vec<Key>>)> + 'a {
    let mut entries = node_pods.iter().peekable();
    store.list::<Node>().map(move |node| {
        let name = node.metadata.name.as_str();
        while entries.next_if(|(n, _)| n.as_str() < name).is_some() {}
        (node, entries.next_if(|(n, _)| *n == name).map(|(_, keys)| keys))
    })
}

/// The pods behind store keys.
pub(crate) fn pods_of<'a>(store: &'a crate::cluster::Store, keys: &[Key]) -> Vec<&'a Pod> {
    keys.iter().filter_map(|k| store.by_key::<Pod>(k)).collect()
}

/// `util.GetTargetNodeName`: `spec.nodeName`, else the value of the first `metadata.name In [x]` requirement of
/// the required node affinity.
pub fn target_node_name(pod: &Pod) -> Option<&str> {
    if !pod.spec.node_name.is_empty() {
        return Some(&pod.spec.node_name);
    }
    let terms = &pod
        .spec
        .affinity
        .as_deref()?
        .node_affinity
        .as_deref()?
        .required_during_scheduling_ignored_during_execution
        .as_deref()?
        .node_selector_terms;
    for term in terms {
        for exp in &term.match_fields {
            if exp.key == "metadata.name" && exp.operator == "In" {
                return if exp.values.len() == 1 { Some(&exp.values[0]) } else { None };
            }
        }
    }
    None
}

/// `podByCreationTimestampAndPhase`: scheduled pods first, then older, then by name.
pub(crate) fn sort_pods(pods: &mut [&Pod]) {
    pods.sort_by(|a, b| {
        let sa = a.spec.node_name.is_empty();
        let sb = b.spec.node_name.is_empty();
        sa.cmp(&sb)
            .then_with(|| a.metadata.creation_timestamp.cmp(&b.metadata.creation_timestamp))
            .then_with(|| a.metadata.name.cmp(&b.metadata.name))
    });
}

/// `manage`: what each node needs. Returns whether any pod was created or deleted (the controller's
/// expectations are then unsatisfied until it observes them, so the rolling update waits for the next sync).
fn manage(views: &mut Views, cluster: &mut Cluster, ds: &DaemonSet, owner: &Owner, hash: &str) -> bool {
    let plan = match view::current(views, cluster, ds, owner, hash) {
        Some((view, store)) => view.plan(store),
        None => walk_nodes(views, cluster, ds, owner, hash),
    };
    for (type_, reason, message) in plan.events {
        cluster.rec.event(COMPONENT, type_, reason, owner.involved(), message);
    }
    sync_nodes(cluster, ds, owner, &plan.delete, &plan.need, hash)
}

/// `manage`'s decisions from a walk over every node and the DaemonSet's pods.
fn walk_nodes(views: &mut Views, cluster: &mut Cluster, ds: &DaemonSet, owner: &Owner, hash: &str) -> NodePlan {
    let node_pods = node_to_daemon_pods(cluster, ds, owner, false);
    let (plan, unsuitable) = plan_nodes(cluster.store(), ds, hash, &node_pods);
    views.record_unsuitable(&(ds.metadata.namespace.clone(), ds.metadata.name.clone()), unsuitable);
    plan
}

/// `manage`'s decisions for the pods listed by node, and the nodes that run no pod.
fn plan_nodes(
    store: &crate::cluster::Store,
    ds: &DaemonSet,
    hash: &str,
    node_pods: &BTreeMap<String, Vec<Key>>,
) -> (NodePlan, UnsuitableNodes) {
    let mut plan = NodePlan::default();
    let mut unsuitable = UnsuitableNodes::new();
    let placement = nodes::Placement::new(store, ds);
    for (node, keys) in with_daemon_pods(store, node_pods) {
        let pods = keys.map(|keys| pods_of(store, keys));
        let verdict = placement.verdict(node);
        pods_should_be_on_node(verdict.pair(), node, pods, ds, hash, store.created(), &mut plan);
        if let nodes::Verdict::Unsuitable { why, .. } = verdict {
            unsuitable.insert(node.metadata.name.clone(), why);
        }
    }
    // Unscheduled pods that target a node which no longer exists.
    for (node, keys) in node_pods {
        if store.get::<Node>("", node).is_none() {
            let unscheduled = pods_of(store, keys).into_iter().filter(|p| p.spec.node_name.is_empty());
            plan.delete.extend(unscheduled.map(|p| p.metadata.name.clone()));
        }
    }
    (plan, unsuitable)
}

/// What `manage` decided: nodes that need a pod, pods to delete, and the events to record.
#[derive(Clone, Debug, Default, PartialEq)]
struct NodePlan {
    need: Vec<String>,
    delete: Vec<String>,
    events: Vec<(&'static str, &'static str, String)>,
}

/// `podsShouldBeOnNode`: what one node needs, given its `(shouldRun, shouldContinueRunning)` verdict.
fn pods_should_be_on_node(
    (should_run, should_continue): (bool, bool),
    node: &crate::api::core_v1::Node,
    pods: Option<Vec<&Pod>>,
    ds: &DaemonSet,
    hash: &str,
    now: u64,
    plan: &mut NodePlan,
) {
    let node_name = &node.metadata.name;
    match pods {
        None if should_run => plan.need.push(node_name.clone()),
        Some(pods) if should_continue => {
            let mut running = Vec::new();
            for pod in pods {
                if pod.metadata.deletion_timestamp.is_some() {
                    continue;
                }
                let (ns, name) = (&pod.metadata.namespace, &pod.metadata.name);
                match util::pod_phase(pod) {
                    "Failed" => {
                        let msg = format!("Found failed daemon pod {ns}/{name} on node {node_name}, will try to kill it");
                        plan.events.push(("Warning", "FailedDaemonPod", msg));
                        plan.delete.push(name.clone());
                    }
                    "Succeeded" => {
                        let msg =
                            format!("Found succeeded daemon pod {ns}/{name} on node {node_name}, will try to delete it");
                        plan.events.push(("Normal", "SucceededDaemonPod", msg));
                        plan.delete.push(name.clone());
                    }
                    _ => running.push(pod),
                }
            }
            if !rolling::allows_surge(ds) {
                if running.len() > 1 {
                    sort_pods(&mut running);
                    plan.delete.extend(running[1..].iter().map(|p| p.metadata.name.clone()));
                }
            } else if running.len() <= 1 {
                if running.is_empty() && should_run {
                    plan.need.push(node_name.clone());
                }
            } else {
                sort_pods(&mut running);
                let (mut newest, mut oldest) = (None::<&Pod>, None::<&Pod>);
                for pod in &running {
                    let is_new = pod.metadata.labels.get(HASH_LABEL).map(String::as_str) == Some(hash);
                    let slot = if is_new { &mut newest } else { &mut oldest };
                    if slot.is_none() {
                        *slot = Some(pod);
                    } else {
                        plan.delete.push(pod.metadata.name.clone());
                    }
                }
                if let (Some(new), Some(old)) = (newest, oldest) {
                    if !is_pod_ready(old) || is_pod_available(new, ds.spec.min_ready_seconds, now) {
                        plan.delete.push(old.metadata.name.clone());
                    }
                }
            }
        }
        Some(pods) if !should_continue => {
            let live = pods.into_iter().filter(|p| p.metadata.deletion_timestamp.is_none());
            plan.delete.extend(live.map(|p| p.metadata.name.clone()));
        }
        _ => {}
    }
}

/// `syncNodes`: create pods on `need` (in slow-start batches of 1, 2, 4, ...; a failed batch stops the rest) and
/// delete `delete`, each capped at [`BURST_REPLICAS`]. Returns whether anything was created or deleted.
pub(crate) fn sync_nodes(
    cluster: &mut Cluster,
    ds: &DaemonSet,
    owner: &Owner,
    delete: &[String],
    need: &[String],
    hash: &str,
) -> bool {
    let create_n = need.len().min(BURST_REPLICAS);
    let delete_n = delete.len().min(BURST_REPLICAS);
    let template = pod_template(ds, hash);
    let mut acted = false;
    let mut pos = 0;
    let mut batch = create_n.min(1);
    while pos < create_n {
        let mut failed = false;
        for node in &need[pos..pos + batch] {
            // Pinned on the pod's own copy of the template's spec: copying the template first would copy
            // every pod's spec twice.
            let mut pod = util::pod_from_template(&template, owner);
            pod.spec.affinity = Some(Box::new(pin_to_node(pod.spec.affinity.take().map(|a| *a), node)));
            match util::create_pod(cluster, pod, owner, COMPONENT) {
                Ok(_) => acted = true,
                Err(_) => failed = true,
            }
        }
        pos += batch;
        if failed {
            break;
        }
        batch = (2 * batch).min(create_n - pos);
    }
    for name in &delete[..delete_n] {
        if cluster.store().get::<Pod>(&ds.metadata.namespace, name).is_some() {
            util::delete_pod(cluster, &ds.metadata.namespace, name, owner, COMPONENT);
            acted = true;
        }
    }
    acted
}

/// `util.CreatePodTemplate`: the template with the daemon tolerations and the generation and hash labels.
pub fn pod_template(ds: &DaemonSet, hash: &str) -> PodTemplateSpec {
    let mut t = ds.spec.template.clone();
    add_daemon_tolerations(&mut t.spec);
    if let Some(generation) = template_generation(ds) {
        t.metadata.labels.insert(TEMPLATE_GENERATION_LABEL.into(), generation.to_string());
    }
    if !hash.is_empty() {
        t.metadata.labels.insert(HASH_LABEL.into(), hash.to_owned());
    }
    t
}

/// `util.GetTemplateGeneration`: the `deprecated.daemonset.template.generation` annotation, if it parses.
pub fn template_generation(ds: &DaemonSet) -> Option<i64> {
    ds.metadata.annotations.get(TEMPLATE_GENERATION_ANNOTATION)?.parse().ok()
}

/// `util.IsPodUpdated`: the pod carries the current hash or the current template generation.
pub fn is_pod_updated(pod: &Pod, hash: &str, generation: Option<i64>) -> bool {
    let labels = &pod.metadata.labels;
    let template_matches =
        generation.is_some_and(|g| labels.get(TEMPLATE_GENERATION_LABEL).map(String::as_str) == Some(g.to_string().as_str()));
    let hash_matches = !hash.is_empty() && labels.get(HASH_LABEL).map(String::as_str) == Some(hash);
    hash_matches || template_matches
}

/// The tolerations every daemon pod gets (`util.AddOrUpdateDaemonPodTolerations`): it survives its node going
/// not-ready or unreachable, and it tolerates node pressure and cordoning; with `hostNetwork` it also tolerates
/// an unavailable pod network.
pub fn add_daemon_tolerations(spec: &mut PodSpec) {
    let mut add = |key: &str, effect: &str| {
        let t = Toleration { key: key.into(), operator: "Exists".into(), effect: effect.into(), ..Default::default() };
        add_or_update_toleration(&mut spec.tolerations, t);
    };
    add("node.kubernetes.io/not-ready", "NoExecute");
    add("node.kubernetes.io/unreachable", "NoExecute");
    add("node.kubernetes.io/disk-pressure", "NoSchedule");
    add("node.kubernetes.io/memory-pressure", "NoSchedule");
    add("node.kubernetes.io/pid-pressure", "NoSchedule");
    add("node.kubernetes.io/unschedulable", "NoSchedule");
    if spec.host_network {
        add("node.kubernetes.io/network-unavailable", "NoSchedule");
    }
}

/// `v1helper.AddOrUpdateTolerationInPodSpec`: replace a toleration with the same key, operator, value and
/// effect in place (unless identical), else append.
fn add_or_update_toleration(tolerations: &mut Vec<Toleration>, t: Toleration) {
    let mut updated = false;
    for existing in tolerations.iter_mut() {
        if same_toleration(&t, existing) {
            if *existing == t {
                return;
            }
            *existing = t.clone();
            updated = true;
        }
    }
    if !updated {
        tolerations.push(t);
    }
}

/// `util.ReplaceDaemonSetPodNodeNameNodeAffinity`: pin the pod to one node with a `metadata.name In [node]`
/// term, replacing any required terms (the controller has already evaluated them).
pub fn pin_to_node(affinity: Option<Affinity>, node: &str) -> Affinity {
    let selector = NodeSelector {
        node_selector_terms: vec![NodeSelectorTerm {
            match_fields: vec![NodeSelectorRequirement {
                key: "metadata.name".into(),
                operator: "In".into(),
                values: vec![node.to_owned()],
            }],
            ..Default::default()
        }],
    };
    let mut affinity = affinity.unwrap_or_default();
    let na = affinity.node_affinity.get_or_insert_with(|| Box::new(NodeAffinity::default()));
    match na.required_during_scheduling_ignored_during_execution.as_deref_mut() {
        Some(req) => req.node_selector_terms = selector.node_selector_terms,
        None => na.required_during_scheduling_ignored_during_execution = Some(Box::new(selector)),
    }
    affinity
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn daemon_tolerations_replace_matching_ones_in_place() {
        let mut spec = PodSpec::default();
        spec.tolerations.push(Toleration {
            key: "node.kubernetes.io/not-ready".into(),
            operator: "Exists".into(),
            effect: "NoExecute".into(),
            toleration_seconds: Some(60),
            ..Default::default()
        });
        spec.tolerations.push(Toleration { key: "mine".into(), operator: "Exists".into(), ..Default::default() });
        add_daemon_tolerations(&mut spec);
        let keys: Vec<&str> = spec.tolerations.iter().map(|t| t.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "node.kubernetes.io/not-ready",
                "mine",
                "node.kubernetes.io/unreachable",
                "node.kubernetes.io/disk-pressure",
                "node.kubernetes.io/memory-pressure",
                "node.kubernetes.io/pid-pressure",
                "node.kubernetes.io/unschedulable"
            ]
        );
        assert_eq!(spec.tolerations[0].toleration_seconds, None, "the infinite toleration replaces the user's 60s");
    }

    #[test]
    fn host_network_adds_network_unavailable() {
        let mut spec = PodSpec { host_network: true, ..Default::default() };
        add_daemon_tolerations(&mut spec);
        assert_eq!(spec.tolerations.last().unwrap().key, "node.kubernetes.io/network-unavailable");
        assert_eq!(spec.tolerations.len(), 7);
    }

    #[test]
    fn pinning_replaces_required_terms_and_keeps_the_rest() {
        let mut a = Affinity::default();
        a.node_affinity = Some(Box::new(NodeAffinity {
            required_during_scheduling_ignored_during_execution: Some(Box::new(NodeSelector {
                node_selector_terms: vec![NodeSelectorTerm {
                    match_expressions: vec![NodeSelectorRequirement { key: "a".into(), operator: "Exists".into(), values: vec![] }],
                    ..Default::default()
                }],
            })),
            preferred_during_scheduling_ignored_during_execution: vec![Default::default()],
        }));
        let pinned = pin_to_node(Some(a), "n1");
        let na = pinned.node_affinity.unwrap();
        let terms = &na.required_during_scheduling_ignored_during_execution.unwrap().node_selector_terms;
        assert_eq!(terms.len(), 1);
        assert!(terms[0].match_expressions.is_empty());
        assert_eq!(terms[0].match_fields[0].values, ["n1"]);
        assert_eq!(na.preferred_during_scheduling_ignored_during_execution.len(), 1);
    }
}
