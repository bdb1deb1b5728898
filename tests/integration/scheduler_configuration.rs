//! A `KubeSchedulerConfiguration` among the input: profiles by `schedulerName`, plugins enabled, disabled and
//! weighted, plugin arguments, `percentageOfNodesToScore`, and what kube-scheduler refuses.

use crate::common;
use common::*;

use kubeplan::facade::PlanReport;
use kubeplan::input::Source;
use kubeplan::{plan, Plan, PlanInput, PlanOptions};

const HEAD: &str = "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n";

/// Plan documents that may be refused: the rejections are the test's to check.
fn run_any(docs: &[String]) -> Plan {
    let input = PlanInput { manifests: vec![Source::new("test.yaml", docs.join("\n---\n"))], ..Default::default() };
    plan(&input, &PlanOptions::default())
}

fn with_scheduler(pod_doc: String, scheduler: &str) -> String {
    pod_doc.replacen("spec:\n", &format!("spec:\n  schedulerName: {scheduler}\n"), 1)
}

fn config(body: &str) -> String {
    format!("{HEAD}{body}")
}

#[test]
fn most_allocated_packs_pods_where_least_allocated_spreads_them() {
    let nodes = [node("n1", "4", &[]), node("n2", "4", &[])];
    let pods = |names: &[&str]| names.iter().map(|n| pod(n, &[], "1", "")).collect::<Vec<_>>();
    let bin_packing = config(
        "profiles:\n- pluginConfig:\n  - name: NodeResourcesFit\n    args:\n      scoringStrategy: {type: MostAllocated}\n  plugins:\n    score:\n      disabled: [{name: NodeResourcesBalancedAllocation}]\n",
    );
    let mut docs: Vec<String> = vec![bin_packing];
    docs.extend(nodes.iter().cloned());
    docs.extend(pods(&["a", "b", "c"]));
    let p = run(&docs);
    assert_eq!([node_of(&p, "a"), node_of(&p, "b"), node_of(&p, "c")], ["n1", "n1", "n1"], "each pod goes where the most is requested");
    // MostAllocated over cpu and memory (weight 1 each): n1 with a's 1 cpu of 4 and b's 1 more is 50% cpu.
    let b = plugin_scores(&p, "b", "NodeResourcesFit");
    assert!(b[0].1 > b[1].1, "{b:?}");
    assert_eq!(plugin_scores(&p, "b", "NodeResourcesBalancedAllocation"), [("n1".into(), None), ("n2".into(), None)]);

    let mut docs: Vec<String> = nodes.to_vec();
    docs.extend(pods(&["a", "b"]));
    let p = run(&docs);
    assert_ne!(node_of(&p, "a"), node_of(&p, "b"), "the default LeastAllocated spreads them");
}

#[test]
fn pods_are_scheduled_by_the_profile_they_name_and_events_come_from_it() {
    let docs = [
        config("profiles:\n- schedulerName: default-scheduler\n- schedulerName: batch\n"),
        node("n1", "1", &[]),
        with_scheduler(pod("mine", &[], "100m", ""), "batch"),
        with_scheduler(pod("big", &[], "2", ""), "batch"),
        pod("default", &[], "100m", ""),
        with_scheduler(pod("other", &[], "100m", ""), "nobody"),
    ];
    let p = run(&docs.map(String::from));
    assert_eq!((node_of(&p, "mine"), node_of(&p, "default")), ("n1".into(), "n1".into()));
    assert!(placements(&p, "other").is_empty(), "no profile serves it: it stays Pending, untouched");
    let source = |name: &str, reason: &str| {
        p.cluster.rec.events.iter().find(|e| e.involved_object.name == name && e.reason == reason).map(|e| e.source.component.to_string())
    };
    assert_eq!(source("mine", "Scheduled").as_deref(), Some("batch"));
    assert_eq!(source("big", "FailedScheduling").as_deref(), Some("batch"));
    assert_eq!(source("default", "Scheduled").as_deref(), Some("default-scheduler"));
    assert_eq!(&*placements(&p, "mine")[0].profile, "batch");
}

#[test]
fn the_start_index_is_shared_by_all_profiles() {
    // 120 nodes, percentage 50 in both profiles: each search stops after 100 feasible nodes (the floor) and the
    // next pod, whatever its profile, starts where the last search stopped.
    let mut docs = vec![config("percentageOfNodesToScore: 50\nprofiles:\n- schedulerName: default-scheduler\n- schedulerName: other\n")];
    docs.extend((1..=120).map(|i| node(&format!("n-{i:03}"), "4", &[])));
    docs.push(pod("p1", &[], "100m", ""));
    docs.push(with_scheduler(pod("p2", &[], "100m", ""), "other"));
    let p = run(&docs);
    let p2 = placements(&p, "p2")[0];
    assert!(p2.scores.contains_key("n-101") && p2.scores.contains_key("n-080"), "p2 starts after p1's 100 nodes and wraps");
    assert!(!p2.scores.contains_key("n-081"));
    assert_eq!(p.scheduler.next_start_node_index, 200 % 120);
}

#[test]
fn a_profile_percentage_overrides_the_configuration_s() {
    let mut docs = vec![config("percentageOfNodesToScore: 100\nprofiles:\n- percentageOfNodesToScore: 1\n")];
    docs.extend((1..=300).map(|i| node(&format!("n-{i:03}"), "4", &[])));
    docs.push(pod("p", &[], "100m", ""));
    let p = run(&docs);
    assert_eq!(placements(&p, "p")[0].feasible_nodes, 100, "1% of 300 is floored at 100 nodes");
}

#[test]
fn disabling_a_filter_lets_pods_through_what_it_would_reject() {
    let taint = "spec: {taints: [{key: dedicated, value: infra, effect: NoSchedule}]}, status:";
    let docs = [
        config("profiles:\n- plugins:\n    filter:\n      disabled: [{name: TaintToleration}]\n"),
        node("n1", "4", &[]).replacen("status:", taint, 1),
        pod("p", &[], "100m", ""),
    ];
    let p = run(&docs.map(String::from));
    assert_eq!(node_of(&p, "p"), "n1");
}

#[test]
fn a_weight_of_zero_is_one_and_a_score_weight_wins_over_multi_point() {
    let docs = [
        config("profiles:\n- plugins:\n    multiPoint:\n      enabled: [{name: ImageLocality, weight: 5}]\n    score:\n      enabled: [{name: TaintToleration, weight: 0}, {name: ImageLocality, weight: 7}]\n"),
        node("n1", "4", &[]),
        node("n2", "4", &[]),
        pod("p", &[], "100m", ""),
    ];
    let p = run(&docs.map(String::from));
    let weights = p.scheduler.profiles.get("default-scheduler").unwrap().score_weights();
    assert_eq!(weights[0], ("TaintToleration", 1));
    assert_eq!(weights[1], ("ImageLocality", 7));
    // No taints anywhere: TaintToleration's normalised 100 on both nodes, weighted 1.
    assert_eq!(plugin_scores(&p, "p", "TaintToleration"), [("n1".into(), Some(100)), ("n2".into(), Some(100))]);
}

#[test]
fn added_affinity_restricts_every_pod_of_the_profile_and_daemon_pods_too() {
    let added = "profiles:\n- pluginConfig:\n  - name: NodeAffinity\n    args:\n      addedAffinity:\n        requiredDuringSchedulingIgnoredDuringExecution:\n          nodeSelectorTerms: [{matchExpressions: [{key: pool, operator: In, values: [big]}]}]\n";
    let daemon = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\nspec:\n  selector: {matchLabels: {app: agent}}\n  template:\n    metadata: {labels: {app: agent}}\n    spec: {containers: [{name: a, image: 'a:1'}]}\n";
    let docs = [config(added), node("small", "4", &[("pool", "small")]), node("big", "4", &[("pool", "big")]), daemon.to_owned()];
    let p = run_any(&docs.map(String::from));
    let pending: Vec<&kubeplan::api::core_v1::Pod> = p.cluster.store().list::<kubeplan::api::core_v1::Pod>().filter(|p| p.spec.node_name.is_empty()).collect();
    assert_eq!(pending.len(), 1, "the DaemonSet controller makes a pod for each node; the scheduler refuses one");
    let message = &pending[0].status.conditions.iter().find(|c| c.r#type == "PodScheduled").unwrap().message;
    assert!(
        message.starts_with("0/2 nodes are available: 1 node(s) didn't match scheduler-enforced node affinity, 1 node(s) didn't satisfy plugin(s) [NodeAffinity]."),
        "{message}"
    );
}

#[test]
fn preemption_disabled_leaves_the_pod_pending_without_a_postfilter_message() {
    let docs = [
        config("profiles:\n- plugins:\n    postFilter:\n      disabled: [{name: DefaultPreemption}]\n"),
        priority_class("high", 1000),
        node("n1", "1", &[]),
        on_node("low", &[], "1", "n1", ""),
        pod("high", &[], "1", "  priorityClassName: high\n"),
    ];
    let p = run(&docs.map(String::from));
    assert_eq!(unschedulable_message(&p, "high"), "0/1 nodes are available: 1 Insufficient cpu.");
    assert_eq!(node_of(&p, "low"), "n1");
}

#[test]
fn invalid_configurations_are_refused_with_kube_scheduler_s_message_and_the_default_runs() {
    let docs = [
        config("profiles:\n- pluginConfig:\n  - name: InterPodAffinity\n    args: {hardPodAffinityWeight: 101}\n"),
        node("n1", "4", &[]),
        pod("p", &[], "100m", ""),
    ];
    let p = run_any(&docs.map(String::from));
    let r = &p.rejections()[0];
    assert_eq!((r.kind.as_str(), r.namespace.as_str(), r.name.as_str()), ("KubeSchedulerConfiguration", "", ""));
    assert_eq!(r.message, "profiles[0].pluginConfig[0].args.hardPodAffinityWeight: Invalid value: 101: not in valid range [0, 100]");
    assert_eq!((r.line, r.column), (Some(6), Some(35)), "at the field");
    assert_eq!(node_of(&p, "p"), "n1", "the default configuration schedules");
    assert!(p.scheduler.configuration().is_none());
}

#[test]
fn a_profile_that_cannot_be_built_is_refused() {
    let docs = [config(
        "profiles:\n- pluginConfig:\n  - name: NodeResourcesFit\n    args: {scoringStrategy: {type: Balanced}}\n",
    )];
    let p = run_any(&docs.map(String::from));
    assert_eq!(
        p.rejections()[0].message,
        "initializing profiles: creating profile for scheduler name default-scheduler: initializing plugin \"NodeResourcesFit\": \
         scoringStrategy.type: Unsupported value: \"Balanced\": supported values: \"LeastAllocated\", \"MostAllocated\", \"RequestedToCapacityRatio\""
    );
}

#[test]
fn only_one_configuration_is_read() {
    let docs = [config("percentageOfNodesToScore: 10\n"), config("percentageOfNodesToScore: 20\n")];
    let p = run_any(&docs.map(String::from));
    assert_eq!(p.rejections().len(), 1);
    assert!(p.rejections()[0].message.starts_with("only one KubeSchedulerConfiguration may be given"));
    assert_eq!(p.scheduler.configuration().map(|c| c.percentage_of_nodes_to_score), Some(10));
}

#[test]
fn the_output_carries_the_effective_configuration_only_when_one_was_given() {
    let docs = [config("profiles:\n- schedulerName: a\n- schedulerName: b\n  plugins: {score: {disabled: [{name: ImageLocality}]}}\n"), node("n1", "4", &[])];
    let p = PlanReport::from(run_any(&docs.map(String::from)));
    let v = kubeplan::output::json::to_value(&p);
    let sc = &v["schedulerConfiguration"];
    assert_eq!(sc["profiles"][1]["schedulerName"], "b");
    assert_eq!(sc["profiles"][1]["plugins"]["score"]["disabled"][0]["name"], "ImageLocality");
    assert_eq!(sc["profiles"][0]["pluginConfig"][0]["args"]["kind"], "DefaultPreemptionArgs");
    assert_eq!(sc["percentageOfNodesToScore"], 0);
    let text = kubeplan::output::json::to_string(&p);
    assert_eq!(serde_json::from_str::<serde_json::Value>(&text).unwrap(), v, "the streamed text is the document");

    let p = PlanReport::from(run_any(&[node("n1", "4", &[])]));
    assert!(kubeplan::output::json::to_value(&p).get("schedulerConfiguration").is_none());
}

/// A pod asking for one `example.com/gpu`, an extended resource no node offers.
fn gpu_pod(name: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}}}\nspec:\n  containers:\n  - name: c\n    image: busybox:1.36\n    resources:\n      requests: {{cpu: 100m, example.com/gpu: '1'}}\n      limits: {{example.com/gpu: '1'}}\n"
    )
}

#[test]
fn ignored_resources_and_resource_groups_let_through_a_pod_that_asks_for_what_no_node_has() {
    let p = run(&[node("n1", "4", &[]), gpu_pod("p")]);
    let message = unschedulable_message(&p, "p");
    assert!(message.starts_with("0/1 nodes are available: 1 Insufficient example.com/gpu."), "{message}");
    for args in ["ignoredResources: [example.com/gpu]", "ignoredResourceGroups: [example.com]"] {
        let fit = config(&format!("profiles:\n- pluginConfig:\n  - name: NodeResourcesFit\n    args: {{{args}}}\n"));
        let p = run(&[fit, node("n1", "4", &[]), gpu_pod("p")]);
        assert_eq!(node_of(&p, "p"), "n1", "{args}: NodeResourcesFit does not count the resource");
    }
}

/// Two 4-cpu nodes and three pods of 1 cpu each, scored by NodeResourcesFit alone with this scoring strategy.
fn placed_with(strategy: &str) -> Vec<String> {
    let fit = config(&format!(
        "profiles:\n- pluginConfig:\n  - name: NodeResourcesFit\n    args:\n      scoringStrategy: {strategy}\n  plugins:\n    score:\n      disabled: [{{name: NodeResourcesBalancedAllocation}}]\n"
    ));
    let mut docs = vec![fit, node("n1", "4", &[]), node("n2", "4", &[])];
    docs.extend(["a", "b", "c"].map(|n| pod(n, &[], "1", "")));
    let p = run(&docs);
    ["a", "b", "c"].map(|n| node_of(&p, n)).to_vec()
}

#[test]
fn requested_to_capacity_ratio_packs_with_a_rising_shape_and_spreads_with_a_falling_one() {
    let shape = |low: u8, high: u8| {
        format!(
            "{{type: RequestedToCapacityRatio, resources: [{{name: cpu, weight: 1}}], requestedToCapacityRatio: {{shape: [{{utilization: 0, score: {low}}}, {{utilization: 100, score: {high}}}]}}}}"
        )
    };
    assert_eq!(placed_with(&shape(0, 10)), ["n1", "n1", "n1"], "the fuller node scores higher");
    assert_eq!(placed_with(&shape(10, 0)), ["n1", "n2", "n1"], "the emptier node scores higher; ties go to the smaller name");
    assert_eq!(placed_with("{type: MostAllocated}"), ["n1", "n1", "n1"]);
    assert_eq!(placed_with("{type: LeastAllocated}"), ["n1", "n2", "n1"]);
}

fn deployment(name: &str, replicas: u32, cpu: &str, scheduler: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: {name}}}\nspec:\n  replicas: {replicas}\n  selector: {{matchLabels: {{app: {name}}}}}\n  template:\n    metadata: {{labels: {{app: {name}}}}}\n    spec:\n      schedulerName: {scheduler}\n      containers: [{{name: c, image: 'busybox:1.36', resources: {{requests: {{cpu: '{cpu}'}}}}}}]\n"
    )
}

#[test]
fn a_profile_s_default_constraints_spread_a_workload_that_bin_packing_would_stack() {
    // Both profiles pack (MostAllocated, no balancing) and have no system default constraints (List); `spread`
    // gives every pod of a workload a hard default constraint.
    let profile = |name: &str, constraints: &str| {
        format!(
            "  - schedulerName: {name}\n    plugins: {{score: {{disabled: [{{name: NodeResourcesBalancedAllocation}}]}}}}\n    pluginConfig:\n    - name: NodeResourcesFit\n      args: {{scoringStrategy: {{type: MostAllocated}}}}\n    - name: PodTopologySpread\n      args: {{defaultingType: List, defaultConstraints: [{constraints}]}}\n"
        )
    };
    let hard = "{maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule}";
    let docs = [
        config(&format!("profiles:\n{}{}", profile("pack", ""), profile("spread", hard))),
        node("n1", "8", &[]),
        node("n2", "8", &[]),
        deployment("packed", 4, "1", "pack"),
        deployment("spread", 4, "1", "spread"),
    ];
    let p = run(&docs.map(String::from));
    let per_node = |app: &str| {
        let mut counts = std::collections::BTreeMap::<String, usize>::new();
        for pod in p.cluster.store().list::<kubeplan::api::core_v1::Pod>().filter(|x| x.metadata.labels.get("app").map(String::as_str) == Some(app)) {
            *counts.entry(pod.spec.node_name.clone()).or_default() += 1;
        }
        counts.into_iter().collect::<Vec<_>>()
    };
    assert_eq!(per_node("spread"), [("n1".to_owned(), 2), ("n2".to_owned(), 2)], "maxSkew 1 across hostnames");
    let packed = per_node("packed");
    assert_eq!(packed.len(), 1, "the packing profile stacks the workload on one node: {packed:?}");
}
