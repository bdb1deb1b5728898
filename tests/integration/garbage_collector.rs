//! Deleting an owner in the background (`pkg/controller/garbagecollector`): the API server removes the owner at
//! once, and the garbage collector deletes every dependent whose owner is gone. An owner created again under the
//! same name has a new UID, so for the collector the old dependents' owner is still gone (`isDangling` compares
//! UIDs); the cluster model does that collection in the deleting request itself, so the new owner starts
//! from a clean slate. On the timeline, what one request did in round 0 is one entry.

use crate::rollout_util;

use kubeplan::cluster::{Op, Step};
use kubeplan::input::Source;
use kubeplan::{plan, Plan, PlanInput, PlanOptions};
use kubeplan::api::apps_v1::DaemonSet;
use kubeplan::api::GroupKind;
use kubeplan::api::core_v1::Pod;
use rollout_util::*;

const DELETE_DS: &str = "- action: deleteObject\n  kind: DaemonSet\n  namespace: default\n  name: agent\n";

fn run_with_files(input: &str, steps: &str, files: &[(&str, &str)]) -> Plan {
    let p = plan(
        &PlanInput {
            manifests: vec![Source::new("input.yaml", input)],
            steps: Some(Source::new("steps.yaml", steps)),
            files: files.iter().map(|(n, t)| Source::new(*n, *t)).collect(),
            ..Default::default()
        },
        &PlanOptions::default(),
    );
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    assert!(p.rejections().is_empty(), "{:?}", p.rejections());
    p
}

fn entries<'a>(p: &'a Plan, phase: &str) -> Vec<&'a Step> {
    p.cluster.rec.steps.iter().filter(|s| s.phase == phase).collect()
}

fn pod_names(p: &Plan) -> Vec<String> {
    p.cluster.store().list::<Pod>().map(|pod| pod.metadata.name.clone()).collect()
}

#[test]
fn a_background_deleted_daemonsets_pods_go_in_one_entry_of_the_deleting_request() {
    let input = nodes(3, "4") + &daemonset("agent:v1", "{type: RollingUpdate}", "", "");
    let before = run(&input, None, None);
    let p = run(&input, None, Some(DELETE_DS));
    let steps = entries(&p, "step1:deleteObject");
    assert_eq!(steps.len(), 1, "{steps:#?}");
    assert_eq!(steps[0].round, 0);
    assert!(steps[0].actions.iter().all(|a| a.op == Op::Delete && a.owner.as_deref() == Some("DaemonSet/agent")));
    let deleted: Vec<&str> = steps[0].actions.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(deleted, pod_names(&before), "every pod of the DaemonSet, in name order");
    assert_eq!(p.cluster.store().count(GroupKind::Pod), 0);
    assert_eq!(p.cluster.store().count(GroupKind::ControllerRevision), 0, "its ControllerRevision is a dependent too");
}

#[test]
fn a_daemonset_created_again_after_a_background_delete_starts_afresh() {
    let ds = daemonset("agent:v1", "{type: RollingUpdate}", "", "");
    let input = nodes(3, "4") + &ds;
    let steps = format!("{DELETE_DS}- action: apply\n  file: ds.yaml\n");
    let before = run(&input, None, None);
    let p = run_with_files(&input, &steps, &[("ds.yaml", &ds)]);

    // The old pods and revision went with the old DaemonSet, so the new one neither skips nodes nor meets a
    // revision of the same name owned by another UID (which would raise its collisionCount).
    let new = p.cluster.store().list::<DaemonSet>().next().expect("the new DaemonSet");
    assert_eq!(new.status.collision_count, None);
    assert_eq!(revisions(&p), revisions(&before), "the same template hashes to the same revision name");
    let created = ops(&p, "step2:apply", 1, Op::Create);
    assert_eq!(created.len(), 3);
    assert!(created.iter().all(|n| !pod_names(&before).contains(n)), "new names: {created:?}");
    for pod in p.cluster.store().list::<Pod>() {
        assert_eq!(pod.metadata.owner_references[0].uid, new.metadata.uid);
        assert_eq!(pod.status.phase, "Running");
    }
    assert_eq!(entries(&p, "step2:apply").iter().map(|s| s.round).collect::<Vec<_>>(), [1]);
}

#[test]
fn a_deployments_replica_sets_and_their_pods_go_in_one_entry() {
    let input = nodes(2, "4") + &deployment(3, "web:v1", "{type: RollingUpdate}", "", "");
    let steps = "- action: deleteObject\n  kind: Deployment\n  namespace: default\n  name: web\n";
    let p = run(&input, None, Some(steps));
    let entries = entries(&p, "step1:deleteObject");
    assert_eq!(entries.len(), 1, "{entries:#?}");
    assert_eq!(entries[0].actions.len(), 3);
    assert!(p.cluster.store().count(GroupKind::ReplicaSet) == 0 && p.cluster.store().count(GroupKind::Pod) == 0);
}

#[test]
fn each_document_applied_in_round_0_is_an_entry_of_its_own() {
    let pod = |name: &str| {
        format!("apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}}}\nspec:\n  containers: [{{name: c, image: 'c:1'}}]\n---\n")
    };
    let p = run(&(nodes(1, "4") + &pod("a") + &pod("b")), None, None);
    let round0: Vec<Vec<&str>> = entries(&p, "initial")
        .into_iter()
        .filter(|s| s.round == 0)
        .map(|s| s.actions.iter().map(|a| a.name.as_str()).collect())
        .collect();
    assert_eq!(round0, [["a"], ["b"]]);
}
