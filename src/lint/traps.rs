//! Traps: manifests the API server accepts that do not do what their authors expect. Each check reads the
//! object as written (before defaulting), so it speaks about what the author wrote.

use std::collections::HashSet;

use crate::api::apps_v1::{DaemonSet, StatefulSet};
use crate::api::core_v1::{PodSpec, Taint, Toleration};
use crate::api::{IntOrString, Object};
use crate::helpers::taints::tolerates;
use crate::input::Manifest;

use super::locate;
use super::{Context, Edit, Finding, Related};

pub const MASTER_TAINT: &str = "node-role.kubernetes.io/master";
pub const CONTROL_PLANE_TAINT: &str = "node-role.kubernetes.io/control-plane";
/// Namespace annotations OpenShift's DaemonSet controller honours; the first wins.
pub const KUBE_NODE_SELECTOR: &str = "scheduler.alpha.kubernetes.io/node-selector";
pub const OPENSHIFT_NODE_SELECTOR: &str = "openshift.io/node-selector";

pub(super) fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let schedulers = known_schedulers(ctx);
    for m in ctx.all() {
        if let Some((spec, path)) = pod_spec(&m.object) {
            master_toleration(ctx, m, spec, path, out);
            unknown_scheduler(ctx, m, spec, path, &schedulers, out);
        }
        match &m.object {
            Object::DaemonSet(ds) => {
                daemonset_resources(m, ds, out);
                surge_with_host_port(m, ds, out);
                if ds.spec.update_strategy.r#type == "OnDelete" {
                    on_delete(m, "DaemonSet", out);
                }
                namespace_node_selector(ctx, m, ds, out);
            }
            Object::StatefulSet(ss) => {
                if ss.spec.update_strategy.r#type == "OnDelete" {
                    on_delete(m, "StatefulSet", out);
                }
                statefulset_service(ctx, m, ss, out);
            }
            _ => {}
        }
    }
}

/// The pod spec of a pod or of a workload's template, and its field path.
pub(super) fn pod_spec(o: &Object) -> Option<(&PodSpec, &'static str)> {
    const T: &str = "spec.template.spec";
    Some(match o {
        Object::Pod(p) => (&p.spec, "spec"),
        Object::DaemonSet(d) => (&d.spec.template.spec, T),
        Object::Deployment(d) => (&d.spec.template.spec, T),
        Object::ReplicaSet(r) => (&r.spec.template.spec, T),
        Object::StatefulSet(s) => (&s.spec.template.spec, T),
        Object::Job(j) => (&j.spec.template.spec, T),
        _ => return None,
    })
}

fn taint(key: &str) -> Taint {
    Taint { key: key.to_owned(), effect: "NoSchedule".to_owned(), ..Default::default() }
}

/// A toleration of the retired `master` taint without one for `control-plane`.
fn master_toleration(ctx: &Context<'_>, m: &Manifest, spec: &PodSpec, path: &str, out: &mut Vec<Finding>) {
    let tolerations = &spec.tolerations;
    let control_plane = taint(CONTROL_PLANE_TAINT);
    if tolerations.iter().any(|t| tolerates(t, &control_plane)) {
        return;
    }
    let Some(i) = tolerations.iter().position(|t| t.key == MASTER_TAINT) else { return };
    let field = format!("{path}.tolerations[{i}]");
    let message = format!(
        "toleration for {MASTER_TAINT} only: since Kubernetes v1.24 control-plane nodes are tainted \
         {CONTROL_PLANE_TAINT}:NoSchedule, which this does not tolerate, so these pods will not run on them"
    );
    let new = Toleration { key: CONTROL_PLANE_TAINT.to_owned(), ..tolerations[i].clone() };
    let edits = insert_toleration_after(ctx, m, &field, &new).into_iter().collect();
    out.push(Finding::at("master-toleration-only", m, &field, message).with_fix(
        format!("also tolerate {CONTROL_PLANE_TAINT}"),
        edits,
    ));
}

/// An edit adding `t` after the sequence item at `field`, in the sequence's style.
fn insert_toleration_after(ctx: &Context<'_>, m: &Manifest, field: &str, t: &Toleration) -> Option<Edit> {
    let item = locate::node_at(m, field)?;
    let index = &*ctx.index(&m.file)?;
    let mut fields = vec![("key", t.key.clone())];
    if !t.operator.is_empty() {
        fields.push(("operator", t.operator.clone()));
    }
    if !t.value.is_empty() && t.operator != "Exists" {
        fields.push(("value", t.value.clone()));
    }
    if !t.effect.is_empty() {
        fields.push(("effect", t.effect.clone()));
    }
    if let Some(secs) = t.toleration_seconds {
        fields.push(("tolerationSeconds", secs.to_string()));
    }
    let at = crate::diag::Span { start: item.span.end, end: item.span.end };
    let new_text = if locate::is_flow(item, index) || !locate::is_map(item) {
        let parts: Vec<String> = fields.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        match locate::dash_col(item, index) {
            Some(dash) => format!("\n{}- {{{}}}", locate::indent(dash), parts.join(", ")),
            None => format!(", {{{}}}", parts.join(", ")),
        }
    } else {
        let dash = locate::dash_col(item, index)?;
        let key_indent = locate::indent(item.span.start.col);
        let mut s = format!("\n{}- ", locate::indent(dash));
        s.push_str(&" ".repeat((item.span.start.col - dash - 1).saturating_sub(1) as usize));
        for (n, (k, v)) in fields.iter().enumerate() {
            if n > 0 {
                s.push('\n');
                s.push_str(&key_indent);
            }
            s.push_str(&format!("{k}: {v}"));
        }
        s
    };
    Some(Edit { file: m.file.to_string(), span: at, text: new_text })
}

/// Scheduler names that something in the files serves: kube-scheduler's profiles (the default one, or those
/// of the files' configuration), and any that a workload runs with `--scheduler-name`.
fn known_schedulers(ctx: &Context<'_>) -> HashSet<String> {
    let mut known: HashSet<String> = ctx.scheduler_profiles.iter().cloned().collect();
    for m in ctx.all() {
        let Some((spec, _)) = pod_spec(&m.object) else { continue };
        for c in &spec.containers {
            let words: Vec<&String> = c.command.iter().chain(&c.args).collect();
            for (i, w) in words.iter().enumerate() {
                if let Some(v) = w.strip_prefix("--scheduler-name=") {
                    known.insert(v.to_owned());
                } else if w.as_str() == "--scheduler-name" {
                    if let Some(v) = words.get(i + 1) {
                        known.insert((*v).clone());
                    }
                }
            }
        }
    }
    known
}

fn unknown_scheduler(ctx: &Context<'_>, m: &Manifest, spec: &PodSpec, path: &str, known: &HashSet<String>, out: &mut Vec<Finding>) {
    let name = &spec.scheduler_name;
    if name.is_empty() || known.contains(name) {
        return;
    }
    let field = format!("{path}.schedulerName");
    let profiles: Vec<String> = ctx.scheduler_profiles.iter().map(|p| format!("{p:?}")).collect();
    let message = format!(
        "no known scheduler serves schedulerName {name:?}: kube-scheduler schedules only pods of {}, so these pods \
         stay Pending until a scheduler named {name:?} runs",
        profiles.join(", ")
    );
    let Some(first) = ctx.scheduler_profiles.first() else {
        out.push(Finding::at("unknown-scheduler", m, &field, message));
        return;
    };
    let edits = locate::value_span(m, &field)
        .map(|span| vec![Edit { file: m.file.to_string(), span, text: first.clone() }])
        .unwrap_or_default();
    out.push(Finding::at("unknown-scheduler", m, &field, message).with_fix(format!("use {first}"), edits));
}

/// The built-in PriorityClasses whose pods are critical (priority at least `SystemCriticalPriority`): the kubelet
/// does not evict them under node pressure.
const CRITICAL_PRIORITY_CLASSES: [&str; 2] = ["system-node-critical", "system-cluster-critical"];

fn daemonset_resources(m: &Manifest, ds: &DaemonSet, out: &mut Vec<Finding>) {
    for (i, c) in ds.spec.template.spec.containers.iter().enumerate() {
        if !c.resources.requests.is_empty() || !c.resources.limits.is_empty() {
            continue;
        }
        let field = format!("spec.template.spec.containers[{i}].name");
        let class = ds.spec.template.spec.priority_class_name.as_str();
        let consequence = if CRITICAL_PRIORITY_CLASSES.contains(&class) {
            // The kubelet's eviction manager never evicts a critical pod (`kubelettypes.IsCriticalPod`): under
            // pressure it is the node's other pods that go.
            format!(
                "as a {class} pod the kubelet never evicts it, so when it grows, the node's other pods are evicted \
                 in its place"
            )
        } else {
            "it is evicted first when a node runs short".to_owned()
        };
        let message = format!(
            "DaemonSet container {:?} has no resource requests or limits: it runs on every node as BestEffort, \
             the scheduler reserves nothing for it, and {consequence}",
            c.name
        );
        out.push(Finding::at("daemonset-no-resources", m, &field, message).with_fix(
            "set resources.requests (cpu and memory) and a memory limit for the container",
            Vec::new(),
        ));
    }
}

/// Whether a `maxSurge` value asks for surge pods.
fn surges(v: &IntOrString) -> bool {
    match v {
        IntOrString::Int(i) => *i > 0,
        IntOrString::String(s) => s.trim_end_matches('%').parse::<i64>().map_or(true, |n| n > 0),
    }
}

fn surge_with_host_port(m: &Manifest, ds: &DaemonSet, out: &mut Vec<Finding>) {
    let strategy = &ds.spec.update_strategy;
    if !(strategy.r#type.is_empty() || strategy.r#type == "RollingUpdate") {
        return;
    }
    let Some(rolling) = &strategy.rolling_update else { return };
    let Some(surge) = rolling.max_surge.as_ref().filter(|s| surges(s)) else { return };
    let spec = &ds.spec.template.spec;
    let mut port = None;
    'outer: for (i, c) in spec.containers.iter().enumerate() {
        for (j, p) in c.ports.iter().enumerate() {
            let host = if p.host_port > 0 { p.host_port } else if spec.host_network { p.container_port } else { 0 };
            if host > 0 {
                let field = if p.host_port > 0 { "hostPort" } else { "containerPort" };
                port = Some((host, format!("spec.template.spec.containers[{i}].ports[{j}].{field}")));
                break 'outer;
            }
        }
    }
    let Some((host_port, port_field)) = port else { return };
    let surge_text = match surge {
        IntOrString::Int(i) => i.to_string(),
        IntOrString::String(s) => s.clone(),
    };
    let via = if port_field.ends_with("containerPort") { " (hostNetwork)" } else { "" };
    let field = "spec.updateStrategy.rollingUpdate.maxSurge";
    let message = format!(
        "maxSurge {surge_text} with host port {host_port}{via}: the surge pod needs the port the old pod on \
         its node still holds, so it stays Pending (node(s) didn't have free ports for the requested pod ports) \
         and the rolling update never finishes"
    );
    let mut edits = Vec::new();
    if let Some(span) = locate::value_span(m, field) {
        edits.push(Edit { file: m.file.to_string(), span, text: "0".into() });
    }
    let unavailable_zero = matches!(&rolling.max_unavailable, Some(IntOrString::Int(0)))
        || matches!(&rolling.max_unavailable, Some(IntOrString::String(s)) if s.trim_end_matches('%') == "0");
    if unavailable_zero {
        if let Some(span) = locate::value_span(m, "spec.updateStrategy.rollingUpdate.maxUnavailable") {
            edits.push(Edit { file: m.file.to_string(), span, text: "1".into() });
        }
    }
    let mut f = Finding::at("surge-with-host-port", m, field, message)
        .with_fix("set maxSurge to 0 and maxUnavailable to at least 1: old pods are deleted before new ones start", edits);
    f.related.push(Related {
        file: m.file.to_string(),
        span: locate::field_span(m, &port_field),
        message: format!("host port {host_port}"),
    });
    out.push(f);
}

fn on_delete(m: &Manifest, kind: &str, out: &mut Vec<Finding>) {
    let field = "spec.updateStrategy.type";
    let message = format!(
        "{kind} updateStrategy OnDelete: a changed pod template replaces no running pod; old pods keep running \
         the old template until each is deleted by hand"
    );
    let edits = locate::value_span(m, field)
        .map(|span| vec![Edit { file: m.file.to_string(), span, text: "RollingUpdate".into() }])
        .unwrap_or_default();
    out.push(Finding::at("ondelete-update", m, field, message).with_fix("use RollingUpdate", edits));
}

fn statefulset_service(ctx: &Context<'_>, m: &Manifest, ss: &StatefulSet, out: &mut Vec<Finding>) {
    let name = &ss.spec.service_name;
    if name.is_empty() {
        return;
    }
    let ns = &ss.metadata.namespace;
    let field = "spec.serviceName";
    match ctx.services.get(&(ns.as_str(), name.as_str())) {
        None => {
            let message = format!(
                "serviceName {name:?}: no Service {name:?} in namespace {ns:?} among the linted files; the pods get \
                 their stable DNS names ({}-0.{name}.{ns}.svc) only once a headless Service of that name exists",
                ss.metadata.name
            );
            let edits = headless_service_edit(ctx, m, ss).into_iter().collect();
            out.push(Finding::at("statefulset-service-missing", m, field, message)
                .with_fix(format!("add a headless Service {name:?} (clusterIP: None) selecting the StatefulSet's pods"), edits));
        }
        Some(svc) => {
            let Object::Service(s) = &svc.object else { return };
            if s.spec.cluster_ip == "None" {
                return;
            }
            let message = format!(
                "serviceName {name:?}: Service {name:?} is not headless (clusterIP is {}), so the pods get no \
                 per-pod DNS records",
                if s.spec.cluster_ip.is_empty() { "allocated".to_owned() } else { format!("{:?}", s.spec.cluster_ip) }
            );
            let mut f = Finding::at("statefulset-service-not-headless", m, field, message)
                .with_fix(format!("set clusterIP: None on Service {name:?} (a Service's clusterIP cannot change: recreate it)"), cluster_ip_none_edit(ctx, svc).into_iter().collect());
            f.related.push(Related {
                file: svc.file.to_string(),
                span: locate::object_span(&svc.tree),
                message: format!("Service {name:?}"),
            });
            out.push(f);
        }
    }
}

/// A headless Service document appended after the StatefulSet's document.
fn headless_service_edit(ctx: &Context<'_>, m: &Manifest, ss: &StatefulSet) -> Option<Edit> {
    ctx.text(&m.file)?;
    let labels = match ss.spec.selector.as_deref() {
        Some(sel) if !sel.match_labels.is_empty() => &sel.match_labels,
        _ => &ss.spec.template.metadata.labels,
    };
    let mut text = format!(
        "\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: {}\n  namespace: {}\nspec:\n  clusterIP: None\n",
        yaml_scalar(&ss.spec.service_name),
        yaml_scalar(&ss.metadata.namespace)
    );
    if !labels.is_empty() {
        text.push_str("  selector:\n");
        for (k, v) in labels {
            text.push_str(&format!("    {}: {}\n", yaml_scalar(k), yaml_scalar(v)));
        }
    }
    let ports: Vec<i32> = ss.spec.template.spec.containers.iter().flat_map(|c| c.ports.iter().map(|p| p.container_port)).filter(|p| *p > 0).collect();
    if let Some(p) = ports.first() {
        text.push_str(&format!("  ports:\n  - port: {p}\n"));
    }
    text.pop();
    let end = m.tree.span.end;
    Some(Edit { file: m.file.to_string(), span: crate::diag::Span { start: end, end }, text })
}

fn cluster_ip_none_edit(ctx: &Context<'_>, svc: &Manifest) -> Option<Edit> {
    if let Some(span) = locate::value_span(svc, "spec.clusterIP") {
        return Some(Edit { file: svc.file.to_string(), span, text: "None".into() });
    }
    let spec = locate::node_at(svc, "spec").filter(|n| locate::is_map(n))?;
    let index = &*ctx.index(&svc.file)?;
    let start = spec.span.start;
    let text = if locate::is_flow(spec, index) {
        let at = crate::diag::Pos { line: start.line, col: start.col + 1 };
        return Some(Edit { file: svc.file.to_string(), span: crate::diag::Span { start: at, end: at }, text: "clusterIP: None, ".into() });
    } else {
        format!("clusterIP: None\n{}", locate::indent(start.col))
    };
    Some(Edit { file: svc.file.to_string(), span: crate::diag::Span { start, end: start }, text })
}

/// A string as a YAML plain scalar when that reads back as the same string, else double-quoted (a fix's text).
///
/// Plain only for the characters that cannot start or end a structure (letters, digits, `-_./`, and neither `-`
/// nor `.` first), when kubeplan's reader resolves it to that string ([`crate::input::plain_reads_as_string`]:
/// not `yes`, `0x1F`, `0o17`, `1_000`, `1e3`), and when it does not begin as a date (`2024-01-01`): kubectl's
/// go-yaml v2 reads a plain `YYYY-M-D` as a timestamp (`resolve.go`, `parseTimestamp`), which would reach the API
/// server as `2024-01-01T00:00:00Z`. Quoting is always right; plain is only the more usual look.
pub(super) fn yaml_scalar(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
        && !s.starts_with(['-', '.'])
        && !starts_as_date(s)
        && crate::input::plain_reads_as_string(s);
    if plain {
        s.to_owned()
    } else {
        serde_json::to_string(s).unwrap_or_default()
    }
}

/// Four digits and a `-`: how every timestamp go-yaml v2 resolves begins.
fn starts_as_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() > 4 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-'
}

/// OpenShift's DaemonSet controller also requires the namespace's node selector (`patch_nodeselector.go`).
fn namespace_node_selector(ctx: &Context<'_>, m: &Manifest, ds: &DaemonSet, out: &mut Vec<Finding>) {
    let Some(ns_manifest) = ctx.namespaces.get(ds.metadata.namespace.as_str()) else { return };
    let Object::Namespace(ns) = &ns_manifest.object else { return };
    let annotations = &ns.metadata.annotations;
    let (key, value) = match (annotations.get(KUBE_NODE_SELECTOR), annotations.get(OPENSHIFT_NODE_SELECTOR)) {
        (Some(v), _) => (KUBE_NODE_SELECTOR, v),
        (None, Some(v)) => (OPENSHIFT_NODE_SELECTOR, v),
        (None, None) => return,
    };
    let Ok(selector) = crate::api::labels::Selector::parse(value) else { return };
    if value.trim().is_empty() {
        return;
    }
    let annotation_path = format!("metadata.annotations[{key}]");
    let mut message = format!(
        "on OpenShift, namespace {:?} has {key}: {value:?}, which the DaemonSet controller merges into this \
         DaemonSet's node selection: its pods run only on nodes labelled {value}",
        ns.metadata.name
    );
    if !ctx.nodes.is_empty() {
        let matching = ctx.nodes.iter().filter(|n| selector.matches(&n.metadata.labels)).count();
        message.push_str(&format!(" ({matching} of the {} known nodes)", ctx.nodes.len()));
    }
    let field = if m.tree.get("metadata").and_then(|md| md.get("namespace")).is_some() { "metadata.namespace" } else { "metadata.name" };
    let edits = locate::value_span(ns_manifest, &annotation_path)
        .map(|span| vec![Edit { file: ns_manifest.file.to_string(), span, text: "\"\"".into() }])
        .unwrap_or_default();
    let mut f = Finding::at("openshift-namespace-node-selector", m, field, message).with_fix(
        format!("to run on every node, annotate namespace {:?} with {OPENSHIFT_NODE_SELECTOR}: \"\"", ns.metadata.name),
        if key == OPENSHIFT_NODE_SELECTOR { edits } else { Vec::new() },
    );
    f.related.push(Related {
        file: ns_manifest.file.to_string(),
        span: locate::field_span(ns_manifest, &annotation_path),
        message: format!("{key} of namespace {:?}", ns.metadata.name),
    });
    out.push(f);
}

#[cfg(test)]
mod tests {
    use super::yaml_scalar;

    #[test]
    fn a_fix_writes_a_string_plain_only_when_it_reads_back_as_that_string() {
        for plain in ["web", "my-app", "v1.2.3", "kube-system/app", "nginx_1", "0xZZ", "12-34", "1.2.3"] {
            assert_eq!(yaml_scalar(plain), plain);
        }
        let quoted = [
            "", "yes", "Off", "y", "null", "~", "true", "123", "1.5", "1e3", "0x1F", "0o17", "0b101", "017", "1_000",
            "2024-01-01", "2024-1-2", "-web", ".hidden", "a b", "a:b", "#x", ".inf",
        ];
        for s in quoted {
            assert_eq!(yaml_scalar(s), serde_json::to_string(s).unwrap(), "{s:?} must be quoted");
        }
    }
}
