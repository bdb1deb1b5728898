//! The plan as one JSON document (`--output json`), with the keys `../shared/conformance/README.md` lists and
//! a few more: `rollout` (what `kubectl rollout status` prints after each round, [`crate::rollout::RolloutLine`]),
//! `stalls` (rollouts that cannot finish, [`crate::rollout::Stall`]), diagnostics, and notes on what a real
//! cluster would choose differently.

use serde_json::{json, Map, Value};

use crate::api::meta_v1::ObjectMeta;
use crate::api::Object;
use crate::cluster::api::controller_of;
use crate::plan::Plan;

/// Things a real cluster chooses at random that kubeplan fixes, said once per plan.
pub const NOTES: [&str; 3] = [
    "Generated name suffixes are counted (bbbbb, bbbbc, ...); a cluster picks five random characters from the same alphabet.",
    "Where several nodes share the top score, the smallest node name is chosen and the tied set is listed; kube-scheduler picks one of them at random.",
    "Where a controller walks nodes in map order (which nodes a DaemonSet rolling update replaces first), nodes are taken in name order; a cluster may take them in any order.",
];

pub fn to_value(plan: &Plan) -> Value {
    let c = &plan.cluster;
    let pods: Vec<Value> = c.store.pods.values().map(|p| Object::Pod(Box::new(p.clone())).to_json()).collect();
    let revisions: Vec<Value> =
        c.store.revisions.values().map(|r| Object::ControllerRevision(Box::new(r.clone())).to_json()).collect();
    let mut out = Map::new();
    out.insert("rejected".into(), json!(!c.rec.rejections.is_empty()));
    out.insert("rejections".into(), serde_json::to_value(&c.rec.rejections).unwrap_or_default());
    out.insert("pods".into(), Value::Array(pods));
    out.insert("controllerRevisions".into(), Value::Array(revisions));
    out.insert("workloads".into(), Value::Array(workloads(plan)));
    out.insert("events".into(), serde_json::to_value(&c.rec.events).unwrap_or_default());
    out.insert("steps".into(), serde_json::to_value(&c.rec.steps).unwrap_or_default());
    out.insert("placements".into(), serde_json::to_value(&c.scheduler.placements).unwrap_or_default());
    out.insert("rollout".into(), serde_json::to_value(crate::rollout::lines(&c.rec)).unwrap_or_default());
    out.insert("stalls".into(), serde_json::to_value(crate::rollout::stalls(c)).unwrap_or_default());
    out.insert(
        "defaultedObjects".into(),
        Value::Array(c.defaulted.iter().map(|(phase, o)| json!({"phase": phase, "object": without_api_version(o)})).collect()),
    );
    out.insert("diagnostics".into(), serde_json::to_value(&plan.diagnostics).unwrap_or_default());
    out.insert("notes".into(), json!(NOTES));
    Value::Object(out)
}

/// One record per workload: identity, labels and annotations, the pod count it asks for, and its status, as
/// `kubectl get ds,deploy,rs,sts,job` summarises them. For Jobs the pod count is `parallelism`.
fn workloads(plan: &Plan) -> Vec<Value> {
    let s = &plan.cluster.store;
    let mut out = Vec::new();
    let mut push = |kind: &str, meta: &ObjectMeta, replicas: Option<i32>, status: Value| {
        let owner = controller_of(meta);
        out.push(json!({
            "kind": kind,
            "namespace": meta.namespace,
            "name": meta.name,
            "generation": meta.generation,
            "ownerKind": owner.map(|o| o.kind.clone()),
            "ownerName": owner.map(|o| o.name.clone()),
            "labels": meta.labels,
            "annotations": meta.annotations,
            "specReplicas": replicas,
            "status": status,
        }));
    };
    for d in s.daemonsets.values() {
        push("DaemonSet", &d.metadata, None, serde_json::to_value(&d.status).unwrap_or_default());
    }
    for d in s.deployments.values() {
        push("Deployment", &d.metadata, d.spec.replicas, serde_json::to_value(&d.status).unwrap_or_default());
    }
    for r in s.replicasets.values() {
        push("ReplicaSet", &r.metadata, r.spec.replicas, serde_json::to_value(&r.status).unwrap_or_default());
    }
    for st in s.statefulsets.values() {
        push("StatefulSet", &st.metadata, st.spec.replicas, serde_json::to_value(&st.status).unwrap_or_default());
    }
    for j in s.jobs.values() {
        push("Job", &j.metadata, j.spec.parallelism, serde_json::to_value(&j.status).unwrap_or_default());
    }
    out
}

/// Stored objects in `defaultedObjects` carry their kind but, as Go's typed objects hold them, no apiVersion.
fn without_api_version(o: &Value) -> Value {
    let mut o = o.clone();
    if let Some(m) = o.as_object_mut() {
        m.remove("apiVersion");
    }
    o
}
