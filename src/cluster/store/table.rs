//! The objects of one kind: listed in namespace/name order, looked up by hash.
//!
//! A `BTreeMap<Key, Object>` gives the order the listers promise, but every lookup in it compares the key with
//! some twenty stored keys, and the actors look objects up far more often than they list them (on a plan of
//! 5,000 nodes, about two million lookups). A [`Table`] keeps the objects in slots, the order as a map from key
//! to slot, and a hash index from key to slot: a lookup, and the write of an object already stored (a pod bound,
//! started, its status written), compares one stored key; only creating and removing walk the ordered map. Keys
//! are compared without `memcmp` for empty strings ([`super::cmp_str`]).

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::ops::Bound;

use crate::api::Object;
use crate::hash::HashMap;

use super::{Key, KeyRef};

/// The objects of one kind by namespace and name (cluster-scoped kinds under an empty namespace).
#[derive(Clone, Debug, Default)]
pub(super) struct Table {
    /// Every key, in namespace/name order, with its slot.
    order: BTreeMap<Ordered, u32>,
    /// Every key's slot, for lookups, in the engine's fixed-seed map (`crate::hash`: keys are short names; the
    /// index's iteration order is never read, only its lookups).
    at: HashMap<Key, u32>,
    /// The objects; a removed object's slot is `None` until a new key takes it.
    slots: Vec<Option<Object>>,
    /// Slots left by removed objects.
    free: Vec<u32>,
}

impl Table {
    /// How many objects there are.
    pub(super) fn len(&self) -> usize {
        self.order.len()
    }

    /// The object stored under `namespace`/`name`.
    pub(super) fn get(&self, namespace: &str, name: &str) -> Option<&Object> {
        let slot = *self.at.get(&(namespace, name) as &dyn KeyRef)?;
        self.slot(slot)
    }

    /// The object stored under `key`.
    pub(super) fn get_key(&self, key: &Key) -> Option<&Object> {
        self.slot(self.slot_of(key)?)
    }

    /// The object stored under `key`, to change in place.
    pub(super) fn get_key_mut(&mut self, key: &Key) -> Option<&mut Object> {
        let slot = self.slot_of(key)?;
        self.slots.get_mut(slot as usize)?.as_mut()
    }

    /// Every object with its key, in namespace/name order.
    pub(super) fn iter(&self) -> impl DoubleEndedIterator<Item = (&Key, &Object)> + '_ {
        self.order.iter().filter_map(|(k, &slot)| Some((&k.0, self.slot(slot)?)))
    }

    /// Every object, in namespace/name order.
    pub(super) fn values(&self) -> impl DoubleEndedIterator<Item = &Object> + '_ {
        self.iter().map(|(_, o)| o)
    }

    /// Every key, in namespace/name order.
    pub(super) fn keys(&self) -> impl Iterator<Item = &Key> + '_ {
        self.order.keys().map(|k| &k.0)
    }

    /// The objects of `namespace`, with their keys, in name order.
    pub(super) fn in_namespace<'a>(&'a self, namespace: &'a str) -> impl Iterator<Item = (&'a Key, &'a Object)> + 'a {
        let start = (namespace, "");
        let from = (Bound::Included(&start as &dyn KeyRef), Bound::Unbounded);
        self.order
            .range::<dyn KeyRef, _>(from)
            .take_while(move |(k, _)| super::same_str(&k.0 .0, namespace))
            .filter_map(|(k, &slot)| Some((&k.0, self.slot(slot)?)))
    }

    /// Take the object stored under `key` out, keeping its place for the [`Table::put`] that follows (a write
    /// that replaces it): the indexes compare the old object with the new one before the new one is stored.
    pub(super) fn take(&mut self, key: &Key) -> Option<Object> {
        let slot = self.slot_of(key)?;
        self.slots.get_mut(slot as usize)?.take()
    }

    /// Store `obj` under `key`, in the place of the object stored there (or taken out) before, if any.
    pub(super) fn put(&mut self, key: Key, obj: Object) -> &Object {
        let slot = self.slot_for(key);
        self.slots[slot as usize].insert(obj)
    }

    /// The object stored under `key`; `obj` is stored there only when there is none (a write that changes
    /// nothing leaves the stored object as it is).
    pub(super) fn stored_or_put(&mut self, key: Key, obj: Object) -> &Object {
        let slot = self.slot_for(key);
        self.slots[slot as usize].get_or_insert(obj)
    }

    /// Remove the object stored under `key`; its slot goes to the next new key.
    pub(super) fn remove(&mut self, key: &Key) -> Option<Object> {
        let slot = self.at.remove(key as &dyn KeyRef)?;
        self.order.remove(key as &dyn KeyRef);
        self.free.push(slot);
        self.slots.get_mut(slot as usize)?.take()
    }

    /// The slot of `key`, a new one when it is not stored yet.
    fn slot_for(&mut self, key: Key) -> u32 {
        match self.slot_of(&key) {
            Some(slot) => slot,
            None => self.new_slot(key),
        }
    }

    /// A slot for a key not stored yet, entered in the order and the index.
    fn new_slot(&mut self, key: Key) -> u32 {
        let slot = self.free.pop().unwrap_or_else(|| {
            self.slots.push(None);
            u32::try_from(self.slots.len() - 1).unwrap_or(u32::MAX)
        });
        self.order.insert(Ordered(key.clone()), slot);
        self.at.insert(key, slot);
        slot
    }

    fn slot_of(&self, key: &Key) -> Option<u32> {
        self.at.get(key as &dyn KeyRef).copied()
    }

    fn slot(&self, slot: u32) -> Option<&Object> {
        self.slots.get(slot as usize)?.as_ref()
    }
}

/// A key as the ordered map keeps it: compared as [`KeyRef`]s are, which `Key`'s own order would do through
/// `memcmp` even for the empty namespace of cluster-scoped objects (see [`super::cmp_str`]).
#[derive(Clone, Debug)]
struct Ordered(Key);

impl<'a> Borrow<dyn KeyRef + 'a> for Ordered {
    fn borrow(&self) -> &(dyn KeyRef + 'a) {
        &self.0
    }
}

impl PartialEq for Ordered {
    fn eq(&self, other: &Self) -> bool {
        (&self.0 as &dyn KeyRef) == (&other.0 as &dyn KeyRef)
    }
}

impl Eq for Ordered {}

impl PartialOrd for Ordered {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ordered {
    fn cmp(&self, other: &Self) -> Ordering {
        (&self.0 as &dyn KeyRef).cmp(&other.0 as &dyn KeyRef)
    }
}

/// Hashes a borrowed key as `Key`'s own `Hash` does (the namespace, then the name), so that the index can be
/// searched without building a `Key`.
impl Hash for dyn KeyRef + '_ {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let (namespace, name) = self.parts();
        namespace.hash(state);
        name.hash(state);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use crate::api::core_v1::Pod;

    fn pod(name: &str) -> Object {
        let mut p = Pod::default();
        p.metadata.namespace = "default".into();
        p.metadata.name = name.into();
        Object::Pod(Arc::new(p))
    }

    fn key(ns: &str, name: &str) -> Key {
        (ns.to_owned(), name.to_owned())
    }

    fn names(t: &Table) -> Vec<String> {
        t.values().map(|o| o.meta().name.clone()).collect()
    }

    #[test]
    fn lists_in_key_order_and_finds_by_borrowed_or_owned_key() {
        let mut t = Table::default();
        for name in ["c", "a", "b"] {
            t.put(key("default", name), pod(name));
        }
        t.put(key("a-ns", "z"), pod("z"));
        assert_eq!(names(&t), ["z", "a", "b", "c"]);
        assert_eq!(t.get("default", "b").map(|o| o.meta().name.as_str()), Some("b"));
        assert!(t.get("default", "z").is_none(), "the namespace is part of the key");
        assert!(t.get_key(&key("a-ns", "z")).is_some());
        let in_default: Vec<_> = t.in_namespace("default").map(|(k, _)| k.1.clone()).collect();
        assert_eq!(in_default, ["a", "b", "c"]);
        assert_eq!(t.len(), 4);
    }

    #[test]
    fn a_replaced_object_keeps_its_place_and_a_removed_ones_slot_is_reused() {
        let mut t = Table::default();
        for name in ["a", "b", "c"] {
            t.put(key("default", name), pod(name));
        }
        let old = t.take(&key("default", "b")).expect("b stored");
        assert_eq!(old.meta().name, "b");
        assert_eq!(names(&t), ["a", "c"], "a taken object is not listed until it is put back");
        let mut new = pod("b");
        new.meta_mut().resource_version = "7".into();
        t.put(key("default", "b"), new);
        assert_eq!(names(&t), ["a", "b", "c"]);
        assert_eq!(t.get("default", "b").map(|o| o.meta().resource_version.as_str()), Some("7"));
        assert_eq!(t.remove(&key("default", "a")).map(|o| o.meta().name.clone()), Some("a".to_owned()));
        assert!(t.remove(&key("default", "a")).is_none());
        t.put(key("default", "d"), pod("d"));
        assert_eq!(t.slots.len(), 3, "the new key took the removed one's slot");
        assert_eq!(names(&t), ["b", "c", "d"]);
        assert!(t.get("default", "a").is_none());
        assert_eq!(t.len(), 3);
    }

    #[test]
    fn a_borrowed_key_hashes_as_the_owned_one() {
        use std::hash::BuildHasher;
        let state = foldhash::fast::FixedState::default();
        let borrowed = state.hash_one(&("default", "x") as &dyn KeyRef);
        assert_eq!(state.hash_one(key("default", "x")), borrowed);
        assert_ne!(state.hash_one(&("ab", "c") as &dyn KeyRef), state.hash_one(&("a", "bc") as &dyn KeyRef));
    }
}
