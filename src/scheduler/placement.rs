//! What kubeplan records about each scheduling decision (`placements` in the JSON output).
//!
//! The per-node scores of a decision are kept as one compact table (node indices into the snapshot's names and a
//! row of weighted scores per node) and expanded only when serialised: a decision over 500 feasible nodes costs
//! a few kilobytes rather than thousands of small maps.

use std::collections::BTreeMap;
use std::rc::Rc;

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use super::framework::Reason;

/// One scheduling decision.
#[derive(Clone, Debug)]
pub struct Placement {
    pub pod: String,
    /// The scheduler profile that made it (the pod's `schedulerName`).
    pub profile: Rc<str>,
    pub phase: String,
    pub round: u32,
    pub selected_node: Option<String>,
    pub top_score: Option<i64>,
    /// Nodes that shared the top score, in name order; a real scheduler picks one of them at random.
    pub tied_nodes: NodeList,
    /// Weighted score per plugin and node, with `total`; only when more than one node was feasible.
    pub scores: ScoreTable,
    pub feasible_nodes: usize,
    pub examined_nodes: usize,
    /// The failure message when no node fits.
    pub message: Option<String>,
    /// Why each rejected node was rejected (the first failing filter's reasons).
    pub rejected: BTreeMap<String, Verdict>,
    pub nominated_node: Option<String>,
    /// The nodes the PreFilter plugins narrowed the candidates to, when they did.
    pub pre_filter_nodes: Option<PreFilterNodes>,
    /// Why no node fits, when none does: the distinct reasons of the failure message, typed.
    pub reasons: Vec<Reason>,
}

/// The first failing filter plugin on a node, and its reasons.
#[derive(Clone, Debug)]
pub struct Verdict {
    pub plugin: &'static str,
    pub reasons: Vec<Reason>,
}

/// The candidates PreFilter left: the plugins whose results narrowed them, and the nodes they allowed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PreFilterNodes {
    pub plugins: Vec<&'static str>,
    pub nodes: Vec<String>,
}

/// The weighted score of every scoring plugin (those PreScore did not skip) on every feasible node, and the
/// total. Serialised as `{node: {Plugin: score, ..., total}}`.
#[derive(Clone, Debug, Default)]
pub struct ScoreTable {
    names: Rc<Vec<String>>,
    plugins: Vec<&'static str>,
    /// Snapshot node indices, in name order.
    nodes: Vec<u32>,
    /// Per node (in `nodes` order) the plugins' weighted scores, then the total.
    values: Vec<i64>,
}

impl ScoreTable {
    /// A table over `nodes` (snapshot indices; `names` are the snapshot's node names) for these plugins.
    pub fn new(names: Rc<Vec<String>>, plugins: Vec<&'static str>, nodes: &[usize], weighted: &[&[i64]]) -> ScoreTable {
        let mut order: Vec<usize> = (0..nodes.len()).collect();
        order.sort_by(|&a, &b| names[nodes[a]].cmp(&names[nodes[b]]));
        let width = plugins.len() + 1;
        let mut values = Vec::with_capacity(nodes.len() * width);
        for &f in &order {
            let mut total = 0;
            for col in weighted {
                values.push(col[f]);
                total += col[f];
            }
            values.push(total);
        }
        ScoreTable { names, plugins, nodes: order.iter().map(|&f| nodes[f] as u32).collect(), values }
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// The scored node names, in order.
    pub fn node_names(&self) -> impl Iterator<Item = &str> {
        self.nodes.iter().map(|&i| self.names[i as usize].as_str())
    }

    pub fn contains_key(&self, node: &str) -> bool {
        self.row_index(node).is_some()
    }

    fn row_index(&self, node: &str) -> Option<usize> {
        self.nodes.binary_search_by(|&i| self.names[i as usize].as_str().cmp(node)).ok()
    }

    /// A node's weighted score from one plugin (`total` for the sum); `None` when the plugin did not score.
    pub fn get(&self, node: &str, plugin: &str) -> Option<i64> {
        let r = self.row_index(node)?;
        let width = self.plugins.len() + 1;
        let c = if plugin == "total" { self.plugins.len() } else { self.plugins.iter().position(|p| *p == plugin)? };
        Some(self.values[r * width + c])
    }

    /// The plugins that scored, in the scheduler's order.
    pub fn plugins(&self) -> &[&'static str] {
        &self.plugins
    }

    /// Every node's row, in name order.
    pub fn rows(&self) -> impl Iterator<Item = (&str, BTreeMap<&str, i64>)> {
        self.nodes.iter().enumerate().map(|(r, &i)| (self.names[i as usize].as_str(), self.row_at(r)))
    }

    /// A node's row as a map (plugin -> weighted score, and `total`).
    pub fn row(&self, node: &str) -> Option<BTreeMap<&str, i64>> {
        let r = self.row_index(node)?;
        Some(self.row_at(r))
    }

    fn row_at(&self, r: usize) -> BTreeMap<&str, i64> {
        let width = self.plugins.len() + 1;
        let vals = &self.values[r * width..(r + 1) * width];
        self.plugins.iter().copied().chain(["total"]).zip(vals.iter().copied()).collect()
    }
}

impl Serialize for ScoreTable {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.nodes.len()))?;
        for (r, &i) in self.nodes.iter().enumerate() {
            map.serialize_entry(&self.names[i as usize], &self.row_at(r))?;
        }
        map.end()
    }
}

/// Nodes of the snapshot, named by their index into its names. A decision among similar nodes ties hundreds of
/// them, for every pod: a list of names would be hundreds of string copies per decision.
#[derive(Clone, Debug, Default)]
pub struct NodeList {
    names: Rc<Vec<String>>,
    nodes: Vec<u32>,
}

impl NodeList {
    /// The nodes at these snapshot indices (`names` are the snapshot's node names), in name order.
    pub fn sorted(names: Rc<Vec<String>>, mut nodes: Vec<u32>) -> NodeList {
        nodes.sort_unstable_by(|&a, &b| names[a as usize].cmp(&names[b as usize]));
        NodeList { names, nodes }
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// The node names, in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.nodes.iter().map(|&i| self.names[i as usize].as_str())
    }

    pub fn first(&self) -> Option<&str> {
        self.iter().next()
    }

    pub fn last(&self) -> Option<&str> {
        self.nodes.last().map(|&i| self.names[i as usize].as_str())
    }

    /// The names, copied.
    pub fn to_vec(&self) -> Vec<String> {
        self.iter().map(str::to_owned).collect()
    }
}

impl Serialize for NodeList {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

/// Per-node rows the placements keep in all by default (see [`Retention`]).
pub const DEFAULT_DETAIL_BUDGET: usize = 200_000;

/// Which decisions keep their per-node detail (the score table and, with verdicts on, every rejected node's
/// verdict). A decision over 500 scored nodes keeps 500 rows; 150,000 such decisions would hold 75 million rows
/// and gigabytes, more than the plan itself. So decisions keep their rows while the rows kept so far stay within
/// `budget`; from the first decision that would exceed it on, decisions keep only their summary (selected node,
/// top score, tied set, feasible and examined counts, message), except the pods named in `pods`, which always
/// keep everything (`kubeplan explain POD` re-plans with its pod named). Small plans, such as every conformance
/// case, never reach the budget and keep every row.
#[derive(Clone, Debug)]
pub struct Retention {
    /// Rows (scored nodes plus rejected verdicts) the placements may keep in all.
    pub budget: usize,
    /// Pods (`namespace/name`) whose decisions keep every row.
    pub pods: std::collections::BTreeSet<String>,
    /// Rows kept so far.
    pub used: usize,
    /// Decisions that kept only their summary.
    pub summarised: usize,
}

impl Default for Retention {
    fn default() -> Self {
        Retention { budget: DEFAULT_DETAIL_BUDGET, pods: Default::default(), used: 0, summarised: 0 }
    }
}

impl Retention {
    /// Whether the decision about `pod` keeps its `rows` per-node rows; counts what it keeps or drops. Once one
    /// decision has been summarised, every later one is too (the detail kept is a prefix of the plan), so the
    /// plan's note can say where it stops.
    pub fn keep(&mut self, pod: &str, rows: usize) -> bool {
        if self.pods.contains(pod) {
            return true;
        }
        if rows == 0 {
            return true;
        }
        if self.summarised == 0 && self.used + rows <= self.budget {
            self.used += rows;
            return true;
        }
        self.summarised += 1;
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_rows_are_in_name_order_with_totals() {
        let names = Rc::new(vec!["b".to_string(), "a".to_string(), "c".to_string()]);
        let t = ScoreTable::new(names, vec!["X", "Y"], &[0, 1], &[&[10, 20], &[1, 2]]);
        assert_eq!(t.node_names().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(t.get("a", "X"), Some(20));
        assert_eq!(t.get("b", "total"), Some(11));
        assert_eq!(t.get("c", "X"), None);
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            r#"{"a":{"X":20,"Y":2,"total":22},"b":{"X":10,"Y":1,"total":11}}"#
        );
    }

    #[test]
    fn retention_keeps_a_prefix_within_the_budget_and_named_pods_always() {
        let mut r = Retention { budget: 10, pods: ["ns/x".to_string()].into(), ..Default::default() };
        assert!(r.keep("ns/a", 6));
        assert!(!r.keep("ns/b", 5), "6 + 5 rows exceed the budget of 10");
        assert!(!r.keep("ns/c", 1), "after the first summarised decision, later ones are summarised too");
        assert!(r.keep("ns/x", 500), "a named pod keeps every row");
        assert_eq!((r.used, r.summarised), (6, 2));
    }
}
