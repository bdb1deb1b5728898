//! Whole charts: how the objects of the input refer to one another. Each check finds a reference a cluster
//! accepts but that leaves the chart broken: a selector no pod of the chart matches, a port name no container
//! declares, an object a pod, an autoscaler or an Ingress names that the input does not hold.
//!
//! The input is read as part of a cluster ("open world"): objects it names but does not hold may exist there,
//! so a pod's ConfigMap, Secret, ServiceAccount or claim that is missing is a note, unless the user says the
//! input is the whole cluster (`--closed-world`). Objects Kubernetes makes itself in every namespace (the
//! `default` ServiceAccount, the `kube-root-ca.crt` ConfigMap) always exist.
//!
//! - [`selectors`]: Services, PodDisruptionBudgets and NetworkPolicies that select no pod, pod anti-affinity
//!   that keeps nothing apart;
//! - [`ports`]: a Service's named `targetPort` and probes on a port name no container declares;
//! - [`references`]: what pods, HorizontalPodAutoscalers and Ingresses name.

mod pods;
mod ports;
mod references;
mod selectors;

use std::collections::{BTreeMap, HashMap};

use crate::api::labels::{Requirement, Selector};
use crate::api::Object;
use crate::diag::Severity;
use crate::input::Manifest;

use super::{locate, Context, Edit, Finding};
pub use pods::{pod_source, LabelValue, PodLabels, PodSource, Replicas};
pub(super) use references::assumed_service_accounts;

/// What the checks look up: the chart's pods (indexed by label, so that a selector costs the pods it may
/// match, not the chart's size) and its objects by kind, namespace and name.
pub(super) struct Chart<'a> {
    pub pods: Vec<PodSource<'a>>,
    /// The pods (indexes into `pods`) carrying each written label, by (key, value).
    by_label: HashMap<(String, String), Vec<usize>>,
    /// The pods whose value for a key the cluster chooses or that varies by ordinal, by key.
    open_label: HashMap<String, Vec<usize>>,
    /// Pods an operator may make from a custom resource: the resource's labels and the label sets written in
    /// its spec (`spec.podMetadata.labels`, `spec.template.metadata.labels`, ...), by namespace.
    operated: Vec<(&'a str, &'a Manifest, PodLabels)>,
    /// Objects by (API group, kind, namespace), then name; cluster-scoped objects have namespace "". The last
    /// copy of an object wins, as it does in the cluster.
    objects: HashMap<(&'a str, &'a str, &'a str), BTreeMap<&'a str, &'a Manifest>>,
    pub closed_world: bool,
}

impl<'a> Chart<'a> {
    pub fn new(ctx: &Context<'a>, closed_world: bool) -> Chart<'a> {
        let mut chart = Chart {
            pods: Vec::new(),
            by_label: HashMap::new(),
            open_label: HashMap::new(),
            operated: Vec::new(),
            objects: HashMap::new(),
            closed_world,
        };
        for m in ctx.all() {
            let o = &m.object;
            let meta = o.meta();
            chart.objects.entry((o.group(), o.kind(), &meta.namespace)).or_default().insert(&meta.name, m);
            if let Some(p) = pod_source(m) {
                chart.index(p);
            }
            if let Object::CustomResource(cr) = o {
                let ns = if meta.namespace.is_empty() { "default" } else { meta.namespace.as_str() };
                for labels in operated_labels(cr) {
                    chart.operated.push((ns, m, labels));
                }
            }
        }
        chart
    }

    fn index(&mut self, p: PodSource<'a>) {
        let i = self.pods.len();
        for (k, v) in &p.labels.0 {
            match v {
                LabelValue::Is(v) => self.by_label.entry((k.clone(), v.clone())).or_default().push(i),
                _ => self.open_label.entry(k.clone()).or_default().push(i),
            }
        }
        self.pods.push(p);
    }

    /// The object of this group, kind, namespace and name, if the input holds it.
    pub fn get(&self, group: &str, kind: &str, namespace: &str, name: &str) -> Option<&'a Manifest> {
        self.objects.get(&(group, kind, namespace))?.get(name).copied()
    }

    /// The names of the objects of a kind in a namespace, sorted, for suggestions.
    pub fn names_of(&self, group: &str, kind: &str, namespace: &str) -> Vec<&'a str> {
        self.objects.get(&(group, kind, namespace)).map(|m| m.keys().copied().collect()).unwrap_or_default()
    }

    /// The chart's pods in a namespace.
    pub fn pods_in<'s>(&'s self, namespace: &'s str) -> impl Iterator<Item = &'s PodSource<'a>> + 's {
        self.pods.iter().filter(move |p| p.namespace == namespace)
    }

    /// The chart's pods `selector` may select, in input order, in `namespace` (or in any namespace for
    /// `None`). Only the pods the index gives for the selector's narrowest `In` requirement are matched.
    pub fn selected<'s>(&'s self, namespace: Option<&'s str>, selector: &Selector) -> Vec<&'s PodSource<'a>> {
        let in_namespace = |p: &PodSource<'_>| namespace.is_none_or(|ns| p.namespace == ns);
        let matches = |p: &&PodSource<'_>| in_namespace(p) && p.labels.may_match(selector);
        match self.candidates(selector) {
            Some(mut ix) => {
                ix.sort_unstable();
                ix.into_iter().map(|i| &self.pods[i]).filter(matches).collect()
            }
            None => self.pods.iter().filter(matches).collect(),
        }
    }

    /// The pods that may satisfy the selector's narrowest `In` requirement; `None` when it has none.
    fn candidates(&self, selector: &Selector) -> Option<Vec<usize>> {
        let Selector::All(reqs) = selector else { return Some(Vec::new()) };
        let empty: &[usize] = &[];
        let lists = |k: &String, vs: &Vec<String>| -> Vec<&[usize]> {
            let mut lists: Vec<&[usize]> = vs
                .iter()
                .map(|v| self.by_label.get(&(k.clone(), v.clone())).map_or(empty, Vec::as_slice))
                .collect();
            lists.push(self.open_label.get(k).map_or(empty, Vec::as_slice));
            lists
        };
        reqs.iter()
            .filter_map(|r| match r {
                Requirement::In(k, vs) => Some(lists(k, vs)),
                _ => None,
            })
            .min_by_key(|l| l.iter().map(|x| x.len()).sum::<usize>())
            .map(|l| l.concat())
    }

    /// A custom resource in `namespace` whose operator may make pods `selector` selects.
    pub fn operator_for(&self, namespace: &str, selector: &Selector) -> Option<&'a Manifest> {
        self.operated.iter().find(|(ns, _, l)| *ns == namespace && l.may_match(selector)).map(|(_, m, _)| *m)
    }

    /// Whether an operator may make pods `selector` selects in a namespace `in_scope` accepts.
    pub fn operated_in_scope(&self, in_scope: &dyn Fn(&str) -> bool, selector: &Selector) -> bool {
        self.operated.iter().any(|(ns, _, l)| in_scope(ns) && l.may_match(selector))
    }

    /// Whether some pod of the chart in `namespace` (or one an operator may make there) is selected.
    pub fn selects_any(&self, namespace: &str, selector: &Selector) -> bool {
        !self.selected(Some(namespace), selector).is_empty() || self.operator_for(namespace, selector).is_some()
    }

    /// The severity of a finding about an object the input does not hold but the cluster may.
    pub fn missing_severity(&self) -> Severity {
        if self.closed_world {
            Severity::Error
        } else {
            Severity::Info
        }
    }
}

/// The label sets a custom resource may give the pods its operator makes: its own labels, and every `labels`
/// mapping of strings written under its `spec` (a few levels deep).
fn operated_labels(cr: &crate::api::CustomResource) -> Vec<PodLabels> {
    fn walk(v: &serde_json::Value, depth: usize, out: &mut Vec<PodLabels>) {
        let serde_json::Value::Object(map) = v else { return };
        for (k, child) in map {
            if k == "labels" {
                if let serde_json::Value::Object(l) = child {
                    let labels: BTreeMap<String, LabelValue> = l
                        .iter()
                        .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), LabelValue::Is(s.to_owned()))))
                        .collect();
                    if !labels.is_empty() {
                        out.push(PodLabels(labels));
                    }
                }
            } else if depth > 0 {
                walk(child, depth - 1, out);
            }
        }
    }
    let mut out = Vec::new();
    if !cr.metadata.labels.is_empty() {
        out.push(PodLabels(cr.metadata.labels.iter().map(|(k, v)| (k.clone(), LabelValue::Is(v.clone()))).collect()));
    }
    if let Some(spec) = cr.content.get("spec") {
        walk(spec, 4, &mut out);
    }
    out
}

pub(super) fn check(ctx: &Context<'_>, closed_world: bool, out: &mut Vec<Finding>) {
    let chart = Chart::new(ctx, closed_world);
    selectors::check(&chart, ctx, out);
    ports::check(&chart, ctx, out);
    references::check(&chart, ctx, out);
}

/// Edits that make the `matchLabels`-style map at `path` select a pod with `target` labels: each value that
/// differs from the pod's is replaced. `None` when some key has no value to take (the pod lacks the label),
/// so no edit can make the selector match.
fn relabel_edits(m: &Manifest, path: &str, selector: &BTreeMap<String, String>, target: &PodLabels) -> Option<Vec<Edit>> {
    let mut edits = Vec::new();
    for (k, v) in selector {
        let wanted = target.written_value(k)?;
        if wanted == v {
            continue;
        }
        let span = locate::value_span(m, &format!("{path}[{k}]"))?;
        edits.push(Edit { file: m.file.to_string(), span, text: super::traps::yaml_scalar(wanted) });
    }
    Some(edits)
}

/// The pod of `candidates` whose labels agree with most of `selector`'s pairs (at least one), or the only
/// candidate.
fn closest<'p, 'a>(candidates: &[&'p PodSource<'a>], selector: &BTreeMap<String, String>) -> Option<&'p PodSource<'a>> {
    let agree = |p: &PodSource<'_>| selector.iter().filter(|(k, v)| p.labels.written_value(k) == Some(v.as_str())).count();
    let best = candidates.iter().copied().max_by_key(|p| agree(p))?;
    (agree(best) > 0 || candidates.len() == 1).then_some(best)
}

/// `a=b, c=d`: a label map as `kubectl` prints selectors.
fn pairs(labels: &BTreeMap<String, String>) -> String {
    labels.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",")
}

/// `Deployment "web"`: how messages name the object that makes a pod.
fn owner(p: &PodSource<'_>) -> String {
    format!("{} {:?}", p.manifest.object.kind(), p.manifest.object.meta().name)
}
