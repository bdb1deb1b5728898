//! Node labels that are deprecated (`pkg/api/node/util.go`), for the warnings about selectors, affinity and
//! topology keys that use them.

use crate::api::core_v1::NodeSelectorTerm;
use crate::apiserver::validation::field::Path;

/// `GetNodeLabelDeprecatedMessage`: why a node label key should not be used any more.
pub fn deprecated(key: &str) -> Option<&'static str> {
    Some(match key {
        "beta.kubernetes.io/arch" => r#"deprecated since v1.14; use "kubernetes.io/arch" instead"#,
        "beta.kubernetes.io/os" => r#"deprecated since v1.14; use "kubernetes.io/os" instead"#,
        "failure-domain.beta.kubernetes.io/region" => {
            r#"deprecated since v1.17; use "topology.kubernetes.io/region" instead"#
        }
        "failure-domain.beta.kubernetes.io/zone" => r#"deprecated since v1.17; use "topology.kubernetes.io/zone" instead"#,
        "beta.kubernetes.io/instance-type" => r#"deprecated since v1.17; use "node.kubernetes.io/instance-type" instead"#,
        "app.kubernetes.io/created-by" => "deprecated since v1.9",
        "scheduler.alpha.kubernetes.io/preferAvoidPods" => "deprecated since v1.22; use Taints and Tolerations instead",
        "node-role.kubernetes.io/master" => r#"use "node-role.kubernetes.io/control-plane" instead"#,
        _ => return None,
    })
}

/// `GetWarningsForNodeSelectorTerm`: the term's expressions on deprecated keys.
pub fn for_selector_term(term: &NodeSelectorTerm, path: &Path) -> Vec<String> {
    let expressions = path.child("matchExpressions");
    term.match_expressions
        .iter()
        .enumerate()
        .filter_map(|(i, e)| {
            deprecated(&e.key).map(|msg| format!("{}: {} is {msg}", expressions.index(i).child("key"), e.key))
        })
        .collect()
}
