//! The DaemonSet controller's per-node view (`controller/daemonset/view.rs`) across the changes it must follow:
//! bursts of creations over several rounds, failed pods, pods deleted by hand, orphans to adopt and nodes
//! changing. In test builds every sync also checks the view against the full walk over nodes and pods (a
//! debug assertion), so these tests fail if the view and the walk disagree at any sync, as well as on the
//! outcomes asserted here.

use kubeplan::api::core_v1::{Node, Pod};
use kubeplan::api::{GroupKind, Object, Resource};
use kubeplan::cluster::{Cluster, Concurrency, Propagation};
use kubeplan::input::{load, Source};
use kubeplan::sim::Simulation;
use kubeplan::api::apps_v1::DaemonSet;

fn nodes(n: usize) -> String {
    (1..=n)
        .map(|i| {
            format!(
                "{{apiVersion: v1, kind: Node, metadata: {{name: n-{i:04}, labels: {{kubernetes.io/hostname: n-{i:04}}}}}, \
                 status: {{capacity: {{cpu: '4', memory: 16Gi, pods: '110'}}, conditions: [{{type: Ready, status: 'True'}}]}}}}\n---\n"
            )
        })
        .collect()
}

const DS: &str = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent, namespace: default}\nspec:\n  selector: {matchLabels: {app: agent}}\n  template:\n    metadata: {labels: {app: agent}}\n    spec:\n      containers: [{name: c, image: busybox:1.36}]\n";

/// The cluster planned, with the actors' state kept for the steps a test takes next.
fn planned(n: usize) -> Simulation {
    let mut sim = Simulation::new();
    sim.initial(load(&[Source::new("m.yaml", nodes(n) + DS)]), &mut Vec::new());
    sim
}

fn daemon_pods(c: &Cluster) -> Vec<&Pod> {
    c.store().list::<Pod>().filter(|p| p.metadata.labels.get("app").map(String::as_str) == Some("agent")).collect()
}

fn running_on_every_node(c: &Cluster) -> bool {
    let pods = daemon_pods(c);
    let mut on: Vec<&str> = pods.iter().filter(|p| p.status.phase == "Running").map(|p| p.spec.node_name.as_str()).collect();
    on.sort_unstable();
    on.dedup();
    pods.len() == c.store().count(GroupKind::Node) && on.len() == c.store().count(GroupKind::Node)
}

fn pod_on(c: &Cluster, node: &str) -> Pod {
    daemon_pods(c).into_iter().find(|p| p.spec.node_name == node).cloned().expect("a daemon pod on the node")
}

fn status(c: &Cluster) -> (i32, i32, i32) {
    let s = &c.store().list::<DaemonSet>().next().unwrap().status;
    (s.desired_number_scheduled, s.current_number_scheduled, s.number_ready)
}

#[test]
fn creations_come_in_bursts_of_250_a_sync_until_every_node_has_a_pod() {
    let c = planned(600);
    assert!(running_on_every_node(&c.cluster));
    assert_eq!(status(&c.cluster), (600, 600, 600));
    let created_in_round = |round: u32| {
        let step = c.cluster.rec.steps.iter().find(|s| s.phase == "initial" && s.round == round);
        step.map_or(0, |s| s.actions.iter().filter(|a| a.op == kubeplan::cluster::Op::Create).count())
    };
    assert_eq!((created_in_round(1), created_in_round(2), created_in_round(3)), (250, 250, 100));
}

#[test]
fn a_failed_pod_is_reported_deleted_and_replaced() {
    let mut c = planned(300);
    let mut pod = pod_on(&c.cluster, "n-0123");
    pod.status.phase = "Failed".into();
    c.begin_phase("step1:fail");
    let _ = c.cluster.patch(Object::Pod(std::sync::Arc::new(pod.clone())), Concurrency::Unchecked);
    c.settle();
    assert!(running_on_every_node(&c.cluster));
    assert!(c.cluster.store().get::<Pod>(&pod.metadata.namespace, &pod.metadata.name).is_none());
    let failed = c.cluster.rec.events.iter().filter(|e| e.reason == "FailedDaemonPod").count();
    assert_eq!(failed, 1);
    assert_eq!(status(&c.cluster), (300, 300, 300));
}

#[test]
fn a_deleted_pod_is_recreated_and_an_orphan_is_adopted_instead_of_duplicated() {
    let mut c = planned(300);
    let gone = pod_on(&c.cluster, "n-0007");
    c.begin_phase("step1:delete");
    c.cluster.delete(GroupKind::Pod, "default", &gone.metadata.name, Propagation::Background).unwrap();
    c.settle();
    assert!(running_on_every_node(&c.cluster));
    assert_ne!(pod_on(&c.cluster, "n-0007").metadata.name, gone.metadata.name);

    // A pod that loses its owner reference is an orphan the DaemonSet's selector matches: it is adopted back,
    // and its node keeps exactly one pod.
    let mut orphan = pod_on(&c.cluster, "n-0200");
    orphan.metadata.owner_references.clear();
    c.begin_phase("step2:orphan");
    let _ = c.cluster.patch(Object::Pod(std::sync::Arc::new(orphan.clone())), Concurrency::Unchecked);
    c.settle();
    assert!(running_on_every_node(&c.cluster));
    let adopted = pod_on(&c.cluster, "n-0200");
    assert_eq!(adopted.metadata.name, orphan.metadata.name);
    assert_eq!(adopted.metadata.owner_references.len(), 1);
}

#[test]
fn a_tainted_node_keeps_its_pod_and_a_removed_node_loses_it() {
    let mut c = planned(300);
    let mut node = c.cluster.store().get::<Node>("", "n-0042").cloned().expect("node n-0042");
    node.spec.taints.push(kubeplan::api::core_v1::Taint {
        key: "x".into(),
        effect: "NoSchedule".into(),
        ..Default::default()
    });
    c.begin_phase("step1:taint");
    c.cluster.patch(node.into_object(), Concurrency::Unchecked).unwrap();
    c.settle();
    assert_eq!(status(&c.cluster), (299, 299, 299), "the tainted node is no longer desired");
    assert_eq!(c.cluster.store().list::<DaemonSet>().next().unwrap().status.number_misscheduled, 1);

    c.begin_phase("step2:remove");
    c.cluster.delete(GroupKind::Node, "", "n-0099", Propagation::Background).unwrap();
    c.settle();
    assert_eq!(status(&c.cluster).0, 298);
}
