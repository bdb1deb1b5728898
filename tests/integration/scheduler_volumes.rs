//! VolumeBinding's PreFilter as kube-scheduler v1.32 runs it (`volumebinding.PreFilter`, `podHasPVCs`,
//! `GetPodVolumeClaims`), in a cluster with no PersistentVolume controller and no provisioner: a claim is bound
//! only if it is given bound.

use crate::common;

use common::*;

/// A claim in `default`; `extra` is more YAML for its spec (two spaces' indent), `meta` for its metadata.
fn claim(name: &str, meta: &str, extra: &str) -> String {
    format!(
        "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: {name}\n  namespace: default\n{meta}spec:\n  \
         accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Gi\n{extra}"
    )
}

fn class(name: &str, mode: &str) -> String {
    format!(
        "{{apiVersion: storage.k8s.io/v1, kind: StorageClass, metadata: {{name: {name}}}, provisioner: example.com/disk, \
         volumeBindingMode: {mode}}}"
    )
}

/// The volume `data` on claim `claim`, as pod YAML.
fn uses(claim: &str) -> String {
    format!("  volumes:\n  - name: data\n    persistentVolumeClaim:\n      claimName: {claim}\n")
}

const UNBOUND: &str = "0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/2 nodes \
                       are available: 2 Preemption is not helpful for scheduling.";

fn two_nodes() -> Vec<String> {
    vec![node("n1", "4", &[]), node("n2", "4", &[])]
}

#[test]
fn an_unbound_claim_without_a_class_keeps_the_pod_pending() {
    let mut docs = two_nodes();
    docs.extend([claim("c", "", ""), pod("p", &[], "100m", &uses("c"))]);
    let p = run(&docs);
    assert_eq!(unschedulable_message(&p, "p"), UNBOUND);
}

#[test]
fn an_unbound_claim_of_an_immediate_class_keeps_the_pod_pending() {
    let mut docs = two_nodes();
    docs.extend([class("fast", "Immediate"), claim("c", "", "  storageClassName: fast\n"), pod("p", &[], "100m", &uses("c"))]);
    let p = run(&docs);
    assert_eq!(unschedulable_message(&p, "p"), UNBOUND);
}

#[test]
fn a_class_that_does_not_exist_binds_immediately() {
    let mut docs = two_nodes();
    docs.extend([claim("c", "", "  storageClassName: elsewhere\n"), pod("p", &[], "100m", &uses("c"))]);
    assert_eq!(unschedulable_message(&run(&docs), "p"), UNBOUND);
}

#[test]
fn a_wait_for_first_consumer_claim_passes_prefilter() {
    let mut docs = two_nodes();
    docs.extend([
        class("late", "WaitForFirstConsumer"),
        claim("c", "", "  storageClassName: late\n"),
        pod("p", &[], "100m", &uses("c")),
    ]);
    assert!(!node_of(&run(&docs), "p").is_empty());
}

#[test]
fn a_fully_bound_claim_passes_and_a_prebound_one_waits() {
    let mut docs = two_nodes();
    docs.extend([
        claim("bound", "  annotations: {pv.kubernetes.io/bind-completed: 'yes'}\n", "  volumeName: pv-1\n"),
        claim("prebound", "", "  volumeName: pv-2\n"),
        pod("uses-bound", &[], "100m", &uses("bound")),
        pod("uses-prebound", &[], "100m", &uses("prebound")),
    ]);
    let p = run(&docs);
    assert!(!node_of(&p, "uses-bound").is_empty());
    assert_eq!(unschedulable_message(&p, "uses-prebound"), UNBOUND);
}

#[test]
fn a_missing_claim_is_named() {
    let mut docs = two_nodes();
    docs.push(pod("p", &[], "100m", &uses("nowhere")));
    assert_eq!(
        unschedulable_message(&run(&docs), "p"),
        "0/2 nodes are available: persistentvolumeclaim \"nowhere\" not found. preemption: 0/2 nodes are available: \
         2 Preemption is not helpful for scheduling."
    );
}

#[test]
fn an_ephemeral_volume_waits_for_its_claim() {
    let mut docs = two_nodes();
    let ephemeral = "  volumes:\n  - name: scratch\n    ephemeral:\n      volumeClaimTemplate:\n        spec:\n          \
                     accessModes: [ReadWriteOnce]\n          resources:\n            requests:\n              storage: 1Gi\n";
    docs.push(pod("p", &[], "100m", ephemeral));
    assert_eq!(
        unschedulable_message(&run(&docs), "p"),
        "0/2 nodes are available: waiting for ephemeral volume controller to create the persistentvolumeclaim \
         \"p-scratch\". preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."
    );
}

#[test]
fn an_unbound_claim_does_not_preempt() {
    // The node is full with a low-priority pod; preemption would help a pod that only lacked room, but the
    // rejection is unresolvable, so the low-priority pod stays.
    let docs = [
        node("n1", "1", &[]),
        priority_class("high", 1000),
        on_node("low", &[], "900m", "n1", ""),
        claim("c", "", ""),
        pod("p", &[], "500m", &format!("  priorityClassName: high\n{}", uses("c"))),
    ];
    let p = run(&docs);
    assert_eq!(node_of(&p, "low"), "n1");
    assert_eq!(
        unschedulable_message(&p, "p"),
        "0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/1 nodes are \
         available: 1 Preemption is not helpful for scheduling."
    );
    assert!(get_pod(&p, "p").status.nominated_node_name.is_empty());
}
