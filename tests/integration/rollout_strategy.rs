//! How each workload's update strategy turns percentages into pod counts, seen end to end and through
//! `kubectl rollout status`: DaemonSets round maxSurge and maxUnavailable up
//! (`daemon/util/daemonset_util.go:SurgeCount`, `UnavailableCount`), Deployments round maxSurge up and
//! maxUnavailable down (`deployment/util/deployment_util.go:ResolveFenceposts`, which also lets one pod be
//! unavailable when both come out 0), StatefulSets update only ordinals at or above the partition.

use crate::rollout_util;

use kubeplan::cluster::Op;
use kubeplan::rollout::{lines, stalls};
use kubeplan::api::GroupKind;
use kubeplan::api::core_v1::Pod;
use kubeplan::api::apps_v1::ReplicaSet;
use rollout_util::*;

fn ds_update(n: usize, strategy: &str) -> kubeplan::Plan {
    let input = nodes(n, "4") + &daemonset("agent:v1", strategy, "", "");
    let update = daemonset("agent:v2", strategy, "", "");
    run(&input, Some(&update), None)
}

/// The most pods alive at once during `phase`, starting from `start` (those beyond one per node are surge pods).
fn max_pods_in_phase(p: &kubeplan::Plan, phase: &str, start: usize) -> usize {
    let mut live = start;
    let mut max = start;
    for s in p.cluster.rec.steps.iter().filter(|s| s.phase == phase) {
        for a in &s.actions {
            match a.op {
                Op::Create => live += 1,
                Op::Delete => live -= 1,
                _ => {}
            }
        }
        max = max.max(live);
    }
    max
}

#[test]
fn daemonset_max_surge_percentage_rounds_up() {
    // 30% of 5 nodes is 1.5: two surge pods at once, never more.
    let p = ds_update(5, "{type: RollingUpdate, rollingUpdate: {maxSurge: 30%, maxUnavailable: 0}}");
    let round = first_round(&p, "update");
    assert_eq!(ops(&p, "update", round, Op::Create).len(), 2);
    assert!(
        ops(&p, "update", round, Op::Delete).is_empty(),
        "surge replaces old pods only once new ones are available"
    );
    assert_eq!(max_pods_in_phase(&p, "update", 5), 7);
    assert!(images(&p).values().all(|i| i == "agent:v2"));
    assert!(stalls(&p.cluster).is_empty());
}

#[test]
fn daemonset_max_unavailable_percentage_rounds_up() {
    // 30% of 5 is 1.5: two old pods go at once.
    let p = ds_update(5, "{type: RollingUpdate, rollingUpdate: {maxUnavailable: 30%}}");
    let round = first_round(&p, "update");
    assert_eq!(ops(&p, "update", round, Op::Delete).len(), 2);
    assert!(ops(&p, "update", round, Op::Create).is_empty(), "replacements come once the old pods are gone");
    // 25% of 3 is 0.75: rounded up to one, not down to a rollout that never starts.
    let p = ds_update(3, "{type: RollingUpdate, rollingUpdate: {maxUnavailable: 25%}}");
    let round = first_round(&p, "update");
    assert_eq!(ops(&p, "update", round, Op::Delete).len(), 1);
    assert!(images(&p).values().all(|i| i == "agent:v2"));
    assert_eq!(max_pods_in_phase(&p, "update", 3), 3, "without surge a node never has two pods");
}

fn deploy_update(replicas: i32, strategy: &str) -> kubeplan::Plan {
    let input = nodes(3, "8") + &deployment(replicas, "web:v1", strategy, "", "");
    let update = deployment(replicas, "web:v2", strategy, "", "");
    run(&input, Some(&update), None)
}

/// The first scaling events of the update: the new ReplicaSet's first size and the old one's first cut.
fn first_scaling(p: &kubeplan::Plan) -> Vec<String> {
    events(p, "update", "ScalingReplicaSet").into_iter().take(2).collect()
}

fn rs_by_revision(p: &kubeplan::Plan, revision: &str) -> String {
    p.cluster
        .store()
        .list::<ReplicaSet>()
        .find(|rs| {
            rs.metadata.annotations.get("deployment.kubernetes.io/revision").map(String::as_str) == Some(revision)
        })
        .map(|rs| rs.metadata.name.clone())
        .expect("a ReplicaSet at that revision")
}

#[test]
fn deployment_max_surge_rounds_up_and_max_unavailable_down() {
    // 30% of 5 = 1.5: surge 2 (up), unavailable 1 (down).
    let p = deploy_update(5, "{type: RollingUpdate, rollingUpdate: {maxSurge: 30%, maxUnavailable: 30%}}");
    let (old, new) = (rs_by_revision(&p, "1"), rs_by_revision(&p, "2"));
    assert_eq!(
        first_scaling(&p),
        [format!("Scaled up replica set {new} from 0 to 2"), format!("Scaled down replica set {old} from 5 to 4")]
    );
    // 10% of 5 = 0.5: surge 1, unavailable 0, so nothing old goes before a new pod is available.
    let p = deploy_update(5, "{type: RollingUpdate, rollingUpdate: {maxSurge: 10%, maxUnavailable: 10%}}");
    let new = rs_by_revision(&p, "2");
    assert_eq!(events(&p, "update", "ScalingReplicaSet")[0], format!("Scaled up replica set {new} from 0 to 1"));
    assert!(lines(&p.cluster.rec).iter().any(|l| l.phase == "update" && l.done));
}

#[test]
fn deployment_both_rounding_to_zero_lets_one_pod_be_unavailable() {
    // maxSurge 0 and 10% of 5 rounded down to 0: ResolveFenceposts makes maxUnavailable 1.
    let p = deploy_update(5, "{type: RollingUpdate, rollingUpdate: {maxSurge: 0, maxUnavailable: 10%}}");
    let old = rs_by_revision(&p, "1");
    let scaling = events(&p, "update", "ScalingReplicaSet");
    assert_eq!(scaling[0], format!("Scaled down replica set {old} from 5 to 4"));
    assert!(p.cluster.store().list::<Pod>().all(|pod| pod.spec.containers[0].image == "web:v2"));
    assert_eq!(p.cluster.store().count(GroupKind::Pod), 5);
}

/// StatefulSet partitions: only ordinals at or above the partition take the new revision, and
/// `kubectl rollout status` reports a partitioned rollout as complete once those are updated.
#[test]
fn statefulset_partition_updates_only_the_ordinals_above_it() {
    let strategy = "{type: RollingUpdate, rollingUpdate: {partition: 1}}";
    let input = nodes(2, "4") + &statefulset(3, "db:v1", strategy);
    let p = run(&input, Some(&statefulset(3, "db:v2", strategy)), None);
    let imgs = images(&p);
    assert_eq!(imgs["db-0"], "db:v1");
    assert_eq!(imgs["db-1"], "db:v2");
    assert_eq!(imgs["db-2"], "db:v2");
    let update: Vec<String> =
        lines(&p.cluster.rec).into_iter().filter(|l| l.phase == "update").map(|l| l.message).collect();
    assert_eq!(update.first().map(String::as_str), Some("Waiting for statefulset spec update to be observed..."));
    assert_eq!(
        update.last().map(String::as_str),
        Some("partitioned roll out complete: 2 new pods have been updated...")
    );
    assert!(update.iter().any(|m| m.starts_with("Waiting for partitioned roll out to finish: ")));
    assert!(stalls(&p.cluster).is_empty(), "a partitioned rollout that reached its partition is complete");
}
