//! The scheduler's view of the cluster for one round (`backend/cache/snapshot.go`): every node in node-tree order
//! with its assigned pods, plus what the cache keeps alongside — image states, the nodes that host pods with pod
//! (anti-)affinity, the nominated pods (`PodNominator`) — and per-node counts of pods matching a selector.
//!
//! Kubernetes recounts matching pods on every node for every pod it schedules (PodTopologySpread's PreFilter and
//! PreScore). kubeplan keeps those counts per `(namespace, selector)` and updates them as pods are bound or
//! evicted, so that a spread constraint costs O(nodes) per pod instead of O(pods).

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::hash::BuildHasher;
use std::rc::Rc;
use std::sync::Arc;

use crate::api::core_v1::{Node, Pod};
use crate::api::GroupKind;
use crate::api::labels::{Labels, Selector};
use crate::cluster::{Key, Store};
use crate::hash::{HashMap, HashSet};

use super::framework::{NodeInfo, PodInfo, PodRecord};

/// Image name -> (size of the first node's copy, number of nodes holding it) (`ImageStateSummary`).
pub type ImageStates = HashMap<String, (i64, usize)>;

#[derive(Debug)]
struct CountEntry {
    namespace: String,
    selector: Selector,
    per_node: Rc<Vec<u32>>,
    /// The same counts summed per topology value ([`Topology::slot`]), for the keys asked for so far.
    by_domain: Vec<(Rc<Topology>, Rc<Vec<i64>>)>,
}

impl CountEntry {
    fn change(&mut self, node_index: usize, delta: i64) {
        let n = &mut Rc::make_mut(&mut self.per_node)[node_index];
        *n = (i64::from(*n) + delta) as u32;
        for (t, sums) in self.by_domain.iter_mut() {
            Rc::make_mut(sums)[t.slot(node_index)] += delta;
        }
    }
}

#[derive(Debug, Default)]
pub struct Snapshot {
    pub nodes: Vec<NodeInfo>,
    /// The nodes' names, shared with the decisions' score tables.
    names: Rc<Vec<String>>,
    pub index: HashMap<String, usize>,
    /// `HavePodsWithAffinityList` and `HavePodsWithRequiredAntiAffinityList`, as node indices.
    with_affinity: BTreeSet<usize>,
    with_required_anti_affinity: BTreeSet<usize>,
    images: ImageStates,
    /// Pods waiting for the node they were nominated to, per node, in the order they were nominated.
    nominated: BTreeMap<String, Vec<Rc<PodRecord>>>,
    /// The count entries, and where each is by the hash of its namespace and selector.
    counts: RefCell<(Vec<CountEntry>, HashMap<u64, Vec<usize>>)>,
    topologies: RefCell<HashMap<String, Rc<Topology>>>,
    /// The node index of every pod on a node, and the pod as that node holds it, so that a changed pod can be
    /// found (by identity, not by comparing names) and taken off its old node.
    pod_node: HashMap<Key, (usize, Rc<PodRecord>)>,
    /// The label sets of the pods' records.
    label_sets: LabelSets,
    /// Built with the pending pods' nominations (which [`Snapshot::refresh`] does not follow).
    nominations: bool,
    /// How far into the store's pod log, and to which node version, the snapshot is up to date.
    seen_pods: u64,
    seen_nodes: u64,
}

/// One copy of each set of labels the snapshot's records carry: the pods made from one template are labelled
/// alike (a ReplicaSet's by its `pod-template-hash`, a DaemonSet's by its revision hash), so thousands of records
/// share a few sets. A set no record holds any longer is dropped when the sets have doubled since the last
/// such sweep, so that pods labelled one by one (a StatefulSet's, indexed Jobs') do not pile up.
#[derive(Debug, Default)]
struct LabelSets {
    sets: HashSet<Rc<Labels>>,
    sweep_above: usize,
}

impl LabelSets {
    fn share(&mut self, labels: &Labels) -> Rc<Labels> {
        if let Some(set) = self.sets.get(labels) {
            return Rc::clone(set);
        }
        if self.sets.len() >= self.sweep_above {
            self.sets.retain(|set| Rc::strong_count(set) > 1);
            self.sweep_above = (2 * self.sets.len()).max(1024);
        }
        let set = Rc::new(labels.clone());
        self.sets.insert(Rc::clone(&set));
        set
    }
}

/// The values one topology label takes over the snapshot's nodes, numbered in order of first appearance.
#[derive(Debug)]
pub struct Topology {
    /// Value id -> value.
    pub values: Vec<String>,
    /// Node index -> value id, [`Topology::MISSING`] for a node without the label.
    pub of_node: Vec<u32>,
    /// Value ids in the order of their values.
    pub sorted: Vec<u32>,
    /// The id of the empty value, when a node has it.
    pub empty: Option<usize>,
}

impl Topology {
    pub const MISSING: u32 = u32::MAX;

    /// Where a node's pods are summed per value ([`Snapshot::domain_counts`]): its value's id, or one past the
    /// last id for a node without the label.
    pub fn slot(&self, node_index: usize) -> usize {
        self.value_of(node_index).unwrap_or(self.values.len())
    }

    /// The topology pair a node belongs to as Kubernetes keys it: its value, and for a node without the label
    /// the empty value (the same pair as a node labelled with the empty value); one past the last id when no
    /// node has the empty value.
    pub fn pair_slot(&self, node_index: usize) -> usize {
        self.value_of(node_index).unwrap_or(self.empty.unwrap_or(self.values.len()))
    }

    /// The value id of a node, `None` when it lacks the label.
    pub fn value_of(&self, node_index: usize) -> Option<usize> {
        let v = *self.of_node.get(node_index)?;
        (v != Self::MISSING).then_some(v as usize)
    }
}

impl Snapshot {
    /// The snapshot of `store`'s nodes in `order` (the node tree's), with every assigned, non-terminal pod, and
    /// (with `nominations`, which tells the pods the scheduler would take) the pending pods that carry a
    /// nominated node.
    ///
    /// Nodes and pods are kept as records ([`NodeInfo`]'s node record, [`PodRecord`]) made in the tree's order,
    /// not shared with the store. The Filter plugins read every feasible node of every cycle, and with the stored
    /// nodes (allocated as the input was decoded, among its other objects) mixed-5k-150k took 52 to 56 s of CPU
    /// against 40 s with copies; the profile put the difference on the plugins' first read of a node
    /// (NodeUnschedulable, TaintToleration).
    pub fn build(store: &Store, order: &[String], nominations: Option<&dyn Fn(&Pod) -> bool>) -> Snapshot {
        let mut nodes: Vec<NodeInfo> =
            order.iter().filter_map(|n| store.get::<Node>("", n)).map(NodeInfo::new).collect();
        for (i, n) in nodes.iter_mut().enumerate() {
            n.index = i;
        }
        let index: HashMap<String, usize> = nodes.iter().enumerate().map(|(i, n)| (n.name().to_owned(), i)).collect();
        let names = Rc::new(nodes.iter().map(|n| n.name().to_owned()).collect());
        let mut snap = Snapshot {
            nodes,
            index,
            names,
            nominations: nominations.is_some(),
            seen_pods: store.pod_log().end(),
            seen_nodes: store.kind_version(GroupKind::Node),
            ..Default::default()
        };
        snap.images = image_states(store);
        let mut nominated: Vec<(String, Rc<PodRecord>)> = Vec::new();
        for pod in store.shared_pods() {
            if crate::helpers::pod::is_pod_terminal(pod) {
                continue;
            }
            if pod.spec.node_name.is_empty() {
                if !pod.status.nominated_node_name.is_empty() && nominations.is_some_and(|wants| wants(pod)) {
                    nominated.push((pod.status.nominated_node_name.clone(), Rc::new(snap.record(pod))));
                }
                continue;
            }
            if snap.index.contains_key(&pod.spec.node_name) {
                let record = Rc::new(snap.record(pod));
                snap.add_pod(&pod.spec.node_name, record);
            }
        }
        nominated.sort_by_key(|(_, p)| p.creation);
        for (node, p) in nominated {
            snap.nominated.entry(node).or_default().push(p);
        }
        snap
    }

    /// Bring a snapshot up to date with the pods written since it was built or last refreshed (from the store's
    /// pod log), as the scheduler cache follows pod events, so that a round costs what changed rather than the
    /// whole cluster. The result equals [`Snapshot::build`] of the store: each changed pod leaves the node it
    /// was on and joins the node it is on now, and every node touched gets its pods back in the namespace/name
    /// order a build gives them. Returns `false`, changing nothing, where only a rebuild will do: nodes changed,
    /// the log no longer reaches back far enough, or the snapshot follows nominations (which any pending pod's
    /// status can change).
    pub fn refresh(&mut self, store: &Store) -> bool {
        if self.nominations || self.seen_nodes != store.kind_version(GroupKind::Node) {
            return false;
        }
        let Some(pods) = store.pod_log().distinct_since(self.seen_pods) else { return false };
        self.seen_pods = store.pod_log().end();
        let mut touched: Vec<usize> = Vec::new();
        for key in pods {
            let held = self.pod_node.get(key).map(|(i, p)| (*i, Rc::clone(p)));
            let now = store
                .shared_pod(key)
                .filter(|p| !p.spec.node_name.is_empty() && !crate::helpers::pod::is_pod_terminal(p))
                .and_then(|p| Some((*self.index.get(&p.spec.node_name)?, p)));
            // Most writes of a pod on a node leave it there, counted as it was (the kubelet's status): its record
            // stays, or takes the place of the one held where the write changed what a record keeps (the start).
            if let (Some((i, old)), Some((j, pod))) = (&held, now) {
                if *i == j && old.describes(pod) {
                    continue;
                }
                if *i == j && counted_alike(old, pod) {
                    let record = Rc::new(self.record(pod));
                    if self.replace_pod_at(j, key, record) {
                        touched.push(j);
                        continue;
                    }
                }
            }
            if let Some((i, _)) = held {
                self.remove_pod_at(i, key);
                touched.push(i);
            }
            if let Some((j, pod)) = now {
                let record = Rc::new(self.record(pod));
                self.add_pod_at(j, record);
                touched.push(j);
            }
        }
        touched.sort_unstable();
        touched.dedup();
        for i in touched {
            let n = &mut self.nodes[i];
            n.pods.sort_by(|a, b| (a.namespace(), a.name()).cmp(&(b.namespace(), b.name())));
            n.used_ports = n.pods.iter().flat_map(|p| p.host_ports.iter().cloned()).collect();
        }
        true
    }

    /// Where this snapshot differs from `built`, a [`Snapshot::build`] of the same store without nominations:
    /// test builds check every refreshed snapshot against a fresh build (see `take_snapshot`), as the
    /// DaemonSet controller's views are checked against the full walk. The same nodes, each holding the same
    /// versions of the same pods in the same order and counting the same use; the same nodes tracked for pod
    /// affinity; and every selector count kept (on this snapshot's side) equal to the build's count.
    #[cfg(debug_assertions)]
    pub fn differs_from(&self, built: &Snapshot) -> Option<String> {
        if self.names != built.names {
            return Some("the node lists differ".into());
        }
        for (a, b) in self.nodes.iter().zip(&built.nodes) {
            let pods = |n: &NodeInfo| n.pods.iter().map(|p| (p.namespace().to_owned(), p.name().to_owned())).collect::<Vec<_>>();
            if pods(a) != pods(b) {
                return Some(format!("node {}: pods {:?}, built {:?}", a.name(), pods(a), pods(b)));
            }
            if a.pods.iter().zip(&b.pods).any(|(x, y)| !x.same_state(y)) {
                return Some(format!("node {}: a pod's record does not describe the stored version", a.name()));
            }
            let usage = |n: &NodeInfo| {
                let mut ports = n.used_ports.clone();
                ports.sort();
                (n.requested.clone(), n.non_zero_requested.clone(), ports, n.num_with_affinity, n.num_with_required_anti_affinity)
            };
            if usage(a) != usage(b) {
                return Some(format!("node {}: use {:?}, built {:?}", a.name(), usage(a), usage(b)));
            }
        }
        if self.with_affinity != built.with_affinity || self.with_required_anti_affinity != built.with_required_anti_affinity {
            return Some("the nodes with pod affinity differ".into());
        }
        for (key, (i, held)) in &self.pod_node {
            if built.pod_node.get(key).map(|(j, _)| *j) != Some(*i) || !self.nodes[*i].pods.iter().any(|p| Rc::ptr_eq(p, held)) {
                return Some(format!("pod {key:?}: held on node {i}, built elsewhere or not there"));
            }
        }
        if self.pod_node.len() != built.pod_node.len() {
            return Some("the pods on nodes differ".into());
        }
        for e in &self.counts.borrow().0 {
            if *built.match_counts(&e.namespace, &e.selector) != *e.per_node {
                return Some(format!("the count of {:?} in {} differs", e.selector, e.namespace));
            }
            for (t, sums) in &e.by_domain {
                let mut expected = vec![0i64; t.values.len() + 1];
                for (n, c) in e.per_node.iter().enumerate() {
                    expected[t.slot(n)] += i64::from(*c);
                }
                if expected != **sums {
                    return Some(format!("the per-value sums of {:?} in {} differ", e.selector, e.namespace));
                }
            }
        }
        None
    }

    /// The store's pod log position the snapshot is up to date with.
    pub fn log_position(&self) -> u64 {
        self.seen_pods
    }

    pub fn names(&self) -> Rc<Vec<String>> {
        self.names.clone()
    }

    pub fn get(&self, name: &str) -> Option<&NodeInfo> {
        self.index.get(name).map(|&i| &self.nodes[i])
    }

    /// The [`PodInfo`] of a pod a cycle is to place, its labels shared with the records of pods labelled alike.
    pub fn pod_info(&mut self, pod: Arc<Pod>) -> PodInfo {
        let labels = self.label_sets.share(&pod.metadata.labels);
        PodInfo::sharing(pod, labels)
    }

    /// The record of a pod the snapshot keeps, its labels shared with the records of pods labelled alike.
    fn record(&mut self, pod: &Pod) -> PodRecord {
        let labels = self.label_sets.share(&pod.metadata.labels);
        PodRecord::sharing(pod, labels)
    }

    /// Assign a pod to a node (a binding, or an assigned pod when the snapshot is built).
    pub fn add_pod(&mut self, node: &str, pod: Rc<PodRecord>) {
        let Some(&i) = self.index.get(node) else { return };
        self.add_pod_at(i, pod);
    }

    fn add_pod_at(&mut self, i: usize, pod: Rc<PodRecord>) {
        self.unnominate(pod.namespace(), pod.name());
        self.pod_node.insert((pod.namespace().to_owned(), pod.name().to_owned()), (i, Rc::clone(&pod)));
        for e in self.counts.get_mut().0.iter_mut() {
            if counted(e, &pod) {
                e.change(i, 1);
            }
        }
        self.nodes[i].add_pod(pod);
        self.track_affinity(i);
    }

    /// Take a pod off its node (a preemption victim).
    pub fn remove_pod(&mut self, node: &str, namespace: &str, name: &str) {
        let Some(&i) = self.index.get(node) else { return };
        self.remove_pod_at(i, &(namespace.to_owned(), name.to_owned()));
    }

    fn remove_pod_at(&mut self, i: usize, key: &Key) {
        let held = match self.pod_node.get(key) {
            Some((j, held)) if *j == i => self.nodes[i].pods.iter().position(|p| Rc::ptr_eq(p, held)),
            _ => None,
        };
        let pod = match held {
            Some(at) => self.nodes[i].take_pod(at),
            None => {
                let Some(pod) = self.nodes[i].remove_pod(&key.0, &key.1) else { return };
                pod
            }
        };
        self.pod_node.remove(key);
        for e in self.counts.get_mut().0.iter_mut() {
            if counted(e, &pod) {
                e.change(i, -1);
            }
        }
        self.track_affinity(i);
    }

    /// Put `pod` in the place of the version of it node `i` holds, which every selector counted as it counts
    /// `pod` ([`counted_alike`]): the counts stay. `false`, changing nothing, when node `i` does not hold it.
    fn replace_pod_at(&mut self, i: usize, key: &Key, pod: Rc<PodRecord>) -> bool {
        let Some((_, held)) = self.pod_node.get_mut(key) else { return false };
        let Some(at) = self.nodes[i].pods.iter().position(|p| Rc::ptr_eq(p, held)) else { return false };
        *held = Rc::clone(&pod);
        self.nodes[i].take_pod(at);
        self.nodes[i].add_pod(pod);
        self.track_affinity(i);
        true
    }

    fn track_affinity(&mut self, i: usize) {
        let n = &self.nodes[i];
        if n.num_with_affinity > 0 {
            self.with_affinity.insert(i);
        } else {
            self.with_affinity.remove(&i);
        }
        if n.num_with_required_anti_affinity > 0 {
            self.with_required_anti_affinity.insert(i);
        } else {
            self.with_required_anti_affinity.remove(&i);
        }
    }

    /// Nodes hosting at least one pod that declares pod (anti-)affinity, in snapshot order.
    pub fn nodes_with_affinity(&self) -> impl Iterator<Item = &NodeInfo> {
        self.with_affinity.iter().map(|&i| &self.nodes[i])
    }

    /// Nodes hosting at least one pod with required anti-affinity terms, in snapshot order.
    pub fn nodes_with_required_anti_affinity(&self) -> impl Iterator<Item = &NodeInfo> {
        self.with_required_anti_affinity.iter().map(|&i| &self.nodes[i])
    }

    pub fn images(&self) -> &ImageStates {
        &self.images
    }

    /// `countPodsMatchSelector` for every node at once: per node index, the pods in `namespace` that are not
    /// being deleted and that `selector` matches. An empty selector counts nothing.
    pub fn match_counts(&self, namespace: &str, selector: &Selector) -> Rc<Vec<u32>> {
        if selector.is_empty() {
            return Rc::new(vec![0; self.nodes.len()]);
        }
        let i = self.count_entry(namespace, selector);
        self.counts.borrow().0[i].per_node.clone()
    }

    /// [`Snapshot::match_counts`] summed per value of a topology key, indexed by [`Topology::slot`].
    pub fn domain_counts(&self, namespace: &str, selector: &Selector, key: &str) -> Rc<Vec<i64>> {
        let topology = self.topology(key);
        if selector.is_empty() {
            return Rc::new(vec![0; topology.values.len() + 1]);
        }
        let i = self.count_entry(namespace, selector);
        let mut cache = self.counts.borrow_mut();
        let entry = &mut cache.0[i];
        if let Some((_, sums)) = entry.by_domain.iter().find(|(t, _)| Rc::ptr_eq(t, &topology)) {
            return sums.clone();
        }
        let mut sums = vec![0i64; topology.values.len() + 1];
        for (n, c) in entry.per_node.iter().enumerate() {
            sums[topology.slot(n)] += i64::from(*c);
        }
        let sums = Rc::new(sums);
        entry.by_domain.push((topology, sums.clone()));
        sums
    }

    /// The cache entry of `(namespace, selector)`, counted on first use. Entries are found by the hash of the
    /// pair, then compared: the spread plugins ask for every pod's constraints, and formatting the selector into
    /// a key (as this did) cost more than the lookup.
    fn count_entry(&self, namespace: &str, selector: &Selector) -> usize {
        let hash = foldhash::fast::FixedState::default().hash_one((namespace, selector));
        let mut cache = self.counts.borrow_mut();
        let (entries, by_hash) = &mut *cache;
        let same = |i: &usize| entries[*i].namespace == namespace && entries[*i].selector == *selector;
        if let Some(&i) = by_hash.get(&hash).and_then(|at| at.iter().find(|i| same(i))) {
            return i;
        }
        let mut entry = CountEntry {
            namespace: namespace.to_owned(),
            selector: selector.clone(),
            per_node: Rc::new(Vec::new()),
            by_domain: Vec::new(),
        };
        let per_node: Vec<u32> =
            self.nodes.iter().map(|n| n.pods.iter().filter(|p| counted(&entry, p)).count() as u32).collect();
        entry.per_node = Rc::new(per_node);
        entries.push(entry);
        by_hash.entry(hash).or_default().push(entries.len() - 1);
        entries.len() - 1
    }

    /// The topology of a label key (computed once per snapshot; node labels do not change within it).
    pub fn topology(&self, key: &str) -> Rc<Topology> {
        if let Some(t) = self.topologies.borrow().get(key) {
            return t.clone();
        }
        let mut ids: HashMap<&str, u32> = HashMap::default();
        let mut values: Vec<String> = Vec::new();
        let of_node = self
            .nodes
            .iter()
            .map(|n| match n.labels().get(key) {
                None => Topology::MISSING,
                Some(v) => *ids.entry(v.as_str()).or_insert_with(|| {
                    values.push(v.clone());
                    (values.len() - 1) as u32
                }),
            })
            .collect();
        let mut sorted: Vec<u32> = (0..values.len() as u32).collect();
        sorted.sort_by(|a, b| values[*a as usize].cmp(&values[*b as usize]));
        let empty = values.iter().position(|v| v.is_empty());
        let t = Rc::new(Topology { values, of_node, sorted, empty });
        self.topologies.borrow_mut().insert(key.to_owned(), t.clone());
        t
    }

    /// `PodNominator.NominatedPodsForNode`.
    pub fn nominated_for(&self, node: &str) -> &[Rc<PodRecord>] {
        self.nominated.get(node).map_or(&[], Vec::as_slice)
    }

    /// Every nominated pod with its node.
    pub fn nominated_pods(&self) -> impl Iterator<Item = (&str, &Rc<PodRecord>)> {
        self.nominated.iter().flat_map(|(n, pods)| pods.iter().map(move |p| (n.as_str(), p)))
    }

    /// `AddNominatedPod`: (re)nominate a pending pod; it moves to the end of its node's list. An empty node name
    /// removes the nomination.
    pub fn nominate(&mut self, pod: &Pod, node: &str) {
        self.unnominate(&pod.metadata.namespace, &pod.metadata.name);
        if node.is_empty() {
            return;
        }
        let record = Rc::new(self.record(pod));
        self.nominated.entry(node.to_owned()).or_default().push(record);
    }

    /// `DeleteNominatedPodIfExists`.
    pub fn unnominate(&mut self, namespace: &str, name: &str) {
        for pods in self.nominated.values_mut() {
            pods.retain(|p| !(p.namespace() == namespace && p.name() == name));
        }
        self.nominated.retain(|_, pods| !pods.is_empty());
    }
}

fn counted(e: &CountEntry, pod: &PodRecord) -> bool {
    !pod.is_deleting() && pod.namespace() == e.namespace && e.selector.matches(pod.labels())
}

/// Whether every count entry counts `pod` as it counts `held`: [`counted`] reads nothing else.
fn counted_alike(held: &PodRecord, pod: &Pod) -> bool {
    held.is_deleting() == pod.metadata.deletion_timestamp.is_some()
        && held.namespace() == pod.metadata.namespace
        && *held.labels() == pod.metadata.labels
}

/// The cache's image states: every name of every image of every node (nodes in name order, as they reached the
/// cache); the size is that of the first node's copy.
fn image_states(store: &Store) -> ImageStates {
    let mut out = ImageStates::default();
    for node in store.list::<Node>() {
        let mut seen = HashSet::default();
        for img in &node.status.images {
            for name in &img.names {
                if seen.insert(name.as_str()) {
                    out.entry(name.clone()).or_insert((img.size_bytes, 0)).1 += 1;
                }
            }
        }
    }
    out
}

#[cfg(all(test, debug_assertions))]
mod tests {
    use super::*;
    use std::sync::Arc;
    use crate::api::meta_v1::LabelSelector;
    use crate::api::Object;

    fn node(name: &str) -> Object {
        let mut n = Node::default();
        n.metadata.name = name.into();
        Object::Node(Arc::new(n))
    }

    fn pod(name: &str, node: &str, app: &str, phase: &str) -> Object {
        let mut p = Pod::default();
        p.metadata.namespace = "default".into();
        p.metadata.name = name.into();
        p.metadata.labels.insert("app".into(), app.into());
        p.spec.node_name = node.into();
        p.status.phase = phase.into();
        Object::Pod(Arc::new(p))
    }

    fn web() -> Selector {
        let match_labels = [("app".to_string(), "web".to_string())].into_iter().collect();
        Selector::from_label_selector(Some(&LabelSelector { match_labels, ..Default::default() })).unwrap()
    }

    #[test]
    fn a_refreshed_snapshot_is_what_a_build_gives_and_a_missed_write_is_told() {
        let mut store = Store::new();
        for n in ["n1", "n2"] {
            store.put(node(n));
        }
        store.put(pod("a", "n1", "web", "Pending"));
        store.put(pod("b", "n1", "web", "Pending"));
        let order = ["n1".to_string(), "n2".to_string()];
        let mut snap = Snapshot::build(&store, &order, None);
        assert_eq!(*snap.match_counts("default", &web()), [2, 0]);
        // Written in place (the kubelet's status), moved to another node, relabelled, added.
        store.put(pod("a", "n1", "web", "Running"));
        store.put(pod("b", "n2", "web", "Pending"));
        store.put(pod("c", "n2", "db", "Pending"));
        store.put(pod("c", "n2", "web", "Running"));
        assert!(snap.refresh(&store));
        let built = Snapshot::build(&store, &order, None);
        assert_eq!(snap.differs_from(&built), None);
        assert_eq!(*snap.match_counts("default", &web()), [1, 2]);
        assert_eq!(snap.nodes[1].pods.iter().map(|p| p.name()).collect::<Vec<_>>(), ["b", "c"]);
        // A write the snapshot has not followed is a difference the check names.
        store.put(pod("a", "n1", "db", "Running"));
        let missed = snap.differs_from(&Snapshot::build(&store, &order, None));
        assert!(missed.is_some_and(|d| d.contains("does not describe the stored version")), "{:?}", snap.differs_from(&built));
    }

    #[test]
    fn pods_labelled_alike_share_one_set_and_sets_no_record_holds_are_swept() {
        let mut sets = LabelSets::default();
        let web: Labels = [("app".to_string(), "web".to_string())].into_iter().collect();
        let (a, b) = (sets.share(&web), sets.share(&web));
        assert!(Rc::ptr_eq(&a, &b));
        drop((a, b));
        let one_off = |i: usize| -> Labels { [("pod".to_string(), i.to_string())].into_iter().collect() };
        let held: Vec<Rc<Labels>> = (0..1500).map(|i| sets.share(&one_off(i))).collect();
        assert!(!sets.sets.contains(&web), "the set no record holds is swept when the sets reach the bound");
        assert_eq!(sets.sets.len(), 1500);
        assert!(Rc::ptr_eq(&sets.share(&one_off(7)), &held[7]));
    }
}
