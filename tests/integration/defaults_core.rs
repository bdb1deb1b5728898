//! Defaulting and strategies of Node, Namespace, Service and PriorityClass, written from the Kubernetes rules.

use kubeplan::api::Object;
use kubeplan::apiserver::defaults::default_object;
use kubeplan::apiserver::strategy::{prepare_for_create, prepare_for_update};
use serde_json::{json, Value};
use crate::common::load_one;

fn created(yaml: &str) -> Object {
    let mut o = load_one(yaml);
    default_object(&mut o);
    prepare_for_create(&mut o);
    o
}

fn updated(old: &Object, yaml: &str) -> Value {
    let mut o = load_one(yaml);
    default_object(&mut o);
    prepare_for_update(&mut o, old);
    o.to_json()
}

#[test]
fn node_allocatable_defaults_to_capacity_and_both_are_rounded() {
    let n = created("apiVersion: v1\nkind: Node\nmetadata: {name: node-1}\nstatus:\n  capacity: {cpu: '2', memory: 8Gi, example.com/gpu: '0.0001'}\n").to_json();
    assert_eq!(n["status"]["allocatable"], json!({"cpu": "2", "memory": "8Gi", "example.com/gpu": "1m"}));
    assert_eq!(n["status"]["capacity"]["example.com/gpu"], "1m");
    let given = created("apiVersion: v1\nkind: Node\nmetadata: {name: node-1}\nstatus:\n  capacity: {cpu: '2'}\n  allocatable: {cpu: 1500m}\n").to_json();
    assert_eq!(given["status"]["allocatable"], json!({"cpu": "1500m"}));
}

#[test]
fn node_strategy_drops_config_source_and_keeps_status_on_update() {
    let n = created(
        "apiVersion: v1\nkind: Node\nmetadata: {name: node-1}\nspec:\n  configSource:\n    configMap: {namespace: kube-system, name: c, kubeletConfigKey: k}\nstatus:\n  capacity: {cpu: '2'}\n  features: {supplementalGroupsPolicy: true}\n",
    );
    let j = n.to_json();
    assert!(j["spec"].get("configSource").is_none());
    assert!(j["status"].get("features").is_none());
    let u = updated(
        &n,
        "apiVersion: v1\nkind: Node\nmetadata: {name: node-1, labels: {a: b}}\nstatus:\n  capacity: {cpu: '64'}\n",
    );
    assert_eq!(u["status"]["capacity"], json!({"cpu": "2"}));
    assert_eq!(u["metadata"]["labels"], json!({"a": "b"}));
}

#[test]
fn namespace_name_label_phase_and_finalizer() {
    let ns = created(
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: team, labels: {kubernetes.io/metadata.name: other}}\n",
    );
    let j = ns.to_json();
    assert_eq!(j["metadata"]["labels"], json!({"kubernetes.io/metadata.name": "team"}));
    assert_eq!(j["status"]["phase"], "Active");
    assert_eq!(j["spec"]["finalizers"], json!(["kubernetes"]));
    let u = updated(&ns, "apiVersion: v1\nkind: Namespace\nmetadata: {name: team}\nspec:\n  finalizers: [x]\n");
    assert_eq!(u["spec"]["finalizers"], json!(["kubernetes"]));
    assert_eq!(u["metadata"]["labels"], json!({"kubernetes.io/metadata.name": "team"}));
}

#[test]
fn service_defaults() {
    let s = created("apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports:\n  - port: 80\n  - port: 53\n    protocol: UDP\n    targetPort: dns\n").to_json();
    assert_eq!(s["spec"]["type"], "ClusterIP");
    assert_eq!(s["spec"]["sessionAffinity"], "None");
    assert_eq!(s["spec"]["internalTrafficPolicy"], "Cluster");
    assert!(s["spec"].get("externalTrafficPolicy").is_none());
    assert_eq!(s["spec"]["ports"][0], json!({"port": 80, "protocol": "TCP", "targetPort": 80}));
    assert_eq!(s["spec"]["ports"][1]["targetPort"], "dns");
    let lb = created("apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  type: LoadBalancer\n  sessionAffinity: ClientIP\n  ports:\n  - port: 443\n").to_json();
    assert_eq!(lb["spec"]["externalTrafficPolicy"], "Cluster");
    assert_eq!(lb["spec"]["allocateLoadBalancerNodePorts"], true);
    assert_eq!(lb["spec"]["sessionAffinityConfig"], json!({"clientIP": {"timeoutSeconds": 10800}}));
    let ext = created("apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  type: ExternalName\n  externalName: example.com\n").to_json();
    assert!(ext["spec"].get("internalTrafficPolicy").is_none());
    let with_ips = created(
        "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  externalIPs: [1.2.3.4]\n  ports:\n  - port: 80\n",
    )
    .to_json();
    assert_eq!(with_ips["spec"]["externalTrafficPolicy"], "Cluster");
}

#[test]
fn service_update_drops_fields_of_the_old_type() {
    let old = created(
        "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  type: NodePort\n  clusterIP: 10.0.0.5\n  ports:\n  - port: 80\n    nodePort: 30080\n",
    );
    let u = updated(&old, "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  type: ClusterIP\n  clusterIP: 10.0.0.5\n  ports:\n  - port: 80\n    nodePort: 30080\n");
    assert!(u["spec"]["ports"][0].get("nodePort").is_none());
    assert_eq!(u["spec"]["clusterIP"], "10.0.0.5");
    assert!(u["spec"].get("externalTrafficPolicy").is_none(), "NodePort's defaulted Cluster policy goes with the type");
    let ext = updated(&old, "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  type: ExternalName\n  externalName: x.example\n  clusterIP: 10.0.0.5\n");
    assert!(ext["spec"].get("clusterIP").is_none());
}

#[test]
fn priority_class_defaults_and_generation() {
    let pc = created("apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: high}\nvalue: 1000\n")
        .to_json();
    assert_eq!(pc["preemptionPolicy"], "PreemptLowerPriority");
    assert_eq!(pc["metadata"]["generation"], 1);
    let never = created("apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: node-1}\nvalue: 1\npreemptionPolicy: Never\n").to_json();
    assert_eq!(never["preemptionPolicy"], "Never");
}
