//! `framework.CycleState`: what the plugins compute for one pod in one scheduling cycle — each plugin's PreFilter
//! and PreScore state, keyed by its type — and which plugins' Filter and Score the cycle skips.
//!
//! Preemption's dry runs and the nominated pods' checks work on clones (`CycleState.Clone`), moving pods through
//! the PreFilter extensions without touching the cycle's own state.

use std::any::{Any, TypeId};
use std::fmt;

use super::status::Status;
use super::types::{NodeInfo, PodInfo, PodRecord};

/// State a plugin keeps in the cycle (`framework.StateData`): any cloneable value.
pub trait StateData: Any + fmt::Debug {
    fn clone_box(&self) -> Box<dyn StateData>;
    fn as_any(&self) -> &dyn Any;
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

impl<T: Any + Clone + fmt::Debug> StateData for T {
    fn clone_box(&self) -> Box<dyn StateData> {
        Box::new(self.clone())
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// A set of the profile's plugins, by their position in the profile ([`super::runtime::Framework`]). The
/// in-tree registry has fewer than 64 plugins, and a profile instantiates each at most once.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PluginSet(u64);

impl PluginSet {
    pub fn insert(&mut self, plugin: usize) {
        self.0 |= 1 << plugin;
    }

    pub fn contains(self, plugin: usize) -> bool {
        self.0 & (1 << plugin) != 0
    }
}

#[derive(Debug, Default)]
pub struct CycleState {
    data: Vec<(TypeId, Box<dyn StateData>)>,
    /// `SkipFilterPlugins`: plugins whose PreFilter returned Skip.
    pub skip_filter: PluginSet,
    /// `SkipScorePlugins`: plugins whose PreScore returned Skip.
    pub skip_score: PluginSet,
}

impl Clone for CycleState {
    fn clone(&self) -> Self {
        CycleState {
            data: self.data.iter().map(|(k, v)| (*k, (**v).clone_box())).collect(),
            skip_filter: self.skip_filter,
            skip_score: self.skip_score,
        }
    }
}

impl CycleState {
    /// `CycleState.Write`: store (or replace) the state of type `T`.
    pub fn write<T: StateData>(&mut self, value: T) {
        let key = TypeId::of::<T>();
        match self.data.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => *v = Box::new(value),
            None => self.data.push((key, Box::new(value))),
        }
    }

    /// `CycleState.Read`: the state of type `T`, if a plugin wrote one.
    pub fn read<T: StateData>(&self) -> Option<&T> {
        let key = TypeId::of::<T>();
        self.data.iter().find(|(k, _)| *k == key).and_then(|(_, v)| (**v).as_any().downcast_ref())
    }

    /// The state of type `T`, to update it (the PreFilter extensions AddPod and RemovePod).
    pub fn read_mut<T: StateData>(&mut self) -> Option<&mut T> {
        let key = TypeId::of::<T>();
        self.data.iter_mut().find(|(k, _)| *k == key).and_then(|(_, v)| (**v).as_any_mut().downcast_mut())
    }

    /// The usual end of a PreFilter or PreScore: the state written, or Skip when the plugin has nothing to do
    /// for the pod.
    pub fn write_or_skip<T: StateData>(&mut self, value: Option<T>) -> Result<(), Status> {
        match value {
            Some(v) => {
                self.write(v);
                Ok(())
            }
            None => Err(Status::skip()),
        }
    }

    /// The PreFilter extensions of a plugin whose state counts other pods: `changed` joins (`delta` 1) or
    /// leaves (−1) `node` while `pod` is being scheduled.
    pub fn update_with_pod<T: CountsPods>(&mut self, changed: &PodRecord, pod: &PodInfo, node: &NodeInfo, delta: i64) {
        if let Some(s) = self.read_mut::<T>() {
            s.update_with_pod(changed, pod, node, delta);
        }
    }
}

/// A PreFilter state that counts pods, kept in step with pods added to and removed from nodes (preemption's
/// dry runs, nominated pods).
pub trait CountsPods: StateData {
    fn update_with_pod(&mut self, changed: &PodRecord, pod: &PodInfo, node: &NodeInfo, delta: i64);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Debug, PartialEq)]
    struct A(u32);
    #[derive(Clone, Debug, PartialEq)]
    struct B(&'static str);

    #[test]
    fn states_are_kept_by_type_and_cloned_apart() {
        let mut s = CycleState::default();
        s.write(A(1));
        s.write(B("x"));
        s.write(A(2));
        assert_eq!(s.read::<A>(), Some(&A(2)));
        let mut copy = s.clone();
        copy.read_mut::<A>().unwrap().0 = 3;
        assert_eq!((s.read::<A>(), copy.read::<A>()), (Some(&A(2)), Some(&A(3))));
        assert_eq!(s.read::<u8>(), None);
    }

    #[test]
    fn plugin_sets() {
        let mut p = PluginSet::default();
        p.insert(0);
        p.insert(17);
        assert!(p.contains(17) && p.contains(0) && !p.contains(1));
    }
}
