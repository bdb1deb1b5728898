//! `kubectl rollout undo` and the history it reads, end to end: a DaemonSet rollback makes the old
//! ControllerRevision current again and renumbers it (`daemon/update.go:constructHistory`), a Deployment rollback
//! copies the ReplicaSet's template and annotations onto the Deployment (`polymorphichelpers/rollback.go`), a
//! rollback to the current template is skipped, kubectl's errors are rejections of the step, and old history is
//! cleaned up down to `revisionHistoryLimit`.

use crate::rollout_util;

use kubeplan::rollout::stalls;
use kubeplan::api::apps_v1::{ControllerRevision, DaemonSet, Deployment, ReplicaSet};
use kubeplan::api::GroupKind;
use kubeplan::api::core_v1::Pod;
use rollout_util::*;

fn set_image(kind: &str, name: &str, image: &str, cause: &str) -> String {
    let container = if kind == "DaemonSet" { "agent" } else { "web" };
    let cause = if cause.is_empty() { String::new() } else { format!(", changeCause: '{cause}'") };
    format!("- {{action: setImage, kind: {kind}, name: {name}, container: {container}, image: '{image}'{cause}}}\n")
}

fn rollback(kind: &str, name: &str, revision: i64) -> String {
    format!("- {{action: rollbackTo, kind: {kind}, name: {name}, revision: {revision}}}\n")
}

fn rejections(p: &kubeplan::Plan) -> Vec<(String, String)> {
    p.rejections().iter().map(|r| (r.phase.clone(), r.message.clone())).collect()
}

/// `kubectl rollout history` of one workload at the end of the plan.
fn history(p: kubeplan::Plan, kind: kubeplan::api::GroupKind, name: &str) -> String {
    let sel =
        kubeplan::output::history::Selection { kind: Some(kind), namespace: "default".into(), name: Some(name.into()) };
    let out = kubeplan::output::history::render(&kubeplan::PlanReport::from(p), &sel, 0);
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    out.stdout
}

#[test]
fn daemonset_rollback_makes_the_old_revision_current_under_a_new_number() {
    let input = nodes(2, "4") + &daemonset("agent:v1", "{type: RollingUpdate}", "", "");
    let steps = set_image("DaemonSet", "agent", "agent:v2", "") + &set_image("DaemonSet", "agent", "agent:v3", "");
    let before = run(&input, None, Some(&steps));
    let first = before.cluster.store().list::<ControllerRevision>().find(|r| r.revision == 1).unwrap().metadata.name.clone();

    let p = run(&input, None, Some(&(steps + &rollback("DaemonSet", "agent", 1))));
    assert!(p.rejections().is_empty(), "{:?}", p.rejections());
    let revs = revisions(&p);
    assert_eq!(revs.len(), 3, "no new ControllerRevision: the old one is reused");
    assert_eq!(revs[&first], 4, "revision 1 becomes 4 (max + 1)");
    assert_eq!(revs.values().copied().collect::<Vec<_>>().iter().filter(|r| **r == 1).count(), 0);
    let hash = first.strip_prefix("agent-").unwrap();
    for pod in p.cluster.store().list::<Pod>() {
        assert_eq!(pod.spec.containers[0].image, "agent:v1");
        assert_eq!(pod.metadata.labels["controller-revision-hash"], hash, "pods carry the reused revision's hash");
    }
    let ds = p.cluster.store().list::<DaemonSet>().next().unwrap();
    assert_eq!(ds.metadata.annotations["deprecated.daemonset.template.generation"], "4");
    assert!(stalls(&p.cluster).is_empty());
    assert_eq!(
        history(p, kubeplan::api::GroupKind::DaemonSet, "agent"),
        "daemonset.apps/agent \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n4         <none>\n\n"
    );
}

#[test]
fn daemonset_undo_without_a_revision_goes_to_the_previous_one() {
    let input = nodes(2, "4") + &daemonset("agent:v1", "{type: RollingUpdate}", "", "");
    let steps = set_image("DaemonSet", "agent", "agent:v2", "")
        + &set_image("DaemonSet", "agent", "agent:v3", "")
        + &rollback("DaemonSet", "agent", 0);
    let p = run(&input, None, Some(&steps));
    assert!(images(&p).values().all(|i| i == "agent:v2"), "{:?}", images(&p));
    let mut numbers: Vec<i64> = revisions(&p).into_values().collect();
    numbers.sort();
    assert_eq!(numbers, [1, 3, 4], "revision 2 (second highest) is renumbered 4");
}

#[test]
fn deployment_rollback_copies_the_replica_set_template_and_annotations() {
    let input = nodes(2, "4")
        + &deployment(2, "web:v1", "{type: RollingUpdate}", "", "").replace(
            "metadata: {name: web}",
            "metadata: {name: web, annotations: {kubernetes.io/change-cause: created}}",
        );
    let steps = set_image("Deployment", "web", "web:v2", "kubectl set image deploy/web web=web:v2")
        + &set_image("Deployment", "web", "web:v3", "kubectl set image deploy/web web=web:v3")
        + &rollback("Deployment", "web", 1);
    let p = run(&input, None, Some(&steps));
    assert!(p.rejections().is_empty(), "{:?}", p.rejections());
    let d = p.cluster.store().list::<Deployment>().next().unwrap();
    assert_eq!(d.spec.template.spec.containers[0].image, "web:v1");
    assert!(!d.spec.template.metadata.labels.contains_key("pod-template-hash"), "the hash label is not copied");
    assert_eq!(d.metadata.annotations["kubernetes.io/change-cause"], "created", "the revision-1 change cause is back");
    assert_eq!(d.metadata.annotations["deployment.kubernetes.io/revision"], "4");
    assert!(images(&p).values().all(|i| i == "web:v1"));
    assert_eq!(p.cluster.store().count(GroupKind::ReplicaSet), 3, "the revision-1 ReplicaSet is scaled up again, not recreated");
    assert_eq!(
        history(p, kubeplan::api::GroupKind::Deployment, "web"),
        "deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         kubectl set image deploy/web web=web:v2\n3         kubectl set image deploy/web web=web:v3\n4         created\n\n"
    );
}

#[test]
fn rollback_to_the_current_template_changes_nothing() {
    let input = nodes(2, "4")
        + &daemonset("agent:v1", "{type: RollingUpdate}", "", "")
        + &deployment(2, "web:v1", "{type: RollingUpdate}", "", "");
    let steps = set_image("DaemonSet", "agent", "agent:v2", "")
        + &set_image("Deployment", "web", "web:v2", "")
        + &rollback("DaemonSet", "agent", 2)
        + &rollback("Deployment", "web", 2);
    let p = run(&input, None, Some(&steps));
    assert!(p.rejections().is_empty(), "skipped rollbacks are not errors: {:?}", p.rejections());
    for phase in ["step3:rollbackTo", "step4:rollbackTo"] {
        assert!(p.cluster.rec.steps.iter().all(|s| s.phase != phase), "{phase} acted");
        assert!(p.cluster.rec.statuses.iter().all(|s| s.phase != phase), "{phase} changed a status");
    }
    assert_eq!(p.cluster.store().list::<DaemonSet>().next().unwrap().metadata.generation, 2);
    assert_eq!(p.cluster.store().list::<Deployment>().next().unwrap().metadata.generation, 2);
}

#[test]
fn rollback_errors_are_rejections_with_kubectls_messages() {
    let input = nodes(1, "4")
        + &daemonset("agent:v1", "{type: RollingUpdate}", "", "")
        + &deployment(1, "web:v1", "{type: RollingUpdate}", "", "");
    let steps = rollback("DaemonSet", "agent", 0)
        + &rollback("Deployment", "web", 0)
        + &rollback("Deployment", "web", 7)
        + &rollback("DaemonSet", "agent", -1)
        + &rollback("DaemonSet", "nope", 1);
    let p = run(&input, None, Some(&steps));
    assert_eq!(
        rejections(&p),
        [
            ("step1:rollbackTo".to_owned(), "no last revision to roll back to".to_owned()),
            ("step2:rollbackTo".to_owned(), "no rollout history found for deployment \"web\"".to_owned()),
            ("step3:rollbackTo".to_owned(), "unable to find specified revision 7 in history".to_owned()),
            ("step4:rollbackTo".to_owned(), "unable to find specified revision -1 in history".to_owned()),
            (
                "step5:rollbackTo".to_owned(),
                "Error from server (NotFound): daemonsets.apps \"nope\" not found".to_owned()
            ),
        ]
    );
}

#[test]
fn daemonset_history_is_cleaned_up_to_the_limit() {
    let input = nodes(2, "4") + &daemonset("agent:v1", "{type: RollingUpdate}", "  revisionHistoryLimit: 1\n", "");
    let steps = set_image("DaemonSet", "agent", "agent:v2", "")
        + &set_image("DaemonSet", "agent", "agent:v3", "")
        + &set_image("DaemonSet", "agent", "agent:v4", "")
        + &rollback("DaemonSet", "agent", 1)
        + &rollback("DaemonSet", "agent", 0);
    let p = run(&input, None, Some(&steps));
    assert_eq!(
        rejections(&p),
        [("step4:rollbackTo".to_owned(), "unable to find specified revision 1 in history".to_owned())]
    );
    let mut numbers: Vec<i64> = revisions(&p).into_values().collect();
    numbers.sort();
    assert_eq!(numbers, [4, 5], "one old revision is kept beside the current one; v3 (revision 3) came back as 5");
    assert!(images(&p).values().all(|i| i == "agent:v3"));
}

#[test]
fn deployment_history_is_cleaned_up_to_the_limit() {
    let input = nodes(2, "4") + &deployment(2, "web:v1", "{type: RollingUpdate}", "  revisionHistoryLimit: 1\n", "");
    let steps = set_image("Deployment", "web", "web:v2", "")
        + &set_image("Deployment", "web", "web:v3", "")
        + &set_image("Deployment", "web", "web:v4", "");
    let p = run(&input, None, Some(&steps));
    let mut kept: Vec<String> = p
        .cluster
        .store()
        .list::<ReplicaSet>()
        .map(|rs| rs.metadata.annotations["deployment.kubernetes.io/revision"].clone())
        .collect();
    kept.sort();
    assert_eq!(kept, ["3", "4"]);
    assert_eq!(
        history(p, kubeplan::api::GroupKind::Deployment, "web"),
        "deployment.apps/web \nREVISION  CHANGE-CAUSE\n3         <none>\n4         <none>\n\n"
    );
}
