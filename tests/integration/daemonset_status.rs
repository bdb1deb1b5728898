//! DaemonSet status fields, from `updateDaemonSetStatus`: each field counted as Kubernetes counts it.

use kubeplan::api::apps_v1::DaemonSet;
use kubeplan::api::core_v1::Taint;
use kubeplan::controller::daemonset::Unsuitable;
use kubeplan::input::Source;
use kubeplan::{plan, PlanInput, PlanOptions};

fn node(name: &str, extra: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Node\nmetadata: {{name: {name}, labels: {{kubernetes.io/hostname: {name}}}}}\n{extra}status:\n  capacity: {{cpu: '1', memory: 8Gi, pods: '110'}}\n  conditions: [{{type: Ready, status: 'True'}}]\n---\n"
    )
}

fn ds(requests_cpu: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {{name: agent}}\nspec:\n  selector: {{matchLabels: {{app: agent}}}}\n  template:\n    metadata: {{labels: {{app: agent}}}}\n    spec:\n      containers: [{{name: c, image: busybox:1.36, resources: {{requests: {{cpu: '{requests_cpu}'}}}}}}]\n"
    )
}

fn status(manifests: &str, update: Option<&str>) -> serde_json::Value {
    let input = PlanInput {
        manifests: vec![Source::new("m.yaml", manifests)],
        update: update.map(|u| vec![Source::new("u.yaml", u)]).unwrap_or_default(),
        ..Default::default()
    };
    let p = plan(&input, &PlanOptions::default());
    let ds = p.cluster.store().list::<DaemonSet>().next().expect("the DaemonSet exists");
    serde_json::to_value(&ds.status).unwrap()
}

fn n(v: &serde_json::Value, field: &str) -> i64 {
    v.get(field).and_then(|x| x.as_i64()).unwrap_or(0)
}

#[test]
fn desired_counts_nodes_that_should_run_and_tainted_nodes_are_not_desired() {
    let m = node("a", "") + &node("b", "spec:\n  taints: [{key: x, effect: NoSchedule}]\n") + &ds("100m");
    let s = status(&m, None);
    assert_eq!(n(&s, "desiredNumberScheduled"), 1);
    assert_eq!(n(&s, "currentNumberScheduled"), 1);
    assert_eq!(n(&s, "numberReady"), 1);
    assert_eq!(n(&s, "numberAvailable"), 1);
    assert_eq!(n(&s, "updatedNumberScheduled"), 1);
    assert_eq!(n(&s, "numberUnavailable"), 0);
    assert_eq!(n(&s, "numberMisscheduled"), 0);
    assert_eq!(n(&s, "observedGeneration"), 1);
}

#[test]
fn a_pending_pod_is_current_and_updated_but_not_ready_or_available() {
    // 2 cpu requested on 1-cpu nodes: the pods exist (current) but never schedule.
    let m = node("a", "") + &ds("2");
    let s = status(&m, None);
    assert_eq!(n(&s, "desiredNumberScheduled"), 1);
    assert_eq!(n(&s, "currentNumberScheduled"), 1);
    assert_eq!(n(&s, "updatedNumberScheduled"), 1);
    assert_eq!(n(&s, "numberReady"), 0);
    assert_eq!(n(&s, "numberAvailable"), 0);
    assert_eq!(n(&s, "numberUnavailable"), 1);
}

#[test]
fn a_node_that_gains_a_noschedule_taint_counts_as_misscheduled_while_its_pod_keeps_running() {
    let m = node("a", "") + &node("b", "") + &ds("100m");
    let tainted = node("b", "spec:\n  taints: [{key: x, effect: NoSchedule}]\n");
    let s = status(&m, Some(&tainted));
    assert_eq!(n(&s, "desiredNumberScheduled"), 1);
    assert_eq!(n(&s, "numberMisscheduled"), 1);
    assert_eq!(n(&s, "currentNumberScheduled"), 1);
}

#[test]
fn an_update_is_observed_and_rolled_out() {
    let m = node("a", "") + &node("b", "") + &ds("100m");
    let s = status(&m, Some(&ds("200m")));
    assert_eq!(n(&s, "observedGeneration"), 2);
    assert_eq!(n(&s, "updatedNumberScheduled"), 2);
    assert_eq!(n(&s, "numberAvailable"), 2);
}

/// The controller records, per node it runs no pod on, the reason `NodeShouldRunDaemonPod` gave: views render
/// that record instead of running the rule again.
#[test]
fn the_controller_records_why_each_node_gets_no_pod() {
    let ssd = |name: &str, extra: &str| node(name, extra).replace(&format!("hostname: {name}}}"), &format!("hostname: {name}, disk: ssd}}"));
    let taints = "spec:\n  taints: [{key: x, value: infra, effect: NoSchedule}, {key: z, effect: NoExecute}]\n";
    let manifests = ssd("a", "")
        + &ssd("b", taints)
        + &node("c", "")
        + &ds("100m").replace("    spec:\n", "    spec:\n      nodeSelector: {disk: ssd}\n");
    let input = PlanInput { manifests: vec![Source::new("m.yaml", manifests)], ..Default::default() };
    let p = plan(&input, &PlanOptions::default());
    assert!(p.diagnostics.is_empty() && p.rejections().is_empty(), "{:?} {:?}", p.diagnostics, p.rejections());
    let key = ("default".to_owned(), "agent".to_owned());
    let recorded = p.controllers.daemonset.unsuitable(&key).expect("recorded by manage");
    let first_untolerated = Taint { key: "x".into(), value: "infra".into(), effect: "NoSchedule".into(), ..Default::default() };
    let expected = [("b".to_owned(), Unsuitable::Taint(first_untolerated)), ("c".to_owned(), Unsuitable::NodeAffinity)];
    assert_eq!(recorded.iter().map(|(n, u)| (n.clone(), u.clone())).collect::<Vec<_>>(), expected);
    assert_eq!(p.cluster.store().list::<DaemonSet>().next().unwrap().status.desired_number_scheduled, 1);
}
