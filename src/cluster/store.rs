//! The API server's storage: every object by kind, namespace and name, plus the logical clock that stamps
//! creation times and UIDs.
//!
//! Listers in Kubernetes return objects in no defined order; kubeplan's return them sorted by namespace and
//! name, so every walk over them is deterministic (the conformance model does the same).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::api::apps_v1::{ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet};
use crate::api::batch_v1::Job;
use crate::api::core_v1::{Namespace, Node, Pod, Service};
use crate::api::meta_v1::ObjectMeta;
use crate::api::scheduling_v1::PriorityClass;
use crate::api::{GroupKind, Object, Time};

/// Namespace and name.
pub type Key = (String, String);

pub fn key_of(meta: &ObjectMeta) -> Key {
    (meta.namespace.clone(), meta.name.clone())
}

/// Objects that exist before any input: the namespaces every cluster starts with. They take the first
/// creation indices (the conformance oracle's first input object is the fifth object of the cluster).
pub const BUILTIN_NAMESPACES: [&str; 4] = ["default", "kube-node-lease", "kube-public", "kube-system"];

#[derive(Clone, Debug, Default)]
pub struct Store {
    pub nodes: BTreeMap<String, Node>,
    pub namespaces: BTreeMap<String, Namespace>,
    pub priority_classes: BTreeMap<String, PriorityClass>,
    pub services: BTreeMap<Key, Service>,
    pub daemonsets: BTreeMap<Key, DaemonSet>,
    pub deployments: BTreeMap<Key, Deployment>,
    pub replicasets: BTreeMap<Key, ReplicaSet>,
    pub statefulsets: BTreeMap<Key, StatefulSet>,
    pub jobs: BTreeMap<Key, Job>,
    pub revisions: BTreeMap<Key, ControllerRevision>,
    pub pods: BTreeMap<Key, Pod>,
    /// Logical clock: the number of objects created so far.
    pub created: u64,
    /// Bumped on every change, so a round can tell whether it changed anything.
    pub version: u64,
    /// Every pod write in order, for the consumers that keep state derived from the pods and bring it up to date
    /// with what changed (the scheduler's snapshot, the DaemonSet controller's per-node views), as informers
    /// deliver events to Kubernetes' caches.
    pub pod_log: PodLog,
    /// Per kind, bumped on every write of that kind; [`Store::touch`] bumps them all.
    kind_versions: [u64; GroupKind::ALL.len()],
    /// Pod keys by the UID of their controlling owner (`""` for pods without one), kept by [`Store::put`] and
    /// [`Store::remove`]: a controller's claim reads its own pods and the orphans, not every pod of the namespace
    /// (a claim skips pods another controller owns anyway).
    by_controller: HashMap<String, BTreeSet<Key>>,
    /// Pods without a node: what the scheduler looks through each pass.
    unbound: BTreeSet<Key>,
    /// The pod sets actors asked for ([`Store::add_pod_index`]).
    pod_indexes: Vec<FilteredPods>,
}

/// A pod set an actor asked the store to keep ([`Store::add_pod_index`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PodIndex(usize);

/// The keys of the pods a filter admits, kept by every pod write.
#[derive(Clone, Debug)]
struct FilteredPods {
    admits: fn(&Pod) -> bool,
    keys: BTreeSet<Key>,
}

/// The pod writes of a [`Store`], numbered from the first: a consumer remembers the position it has read up
/// to and asks for what came after. Entries every consumer has read are dropped ([`PodLog::compact`]); a
/// consumer whose position was dropped, or that has none yet, rebuilds its state from the store.
#[derive(Clone, Debug, Default)]
pub struct PodLog {
    /// The position of `keys[0]`.
    base: u64,
    keys: Vec<Key>,
}

impl PodLog {
    /// The position after the last write.
    pub fn end(&self) -> u64 {
        self.base + self.keys.len() as u64
    }

    /// The pods written from position `from` on (possibly repeated), or `None` when that part of the log is gone.
    pub fn since(&self, from: u64) -> Option<&[Key]> {
        let start = from.checked_sub(self.base)?;
        self.keys.get(usize::try_from(start).ok()?..)
    }

    /// Forget the writes before position `upto`.
    pub fn compact(&mut self, upto: u64) {
        let n = upto.saturating_sub(self.base).min(self.keys.len() as u64) as usize;
        self.keys.drain(..n);
        self.base += n as u64;
    }

    /// Forget every write, and every position handed out so far: consumers rebuild.
    fn reset(&mut self) {
        self.base = self.end() + 1;
        self.keys.clear();
    }

    fn push(&mut self, key: Key) {
        self.keys.push(key);
    }
}

impl Store {
    pub fn new() -> Store {
        let mut s = Store::default();
        for ns in BUILTIN_NAMESPACES {
            let mut n = Namespace::default();
            n.metadata.name = ns.to_owned();
            s.stamp(&mut n.metadata);
            n.metadata.labels.insert("kubernetes.io/metadata.name".into(), ns.to_owned());
            n.status.phase = "Active".into();
            s.namespaces.insert(ns.to_owned(), n);
        }
        s
    }

    /// Give a new object its UID and creation time from the logical clock.
    pub fn stamp(&mut self, meta: &mut ObjectMeta) {
        self.created += 1;
        meta.uid = uid(self.created);
        meta.creation_timestamp = Time::at_second(self.created);
        meta.resource_version = self.created.to_string();
    }

    /// The creation index of an object (its position on the logical clock), from its UID.
    pub fn creation_index(meta: &ObjectMeta) -> u64 {
        meta.uid.rsplit('-').next().and_then(|s| s.parse().ok()).unwrap_or(0)
    }

    /// Record a change made directly to the maps (tests that edit objects in place): the round sees a change,
    /// every consumer of the pod log and of the kind versions rebuilds its state, and the indexes are rebuilt.
    pub fn touch(&mut self) {
        self.version += 1;
        for v in &mut self.kind_versions {
            *v += 1;
        }
        self.pod_log.reset();
        self.by_controller.clear();
        self.unbound.clear();
        for index in &mut self.pod_indexes {
            index.keys.clear();
        }
        let pods = std::mem::take(&mut self.pods);
        for (key, pod) in &pods {
            self.index_pod(key, None, Some(pod));
        }
        self.pods = pods;
    }

    /// How many writes of `kind` there have been: a consumer that derived state from the objects of that kind
    /// compares it with the count it saw.
    pub fn kind_version(&self, kind: GroupKind) -> u64 {
        self.kind_versions[kind as usize]
    }

    /// Note a write of `kind` at `key`.
    fn changed(&mut self, kind: GroupKind, key: &Key) {
        self.version += 1;
        self.kind_versions[kind as usize] += 1;
        if kind == GroupKind::Pod {
            self.pod_log.push(key.clone());
        }
    }

    pub fn get(&self, kind: GroupKind, namespace: &str, name: &str) -> Option<Object> {
        let k = (namespace.to_owned(), name.to_owned());
        Some(match kind {
            GroupKind::Node => Object::Node(Box::new(self.nodes.get(name)?.clone())),
            GroupKind::Namespace => Object::Namespace(Box::new(self.namespaces.get(name)?.clone())),
            GroupKind::PriorityClass => Object::PriorityClass(Box::new(self.priority_classes.get(name)?.clone())),
            GroupKind::Pod => Object::Pod(Box::new(self.pods.get(&k)?.clone())),
            GroupKind::Service => Object::Service(Box::new(self.services.get(&k)?.clone())),
            GroupKind::DaemonSet => Object::DaemonSet(Box::new(self.daemonsets.get(&k)?.clone())),
            GroupKind::Deployment => Object::Deployment(Box::new(self.deployments.get(&k)?.clone())),
            GroupKind::ReplicaSet => Object::ReplicaSet(Box::new(self.replicasets.get(&k)?.clone())),
            GroupKind::StatefulSet => Object::StatefulSet(Box::new(self.statefulsets.get(&k)?.clone())),
            GroupKind::ControllerRevision => Object::ControllerRevision(Box::new(self.revisions.get(&k)?.clone())),
            GroupKind::Job => Object::Job(Box::new(self.jobs.get(&k)?.clone())),
        })
    }

    /// Whether the stored object with `obj`'s kind, namespace and name equals `obj` (without copying it).
    pub fn holds(&self, obj: &Object) -> bool {
        let m = obj.meta();
        let k = (m.namespace.clone(), m.name.clone());
        match obj {
            Object::Node(o) => self.nodes.get(&m.name) == Some(&**o),
            Object::Namespace(o) => self.namespaces.get(&m.name) == Some(&**o),
            Object::PriorityClass(o) => self.priority_classes.get(&m.name) == Some(&**o),
            Object::Pod(o) => self.pods.get(&k) == Some(&**o),
            Object::Service(o) => self.services.get(&k) == Some(&**o),
            Object::DaemonSet(o) => self.daemonsets.get(&k) == Some(&**o),
            Object::Deployment(o) => self.deployments.get(&k) == Some(&**o),
            Object::ReplicaSet(o) => self.replicasets.get(&k) == Some(&**o),
            Object::StatefulSet(o) => self.statefulsets.get(&k) == Some(&**o),
            Object::ControllerRevision(o) => self.revisions.get(&k) == Some(&**o),
            Object::Job(o) => self.jobs.get(&k) == Some(&**o),
        }
    }

    pub fn exists(&self, kind: GroupKind, namespace: &str, name: &str) -> bool {
        let k = (namespace.to_owned(), name.to_owned());
        match kind {
            GroupKind::Node => self.nodes.contains_key(name),
            GroupKind::Namespace => self.namespaces.contains_key(name),
            GroupKind::PriorityClass => self.priority_classes.contains_key(name),
            GroupKind::Pod => self.pods.contains_key(&k),
            GroupKind::Service => self.services.contains_key(&k),
            GroupKind::DaemonSet => self.daemonsets.contains_key(&k),
            GroupKind::Deployment => self.deployments.contains_key(&k),
            GroupKind::ReplicaSet => self.replicasets.contains_key(&k),
            GroupKind::StatefulSet => self.statefulsets.contains_key(&k),
            GroupKind::ControllerRevision => self.revisions.contains_key(&k),
            GroupKind::Job => self.jobs.contains_key(&k),
        }
    }

    /// Store an object (create or replace).
    pub fn put(&mut self, obj: Object) {
        let k = key_of(obj.meta());
        self.changed(obj.group_kind(), &k);
        match obj {
            Object::Node(o) => {
                self.nodes.insert(k.1, *o);
            }
            Object::Namespace(o) => {
                self.namespaces.insert(k.1, *o);
            }
            Object::PriorityClass(o) => {
                self.priority_classes.insert(k.1, *o);
            }
            Object::Pod(o) => {
                let old = self.pods.remove(&k);
                self.index_pod(&k, old.as_ref(), Some(&o));
                self.pods.insert(k, *o);
            }
            Object::Service(o) => {
                self.services.insert(k, *o);
            }
            Object::DaemonSet(o) => {
                self.daemonsets.insert(k, *o);
            }
            Object::Deployment(o) => {
                self.deployments.insert(k, *o);
            }
            Object::ReplicaSet(o) => {
                self.replicasets.insert(k, *o);
            }
            Object::StatefulSet(o) => {
                self.statefulsets.insert(k, *o);
            }
            Object::ControllerRevision(o) => {
                self.revisions.insert(k, *o);
            }
            Object::Job(o) => {
                self.jobs.insert(k, *o);
            }
        }
    }

    /// Remove an object; returns it if it existed.
    pub fn remove(&mut self, kind: GroupKind, namespace: &str, name: &str) -> Option<Object> {
        let k = (namespace.to_owned(), name.to_owned());
        let removed = match kind {
            GroupKind::Node => self.nodes.remove(name).map(|o| Object::Node(Box::new(o))),
            GroupKind::Namespace => self.namespaces.remove(name).map(|o| Object::Namespace(Box::new(o))),
            GroupKind::PriorityClass => self.priority_classes.remove(name).map(|o| Object::PriorityClass(Box::new(o))),
            GroupKind::Pod => self.pods.remove(&k).map(|o| {
                self.index_pod(&k, Some(&o), None);
                Object::Pod(Box::new(o))
            }),
            GroupKind::Service => self.services.remove(&k).map(|o| Object::Service(Box::new(o))),
            GroupKind::DaemonSet => self.daemonsets.remove(&k).map(|o| Object::DaemonSet(Box::new(o))),
            GroupKind::Deployment => self.deployments.remove(&k).map(|o| Object::Deployment(Box::new(o))),
            GroupKind::ReplicaSet => self.replicasets.remove(&k).map(|o| Object::ReplicaSet(Box::new(o))),
            GroupKind::StatefulSet => self.statefulsets.remove(&k).map(|o| Object::StatefulSet(Box::new(o))),
            GroupKind::ControllerRevision => self.revisions.remove(&k).map(|o| Object::ControllerRevision(Box::new(o))),
            GroupKind::Job => self.jobs.remove(&k).map(|o| Object::Job(Box::new(o))),
        };
        if removed.is_some() {
            self.changed(kind, &k);
        }
        removed
    }

    /// Keep the pod indexes right as the pod at `key` goes from `old` to `new`.
    fn index_pod(&mut self, key: &Key, old: Option<&Pod>, new: Option<&Pod>) {
        let (old_uid, new_uid) = (old.map(|p| controller_uid(&p.metadata)), new.map(|p| controller_uid(&p.metadata)));
        if old_uid != new_uid {
            if let Some(uid) = old_uid {
                self.unindex(uid, key);
            }
            if let Some(uid) = new_uid {
                self.by_controller.entry(uid.to_owned()).or_default().insert(key.clone());
            }
        }
        let unbound = |p: Option<&Pod>| p.is_some_and(|p| p.spec.node_name.is_empty());
        update_set(&mut self.unbound, key, unbound(old), unbound(new));
        for index in &mut self.pod_indexes {
            let admits = |p: Option<&Pod>| p.is_some_and(index.admits);
            update_set(&mut index.keys, key, admits(old), admits(new));
        }
    }

    /// Pods without a node, in namespace/name order.
    pub fn unbound_pods(&self) -> impl Iterator<Item = (&Key, &Pod)> + '_ {
        self.unbound.iter().filter_map(|k| Some((k, self.pods.get(k)?)))
    }

    /// Keep, from now on, the set of pods that `admits` takes (client-go's indexers, which an informer's
    /// consumer registers): an actor that acts on few of many pods reads its set instead of every pod. A filter
    /// asked for again (an actor resumed on the same store) gets the index it already has.
    pub fn add_pod_index(&mut self, admits: fn(&Pod) -> bool) -> PodIndex {
        if let Some(at) = self.pod_indexes.iter().position(|i| std::ptr::fn_addr_eq(i.admits, admits)) {
            return PodIndex(at);
        }
        let keys = self.pods.iter().filter(|(_, p)| admits(p)).map(|(k, _)| k.clone()).collect();
        self.pod_indexes.push(FilteredPods { admits, keys });
        PodIndex(self.pod_indexes.len() - 1)
    }

    /// The pods of an index ([`Store::add_pod_index`]), in namespace/name order.
    pub fn indexed_pods(&self, index: PodIndex) -> impl Iterator<Item = (&Key, &Pod)> + '_ {
        let keys = self.pod_indexes.get(index.0).map(|i| &i.keys);
        keys.into_iter().flatten().filter_map(|k| Some((k, self.pods.get(k)?)))
    }

    fn unindex(&mut self, uid: &str, key: &Key) {
        if let Some(set) = self.by_controller.get_mut(uid) {
            set.remove(key);
            if set.is_empty() {
                self.by_controller.remove(uid);
            }
        }
    }

    /// The pods of `namespace` whose controlling owner has `uid` (`""`: the pods without one), in name order.
    pub fn controlled_pods<'a>(&'a self, namespace: &'a str, uid: &str) -> impl Iterator<Item = &'a Pod> + 'a {
        let set = self.by_controller.get(uid);
        set.into_iter()
            .flat_map(move |s| s.range((namespace.to_owned(), String::new())..).take_while(move |(ns, _)| ns == namespace))
            .filter_map(|k| self.pods.get(k))
    }

    /// What `ClaimPods` of the controller with `uid` can take in `namespace`: the pods it controls and those no
    /// controller owns, together in name order, as [`Store::pods_in`] would list them without the pods of other
    /// controllers.
    pub fn claimable_pods<'a>(&'a self, namespace: &'a str, uid: &'a str) -> Box<dyn Iterator<Item = &'a Pod> + 'a> {
        // Following the index costs a map lookup per pod; walking the namespace costs a step per pod. When the
        // index holds most pods (a DaemonSet over 100,000 nodes owns nearly all of them), walking is cheaper.
        let size = |u: &str| self.by_controller.get(u).map_or(0, BTreeSet::len);
        let listed = size("") + if uid.is_empty() { 0 } else { size(uid) };
        if 2 * listed > self.pods.len() {
            return Box::new(self.pods_in(namespace).filter(move |p| {
                let c = controller_uid(&p.metadata);
                c.is_empty() || (!uid.is_empty() && c == uid)
            }));
        }
        // An owner without a UID controls nothing: its "own" pods would be the orphans again.
        let mut owned = self.controlled_pods(namespace, uid).filter(move |_| !uid.is_empty()).peekable();
        let mut orphans = self.controlled_pods(namespace, "").peekable();
        Box::new(std::iter::from_fn(move || match (owned.peek(), orphans.peek()) {
            (Some(a), Some(b)) if b.metadata.name < a.metadata.name => orphans.next(),
            (Some(_), _) => owned.next(),
            (None, _) => orphans.next(),
        }))
    }

    /// Pods of one namespace, in name order.
    pub fn pods_in<'a>(&'a self, namespace: &'a str) -> impl Iterator<Item = &'a Pod> + 'a {
        self.pods
            .range((namespace.to_owned(), String::new())..)
            .take_while(move |((ns, _), _)| ns == namespace)
            .map(|(_, p)| p)
    }

    /// ControllerRevisions of one namespace, in name order.
    pub fn revisions_in<'a>(&'a self, namespace: &'a str) -> impl Iterator<Item = &'a ControllerRevision> + 'a {
        self.revisions
            .range((namespace.to_owned(), String::new())..)
            .take_while(move |((ns, _), _)| ns == namespace)
            .map(|(_, r)| r)
    }
}

/// Add `key` to `set` or take it out as its membership goes from `was` to `is`.
fn update_set(set: &mut BTreeSet<Key>, key: &Key, was: bool, is: bool) {
    match (was, is) {
        (false, true) => {
            set.insert(key.clone());
        }
        (true, false) => {
            set.remove(key);
        }
        _ => {}
    }
}

/// The UID of a pod's controlling owner, `""` when it has none.
fn controller_uid(meta: &ObjectMeta) -> &str {
    crate::api::controller_of(meta).map_or("", |r| r.uid.as_str())
}

/// The UID of the n-th object: `00000000-0000-0000-0000-<n, 12 digits>`.
pub fn uid(n: u64) -> String {
    format!("00000000-0000-0000-0000-{n:012}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::meta_v1::OwnerReference;

    fn pod(name: &str, controller: Option<&str>) -> Object {
        let mut p = Pod::default();
        p.metadata.namespace = "default".into();
        p.metadata.name = name.into();
        if let Some(uid) = controller {
            p.metadata.owner_references.push(OwnerReference { uid: uid.into(), controller: Some(true), ..Default::default() });
        }
        Object::Pod(Box::new(p))
    }

    fn claimable(s: &Store, uid: &str) -> Vec<String> {
        s.claimable_pods("default", uid).map(|p| p.metadata.name.clone()).collect()
    }

    #[test]
    fn the_pod_log_gives_what_was_written_since_a_position_until_compacted_or_reset() {
        let mut s = Store::new();
        let start = s.pod_log.end();
        s.put(pod("a", None));
        s.put(pod("b", None));
        let mid = s.pod_log.end();
        s.put(pod("a", Some("u1")));
        s.remove(GroupKind::Pod, "default", "b");
        let names = |keys: &[Key]| keys.iter().map(|k| k.1.clone()).collect::<Vec<_>>();
        assert_eq!(names(s.pod_log.since(start).unwrap()), ["a", "b", "a", "b"]);
        assert_eq!(names(s.pod_log.since(mid).unwrap()), ["a", "b"]);
        assert_eq!(s.pod_log.since(s.pod_log.end()).unwrap().len(), 0);
        s.pod_log.compact(mid);
        assert!(s.pod_log.since(start).is_none(), "compacted away: the reader rebuilds");
        assert_eq!(s.pod_log.since(mid).unwrap().len(), 2);
        // Only pods are logged; other kinds count in their own version.
        let nodes = s.kind_version(GroupKind::Node);
        let mut n = Node::default();
        n.metadata.name = "n1".into();
        s.put(Object::Node(Box::new(n)));
        assert_eq!(s.kind_version(GroupKind::Node), nodes + 1);
        assert_eq!(s.pod_log.since(mid).unwrap().len(), 2);
        // A change behind the store's back invalidates every position handed out, even the latest.
        let end = s.pod_log.end();
        s.touch();
        assert!(s.pod_log.since(end).is_none());
        assert_eq!(s.pod_log.since(s.pod_log.end()).unwrap().len(), 0);
    }

    #[test]
    fn unbound_and_registered_indexes_follow_binding_and_phase() {
        let mut s = Store::new();
        s.put(pod("a", None));
        fn running(p: &Pod) -> bool {
            p.status.phase == "Running"
        }
        let started = s.add_pod_index(running);
        assert_eq!(s.add_pod_index(running), started, "one index per filter");
        s.put(pod("b", None));
        let unbound = |s: &Store| s.unbound_pods().map(|(k, _)| k.1.clone()).collect::<Vec<_>>();
        let running = |s: &Store| s.indexed_pods(started).map(|(k, _)| k.1.clone()).collect::<Vec<_>>();
        assert_eq!(unbound(&s), ["a", "b"]);
        assert!(running(&s).is_empty());
        let Some(Object::Pod(mut a)) = s.get(GroupKind::Pod, "default", "a") else { panic!() };
        a.spec.node_name = "n1".into();
        a.status.phase = "Running".into();
        s.put(Object::Pod(a.clone()));
        assert_eq!(unbound(&s), ["b"]);
        assert_eq!(running(&s), ["a"], "a pod written after the index was added");
        let late = s.add_pod_index(|p| !p.spec.node_name.is_empty());
        assert_eq!(s.indexed_pods(late).count(), 1, "an index added late takes in the pods already stored");
        a.status.phase = "Succeeded".into();
        s.put(Object::Pod(a));
        assert!(running(&s).is_empty());
        s.touch();
        assert_eq!((unbound(&s), s.indexed_pods(late).count()), (vec!["b".to_owned()], 1), "rebuilt by touch");
        s.remove(GroupKind::Pod, "default", "a");
        s.remove(GroupKind::Pod, "default", "b");
        assert!(unbound(&s).is_empty() && s.indexed_pods(late).next().is_none());
    }

    #[test]
    fn claimable_pods_are_own_and_orphans_in_name_order_by_index_or_by_walk() {
        let mut s = Store::new();
        for (name, owner) in [("a", Some("u1")), ("b", None), ("c", Some("u1")), ("d", Some("u1"))] {
            s.put(pod(name, owner));
        }
        for i in 0..10 {
            s.put(pod(&format!("x{i}"), Some("u2")));
        }
        // u1 and the orphans are 4 of 14 pods: read through the index.
        assert_eq!(claimable(&s, "u1"), ["a", "b", "c", "d"]);
        // u2 and the orphans are 11 of 14: the namespace is walked.
        let u2 = claimable(&s, "u2");
        assert_eq!(u2.len(), 11);
        assert_eq!(u2[0], "b");
        // Re-owning and removing keep the index right.
        s.put(pod("b", Some("u1")));
        s.remove(GroupKind::Pod, "default", "c");
        assert_eq!(claimable(&s, "u1"), ["a", "b", "d"]);
        assert_eq!(s.controlled_pods("default", "u1").count(), 3);
    }
}
