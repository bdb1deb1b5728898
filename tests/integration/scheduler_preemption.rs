//! DefaultPreemption, from the rules of `preemption/preemption.go` and `defaultpreemption/default_preemption.go`:
//! only nodes whose filter said Unschedulable are dry-run; victims are the lower-priority pods that cannot be
//! reprieved (most important first); the candidate with the lowest highest-victim priority, then the lowest
//! priority sum, then the fewest victims wins; victims get `Preempted` events and the preemptor is nominated.

use crate::common;
use common::*;
use kubeplan::api::core_v1::Pod;

const ZONE: &str = "topology.kubernetes.io/zone";

fn with_class(class: &str) -> String {
    format!("  priorityClassName: {class}\n")
}

fn preempted(p: &kubeplan::Plan) -> Vec<(String, String)> {
    scheduler_events(p).into_iter().filter(|e| e.0 == "Preempted").map(|e| (e.1, e.2)).collect()
}

#[test]
fn a_higher_priority_pod_evicts_and_is_nominated_then_bound() {
    let p = run(&[
        priority_class("low", 10),
        priority_class("high", 1000),
        node("n1", "1", &[]),
        on_node("low", &[], "800m", "n1", &with_class("low")),
        pod("high", &[], "800m", &with_class("high")),
    ]);
    let uid = get_pod(&p, "high").metadata.uid.clone();
    assert_eq!(preempted(&p), [("low".to_string(), format!("Preempted by pod {uid} on node n1"))]);
    assert!(p.cluster.store().get::<Pod>("default", "low").is_none());
    let first = placements(&p, "high")[0];
    assert_eq!(first.message.as_deref(), Some("0/1 nodes are available: 1 Insufficient cpu."));
    assert_eq!(first.nominated_node.as_deref(), Some("n1"));
    let high = get_pod(&p, "high");
    assert_eq!((high.spec.node_name.as_str(), high.status.nominated_node_name.as_str()), ("n1", "n1"));
}

#[test]
fn victims_are_the_pods_that_cannot_be_reprieved_most_important_first() {
    let p = run(&[
        priority_class("p1", 1),
        priority_class("p3", 3),
        priority_class("p5", 5),
        priority_class("p100", 100),
        node("n1", "1", &[]),
        on_node("a", &[], "300m", "n1", &with_class("p5")),
        on_node("b", &[], "300m", "n1", &with_class("p1")),
        on_node("c", &[], "300m", "n1", &with_class("p3")),
        pod("high", &[], "300m", &with_class("p100")),
    ]);
    // All three out, the pod fits; a (5) and c (3) come back, b (1) would overflow the node.
    assert_eq!(preempted(&p).iter().map(|v| v.0.as_str()).collect::<Vec<_>>(), ["b"]);
    assert_eq!(node_of(&p, "high"), "n1");
    assert_eq!([node_of(&p, "a"), node_of(&p, "c")], ["n1", "n1"]);
}

#[test]
fn the_node_with_the_least_important_victims_is_chosen() {
    let classes = [priority_class("p3", 3), priority_class("p5", 5), priority_class("p100", 100)];
    let mut docs = classes.to_vec();
    docs.extend([
        node("n1", "1", &[]),
        node("n2", "1", &[]),
        on_node("v1", &[], "800m", "n1", &with_class("p5")),
        on_node("v2", &[], "800m", "n2", &with_class("p3")),
        pod("high", &[], "500m", &with_class("p100")),
    ]);
    let p = run(&docs);
    assert_eq!(preempted(&p).iter().map(|v| v.0.as_str()).collect::<Vec<_>>(), ["v2"], "highest victim priority 3 < 5");

    let mut docs = classes.to_vec();
    docs.extend([
        node("n1", "1", &[]),
        node("n2", "1", &[]),
        on_node("v1", &[], "400m", "n1", &with_class("p3")),
        on_node("v2", &[], "400m", "n1", &with_class("p3")),
        on_node("v3", &[], "800m", "n2", &with_class("p3")),
        pod("high", &[], "900m", &with_class("p100")),
    ]);
    let p = run(&docs);
    assert_eq!(preempted(&p).iter().map(|v| v.0.as_str()).collect::<Vec<_>>(), ["v3"], "equal top priority: smaller sum");
}

#[test]
fn the_dry_run_moves_pods_through_the_spread_state() {
    let spread = "  topologySpreadConstraints:\n  - maxSkew: 1\n    topologyKey: topology.kubernetes.io/zone\n    whenUnsatisfiable: DoNotSchedule\n    labelSelector:\n      matchLabels: {app: x}\n";
    let p = run(&[
        priority_class("p100", 100),
        priority_class("p200", 200),
        node("n1", "4", &[(ZONE, "a")]),
        node("n2", "1", &[(ZONE, "b")]),
        on_node("x1", &[("app", "x")], "100m", "n1", ""),
        on_node("x2", &[("app", "x")], "100m", "n1", ""),
        on_node("blocker", &[("app", "other")], "1", "n2", &with_class("p200")),
        pod("p", &[("app", "x")], "100m", &format!("{}{spread}", with_class("p100"))),
    ]);
    // Zone a holds 2 matching pods, zone b none: n1 would have skew 3. With x1 and x2 removed through RemovePod
    // the skew is 1; putting either back (AddPod) makes it 2 again, so both are victims.
    let first = placements(&p, "p")[0];
    assert_eq!(
        first.message.as_deref(),
        Some("0/2 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match pod topology spread constraints.")
    );
    assert_eq!(preempted(&p).iter().map(|v| v.0.as_str()).collect::<Vec<_>>(), ["x1", "x2"]);
    assert_eq!(node_of(&p, "p"), "n1");
}

#[test]
fn messages_when_preemption_cannot_help() {
    let p = run(&[
        "{apiVersion: scheduling.k8s.io/v1, kind: PriorityClass, metadata: {name: polite}, value: 1000, preemptionPolicy: Never}".to_string(),
        node("n1", "1", &[]),
        on_node("low", &[], "800m", "n1", ""),
        pod("never", &[], "800m", &with_class("polite")),
    ]);
    assert_eq!(
        unschedulable_message(&p, "never"),
        "0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never."
    );
    assert!(get_pod(&p, "never").status.nominated_node_name.is_empty());

    let p = run(&[
        priority_class("high", 1000),
        node("n1", "1", &[]),
        on_node("low", &[], "800m", "n1", ""),
        pod("huge", &[], "2", &with_class("high")),
    ]);
    // Even with every lower-priority pod gone the pod does not fit: the filter's reason is the node's status.
    assert_eq!(
        unschedulable_message(&p, "huge"),
        "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Insufficient cpu."
    );
    assert!(preempted(&p).is_empty());
}

/// Plan with the nominator holding pending pods' nominations (a long-lived queue) or not (the model).
fn run_reserving(docs: &[String], reserve: bool) -> kubeplan::Plan {
    use kubeplan::input::{load, Source};
    let mut sim = kubeplan::sim::Simulation::new();
    sim.scheduler.reserve_nominated_nodes = reserve;
    sim.begin_phase("initial");
    for m in load(&[Source::new("test.yaml", docs.join("\n---\n"))]).manifests {
        sim.cluster.create(m.object).expect("created");
    }
    sim.settle();
    kubeplan::Plan { cluster: sim.cluster, scheduler: sim.scheduler, controllers: sim.controllers, diagnostics: Vec::new() }
}

#[test]
fn a_nomination_holds_the_node_only_when_the_nominator_keeps_it() {
    let docs = [
        priority_class("high", 1000),
        node("n1", "500m", &[]),
        on_node("e", &[], "3", "n1", ""),
        pod("h", &[], "100m", &with_class("high")),
        pod("l", &[], "500m", ""),
    ];
    // The model: h preempts e and is nominated, but l (scheduled after h in the same pass) takes the room;
    // the next pass h preempts l, and binds the pass after.
    let p = run_reserving(&docs, false);
    assert_eq!(preempted(&p).iter().map(|v| v.0.as_str()).collect::<Vec<_>>(), ["e", "l"]);
    assert_eq!(node_of(&p, "h"), "n1");
    // A nominator that keeps h's nomination makes l see h on n1 (the two-pass filter): l does not fit.
    let p = run_reserving(&docs, true);
    assert_eq!(preempted(&p).iter().map(|v| v.0.as_str()).collect::<Vec<_>>(), ["e"]);
    assert_eq!(node_of(&p, "h"), "n1");
    assert_eq!(
        placements(&p, "l")[0].message.as_deref(),
        Some("0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.")
    );
}
