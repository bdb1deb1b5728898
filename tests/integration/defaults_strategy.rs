//! Registry strategies of the workloads and pods (`pkg/registry/{apps,batch,core/pod}/.../strategy.go`), written
//! from the Kubernetes rules.

use kubeplan::api::{Object, Time};
use kubeplan::apiserver::defaults::default_object;
use kubeplan::apiserver::strategy::{self, prepare_for_create, prepare_for_update};
use serde_json::{json, Value};
use crate::common::load_one;

/// Decode, default, stamp the system fields as the caller does, and prepare for create.
fn created(yaml: &str) -> Object {
    let mut o = load_one(yaml);
    default_object(&mut o);
    o.meta_mut().uid = "11111111-2222-3333-4444-555555555555".to_owned();
    o.meta_mut().creation_timestamp = Time::at_second(7);
    prepare_for_create(&mut o);
    o
}

fn updated(old: &Object, yaml: &str) -> Object {
    let mut o = load_one(yaml);
    default_object(&mut o);
    prepare_for_update(&mut o, old);
    o
}

fn ds(image: &str, extra_spec: &str, annotations: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: d\n{annotations}spec:\n{extra_spec}  selector:\n    matchLabels: {{app: a}}\n  template:\n    metadata:\n      labels: {{app: a}}\n    spec:\n      containers:\n      - name: c\n        image: {image}\n"
    )
}

fn annotation(o: &Object) -> Option<String> {
    o.meta().annotations.get(strategy::DEPRECATED_TEMPLATE_GENERATION).cloned()
}

#[test]
fn daemon_set_create_sets_generation_and_template_generation() {
    let d = created(&ds("x:1", "", ""));
    assert_eq!(d.meta().generation, 1);
    assert_eq!(annotation(&d).as_deref(), Some("1"));
    let given = created(&ds("x:1", "", "  annotations:\n    deprecated.daemonset.template.generation: '5'\n"));
    assert_eq!(annotation(&given).as_deref(), Some("5"));
    let zero = created(&ds("x:1", "", "  annotations:\n    deprecated.daemonset.template.generation: '0'\n"));
    assert_eq!(annotation(&zero).as_deref(), Some("1"));
}

#[test]
fn daemon_set_create_resets_status() {
    let mut o = load_one(&format!("{}status:\n  numberReady: 3\n  desiredNumberScheduled: 4\n", ds("x:1", "", "")));
    default_object(&mut o);
    prepare_for_create(&mut o);
    assert_eq!(o.to_json()["status"]["numberReady"], 0);
}

#[test]
fn daemon_set_update_generations() {
    let v1 = created(&ds("x:1", "", ""));
    // No change: nothing moves, even when the client sends another generation or template generation.
    let same = updated(
        &v1,
        &ds("x:1", "", "  generation: 9\n  annotations:\n    deprecated.daemonset.template.generation: '7'\n"),
    );
    assert_eq!((same.meta().generation, annotation(&same).as_deref()), (1, Some("1")));
    // A template change bumps both.
    let v2 = updated(&v1, &ds("x:2", "", ""));
    assert_eq!((v2.meta().generation, annotation(&v2).as_deref()), (2, Some("2")));
    // Another spec change bumps only the generation.
    let v3 = updated(&v2, &ds("x:2", "  revisionHistoryLimit: 3\n", ""));
    assert_eq!((v3.meta().generation, annotation(&v3).as_deref()), (3, Some("2")));
    // A label change is not a spec change.
    let v4 = updated(&v3, &ds("x:2", "  revisionHistoryLimit: 3\n", "  labels: {tier: web}\n"));
    assert_eq!(v4.meta().generation, 3);
    // Metadata of the stored object survives.
    assert_eq!(v4.meta().uid, "11111111-2222-3333-4444-555555555555");
    assert_eq!(v4.meta().creation_timestamp, Time::at_second(7));
}

#[test]
fn daemon_set_update_ignores_quantity_spelling() {
    let v1 = created(
        &ds("x:1", "", "").replace("image: x:1\n", "image: x:1\n        resources:\n          requests: {cpu: '1'}\n"),
    );
    let v2 = updated(
        &v1,
        &ds("x:1", "", "")
            .replace("image: x:1\n", "image: x:1\n        resources:\n          requests: {cpu: 1000m}\n"),
    );
    assert_eq!(v2.meta().generation, 1, "semantically equal templates are no change");
}

fn deployment(image: &str, replicas: i32, annotations: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n{annotations}spec:\n  replicas: {replicas}\n  selector:\n    matchLabels: {{app: a}}\n  template:\n    metadata:\n      labels: {{app: a}}\n    spec:\n      containers:\n      - name: c\n        image: {image}\n"
    )
}

#[test]
fn deployment_generation_follows_spec_and_annotations() {
    let v1 = created(&deployment("x:1", 2, ""));
    assert_eq!(v1.meta().generation, 1);
    assert!(v1.meta().annotations.is_empty());
    assert_eq!(updated(&v1, &deployment("x:1", 2, "")).meta().generation, 1);
    assert_eq!(updated(&v1, &deployment("x:1", 3, "")).meta().generation, 2);
    assert_eq!(updated(&v1, &deployment("x:1", 2, "  annotations: {note: n1}\n")).meta().generation, 2);
}

#[test]
fn replica_set_and_stateful_set_generation() {
    let rs = |n: i32| {
        format!("apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {{name: r}}\nspec:\n  replicas: {n}\n  selector:\n    matchLabels: {{app: a}}\n  template:\n    metadata:\n      labels: {{app: a}}\n    spec:\n      containers:\n      - {{name: c, image: x}}\n")
    };
    let r1 = created(&rs(1));
    assert_eq!(r1.meta().generation, 1);
    assert_eq!(updated(&r1, &rs(1)).meta().generation, 1);
    assert_eq!(updated(&r1, &rs(4)).meta().generation, 2);
    let ss = |n: i32| {
        rs(n).replace("ReplicaSet", "StatefulSet").replace("spec:\n  replicas", "spec:\n  serviceName: s\n  replicas")
    };
    let s1 = created(&ss(1));
    assert_eq!(s1.meta().generation, 1);
    assert_eq!(updated(&s1, &ss(1)).meta().generation, 1);
    assert_eq!(updated(&s1, &ss(4)).meta().generation, 2);
}

#[test]
fn stateful_set_drops_max_unavailable_and_names_claim_templates() {
    let s = created(
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  serviceName: db\n  updateStrategy:\n    rollingUpdate: {maxUnavailable: 2}\n  selector:\n    matchLabels: {app: a}\n  template:\n    metadata:\n      labels: {app: a}\n    spec:\n      containers:\n      - {name: c, image: x}\n  volumeClaimTemplates:\n  - metadata: {name: data}\n    spec:\n      accessModes: [ReadWriteOnce]\n      resources:\n        requests: {storage: 1Gi}\n",
    )
    .to_json();
    assert_eq!(s["spec"]["updateStrategy"], json!({"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}));
    let t = &s["spec"]["volumeClaimTemplates"][0];
    assert_eq!((t["apiVersion"].clone(), t["kind"].clone()), (json!("v1"), json!("PersistentVolumeClaim")));
}

fn job(extra_spec: &str, labels: &str) -> String {
    format!(
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: pi\nspec:\n{extra_spec}  template:\n    metadata:\n{labels}    spec:\n      restartPolicy: Never\n      containers:\n      - {{name: c, image: perl}}\n"
    )
}

const UID: &str = "11111111-2222-3333-4444-555555555555";

#[test]
fn job_selector_and_template_labels() {
    let j = created(&job("", "      labels: {app: pi}\n")).to_json();
    assert_eq!(j["metadata"]["generation"], 1);
    assert_eq!(j["spec"]["selector"], json!({"matchLabels": {"batch.kubernetes.io/controller-uid": UID}}));
    assert_eq!(
        j["spec"]["template"]["metadata"]["labels"],
        json!({"app": "pi", "batch.kubernetes.io/controller-uid": UID, "controller-uid": UID, "batch.kubernetes.io/job-name": "pi", "job-name": "pi"})
    );
    // The Job's own labels come from defaulting, before the registry adds its labels to the template.
    assert_eq!(j["metadata"]["labels"], json!({"app": "pi"}));
    let no_labels = created(&job("", "")).to_json();
    assert!(no_labels["metadata"].get("labels").is_none());
    assert_eq!(no_labels["spec"]["template"]["metadata"]["labels"]["job-name"], "pi");
}

#[test]
fn job_selector_keeps_given_labels_and_respects_manual_selector() {
    let given = created(&job("", "      labels: {job-name: mine}\n")).to_json();
    assert_eq!(given["spec"]["template"]["metadata"]["labels"]["job-name"], "mine");
    assert_eq!(given["spec"]["template"]["metadata"]["labels"]["batch.kubernetes.io/job-name"], "pi");
    let manual =
        created(&job("  manualSelector: true\n  selector:\n    matchLabels: {app: pi}\n", "      labels: {app: pi}\n"))
            .to_json();
    assert_eq!(manual["spec"]["selector"], json!({"matchLabels": {"app": "pi"}}));
    assert_eq!(manual["spec"]["template"]["metadata"]["labels"], json!({"app": "pi"}));
}

#[test]
fn job_selector_waits_for_the_uid() {
    let mut o = load_one(&job("", ""));
    default_object(&mut o);
    prepare_for_create(&mut o);
    let j = o.to_json();
    assert!(j["spec"].get("selector").is_none());
    let Object::Job(mut job) = o else { unreachable!() };
    job.metadata.uid = UID.to_owned();
    strategy::generate_job_selector(&mut job);
    assert_eq!(job.spec.selector.unwrap().match_labels["batch.kubernetes.io/controller-uid"], UID);
}

#[test]
fn job_update_generation() {
    let j1 = created(&job("  parallelism: 1\n", ""));
    let mut same = load_one(&job("  parallelism: 1\n", ""));
    // An update carries the stored selector and labels (kubectl sends the whole stored object).
    if let (Object::Job(n), Object::Job(o)) = (&mut same, &j1) {
        n.spec.selector = o.spec.selector.clone();
        n.spec.template.metadata.labels = o.spec.template.metadata.labels.clone();
    }
    default_object(&mut same);
    prepare_for_update(&mut same, &j1);
    assert_eq!(same.meta().generation, 1);
    let mut scaled = same.clone();
    if let Object::Job(n) = &mut scaled {
        n.spec.parallelism = Some(3);
    }
    prepare_for_update(&mut scaled, &j1);
    assert_eq!(scaled.meta().generation, 2);
}

fn pod(spec: &str) -> Object {
    created(&format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels: {{app: a, tier: web}}\nspec:\n{spec}"))
}

fn qos(resources: &str) -> Value {
    pod(&format!("  containers:\n  - name: c\n    image: x\n{resources}")).to_json()["status"]["qosClass"].clone()
}

#[test]
fn pod_status_on_create() {
    let p = pod("  containers:\n  - {name: c, image: x}\n").to_json();
    assert_eq!(p["status"], json!({"phase": "Pending", "qosClass": "BestEffort"}));
}

#[test]
fn pod_qos_classes() {
    assert_eq!(qos(""), "BestEffort");
    assert_eq!(qos("    resources:\n      requests: {cpu: 100m}\n"), "Burstable");
    // Limits only: requests default to them, so both resources are equal and limited.
    assert_eq!(qos("    resources:\n      limits: {cpu: 100m, memory: 64Mi}\n"), "Guaranteed");
    assert_eq!(qos("    resources:\n      limits: {cpu: 100m}\n"), "Burstable");
    assert_eq!(
        qos("    resources:\n      requests: {cpu: 50m, memory: 64Mi}\n      limits: {cpu: 100m, memory: 64Mi}\n"),
        "Burstable"
    );
    assert_eq!(qos("    resources:\n      limits: {cpu: '0', memory: '0'}\n"), "BestEffort");
    assert_eq!(qos("    resources:\n      requests: {example.com/gpu: '1'}\n"), "BestEffort");
    let with_init = pod("  initContainers:\n  - name: i\n    image: x\n    resources:\n      requests: {cpu: 10m}\n  containers:\n  - name: c\n    image: x\n    resources:\n      limits: {cpu: 100m, memory: 1Gi}\n");
    assert_eq!(with_init.to_json()["status"]["qosClass"], "Burstable");
    let big = qos("    resources:\n      limits: {cpu: '64', memory: 512Gi}\n      requests: {cpu: 64000m, memory: 549755813888}\n");
    assert_eq!(big, "Guaranteed");
}

#[test]
fn pod_scheduling_gates_add_a_condition() {
    let p = pod("  schedulingGates:\n  - name: wait\n  containers:\n  - {name: c, image: x}\n").to_json();
    assert_eq!(
        p["status"]["conditions"],
        json!([{"type": "PodScheduled", "status": "False", "reason": "SchedulingGated", "message": "Scheduling is blocked due to non-empty scheduling gates", "lastTransitionTime": "2024-01-01T00:00:07Z"}])
    );
}

#[test]
fn pod_affinity_match_label_keys_become_requirements() {
    let p = pod(
        "  affinity:\n    podAntiAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n      - topologyKey: kubernetes.io/hostname\n        labelSelector:\n          matchLabels: {app: a}\n        matchLabelKeys: [tier, missing]\n        mismatchLabelKeys: [app]\n  containers:\n  - {name: c, image: x}\n",
    )
    .to_json();
    let sel =
        &p["spec"]["affinity"]["podAntiAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"][0]["labelSelector"];
    assert_eq!(
        sel["matchExpressions"],
        json!([{"key": "tier", "operator": "In", "values": ["web"]}, {"key": "app", "operator": "NotIn", "values": ["a"]}])
    );
}

#[test]
fn pod_app_armor_fields_and_annotations_sync() {
    let p = created(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    container.apparmor.security.beta.kubernetes.io/b: localhost/prof\nspec:\n  securityContext:\n    appArmorProfile: {type: RuntimeDefault}\n  containers:\n  - {name: a, image: x}\n  - {name: b, image: x}\n  - name: c\n    image: x\n    securityContext:\n      appArmorProfile: {type: Unconfined}\n",
    )
    .to_json();
    let ann = &p["metadata"]["annotations"];
    assert_eq!(ann["container.apparmor.security.beta.kubernetes.io/a"], "runtime/default");
    assert_eq!(ann["container.apparmor.security.beta.kubernetes.io/c"], "unconfined");
    assert_eq!(
        p["spec"]["containers"][1]["securityContext"]["appArmorProfile"],
        json!({"type": "Localhost", "localhostProfile": "prof"})
    );
    assert!(p["spec"]["containers"][0].get("securityContext").is_none());
}

#[test]
fn disabled_fields_are_dropped_on_create() {
    let p = pod(
        "  hostUsers: false\n  securityContext:\n    supplementalGroupsPolicy: Strict\n    seLinuxChangePolicy: MountOption\n  resources:\n    limits: {cpu: '1'}\n  resourceClaims:\n  - name: gpu\n    resourceClaimName: g\n  volumes:\n  - name: img\n    image: {reference: 'quay.io/x:1'}\n  - name: proj\n    projected:\n      sources:\n      - clusterTrustBundle: {signerName: example.com/s, path: ca.pem}\n  containers:\n  - name: c\n    image: x\n    resizePolicy:\n    - {resourceName: cpu, restartPolicy: NotRequired}\n    resources:\n      claims: [{name: gpu}]\n    securityContext:\n      procMount: Unmasked\n    volumeMounts:\n    - {name: img, mountPath: /img}\n    - {name: proj, mountPath: /proj, recursiveReadOnly: Disabled, readOnly: true}\n  initContainers:\n  - name: sidecar\n    image: x\n    restartPolicy: Always\n    lifecycle:\n      preStop:\n        sleep: {seconds: 5}\n",
    )
    .to_json();
    let spec = &p["spec"];
    assert!(spec.get("hostUsers").is_none());
    assert_eq!(spec["securityContext"], json!({}));
    assert!(spec.get("resources").is_none());
    assert!(spec.get("resourceClaims").is_none());
    assert_eq!(spec["volumes"].as_array().unwrap().len(), 1, "image volumes go");
    assert_eq!(spec["volumes"][0]["projected"]["sources"], json!([{}]));
    let c = &spec["containers"][0];
    assert!(c.get("resizePolicy").is_none());
    assert!(c["resources"].get("claims").is_none());
    assert_eq!(c["securityContext"]["procMount"], "Default");
    assert_eq!(
        c["volumeMounts"],
        json!([{"name": "proj", "mountPath": "/proj", "readOnly": true, "recursiveReadOnly": "Disabled"}])
    );
    // Gates that are on keep their fields.
    assert_eq!(spec["initContainers"][0]["restartPolicy"], "Always");
    assert_eq!(spec["initContainers"][0]["lifecycle"]["preStop"]["sleep"]["seconds"], 5);
}

#[test]
fn disabled_fields_in_use_survive_updates() {
    let base = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: c, image: x}\n";
    let mut old = load_one(base);
    default_object(&mut old);
    if let Object::Pod(p) = &mut old {
        let p = std::sync::Arc::make_mut(p);
        p.spec.host_users = Some(false);
        p.status.phase = "Running".to_owned();
    }
    let new = updated(
        &old,
        &base.replace("spec:\n", "spec:\n  hostUsers: false\n  securityContext:\n    seLinuxChangePolicy: Recursive\n"),
    );
    let j = new.to_json();
    assert_eq!(j["spec"]["hostUsers"], false, "the old pod uses hostUsers");
    assert!(j["spec"]["securityContext"].get("seLinuxChangePolicy").is_none(), "the old pod does not use it");
    assert_eq!(j["status"]["phase"], "Running", "status comes from the stored pod");
}

#[test]
fn workload_templates_drop_disabled_fields() {
    let d = created(&ds("x:1", "", "").replace("    spec:\n", "    spec:\n      hostUsers: false\n"));
    assert!(d.to_json()["spec"]["template"]["spec"].get("hostUsers").is_none());
}
