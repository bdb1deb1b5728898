//! The Job controller through whole plans, checked against the rules of `pkg/controller/job`: how many pods run
//! at once, indexed completion, counting through the tracking finalizer, the interim and terminal conditions,
//! suspension, and scaling down.

use kubeplan::api::batch_v1::Job;
use kubeplan::input::Source;
use kubeplan::plan::{plan, Plan, PlanInput, PlanOptions};
use kubeplan::api::GroupKind;
use kubeplan::api::core_v1::Pod;
use crate::common::numbered_nodes as nodes;

/// A Job named `work`; `spec` lines go under `spec:` (two-space indented), `labels` into the template.
fn job(spec: &[&str], labels: &str) -> String {
    let mut lines = vec![
        "apiVersion: batch/v1".to_owned(),
        "kind: Job".to_owned(),
        "metadata:".to_owned(),
        "  name: work".to_owned(),
        "spec:".to_owned(),
    ];
    lines.extend(spec.iter().map(|l| format!("  {l}")));
    lines.push("  template:".to_owned());
    if !labels.is_empty() {
        lines.push(format!("    metadata: {{labels: {labels}}}"));
    }
    lines.extend(
        [
            "    spec:",
            "      restartPolicy: Never",
            "      containers:",
            "      - name: work",
            "        image: busybox",
            "        resources:",
            "          requests: {cpu: 100m}",
        ]
        .map(str::to_owned),
    );
    lines.join("\n") + "\n"
}

fn run(input: &str, update: Option<&str>) -> Plan {
    let mut pi = PlanInput { manifests: vec![Source::new("input.yaml", input)], ..Default::default() };
    if let Some(u) = update {
        pi.update = vec![Source::new("update.yaml", u)];
    }
    let p = plan(&pi, &PlanOptions::default());
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    assert!(p.cluster.rec.rejections.is_empty(), "{:?}", p.cluster.rec.rejections);
    p
}

/// The pods created per round of a phase.
fn created_per_round(p: &Plan, phase: &str) -> Vec<(u32, usize)> {
    p.cluster
        .rec
        .steps
        .iter()
        .filter(|s| s.phase == phase)
        .map(|s| (s.round, s.actions.iter().filter(|a| matches!(a.op, kubeplan::cluster::Op::Create)).count()))
        .filter(|(_, n)| *n > 0)
        .collect()
}

fn the_job(p: &Plan) -> Job {
    p.cluster.store().list::<Job>().next().expect("a Job").clone()
}

fn condition_types(j: &Job) -> Vec<(String, String, String)> {
    j.status.conditions.iter().map(|c| (c.r#type.clone(), c.status.clone(), c.reason.clone())).collect()
}

fn job_events(p: &Plan) -> Vec<(String, String)> {
    p.cluster
        .rec
        .events
        .iter()
        .filter(|e| e.source.component == "job-controller")
        .map(|e| (e.reason.clone(), e.message.clone()))
        .collect()
}

#[test]
fn completions_and_parallelism_pace_the_pods() {
    let p = run(&(nodes(2, "4") + &job(&["completions: 5", "parallelism: 2"], "")), None);
    // Two at a time; a pod succeeds the round after it runs, and is counted the round after that.
    assert_eq!(created_per_round(&p, "initial"), [(1, 2), (3, 2), (5, 1)]);
    let j = the_job(&p);
    assert_eq!(j.status.succeeded, 5);
    assert_eq!(j.status.active, 0);
    assert_eq!(j.status.failed, 0);
    let u = j.status.uncounted_terminated_pods.as_deref().expect("uncountedTerminatedPods");
    assert!(u.succeeded.is_empty() && u.failed.is_empty());
    assert_eq!(
        condition_types(&j),
        [
            ("SuccessCriteriaMet".to_owned(), "True".to_owned(), "CompletionsReached".to_owned()),
            ("Complete".to_owned(), "True".to_owned(), "CompletionsReached".to_owned()),
        ]
    );
    assert_eq!(j.status.conditions[1].message, "Reached expected number of succeeded pods");
    assert!(j.status.completion_time.is_some());
    let ev = job_events(&p);
    assert_eq!(ev.len(), 6);
    assert_eq!(ev[0], ("SuccessfulCreate".to_owned(), "Created pod: work-bbbbb".to_owned()));
    assert_eq!(ev[5], ("Completed".to_owned(), "Job completed".to_owned()));
    // Every pod was counted, so no tracking finalizer is left.
    for pod in p.cluster.store().list::<Pod>() {
        assert!(pod.metadata.finalizers.is_empty(), "{} keeps {:?}", pod.metadata.name, pod.metadata.finalizers);
        assert_eq!(pod.metadata.generate_name, "work-");
        assert_eq!(pod.status.phase, "Succeeded");
    }
}

#[test]
fn pods_carry_the_tracking_finalizer_while_running() {
    // No node fits the pods: they stay Pending, active and uncounted.
    let p = run(&(nodes(1, "50m") + &job(&["completions: 3", "parallelism: 2"], "")), None);
    let j = the_job(&p);
    assert_eq!((j.status.active, j.status.ready, j.status.succeeded), (2, Some(0), 0));
    assert!(j.status.conditions.is_empty());
    for pod in p.cluster.store().list::<Pod>() {
        assert_eq!(pod.metadata.finalizers, ["batch.kubernetes.io/job-tracking"]);
        assert_eq!(pod.metadata.labels["batch.kubernetes.io/job-name"], "work");
        assert_eq!(pod.metadata.labels["job-name"], "work");
        assert_eq!(pod.metadata.labels["batch.kubernetes.io/controller-uid"], j.metadata.uid);
    }
}

#[test]
fn indexed_pods_take_the_first_pending_indexes() {
    let p = run(&(nodes(2, "4") + &job(&["completions: 5", "parallelism: 2", "completionMode: Indexed"], "")), None);
    assert_eq!(created_per_round(&p, "initial"), [(1, 2), (3, 2), (5, 1)]);
    let mut names: Vec<&str> = p.cluster.store().keys(GroupKind::Pod).map(|(_, n)| n.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["work-0-bbbbb", "work-1-bbbbb", "work-2-bbbbb", "work-3-bbbbb", "work-4-bbbbb"]);
    let pod = &p.cluster.store().by_key::<Pod>(&("default".to_owned(), "work-3-bbbbb".to_owned())).expect("stored");
    assert_eq!(pod.metadata.generate_name, "work-3-");
    assert_eq!(pod.metadata.annotations["batch.kubernetes.io/job-completion-index"], "3");
    assert_eq!(pod.metadata.labels["batch.kubernetes.io/job-completion-index"], "3");
    assert_eq!(pod.spec.hostname, "work-3");
    assert_eq!(pod.spec.subdomain, "");
    let env = &pod.spec.containers[0].env;
    assert_eq!(env.len(), 1);
    assert_eq!(env[0].name, "JOB_COMPLETION_INDEX");
    let j = the_job(&p);
    assert_eq!(j.status.completed_indexes, "0-4");
    assert_eq!(j.status.succeeded, 5);
    assert_eq!(condition_types(&j).last().unwrap().0, "Complete");
}

#[test]
fn without_completions_the_first_success_ends_the_job() {
    let p = run(&(nodes(2, "4") + &job(&["parallelism: 3"], "")), None);
    assert_eq!(created_per_round(&p, "initial"), [(1, 3)]);
    let j = the_job(&p);
    assert_eq!(j.status.succeeded, 3);
    assert_eq!(condition_types(&j).last().unwrap().0, "Complete");
    assert!(!job_events(&p).iter().any(|e| e.0 == "TooManySucceededPods"), "no completion count to exceed");
}

#[test]
fn a_suspended_job_waits_and_starts_when_resumed() {
    // An update replaces the whole object, so the Job brings its own selector (a server-generated one would be
    // dropped by the update).
    let own = ["manualSelector: true", "selector: {matchLabels: {app: w}}"];
    let input =
        nodes(2, "4") + &job(&[own[0], own[1], "completions: 2", "parallelism: 2", "suspend: true"], "{app: w}");
    let resumed = job(&[own[0], own[1], "completions: 2", "parallelism: 2", "suspend: false"], "{app: w}");
    let p = run(&input, Some(&resumed));
    assert!(created_per_round(&p, "initial").is_empty());
    assert_eq!(created_per_round(&p, "update"), [(1, 2)]);
    let ev = job_events(&p);
    assert_eq!(ev[0], ("Suspended".to_owned(), "Job suspended".to_owned()));
    // manageJob creates the pods before the sync turns the condition back, so Resumed follows the creations.
    let reasons: Vec<&str> = ev.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(reasons[1..4], ["SuccessfulCreate", "SuccessfulCreate", "Resumed"]);
    assert_eq!(ev[3].1, "Job resumed");
    let j = the_job(&p);
    let suspended = j.status.conditions.iter().find(|c| c.r#type == "Suspended").expect("Suspended condition");
    assert_eq!((suspended.status.as_str(), suspended.reason.as_str()), ("False", "JobResumed"));
    assert_eq!(condition_types(&j).last().unwrap().0, "Complete");
}

#[test]
fn lowering_parallelism_deletes_the_newest_pending_pods() {
    // Nothing fits, so all pods stay Pending and unassigned; the newest go first.
    let own = ["manualSelector: true", "selector: {matchLabels: {app: w}}"];
    let input = nodes(1, "50m") + &job(&[own[0], own[1], "completions: 4", "parallelism: 3"], "{app: w}");
    let p = run(&input, Some(&job(&[own[0], own[1], "completions: 4", "parallelism: 1"], "{app: w}")));
    let ev: Vec<String> = job_events(&p).into_iter().filter(|e| e.0 == "SuccessfulDelete").map(|e| e.1).collect();
    assert_eq!(ev, ["Deleted pod: work-bbbbd", "Deleted pod: work-bbbbc"]);
    let j = the_job(&p);
    assert_eq!(j.status.active, 1);
    assert_eq!(j.status.failed, 0, "pods the controller removes are not failures");
}

#[test]
fn a_job_keeps_its_template_labels_as_its_own() {
    let p = run(&(nodes(1, "4") + &job(&["completions: 1"], "{app: w}")), None);
    let j = the_job(&p);
    assert_eq!(j.metadata.labels.len(), 1);
    assert_eq!(j.metadata.labels["app"], "w");
    let unlabelled = run(&(nodes(1, "4") + &job(&["completions: 1"], "")), None);
    let j = the_job(&unlabelled);
    assert_eq!(j.metadata.labels["batch.kubernetes.io/job-name"], "work");
    assert_eq!(j.metadata.labels["controller-uid"], j.metadata.uid);
}

#[test]
fn orphaned_pods_lose_the_tracking_finalizer() {
    let input = nodes(1, "50m") + &job(&["completions: 2", "parallelism: 2"], "");
    let steps = "- action: deleteObject\n  kind: Job\n  namespace: default\n  name: work\n  propagation: Orphan\n";
    let pi = PlanInput {
        manifests: vec![Source::new("input.yaml", input)],
        steps: Some(Source::new("steps.yaml", steps)),
        ..Default::default()
    };
    let p = plan(&pi, &PlanOptions::default());
    assert_eq!(p.cluster.store().count(GroupKind::Job), 0);
    assert_eq!(p.cluster.store().count(GroupKind::Pod), 2);
    for pod in p.cluster.store().list::<Pod>() {
        assert!(pod.metadata.owner_references.is_empty());
        assert!(pod.metadata.finalizers.is_empty(), "{:?}", pod.metadata.finalizers);
    }
}

#[test]
fn a_success_policy_ends_an_indexed_job_early() {
    let spec = [
        "completions: 3",
        "parallelism: 1",
        "completionMode: Indexed",
        "successPolicy: {rules: [{succeededIndexes: '0'}]}",
    ];
    let p = run(&(nodes(1, "4") + &job(&spec, "")), None);
    assert_eq!(created_per_round(&p, "initial"), [(1, 1)], "index 0 alone satisfies the policy");
    let j = the_job(&p);
    assert_eq!(j.status.completed_indexes, "0");
    assert_eq!(
        condition_types(&j),
        [
            ("SuccessCriteriaMet".to_owned(), "True".to_owned(), "SuccessPolicy".to_owned()),
            ("Complete".to_owned(), "True".to_owned(), "SuccessPolicy".to_owned()),
        ]
    );
    assert_eq!(j.status.conditions[1].message, "Matched rules at index 0");
}
