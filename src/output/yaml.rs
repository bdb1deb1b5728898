//! The objects after the plan, as a `kind: List` the way `kubectl get ... -o yaml` prints them.

use serde_json::{json, Value};

use crate::api::Object;
use crate::plan::Plan;

pub fn render(plan: &Plan) -> String {
    let s = &plan.cluster.store;
    let mut items: Vec<Value> = Vec::new();
    items.extend(s.daemonsets.values().map(|o| Object::DaemonSet(Box::new(o.clone())).to_json()));
    items.extend(s.deployments.values().map(|o| Object::Deployment(Box::new(o.clone())).to_json()));
    items.extend(s.replicasets.values().map(|o| Object::ReplicaSet(Box::new(o.clone())).to_json()));
    items.extend(s.statefulsets.values().map(|o| Object::StatefulSet(Box::new(o.clone())).to_json()));
    items.extend(s.jobs.values().map(|o| Object::Job(Box::new(o.clone())).to_json()));
    items.extend(s.revisions.values().map(|o| Object::ControllerRevision(Box::new(o.clone())).to_json()));
    items.extend(s.pods.values().map(|o| Object::Pod(Box::new(o.clone())).to_json()));
    let list = json!({"apiVersion": "v1", "kind": "List", "items": items, "metadata": {"resourceVersion": ""}});
    serde_saphyr::to_string(&list).unwrap_or_else(|e| format!("# could not render YAML: {e}\n"))
}
