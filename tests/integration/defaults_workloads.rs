//! Workload defaulting (`pkg/apis/apps/v1/defaults.go`, `pkg/apis/batch/v1/defaults.go`), written from the
//! Kubernetes rules.

use kubeplan::api::Object;
use kubeplan::apiserver::defaults::default_object;
use kubeplan::input::{load, Source};
use serde_json::{json, Value};

fn defaulted(yaml: &str) -> Value {
    let loaded = load(&[Source::new("test.yaml", yaml)]);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let mut o: Object = loaded.manifests.into_iter().next().expect("one object").object;
    default_object(&mut o);
    o.to_json()
}

const TEMPLATE: &str = "  selector:\n    matchLabels: {app: a}\n  template:\n    metadata:\n      labels: {app: a}\n    spec:\n      containers:\n      - name: c\n        image: x:1\n";

fn workload(kind: &str, extra_spec: &str) -> Value {
    let api = if kind == "Job" { "batch/v1" } else { "apps/v1" };
    defaulted(&format!("apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: w\nspec:\n{extra_spec}{TEMPLATE}"))
}

#[test]
fn daemon_set_rolling_update_defaults() {
    let ds = workload("DaemonSet", "");
    assert_eq!(
        ds["spec"]["updateStrategy"],
        json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}})
    );
    assert_eq!(ds["spec"]["revisionHistoryLimit"], 10);
    let partial =
        workload("DaemonSet", "  updateStrategy:\n    rollingUpdate: {maxSurge: 25%}\n  revisionHistoryLimit: 3\n");
    assert_eq!(partial["spec"]["updateStrategy"]["rollingUpdate"], json!({"maxUnavailable": 1, "maxSurge": "25%"}));
    assert_eq!(partial["spec"]["revisionHistoryLimit"], 3);
    let on_delete = workload("DaemonSet", "  updateStrategy: {type: OnDelete}\n");
    assert_eq!(on_delete["spec"]["updateStrategy"], json!({"type": "OnDelete"}));
}

#[test]
fn deployment_defaults() {
    let d = workload("Deployment", "");
    assert_eq!(d["spec"]["replicas"], 1);
    assert_eq!(
        d["spec"]["strategy"],
        json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}})
    );
    assert_eq!(d["spec"]["revisionHistoryLimit"], 10);
    assert_eq!(d["spec"]["progressDeadlineSeconds"], 600);
    let recreate = workload("Deployment", "  replicas: 0\n  strategy: {type: Recreate}\n");
    assert_eq!(recreate["spec"]["replicas"], 0);
    assert_eq!(recreate["spec"]["strategy"], json!({"type": "Recreate"}));
    let given = workload("Deployment", "  strategy:\n    rollingUpdate: {maxUnavailable: 0}\n");
    assert_eq!(given["spec"]["strategy"]["rollingUpdate"], json!({"maxUnavailable": 0, "maxSurge": "25%"}));
}

#[test]
fn replica_set_defaults() {
    let rs = workload("ReplicaSet", "");
    assert_eq!(rs["spec"]["replicas"], 1);
    assert!(rs["spec"].get("revisionHistoryLimit").is_none());
}

#[test]
fn stateful_set_defaults() {
    let ss = workload("StatefulSet", "  serviceName: s\n");
    assert_eq!(ss["spec"]["podManagementPolicy"], "OrderedReady");
    assert_eq!(ss["spec"]["updateStrategy"], json!({"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}));
    assert_eq!(
        ss["spec"]["persistentVolumeClaimRetentionPolicy"],
        json!({"whenDeleted": "Retain", "whenScaled": "Retain"})
    );
    assert_eq!(ss["spec"]["replicas"], 1);
    assert_eq!(ss["spec"]["revisionHistoryLimit"], 10);
}

#[test]
fn stateful_set_rolling_update_only_created_when_the_type_was_empty() {
    let explicit = workload("StatefulSet", "  updateStrategy: {type: RollingUpdate}\n");
    assert_eq!(explicit["spec"]["updateStrategy"], json!({"type": "RollingUpdate"}));
    let given = workload("StatefulSet", "  updateStrategy:\n    rollingUpdate: {maxUnavailable: 2}\n");
    // maxUnavailable is kept by defaulting (the registry drops it while its gate is off) and not defaulted.
    assert_eq!(
        given["spec"]["updateStrategy"],
        json!({"type": "RollingUpdate", "rollingUpdate": {"partition": 0, "maxUnavailable": 2}})
    );
    let on_delete = workload("StatefulSet", "  updateStrategy: {type: OnDelete}\n");
    assert_eq!(on_delete["spec"]["updateStrategy"], json!({"type": "OnDelete"}));
    let policy = workload("StatefulSet", "  persistentVolumeClaimRetentionPolicy: {whenDeleted: Delete}\n");
    assert_eq!(
        policy["spec"]["persistentVolumeClaimRetentionPolicy"],
        json!({"whenDeleted": "Delete", "whenScaled": "Retain"})
    );
}

#[test]
fn stateful_set_volume_claim_templates() {
    let ss = workload(
        "StatefulSet",
        "  volumeClaimTemplates:\n  - metadata: {name: data}\n    spec:\n      accessModes: [ReadWriteOnce]\n      resources:\n        requests: {storage: 1Gi}\n",
    );
    let t = &ss["spec"]["volumeClaimTemplates"][0];
    assert_eq!(t["spec"]["volumeMode"], "Filesystem");
    assert_eq!(t["status"]["phase"], "Pending");
    assert_eq!(t["spec"]["resources"]["requests"]["storage"], "1Gi");
}

#[test]
fn templates_get_pod_spec_defaults_only() {
    for kind in ["DaemonSet", "Deployment", "ReplicaSet", "StatefulSet", "Job"] {
        let w = workload(kind, "");
        let spec = &w["spec"]["template"]["spec"];
        assert_eq!(spec["dnsPolicy"], "ClusterFirst", "{kind}");
        assert_eq!(spec["schedulerName"], "default-scheduler", "{kind}");
        assert_eq!(spec["containers"][0]["imagePullPolicy"], "IfNotPresent", "{kind}");
        assert!(spec.get("enableServiceLinks").is_none(), "{kind}");
    }
}

#[test]
fn job_completions_and_parallelism() {
    let both = workload("Job", "");
    assert_eq!((both["spec"]["completions"].clone(), both["spec"]["parallelism"].clone()), (json!(1), json!(1)));
    let completions = workload("Job", "  completions: 5\n");
    assert_eq!(
        (completions["spec"]["completions"].clone(), completions["spec"]["parallelism"].clone()),
        (json!(5), json!(1))
    );
    let work_queue = workload("Job", "  parallelism: 3\n");
    assert!(work_queue["spec"].get("completions").is_none());
    assert_eq!(work_queue["spec"]["parallelism"], 3);
}

#[test]
fn job_other_defaults() {
    let j = workload("Job", "");
    assert_eq!(j["spec"]["backoffLimit"], 6);
    assert_eq!(j["spec"]["completionMode"], "NonIndexed");
    assert_eq!(j["spec"]["suspend"], false);
    assert_eq!(j["spec"]["manualSelector"], false);
    assert_eq!(j["spec"]["podReplacementPolicy"], "TerminatingOrFailed");
    let per_index = workload("Job", "  completionMode: Indexed\n  completions: 3\n  backoffLimitPerIndex: 1\n");
    assert_eq!(per_index["spec"]["backoffLimit"], i32::MAX);
    assert_eq!(per_index["spec"]["completionMode"], "Indexed");
    let pfp = workload(
        "Job",
        "  podFailurePolicy:\n    rules:\n    - action: Ignore\n      onPodConditions:\n      - type: DisruptionTarget\n      - type: Other\n        status: 'False'\n",
    );
    assert_eq!(pfp["spec"]["podReplacementPolicy"], "Failed");
    assert_eq!(pfp["spec"]["podFailurePolicy"]["rules"][0]["onPodConditions"][0]["status"], "True");
    assert_eq!(pfp["spec"]["podFailurePolicy"]["rules"][0]["onPodConditions"][1]["status"], "False");
}

#[test]
fn job_labels_default_to_template_labels() {
    let j = workload("Job", "");
    assert_eq!(j["metadata"]["labels"], json!({"app": "a"}));
    let own = defaulted(&format!(
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: w\n  labels: {{team: t}}\nspec:\n{TEMPLATE}"
    ));
    assert_eq!(own["metadata"]["labels"], json!({"team": "t"}));
}
