//! The plan as a person reads it (`--output table|wide`): what `kubectl get pods,ds,deploy,rs,sts,jobs -A`
//! would print after the plan (`wide` adds each pod's DNS name where a headless Service gives it one), the
//! Services with what their Endpoints would hold, then the pods left Pending with the scheduler's message, the
//! events, and what the API server refused.
//!
//! Beyond [`summary::SUMMARY_ABOVE`] pods the default table (not `wide`) counts them per workload and per zone
//! and groups the Pending ones by the scheduler's message; beyond as many events it groups them by type, reason
//! and kind. Thirty thousand lines for ten thousand pods are not read; `-o wide` and `-o json` list everything.

use std::fmt::Write;

use crate::api::apps_v1::{DaemonSet, Deployment, ReplicaSet, StatefulSet};
use crate::api::batch_v1::Job;
use crate::api::core_v1::Pod;
use crate::api::GroupKind;
use crate::facade::report::{Empty, Event, Listed, Omission, Profiles, ServiceEndpoints};
use crate::facade::PlanReport;

use super::grid::Table;
use super::summary::{self, summarises};

/// `kubectl get pod` READY and STATUS (kubectl's `printPod`): native sidecars (restartable init containers) count
/// among the containers; the status is the pod's reason when it has one (a pod the kubelet refused: `OutOfcpu`),
/// `SchedulingGated` for a pod held by scheduling gates, else its phase.
fn pod_ready_status(p: &Pod) -> (String, String) {
    let sidecars = p.spec.init_containers.iter().filter(|c| c.restart_policy.as_deref() == Some("Always")).count();
    let total = p.spec.containers.len() + sidecars;
    let phase = p.status.phase.as_str();
    let ready = if phase == "Running" && crate::helpers::pod::is_pod_ready(p) { total } else { 0 };
    let gated = p.status.conditions.iter().any(|c| c.r#type == "PodScheduled" && c.reason == "SchedulingGated");
    let status = match phase {
        _ if !p.status.reason.is_empty() => p.status.reason.as_str(),
        _ if gated => "SchedulingGated",
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

/// The plan as tables. With more pods than [`summary::SUMMARY_ABOVE`] and not `wide`, the pods are counted per workload
/// and per zone and the Pending ones grouped by message instead of listed, and a stalled rollout names a few
/// pods per reason; with more events than that, the events are grouped likewise. A line says so and how to get everything (`-o wide`, `-o json`).
pub fn render(report: &PlanReport, wide: bool) -> String {
    let mut out = String::new();
    let s = report.objects();
    let pod_count = s.count(GroupKind::Pod);
    let summary = !wide && summarises(pod_count);

    if summary {
        render_pod_summary(report, pod_count, &mut out);
    } else {
        blocks(&mut out, &pods_table(report, wide));
    }

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

    render_services(report.services(), &mut out);

    let pending: Vec<&Pod> = s.list::<Pod>().filter(|p| p.spec.node_name.is_empty()).collect();
    if summary {
        render_pending_groups(report, &pending, &mut out);
    } else if !pending.is_empty() {
        out.push_str("Pending pods:\n");
        for p in pending {
            let _ = writeln!(out, "  {}/{}: {}", p.metadata.namespace, p.metadata.name, pending_message(report.profiles(), p));
        }
        out.push('\n');
    }

    if !wide && summarises(report.events().len()) {
        render_event_groups(report.events(), &mut out);
    } else {
        render_events(report.events(), &mut out);
    }

    if summary {
        super::rollout::render_stalls_up_to(report.stalls(), summary::EXAMPLES, &mut out);
    } else {
        super::rollout::render_stalls(report.stalls(), &mut out);
    }

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

/// Every event, in the order they occurred, as `kubectl get events` lists them.
fn render_events(list: &[Event], out: &mut String) {
    let mut events = Table::new(&["PHASE", "ROUND", "TYPE", "REASON", "OBJECT", "MESSAGE"]);
    for e in list {
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
        events.render(out);
        out.push('\n');
    }
}

/// The events grouped by type, reason and kind with one example message each, then how to see them all.
fn render_event_groups(list: &[Event], out: &mut String) {
    let mut events = Table::new(&["TYPE", "REASON", "OBJECT", "COUNT", "EXAMPLE MESSAGE"]);
    for g in summary::event_groups(list) {
        events.row(vec![g.type_.to_owned(), g.reason, g.kind, g.count.to_string(), g.example]);
    }
    out.push_str("Events (grouped):\n");
    events.render(out);
    let _ = writeln!(out, "{} events summarised; -o wide lists every event, -o json gives the whole plan.", list.len());
    out.push('\n');
}

/// In place of the pod rows: the pods per workload, the nodes per zone with what the pods request of them, and
/// the line that says the pods were summarised.
fn render_pod_summary(report: &PlanReport, pod_count: usize, out: &mut String) {
    let mut workloads = Table::new(&["NAMESPACE", "WORKLOAD", "PODS", "RUNNING", "PENDING", "OTHER", "NODES"]);
    for w in summary::workloads(report.objects()) {
        workloads.row(vec![
            w.namespace,
            w.workload.unwrap_or_else(|| "<none>".into()),
            w.pods.to_string(),
            w.running.to_string(),
            w.pending.to_string(),
            w.other.to_string(),
            w.nodes.to_string(),
        ]);
    }
    blocks(out, &workloads);

    let mut zones = Table::new(&["ZONE", "NODES", "PODS", "CPU REQUESTS", "CPU ALLOCATABLE", "MEMORY REQUESTS", "MEMORY ALLOCATABLE"]);
    for z in summary::zones(report.objects()) {
        let (req, alloc) = (&z.requested, &z.allocatable);
        zones.row(vec![
            z.zone.unwrap_or_else(|| "<none>".into()),
            z.nodes.to_string(),
            z.pods.to_string(),
            format!("{} ({}%)", cpu_text(req.milli_cpu), percent(req.milli_cpu, alloc.milli_cpu)),
            cpu_text(alloc.milli_cpu),
            format!("{} ({}%)", memory_text(req.memory), percent(req.memory, alloc.memory)),
            memory_text(alloc.memory),
        ]);
    }
    blocks(out, &zones);
    let _ = writeln!(out, "{pod_count} pods summarised; -o wide lists every pod, -o json gives the whole plan.\n");
}

/// The Pending pods grouped by the scheduler's message, largest group first, each with a few of its pods.
fn render_pending_groups(report: &PlanReport, pending: &[&Pod], out: &mut String) {
    if pending.is_empty() {
        return;
    }
    let named = pending.iter().map(|p| (format!("{}/{}", p.metadata.namespace, p.metadata.name), pending_message(report.profiles(), p)));
    let _ = writeln!(out, "Pending pods: {}, by the scheduler's message:", pending.len());
    for g in summary::pending_groups(named) {
        let more = if g.count > g.examples.len() { format!(" + {} more", g.count - g.examples.len()) } else { String::new() };
        let _ = writeln!(out, "  {} pod(s): {}", g.count, g.message);
        let _ = writeln!(out, "    {}{more}", g.examples.join(", "));
    }
    out.push('\n');
}

/// `kubectl describe node`'s percentage: the request over the allocatable amount, truncated.
fn percent(requested: i64, allocatable: i64) -> i64 {
    if allocatable <= 0 {
        return 0;
    }
    (i128::from(requested) * 100 / i128::from(allocatable)) as i64
}

/// Millicores as a quantity prints them (whole cores bare, else with `m`) up to 10 cores; beyond, cores to one
/// decimal: a zone's 12424250m reads better as 12424.3, and the percentage beside it is exact.
fn cpu_text(milli: i64) -> String {
    if milli % 1000 == 0 {
        (milli / 1000).to_string()
    } else if milli < 10_000 {
        format!("{milli}m")
    } else {
        let tenths = (i128::from(milli) + 50) / 100;
        match tenths % 10 {
            0 => (tenths / 10).to_string(),
            d => format!("{}.{d}", tenths / 10),
        }
    }
}

/// Bytes in the largest binary unit (Ki to Pi) they reach, to one decimal where not whole: a sum over many
/// pods or nodes (5000000Mi) reads better as 4.8Ti, and the percentage beside it is exact.
fn memory_text(bytes: i64) -> String {
    const UNITS: [&str; 5] = ["Ki", "Mi", "Gi", "Ti", "Pi"];
    let Some(i) = (0..UNITS.len()).rev().find(|i| bytes >= 1i64 << (10 * (i + 1))) else {
        return bytes.to_string();
    };
    let unit = 1i64 << (10 * (i + 1));
    if bytes % unit == 0 {
        return format!("{}{}", bytes / unit, UNITS[i]);
    }
    let tenths = (i128::from(bytes) * 10 + i128::from(unit) / 2) / i128::from(unit);
    match tenths % 10 {
        0 => format!("{}{}", tenths / 10, UNITS[i]),
        d => format!("{}.{d}{}", tenths / 10, UNITS[i]),
    }
}

/// `kubectl get pods` (`-o wide`: with NOMINATED NODE and PRIORITY, and a DNS NAME column when some pod has
/// one, which no other pod's empty cell would make worth the width).
fn pods_table(report: &PlanReport, wide: bool) -> Table {
    let pods = report.objects().list::<Pod>();
    let dns: Vec<Option<String>> = if wide { pods.map(|p| report.pod_dns_name(p)).collect() } else { Vec::new() };
    let with_dns = dns.iter().any(Option::is_some);
    let mut header = vec!["NAMESPACE", "NAME", "READY", "STATUS", "NODE"];
    if wide {
        header.extend(["NOMINATED NODE", "PRIORITY"]);
    }
    if with_dns {
        header.push("DNS NAME");
    }
    let mut table = Table::new(&header);
    for (i, p) in report.objects().list::<Pod>().enumerate() {
        let (ready, status) = pod_ready_status(p);
        let mut row = vec![p.metadata.namespace.clone(), format!("pod/{}", p.metadata.name), ready, status, or_none(&p.spec.node_name)];
        if wide {
            row.push(or_none(&p.status.nominated_node_name));
            row.push(p.spec.priority.unwrap_or(0).to_string());
        }
        if with_dns {
            row.push(dns.get(i).cloned().flatten().unwrap_or_else(|| "<none>".into()));
        }
        table.row(row);
    }
    table
}

/// `kubectl get svc` with `kubectl get endpoints`' column beside it, then, for each Service whose Endpoints
/// are empty or leave a selected pod out, why. Printed only when there are Services.
fn render_services(services: &[ServiceEndpoints], out: &mut String) {
    let mut table = Table::new(&["NAMESPACE", "NAME", "TYPE", "CLUSTER-IP", "PORT(S)", "ENDPOINTS"]);
    for svc in services {
        table.row(vec![
            svc.namespace.clone(),
            format!("service/{}", svc.name),
            svc.r#type.clone(),
            or_none(&svc.cluster_ip),
            or_none(&service_ports(svc)),
            endpoints_text(svc),
        ]);
    }
    blocks(out, &table);
    let notes: Vec<String> = services.iter().filter_map(endpoints_note).collect();
    if !notes.is_empty() {
        out.push_str("Service endpoints:\n");
        for note in notes {
            let _ = writeln!(out, "  {note}");
        }
        out.push('\n');
    }
}

/// `kubectl get svc` PORT(S): `port[:nodePort]/protocol`, comma-separated.
fn service_ports(svc: &ServiceEndpoints) -> String {
    let port = |p: &crate::api::core_v1::ServicePort| match p.node_port {
        0 => format!("{}/{}", p.port, p.protocol),
        node_port => format!("{}:{node_port}/{}", p.port, p.protocol),
    };
    svc.ports.iter().map(port).collect::<Vec<_>>().join(",")
}

/// `kubectl get endpoints` ENDPOINTS: the ready addresses as `address:port`, at most three and then `+ N
/// more...`, `<none>` without any. The model assigns no pod IPs, so a pod's name stands for its address.
fn endpoints_text(svc: &ServiceEndpoints) -> String {
    let mut list = Vec::new();
    for e in svc.pods.iter().filter(|e| e.endpoint == Listed::Ready) {
        if e.target_ports.is_empty() {
            list.push(e.pod.clone());
        }
        list.extend(e.target_ports.iter().map(|port| format!("{}:{port}", e.pod)));
    }
    let mut text = match list.len() {
        0 => "<none>".to_owned(),
        n if n > 3 => format!("{} + {} more...", list[..3].join(","), n - 3),
        _ => list.join(","),
    };
    let not_ready: Vec<&str> = svc.pods.iter().filter(|e| e.endpoint == Listed::NotReady).map(|e| e.pod.as_str()).collect();
    if !not_ready.is_empty() {
        let _ = write!(text, " (not ready: {})", not_ready.join(","));
    }
    text
}

/// Why a Service's Endpoints are empty, or which selected pods they leave out, if either.
fn endpoints_note(svc: &ServiceEndpoints) -> Option<String> {
    let name = format!("{}/{}", svc.namespace, svc.name);
    let omitted: Vec<String> = svc
        .pods
        .iter()
        .filter_map(|e| match e.endpoint {
            Listed::Omitted(why) => Some(format!("{} ({})", e.pod, omission_text(why))),
            _ => None,
        })
        .collect();
    let text = match svc.empty {
        Some(Empty::NoSelector) => "no selector: the endpoints controller leaves its Endpoints to whoever writes them".to_owned(),
        Some(Empty::ExternalName) => "ExternalName: no endpoints".to_owned(),
        Some(Empty::SelectsNothing) => format!("its selector {} matches no pod in namespace {}", selector_text(&svc.selector), svc.namespace),
        Some(Empty::AllOmitted) => format!("selects {} pod(s), none of them an endpoint: {}", omitted.len(), first_few(&omitted)),
        None if omitted.is_empty() => return None,
        None => format!("leaves out {}", first_few(&omitted)),
    };
    Some(format!("{name}: {text}"))
}

/// The first three items, then `+ N more...`, as kubectl shortens its ENDPOINTS column.
fn first_few(items: &[String]) -> String {
    match items.len() {
        n if n > 3 => format!("{} + {} more...", items[..3].join(", "), n - 3),
        _ => items.join(", "),
    }
}

fn omission_text(why: Omission) -> &'static str {
    match why {
        Omission::Terminal => "terminated",
        Omission::NoAddress => "no pod IP: not running",
        Omission::Terminating => "terminating",
        Omission::NoPort => "no container port matches a targetPort",
    }
}

fn blocks(out: &mut String, t: &Table) {
    if !t.is_empty() {
        t.render(out);
        out.push('\n');
    }
}

/// Why a pod is Pending: the scheduler's message on its `PodScheduled` condition, else why no attempt was made.
fn pending_message(profiles: &Profiles, p: &Pod) -> String {
    p.status
        .conditions
        .iter()
        .find(|c| c.r#type == "PodScheduled" && c.status == "False")
        .map(|c| c.message.clone())
        .unwrap_or_else(|| pending_without_attempt(profiles, p))
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

#[cfg(test)]
mod tests {
    use super::{cpu_text, memory_text, percent};

    #[test]
    fn cpu_is_exact_below_ten_cores_and_in_cores_beyond() {
        let got: Vec<String> = [0, 950, 2000, 9500, 10_000, 333_400, 12_424_250].into_iter().map(cpu_text).collect();
        assert_eq!(got, ["0", "950m", "2", "9500m", "10", "333.4", "12424.3"]);
    }

    #[test]
    fn memory_reads_in_the_largest_binary_unit() {
        const MI: i64 = 1 << 20;
        let got: Vec<String> = [0, 1000, 500 * MI, 11520 * MI, 32 * 1024 * MI, 5_000_000 * MI].into_iter().map(memory_text).collect();
        assert_eq!(got, ["0", "1000", "500Mi", "11.3Gi", "32Gi", "4.8Ti"]);
    }

    #[test]
    fn percentages_truncate_as_kubectl_describe_node() {
        assert_eq!((percent(333_200, 6_668_000), percent(1, 0), percent(9000, 9000)), (4, 0, 100));
    }
}
