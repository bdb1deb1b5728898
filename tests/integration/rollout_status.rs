//! `kubectl rollout status`, round by round (`polymorphichelpers/rollout_status.go`): after each round, the line
//! kubectl would print for every workload whose rollout is in progress in that phase, worded as kubectl words it,
//! until the one that says it is done.

use crate::rollout_util;

use kubeplan::rollout::{lines, RolloutLine};
use kubeplan::PlanReport;
use rollout_util::*;

fn phase_lines(p: &kubeplan::Plan, phase: &str, name: &str) -> Vec<(u32, String)> {
    lines(&p.cluster.rec)
        .into_iter()
        .filter(|l| l.phase == phase && l.name == name)
        .map(|l| (l.round, l.message))
        .collect()
}

/// Every workload's lines in a phase: rounds increase, exactly the last one is done.
fn assert_well_formed(all: &[RolloutLine]) {
    let mut groups: std::collections::BTreeMap<(&str, &str, &str), Vec<&RolloutLine>> = Default::default();
    for l in all {
        groups.entry((l.phase.as_str(), l.kind, l.name.as_str())).or_default().push(l);
    }
    for (key, ls) in groups {
        assert!(ls.windows(2).all(|w| w[0].round < w[1].round), "{key:?}: rounds must increase");
        assert!(ls[..ls.len() - 1].iter().all(|l| !l.done), "{key:?}: nothing after a done line");
    }
}

#[test]
fn a_daemonset_created_and_updated() {
    let input = nodes(3, "4") + &daemonset("agent:v1", "{type: RollingUpdate}", "", "");
    let p = run(&input, Some(&daemonset("agent:v2", "{type: RollingUpdate}", "", "")), None);
    assert_eq!(
        phase_lines(&p, "initial", "agent"),
        [
            (0, "Waiting for daemon set spec update to be observed...".to_owned()),
            (1, "Waiting for daemon set \"agent\" rollout to finish: 0 of 3 updated pods are available...".to_owned()),
            (2, "daemon set \"agent\" successfully rolled out".to_owned()),
        ]
    );
    let update = phase_lines(&p, "update", "agent");
    assert_eq!(update[0], (0, "Waiting for daemon set spec update to be observed...".to_owned()));
    assert_eq!(update.last().unwrap().1, "daemon set \"agent\" successfully rolled out");
    // maxUnavailable 1 on 3 nodes: the updated count climbs one node at a time.
    let updated: Vec<i32> = update
        .iter()
        .filter_map(|(_, m)| m.strip_prefix("Waiting for daemon set \"agent\" rollout to finish: "))
        .filter_map(|m| m.split_once(" out of 3 new pods have been updated...").map(|(n, _)| n.parse().unwrap()))
        .collect();
    assert!(!updated.is_empty());
    assert!(updated.windows(2).all(|w| w[0] <= w[1] && w[1] - w[0] <= 1), "{updated:?}");
    assert_well_formed(&lines(&p.cluster.rec));
}

#[test]
fn a_deployment_rolling_update() {
    let strategy = "{type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}";
    let input = nodes(2, "4") + &deployment(2, "web:v1", strategy, "", "");
    let p = run(&input, Some(&deployment(2, "web:v2", strategy, "", "")), None);
    let update = phase_lines(&p, "update", "web");
    assert_eq!(update[0], (0, "Waiting for deployment spec update to be observed...".to_owned()));
    assert_eq!(update.last().unwrap().1, "deployment \"web\" successfully rolled out");
    let said = |prefix: &str| update.iter().any(|(_, m)| m.starts_with(prefix));
    assert!(said("Waiting for deployment \"web\" rollout to finish: 0 out of 2 new replicas have been updated..."));
    assert!(said("Waiting for deployment \"web\" rollout to finish: 1 out of 2 new replicas have been updated..."));
    assert_well_formed(&lines(&p.cluster.rec));
}

#[test]
fn only_workloads_in_progress_in_a_phase_have_lines() {
    let input = nodes(2, "4")
        + &daemonset("agent:v1", "{type: RollingUpdate}", "", "")
        + &deployment(2, "web:v1", "{type: RollingUpdate}", "", "");
    let steps = "- {action: setImage, kind: Deployment, name: web, container: web, image: 'web:v2'}\n\
                 - {action: deletePod, owner: DaemonSet/agent, node: n1}\n";
    let p = run(&input, None, Some(steps));
    assert!(phase_lines(&p, "step1:setImage", "agent").is_empty(), "the DaemonSet had nothing to roll out");
    assert!(!phase_lines(&p, "step1:setImage", "web").is_empty());
    assert!(phase_lines(&p, "step2:deletePod", "web").is_empty());
    // Deleting a daemon pod makes the DaemonSet wait for its replacement: lines start when its status drops.
    let ds = phase_lines(&p, "step2:deletePod", "agent");
    assert_eq!(
        ds,
        [
            (1, "Waiting for daemon set \"agent\" rollout to finish: 1 of 2 updated pods are available...".to_owned()),
            (2, "daemon set \"agent\" successfully rolled out".to_owned()),
        ],
        "not in progress until its status saw the deletion (round 1)"
    );
}

#[test]
fn on_delete_has_no_rollout_status() {
    let input = nodes(2, "4") + &daemonset("agent:v1", "{type: OnDelete}", "", "");
    let p = run(&input, Some(&daemonset("agent:v2", "{type: OnDelete}", "", "")), None);
    let l: Vec<RolloutLine> = lines(&p.cluster.rec).into_iter().filter(|l| l.phase == "update").collect();
    assert_eq!(l.len(), 1, "kubectl stops at the error: {l:?}");
    assert_eq!(l[0].message, "error: rollout status is only available for RollingUpdate strategy type");
    assert!(l[0].error);
}

#[test]
fn the_json_and_the_rollout_view_carry_the_lines() {
    let input = nodes(2, "4") + &daemonset("agent:v1", "{type: RollingUpdate}", "", "");
    let p = run(&input, None, None);
    let recorded = lines(&p.cluster.rec).len();
    let json = kubeplan::output::json::to_value(&PlanReport::from(p));
    let first = &json["rollout"][0];
    assert_eq!(first["phase"], "initial");
    assert_eq!(first["round"], 0);
    assert_eq!(first["kind"], "DaemonSet");
    assert_eq!(first["resource"], "daemonset.apps/agent");
    assert_eq!(first["message"], "Waiting for daemon set spec update to be observed...");
    assert_eq!(first["done"], false);
    assert_eq!(json["rollout"].as_array().unwrap().len(), recorded);

    let out = cli("plan in.yaml --output rollout", &[("in.yaml", &input)]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let view = out.stdout;
    assert!(view.starts_with("Phase initial\n  Round 0\n    kubectl rollout status:\n      daemonset.apps/agent   Waiting for daemon set spec update to be observed...\n  Round 1\n    ACTION    POD                   NODE     OWNER\n    create    default/agent-bbbbb   <none>   DaemonSet/agent\n"), "{view}");
    assert!(view.contains("    bind      default/agent-bbbbb   n1       DaemonSet/agent\n"), "{view}");
    assert!(view.ends_with("  Round 2\n    kubectl rollout status:\n      daemonset.apps/agent   daemon set \"agent\" successfully rolled out\n\n"), "{view}");
}
