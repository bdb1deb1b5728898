//! The plan as a person reads it (`--output table|wide`): what `kubectl get pods,ds,deploy,rs,sts,jobs -A`
//! would print after the plan, then the pods left Pending with the scheduler's message, the events, and what
//! the API server refused.

use std::fmt::Write;

use crate::api::apps_v1::{DaemonSet, Deployment, ReplicaSet, StatefulSet};
use crate::api::batch_v1::Job;
use crate::api::core_v1::Pod;
use crate::facade::report::Profiles;
use crate::facade::PlanReport;

use super::grid::Table;

/// `kubectl get pod` READY and STATUS.
fn pod_ready_status(p: &Pod) -> (String, String) {
    let total = p.spec.containers.len();
    let phase = p.status.phase.as_str();
    let ready = if phase == "Running" && crate::helpers::pod::is_pod_ready(p) { total } else { 0 };
    let status = match phase {
        "Succeeded" => "Completed",
        "" => "Pending",
        other => other,
    };
    (format!("{ready}/{total}"), status.to_owned())
}

fn or_none(s: &str) -> String {
    if s.is_empty() {
        "<none>".into()
    } else {
        s.to_owned()
    }
}

fn selector_text(labels: &std::collections::BTreeMap<String, String>) -> String {
    labels.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",")
}

pub fn render(report: &PlanReport, wide: bool) -> String {
    let mut out = String::new();
    let s = report.objects();

    let mut pods = if wide {
        Table::new(&["NAMESPACE", "NAME", "READY", "STATUS", "NODE", "NOMINATED NODE", "PRIORITY"])
    } else {
        Table::new(&["NAMESPACE", "NAME", "READY", "STATUS", "NODE"])
    };
    for p in s.list::<Pod>() {
        let (ready, status) = pod_ready_status(p);
        let mut row = vec![p.metadata.namespace.clone(), format!("pod/{}", p.metadata.name), ready, status, or_none(&p.spec.node_name)];
        if wide {
            row.push(or_none(&p.status.nominated_node_name));
            row.push(p.spec.priority.unwrap_or(0).to_string());
        }
        pods.row(row);
    }
    blocks(&mut out, &pods);

    let mut ds = Table::new(&["NAMESPACE", "NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR"]);
    for d in s.list::<DaemonSet>() {
        ds.row(daemonset_row(d));
    }
    blocks(&mut out, &ds);

    let mut deploy = Table::new(&["NAMESPACE", "NAME", "READY", "UP-TO-DATE", "AVAILABLE"]);
    for d in s.list::<Deployment>() {
        deploy.row(deployment_row(d));
    }
    blocks(&mut out, &deploy);

    let mut rs = Table::new(&["NAMESPACE", "NAME", "DESIRED", "CURRENT", "READY"]);
    for r in s.list::<ReplicaSet>() {
        rs.row(replicaset_row(r));
    }
    blocks(&mut out, &rs);

    let mut sts = Table::new(&["NAMESPACE", "NAME", "READY"]);
    for st in s.list::<StatefulSet>() {
        sts.row(statefulset_row(st));
    }
    blocks(&mut out, &sts);

    let mut jobs = Table::new(&["NAMESPACE", "NAME", "STATUS", "COMPLETIONS"]);
    for j in s.list::<Job>() {
        jobs.row(job_row(j));
    }
    blocks(&mut out, &jobs);

    let pending: Vec<&Pod> = s.list::<Pod>().filter(|p| p.spec.node_name.is_empty()).collect();
    if !pending.is_empty() {
        out.push_str("Pending pods:\n");
        for p in pending {
            let why = p
                .status
                .conditions
                .iter()
                .find(|c| c.r#type == "PodScheduled" && c.status == "False")
                .map(|c| c.message.clone())
                .unwrap_or_else(|| pending_without_attempt(report.profiles(), p));
            let _ = writeln!(out, "  {}/{}: {}", p.metadata.namespace, p.metadata.name, why);
        }
        out.push('\n');
    }

    let mut events = Table::new(&["PHASE", "ROUND", "TYPE", "REASON", "OBJECT", "MESSAGE"]);
    for e in report.events() {
        let count = if e.count > 1 { format!(" (x{})", e.count) } else { String::new() };
        events.row(vec![
            e.phase.clone(),
            e.round.to_string(),
            e.type_.to_owned(),
            e.reason.clone(),
            format!("{}/{}", e.involved_object.kind.to_lowercase(), e.involved_object.name),
            format!("{}{count}", e.message),
        ]);
    }
    if !events.is_empty() {
        out.push_str("Events:\n");
        events.render(&mut out);
        out.push('\n');
    }

    super::rollout::render_stalls(report.stalls(), &mut out);

    // As kubectl prints the warnings of the API server's responses (on stderr, as each request returns).
    for w in report.warnings() {
        let _ = writeln!(out, "Warning: {}", w.message);
    }
    for r in report.rejections() {
        let at = match (&r.file, r.line, r.column) {
            (Some(f), Some(l), Some(c)) => format!("{f}:{l}:{c}: "),
            _ => String::new(),
        };
        let _ = writeln!(out, "{at}rejected ({}): {}", r.phase, r.message);
    }
    if out.is_empty() {
        out.push_str("No resources found.\n");
    }
    out
}

fn blocks(out: &mut String, t: &Table) {
    if !t.is_empty() {
        t.render(out);
        out.push('\n');
    }
}

fn pending_without_attempt(profiles: &Profiles, p: &Pod) -> String {
    if !profiles.handles(&p.spec.scheduler_name) {
        format!("waiting for scheduler {:?}, which kubeplan does not run", p.spec.scheduler_name)
    } else if !p.spec.scheduling_gates.is_empty() {
        "waiting for scheduling gates".into()
    } else {
        "not yet scheduled".into()
    }
}

fn daemonset_row(d: &DaemonSet) -> Vec<String> {
    let st = &d.status;
    vec![
        d.metadata.namespace.clone(),
        format!("daemonset.apps/{}", d.metadata.name),
        st.desired_number_scheduled.to_string(),
        st.current_number_scheduled.to_string(),
        st.number_ready.to_string(),
        st.updated_number_scheduled.to_string(),
        st.number_available.to_string(),
        or_none(&selector_text(&d.spec.template.spec.node_selector)),
    ]
}

fn deployment_row(d: &Deployment) -> Vec<String> {
    let st = &d.status;
    vec![
        d.metadata.namespace.clone(),
        format!("deployment.apps/{}", d.metadata.name),
        format!("{}/{}", st.ready_replicas, d.spec.replicas.unwrap_or(1)),
        st.updated_replicas.to_string(),
        st.available_replicas.to_string(),
    ]
}

fn replicaset_row(r: &ReplicaSet) -> Vec<String> {
    vec![
        r.metadata.namespace.clone(),
        format!("replicaset.apps/{}", r.metadata.name),
        r.spec.replicas.unwrap_or(1).to_string(),
        r.status.replicas.to_string(),
        r.status.ready_replicas.to_string(),
    ]
}

fn statefulset_row(s: &StatefulSet) -> Vec<String> {
    vec![
        s.metadata.namespace.clone(),
        format!("statefulset.apps/{}", s.metadata.name),
        format!("{}/{}", s.status.ready_replicas, s.spec.replicas.unwrap_or(1)),
    ]
}

fn job_row(j: &Job) -> Vec<String> {
    let done = j.status.conditions.iter().any(|c| c.r#type == "Complete" && c.status == "True");
    let failed = j.status.conditions.iter().any(|c| c.r#type == "Failed" && c.status == "True");
    let status = if done { "Complete" } else if failed { "Failed" } else { "Running" };
    let completions = j.spec.completions.map(|c| c.to_string()).unwrap_or_else(|| "1".into());
    vec![
        j.metadata.namespace.clone(),
        format!("job.batch/{}", j.metadata.name),
        status.into(),
        format!("{}/{}", j.status.succeeded, completions),
    ]
}
