//! `kubeplan explain POD`: every scheduling decision about a pod, from the scheduler's own records (filter
//! verdicts, weighted scores, ties) and the exact FitError message for a pod still Pending.

use crate::rollout_util;

use rollout_util::*;
use kubeplan::api::core_v1::Pod;

#[test]
fn a_pending_surge_pod_shows_the_filter_prefilter_and_message() {
    let strategy = "{type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}";
    let port = ", ports: [{containerPort: 9100, hostPort: 9100}]";
    let input = nodes(3, "4") + &daemonset("agent:v1", strategy, "", port);
    let update = daemonset("agent:v2", strategy, "", port);
    let p = run(&input, Some(&update), None);
    let pending = p.cluster.store().list::<Pod>().find(|p| p.spec.node_name.is_empty()).unwrap();
    let message = pending.status.conditions.iter().find(|c| c.r#type == "PodScheduled").unwrap().message.clone();
    let name = pending.metadata.name.clone();

    let out = cli(&format!("explain {name} in.yaml --update up.yaml"), &[("in.yaml", &input), ("up.yaml", &update)]);
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    let text = out.stdout;
    assert!(
        text.starts_with(&format!("Pod default/{name}: 2 scheduling decisions\nProfile default-scheduler:\n  filters: NodeUnschedulable, ")),
        "{text}"
    );
    assert!(text.contains("\n  scores (weight): TaintToleration 3, NodeAffinity 2, "), "{text}");
    assert!(text.contains("\n\nDecision 1 (phase update, round 1): no node fits\n"), "{text}");
    assert!(text.contains(
        "  Filtered out:\n    NODE   FILTER      REASON\n    n1     NodePorts   node(s) didn't have free ports for the requested pod ports\n"
    ), "{text}");
    assert!(text.contains("  Not considered (2): n2, n3\n    left out by PreFilter: NodeAffinity allows only n1\n"), "{text}");
    assert!(text.contains(&format!("  Scheduler: {message}\n")));
    assert!(text.ends_with(&format!("\nStill Pending: {message}\n")), "{text}");
}

#[test]
fn scores_and_ties() {
    // Three identical nodes and one pod: every node scores the same, so all three tie.
    let input = nodes(3, "4") + &deployment(1, "web:v1", "{type: RollingUpdate}", "", "");
    let p = run(&input, None, None);
    let pod = p.cluster.store().list::<Pod>().next().unwrap();
    let name = pod.metadata.name.clone();
    let out = cli(&format!("explain default/{name} in.yaml"), &[("in.yaml", &input)]);
    assert_eq!(out.code, 0);
    let text = out.stdout;
    assert!(text.contains("Decision 1 (phase initial, round 1): bound to n1\n  Scores (weighted by plugin weight):\n    NODE   TaintToleration"), "{text}");
    let placement = &p.scheduler.placements[0];
    let total = placement.scores.get("n2", "total").expect("n2 was scored");
    let row = text.lines().find(|l| l.starts_with("    n2 ")).unwrap();
    assert!(row.ends_with(&format!(" {total}")), "{row}");
    assert!(text.contains(&format!("  Selected: n1 (top score {total})\n")), "{text}");
    assert!(text.contains(
        "  Tied for the top score: n1, n2, n3. A real kube-scheduler picks one of them at random; kubeplan takes the smallest name.\n"
    ));
    assert!(text.ends_with("\nBound to n1 at the end of the plan.\n"));
}

#[test]
fn pods_never_scheduled_and_unknown_pods() {
    let input = nodes(1, "4")
        + "apiVersion: v1\nkind: Pod\nmetadata: {name: pinned}\nspec: {nodeName: n1, containers: [{name: c, image: i}]}\n";
    let out = cli("explain pinned in.yaml", &[("in.yaml", &input)]);
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (0, "Pod default/pinned: no scheduling decisions\n  it was created with spec.nodeName n1, so it bypasses the scheduler\n")
    );
    let out = cli("explain kube-system/ghost in.yaml", &[("in.yaml", &input)]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "error: pod kube-system/ghost was never created in this plan, so the scheduler never saw it\n"
    );
}
