//! Rollouts that cannot finish, and why, from the controllers' own rules: a replacement the scheduler cannot
//! place, a surge pod that needs the host port its node's old pod holds, `maxUnavailable` or `maxSurge` used
//! up by pods that never become available, `OnDelete`, a paused Deployment, pods the API server refuses.

use crate::rollout_util;

use kubeplan::api::core_v1::Pod;
use kubeplan::api::IntOrString;
use kubeplan::cluster::{ApiError, Limit, RolloutBudget};
use kubeplan::rollout::{stalls, Stall, StallKind};
use kubeplan::PlanReport;
use rollout_util::*;

fn only_stall(p: &kubeplan::Plan) -> Stall {
    let mut s = stalls(&p.cluster);
    assert_eq!(s.len(), 1, "{s:#?}");
    s.remove(0)
}

/// The budget the controller recorded at the workload's last rolling step.
fn recorded_budget<'p>(p: &'p kubeplan::Plan, kind: &'static str, name: &str) -> &'p RolloutBudget {
    p.cluster.rec.budgets.get(&(kind, ("default".to_owned(), name.to_owned()))).expect("a recorded budget")
}

fn kinds(s: &Stall) -> Vec<StallKind> {
    s.reasons.iter().map(|r| r.reason).collect()
}

fn pending_message(p: &kubeplan::Plan, pod: &str) -> String {
    let pod = p.cluster.store().by_key::<Pod>(&("default".to_owned(), pod.to_owned())).expect("the pod");
    assert!(pod.spec.node_name.is_empty(), "{} is bound", pod.metadata.name);
    pod.status.conditions.iter().find(|c| c.r#type == "PodScheduled").unwrap().message.clone()
}

fn pending_pods(p: &kubeplan::Plan) -> Vec<String> {
    p.cluster.store().list::<Pod>().filter(|p| p.spec.node_name.is_empty()).map(|p| p.metadata.name.clone()).collect()
}

#[test]
fn a_pod_the_scheduler_cannot_place_stalls_the_rollout_where_it_was_created() {
    // n2 has 50m of CPU; the daemon pod asks for 100m.
    let input = node("n1", "4", "") + &node("n2", "50m", "") + &daemonset("agent:v1", "{type: RollingUpdate}", "", "");
    let p = run(&input, None, None);
    let s = only_stall(&p);
    assert_eq!((s.kind, s.name.as_str(), s.resource.as_str()), ("DaemonSet", "agent", "daemonset.apps/agent"));
    assert_eq!((s.phase.as_str(), s.round), ("initial", 2), "created in round 1, its status caught up in round 2");
    assert_eq!(s.status, "Waiting for daemon set \"agent\" rollout to finish: 1 of 2 updated pods are available...");
    assert_eq!(kinds(&s), [StallKind::PodPending]);
    let pending = pending_pods(&p);
    let r = &s.reasons[0];
    assert_eq!(r.pod.as_ref(), pending.first());
    assert_eq!(r.node.as_deref(), Some("n2"));
    assert_eq!(r.scheduler_message.clone().unwrap(), pending_message(&p, &pending[0]));
    assert!(r.scheduler_message.as_ref().unwrap().contains("1 Insufficient cpu"));
}

#[test]
fn a_surge_pod_needing_its_nodes_host_port_never_starts() {
    let strategy = "{type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}";
    let port = ", ports: [{containerPort: 9100, hostPort: 9100}]";
    let input = nodes(3, "4") + &daemonset("agent:v1", strategy, "", port);
    let p = run(&input, Some(&daemonset("agent:v2", strategy, "", port)), None);
    let s = only_stall(&p);
    assert_eq!((s.phase.as_str(), s.round), ("update", 1));
    assert_eq!(
        s.status,
        "Waiting for daemon set \"agent\" rollout to finish: 0 out of 3 new pods have been updated..."
    );
    assert_eq!(kinds(&s), [StallKind::SurgeHostPortConflict, StallKind::MaxSurgeReached]);
    let conflict = &s.reasons[0];
    let surge_pod = pending_pods(&p).pop().unwrap();
    let old_on_n1 = p
        .cluster
        .store()
        .list::<Pod>()
        .find(|pod| pod.spec.node_name == "n1")
        .map(|pod| pod.metadata.name.clone())
        .unwrap();
    assert_eq!(conflict.pod.as_deref(), Some(surge_pod.as_str()));
    assert_eq!(conflict.node.as_deref(), Some("n1"), "nodes are taken in name order");
    assert_eq!(conflict.host_port.as_deref(), Some("9100/TCP"));
    assert_eq!(conflict.old_pod.as_deref(), Some(old_on_n1.as_str()));
    assert_eq!(conflict.scheduler_message.clone().unwrap(), pending_message(&p, &surge_pod));
    let budget = &s.reasons[1];
    assert_eq!((budget.limit, budget.pods.clone()), (Some(1), vec![surge_pod]));
}

#[test]
fn max_surge_rounds_up_to_two_stuck_surge_pods() {
    // 50% of 4 nodes: two surge pods, both stuck on the port.
    let strategy = "{type: RollingUpdate, rollingUpdate: {maxSurge: 50%, maxUnavailable: 0}}";
    let port = ", ports: [{containerPort: 9100, hostPort: 9100}]";
    let input = nodes(4, "4") + &daemonset("agent:v1", strategy, "", port);
    let p = run(&input, Some(&daemonset("agent:v2", strategy, "", port)), None);
    let s = only_stall(&p);
    assert_eq!(
        kinds(&s),
        [StallKind::SurgeHostPortConflict, StallKind::SurgeHostPortConflict, StallKind::MaxSurgeReached]
    );
    let nodes: Vec<_> = s.reasons[..2].iter().map(|r| r.node.clone().unwrap()).collect();
    assert_eq!(nodes, ["n1", "n2"]);
    let budget = &s.reasons[2];
    assert_eq!(budget.limit, Some(2));
    assert_eq!(budget.pods.len(), 2);
    assert!(budget.message.starts_with("maxSurge 2 (50% of 4, rounded up) is used up by "), "{}", budget.message);
    assert!(budget.message.ends_with("so 2 old pod(s) wait"), "{}", budget.message);
    // What the controller worked out at its last step, and what the stall renders.
    let RolloutBudget::DaemonSetSurge { max_surge, surging, replaceable } = recorded_budget(&p, "DaemonSet", "agent") else {
        panic!("a surge budget")
    };
    let fifty = Some((IntOrString::String("50%".into()), 4, true));
    assert_eq!((max_surge, surging.len(), replaceable), (&Limit { value: 2, percent_of: fifty }, 2, &2));
}


#[test]
fn a_pending_replacement_uses_up_max_unavailable() {
    // n2 is too small: its pod is Pending from the start. The update replaces it first (an unavailable old pod
    // does not wait for budget), the replacement is Pending too, and with maxUnavailable 1 used up by it no
    // other node is touched.
    let input = nodes(3, "4") + &node("n4", "50m", "") + &daemonset("agent:v1", "{type: RollingUpdate}", "", "");
    let p = run(&input, Some(&daemonset("agent:v2", "{type: RollingUpdate}", "", "")), None);
    let s = only_stall(&p);
    assert_eq!(s.phase, "update");
    assert_eq!(
        s.status,
        "Waiting for daemon set \"agent\" rollout to finish: 1 out of 4 new pods have been updated..."
    );
    assert_eq!(kinds(&s), [StallKind::PodPending, StallKind::MaxUnavailableReached]);
    let pending = pending_pods(&p);
    assert_eq!(s.reasons[0].node.as_deref(), Some("n4"));
    let budget = &s.reasons[1];
    assert_eq!((budget.limit, budget.pods.clone()), (Some(1), pending.clone()));
    assert_eq!(
        budget.message,
        format!(
            "maxUnavailable 1 is used up by {} (Pending): no old pod may be deleted, so 3 old pod(s) wait",
            pending[0]
        )
    );
    assert!(images(&p).iter().filter(|(n, _)| !pending.contains(n)).all(|(_, i)| i == "agent:v1"));
    let recorded = RolloutBudget::DaemonSetUnavailable {
        max_unavailable: Limit { value: 1, percent_of: None },
        unavailable: vec![("n4".to_owned(), pending.clone())],
        empty: 0,
        replaceable: 3,
    };
    assert_eq!(recorded_budget(&p, "DaemonSet", "agent"), &recorded);
}

#[test]
fn pods_that_do_not_become_available_use_up_max_unavailable() {
    // minReadySeconds 1 on the plan's logical clock, which advances one second per object created: the two
    // priority classes the update creates first make the old pods available; the new pod, Ready once created,
    // has no later creation to make it available, so it holds maxUnavailable (1) and the other nodes wait.
    let classes = "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: a}\nvalue: 1\n---\n\
        apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: b}\nvalue: 2\n---\n";
    let input = nodes(3, "4") + &daemonset("agent:v1", "{type: RollingUpdate}", "  minReadySeconds: 1\n", "");
    let update = classes.to_owned() + &daemonset("agent:v2", "{type: RollingUpdate}", "  minReadySeconds: 1\n", "");
    let p = run(&input, Some(&update), None);
    let s = only_stall(&p);
    assert_eq!(s.phase, "update");
    assert_eq!(kinds(&s), [StallKind::PodNotAvailable, StallKind::MaxUnavailableReached]);
    let new_pod = s.reasons[0].pod.clone().unwrap();
    let pod = &p.cluster.store().by_key::<Pod>(&("default".to_owned(), new_pod.clone())).expect("stored");
    assert_eq!(pod.spec.containers[0].image, "agent:v2");
    assert_eq!(pod.status.phase, "Running");
    assert!(s.reasons[0].message.contains("Ready for less than minReadySeconds (1s)"), "{}", s.reasons[0].message);
    assert_eq!(s.reasons[1].pods, [new_pod]);
    assert_eq!(s.reasons[1].limit, Some(1));
    assert!(s.reasons[1].message.ends_with("so 2 old pod(s) wait"), "{}", s.reasons[1].message);
    assert_eq!(images(&p).values().filter(|i| *i == "agent:v1").count(), 2);
}

#[test]
fn old_pods_that_never_became_available_are_all_replaced_at_once() {
    // With no later creation, no pod is ever available: every old pod is an unavailable one, which the rolling
    // update replaces whatever the budget, so the rollout ends with only new pods, none available.
    let input = nodes(3, "4") + &daemonset("agent:v1", "{type: RollingUpdate}", "  minReadySeconds: 3600\n", "");
    let update = daemonset("agent:v2", "{type: RollingUpdate}", "  minReadySeconds: 3600\n", "");
    let p = run(&input, Some(&update), None);
    let s = only_stall(&p);
    assert_eq!(kinds(&s), [StallKind::PodNotAvailable; 3]);
    assert_eq!(s.status, "Waiting for daemon set \"agent\" rollout to finish: 0 of 3 updated pods are available...");
    assert!(images(&p).values().all(|i| i == "agent:v2"));
}

#[test]
fn deployment_surge_and_unavailability_budgets() {
    let strategy = "{type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}";
    let input = nodes(2, "2") + &deployment(3, "web:v1", strategy, "", "");
    let update = deployment(3, "web:v2", strategy, "", "").replace("cpu: 100m", "cpu: '3'");
    let p = run(&input, Some(&update), None);
    let s = only_stall(&p);
    assert_eq!((s.kind, s.phase.as_str()), ("Deployment", "update"));
    assert_eq!(
        s.status,
        "Waiting for deployment \"web\" rollout to finish: 1 out of 3 new replicas have been updated..."
    );
    assert_eq!(kinds(&s), [StallKind::PodPending, StallKind::MaxSurgeReached, StallKind::MaxUnavailableReached]);
    let pending = pending_pods(&p);
    assert_eq!(s.reasons[0].scheduler_message.clone().unwrap(), pending_message(&p, &pending[0]));
    assert_eq!((s.reasons[1].limit, s.reasons[1].pods.clone()), (Some(1), pending.clone()));
    assert_eq!(s.reasons[2].limit, Some(0));
    assert_eq!(
        s.reasons[2].message,
        format!(
            "maxUnavailable is 0 and {} (Pending) not available: no old pod may be deleted, so 3 old pod(s) wait",
            pending[0]
        )
    );
    let recorded = recorded_budget(&p, "Deployment", "web");
    let RolloutBudget::Deployment { old_replicas, new_replicas, surge_used_up, unavailable_used_up, .. } = recorded else {
        panic!("{recorded:?}")
    };
    assert_eq!((*old_replicas, *new_replicas, *surge_used_up, *unavailable_used_up), (3, 1, true, true));
    // The stall is found where it happened even after later, unrelated phases.
    let steps = "- {action: labelNode, name: n1, labels: {unrelated: 'yes'}}\n";
    let later = run(&input, Some(&update), Some(steps));
    let s2 = only_stall(&later);
    assert_eq!((s2.phase.as_str(), s2.round), (s.phase.as_str(), s.round));
}

#[test]
fn deployment_surge_pod_needing_a_taken_host_port() {
    let strategy = "{type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}";
    let port = ", ports: [{containerPort: 8080, hostPort: 8080}]";
    let input = nodes(2, "4") + &deployment(2, "web:v1", strategy, "", port);
    let p = run(&input, Some(&deployment(2, "web:v2", strategy, "", port)), None);
    let s = only_stall(&p);
    assert_eq!(kinds(&s)[0], StallKind::SurgeHostPortConflict);
    let r = &s.reasons[0];
    assert_eq!(r.host_port.as_deref(), Some("8080/TCP"));
    assert_eq!(r.node.as_deref(), Some("n1"));
    assert!(r
        .scheduler_message
        .as_ref()
        .unwrap()
        .contains("2 node(s) didn't have free ports for the requested pod ports"));
    assert!(kinds(&s).contains(&StallKind::MaxSurgeReached));
}

#[test]
fn on_delete_waits_for_someone_to_delete_the_old_pods() {
    let input = nodes(3, "4") + &daemonset("agent:v1", "{type: OnDelete}", "", "");
    let steps = "- {action: deletePod, owner: DaemonSet/agent, node: n2}\n";
    let p = run(&input, Some(&daemonset("agent:v2", "{type: OnDelete}", "", "")), Some(steps));
    let s = only_stall(&p);
    assert_eq!(s.status, "error: rollout status is only available for RollingUpdate strategy type");
    assert_eq!(kinds(&s), [StallKind::OnDelete]);
    assert_eq!(
        s.reasons[0].message,
        "updateStrategy OnDelete: 2 old pod(s) are replaced only when someone deletes them"
    );
    assert_eq!(s.phase, "step1:deletePod", "the deleted pod's replacement was the last progress");
}

#[test]
fn a_paused_deployment_does_not_roll_out() {
    let input = nodes(2, "4") + &deployment(2, "web:v1", "{type: RollingUpdate}", "", "");
    let update = deployment(2, "web:v2", "{type: RollingUpdate}", "  paused: true\n", "");
    let p = run(&input, Some(&update), None);
    let s = only_stall(&p);
    assert_eq!(kinds(&s), [StallKind::Paused]);
    assert!(images(&p).values().all(|i| i == "web:v1"));
}

#[test]
fn refused_pods_are_a_create_failure() {
    let input = nodes(1, "4")
        + &deployment(2, "web:v1", "{type: RollingUpdate}", "", "")
            .replace("    spec:\n", "    spec:\n      priorityClassName: nope\n");
    let p = run(&input, None, None);
    let s = only_stall(&p);
    assert_eq!(kinds(&s), [StallKind::CreateFailed]);
    let failed = events(&p, "initial", "FailedCreate");
    assert!(s.reasons[0].message.ends_with(&failed[0]), "{} / {}", s.reasons[0].message, failed[0]);
    // The refusal behind the event is kept as data: admission's, on the ReplicaSet that creates the pods.
    let refused = &p.cluster.rec.create_failures[0];
    assert!(matches!(&refused.error, ApiError::Refused(r) if r.plugin == "Priority"), "{:?}", refused.error);
    assert_eq!((refused.owner.kind.as_str(), refused.message.as_str()), ("ReplicaSet", failed[0].as_str()));
}

#[test]
fn finished_rollouts_are_not_stalls() {
    let input = nodes(3, "4")
        + &daemonset("agent:v1", "{type: RollingUpdate}", "", "")
        + &deployment(3, "web:v1", "{type: RollingUpdate}", "", "");
    let p = run(&input, Some(&daemonset("agent:v2", "{type: RollingUpdate}", "", "")), None);
    assert!(stalls(&p.cluster).is_empty());
    let json = kubeplan::output::json::to_value(&PlanReport::from(p));
    assert_eq!(json["stalls"], serde_json::json!([]));
}

#[test]
fn stalls_in_the_json_table_and_rollout_outputs() {
    let strategy = "{type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}";
    let port = ", ports: [{containerPort: 9100, hostPort: 9100}]";
    let input = nodes(2, "4") + &daemonset("agent:v1", strategy, "", port);
    let p = PlanReport::from(run(&input, Some(&daemonset("agent:v2", strategy, "", port)), None));
    let json = kubeplan::output::json::to_value(&p);
    let stall = &json["stalls"][0];
    assert_eq!(stall["resource"], "daemonset.apps/agent");
    assert_eq!(stall["phase"], "update");
    assert_eq!(stall["reasons"][0]["reason"], "SurgeHostPortConflict");
    assert_eq!(stall["reasons"][0]["hostPort"], "9100/TCP");
    assert_eq!(stall["reasons"][1]["reason"], "MaxSurgeReached");

    let table = kubeplan::output::table::render(&p, false);
    assert!(table.contains(
        "Stalled rollouts:\n  daemonset.apps/agent (namespace default) stopped progressing in phase update, round 1\n"
    ));
    assert!(table.contains("    - SurgeHostPortConflict: maxSurge starts pod "), "{table}");

    let view = kubeplan::output::rollout::render(&p);
    assert!(view.contains("    daemonset.apps/agent stops progressing here (see Stalled rollouts)\n"), "{view}");
    assert!(view.ends_with("so 1 old pod(s) wait\n\n"), "{view}");
}
