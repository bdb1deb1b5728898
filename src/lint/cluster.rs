//! With `--nodes`: plan the manifests on the given nodes ([`crate::facade::plan`]) and locate what the plan shows on
//! the manifests — pods left Pending with the scheduler's reasons per node, DaemonSets that run nowhere,
//! controllers that cannot create pods — and tolerations that match no taint of any node.

use std::collections::{BTreeMap, BTreeSet};

use crate::api::apps_v1::{DaemonSet, ReplicaSet};
use crate::api::core_v1::{Node, Pod, PodSpec, Taint, Toleration};
use crate::api::GroupKind;
use crate::cluster::store::BUILTIN_NAMESPACES;
use crate::controller::daemonset::target_node_name;
use crate::facade::report::{ApiError, Reason, Unsuitable};
use crate::facade::{plan, PlanOptions, PlanReport, PlanRequest};
use crate::helpers::taints::tolerates;
use crate::input::{Manifest, Source};

use super::apiserver::TemplateRefusals;
use super::traps::pod_spec;
use super::{locate, Context, Finding, LintOptions};

pub(super) fn check(
    ctx: &Context<'_>,
    sources: &[Source],
    options: &LintOptions,
    template_refusals: &TemplateRefusals,
    out: &mut Vec<Finding>,
) {
    unmatched_tolerations(ctx, out);
    let manifests: Vec<Source> = assumed_objects(ctx).into_iter().chain(sources.iter().cloned()).collect();
    let p = plan(PlanRequest {
        nodes: options.nodes.clone(),
        manifests,
        options: PlanOptions { verdicts: true, budget: options.budget, namespace: options.namespace.clone(), ..Default::default() },
        ..Default::default()
    });
    for d in p.diagnostics().iter().filter(|d| d.code == "budget") {
        out.push(Finding::new(d.code, &d.file, d.span, d.message.clone()).with_severity(d.severity));
    }
    pending_pods(ctx, &p, out);
    idle_daemonsets(ctx, &p, out);
    failed_creates(ctx, &p, template_refusals, out);
}

/// What the cluster is assumed to hold beyond the manifests: the namespaces they use without defining them,
/// and the ServiceAccounts their pods run as that they do not hold (reported by `serviceaccount-not-in-input`).
fn assumed_objects(ctx: &Context<'_>) -> Option<Source> {
    let used: BTreeSet<&str> = ctx
        .manifests
        .iter()
        .filter(|m| m.object.group_kind().namespaced())
        .map(|m| m.object.meta().namespace.as_str())
        .filter(|ns| !ns.is_empty() && !ctx.namespaces.contains_key(ns) && !BUILTIN_NAMESPACES.contains(ns))
        .collect();
    let scalar = super::traps::yaml_scalar;
    let namespaces = used.iter().map(|ns| format!("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {}\n", scalar(ns)));
    let accounts = super::chart::assumed_service_accounts(ctx).into_iter().map(|(ns, name)| {
        format!("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {}\n  namespace: {}\n", scalar(&name), scalar(ns))
    });
    let docs: Vec<String> = namespaces.chain(accounts).collect();
    (!docs.is_empty()).then(|| Source::new("<assumed>", docs.join("---\n")))
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
fn workload_of<'a>(ctx: &Context<'a>, p: &PlanReport, pod: &Pod) -> Option<&'a Manifest> {
    let ns = &pod.metadata.namespace;
    let Some(owner) = crate::api::controller_of(&pod.metadata) else {
        return manifest_of(ctx, GroupKind::Pod, ns, &pod.metadata.name);
    };
    let kind = GroupKind::from_kind(&owner.kind)?;
    if kind == GroupKind::ReplicaSet {
        if let Some(m) = manifest_of(ctx, kind, ns, &owner.name) {
            return Some(m);
        }
        let rs = p.objects().get::<ReplicaSet>(ns, &owner.name)?;
        let up = crate::api::controller_of(&rs.metadata)?;
        return manifest_of(ctx, GroupKind::from_kind(&up.kind)?, ns, &up.name);
    }
    manifest_of(ctx, kind, ns, &owner.name)
}

fn scheduled_condition(pod: &Pod) -> Option<&str> {
    pod.status.conditions.iter().find(|c| c.r#type == "PodScheduled" && c.status == "False").map(|c| c.message.as_str())
}

/// Pods that end the plan unscheduled, grouped by workload and by reason.
fn pending_pods(ctx: &Context<'_>, p: &PlanReport, out: &mut Vec<Finding>) {
    // Workload (by input position) -> message -> (nodes (DaemonSet pods) or pod names, the typed reasons).
    let mut groups: BTreeMap<usize, BTreeMap<String, (Vec<String>, Vec<Reason>)>> = BTreeMap::new();
    let mut totals: BTreeMap<usize, usize> = BTreeMap::new();
    let position = |m: &Manifest| ctx.manifests.iter().position(|x| std::ptr::eq(x, m));
        for pod in p.objects().list::<Pod>() {
        let Some(m) = workload_of(ctx, p, pod) else { continue };
        let Some(at) = position(m) else { continue };
        *totals.entry(at).or_default() += 1;
        let pending = pod.spec.node_name.is_empty()
            && pod.metadata.deletion_timestamp.is_none()
            && !crate::helpers::pod::is_pod_terminal(pod)
            && p.profiles().handles(&pod.spec.scheduler_name)
            && pod.status.nominated_node_name.is_empty();
        if !pending {
            continue;
        }
        let key = format!("{}/{}", pod.metadata.namespace, pod.metadata.name);
        let decision = p.placements().iter().rev().find(|pl| pl.pod == key);
        let failure = || {
            let message = scheduled_condition(pod).unwrap_or("not scheduled").to_owned();
            (message, decision.map(|d| d.reasons.clone()).unwrap_or_default())
        };
        let target = target_node_name(pod).filter(|_| m.object.group_kind() == GroupKind::DaemonSet);
        let ((reason, typed), who) = match target {
            Some(node) => {
                let verdict = decision.and_then(|d| d.rejected.get(node));
                let reason = match verdict {
                    Some(v) => (v.reasons.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "), v.reasons.clone()),
                    None => failure(),
                };
                (reason, node.to_owned())
            }
            None => (failure(), pod.metadata.name.clone()),
        };
        let group = groups.entry(at).or_default().entry(reason).or_insert_with(|| (Vec::new(), typed));
        group.0.push(who);
    }
    for (at, reasons) in groups {
        let m = &ctx.manifests[at];
        let gk = m.object.group_kind();
        let count: usize = reasons.values().map(|(who, _)| who.len()).sum();
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
            .map(|(reason, (who, _))| {
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
        let first = reasons.values().next().map(|(_, typed)| typed.as_slice()).unwrap_or(&[]);
        let field = reason_field(m, first);
        out.push(Finding::at("pods-pending", m, &field, message));
    }
}

/// The field of a workload that a scheduling failure is about: the first of the reasons, in this order, that
/// names one — a shortage (the request), an untolerated taint, the node selector or affinity, a host port, pod
/// anti-affinity, pod affinity, topology spread.
fn reason_field(m: &Manifest, reasons: &[Reason]) -> String {
    let Some((spec, tp)) = pod_spec(&m.object) else { return String::new() };
    let has = |f: &str| locate::node_at(m, &format!("{tp}.{f}")).is_some();
    let any = |f: fn(&Reason) -> bool| reasons.iter().any(f);
    if let Some(resource) = reasons.iter().find_map(|r| match r {
        Reason::InsufficientResource(name) => Some(name.as_str()),
        _ => None,
    }) {
        return request_field(spec, tp, resource).unwrap_or_else(|| format!("{tp}.containers"));
    }
    if let Some(field) = reasons.iter().find_map(claim_of).and_then(|claim| claim_field(m, spec, tp, claim)) {
        return field;
    }
    if any(|r| matches!(r, Reason::UntoleratedTaint { .. })) {
        return if has("tolerations") { format!("{tp}.tolerations") } else { tp.to_owned() };
    }
    if any(|r| matches!(r, Reason::NodeAffinityMismatch)) {
        for f in ["nodeSelector", "affinity.nodeAffinity"] {
            if has(f) {
                return format!("{tp}.{f}");
            }
        }
        return tp.to_owned();
    }
    if any(|r| matches!(r, Reason::NodePortsConflict)) {
        for (i, c) in spec.containers.iter().enumerate() {
            if let Some(j) = c.ports.iter().position(|p| p.host_port > 0) {
                return format!("{tp}.containers[{i}].ports[{j}].hostPort");
            }
        }
        return if has("hostNetwork") { format!("{tp}.hostNetwork") } else { tp.to_owned() };
    }
    if any(|r| matches!(r, Reason::PodAntiAffinityMismatch | Reason::ExistingPodsAntiAffinityMismatch)) && has("affinity.podAntiAffinity") {
        return format!("{tp}.affinity.podAntiAffinity");
    }
    if any(|r| matches!(r, Reason::PodAffinityMismatch)) && has("affinity.podAffinity") {
        return format!("{tp}.affinity.podAffinity");
    }
    if any(|r| matches!(r, Reason::TopologySpreadConstraintsMismatch | Reason::TopologySpreadMissingLabel))
        && has("topologySpreadConstraints")
    {
        return format!("{tp}.topologySpreadConstraints");
    }
    String::new()
}

/// The claim a VolumeBinding reason is about (the first, when several are unbound).
fn claim_of(reason: &Reason) -> Option<&str> {
    match reason {
        Reason::UnboundImmediateClaims(claims) => claims.first().map(String::as_str),
        Reason::ClaimNotFound(claim)
        | Reason::EphemeralClaimNotCreated(claim)
        | Reason::ClaimBeingDeleted(claim)
        | Reason::ClaimLost { claim, .. }
        | Reason::EphemeralClaimNotOwned { claim, .. } => Some(claim),
        _ => None,
    }
}

/// Where a workload names `claim`: the volume whose `claimName` it is, or the StatefulSet's volume claim
/// template it is made from (`<template>-<statefulset>-<ordinal>`) — at its `storageClassName` when it names one.
fn claim_field(m: &Manifest, spec: &PodSpec, tp: &str, claim: &str) -> Option<String> {
    let named = spec.volumes.iter().position(|v| v.persistent_volume_claim.as_ref().is_some_and(|c| c.claim_name == claim));
    if let Some(i) = named {
        return Some(format!("{tp}.volumes[{i}].persistentVolumeClaim.claimName"));
    }
    let crate::api::Object::StatefulSet(set) = &m.object else { return None };
    let j = set.spec.volume_claim_templates.iter().position(|t| {
        claim.strip_prefix(&format!("{}-{}-", t.metadata.name, set.metadata.name)).is_some_and(|n| n.parse::<u32>().is_ok())
    })?;
    let template = format!("spec.volumeClaimTemplates[{j}]");
    let class = format!("{template}.spec.storageClassName");
    Some(if locate::node_at(m, &class).is_some() { class } else { template })
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
fn idle_daemonsets(ctx: &Context<'_>, p: &PlanReport, out: &mut Vec<Finding>) {
    let store = p.objects();
    let node_count = store.count(GroupKind::Node);
    if node_count == 0 {
        return;
    }
    for (key, ds) in store.entries::<DaemonSet>() {
        if ds.status.desired_number_scheduled > 0 {
            continue;
        }
        let Some(m) = manifest_of(ctx, GroupKind::DaemonSet, &ds.metadata.namespace, &ds.metadata.name) else { continue };
        let unsuitable = p.daemonset_unsuitable(key);
        let mut reasons: BTreeMap<String, Vec<&str>> = BTreeMap::new();
        let mut kinds = BTreeSet::new();
        for node in store.list::<Node>() {
            let why = unsuitable.and_then(|u| u.get(&node.metadata.name));
            kinds.insert(why.map_or(Why::Other, Why::of));
            reasons.entry(why.map_or_else(|| "not chosen".to_owned(), ToString::to_string)).or_default().push(&node.metadata.name);
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

/// Taints of dedicated nodes that add-ons tolerate in case a cluster has them: node roles
/// (`node-role.kubernetes.io/control-plane`, the retired `master`, ...) and `CriticalAddonsOnly`, which clusters
/// put on nodes kept for system add-ons. A toleration of one that no node has is a precaution, a note.
fn well_known_taint_key(key: &str) -> bool {
    key.starts_with("node-role.kubernetes.io/") || key == "CriticalAddonsOnly"
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
            let rule = if well_known_taint_key(&t.key) { "well-known-toleration-matches-no-taint" } else { "toleration-matches-no-taint" };
            out.push(Finding::at(rule, m, &format!("{tp}.tolerations[{i}]"), message));
        }
    }
}

/// Controllers that could not create pods (other than for a PriorityClass, reported on the template).
fn failed_creates(ctx: &Context<'_>, p: &PlanReport, template_refusals: &TemplateRefusals, out: &mut Vec<Finding>) {
    let mut seen = BTreeSet::new();
    for f in p.create_failures() {
        let (field, plugin) = match &f.error {
            ApiError::Refused(r) => (r.fields().first().map(|p| template_field(p.as_str())), Some(r.plugin)),
            _ => (None, None),
        };
        let o = &f.owner;
        let Some(kind) = GroupKind::from_kind(&o.kind) else { continue };
        let m = manifest_of(ctx, kind, &o.namespace, &o.name).or_else(|| {
            let rs = p.objects().get::<ReplicaSet>(&o.namespace, &o.name)?;
            let up = crate::api::controller_of(&rs.metadata)?;
            manifest_of(ctx, GroupKind::from_kind(&up.kind)?, &o.namespace, &up.name)
        });
        let Some(m) = m else { continue };
        // The template checks already reported what this plugin refuses of the workload's pods.
        let meta = m.object.meta();
        if plugin.is_some_and(|plugin| {
            template_refusals.contains(&(m.object.group_kind(), meta.namespace.clone(), meta.name.clone(), plugin))
        }) {
            continue;
        }
        // Each retry is refused under a new generated name: one finding per owner and cause.
        let cause = match &f.error {
            ApiError::Refused(r) => r.cause(),
            _ => f.message.clone(),
        };
        if !seen.insert((o.kind.clone(), o.namespace.clone(), o.name.clone(), cause)) {
            continue;
        }
        let message = format!("{} {}: {}", o.kind, o.name, f.message);
        out.push(Finding::at("controller-failed-create", m, field.as_deref().unwrap_or(""), message));
    }
}

/// The field of a workload's pod template that a pod's field (`spec.x`, `metadata.y`) comes from.
fn template_field(pod_field: &str) -> String {
    format!("spec.template.{pod_field}")
}
