//! The objects after the plan, as a `kind: List` the way `kubectl get ... -o yaml` prints them.

use std::sync::Arc;

use serde_json::{json, Value};

use crate::api::Object;
use crate::api::apps_v1::{ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet};
use crate::api::batch_v1::Job;
use crate::api::core_v1::Pod;
use crate::facade::PlanReport;

pub fn render(report: &PlanReport) -> String {
    let s = report.objects();
    let mut items: Vec<Value> = Vec::new();
    items.extend(s.list::<DaemonSet>().map(|o| Object::DaemonSet(Box::new(o.clone())).to_json()));
    items.extend(s.list::<Deployment>().map(|o| Object::Deployment(Box::new(o.clone())).to_json()));
    items.extend(s.list::<ReplicaSet>().map(|o| Object::ReplicaSet(Box::new(o.clone())).to_json()));
    items.extend(s.list::<StatefulSet>().map(|o| Object::StatefulSet(Box::new(o.clone())).to_json()));
    items.extend(s.list::<Job>().map(|o| Object::Job(Box::new(o.clone())).to_json()));
    items.extend(s.list::<ControllerRevision>().map(|o| Object::ControllerRevision(Box::new(o.clone())).to_json()));
    items.extend(s.list::<Pod>().map(|o| Object::Pod(Arc::new(o.clone())).to_json()));
    let list = json!({"apiVersion": "v1", "kind": "List", "items": items, "metadata": {"resourceVersion": ""}});
    serde_saphyr::to_string(&list).unwrap_or_else(|e| format!("# could not render YAML: {e}\n"))
}
