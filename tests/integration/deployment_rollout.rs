//! Deployment rollouts end to end, checked against the rules of the v1.32 Deployment and ReplicaSet controllers
//! (`pkg/controller/deployment`, `pkg/controller/replicaset`).

use std::collections::{BTreeMap, BTreeSet};

use kubeplan::cluster::{Event, Op, Step};
use kubeplan::input::Source;
use kubeplan::{plan, Plan, PlanInput, PlanOptions};
use kubeplan::api::apps_v1::{Deployment, ReplicaSet};
use kubeplan::api::core_v1::Pod;

fn nodes(n: usize, cpu: &str) -> String {
    (1..=n)
        .map(|i| {
            format!(
                "apiVersion: v1\nkind: Node\nmetadata: {{name: n{i}, labels: {{kubernetes.io/hostname: n{i}}}}}\nstatus: {{capacity: {{cpu: '{cpu}', memory: 8Gi, pods: '110'}}, conditions: [{{type: Ready, status: 'True'}}]}}\n---\n"
            )
        })
        .collect()
}

/// A Deployment `web` with the given replicas, image, strategy (YAML flow mapping) and extra spec/pod-spec lines.
fn deployment(replicas: i32, image: &str, strategy: &str, spec_extra: &str, pod_extra: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: web}}\nspec:\n  replicas: {replicas}\n  strategy: {strategy}\n{spec_extra}  selector: {{matchLabels: {{app: web}}}}\n  template:\n    metadata: {{labels: {{app: web}}}}\n    spec:\n{pod_extra}      containers: [{{name: web, image: '{image}', resources: {{requests: {{cpu: 100m}}}}}}]\n"
    )
}

fn run(input: &str, update: Option<&str>, steps: Option<&str>, files: &[(&str, &str)]) -> Plan {
    let p = plan(
        &PlanInput {
            manifests: vec![Source::new("input.yaml", input)],
            update: update.map(|u| vec![Source::new("update.yaml", u)]).unwrap_or_default(),
            steps: steps.map(|s| Source::new("steps.yaml", s)),
            files: files.iter().map(|(n, t)| Source::new(*n, *t)).collect(),
        },
        &PlanOptions::default(),
    );
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    assert!(p.rejections().is_empty(), "{:?}", p.rejections());
    p
}

fn phase_steps<'a>(p: &'a Plan, phase: &str) -> Vec<&'a Step> {
    p.cluster.rec.steps.iter().filter(|s| s.phase == phase).collect()
}

fn scaling_events<'a>(p: &'a Plan, phase: &str) -> Vec<&'a str> {
    p.cluster
        .rec
        .events
        .iter()
        .filter(|e: &&Event| e.phase == phase && e.reason == "ScalingReplicaSet")
        .map(|e| e.message.as_str())
        .collect()
}

/// ReplicaSet name -> (spec.replicas, revision annotation).
fn replica_sets(p: &Plan) -> BTreeMap<String, (i32, String)> {
    p.cluster
        .store()
        .list::<ReplicaSet>()
        .map(|rs| {
            let rev = rs.metadata.annotations.get("deployment.kubernetes.io/revision").cloned().unwrap_or_default();
            (rs.metadata.name.clone(), (rs.spec.replicas.unwrap_or(0), rev))
        })
        .collect()
}

fn rs_named_by_revision(p: &Plan, revision: &str) -> String {
    replica_sets(p)
        .into_iter()
        .find(|(_, (_, r))| r == revision)
        .map(|(n, _)| n)
        .expect("a ReplicaSet with that revision")
}

fn condition<'a>(p: &'a Plan, ty: &str) -> Option<&'a kubeplan::api::apps_v1::DeploymentCondition> {
    let d = p.cluster.store().list::<Deployment>().next()?;
    d.status.conditions.iter().find(|c| c.r#type == ty)
}

/// Pods as (owner, name).
type Pods = BTreeSet<(String, String)>;

/// Replay a phase's steps: after each round, the pods that exist and how many of them run.
fn replay(p: &Plan, phase: &str, start: &Pods) -> Vec<(u32, Pods, usize)> {
    let mut live: Pods = start.clone();
    let mut running: BTreeSet<String> = start.iter().map(|(_, n)| n.clone()).collect();
    let mut out = Vec::new();
    for step in phase_steps(p, phase) {
        for a in &step.actions {
            let owner = a.owner.clone().unwrap_or_default();
            match a.op {
                Op::Create => {
                    live.insert((owner, a.name.clone()));
                }
                Op::Delete => {
                    live.remove(&(owner, a.name.clone()));
                    running.remove(&a.name);
                }
                Op::Running => {
                    running.insert(a.name.clone());
                }
                _ => {}
            }
        }
        let up = live.iter().filter(|(_, n)| running.contains(n)).count();
        out.push((step.round, live.clone(), up));
    }
    out
}

/// The pods that exist when `phase` begins.
fn pods_at_end_of(p: &Plan, phase: &str) -> Pods {
    let mut live = BTreeSet::new();
    for step in p.cluster.rec.steps.iter().take_while(|s| s.phase != phase) {
        for a in &step.actions {
            let key = (a.owner.clone().unwrap_or_default(), a.name.clone());
            match a.op {
                Op::Create => {
                    live.insert(key);
                }
                Op::Delete => {
                    live.remove(&key);
                }
                _ => {}
            }
        }
    }
    live
}

/// RollingUpdate keeps every round within `replicas + maxSurge` pods and at least `replicas - maxUnavailable`
/// running ones (maxSurge rounded up, maxUnavailable down), and ends with only new pods.
#[test]
fn rolling_updates_stay_within_surge_and_availability() {
    for (replicas, surge, unavailable, max_pods, min_up) in [
        (3, "25%", "25%", 4, 3),
        (10, "25%", "25%", 13, 8),
        (6, "0", "1", 6, 5),
        (5, "50%", "50%", 8, 3),
        (4, "1", "0", 5, 4),
    ] {
        let strategy =
            format!("{{type: RollingUpdate, rollingUpdate: {{maxSurge: {surge}, maxUnavailable: {unavailable}}}}}");
        let strategy = strategy
            .replace("maxSurge: 25%", "maxSurge: '25%'")
            .replace("maxUnavailable: 25%", "maxUnavailable: '25%'");
        let strategy = strategy
            .replace("maxSurge: 50%", "maxSurge: '50%'")
            .replace("maxUnavailable: 50%", "maxUnavailable: '50%'");
        let input = nodes(3, "8") + &deployment(replicas, "nginx:1", &strategy, "", "");
        let update = deployment(replicas, "nginx:2", &strategy, "", "");
        let p = run(&input, Some(&update), None, &[]);
        let start = pods_at_end_of(&p, "update");
        assert_eq!(start.len(), replicas as usize);
        for (round, live, up) in replay(&p, "update", &start) {
            assert!(live.len() <= max_pods, "{replicas}/{surge}/{unavailable}: round {round} has {} pods", live.len());
            assert!(up >= min_up, "{replicas}/{surge}/{unavailable}: round {round} has {up} running");
        }
        let new_rs = rs_named_by_revision(&p, "2");
        let old_rs = rs_named_by_revision(&p, "1");
        let owners: BTreeSet<String> =
            p.cluster.store().list::<Pod>().map(|pod| pod.metadata.owner_references[0].name.clone()).collect();
        assert_eq!(owners, BTreeSet::from([new_rs.clone()]));
        assert_eq!(replica_sets(&p)[&old_rs].0, 0);
        let progressing = condition(&p, "Progressing").unwrap();
        assert_eq!(progressing.reason, "NewReplicaSetAvailable");
        assert_eq!(progressing.message, format!("ReplicaSet {new_rs:?} has successfully progressed."));
        assert_eq!(condition(&p, "Available").unwrap().reason, "MinimumReplicasAvailable");
    }
}

/// Recreate scales the old ReplicaSet to zero, then waits until its status shows no pods (the ReplicaSet
/// controller counts the pods it listed before deleting, so that takes one more round) before the new
/// ReplicaSet is created with every replica.
#[test]
fn recreate_creates_new_pods_once_old_ones_are_gone() {
    let input = nodes(2, "4") + &deployment(4, "nginx:1", "{type: Recreate}", "", "");
    let update = deployment(4, "nginx:2", "{type: Recreate}", "", "");
    let p = run(&input, Some(&update), None, &[]);
    let steps = phase_steps(&p, "update");
    assert!(steps[0].actions.iter().all(|a| a.op == Op::Delete) && steps[0].actions.len() == 4);
    let first_create = steps.iter().find(|s| s.actions.iter().any(|a| a.op == Op::Create)).unwrap();
    assert_eq!(first_create.round, steps[0].round + 2);
    assert_eq!(first_create.actions.iter().filter(|a| a.op == Op::Create).count(), 4);
    let new_rs = rs_named_by_revision(&p, "2");
    assert_eq!(
        scaling_events(&p, "update"),
        [
            format!("Scaled down replica set {} from 4 to 0", rs_named_by_revision(&p, "1")),
            format!("Scaled up replica set {new_rs} from 0 to 4")
        ]
    );
    // Recreate has no surge: max-replicas is the replica count.
    let rs = p.cluster.store().list::<ReplicaSet>().find(|r| r.metadata.name == new_rs).unwrap();
    assert_eq!(rs.metadata.annotations["deployment.kubernetes.io/max-replicas"], "4");
}

/// A rollout whose new pods cannot be scheduled stalls once maxUnavailable old pods are gone; scaling the
/// Deployment then shares the new size out in proportion to the ReplicaSets' sizes (`scale`, from their
/// max-replicas annotation to `replicas + maxSurge`).
#[test]
fn scaling_a_stalled_rollout_is_proportional() {
    let strategy = "{type: RollingUpdate, rollingUpdate: {maxSurge: '25%', maxUnavailable: '25%'}}";
    let input = nodes(3, "8") + &deployment(10, "nginx:1", strategy, "", "");
    let stuck = "      nodeSelector: {nowhere: 'true'}\n";
    let update = deployment(10, "nginx:2", strategy, "", stuck);
    let scaled = deployment(20, "nginx:2", strategy, "", stuck);
    let steps = "- action: apply\n  file: scaled.yaml\n";
    let p = run(&input, Some(&update), Some(steps), &[("scaled.yaml", &scaled)]);
    let (old, new) = (rs_named_by_revision(&p, "1"), rs_named_by_revision(&p, "2"));
    // Stalled at 8 old (2 unavailable allowed) and 5 new (13 pods at most).
    assert_eq!(
        scaling_events(&p, "update"),
        [
            format!("Scaled up replica set {new} from 0 to 3"),
            format!("Scaled down replica set {old} from 10 to 8"),
            format!("Scaled up replica set {new} from 3 to 5"),
        ]
    );
    // 25 pods allowed now: 8 * 25/13 -> 15 and 5 * 25/13 -> 10, larger first.
    assert_eq!(
        scaling_events(&p, "step1:apply"),
        [format!("Scaled up replica set {old} from 8 to 15"), format!("Scaled up replica set {new} from 5 to 10")]
    );
    let sets = replica_sets(&p);
    assert_eq!((sets[&old].0, sets[&new].0), (15, 10));
    let progressing = condition(&p, "Progressing").unwrap();
    assert_eq!(progressing.reason, "ReplicaSetUpdated");
    assert_eq!(condition(&p, "Available").unwrap().status, "True", "15 of 20 available, 5 may be unavailable");
}

/// Old ReplicaSets beyond `revisionHistoryLimit` are deleted, oldest revision first, once a rollout is complete.
#[test]
fn revision_history_limit_deletes_the_oldest_replica_sets() {
    let input = nodes(2, "4") + &deployment(2, "nginx:1", "{type: RollingUpdate}", "  revisionHistoryLimit: 1\n", "");
    let files: Vec<(String, String)> = (2..=4)
        .map(|v| {
            (
                format!("v{v}.yaml"),
                deployment(2, &format!("nginx:{v}"), "{type: RollingUpdate}", "  revisionHistoryLimit: 1\n", ""),
            )
        })
        .collect();
    let steps: String = (2..=4).map(|v| format!("- action: apply\n  file: v{v}.yaml\n")).collect();
    let files: Vec<(&str, &str)> = files.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    let p = run(&input, None, Some(&steps), &files);
    let revisions: BTreeSet<String> = replica_sets(&p).into_values().map(|(_, r)| r).collect();
    assert_eq!(revisions, BTreeSet::from(["3".to_owned(), "4".to_owned()]));
    let d = p.cluster.store().list::<Deployment>().next().unwrap();
    assert_eq!(d.metadata.annotations["deployment.kubernetes.io/revision"], "4");
}

/// Pods the API server refuses: FailedCreate events on the ReplicaSet, its ReplicaFailure condition, copied to
/// the Deployment, which stays unavailable.
#[test]
fn refused_pods_become_replica_failure() {
    let input =
        nodes(1, "4") + &deployment(3, "nginx:1", "{type: RollingUpdate}", "", "      priorityClassName: nope\n");
    let p = run(&input, None, None, &[]);
    let rs = p.cluster.store().list::<ReplicaSet>().next().unwrap();
    let message = format!("pods \"{}-\" is forbidden: no PriorityClass with name nope was found", rs.metadata.name);
    let failed: Vec<&Event> = p.cluster.rec.events.iter().filter(|e| e.reason == "FailedCreate").collect();
    assert_eq!(failed.len(), 1, "repeats are counted on one event");
    assert_eq!(failed[0].message, format!("Error creating: {message}"));
    assert_eq!(failed[0].source.component, "replicaset-controller");
    let rs_cond = &rs.status.conditions[0];
    assert_eq!(
        (rs_cond.r#type.as_str(), rs_cond.reason.as_str(), rs_cond.message.as_str()),
        ("ReplicaFailure", "FailedCreate", message.as_str())
    );
    let d_cond = condition(&p, "ReplicaFailure").unwrap();
    assert_eq!((d_cond.reason.as_str(), d_cond.message.as_str()), ("FailedCreate", message.as_str()));
    assert_eq!(condition(&p, "Available").unwrap().reason, "MinimumReplicasUnavailable");
}

/// A paused Deployment does not roll out a new template, but still scales, and says it is paused.
#[test]
fn paused_deployments_scale_but_do_not_roll_out() {
    let input = nodes(2, "4") + &deployment(2, "nginx:1", "{type: RollingUpdate}", "", "");
    let update = deployment(3, "nginx:2", "{type: RollingUpdate}", "  paused: true\n", "");
    let p = run(&input, Some(&update), None, &[]);
    let sets = replica_sets(&p);
    assert_eq!(sets.len(), 1, "no new ReplicaSet while paused");
    assert_eq!(sets.values().next().unwrap().0, 3);
    let progressing = condition(&p, "Progressing").unwrap();
    assert_eq!((progressing.status.as_str(), progressing.reason.as_str()), ("Unknown", "DeploymentPaused"));
    assert_eq!(progressing.message, "Deployment is paused");
}

/// The deprecated `deprecated.deployment.rollback.to` annotation: the controller copies that revision's template
/// back, clears the annotation, and the old ReplicaSet comes back as the newest revision.
#[test]
fn rollback_annotation_restores_a_revision() {
    let input = nodes(2, "4") + &deployment(2, "nginx:1", "{type: RollingUpdate}", "", "");
    let update = deployment(2, "nginx:2", "{type: RollingUpdate}", "", "");
    let undo = update.replace(
        "metadata: {name: web}",
        "metadata: {name: web, annotations: {deprecated.deployment.rollback.to: '1'}}",
    );
    let p = run(&input, Some(&update), Some("- action: apply\n  file: undo.yaml\n"), &[("undo.yaml", &undo)]);
    let rolled: Vec<&Event> = p.cluster.rec.events.iter().filter(|e| e.reason == "DeploymentRollback").collect();
    assert_eq!(rolled.len(), 1);
    assert_eq!(rolled[0].message, "Rolled back deployment \"web\" to revision 1");
    let d = p.cluster.store().list::<Deployment>().next().unwrap();
    assert!(!d.metadata.annotations.contains_key("deprecated.deployment.rollback.to"));
    assert_eq!(d.spec.template.spec.containers[0].image, "nginx:1");
    let first = rs_named_by_revision(&p, "3");
    let rs = p.cluster.store().list::<ReplicaSet>().find(|r| r.metadata.name == first).unwrap();
    assert_eq!(rs.metadata.annotations["deployment.kubernetes.io/revision-history"], "1");
    assert!(p.cluster.store().list::<Pod>().all(|pod| pod.spec.containers[0].image == "nginx:1"));
}
