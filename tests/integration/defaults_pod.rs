//! Pod and pod template defaulting (`pkg/apis/core/v1/defaults.go`, `SetObjectDefaults_Pod` and the template
//! walkers of the workload kinds), written from the Kubernetes rules.

use kubeplan::apiserver::defaults::{default_object, image::parse_image_name};
use serde_json::{json, Value};
use crate::common::load_one;

fn defaulted(yaml: &str) -> Value {
    let mut o = load_one(yaml);
    default_object(&mut o);
    o.to_json()
}

fn pod(spec: &str) -> Value {
    defaulted(&format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n{spec}"))
}

/// The same spec as a DaemonSet template: what templates get (SetDefaults_PodSpec, not SetDefaults_Pod).
fn template(spec: &str) -> Value {
    let indented: String = spec.lines().map(|l| format!("      {l}\n")).collect();
    let v = defaulted(&format!(
        "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: d\nspec:\n  selector:\n    matchLabels: {{a: b}}\n  template:\n    metadata:\n      labels: {{a: b}}\n    spec:\n{indented}"
    ));
    v["spec"]["template"].clone()
}

const ONE_CONTAINER: &str = "  containers:\n  - name: c\n    image: busybox:1.36\n";

#[test]
fn pod_spec_defaults_apply_to_pods_and_templates() {
    let in_template = template("containers:\n- name: c\n  image: busybox:1.36\n");
    for spec in [pod(ONE_CONTAINER)["spec"].clone(), in_template["spec"].clone()] {
        assert_eq!(spec["dnsPolicy"], "ClusterFirst");
        assert_eq!(spec["restartPolicy"], "Always");
        assert_eq!(spec["securityContext"], json!({}));
        assert_eq!(spec["terminationGracePeriodSeconds"], 30);
        assert_eq!(spec["schedulerName"], "default-scheduler");
    }
}

#[test]
fn pod_spec_defaults_keep_given_values() {
    let spec = pod(
        "  dnsPolicy: Default\n  restartPolicy: Never\n  securityContext: {runAsUser: 1}\n  terminationGracePeriodSeconds: 0\n  schedulerName: mine\n  containers:\n  - name: c\n    image: x:1\n",
    )["spec"]
        .clone();
    assert_eq!(spec["dnsPolicy"], "Default");
    assert_eq!(spec["restartPolicy"], "Never");
    assert_eq!(spec["securityContext"], json!({"runAsUser": 1}));
    assert_eq!(spec["terminationGracePeriodSeconds"], 0);
    assert_eq!(spec["schedulerName"], "mine");
}

#[test]
fn enable_service_links_only_on_pods() {
    assert_eq!(pod(ONE_CONTAINER)["spec"]["enableServiceLinks"], true);
    assert_eq!(pod(&format!("  enableServiceLinks: false\n{ONE_CONTAINER}"))["spec"]["enableServiceLinks"], false);
    assert!(template("containers:\n- name: c\n  image: busybox:1.36\n")["spec"].get("enableServiceLinks").is_none());
}

#[test]
fn requests_default_to_limits_only_on_pods() {
    let spec = "  containers:\n  - name: c\n    image: x:1\n    resources:\n      limits: {cpu: 500m, memory: 1Gi}\n      requests: {cpu: 100m}\n  initContainers:\n  - name: i\n    image: x:1\n    resources:\n      limits: {cpu: '1'}\n  ephemeralContainers:\n  - name: e\n    image: x:1\n    resources:\n      limits: {cpu: '1'}\n";
    let p = pod(spec);
    assert_eq!(p["spec"]["containers"][0]["resources"]["requests"], json!({"cpu": "100m", "memory": "1Gi"}));
    assert_eq!(p["spec"]["initContainers"][0]["resources"]["requests"], json!({"cpu": "1"}));
    assert!(p["spec"]["ephemeralContainers"][0]["resources"].get("requests").is_none());
    let t = template("containers:\n- name: c\n  image: x:1\n  resources:\n    limits: {cpu: 500m}\n");
    assert!(t["spec"]["containers"][0]["resources"].get("requests").is_none());
}

#[test]
fn host_network_ports_only_on_pods() {
    let spec = "  hostNetwork: true\n  containers:\n  - name: c\n    image: x:1\n    ports:\n    - containerPort: 80\n    - containerPort: 81\n      hostPort: 9081\n  initContainers:\n  - name: i\n    image: x:1\n    ports:\n    - containerPort: 90\n";
    let p = pod(spec);
    assert_eq!(p["spec"]["containers"][0]["ports"][0], json!({"containerPort": 80, "hostPort": 80, "protocol": "TCP"}));
    assert_eq!(p["spec"]["containers"][0]["ports"][1]["hostPort"], 9081);
    assert_eq!(p["spec"]["initContainers"][0]["ports"][0]["hostPort"], 90);
    let t = template("hostNetwork: true\ncontainers:\n- name: c\n  image: x:1\n  ports:\n  - containerPort: 80\n");
    assert_eq!(t["spec"]["containers"][0]["ports"][0], json!({"containerPort": 80, "protocol": "TCP"}));
    let no_host = pod("  containers:\n  - name: c\n    image: x:1\n    ports:\n    - containerPort: 80\n");
    assert!(no_host["spec"]["containers"][0]["ports"][0].get("hostPort").is_none());
}

#[test]
fn image_pull_policy_follows_the_tag() {
    let policy = |image: &str| {
        pod(&format!("  containers:\n  - name: c\n    image: '{image}'\n"))["spec"]["containers"][0]["imagePullPolicy"]
            .clone()
    };
    let digest = format!("busybox@sha256:{}", "0".repeat(64));
    assert_eq!(policy("busybox"), "Always");
    assert_eq!(policy("busybox:latest"), "Always");
    assert_eq!(policy("registry.example.com:5000/team/app"), "Always");
    assert_eq!(policy("busybox:1.36"), "IfNotPresent");
    assert_eq!(policy(&digest), "IfNotPresent");
    assert_eq!(policy("Busybox"), "IfNotPresent", "an unparsable reference has no tag");
    let given = pod("  containers:\n  - name: c\n    image: busybox\n    imagePullPolicy: Never\n");
    assert_eq!(given["spec"]["containers"][0]["imagePullPolicy"], "Never");
    assert_eq!(parse_image_name("busybox").unwrap().repository, "docker.io/library/busybox");
}

#[test]
fn container_defaults_for_every_container_kind() {
    let spec = "  containers:\n  - name: c\n    image: x:1\n  initContainers:\n  - name: i\n    image: x:1\n  ephemeralContainers:\n  - name: e\n    image: x\n";
    let p = pod(spec);
    for c in [&p["spec"]["containers"][0], &p["spec"]["initContainers"][0], &p["spec"]["ephemeralContainers"][0]] {
        assert_eq!(c["terminationMessagePath"], "/dev/termination-log");
        assert_eq!(c["terminationMessagePolicy"], "File");
        assert!(c["imagePullPolicy"].is_string());
    }
    assert_eq!(p["spec"]["ephemeralContainers"][0]["imagePullPolicy"], "Always");
}

#[test]
fn ports_env_and_resources() {
    let t = template(
        "containers:\n- name: c\n  image: x:1\n  ports:\n  - containerPort: 53\n    protocol: UDP\n  - containerPort: 80\n  env:\n  - name: NAME\n    valueFrom:\n      fieldRef: {fieldPath: metadata.name}\n  - name: M\n    valueFrom:\n      fieldRef: {apiVersion: v2, fieldPath: x}\n  resources:\n    requests: {cpu: '0.1', memory: '1.0001'}\n    limits: {cpu: 250m}\n",
    );
    let c = &t["spec"]["containers"][0];
    assert_eq!(c["ports"][0]["protocol"], "UDP");
    assert_eq!(c["ports"][1]["protocol"], "TCP");
    assert_eq!(c["env"][0]["valueFrom"]["fieldRef"]["apiVersion"], "v1");
    assert_eq!(c["env"][1]["valueFrom"]["fieldRef"]["apiVersion"], "v2");
    assert_eq!(c["resources"]["requests"], json!({"cpu": "100m", "memory": "1001m"}));
    assert_eq!(c["resources"]["limits"], json!({"cpu": "250m"}));
}

#[test]
fn probes_and_lifecycle_handlers() {
    let p = pod(
        "  containers:\n  - name: c\n    image: x:1\n    livenessProbe:\n      httpGet: {port: 8080}\n    readinessProbe:\n      tcpSocket: {port: 80}\n      periodSeconds: 3\n    startupProbe:\n      grpc: {port: 9000}\n      failureThreshold: 30\n    lifecycle:\n      postStart:\n        httpGet: {port: http, path: /hook, scheme: HTTPS}\n      preStop:\n        httpGet: {port: 80}\n",
    );
    let c = &p["spec"]["containers"][0];
    assert_eq!(
        c["livenessProbe"],
        json!({"httpGet": {"path": "/", "port": 8080, "scheme": "HTTP"}, "timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3})
    );
    assert_eq!(c["readinessProbe"]["periodSeconds"], 3);
    assert_eq!(c["readinessProbe"]["timeoutSeconds"], 1);
    assert_eq!(c["startupProbe"]["grpc"], json!({"port": 9000, "service": ""}));
    assert_eq!(c["startupProbe"]["failureThreshold"], 30);
    assert_eq!(c["lifecycle"]["postStart"]["httpGet"], json!({"path": "/hook", "port": "http", "scheme": "HTTPS"}));
    assert_eq!(c["lifecycle"]["preStop"]["httpGet"], json!({"path": "/", "port": 80, "scheme": "HTTP"}));
}

#[test]
fn volume_source_defaults() {
    let t = template(
        "containers:\n- name: c\n  image: x:1\nvolumes:\n- name: none\n- name: hp\n  hostPath: {path: /var/log}\n- name: hp2\n  hostPath: {path: /run, type: Directory}\n- name: s\n  secret: {secretName: s}\n- name: s2\n  secret: {secretName: s, defaultMode: 256}\n- name: cm\n  configMap: {name: c}\n- name: da\n  downwardAPI:\n    items:\n    - path: labels\n      fieldRef: {fieldPath: metadata.labels}\n- name: pr\n  projected:\n    sources:\n    - serviceAccountToken: {path: token}\n    - serviceAccountToken: {path: t2, expirationSeconds: 600}\n    - downwardAPI:\n        items:\n        - path: name\n          fieldRef: {fieldPath: metadata.name}\n- name: is\n  iscsi: {targetPortal: 'p:3260', iqn: q, lun: 0}\n- name: rbd\n  rbd: {monitors: [m], image: i}\n- name: az\n  azureDisk: {diskName: d, diskURI: u}\n- name: sio\n  scaleIO: {gateway: g, system: s, secretRef: {name: x}}\n- name: eph\n  ephemeral:\n    volumeClaimTemplate:\n      spec:\n        accessModes: [ReadWriteOnce]\n        resources:\n          requests: {storage: '1.5'}\n",
    );
    let v: Vec<&Value> = t["spec"]["volumes"].as_array().unwrap().iter().collect();
    assert_eq!(v[0], &json!({"name": "none", "emptyDir": {}}));
    assert_eq!(v[1]["hostPath"], json!({"path": "/var/log", "type": ""}));
    assert_eq!(v[2]["hostPath"]["type"], "Directory");
    assert_eq!(v[3]["secret"]["defaultMode"], 420);
    assert_eq!(v[4]["secret"]["defaultMode"], 256);
    assert_eq!(v[5]["configMap"]["defaultMode"], 420);
    assert_eq!(v[6]["downwardAPI"]["defaultMode"], 420);
    assert_eq!(v[6]["downwardAPI"]["items"][0]["fieldRef"]["apiVersion"], "v1");
    assert_eq!(v[7]["projected"]["defaultMode"], 420);
    assert_eq!(v[7]["projected"]["sources"][0]["serviceAccountToken"]["expirationSeconds"], 3600);
    assert_eq!(v[7]["projected"]["sources"][1]["serviceAccountToken"]["expirationSeconds"], 600);
    assert_eq!(v[7]["projected"]["sources"][2]["downwardAPI"]["items"][0]["fieldRef"]["apiVersion"], "v1");
    assert_eq!(v[8]["iscsi"]["iscsiInterface"], "default");
    assert_eq!(v[9]["rbd"]["pool"], "rbd");
    assert_eq!(v[9]["rbd"]["user"], "admin");
    assert_eq!(v[9]["rbd"]["keyring"], "/etc/ceph/keyring");
    assert_eq!(v[10]["azureDisk"]["cachingMode"], "ReadWrite");
    assert_eq!(v[10]["azureDisk"]["fsType"], "ext4");
    assert_eq!(v[10]["azureDisk"]["readOnly"], false);
    assert_eq!(v[10]["azureDisk"]["kind"], "Shared");
    assert_eq!(v[11]["scaleIO"]["storageMode"], "ThinProvisioned");
    assert_eq!(v[11]["scaleIO"]["fsType"], "xfs");
    let claim = &v[12]["ephemeral"]["volumeClaimTemplate"]["spec"];
    assert_eq!(claim["volumeMode"], "Filesystem");
    assert_eq!(claim["resources"]["requests"]["storage"], "1500m");
}

#[test]
fn overhead_and_status_resource_lists_are_rounded() {
    let p = defaulted(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  overhead: {cpu: '0.0001'}\n  containers:\n  - name: c\n    image: x:1\nstatus:\n  containerStatuses:\n  - name: c\n    allocatedResources: {cpu: '0.0005'}\n",
    );
    assert_eq!(p["spec"]["overhead"]["cpu"], "1m");
    assert_eq!(p["status"]["containerStatuses"][0]["allocatedResources"]["cpu"], "1m");
}

#[test]
fn defaulting_is_idempotent() {
    let mut o = load_one(&format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostNetwork: true\n{ONE_CONTAINER}"
    ));
    default_object(&mut o);
    let once = o.clone();
    default_object(&mut o);
    assert_eq!(o, once);
}
