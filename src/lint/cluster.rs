//! With `--nodes`: plan the manifests on the given nodes ([`crate::plan`]) and locate what the plan shows on
//! the manifests — pods left Pending with the scheduler's reasons per node, DaemonSets that run nowhere,
//! controllers that cannot create pods — and tolerations that match no taint of any node.

use std::collections::{BTreeMap, BTreeSet};

use crate::api::apps_v1::{DaemonSet, ReplicaSet};
use crate::api::core_v1::{Node, Pod, PodSpec, Taint, Toleration};
use crate::api::GroupKind;
use crate::cluster::ApiError;
use crate::cluster::store::BUILTIN_NAMESPACES;
use crate::controller::daemonset::{target_node_name, Unsuitable};
use crate::helpers::taints::tolerates;
use crate::input::{Manifest, Source};
use crate::plan::{plan, Plan, PlanInput, PlanOptions};
use crate::scheduler::DEFAULT_SCHEDULER;

use super::traps::pod_spec;
use super::{locate, Context, Finding, LintOptions};

pub(super) fn check(ctx: &Context<'_>, sources: &[Source], options: &LintOptions, out: &mut Vec<Finding>) {
    unmatched_tolerations(ctx, out);
    let mut manifests: Vec<Source> = options.nodes.clone();
    if let Some(ns) = missing_namespaces(ctx) {
        manifests.push(ns);
    }
    manifests.extend(sources.iter().cloned());
    let p = plan(&PlanInput { manifests, ..Default::default() }, &PlanOptions { verdicts: true, ..Default::default() });
    pending_pods(ctx, &p, out);
    idle_daemonsets(ctx, &p, out);
    failed_creates(ctx, &p, out);
}

/// Namespaces the manifests use without defining them: a cluster would have them, so the plan gets them.
fn missing_namespaces(ctx: &Context<'_>) -> Option<Source> {
    let used: BTreeSet<&str> = ctx
        .manifests
        .iter()
        .filter(|m| m.object.group_kind().namespaced())
        .map(|m| m.object.meta().namespace.as_str())
        .filter(|ns| !ns.is_empty() && !ctx.namespaces.contains_key(ns) && !BUILTIN_NAMESPACES.contains(ns))
        .collect();
    if used.is_empty() {
        return None;
    }
    let docs: Vec<String> = used
        .iter()
        .map(|ns| format!("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {}\n", super::traps::yaml_scalar(ns)))
        .collect();
    Some(Source::new("<namespaces>", docs.join("---\n")))
}

/// The manifest of an object (the last copy, which is what the cluster holds).
fn manifest_of<'a>(ctx: &Context<'a>, kind: GroupKind, namespace: &str, name: &str) -> Option<&'a Manifest> {
    ctx.manifests.iter().rev().find(|m| {
        let o = m.object.meta();
        m.object.group_kind() == kind && o.name == name && (!kind.namespaced() || o.namespace == namespace)
    })
}

/// The workload a pod belongs to, following owners up to the object the user wrote (a Deployment for a pod
/// of its ReplicaSet).
fn workload_of<'a>(ctx: &Context<'a>, p: &Plan, pod: &Pod) -> Option<&'a Manifest> {
    let ns = &pod.metadata.namespace;
    let Some(owner) = crate::api::controller_of(&pod.metadata) else {
        return manifest_of(ctx, GroupKind::Pod, ns, &pod.metadata.name);
    };
    let kind = GroupKind::from_kind(&owner.kind)?;
    if kind == GroupKind::ReplicaSet {
        if let Some(m) = manifest_of(ctx, kind, ns, &owner.name) {
            return Some(m);
        }
        let rs = p.cluster.store().by_key::<ReplicaSet>(&(ns.clone(), owner.name.clone()))?;
        let up = crate::api::controller_of(&rs.metadata)?;
        return manifest_of(ctx, GroupKind::from_kind(&up.kind)?, ns, &up.name);
    }
    manifest_of(ctx, kind, ns, &owner.name)
}

fn scheduled_condition(pod: &Pod) -> Option<&str> {
    pod.status.conditions.iter().find(|c| c.r#type == "PodScheduled" && c.status == "False").map(|c| c.message.as_str())
}

/// Pods that end the plan unscheduled, grouped by workload and by reason.
fn pending_pods(ctx: &Context<'_>, p: &Plan, out: &mut Vec<Finding>) {
    // Workload (by input position) -> reason -> nodes (DaemonSet pods) or pod names.
    let mut groups: BTreeMap<usize, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    let mut totals: BTreeMap<usize, usize> = BTreeMap::new();
    let position = |m: &Manifest| ctx.manifests.iter().position(|x| std::ptr::eq(x, m));
    for pod in p.cluster.store().list::<Pod>() {
        let Some(m) = workload_of(ctx, p, pod) else { continue };
        let Some(at) = position(m) else { continue };
        *totals.entry(at).or_default() += 1;
        let pending = pod.spec.node_name.is_empty()
            && pod.metadata.deletion_timestamp.is_none()
            && !crate::helpers::pod::is_pod_terminal(pod)
            && pod.spec.scheduler_name == DEFAULT_SCHEDULER
            && pod.status.nominated_node_name.is_empty();
        if !pending {
            continue;
        }
        let target = target_node_name(pod).filter(|_| m.object.group_kind() == GroupKind::DaemonSet);
        let (reason, who) = match target {
            Some(node) => {
                let key = format!("{}/{}", pod.metadata.namespace, pod.metadata.name);
                let verdict = p.scheduler.placements.iter().rev().find(|pl| pl.pod == key).and_then(|pl| pl.rejected.get(node));
                let reason = match verdict {
                    Some(v) => v.reasons.join(", "),
                    None => scheduled_condition(pod).unwrap_or("not scheduled").to_owned(),
                };
                (reason, node.to_owned())
            }
            None => (scheduled_condition(pod).unwrap_or("not scheduled").to_owned(), pod.metadata.name.clone()),
        };
        groups.entry(at).or_default().entry(reason).or_default().push(who);
    }
    for (at, reasons) in groups {
        let m = &ctx.manifests[at];
        let gk = m.object.group_kind();
        let count: usize = reasons.values().map(Vec::len).sum();
        let total = totals.get(&at).copied().unwrap_or(count);
        let what = if gk == GroupKind::Pod {
            "stays Pending".to_owned()
        } else {
            let pods = if count == 1 { "pod" } else { "pods" };
            if total > count {
                format!("leaves {count} of {total} pods Pending")
            } else {
                format!("leaves {count} {pods} Pending")
            }
        };
        let daemon = gk == GroupKind::DaemonSet;
        let parts: Vec<String> = reasons
            .iter()
            .map(|(reason, who)| {
                if daemon {
                    format!("{reason} on {}", who.join(", "))
                } else if reasons.len() == 1 {
                    reason.clone()
                } else {
                    format!("{} {}: {reason}", who.len(), if who.len() == 1 { "pod" } else { "pods" })
                }
            })
            .collect();
        let message = format!("{} {} {what}: {}", gk.kind(), m.object.meta().name, parts.join("; "));
        let first = reasons.keys().next().map(String::as_str).unwrap_or("");
        let field = reason_field(m, first);
        out.push(Finding::at("pods-pending", m, &field, message));
    }
}

/// The field of a workload that a scheduling failure is about.
fn reason_field(m: &Manifest, reason: &str) -> String {
    let Some((spec, tp)) = pod_spec(&m.object) else { return String::new() };
    let has = |f: &str| locate::node_at(m, &format!("{tp}.{f}")).is_some();
    if let Some(resource) = reason.split("Insufficient ").nth(1).map(|r| r.split([',', '.']).next().unwrap_or(r).trim()) {
        if let Some(path) = request_field(spec, tp, resource) {
            return path;
        }
        return format!("{tp}.containers");
    }
    if reason.contains("untolerated taint") {
        return if has("tolerations") { format!("{tp}.tolerations") } else { tp.to_owned() };
    }
    if reason.contains("node affinity/selector") {
        for f in ["nodeSelector", "affinity.nodeAffinity"] {
            if has(f) {
                return format!("{tp}.{f}");
            }
        }
        return tp.to_owned();
    }
    if reason.contains("free ports") {
        for (i, c) in spec.containers.iter().enumerate() {
            if let Some(j) = c.ports.iter().position(|p| p.host_port > 0) {
                return format!("{tp}.containers[{i}].ports[{j}].hostPort");
            }
        }
        return if has("hostNetwork") { format!("{tp}.hostNetwork") } else { tp.to_owned() };
    }
    if reason.contains("anti-affinity") && has("affinity.podAntiAffinity") {
        return format!("{tp}.affinity.podAntiAffinity");
    }
    if reason.contains("pod affinity") && has("affinity.podAffinity") {
        return format!("{tp}.affinity.podAffinity");
    }
    if reason.contains("topology spread") && has("topologySpreadConstraints") {
        return format!("{tp}.topologySpreadConstraints");
    }
    String::new()
}

/// The request of `resource` of the container that asks for most of it.
fn request_field(spec: &PodSpec, tp: &str, resource: &str) -> Option<String> {
    let best = |list: &[crate::api::core_v1::Container], which: &str| {
        list.iter()
            .enumerate()
            .filter_map(|(i, c)| c.resources.requests.get(resource).map(|q| (q.milli_value(), i)))
            .max_by_key(|(v, i)| (*v, std::cmp::Reverse(*i)))
            .map(|(_, i)| format!("{tp}.{which}[{i}].resources.requests.{resource}"))
    };
    best(&spec.containers, "containers").or_else(|| best(&spec.init_containers, "initContainers"))
}

/// DaemonSets that the plan runs on no node at all, with each node's reason as the controller recorded it.
fn idle_daemonsets(ctx: &Context<'_>, p: &Plan, out: &mut Vec<Finding>) {
    let store = p.cluster.store();
    let node_count = store.count(GroupKind::Node);
    if node_count == 0 {
        return;
    }
    for (key, ds) in store.entries::<DaemonSet>() {
        if ds.status.desired_number_scheduled > 0 {
            continue;
        }
        let Some(m) = manifest_of(ctx, GroupKind::DaemonSet, &ds.metadata.namespace, &ds.metadata.name) else { continue };
        let unsuitable = p.controllers.daemonset.unsuitable(key);
        let mut reasons: BTreeMap<String, Vec<&str>> = BTreeMap::new();
        let mut kinds = BTreeSet::new();
        for node in store.list::<Node>() {
            let why = unsuitable.and_then(|u| u.get(&node.metadata.name));
            kinds.insert(why.map_or(Why::Other, Why::of));
            reasons.entry(why.map_or_else(|| "not chosen".to_owned(), unsuitable_text)).or_default().push(&node.metadata.name);
        }
        let parts: Vec<String> = reasons.iter().map(|(r, ns)| format!("{r} on {}", ns.join(", "))).collect();
        let message = format!(
            "DaemonSet {} runs on none of the {} nodes: {}",
            ds.metadata.name,
            node_count,
            parts.join("; ")
        );
        let tp = "spec.template.spec";
        let has = |f: &str| locate::node_at(m, &format!("{tp}.{f}")).is_some();
        let field = match kinds.first().copied() {
            Some(Why::Selector) if has("nodeSelector") => format!("{tp}.nodeSelector"),
            Some(Why::Selector) if has("affinity") => format!("{tp}.affinity"),
            Some(Why::Taint) if has("tolerations") => format!("{tp}.tolerations"),
            Some(Why::Namespace) => "metadata.name".to_owned(),
            Some(Why::NodeName) if has("nodeName") => format!("{tp}.nodeName"),
            _ => "metadata.name".to_owned(),
        };
        out.push(Finding::at("daemonset-no-nodes", m, &field, message));
    }
}

/// The kinds of [`Unsuitable`], in the order that picks the field a finding points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Why {
    Selector,
    Taint,
    NodeName,
    Namespace,
    Other,
}

impl Why {
    fn of(u: &Unsuitable) -> Why {
        match u {
            Unsuitable::NodeAffinity => Why::Selector,
            Unsuitable::Taint(_) => Why::Taint,
            Unsuitable::NodeName(_) => Why::NodeName,
            Unsuitable::NamespaceSelector(_) => Why::Namespace,
            Unsuitable::NamespaceMissing => Why::Other,
        }
    }
}

/// Why the DaemonSet controller puts no pod on a node, in a few words.
fn unsuitable_text(u: &Unsuitable) -> String {
    match u {
        Unsuitable::NodeName(name) => format!("spec.nodeName is {name:?}"),
        Unsuitable::NodeAffinity => "node(s) didn't match the DaemonSet's node selector/affinity".to_owned(),
        Unsuitable::Taint(t) => format!("untolerated taint {}", taint_text(t)),
        Unsuitable::NamespaceSelector(sel) => format!("the namespace's node selector {sel:?} does not match"),
        Unsuitable::NamespaceMissing => "its namespace does not exist".to_owned(),
    }
}

fn taint_text(t: &Taint) -> String {
    if t.value.is_empty() {
        format!("{}:{}", t.key, t.effect)
    } else {
        format!("{}={}:{}", t.key, t.value, t.effect)
    }
}

fn toleration_text(t: &Toleration) -> String {
    let mut s = t.key.clone();
    if t.operator == "Exists" {
        s.push_str(" (Exists)");
    } else if !t.value.is_empty() {
        s.push_str(&format!("={}", t.value));
    }
    if !t.effect.is_empty() {
        s.push_str(&format!(":{}", t.effect));
    }
    s
}

/// Taints that nodes gain and lose by themselves (conditions, cordoning, cloud initialisation): a toleration
/// for them is a precaution, not a mistake.
fn transient_taint_key(key: &str) -> bool {
    key.starts_with("node.kubernetes.io/")
        || key.starts_with("node.cloudprovider.kubernetes.io/")
        || key == "ToBeDeletedByClusterAutoscaler"
        || key == "DeletionCandidateOfClusterAutoscaler"
}

/// Tolerations that match no taint of any known node.
fn unmatched_tolerations(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    if ctx.nodes.is_empty() {
        return;
    }
    let taints: Vec<&Taint> = ctx.nodes.iter().flat_map(|n| n.spec.taints.iter()).collect();
    for m in ctx.all() {
        let Some((spec, tp)) = pod_spec(&m.object) else { continue };
        for (i, t) in spec.tolerations.iter().enumerate() {
            if t.key.is_empty() || transient_taint_key(&t.key) || taints.iter().any(|taint| tolerates(t, taint)) {
                continue;
            }
            let message = format!(
                "toleration {} matches no taint on any of the {} nodes",
                toleration_text(t),
                ctx.nodes.len()
            );
            let mut f = Finding::at("toleration-matches-no-taint", m, &format!("{tp}.tolerations[{i}]"), message);
            if t.key.starts_with("node-role.kubernetes.io/") {
                f.severity = crate::diag::Severity::Info;
            }
            out.push(f);
        }
    }
}

/// Controllers that could not create pods (other than for a PriorityClass, reported on the template).
fn failed_creates(ctx: &Context<'_>, p: &Plan, out: &mut Vec<Finding>) {
    let mut seen = BTreeSet::new();
    for f in &p.cluster.rec.create_failures {
        // Admission's refusals (Priority's, the only plugin that refuses pods here) are reported on the template.
        if matches!(f.error, ApiError::Forbidden(_)) {
            continue;
        }
        let o = &f.owner;
        let Some(kind) = GroupKind::from_kind(&o.kind) else { continue };
        let m = manifest_of(ctx, kind, &o.namespace, &o.name).or_else(|| {
            let rs = p.cluster.store().by_key::<ReplicaSet>(&(o.namespace.clone(), o.name.clone()))?;
            let up = crate::api::controller_of(&rs.metadata)?;
            manifest_of(ctx, GroupKind::from_kind(&up.kind)?, &o.namespace, &up.name)
        });
        let Some(m) = m else { continue };
        if !seen.insert((o.kind.clone(), o.namespace.clone(), o.name.clone(), f.message.clone())) {
            continue;
        }
        let message = format!("{} {}: {}", o.kind, o.name, f.message);
        out.push(Finding::at("controller-failed-create", m, "", message));
    }
}
