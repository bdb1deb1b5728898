//! The scheduling cycle (`schedule_one.go`): `numFeasibleNodesToFind` and the rotating `nextStartNodeIndex`,
//! PreFilter results and their messages, and kubeplan's stable choice among tied nodes.

use crate::common;
use common::*;

fn tainted(n: String) -> String {
    n.replacen("status:", "spec: {taints: [{key: dedicated, value: infra, effect: NoSchedule}]}, status:", 1)
}

#[test]
fn above_100_nodes_a_sample_is_filtered_from_a_rotating_start() {
    // 200 nodes in one zone (the tree keeps name order); every 10th is tainted. numFeasibleNodesToFind(200) =
    // max(200·(50 − 200/125)/100, 100) = 100.
    let mut docs: Vec<String> = (1..=200)
        .map(|i| {
            let n = node(&format!("n-{i:03}"), "4", &[]);
            if i % 10 == 0 {
                tainted(n)
            } else {
                n
            }
        })
        .collect();
    docs.push(pod("p1", &[], "100m", ""));
    docs.push(pod("p2", &[], "100m", ""));
    let p = run(&docs);
    // p1 starts at 0: the 100th feasible node is n-111 (11 tainted before it); n-112 is examined and stops the
    // search. 111 nodes were processed.
    let p1 = placements(&p, "p1")[0];
    assert_eq!((p1.feasible_nodes, p1.examined_nodes), (100, 112));
    assert_eq!(p1.tied_nodes.len(), 100);
    assert_eq!(p1.tied_nodes.last(), Some("n-111"));
    assert_eq!(node_of(&p, "p1"), "n-001");
    // p2 starts at n-112: 80 feasible up to n-200, then n-001..n-022 (20 feasible); n-023 stops it.
    let p2 = placements(&p, "p2")[0];
    assert_eq!((p2.feasible_nodes, p2.examined_nodes), (100, 112));
    assert!(p2.scores.contains_key("n-199") && p2.scores.contains_key("n-022") && !p2.scores.contains_key("n-023"));
    // n-001 now runs p1 and scores lower; the other 99 tie.
    assert_eq!(p2.tied_nodes.len(), 99);
    assert_eq!(node_of(&p, "p2"), "n-002");
    assert_eq!(p.scheduler.next_start_node_index, (111 + 111) % 200);
}

#[test]
fn ties_take_the_smallest_name_and_are_reported() {
    let p = run(&[node("n3", "4", &[]), node("n1", "4", &[]), node("n2", "4", &[]), pod("p", &[], "100m", "")]);
    let pl = placements(&p, "p")[0];
    assert_eq!(pl.tied_nodes.to_vec(), ["n1", "n2", "n3"]);
    assert_eq!(pl.selected_node.as_deref(), Some("n1"));
    assert!(pl.scores.node_names().all(|n| pl.scores.get(n, "total") == pl.top_score));
    // Every plugin PreScore did not skip is in each row: not NodeAffinity (no preferred terms), not
    // PodTopologySpread (no selector), not InterPodAffinity (no affinity anywhere).
    let row: Vec<&str> = pl.scores.row("n1").unwrap().into_keys().collect();
    assert_eq!(
        row,
        ["ImageLocality", "NodeResourcesBalancedAllocation", "NodeResourcesFit", "TaintToleration", "total"]
    );
}

#[test]
fn a_single_feasible_node_is_taken_without_scoring() {
    let p = run(&[node("n1", "4", &[]), node("n2", "100m", &[]), pod("p", &[], "500m", "")]);
    let pl = placements(&p, "p")[0];
    assert_eq!((pl.selected_node.as_deref(), pl.feasible_nodes), (Some("n1"), 1));
    assert!(pl.scores.is_empty() && pl.tied_nodes.is_empty());
}

#[test]
fn prefilter_results_narrow_the_nodes_and_name_their_plugin() {
    let pinned = |names: &str| {
        format!(
            "  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n        nodeSelectorTerms:\n        - matchFields:\n{names}"
        )
    };
    let p = run(&[
        node("n1", "4", &[]),
        node("n2", "4", &[]),
        pod("ghost", &[], "100m", &pinned("          - {key: metadata.name, operator: In, values: [ghost]}\n")),
        pod(
            "conflict",
            &[],
            "100m",
            &pinned("          - {key: metadata.name, operator: In, values: [n1]}\n          - {key: metadata.name, operator: In, values: [n2]}\n"),
        ),
    ]);
    assert_eq!(
        unschedulable_message(&p, "ghost"),
        "0/2 nodes are available: 2 node(s) didn't satisfy plugin(s) [NodeAffinity]. preemption: 0/2 nodes are \
         available: 2 Preemption is not helpful for scheduling."
    );
    assert_eq!(
        unschedulable_message(&p, "conflict"),
        "0/2 nodes are available: pod affinity terms conflict. preemption: 0/2 nodes are available: 2 Preemption is \
         not helpful for scheduling."
    );
}

#[test]
fn node_quantities_overflow_as_the_scheduler_reads_them() {
    // `MilliValue` of 1e17 cores overflows int64 in Go's positiveScaleInt64 and comes out as 0: such a node has
    // no cpu to the scheduler.
    let q = run(&[node("huge", "1e17", &[]), pod("p", &[], "100m", "")]);
    assert!(unschedulable_message(&q, "p").contains("1 Insufficient cpu"), "{}", unschedulable_message(&q, "p"));
    // 9.2e15 cores is 9.2e18 millicores: the pod fits, and LeastAllocated's (capacity - requested) * 100 wraps
    // around int64 as Go's does.
    let p = run(&[node("big", "9223372036854775", &[]), node("small", "4", &[]), pod("p", &[], "100m", "")]);
    let capacity: i64 = 9_223_372_036_854_775_000;
    let cpu = (capacity - 100).wrapping_mul(100) / capacity;
    let memory = (8192 - 200) * 100 / 8192;
    let fit = plugin_scores(&p, "p", "NodeResourcesFit");
    assert_eq!(fit[0], ("big".to_owned(), Some((cpu + memory) / 2)));
}
