//! InterPodAffinity, from the rules of `interpodaffinity/{filtering,scoring}.go`: the pod's required affinity and
//! anti-affinity and the existing pods' required anti-affinity filter with exact reasons; preferred terms (the
//! pod's, and the existing pods' required affinity × hardPodAffinityWeight 1 and preferred terms) score, min–max
//! normalised.

use crate::common;
use common::*;

const ZONE: &str = "topology.kubernetes.io/zone";
const HOST: &str = "kubernetes.io/hostname";

fn required(kind: &str, app: &str, key: &str, extra: &str) -> String {
    format!(
        "  affinity:\n    {kind}:\n      requiredDuringSchedulingIgnoredDuringExecution:\n      - labelSelector:\n          matchLabels: {{app: {app}}}\n        topologyKey: {key}\n{extra}"
    )
}

fn preferred(kind: &str, weight: i32, app: &str, key: &str) -> String {
    format!(
        "    {kind}:\n      preferredDuringSchedulingIgnoredDuringExecution:\n      - weight: {weight}\n        podAffinityTerm:\n          labelSelector:\n            matchLabels: {{app: {app}}}\n          topologyKey: {key}\n"
    )
}

#[test]
fn required_anti_affinity_spreads_then_rejects() {
    let anti = required("podAntiAffinity", "a", HOST, "");
    let p = run(&[
        node("n1", "4", &[]),
        node("n2", "4", &[]),
        pod("a1", &[("app", "a")], "100m", &anti),
        pod("a2", &[("app", "a")], "100m", &anti),
        pod("a3", &[("app", "a")], "100m", &anti),
    ]);
    assert_eq!([node_of(&p, "a1"), node_of(&p, "a2")], ["n1", "n2"]);
    assert_eq!(
        unschedulable_message(&p, "a3"),
        "0/2 nodes are available: 2 node(s) didn't match pod anti-affinity rules. preemption: 0/2 nodes are \
         available: 2 No preemption victims found for incoming pod."
    );
}

#[test]
fn existing_pods_anti_affinity_keeps_matching_pods_out_of_their_topology() {
    let guard = required("podAntiAffinity", "b", ZONE, "");
    let p = run(&[
        node("n1", "4", &[(ZONE, "a")]),
        node("n2", "4", &[(ZONE, "a")]),
        node("n3", "4", &[(ZONE, "b")]),
        on_node("g", &[("app", "guard")], "100m", "n1", &guard),
        pod("b", &[("app", "b")], "100m", ""),
        pod("other", &[("app", "c")], "100m", ""),
    ]);
    assert_eq!(node_of(&p, "b"), "n3");
    assert_eq!(placements(&p, "b")[0].feasible_nodes, 1);
    assert_eq!(placements(&p, "other")[0].feasible_nodes, 3);

    let p = run(&[
        node("n1", "4", &[(ZONE, "a")]),
        node("n2", "4", &[(ZONE, "a")]),
        on_node("g", &[("app", "guard")], "100m", "n1", &guard),
        pod("b", &[("app", "b")], "100m", ""),
    ]);
    assert_eq!(
        unschedulable_message(&p, "b"),
        "0/2 nodes are available: 2 node(s) didn't satisfy existing pods anti-affinity rules. preemption: 0/2 nodes \
         are available: 2 No preemption victims found for incoming pod."
    );
}

#[test]
fn required_affinity_needs_a_matching_pod_in_the_topology_unless_it_is_the_first_of_its_group() {
    let p = run(&[
        node("n1", "4", &[(ZONE, "a")]),
        node("n2", "4", &[(ZONE, "b")]),
        on_node("db", &[("app", "db")], "100m", "n2", ""),
        pod("web", &[("app", "web")], "100m", &required("podAffinity", "db", ZONE, "")),
        pod("lone", &[("app", "lone")], "100m", &required("podAffinity", "nobody", ZONE, "")),
        pod("first", &[("app", "first")], "100m", &required("podAffinity", "first", ZONE, "")),
    ]);
    assert_eq!(node_of(&p, "web"), "n2");
    assert_eq!(placements(&p, "web")[0].feasible_nodes, 1);
    // UnschedulableAndUnresolvable: preemption does not even try.
    assert_eq!(
        unschedulable_message(&p, "lone"),
        "0/2 nodes are available: 2 node(s) didn't match pod affinity rules. preemption: 0/2 nodes are available: \
         2 Preemption is not helpful for scheduling."
    );
    assert_eq!(placements(&p, "first")[0].feasible_nodes, 2, "a pod matching its own terms may start the group");
}

#[test]
fn preferred_terms_of_the_pod_score_min_max() {
    let extra = format!("  affinity:\n{}{}", preferred("podAffinity", 50, "cache", ZONE), preferred("podAntiAffinity", 20, "cache", HOST));
    let p = run(&[
        node("n1", "4", &[(ZONE, "a")]),
        node("n2", "4", &[(ZONE, "a")]),
        node("n3", "4", &[(ZONE, "b")]),
        on_node("c", &[("app", "cache")], "100m", "n1", ""),
        pod("p", &[("app", "p")], "100m", &extra),
    ]);
    // Raw: n1 = 50 − 20 = 30, n2 = 50, n3 = 0; 100·(s − 0)/50, weighted ×2.
    let s = plugin_scores(&p, "p", "InterPodAffinity");
    assert_eq!(s, [("n1".into(), Some(120)), ("n2".into(), Some(200)), ("n3".into(), Some(0))]);
    assert_eq!(node_of(&p, "p"), "n2");
}

#[test]
fn existing_pods_required_affinity_and_preferred_terms_score_the_incoming_pod() {
    let hard = required("podAffinity", "p", ZONE, "");
    let soft = format!("  affinity:\n{}", preferred("podAntiAffinity", 10, "p", HOST));
    let p = run(&[
        node("n1", "4", &[(ZONE, "a")]),
        node("n2", "4", &[(ZONE, "a")]),
        node("n3", "4", &[(ZONE, "b")]),
        on_node("e1", &[("app", "e1")], "100m", "n1", &hard),
        on_node("e2", &[("app", "e2")], "100m", "n3", &soft),
        pod("p", &[("app", "p")], "100m", ""),
    ]);
    // e1's required term matches p: zone a +1 (hardPodAffinityWeight); e2's preferred anti-affinity: n3 −10.
    // n1 = n2 = 1, n3 = −10: min–max over 11.
    let s = plugin_scores(&p, "p", "InterPodAffinity");
    assert_eq!(s, [("n1".into(), Some(200)), ("n2".into(), Some(200)), ("n3".into(), Some(0))]);
    // Without any pod with affinity, and none of its own, PreScore skips the plugin.
    let p = run(&[node("n1", "4", &[]), node("n2", "4", &[]), pod("q", &[("app", "q")], "100m", "")]);
    assert!(plugin_scores(&p, "q", "InterPodAffinity").iter().all(|(_, s)| s.is_none()));
}

#[test]
fn namespace_selectors_and_namespaces_choose_where_matching_pods_are_looked_for() {
    let ns = |name: &str, team: &str| format!("{{apiVersion: v1, kind: Namespace, metadata: {{name: {name}, labels: {{team: {team}}}}}}}");
    let other_ns_pod = |name: &str, namespace: &str, node: &str| {
        on_node(name, &[("app", "x")], "100m", node, "").replace(&format!("  name: {name}\n"), &format!("  name: {name}\n  namespace: {namespace}\n"))
    };
    let docs = |term_extra: &str| {
        vec![
            ns("team-a", "a"),
            ns("team-b", "b"),
            node("n1", "4", &[(ZONE, "a")]),
            node("n2", "4", &[(ZONE, "b")]),
            other_ns_pod("xa", "team-a", "n1"),
            other_ns_pod("xb", "team-b", "n2"),
            pod("p", &[("app", "p")], "100m", &required("podAffinity", "x", ZONE, term_extra)),
        ]
    };
    let p = run(&docs("        namespaceSelector:\n          matchLabels: {team: a}\n"));
    assert_eq!((node_of(&p, "p"), placements(&p, "p")[0].feasible_nodes), ("n1".into(), 1));
    let p = run(&docs("        namespaces: [team-b]\n"));
    assert_eq!((node_of(&p, "p"), placements(&p, "p")[0].feasible_nodes), ("n2".into(), 1));
    let p = run(&docs("        namespaceSelector: {}\n"));
    assert_eq!(placements(&p, "p")[0].feasible_nodes, 2, "an empty namespace selector selects every namespace");
    // No namespaces and no selector: the pod's own namespace, where no app=x pod runs.
    assert!(unschedulable_message(&run(&docs("")), "p").contains("2 node(s) didn't match pod affinity rules"));
}
