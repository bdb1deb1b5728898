//! PodTopologySpread, from the rules of `podtopologyspread/{filtering,scoring}.go`: hard constraints filter with
//! `matchNum + selfMatch − minMatchNum ≤ maxSkew`, soft constraints and the system defaults score with
//! `Σ count·ln(domains + 2) + (maxSkew − 1)` normalised as `100·(max + min − s)/max`.

use crate::common;
use common::*;

const ZONE: &str = "topology.kubernetes.io/zone";

fn zone_constraint(when: &str, extra: &str) -> String {
    format!(
        "  topologySpreadConstraints:\n  - maxSkew: 1\n    topologyKey: {ZONE}\n    whenUnsatisfiable: {when}\n    labelSelector:\n      matchLabels: {{app: x}}\n{extra}"
    )
}

#[test]
fn hard_constraint_keeps_zones_within_max_skew() {
    let c = zone_constraint("DoNotSchedule", "");
    let p = run(&[
        node("n1", "4", &[(ZONE, "a")]),
        node("n2", "4", &[(ZONE, "b")]),
        pod("p1", &[("app", "x")], "100m", &c),
        pod("p2", &[("app", "x")], "100m", &c),
        pod("p3", &[("app", "x")], "100m", &c),
    ]);
    // p1: 0/0, both fit, the tie goes to n1. p2: zone a would reach skew 2, only n2 fits. p3: 1/1, both fit.
    assert_eq!([node_of(&p, "p1"), node_of(&p, "p2"), node_of(&p, "p3")], ["n1", "n2", "n1"]);
    assert_eq!(placements(&p, "p2")[0].feasible_nodes, 1);
    assert_eq!(placements(&p, "p3")[0].feasible_nodes, 2);
    // A pod with constraints of its own and none of them soft: no PodTopologySpread score, no system default.
    assert!(plugin_scores(&p, "p3", "PodTopologySpread").iter().all(|(_, s)| s.is_none()));
}

#[test]
fn min_domains_counts_missing_domains_as_empty_and_missing_keys_are_unresolvable() {
    let base = [
        node("n1", "4", &[(ZONE, "a")]),
        node("n2", "4", &[(ZONE, "b")]),
        node("n3", "4", &[]),
        on_node("e1", &[("app", "x")], "100m", "n1", ""),
        on_node("e2", &[("app", "x")], "100m", "n2", ""),
    ];
    let mut docs = base.to_vec();
    docs.push(pod("p", &[("app", "x")], "100m", &zone_constraint("DoNotSchedule", "")));
    let p = run(&docs);
    assert_eq!(node_of(&p, "p"), "n1", "1/1 with minimum 1: skew 1 fits");

    let mut docs = base.to_vec();
    docs.push(pod("p", &[("app", "x")], "100m", &zone_constraint("DoNotSchedule", "    minDomains: 3\n")));
    let p = run(&docs);
    // Two domains < minDomains 3: the minimum counts as 0, so either zone would have skew 2.
    assert_eq!(
        unschedulable_message(&p, "p"),
        "0/3 nodes are available: 1 node(s) didn't match pod topology spread constraints (missing required label), \
         2 node(s) didn't match pod topology spread constraints. preemption: 0/3 nodes are available: \
         1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod."
    );
}

#[test]
fn node_affinity_policy_decides_which_nodes_count() {
    let docs = |policy: &str| {
        let extra = format!("  nodeSelector: {{disk: ssd}}\n{}", zone_constraint("DoNotSchedule", policy));
        vec![
            node("n1", "4", &[(ZONE, "a"), ("disk", "ssd")]),
            node("n2", "4", &[(ZONE, "b"), ("disk", "hdd")]),
            node("n3", "4", &[(ZONE, "b"), ("disk", "ssd")]),
            on_node("x1", &[("app", "x")], "100m", "n2", ""),
            on_node("x2", &[("app", "x")], "100m", "n2", ""),
            on_node("x3", &[("app", "x")], "100m", "n2", ""),
            pod("p", &[("app", "x")], "100m", &extra),
        ]
    };
    // Honor (the default): n2 does not match the pod's nodeSelector, its pods do not count; zone b has 0.
    let p = run(&docs(""));
    assert_eq!(placements(&p, "p")[0].feasible_nodes, 2);
    // Ignore: zone b has 3, so n3 would have skew 4.
    let p = run(&docs("    nodeAffinityPolicy: Ignore\n"));
    assert_eq!(placements(&p, "p")[0].feasible_nodes, 1);
    assert_eq!(node_of(&p, "p"), "n1");
}

#[test]
fn node_taints_policy_honor_leaves_out_tainted_nodes() {
    let docs = |policy: &str| {
        let tainted = node("n2", "4", &[(ZONE, "b")])
            .replacen("status:", "spec: {taints: [{key: dedicated, value: infra, effect: NoSchedule}]}, status:", 1);
        vec![
            node("n1", "4", &[(ZONE, "a")]),
            tainted,
            node("n3", "4", &[(ZONE, "b")]),
            on_node("x1", &[("app", "x")], "100m", "n2", ""),
            on_node("x2", &[("app", "x")], "100m", "n2", ""),
            pod("p", &[("app", "x")], "100m", &zone_constraint("DoNotSchedule", policy)),
        ]
    };
    assert_eq!(placements(&run(&docs("")), "p")[0].feasible_nodes, 1, "Ignore: zone b counts n2's 2 pods");
    assert_eq!(placements(&run(&docs("    nodeTaintsPolicy: Honor\n")), "p")[0].feasible_nodes, 2);
}

#[test]
fn match_label_keys_narrow_the_selector_to_the_pods_value() {
    let docs = |keys: &str| {
        vec![
            node("n1", "4", &[(ZONE, "a")]),
            node("n2", "4", &[(ZONE, "b")]),
            on_node("v1a", &[("app", "x"), ("version", "v1")], "100m", "n1", ""),
            on_node("v1b", &[("app", "x"), ("version", "v1")], "100m", "n1", ""),
            pod("p", &[("app", "x"), ("version", "v2")], "100m", &zone_constraint("DoNotSchedule", keys)),
        ]
    };
    assert_eq!(placements(&run(&docs("")), "p")[0].feasible_nodes, 1);
    let p = run(&docs("    matchLabelKeys: [version]\n"));
    assert_eq!(placements(&p, "p")[0].feasible_nodes, 2, "only version=v2 pods count: 0/0");
}

#[test]
fn system_defaults_score_pods_selected_by_a_service() {
    let docs = |extra_node: bool, svc: bool| {
        let mut d = vec![
            node("n1", "4", &[(ZONE, "a")]),
            node("n2", "4", &[(ZONE, "a")]),
            node("n3", "4", &[(ZONE, "b")]),
            on_node("w1", &[("app", "web")], "100m", "n1", ""),
            on_node("w2", &[("app", "web")], "100m", "n1", ""),
            on_node("w3", &[("app", "web")], "100m", "n3", ""),
            pod("p", &[("app", "web")], "100m", ""),
        ];
        if extra_node {
            d.push(node("n4", "4", &[]));
        }
        if svc {
            d.push(service("web", &[("app", "web")]));
        }
        d
    };
    // Hostname (maxSkew 3) weight ln 5, zone (maxSkew 5, zones a:2 b:1) weight ln 4:
    // n1 = 2·ln5 + 2 + 2·ln4 + 4 = 11.99 → 12; n2 = 2 + 2·ln4 + 4 = 8.77 → 9; n3 = ln5 + 2 + ln4 + 4 = 9.00 → 9.
    // Normalised 100·(12 + 9 − s)/12 and weighted ×2.
    let p = run(&docs(false, true));
    let s = plugin_scores(&p, "p", "PodTopologySpread");
    assert_eq!(s, [("n1".into(), Some(150)), ("n2".into(), Some(200)), ("n3".into(), Some(200))]);
    // A node without a zone is still scored under the system defaults (by hostname only), and its empty zone
    // counts as a domain: hostname ln 6, zone ln 5. n1 = 13, n2 = 9, n3 = 9, n4 = 2.
    let p = run(&docs(true, true));
    let s = plugin_scores(&p, "p", "PodTopologySpread");
    assert_eq!(
        s,
        [("n1".into(), Some(30)), ("n2".into(), Some(92)), ("n3".into(), Some(92)), ("n4".into(), Some(200))]
    );
    // Without a Service or controller the default selector is empty: PreScore skips the plugin.
    let p = run(&docs(false, false));
    assert!(plugin_scores(&p, "p", "PodTopologySpread").iter().all(|(_, s)| s.is_none()));
}

#[test]
fn soft_constraint_ignores_nodes_without_the_key() {
    let p = run(&[
        node("n1", "4", &[(ZONE, "a")]),
        node("n2", "4", &[(ZONE, "b")]),
        node("n3", "4", &[]),
        on_node("x1", &[("app", "x")], "100m", "n1", ""),
        pod("p", &[("app", "x")], "100m", &zone_constraint("ScheduleAnyway", "")),
    ]);
    // Zones a:1 b:0 with weight ln 4: n1 = 1.39 → 1, n2 = 0; 100·(1 + 0 − s)/1; n3 is ignored and gets 0.
    let s = plugin_scores(&p, "p", "PodTopologySpread");
    assert_eq!(s, [("n1".into(), Some(0)), ("n2".into(), Some(200)), ("n3".into(), Some(0))]);
    assert_eq!(node_of(&p, "p"), "n2");
}

#[test]
fn a_missing_zone_and_an_empty_zone_are_the_same_domain_under_the_system_defaults() {
    // With a nodeSelector the nodes are walked one by one (inclusion policies); without, the snapshot's
    // per-zone sums are used. Both must agree.
    for selector in ["", "  nodeSelector: {pool: x}\n"] {
        let p = run(&[
            node("n1", "4", &[(ZONE, "a"), ("pool", "x")]),
            node("n3", "4", &[(ZONE, "''"), ("pool", "x")]),
            node("n4", "4", &[("pool", "x")]),
            on_node("w1", &[("app", "web")], "100m", "n3", ""),
            on_node("w2", &[("app", "web")], "100m", "n4", ""),
            service("web", &[("app", "web")]),
            pod("p", &[("app", "web")], "100m", selector),
        ]);
        // Zones a and "" (n4's pod counts there too): weight ln 4; hostname ln 5.
        // n1 = 2 + 4 = 6; n3 = ln5 + 2 + 2·ln4 + 4 = 10.38 → 10; n4 = ln5 + 2 = 3.61 → 4 (it has no zone key).
        let s = plugin_scores(&p, "p", "PodTopologySpread");
        assert_eq!(s, [("n1".into(), Some(160)), ("n3".into(), Some(80)), ("n4".into(), Some(200))], "{selector}");
    }
}
