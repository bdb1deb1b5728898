//! The ReplicaSet controller's claim view (`controller/replicaset/view.rs`) across the changes it must follow:
//! creations over several rounds, pods deleted, failed or relabelled, an orphan to adopt, scaling down, and a
//! ReplicaSet it must not view. In test builds every sync that reads a view also checks it against the full
//! claim (a debug assertion), so these tests fail if the view and the claim disagree at any sync, as well as on
//! the outcomes asserted here.

use std::sync::Arc;

use kubeplan::api::apps_v1::ReplicaSet;
use kubeplan::api::core_v1::Pod;
use kubeplan::api::{controller_of, GroupKind, Object};
use kubeplan::cluster::{Cluster, Concurrency, Propagation};
use kubeplan::input::{load, Source};
use kubeplan::sim::Simulation;

use crate::common::numbered_nodes;

fn replica_set(replicas: i32, min_ready_seconds: i32) -> String {
    format!(
        "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {{name: web, namespace: default}}\nspec:\n  replicas: {replicas}\n  \
         minReadySeconds: {min_ready_seconds}\n  selector: {{matchLabels: {{app: web}}}}\n  template:\n    metadata: {{labels: {{app: web, tier: front}}}}\n    \
         spec:\n      containers: [{{name: c, image: nginx:1.27, resources: {{requests: {{cpu: 10m}}}}}}]\n"
    )
}

const NODES: usize = 20;

/// The cluster planned with 20 nodes and the ReplicaSet `web`, with the actors' state kept for the steps a test
/// takes next.
fn planned(replicas: i32, min_ready_seconds: i32) -> Simulation {
    let mut sim = Simulation::new();
    sim.initial(load(&[Source::new("m.yaml", numbered_nodes(NODES, "64") + &replica_set(replicas, min_ready_seconds))]), &mut Vec::new());
    sim
}

fn web(c: &Cluster) -> &ReplicaSet {
    c.store().get::<ReplicaSet>("default", "web").expect("the ReplicaSet web")
}

/// The ReplicaSet's status counts: replicas, fully labelled, ready, available.
fn counts(c: &Cluster) -> (i32, i32, i32, i32) {
    let s = &web(c).status;
    (s.replicas, s.fully_labeled_replicas, s.ready_replicas, s.available_replicas)
}

/// The active pods the ReplicaSet controls.
fn controlled(c: &Cluster) -> Vec<&Pod> {
    let uid = &web(c).metadata.uid;
    let active = |p: &&Pod| p.metadata.deletion_timestamp.is_none() && !matches!(p.status.phase.as_str(), "Failed" | "Succeeded");
    c.store().list::<Pod>().filter(|p| controller_of(&p.metadata).is_some_and(|r| &r.uid == uid)).filter(active).collect()
}

fn is_viewed(sim: &Simulation) -> bool {
    sim.controllers.replicaset.is_viewed(&web(&sim.cluster).metadata.uid)
}

fn write(sim: &mut Simulation, phase: &str, pod: Pod) {
    sim.begin_phase(phase);
    sim.cluster.patch(Object::Pod(Arc::new(pod)), Concurrency::Unchecked).expect("the pod written");
    sim.settle();
}

#[test]
fn a_large_replica_set_is_counted_from_its_view() {
    let sim = planned(1500, 0);
    assert_eq!(counts(&sim.cluster), (1500, 1500, 1500, 1500));
    assert_eq!(controlled(&sim.cluster).len(), 1500);
    assert!(is_viewed(&sim), "the ReplicaSet's syncs read a view once its claim adopts and releases nothing");
}

#[test]
fn deleted_and_failed_pods_are_replaced() {
    let mut sim = planned(600, 0);
    let gone = controlled(&sim.cluster)[10].metadata.name.clone();
    sim.begin_phase("step1:delete");
    sim.cluster.delete(GroupKind::Pod, "default", &gone, Propagation::Background).unwrap();
    sim.settle();
    assert_eq!(counts(&sim.cluster), (600, 600, 600, 600));
    assert!(controlled(&sim.cluster).iter().all(|p| p.metadata.name != gone));

    let mut failed = controlled(&sim.cluster)[20].clone();
    failed.status.phase = "Failed".into();
    write(&mut sim, "step2:fail", failed.clone());
    assert_eq!(counts(&sim.cluster), (600, 600, 600, 600));
    assert!(controlled(&sim.cluster).iter().all(|p| p.metadata.name != failed.metadata.name));
    assert!(is_viewed(&sim));
}

#[test]
fn a_pod_that_loses_the_template_labels_is_counted_as_not_fully_labelled() {
    let mut sim = planned(300, 0);
    let mut pod = controlled(&sim.cluster)[0].clone();
    pod.metadata.labels.remove("tier");
    write(&mut sim, "step1:relabel", pod);
    assert_eq!(counts(&sim.cluster), (300, 299, 300, 300), "still selected, no longer fully labelled");
    assert!(is_viewed(&sim));
}

#[test]
fn an_orphan_is_adopted_and_a_pod_the_selector_drops_is_released() {
    let mut sim = planned(300, 0);
    // A pod that loses its owner reference is an orphan the selector matches: adopted back, nothing created.
    let mut orphan = controlled(&sim.cluster)[5].clone();
    orphan.metadata.owner_references.clear();
    write(&mut sim, "step1:orphan", orphan.clone());
    let adopted = sim.cluster.store().get::<Pod>("default", &orphan.metadata.name).expect("the orphan kept");
    assert_eq!(controller_of(&adopted.metadata).map(|r| r.name.as_str()), Some("web"));
    assert_eq!(controlled(&sim.cluster).len(), 300);
    assert_eq!(counts(&sim.cluster), (300, 300, 300, 300));

    // A pod the selector no longer matches is released and replaced.
    let mut dropped = controlled(&sim.cluster)[7].clone();
    dropped.metadata.labels.insert("app".into(), "other".into());
    write(&mut sim, "step2:release", dropped.clone());
    let released = sim.cluster.store().get::<Pod>("default", &dropped.metadata.name).expect("the released pod kept");
    assert!(controller_of(&released.metadata).is_none());
    assert_eq!(controlled(&sim.cluster).len(), 300);
    assert_eq!(counts(&sim.cluster), (300, 300, 300, 300));
    assert!(is_viewed(&sim), "the view is built again by the sync that claimed in full");
}

#[test]
fn scaling_down_deletes_from_the_claim_the_view_stands_for() {
    let mut sim = planned(900, 0);
    assert!(is_viewed(&sim));
    sim.update(load(&[Source::new("m.yaml", numbered_nodes(NODES, "64") + &replica_set(250, 0))]), &mut Vec::new());
    assert_eq!(controlled(&sim.cluster).len(), 250);
    assert_eq!(counts(&sim.cluster), (250, 250, 250, 250));
    let deletions = sim.cluster.rec.events.iter().filter(|e| e.reason == "SuccessfulDelete").count();
    assert_eq!(deletions, 650, "at most 500 a sync, every surplus pod once");
}

#[test]
fn a_replica_set_with_min_ready_seconds_is_claimed_in_full() {
    let sim = planned(300, 30);
    assert!(!is_viewed(&sim), "its availability moves with the clock");
    let (replicas, labeled, ready, _) = counts(&sim.cluster);
    assert_eq!((replicas, labeled, ready), (300, 300, 300));
}
