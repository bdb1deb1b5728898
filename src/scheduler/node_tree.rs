//! The scheduler's node order (`pkg/scheduler/backend/cache/node_tree.go`): nodes grouped by zone, zones in the
//! order their first node arrived, and the list interleaved zone by zone so that sampling a fraction of nodes
//! still spreads over zones.

use crate::api::core_v1::Node;
use crate::hash::HashMap;
use crate::helpers::zone_key;

#[derive(Clone, Debug, Default)]
pub struct NodeTree {
    zones: Vec<(String, Vec<String>)>,
    /// Node name -> its zone key.
    members: HashMap<String, String>,
}

impl NodeTree {
    pub fn add(&mut self, node: &Node) {
        let name = &node.metadata.name;
        if self.members.contains_key(name) {
            return;
        }
        let zone = zone_key(node);
        self.members.insert(name.clone(), zone.clone());
        match self.zones.iter_mut().find(|(z, _)| *z == zone) {
            Some((_, nodes)) => nodes.push(name.clone()),
            None => self.zones.push((zone, vec![name.clone()])),
        }
    }

    pub fn remove(&mut self, name: &str) {
        let Some(zone) = self.members.remove(name) else { return };
        if let Some(i) = self.zones.iter().position(|(z, _)| *z == zone) {
            self.zones[i].1.retain(|n| n != name);
            if self.zones[i].1.is_empty() {
                self.zones.remove(i);
            }
        }
    }

    /// A node whose zone labels changed moves to the end of its new zone (`updateNode`: remove then add).
    pub fn update(&mut self, old_zone: &str, node: &Node) {
        if zone_key(node) != old_zone {
            self.remove(&node.metadata.name);
            self.add(node);
        }
    }

    pub fn zone_of(&self, name: &str) -> Option<&str> {
        self.members.get(name).map(String::as_str)
    }

    pub fn contains(&self, name: &str) -> bool {
        self.members.contains_key(name)
    }

    /// The member nodes, in no particular order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.members.keys().map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.members.len()
    }

    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// `nodeTree.list`: one node from each zone in turn.
    pub fn list(&self) -> Vec<String> {
        let total: usize = self.zones.iter().map(|(_, n)| n.len()).sum();
        let mut out = Vec::with_capacity(total);
        let mut i = 0;
        while out.len() < total {
            for (_, nodes) in &self.zones {
                if let Some(n) = nodes.get(i) {
                    out.push(n.clone());
                }
            }
            i += 1;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(name: &str, zone: &str) -> Node {
        let mut n = Node::default();
        n.metadata.name = name.into();
        if !zone.is_empty() {
            n.metadata.labels.insert("topology.kubernetes.io/zone".into(), zone.into());
        }
        n
    }

    #[test]
    fn interleaves_zones_in_arrival_order() {
        let mut t = NodeTree::default();
        for (n, z) in [("a1", "a"), ("a2", "a"), ("a3", "a"), ("b1", "b"), ("c1", "c"), ("c2", "c")] {
            t.add(&node(n, z));
        }
        assert_eq!(t.list(), ["a1", "b1", "c1", "a2", "c2", "a3"]);
        t.remove("b1");
        t.add(&node("b2", "b"));
        assert_eq!(t.list(), ["a1", "c1", "b2", "a2", "c2", "a3"]);
    }
}
