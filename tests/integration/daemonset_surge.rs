//! A DaemonSet rolling update with `maxSurge` whose surge pod waits for the host port its node's old pod holds,
//! and what deleting pods then does. The rules: a pod is on a node once bound to it (`spec.nodeName`); a sync
//! runs `manage` first (a node without a pod gets one) and the rolling update only once the controller has seen
//! `manage`'s creations and deletions (`updateDaemonSet`, `SatisfiedExpectations`); the rolling update counts a
//! node whose new pod is not available beside an old one against `maxSurge` and surges onto the next nodes in
//! name order (`rollingUpdate`).

use crate::rollout_util;

use kubeplan::api::core_v1::Pod;
use kubeplan::api::GroupKind;
use kubeplan::cluster::{Cluster, Op, Propagation};
use kubeplan::sim::Simulation;
use kubeplan::controller::daemonset::target_node_name;
use kubeplan::Plan;
use rollout_util::*;

const STRATEGY: &str = "{type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}";
const PORT: &str = ", ports: [{containerPort: 9100, hostPort: 9100}]";

/// Three nodes, the update stalled: n1 holds the old pod and the Pending surge pod.
fn stalled(steps: Option<&str>) -> Plan {
    let input = nodes(3, "4") + &daemonset("agent:v1", STRATEGY, "", PORT);
    run(&input, Some(&daemonset("agent:v2", STRATEGY, "", PORT)), steps)
}

fn pod<'a>(c: &'a Cluster, name: &str) -> &'a Pod {
    c.store().by_key::<Pod>(&("default".to_owned(), name.to_owned())).unwrap_or_else(|| panic!("pod {name}"))
}

fn image(pod: &Pod) -> &str {
    &pod.spec.containers[0].image
}

/// The old pod bound to n1 and the surge pod waiting for its port, by name.
fn pods_on_n1(c: &Cluster) -> (String, String) {
    let on_n1 = |bound: bool| {
        let mut pods = c.store().list::<Pod>().filter(|pod| {
            target_node_name(pod) == Some("n1") && pod.spec.node_name.is_empty() != bound
        });
        pods.next().map(|pod| pod.metadata.name.clone()).expect("a pod")
    };
    let (old, surge) = (on_n1(true), on_n1(false));
    assert_eq!((image(pod(c, &old)), image(pod(c, &surge))), ("agent:v1", "agent:v2"));
    (old, surge)
}

#[test]
fn deleting_the_pods_on_a_surged_node_deletes_the_old_pod_and_the_surge_pod_takes_its_port() {
    let (old, surge) = pods_on_n1(&stalled(None).cluster);
    let p = stalled(Some("- action: deletePod\n  namespace: default\n  owner: DaemonSet/agent\n  node: n1\n"));
    let phase = "step1:deletePod";
    assert_eq!(ops(&p, phase, 0, Op::Delete), [old], "the Pending surge pod is not on n1 yet");
    assert_eq!(ops(&p, phase, 1, Op::Bind), [surge.clone()]);
    assert_eq!(pod(&p.cluster, &surge).spec.node_name, "n1");
    assert_eq!(pod(&p.cluster, &surge).status.phase, "Running");

    // n1 is updated, so the surge budget is free again: the next node in name order gets a surge pod, which
    // waits for its old pod's port in turn.
    let created = ops(&p, phase, 1, Op::Create);
    assert_eq!(created.len(), 1);
    let next = pod(&p.cluster, &created[0]);
    assert_eq!((target_node_name(next), next.spec.node_name.as_str(), image(next)), (Some("n2"), "", "agent:v2"));
    assert!(ops(&p, phase, 2, Op::Create).is_empty());
}

#[test]
fn manage_replaces_a_deleted_pod_before_the_rolling_update_surges_again() {
    let load = |file: &str, text: String| kubeplan::input::load(&[kubeplan::input::Source::new(file, text)]);
    let mut sim = Simulation::new();
    let mut diagnostics = Vec::new();
    sim.initial(load("input.yaml", nodes(3, "4") + &daemonset("agent:v1", STRATEGY, "", PORT)), &mut diagnostics);
    sim.update(load("update.yaml", daemonset("agent:v2", STRATEGY, "", PORT)), &mut diagnostics);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let (old, surge) = pods_on_n1(&sim.cluster);
    sim.begin_phase("step1:delete");
    sim.cluster.delete(GroupKind::Pod, "default", &old, Propagation::Background).unwrap();
    sim.cluster.delete(GroupKind::Pod, "default", &surge, Propagation::Background).unwrap();
    sim.settle();

    // Round 1: n1 has no pod, so `manage` creates one there (at the new revision, free to start); having created
    // it, the controller leaves the rolling update for the next sync. Round 2: with n1 updated and no surge pod
    // left, the rolling update surges onto n2.
    let created = |round| cluster_ops(&sim.cluster, "step1:delete", round, Op::Create);
    let (replacement, surge_again) = (created(1), created(2));
    assert_eq!((replacement.len(), surge_again.len()), (1, 1));
    let (replacement, surge_again) = (pod(&sim.cluster, &replacement[0]), pod(&sim.cluster, &surge_again[0]));
    assert_eq!((replacement.spec.node_name.as_str(), image(replacement)), ("n1", "agent:v2"));
    assert_eq!((target_node_name(surge_again), surge_again.spec.node_name.as_str()), (Some("n2"), ""));
}

/// The actions of one phase and round with the given op, as pod names.
fn cluster_ops(c: &Cluster, phase: &str, round: u32, op: Op) -> Vec<String> {
    let steps = c.rec.steps.iter().filter(|s| s.phase == phase && s.round == round);
    steps.flat_map(|s| s.actions.iter()).filter(|a| a.op == op).map(|a| a.name.clone()).collect()
}
