//! Node affinity matching (`component-helpers/scheduling/corev1/nodeaffinity`).
//!
//! A pod's required node affinity is its `nodeSelector` (every pair must match) AND its required node selector
//! terms (any term may match; inside a term every requirement must match). Empty terms are dropped and match
//! nothing; a term that fails to parse matches nothing; `matchFields` knows only `metadata.name`.

use crate::api::core_v1::{Node, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, PodSpec, PreferredSchedulingTerm};
use crate::api::labels::Labels;

/// What node affinity reads of a node: its name (`matchFields` knows only `metadata.name`) and its labels. The
/// DaemonSet controller matches stored nodes; the scheduler matches the records its snapshot keeps of them.
pub trait NodeFields {
    fn name(&self) -> &str;
    fn labels(&self) -> &Labels;
}

impl NodeFields for Node {
    fn name(&self) -> &str {
        &self.metadata.name
    }

    fn labels(&self) -> &Labels {
        &self.metadata.labels
    }
}

/// A parsed node selector term.
#[derive(Clone, Debug)]
pub struct Term {
    labels: Vec<LabelReq>,
    fields: Vec<FieldReq>,
    /// `matchExpressions` or `matchFields` had an invalid requirement: the term matches no node.
    invalid: bool,
}

#[derive(Clone, Debug)]
enum LabelReq {
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    DoesNotExist(String),
    Gt(String, i64),
    Lt(String, i64),
}

#[derive(Clone, Debug)]
enum FieldReq {
    NameIs(String),
    NameIsNot(String),
}

impl Term {
    pub fn parse(term: &NodeSelectorTerm) -> Option<Term> {
        if term.match_expressions.is_empty() && term.match_fields.is_empty() {
            return None;
        }
        let mut t = Term { labels: Vec::new(), fields: Vec::new(), invalid: false };
        for r in &term.match_expressions {
            match label_req(r) {
                Some(l) => t.labels.push(l),
                None => t.invalid = true,
            }
        }
        for r in &term.match_fields {
            match field_req(r) {
                Some(f) => t.fields.push(f),
                None => t.invalid = true,
            }
        }
        Some(t)
    }

    pub fn matches(&self, node: &(impl NodeFields + ?Sized)) -> bool {
        if self.invalid {
            return false;
        }
        let labels = node.labels();
        self.labels.iter().all(|r| r.matches(labels)) && self.fields.iter().all(|f| f.matches(node.name()))
    }

    /// The node names this term pins to with `metadata.name In [x]`, if it has only such requirements.
    fn pinned_names(&self) -> Option<Vec<&str>> {
        if self.invalid || !self.labels.is_empty() || self.fields.is_empty() {
            return None;
        }
        let mut names: Option<Vec<&str>> = None;
        for f in &self.fields {
            match f {
                FieldReq::NameIs(n) => {
                    names = Some(match names {
                        None => vec![n.as_str()],
                        Some(prev) => prev.into_iter().filter(|p| p == n).collect(),
                    })
                }
                FieldReq::NameIsNot(_) => return None,
            }
        }
        names
    }
}

fn label_req(r: &NodeSelectorRequirement) -> Option<LabelReq> {
    if !valid_label_key(&r.key) {
        return None;
    }
    let int_value = || -> Option<i64> {
        if r.values.len() != 1 {
            return None;
        }
        r.values[0].parse().ok()
    };
    Some(match r.operator.as_str() {
        "In" | "NotIn" => {
            if r.values.is_empty() || !r.values.iter().all(|v| valid_label_value(v)) {
                return None;
            }
            if r.operator == "In" {
                LabelReq::In(r.key.clone(), r.values.clone())
            } else {
                LabelReq::NotIn(r.key.clone(), r.values.clone())
            }
        }
        "Exists" | "DoesNotExist" => {
            if !r.values.is_empty() {
                return None;
            }
            if r.operator == "Exists" {
                LabelReq::Exists(r.key.clone())
            } else {
                LabelReq::DoesNotExist(r.key.clone())
            }
        }
        "Gt" => LabelReq::Gt(r.key.clone(), int_value()?),
        "Lt" => LabelReq::Lt(r.key.clone(), int_value()?),
        _ => return None,
    })
}

fn field_req(r: &NodeSelectorRequirement) -> Option<FieldReq> {
    if r.values.len() != 1 {
        return None;
    }
    // Only `metadata.name` is a node field; any other key compares against an absent field.
    let v = r.values[0].clone();
    match (r.operator.as_str(), r.key.as_str()) {
        ("In", "metadata.name") => Some(FieldReq::NameIs(v)),
        ("NotIn", "metadata.name") => Some(FieldReq::NameIsNot(v)),
        ("In", _) => Some(FieldReq::NameIs("\u{0}never".into())),
        ("NotIn", _) => Some(FieldReq::NameIsNot("\u{0}never".into())),
        _ => None,
    }
}

impl LabelReq {
    fn matches(&self, labels: &Labels) -> bool {
        match self {
            LabelReq::In(k, vs) => labels.get(k).is_some_and(|v| vs.contains(v)),
            LabelReq::NotIn(k, vs) => labels.get(k).is_none_or(|v| !vs.contains(v)),
            LabelReq::Exists(k) => labels.contains_key(k),
            LabelReq::DoesNotExist(k) => !labels.contains_key(k),
            LabelReq::Gt(k, n) => labels.get(k).and_then(|v| v.parse::<i64>().ok()).is_some_and(|v| v > *n),
            LabelReq::Lt(k, n) => labels.get(k).and_then(|v| v.parse::<i64>().ok()).is_some_and(|v| v < *n),
        }
    }
}

impl FieldReq {
    fn matches(&self, name: &str) -> bool {
        match self {
            FieldReq::NameIs(n) => n == name,
            FieldReq::NameIsNot(n) => n != name,
        }
    }
}

/// A parsed `NodeSelector`: terms are ORed.
#[derive(Clone, Debug)]
pub struct Selector {
    terms: Vec<Term>,
}

impl Selector {
    pub fn parse(ns: &NodeSelector) -> Selector {
        Selector { terms: ns.node_selector_terms.iter().filter_map(Term::parse).collect() }
    }

    pub fn matches(&self, node: &(impl NodeFields + ?Sized)) -> bool {
        self.terms.iter().any(|t| t.matches(node))
    }

    /// NodeAffinity PreFilter: when every term pins `metadata.name In [...]`, the union of the pinned names.
    pub fn pinned_node_names(&self) -> Option<Vec<String>> {
        if self.terms.is_empty() {
            return None;
        }
        let mut out: Vec<String> = Vec::new();
        for t in &self.terms {
            for n in t.pinned_names()? {
                if !out.iter().any(|o| o == n) {
                    out.push(n.to_owned());
                }
            }
        }
        Some(out)
    }
}

/// `nodeaffinity.GetRequiredNodeAffinity`: the pod's nodeSelector and required node affinity together.
#[derive(Clone, Debug)]
pub struct RequiredNodeAffinity {
    node_selector: Vec<(String, String)>,
    affinity: Option<Selector>,
}

impl RequiredNodeAffinity {
    pub fn of(spec: &PodSpec) -> RequiredNodeAffinity {
        let affinity = spec
            .affinity
            .as_deref()
            .and_then(|a| a.node_affinity.as_deref())
            .and_then(|na| na.required_during_scheduling_ignored_during_execution.as_deref())
            .map(Selector::parse);
        RequiredNodeAffinity {
            node_selector: spec.node_selector.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            affinity,
        }
    }

    pub fn matches(&self, node: &(impl NodeFields + ?Sized)) -> bool {
        let labels = node.labels();
        if !self.node_selector.iter().all(|(k, v)| labels.get(k) == Some(v)) {
            return false;
        }
        self.affinity.as_ref().is_none_or(|s| s.matches(node))
    }

    pub fn is_empty(&self) -> bool {
        self.node_selector.is_empty() && self.affinity.is_none()
    }

    pub fn selector(&self) -> Option<&Selector> {
        self.affinity.as_ref()
    }
}

/// `nodeaffinity.PreferredSchedulingTerms`: weighted terms; terms with weight 0 or no requirements are dropped.
#[derive(Clone, Debug, Default)]
pub struct PreferredTerms {
    terms: Vec<(Term, i64)>,
}

impl PreferredTerms {
    pub fn parse(terms: &[PreferredSchedulingTerm]) -> PreferredTerms {
        PreferredTerms {
            terms: terms
                .iter()
                .filter(|t| t.weight != 0)
                .filter_map(|t| Term::parse(&t.preference).filter(|p| !p.invalid).map(|p| (p, i64::from(t.weight))))
                .collect(),
        }
    }

    pub fn score(&self, node: &(impl NodeFields + ?Sized)) -> i64 {
        self.terms.iter().filter(|(t, _)| t.matches(node)).map(|(_, w)| w).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

/// A label key as `labels.NewRequirement` accepts it: a qualified name (`prefix/name`).
pub fn valid_label_key(key: &str) -> bool {
    let (prefix, name) = match key.rsplit_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, key),
    };
    if let Some(p) = prefix {
        if p.is_empty() || p.len() > 253 || !p.split('.').all(dns_label) {
            return false;
        }
    }
    !name.is_empty() && name.len() <= 63 && qualified_name_part(name)
}

fn dns_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

fn qualified_name_part(s: &str) -> bool {
    let b = s.as_bytes();
    b.first().is_some_and(u8::is_ascii_alphanumeric)
        && b.last().is_some_and(u8::is_ascii_alphanumeric)
        && b.iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

/// A label value: empty, or up to 63 characters of alphanumerics, `-`, `_`, `.`, starting and ending with an
/// alphanumeric.
pub fn valid_label_value(v: &str) -> bool {
    v.is_empty() || (v.len() <= 63 && qualified_name_part(v))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::core_v1::{Affinity, NodeAffinity};

    fn node(name: &str, labels: &[(&str, &str)]) -> Node {
        let mut n = Node::default();
        n.metadata.name = name.into();
        n.metadata.labels = labels.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        n
    }

    fn req(key: &str, op: &str, values: &[&str]) -> NodeSelectorRequirement {
        NodeSelectorRequirement { key: key.into(), operator: op.into(), values: values.iter().map(|v| v.to_string()).collect() }
    }

    fn spec_with_terms(terms: Vec<NodeSelectorTerm>) -> PodSpec {
        PodSpec {
            affinity: Some(Box::new(Affinity {
                node_affinity: Some(Box::new(NodeAffinity {
                    required_during_scheduling_ignored_during_execution: Some(Box::new(NodeSelector {
                        node_selector_terms: terms,
                    })),
                    ..Default::default()
                })),
                ..Default::default()
            })),
            ..Default::default()
        }
    }

    #[test]
    fn terms_are_ored_requirements_anded() {
        let spec = spec_with_terms(vec![
            NodeSelectorTerm { match_expressions: vec![req("a", "In", &["1"]), req("b", "Exists", &[])], ..Default::default() },
            NodeSelectorTerm { match_expressions: vec![req("c", "Gt", &["5"])], ..Default::default() },
        ]);
        let r = RequiredNodeAffinity::of(&spec);
        assert!(r.matches(&node("n", &[("a", "1"), ("b", "")])));
        assert!(!r.matches(&node("n", &[("a", "1")])));
        assert!(r.matches(&node("n", &[("c", "6")])));
        assert!(!r.matches(&node("n", &[("c", "x")])));
    }

    #[test]
    fn empty_terms_match_nothing_and_invalid_terms_match_nothing() {
        let r = RequiredNodeAffinity::of(&spec_with_terms(vec![NodeSelectorTerm::default()]));
        assert!(!r.matches(&node("n", &[])));
        let r = RequiredNodeAffinity::of(&spec_with_terms(vec![NodeSelectorTerm {
            match_expressions: vec![req("a", "In", &[])],
            ..Default::default()
        }]));
        assert!(!r.matches(&node("n", &[("a", "")])));
    }

    #[test]
    fn match_fields_pin_node_names() {
        let spec = spec_with_terms(vec![NodeSelectorTerm {
            match_fields: vec![req("metadata.name", "In", &["n2"])],
            ..Default::default()
        }]);
        let r = RequiredNodeAffinity::of(&spec);
        assert!(r.matches(&node("n2", &[])));
        assert!(!r.matches(&node("n1", &[])));
        assert_eq!(r.selector().unwrap().pinned_node_names(), Some(vec!["n2".to_string()]));
    }

    #[test]
    fn node_selector_must_match_too() {
        let mut spec = spec_with_terms(vec![]);
        spec.affinity = None;
        spec.node_selector.insert("disk".into(), "ssd".into());
        let r = RequiredNodeAffinity::of(&spec);
        assert!(r.matches(&node("n", &[("disk", "ssd")])));
        assert!(!r.matches(&node("n", &[("disk", "hdd")])));
    }
}
