//! The API server's storage: every object by kind, namespace and name, the logical clock that stamps creation
//! times and UIDs, and the indexes the actors read through.
//!
//! Objects are kept by kind ([`GroupKind`]), so a new kind needs no storage code: its [`Resource`] impl is
//! enough for the typed listers ([`Store::list`], [`Store::get`], ...). Cluster-scoped objects are keyed with
//! an empty namespace. Custom resources are kept by their qualified kind (`Certificate.cert-manager.io`), as
//! each CustomResourceDefinition has its own storage; [`Store::find`] looks any object up by what it is.
//!
//! Listers in Kubernetes return objects in no defined order; kubeplan's return them sorted by namespace and
//! name, so every walk over them is deterministic (the conformance model does the same). The store is written
//! only by the API server's write path ([`super::Cluster`]); everything else reads it.

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::api::core_v1::{Namespace, Pod, PodSpec, PodStatus};
use crate::api::scheduling_v1::PriorityClass;
use crate::api::meta_v1::ObjectMeta;
use crate::api::{GroupKind, Object, Resource, Time};
use crate::hash::HashMap;

mod table;
use table::Table;

/// Namespace and name.
pub type Key = (String, String);

pub fn key_of(meta: &ObjectMeta) -> Key {
    (meta.namespace.clone(), meta.name.clone())
}

/// Where an object of `kind` is kept: cluster-scoped objects under an empty namespace.
fn key_for(kind: GroupKind, namespace: &str, name: &str) -> Key {
    let (namespace, name) = place(kind, namespace, name);
    (namespace.to_owned(), name.to_owned())
}

/// [`key_for`], borrowed: what a lookup compares the stored keys with.
fn place<'a>(kind: GroupKind, namespace: &'a str, name: &'a str) -> (&'a str, &'a str) {
    (if kind.namespaced() { namespace } else { "" }, name)
}

/// A namespace and name to look a [`Key`] up by without building one (two `String`s) for every lookup: the
/// store's maps are searched with `&dyn KeyRef`, which both `Key` and `(&str, &str)` are, ordered alike.
trait KeyRef {
    fn parts(&self) -> (&str, &str);
}

impl KeyRef for Key {
    fn parts(&self) -> (&str, &str) {
        (&self.0, &self.1)
    }
}

impl KeyRef for (&str, &str) {
    fn parts(&self) -> (&str, &str) {
        *self
    }
}

impl<'a> std::borrow::Borrow<dyn KeyRef + 'a> for Key {
    fn borrow(&self) -> &(dyn KeyRef + 'a) {
        self
    }
}

impl PartialEq for dyn KeyRef + '_ {
    fn eq(&self, other: &Self) -> bool {
        let ((ns_a, name_a), (ns_b, name_b)) = (self.parts(), other.parts());
        same_str(ns_a, ns_b) && same_str(name_a, name_b)
    }
}

impl Eq for dyn KeyRef + '_ {}

impl PartialOrd for dyn KeyRef + '_ {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for dyn KeyRef + '_ {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        let ((ns_a, name_a), (ns_b, name_b)) = (self.parts(), other.parts());
        cmp_str(ns_a, ns_b).then_with(|| cmp_str(name_a, name_b))
    }
}

// Keys are compared through these two rather than `str`'s own `==` and `cmp`, which call `memcmp` even for empty
// strings. An empty `String` points at address 1 (Rust's pointer for an allocation of nothing), and glibc's
// AVX-512 `memcmp` (`__memcmp_evex_movbe`) still issues a masked load there for a length of 0: the load would
// fault, and the processor suppresses the fault with a microcode assist, about 250 ns where comparing six bytes
// takes 5 ns (measured on the development machine). Every cluster-scoped object is keyed under an empty
// namespace, so each comparison of two node keys compared two empty strings that way: on a plan of 5,000 nodes,
// a quarter of the run was spent in `memcmp`.

/// `a == b`, without `memcmp` for empty strings.
pub(super) fn same_str(a: &str, b: &str) -> bool {
    a.len() == b.len() && (a.is_empty() || a == b)
}

/// `a == b`, comparing first what a write of a pod usually changes (its node, its status): most of a pod is
/// strings, most of them empty, and each comparison of two empty strings costs a `memcmp` assist (see
/// [`cmp_str`]), so a write that does change something is told apart before the rest is compared.
fn same_object(a: &Object, b: &Object) -> bool {
    match (a, b) {
        (Object::Pod(p), Object::Pod(q)) => {
            same_str(&p.spec.node_name, &q.spec.node_name) && same_str(&p.status.phase, &q.status.phase) && p == q
        }
        _ => a == b,
    }
}

/// `a.cmp(b)`, without `memcmp` for empty strings (the empty string comes first).
fn cmp_str(a: &str, b: &str) -> std::cmp::Ordering {
    if a.is_empty() || b.is_empty() {
        return a.len().cmp(&b.len());
    }
    a.cmp(b)
}

/// The object stored under `namespace`/`name` in `map`.
fn lookup<'m>(map: &'m BTreeMap<Key, Object>, namespace: &str, name: &str) -> Option<&'m Object> {
    map.get(&(namespace, name) as &dyn KeyRef)
}

/// The namespaces every cluster has: the API server's bootstrap makes `default` and `kube-system` (the model's
/// cluster starts with these two); `kube-public` and `kube-node-lease` follow in a real cluster, so a linter
/// takes them as present too.
pub const BUILTIN_NAMESPACES: [&str; 4] = ["default", "kube-node-lease", "kube-public", "kube-system"];

/// The namespaces the model's cluster starts with, after the built-in PriorityClasses: the four take the first
/// creation indices (the conformance oracle's first input object is the fifth object of the cluster).
pub const BOOTSTRAP_NAMESPACES: [&str; 2] = ["default", "kube-system"];

#[derive(Clone, Debug)]
pub struct Store {
    /// Every object of a built-in kind, by kind (`GroupKind as usize`), then namespace and name.
    objects: Vec<Table>,
    /// Custom resources, by qualified kind (`Certificate.cert-manager.io`), then namespace and name.
    custom: BTreeMap<String, BTreeMap<Key, Object>>,
    /// Logical clock: the number of objects created so far.
    created: u64,
    /// Bumped on every change, so a round can tell whether it changed anything.
    version: u64,
    /// Every pod write in order, for the consumers that keep state derived from the pods and bring it up to date
    /// with what changed (the scheduler's snapshot, the DaemonSet controller's per-node views), as informers
    /// deliver events to Kubernetes' caches.
    pod_log: PodLog,
    /// Per kind, bumped on every write of that kind.
    kind_versions: [u64; GroupKind::COUNT],
    /// Pod keys by the UID of their controlling owner (`""` for pods without one): a controller's claim reads its
    /// own pods and the orphans, not every pod of the namespace (a claim skips pods another controller owns
    /// anyway).
    by_controller: HashMap<String, BTreeSet<Key>>,
    /// Pods without a node: what the scheduler looks through each pass.
    unbound: BTreeSet<Key>,
    /// The pod sets actors asked for ([`Store::add_pod_index`]).
    pod_indexes: Vec<FilteredPods>,
    /// Every object by the UID of each of its owners (all owner references, not only the controller's): what the
    /// garbage collector visits when an owner goes.
    dependents: HashMap<String, BTreeSet<(GroupKind, Key)>>,
}

/// A pod set an actor asked the store to keep ([`Store::add_pod_index`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PodIndex(usize);

/// How [`Store::write_pod`] stores a changed pod.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PodWrite {
    /// Change the stored object (copied first if a reader shares it).
    InPlace,
    /// Store the changed pod as a new object.
    NewObject,
}

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

    /// The pods written from position `from` on, each once, in the order of their first write since; `None`
    /// when that part of the log is gone. For readers that bring a view of every pod up to date, whatever order
    /// they take the pods in: a round writes most pods it touches two or three times (created, bound, started),
    /// and sorting the keys to drop the repeats cost more than the readers' work on them.
    pub fn distinct_since(&self, from: u64) -> Option<Vec<&Key>> {
        let written = self.since(from)?;
        let mut seen = crate::hash::HashSet::with_capacity_and_hasher(written.len(), Default::default());
        Some(written.iter().filter(|k| seen.insert(*k)).collect())
    }

    /// Forget the writes before position `upto`.
    pub fn compact(&mut self, upto: u64) {
        let n = upto.saturating_sub(self.base).min(self.keys.len() as u64) as usize;
        self.keys.drain(..n);
        self.base += n as u64;
    }

    fn push(&mut self, key: Key) {
        self.keys.push(key);
    }
}

impl Default for Store {
    fn default() -> Self {
        Store::new()
    }
}

impl Store {
    /// A cluster as the API server's bootstrap leaves it: the built-in PriorityClasses
    /// (`scheduling.SystemPriorityClasses`), then the `default` and `kube-system` namespaces.
    pub fn new() -> Store {
        let mut s = Store {
            objects: vec![Table::default(); GroupKind::COUNT],
            custom: BTreeMap::new(),
            created: 0,
            version: 0,
            pod_log: PodLog::default(),
            kind_versions: [0; GroupKind::COUNT],
            by_controller: HashMap::default(),
            unbound: BTreeSet::new(),
            pod_indexes: Vec::new(),
            dependents: HashMap::default(),
        };
        for (name, value, description) in crate::apiserver::admission::priority::SYSTEM_PRIORITY_CLASSES {
            let mut pc = PriorityClass { value, description: description.to_owned(), ..Default::default() };
            pc.metadata.name = name.to_owned();
            pc.metadata.generation = 1;
            pc.preemption_policy = Some("PreemptLowerPriority".to_owned());
            s.stamp(&mut pc.metadata);
            s.put(pc.into_object());
        }
        for ns in BOOTSTRAP_NAMESPACES {
            let mut n = Namespace::default();
            n.metadata.name = ns.to_owned();
            s.stamp(&mut n.metadata);
            n.metadata.labels.insert(crate::apiserver::defaults::LABEL_METADATA_NAME.into(), ns.to_owned());
            n.spec.finalizers.push(crate::apiserver::strategy::FINALIZER_KUBERNETES.to_owned());
            n.status.phase = "Active".into();
            s.put(n.into_object());
        }
        s
    }

    /// Give a new object its UID and creation time from the logical clock.
    pub fn stamp(&mut self, meta: &mut ObjectMeta) {
        self.created += 1;
        meta.uid = uid(self.created);
        meta.creation_timestamp = Time::at_second(self.created);
    }

    /// The creation index of an object (its position on the logical clock), from its UID.
    pub fn creation_index(meta: &ObjectMeta) -> u64 {
        meta.uid.rsplit('-').next().and_then(|s| s.parse().ok()).unwrap_or(0)
    }

    /// Where the clocks stand, for a create that may still be refused ([`Store::rewind`]).
    pub(super) fn clock(&self) -> (u64, u64) {
        (self.created, self.version)
    }

    /// Put the clocks back where [`Store::clock`] read them: a refused create takes no place on them.
    pub(super) fn rewind(&mut self, (created, version): (u64, u64)) {
        (self.created, self.version) = (created, version);
    }

    /// The PriorityClasses by name, as Priority admission looks them up.
    pub fn priority_classes(&self) -> BTreeMap<String, PriorityClass> {
        self.list::<PriorityClass>().map(|pc| (pc.metadata.name.clone(), pc.clone())).collect()
    }

    /// The logical clock: how many objects have been created so far (one second each).
    pub fn created(&self) -> u64 {
        self.created
    }

    /// How many writes there have been: a round that leaves it unchanged changed nothing.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// How many writes of `kind` there have been: a consumer that derived state from the objects of that kind
    /// compares it with the count it saw.
    pub fn kind_version(&self, kind: GroupKind) -> u64 {
        self.kind_versions[kind as usize]
    }

    /// The pod writes, for consumers that follow them.
    pub fn pod_log(&self) -> &PodLog {
        &self.pod_log
    }

    /// Forget the pod writes before position `upto` (every consumer has read them).
    pub fn compact_pod_log(&mut self, upto: u64) {
        self.pod_log.compact(upto);
    }

    /// Note a write of `kind` at `key`.
    fn changed(&mut self, kind: GroupKind, key: &Key) {
        self.version += 1;
        self.kind_versions[kind as usize] += 1;
        if kind == GroupKind::Pod {
            self.pod_log.push(key.clone());
        }
    }

    // ----- Listers -----

    /// Every object of type `T`, in namespace/name order.
    pub fn list<T: Resource>(&self) -> impl Iterator<Item = &T> + '_ {
        self.objects[T::KIND as usize].values().filter_map(T::of)
    }

    /// Every object of type `T` with its key, in namespace/name order.
    pub fn entries<T: Resource>(&self) -> impl Iterator<Item = (&Key, &T)> + '_ {
        self.objects[T::KIND as usize].iter().filter_map(|(k, o)| Some((k, T::of(o)?)))
    }

    /// The objects of type `T` in one namespace, in name order.
    pub fn list_in<'a, T: Resource>(&'a self, namespace: &'a str) -> impl Iterator<Item = &'a T> + 'a {
        self.objects[T::KIND as usize].in_namespace(namespace).filter_map(|(_, o)| T::of(o))
    }

    /// Every object of a built-in `kind`, in namespace/name order.
    pub fn objects_of(&self, kind: GroupKind) -> impl Iterator<Item = &Object> + '_ {
        self.objects[kind as usize].values()
    }

    /// The objects of `kind` in one namespace, in name order (quota counts any kind).
    pub fn objects_in<'a>(&'a self, kind: GroupKind, namespace: &'a str) -> impl Iterator<Item = &'a Object> + 'a {
        self.objects[kind as usize].in_namespace(namespace).map(|(_, o)| o)
    }

    /// The keys of every object of `kind`, in namespace/name order.
    pub fn keys(&self, kind: GroupKind) -> impl Iterator<Item = &Key> + '_ {
        self.objects[kind as usize].keys()
    }

    /// The object of type `T` with this namespace (ignored for cluster-scoped kinds) and name.
    pub fn get<T: Resource>(&self, namespace: &str, name: &str) -> Option<&T> {
        self.object(T::KIND, namespace, name).and_then(T::of)
    }

    /// The object of type `T` stored under `key` (cluster-scoped kinds: an empty namespace).
    pub fn by_key<T: Resource>(&self, key: &Key) -> Option<&T> {
        self.objects[T::KIND as usize].get_key(key).and_then(T::of)
    }

    /// The pod stored under `key`, shared: a reader that keeps it takes a reference, not a copy (see
    /// [`crate::api::Held`]).
    pub fn shared_pod(&self, key: &Key) -> Option<&Arc<Pod>> {
        match self.objects[GroupKind::Pod as usize].get_key(key)? {
            Object::Pod(p) => Some(p),
            _ => None,
        }
    }

    /// The pods of one namespace, shared, in name order.
    pub fn shared_pods_in<'a>(&'a self, namespace: &'a str) -> impl Iterator<Item = &'a Arc<Pod>> + 'a {
        self.objects_in(GroupKind::Pod, namespace).filter_map(|o| match o {
            Object::Pod(p) => Some(p),
            _ => None,
        })
    }

    /// Every pod, shared, in namespace/name order.
    pub fn shared_pods(&self) -> impl Iterator<Item = &Arc<Pod>> + '_ {
        self.objects_of(GroupKind::Pod).filter_map(|o| match o {
            Object::Pod(p) => Some(p),
            _ => None,
        })
    }

    /// The object of `kind` with this namespace (ignored for cluster-scoped kinds) and name.
    pub fn object(&self, kind: GroupKind, namespace: &str, name: &str) -> Option<&Object> {
        let (namespace, name) = place(kind, namespace, name);
        self.objects[kind as usize].get(namespace, name)
    }

    pub fn exists(&self, kind: GroupKind, namespace: &str, name: &str) -> bool {
        self.object(kind, namespace, name).is_some()
    }

    /// How many objects of `kind` there are.
    pub fn count(&self, kind: GroupKind) -> usize {
        self.objects[kind as usize].len()
    }

    /// The stored object with `obj`'s kind, namespace and name, custom resources included.
    pub fn find(&self, obj: &Object) -> Option<&Object> {
        let m = obj.meta();
        match obj {
            Object::CustomResource(_) => {
                lookup(self.custom.get(&obj.qualified_kind())?, &m.namespace, &m.name)
            }
            _ => self.object(obj.group_kind(), &m.namespace, &m.name),
        }
    }

    /// Every custom resource, by qualified kind, then namespace and name.
    pub fn custom_resources(&self) -> impl Iterator<Item = &Object> + '_ {
        self.custom.values().flat_map(BTreeMap::values)
    }

    // ----- Writes (the API server's write path only) -----

    /// Store an object (create or replace) and return it as stored, with its `resourceVersion`. The one
    /// resourceVersion rule, as etcd keeps it: every write is a new revision of the whole store, and the object
    /// written takes that revision as its version, newer than any handed out before.
    pub fn put(&mut self, mut obj: Object) -> &Object {
        obj.meta_mut().resource_version = (self.version + 1).to_string();
        self.put_as_is(obj)
    }

    /// [`Store::put`] unless the stored object is `obj` already (its `resourceVersion` aside), which a write
    /// that changes nothing leaves as it is. Either way, the object as stored.
    pub fn put_changed(&mut self, mut obj: Object) -> &Object {
        let unchanged = match self.find(&obj) {
            Some(old) => {
                obj.meta_mut().resource_version.clone_from(&old.meta().resource_version);
                same_object(old, &obj)
            }
            None => false,
        };
        if !unchanged {
            return self.put(obj);
        }
        let kind = obj.group_kind();
        if kind == GroupKind::CustomResource {
            return self.put_custom(obj);
        }
        let key = key_for(kind, &obj.meta().namespace, &obj.meta().name);
        self.objects[kind as usize].stored_or_put(key, obj)
    }

    /// Store a custom resource as given. No controller follows custom resources, and the indexes are of
    /// built-in kinds, so this is the write alone.
    fn put_custom(&mut self, obj: Object) -> &Object {
        let key = (if obj.namespaced() { obj.meta().namespace.clone() } else { String::new() }, obj.meta().name.clone());
        match self.custom.entry(obj.qualified_kind()).or_default().entry(key) {
            Entry::Occupied(mut stored) => {
                stored.insert(obj);
                stored.into_mut()
            }
            Entry::Vacant(slot) => slot.insert(obj),
        }
    }

    /// Write the spec and status of the pod at `key` through `change`, as [`Store::put`] of the changed pod
    /// would: the next `resourceVersion`, the write logged, the indexes kept. The owner index reads only the
    /// metadata, which `change` cannot reach. The stored pod is changed in place when no reader shares it
    /// (`Arc::make_mut`) and copied first when one does, so a reader never sees it change: a pod the scheduler
    /// has let go of is bound without a copy of it. Unlike [`Store::put_changed`], a write that changes nothing
    /// is still a write (there is no old version left to compare with): for changes that are real, as a binding's
    /// `nodeName` is. `None` when no pod is stored there.
    pub fn update_pod(&mut self, key: &Key, change: impl FnOnce(&mut PodSpec, &mut PodStatus)) -> Option<&Arc<Pod>> {
        self.write_pod(key, change, PodWrite::InPlace)
    }

    /// [`Store::update_pod`], storing the changed pod as a new object, as the API server stores the object a write
    /// decodes, rather than changing the stored one. For the kubelet's status writes: a pod is long-lived from its
    /// start on, and the object the controllers made sits among the allocations its creation freed; its new
    /// version is packed apart from them. mixed-5k-150k peaks 240 MiB (13%) higher when the kubelet writes in
    /// place, for 8% less CPU (benches/README.md, "Pod records in the scheduler's snapshot").
    pub fn rewrite_pod(&mut self, key: &Key, change: impl FnOnce(&mut PodSpec, &mut PodStatus)) -> Option<&Arc<Pod>> {
        self.write_pod(key, change, PodWrite::NewObject)
    }

    fn write_pod(&mut self, key: &Key, change: impl FnOnce(&mut PodSpec, &mut PodStatus), how: PodWrite) -> Option<&Arc<Pod>> {
        let version = (self.version + 1).to_string();
        let Some(Object::Pod(stored)) = self.objects[GroupKind::Pod as usize].get_key_mut(key) else { return None };
        let was_unbound = stored.spec.node_name.is_empty();
        let was_admitted: Vec<bool> = self.pod_indexes.iter().map(|i| (i.admits)(stored)).collect();
        if how == PodWrite::NewObject {
            *stored = Arc::new(Pod::clone(stored));
        }
        let pod = Arc::make_mut(stored);
        change(&mut pod.spec, &mut pod.status);
        pod.metadata.resource_version = version;
        update_set(&mut self.unbound, key, was_unbound, pod.spec.node_name.is_empty());
        for (index, was) in self.pod_indexes.iter_mut().zip(was_admitted) {
            let is = (index.admits)(pod);
            update_set(&mut index.keys, key, was, is);
        }
        self.changed(GroupKind::Pod, key);
        self.shared_pod(key)
    }

    /// Store an object exactly as given, its `resourceVersion` included (unit tests restoring a stored state).
    pub(crate) fn put_as_is(&mut self, obj: Object) -> &Object {
        let kind = obj.group_kind();
        let key = key_for(kind, &obj.meta().namespace, &obj.meta().name);
        self.changed(kind, &key);
        if kind == GroupKind::CustomResource {
            return self.put_custom(obj);
        }
        let old = self.objects[kind as usize].take(&key);
        self.index(kind, &key, old.as_ref(), Some(&obj));
        self.objects[kind as usize].put(key, obj)
    }

    /// Remove an object; returns it if it existed.
    pub fn remove(&mut self, kind: GroupKind, namespace: &str, name: &str) -> Option<Object> {
        let key = key_for(kind, namespace, name);
        let removed = self.objects[kind as usize].remove(&key)?;
        self.index(kind, &key, Some(&removed), None);
        self.changed(kind, &key);
        Some(removed)
    }

    // ----- Indexes -----

    /// Keep the indexes right as the object of `kind` at `key` goes from `old` to `new`.
    fn index(&mut self, kind: GroupKind, key: &Key, old: Option<&Object>, new: Option<&Object>) {
        self.index_owners(kind, key, old.map(Object::meta), new.map(Object::meta));
        if kind == GroupKind::Pod {
            self.index_pod(key, old.and_then(Pod::of), new.and_then(Pod::of));
        }
    }

    fn index_owners(&mut self, kind: GroupKind, key: &Key, old: Option<&ObjectMeta>, new: Option<&ObjectMeta>) {
        let uids = |m: Option<&ObjectMeta>| -> BTreeSet<String> {
            m.map(|m| m.owner_references.iter().map(|r| r.uid.clone()).collect()).unwrap_or_default()
        };
        let same = match (old, new) {
            (Some(a), Some(b)) => a.owner_references == b.owner_references,
            (None, None) => true,
            _ => false,
        };
        if same {
            return;
        }
        let (was, is) = (uids(old), uids(new));
        for uid in was.difference(&is) {
            if let Some(set) = self.dependents.get_mut(uid) {
                set.remove(&(kind, key.clone()));
                if set.is_empty() {
                    self.dependents.remove(uid);
                }
            }
        }
        for uid in is.difference(&was) {
            self.dependents.entry(uid.clone()).or_default().insert((kind, key.clone()));
        }
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

    fn unindex(&mut self, uid: &str, key: &Key) {
        if let Some(set) = self.by_controller.get_mut(uid) {
            set.remove(key);
            if set.is_empty() {
                self.by_controller.remove(uid);
            }
        }
    }

    /// The objects with an owner reference to `uid`, by kind, then namespace and name.
    pub fn dependents(&self, uid: &str) -> Vec<(GroupKind, Key)> {
        self.dependents.get(uid).map(|set| set.iter().cloned().collect()).unwrap_or_default()
    }

    /// Pods without a node, in namespace/name order.
    pub fn unbound_pods(&self) -> impl Iterator<Item = (&Key, &Pod)> + '_ {
        self.unbound.iter().filter_map(|k| Some((k, self.by_key(k)?)))
    }

    /// Keep, from now on, the set of pods that `admits` takes (client-go's indexers, which an informer's
    /// consumer registers): an actor that acts on few of many pods reads its set instead of every pod. A filter
    /// asked for again (an actor resumed on the same store) gets the index it already has.
    pub fn add_pod_index(&mut self, admits: fn(&Pod) -> bool) -> PodIndex {
        if let Some(at) = self.pod_indexes.iter().position(|i| std::ptr::fn_addr_eq(i.admits, admits)) {
            return PodIndex(at);
        }
        let keys = self.entries::<Pod>().filter(|(_, p)| admits(p)).map(|(k, _)| k.clone()).collect();
        self.pod_indexes.push(FilteredPods { admits, keys });
        PodIndex(self.pod_indexes.len() - 1)
    }

    /// The pods of an index ([`Store::add_pod_index`]), in namespace/name order.
    pub fn indexed_pods(&self, index: PodIndex) -> impl Iterator<Item = (&Key, &Pod)> + '_ {
        let keys = self.pod_indexes.get(index.0).map(|i| &i.keys);
        keys.into_iter().flatten().filter_map(|k| Some((k, self.by_key(k)?)))
    }

    /// The pods of `namespace` whose controlling owner has `uid` (`""`: the pods without one), in name order.
    pub fn controlled_pods<'a>(&'a self, namespace: &'a str, uid: &str) -> impl Iterator<Item = &'a Arc<Pod>> + 'a {
        let set = self.by_controller.get(uid);
        set.into_iter()
            .flat_map(move |s| s.range((namespace.to_owned(), String::new())..).take_while(move |(ns, _)| ns == namespace))
            .filter_map(|k| self.shared_pod(k))
    }

    /// What `ClaimPods` of the controller with `uid` can take in `namespace`: the pods it controls and those no
    /// controller owns, together in name order, as [`Store::pods_in`] would list them without the pods of other
    /// controllers.
    pub fn claimable_pods<'a>(&'a self, namespace: &'a str, uid: &'a str) -> Box<dyn Iterator<Item = &'a Arc<Pod>> + 'a> {
        // Following the index costs a map lookup per pod; walking the namespace costs a step per pod. When the
        // index holds most pods (a DaemonSet over 100,000 nodes owns nearly all of them), walking is cheaper.
        let size = |u: &str| self.by_controller.get(u).map_or(0, BTreeSet::len);
        let listed = size("") + if uid.is_empty() { 0 } else { size(uid) };
        if 2 * listed > self.count(GroupKind::Pod) {
            return Box::new(self.shared_pods_in(namespace).filter(move |p| {
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
        Object::Pod(Arc::new(p))
    }

    /// The filter of a pod index the tests register.
    fn running(p: &Pod) -> bool {
        p.status.phase == "Running"
    }

    fn claimable(s: &Store, uid: &str) -> Vec<String> {
        s.claimable_pods("default", uid).map(|p| p.metadata.name.clone()).collect()
    }

    #[test]
    fn the_pod_log_gives_what_was_written_since_a_position_until_compacted() {
        let mut s = Store::new();
        let start = s.pod_log().end();
        s.put(pod("a", None));
        s.put(pod("b", None));
        let mid = s.pod_log().end();
        s.put(pod("a", Some("u1")));
        s.remove(GroupKind::Pod, "default", "b");
        let names = |keys: &[Key]| keys.iter().map(|k| k.1.clone()).collect::<Vec<_>>();
        assert_eq!(names(s.pod_log().since(start).unwrap()), ["a", "b", "a", "b"]);
        let distinct: Vec<Key> = s.pod_log().distinct_since(start).unwrap().into_iter().cloned().collect();
        assert_eq!(names(&distinct), ["a", "b"], "each once, in the order of its first write");
        assert_eq!(names(s.pod_log().since(mid).unwrap()), ["a", "b"]);
        assert_eq!(s.pod_log().since(s.pod_log().end()).unwrap().len(), 0);
        s.compact_pod_log(mid);
        assert!(s.pod_log().since(start).is_none(), "compacted away: the reader rebuilds");
        assert_eq!(s.pod_log().since(mid).unwrap().len(), 2);
        // Only pods are logged; other kinds count in their own version.
        let nodes = s.kind_version(GroupKind::Node);
        let mut n = crate::api::core_v1::Node::default();
        n.metadata.name = "n1".into();
        s.put(Object::Node(Arc::new(n)));
        assert_eq!(s.kind_version(GroupKind::Node), nodes + 1);
        assert_eq!(s.pod_log().since(mid).unwrap().len(), 2);
    }

    #[test]
    fn unbound_and_registered_indexes_follow_binding_and_phase() {
        let mut s = Store::new();
        s.put(pod("a", None));
        let started = s.add_pod_index(running);
        assert_eq!(s.add_pod_index(running), started, "one index per filter");
        s.put(pod("b", None));
        let unbound = |s: &Store| s.unbound_pods().map(|(k, _)| k.1.clone()).collect::<Vec<_>>();
        let running = |s: &Store| s.indexed_pods(started).map(|(k, _)| k.1.clone()).collect::<Vec<_>>();
        assert_eq!(unbound(&s), ["a", "b"]);
        assert!(running(&s).is_empty());
        let mut a = s.get::<Pod>("default", "a").cloned().expect("pod a");
        a.spec.node_name = "n1".into();
        a.status.phase = "Running".into();
        s.put(a.clone().into_object());
        assert_eq!(unbound(&s), ["b"]);
        assert_eq!(running(&s), ["a"], "a pod written after the index was added");
        let late = s.add_pod_index(|p| !p.spec.node_name.is_empty());
        assert_eq!(s.indexed_pods(late).count(), 1, "an index added late takes in the pods already stored");
        a.status.phase = "Succeeded".into();
        s.put(a.into_object());
        assert!(running(&s).is_empty());
        s.remove(GroupKind::Pod, "default", "a");
        s.remove(GroupKind::Pod, "default", "b");
        assert!(unbound(&s).is_empty() && s.indexed_pods(late).next().is_none());
    }

    #[test]
    fn a_pod_updated_in_place_is_a_write_and_a_shared_version_is_left_as_it_was() {
        let mut s = Store::new();
        s.put(pod("a", None));
        let started = s.add_pod_index(running);
        let key = ("default".to_string(), "a".to_string());
        let log = s.pod_log().end();
        let held = Arc::clone(s.shared_pod(&key).expect("pod a"));
        let bound = s.update_pod(&key, |spec, _| spec.node_name = "n1".into()).map(Arc::clone).expect("stored");
        assert!(held.spec.node_name.is_empty(), "the version a reader holds does not change");
        assert_eq!(bound.spec.node_name, "n1");
        assert_eq!(bound.metadata.resource_version, s.version.to_string(), "a new resourceVersion, the store's");
        assert!(s.unbound_pods().next().is_none());
        assert_eq!(s.pod_log().since(log).expect("logged").len(), 1);
        drop((held, bound));
        let before = Arc::as_ptr(s.shared_pod(&key).expect("pod a"));
        let started_pod = s.update_pod(&key, |_, status| status.phase = "Running".into()).expect("stored");
        assert_eq!(Arc::as_ptr(started_pod), before, "no reader shares it: changed in place");
        assert_eq!(s.indexed_pods(started).map(|(k, _)| k.1.clone()).collect::<Vec<_>>(), ["a"]);
        assert!(s.update_pod(&("default".to_string(), "gone".to_string()), |_, _| {}).is_none());
    }

    #[test]
    fn a_rewritten_pod_is_a_new_object_and_the_same_write() {
        let mut s = Store::new();
        s.put(pod("a", None));
        let started = s.add_pod_index(running);
        let key = ("default".to_string(), "a".to_string());
        s.update_pod(&key, |spec, _| spec.node_name = "n1".into());
        let (log, before) = (s.pod_log().end(), Arc::as_ptr(s.shared_pod(&key).expect("pod a")));
        let rewritten = s.rewrite_pod(&key, |_, status| status.phase = "Running".into()).map(Arc::clone).expect("stored");
        assert_ne!(Arc::as_ptr(&rewritten), before, "stored as a new object though no reader shares it");
        assert_eq!((rewritten.spec.node_name.as_str(), rewritten.status.phase.as_str()), ("n1", "Running"));
        assert_eq!(rewritten.metadata.resource_version, s.version.to_string());
        assert_eq!(s.pod_log().since(log).expect("logged").len(), 1);
        assert_eq!(s.indexed_pods(started).map(|(k, _)| k.1.clone()).collect::<Vec<_>>(), ["a"], "the indexes kept");
        assert!(s.rewrite_pod(&("default".to_string(), "gone".to_string()), |_, _| {}).is_none());
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

    #[test]
    fn dependents_follow_every_owner_reference_of_every_kind() {
        let mut s = Store::new();
        s.put(pod("a", Some("u1")));
        let mut rs = crate::api::apps_v1::ReplicaSet::default();
        rs.metadata.namespace = "default".into();
        rs.metadata.name = "r".into();
        for uid in ["u1", "u2"] {
            rs.metadata.owner_references.push(OwnerReference { uid: uid.into(), ..Default::default() });
        }
        s.put(rs.clone().into_object());
        let key = |name: &str| ("default".to_owned(), name.to_owned());
        assert_eq!(s.dependents("u1"), [(GroupKind::Pod, key("a")), (GroupKind::ReplicaSet, key("r"))]);
        assert_eq!(s.dependents("u2"), [(GroupKind::ReplicaSet, key("r"))], "not only the controller's");
        rs.metadata.owner_references.retain(|r| r.uid != "u1");
        s.put(rs.into_object());
        s.remove(GroupKind::Pod, "default", "a");
        assert!(s.dependents("u1").is_empty());
        assert_eq!(s.dependents("u2").len(), 1);
    }

    #[test]
    fn keys_compare_as_strs_do_with_empty_strings_first() {
        let words = ["", "", "a", "ab", "b", "default", "kube-system", "n-0001", "n-0002"];
        for a in words {
            for b in words {
                assert_eq!(cmp_str(a, b), a.cmp(b), "{a:?} against {b:?}");
                assert_eq!(same_str(a, b), a == b, "{a:?} against {b:?}");
            }
        }
        let key = |ns: &str, name: &str| (ns.to_owned(), name.to_owned());
        let mut keys = vec![key("default", "a"), key("", "n-2"), key("", "n-1"), key("a", ""), key("", "")];
        keys.sort_by(|a, b| (a as &dyn KeyRef).cmp(b as &dyn KeyRef));
        let mut expected = keys.clone();
        expected.sort();
        assert_eq!(keys, expected, "the store's order is the tuples' own");
    }

    #[test]
    fn a_write_of_a_node_stored_under_the_empty_namespace_finds_and_replaces_it() {
        let mut s = Store::new();
        let mut n = crate::api::core_v1::Node::default();
        n.metadata.name = "n1".into();
        s.put(Object::Node(Arc::new(n.clone())));
        let version = s.version();
        s.put_changed(Object::Node(Arc::new(n.clone())));
        assert_eq!(s.version(), version, "an unchanged write is no new revision");
        n.metadata.labels.insert("zone".into(), "a".into());
        let stored = s.put_changed(Object::Node(Arc::new(n)));
        assert_eq!(stored.meta().labels.get("zone").map(String::as_str), Some("a"));
        assert_eq!(s.version(), version + 1);
        assert_eq!(s.count(GroupKind::Node), 1);
        assert!(s.get::<crate::api::core_v1::Node>("ignored for nodes", "n1").is_some());
    }

    #[test]
    fn a_pod_write_that_keeps_its_node_and_phase_but_changes_the_rest_is_stored() {
        let mut s = Store::new();
        s.put(pod("a", None));
        let version = s.version();
        let Object::Pod(p) = pod("a", None) else { unreachable!() };
        let mut p = Arc::unwrap_or_clone(p);
        s.put_changed(Object::Pod(Arc::new(p.clone())));
        assert_eq!(s.version(), version, "the same pod again changes nothing");
        p.metadata.labels.insert("app".into(), "web".into());
        s.put_changed(Object::Pod(Arc::new(p.clone())));
        assert_eq!(s.version(), version + 1, "a label is a change though node and phase are the same");
        p.spec.node_name = "n1".into();
        s.put_changed(Object::Pod(Arc::new(p)));
        assert_eq!(s.version(), version + 2);
        assert_eq!(s.get::<Pod>("default", "a").map(|p| p.spec.node_name.as_str()), Some("n1"));
    }
}
