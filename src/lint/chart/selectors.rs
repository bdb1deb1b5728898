//! Selectors that select no pod of the chart: a Service's (no endpoints), a PodDisruptionBudget's (protects
//! nothing), a NetworkPolicy's (applies to nothing), and a pod's required anti-affinity that matches none of
//! its own replicas nor any other pod (keeps nothing apart).

use std::collections::BTreeMap;

use crate::api::core_v1::{PodAffinityTerm, Service};
use crate::api::labels::{Requirement, Selector};
use crate::api::meta_v1::LabelSelector;
use crate::api::Object;
use crate::input::Manifest;

use super::{closest, owner, pairs, relabel_edits, Chart, PodSource, Replicas};
use crate::lint::{Context, Finding, Related};

pub(super) fn check(chart: &Chart<'_>, ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for m in ctx.all() {
        match &m.object {
            Object::Service(s) => service(chart, m, s, out),
            Object::PodDisruptionBudget(pdb) => {
                let selector = pdb.spec.selector.as_deref();
                label_selector(chart, m, "pdb-selects-nothing", "spec.selector", selector, Effect::Pdb, out);
            }
            Object::NetworkPolicy(np) => {
                let selector = &np.spec.pod_selector;
                // An empty podSelector is the namespace's every pod, present or future.
                if !selector.match_labels.is_empty() || !selector.match_expressions.is_empty() {
                    label_selector(chart, m, "network-policy-selects-nothing", "spec.podSelector", Some(selector), Effect::NetworkPolicy, out);
                }
            }
            _ => {}
        }
    }
    for p in &chart.pods {
        anti_affinity(chart, p, out);
    }
}

/// The Service's selector as the endpoints controller reads it (`labels.Set(service.Spec.Selector)`); `None`
/// when the Service has no selector (its endpoints are written by hand) or is an ExternalName alias.
pub(super) fn service_selector(s: &Service) -> Option<Selector> {
    if s.spec.selector.is_empty() || s.spec.r#type == "ExternalName" {
        return None;
    }
    Some(Selector::All(s.spec.selector.iter().map(|(k, v)| Requirement::In(k.clone(), vec![v.clone()])).collect()))
}

fn service(chart: &Chart<'_>, m: &Manifest, s: &Service, out: &mut Vec<Finding>) {
    let Some(selector) = service_selector(s) else { return };
    let ns = s.metadata.namespace.as_str();
    if chart.selects_any(ns, &selector) {
        return;
    }
    let message = format!(
        "Service {:?} selects no pod of the input: no Pod or workload template in namespace {ns:?} has the labels \
         {}, so the Service has no endpoints and connections to it are refused",
        s.metadata.name,
        pairs(&s.spec.selector)
    );
    let candidates: Vec<&PodSource<'_>> = chart.pods_in(ns).collect();
    let f = Finding::at("service-selects-nothing", m, "spec.selector", message);
    out.push(with_relabel_fix(f, m, "spec.selector", &s.spec.selector, &candidates));
}

/// What a selector that selects nothing fails to do.
#[derive(Clone, Copy)]
enum Effect {
    Pdb,
    NetworkPolicy,
}

fn label_selector(
    chart: &Chart<'_>,
    m: &Manifest,
    rule: &'static str,
    path: &str,
    selector: Option<&LabelSelector>,
    effect: Effect,
    out: &mut Vec<Finding>,
) {
    // An invalid selector is the API server's to refuse.
    let Ok(parsed) = Selector::from_label_selector(selector) else { return };
    let ns = m.object.meta().namespace.as_str();
    if chart.selects_any(ns, &parsed) {
        return;
    }
    let what = match selector {
        None => "has no selector, which selects no pod".to_owned(),
        Some(sel) if sel.match_expressions.is_empty() => format!(
            "selects no pod of the input: no Pod or workload template in namespace {ns:?} has the labels {}",
            pairs(&sel.match_labels)
        ),
        Some(_) => format!("selects no pod of the input: no Pod or workload template in namespace {ns:?} matches it"),
    };
    let consequence = match effect {
        Effect::Pdb => "it protects nothing from voluntary disruptions (drains, evictions)",
        Effect::NetworkPolicy => "it applies to no pod, and the traffic it means to restrict is not restricted",
    };
    let message = format!("{} {:?} {what}; {consequence}", m.object.kind(), m.object.meta().name);
    let f = Finding::at(rule, m, path, message);
    let candidates: Vec<&PodSource<'_>> = chart.pods_in(ns).collect();
    out.push(match selector {
        Some(sel) if sel.match_expressions.is_empty() => {
            with_relabel_fix(f, m, &format!("{path}.matchLabels"), &sel.match_labels, &candidates)
        }
        _ => f,
    })
}

/// A fix that makes a label map select the closest of the candidate pods, if one can.
fn with_relabel_fix(f: Finding, m: &Manifest, path: &str, labels: &BTreeMap<String, String>, candidates: &[&PodSource<'_>]) -> Finding {
    let Some(target) = closest(candidates, labels) else { return f };
    match relabel_edits(m, path, labels, &target.labels) {
        Some(edits) if !edits.is_empty() => {
            let mut f = f.with_fix(format!("select the pods of {}", owner(target)), edits);
            f.related.push(Related {
                file: target.manifest.file.to_string(),
                span: crate::lint::locate::field_span(target.manifest, &target.labels_path()),
                message: format!("the labels of {}'s pods", owner(target)),
            });
            f
        }
        _ => f,
    }
}

/// A required anti-affinity term whose selector matches neither the pod's own replicas nor any other pod of
/// the chart in the term's namespaces: the scheduler keeps the pods apart from nothing. A term that matches
/// other pods but not its own keeps this workload away from those, which is a choice, not a trap.
fn anti_affinity(chart: &Chart<'_>, p: &PodSource<'_>, out: &mut Vec<Finding>) {
    if p.replicas == Replicas::Count(1) && p.template_path.is_empty() {
        return;
    }
    let Some(anti) = p.spec.affinity.as_ref().and_then(|a| a.pod_anti_affinity.as_ref()) else { return };
    for (i, term) in anti.required_during_scheduling_ignored_during_execution.iter().enumerate() {
        // A term that excludes pods by the pod's own label values never means its own replicas.
        if !term.mismatch_label_keys.is_empty() {
            continue;
        }
        let Ok(selector) = Selector::from_label_selector(term.label_selector.as_deref()) else { continue };
        if p.labels.may_match(&selector) || others_match(chart, p, term, &selector) {
            continue;
        }
        let path = p.spec_field(&format!(
            "affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[{i}].labelSelector"
        ));
        let message = format!(
            "required pod anti-affinity selects none of {}'s own pods (labels {}) nor any other pod of the input, \
             so it keeps nothing apart: the replicas may all land in the same {:?} topology",
            owner(p),
            pairs(&written(p)),
            term.topology_key
        );
        let f = Finding::at("anti-affinity-misses-replicas", p.manifest, &path, message);
        let f = match term.label_selector.as_deref() {
            Some(sel) if sel.match_expressions.is_empty() => {
                match relabel_edits(p.manifest, &format!("{path}.matchLabels"), &sel.match_labels, &p.labels) {
                    Some(edits) if !edits.is_empty() => f.with_fix(format!("select {}'s own pods", owner(p)), edits),
                    _ => f,
                }
            }
            _ => f,
        };
        out.push(f);
    }
}

/// Whether a term selects another pod of the chart in the namespaces it names (its own by default; a
/// namespace selector may name any). `matchLabelKeys` narrows it to pods sharing the pod's own values.
fn others_match(chart: &Chart<'_>, p: &PodSource<'_>, term: &PodAffinityTerm, selector: &Selector) -> bool {
    let mut narrowed = match selector {
        Selector::All(reqs) => reqs.clone(),
        Selector::Nothing => return false,
    };
    for key in &term.match_label_keys {
        match p.labels.written_value(key) {
            Some(v) => narrowed.push(Requirement::In(key.clone(), vec![v.to_owned()])),
            // A value the cluster chooses per workload (a template hash) is shared by no other workload.
            None if p.labels.0.contains_key(key) => return false,
            None => {}
        }
    }
    let narrowed = Selector::All(narrowed);
    let any_namespace = term.namespace_selector.is_some();
    let in_scope = |ns: &str| {
        any_namespace || (term.namespaces.is_empty() && ns == p.namespace) || term.namespaces.iter().any(|n| n == ns)
    };
    let is_self = |o: &PodSource<'_>| std::ptr::eq(o.manifest, p.manifest);
    chart.selected(None, &narrowed).into_iter().any(|o| !is_self(o) && in_scope(o.namespace))
        || chart.operated_in_scope(&in_scope, &narrowed)
}

/// The labels written on the pod (without those its controller adds).
fn written(p: &PodSource<'_>) -> BTreeMap<String, String> {
    p.labels.0.iter().filter_map(|(k, _)| p.labels.written_value(k).map(|v| (k.clone(), v.to_owned()))).collect()
}
