//! What one plan may cost, and what the driver cut when the input asked for more.
//!
//! A real cluster takes a Deployment of a million replicas and works on it for hours; a planner has to answer.
//! The driver keeps a [`Budget`] (data, overridable: `--max-pods`, `--max-objects`, `--max-rounds`, and the same
//! fields of the npm options) and a [`Ledger`] of what the applied input asks for. What does not fit is cut
//! where it enters the plan, whole, and recorded as a typed [`Cut`] located at the field that asked for it:
//!
//! - **pods**: the pods the input's workloads ask for in all (`spec.replicas` of Deployments, ReplicaSets and
//!   StatefulSets, a Job's `spec.completions` or else `spec.parallelism`, one per Pod). A workload that would
//!   take the total past the budget is left out of the plan rather than planned in part (a Deployment with a
//!   fraction of its replicas would be a plan of something else), and everything else is planned. Pods the
//!   cluster makes on its own account (a DaemonSet's one per node) are bounded by the nodes, which are objects;
//!   should the cluster still hold more pods than the budget after a round, the phase stops there.
//! - **objects**: input objects applied in all phases (each document or `List` item); later ones are not applied.
//! - **rounds**: rounds one phase may run before it is cut short (a plan that does not settle).
//!
//! The defaults leave room for the largest scenarios of `../shared/bench` (150,000 pods over 5,000 nodes; a
//! DaemonSet over 130,000 nodes) and answer within seconds otherwise.

use std::collections::BTreeMap;

use crate::api::{GroupKind, Object};
use crate::diag::{Diagnostic, Span};
use crate::input::{Loaded, Manifest};

/// The limits of one plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    /// Pods the input's workloads may ask for in all, and pods the cluster may hold after a round.
    pub pods: u64,
    /// Input objects applied in all phases.
    pub objects: u64,
    /// Rounds one phase may run.
    pub rounds: u32,
}

impl Budget {
    pub const DEFAULT_PODS: u64 = 200_000;
    pub const DEFAULT_OBJECTS: u64 = 250_000;
    pub const DEFAULT_ROUNDS: u32 = 10_000;
}

impl Default for Budget {
    fn default() -> Self {
        Budget { pods: Budget::DEFAULT_PODS, objects: Budget::DEFAULT_OBJECTS, rounds: Budget::DEFAULT_ROUNDS }
    }
}

/// Something the budget kept out of the plan, where and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cut {
    /// A workload asked for `asked` pods where only `left` of the budget remained: it was not applied.
    Workload { phase: String, kind: &'static str, namespace: String, name: String, field: &'static str, asked: u64, left: u64, limit: u64, file: String, span: Span },
    /// The input objects from the `limit`-th on were not applied (`skipped` of them, the first at `file`/`span`).
    Objects { phase: String, limit: u64, skipped: u64, file: String, span: Span },
    /// A phase still changed the cluster after `limit` rounds, or held `pods` pods past the pod budget: it
    /// stopped there, and later phases did not run.
    Phase { phase: String, round: u32, reason: PhaseLimit },
}

/// Which budget stopped a phase.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhaseLimit {
    Rounds { limit: u32 },
    Pods { pods: u64, limit: u64 },
}

impl Cut {
    /// The cut as a located error of the plan (rule id `budget`).
    pub fn diagnostic(&self) -> Diagnostic {
        match self {
            Cut::Workload { phase, kind, namespace, name, field, asked, left, limit, file, span } => {
                let object = if namespace.is_empty() { format!("{kind} {name}") } else { format!("{kind} {namespace}/{name}") };
                let room = if left == limit {
                    format!("more than the plan's budget of {limit} pods")
                } else {
                    format!("but only {left} of the plan's budget of {limit} pods remain")
                };
                Diagnostic::error(
                    "budget",
                    file,
                    *span,
                    format!(
                        "{object} asks for {asked} pods ({field}), {room}: it was left out of the plan (phase {phase}); \
                         raise the budget with --max-pods to plan it"
                    ),
                )
            }
            Cut::Objects { phase, limit, skipped, file, span } => Diagnostic::error(
                "budget",
                file,
                *span,
                format!(
                    "the plan's budget of {limit} input objects is spent: this object and {} more were not applied \
                     (phase {phase}); raise the budget with --max-objects to plan them",
                    skipped - 1
                ),
            ),
            Cut::Phase { phase, round, reason } => {
                let why = match reason {
                    PhaseLimit::Rounds { limit } => format!("the cluster still changed after {limit} rounds (--max-rounds)"),
                    PhaseLimit::Pods { pods, limit } => format!("the cluster held {pods} pods, more than the plan's budget of {limit} (--max-pods)"),
                };
                Diagnostic::error(
                    "budget",
                    "",
                    Span::default(),
                    format!("phase {phase} stopped at round {round}: {why}; the plan shows the cluster as it was then, and later phases were not run"),
                )
            }
        }
    }
}

/// What the applied input asks for so far, against the budget.
#[derive(Clone, Debug, Default)]
pub struct Ledger {
    pub budget: Budget,
    /// Pods asked for by each applied workload (by kind, namespace, name): an update replaces its entry.
    asked: BTreeMap<(GroupKind, String, String), u64>,
    pods: u64,
    objects: u64,
    pub cuts: Vec<Cut>,
}

impl Ledger {
    pub fn new(budget: Budget) -> Ledger {
        Ledger { budget, ..Ledger::default() }
    }

    /// Whether the input object `m` fits in what remains of the budget; when it does not, the cut is recorded
    /// and the caller does not apply it.
    pub fn admit(&mut self, m: &Manifest, phase: &str) -> bool {
        if self.objects >= self.budget.objects {
            self.cut_object(m, phase);
            return false;
        }
        let meta = m.object.meta();
        let key = (m.object.group_kind(), meta.namespace.clone(), meta.name.clone());
        let Some((asked, field)) = pods_asked(&m.object) else {
            self.objects += 1;
            return true;
        };
        let before = self.asked.get(&key).copied().unwrap_or(0);
        let others = self.pods - before;
        let left = self.budget.pods.saturating_sub(others);
        if asked > left {
            self.cuts.push(Cut::Workload {
                phase: phase.to_owned(),
                kind: m.object.group_kind().kind(),
                namespace: meta.namespace.clone(),
                name: meta.name.clone(),
                field,
                asked,
                left,
                limit: self.budget.pods,
                file: m.file.to_string(),
                span: m.span_of(field),
            });
            return false;
        }
        self.objects += 1;
        self.pods = others + asked;
        self.asked.insert(key, asked);
        true
    }

    /// Keep of what was read only the objects the budget admits ([`Ledger::admit`]), in order.
    pub fn admit_loaded(&mut self, loaded: &mut Loaded, phase: &str) {
        loaded.manifests.retain(|m| self.admit(m, phase));
    }

    fn cut_object(&mut self, m: &Manifest, phase: &str) {
        if let Some(Cut::Objects { skipped, .. }) = self.cuts.iter_mut().find(|c| matches!(c, Cut::Objects { .. })) {
            *skipped += 1;
            return;
        }
        let file = m.file.to_string();
        let span = m.span_of("metadata.name");
        self.cuts.push(Cut::Objects { phase: phase.to_owned(), limit: self.budget.objects, skipped: 1, file, span });
    }

    /// Whether a phase was stopped: later phases do not run.
    pub fn stopped(&self) -> bool {
        self.cuts.iter().any(|c| matches!(c, Cut::Phase { .. }))
    }
}

/// The pods an input object asks for, and the field that says so; `None` for objects that ask for none (a
/// DaemonSet's pods follow the nodes, which are objects themselves).
fn pods_asked(object: &Object) -> Option<(u64, &'static str)> {
    let count = |n: Option<i32>| u64::try_from(n.unwrap_or(1)).unwrap_or(0);
    match object {
        Object::Pod(_) => Some((1, "metadata.name")),
        Object::Deployment(d) => Some((count(d.spec.replicas), "spec.replicas")),
        Object::ReplicaSet(r) => Some((count(r.spec.replicas), "spec.replicas")),
        Object::StatefulSet(s) => Some((count(s.spec.replicas), "spec.replicas")),
        Object::Job(j) => match j.spec.completions {
            Some(c) => Some((count(Some(c)), "spec.completions")),
            None => Some((count(j.spec.parallelism), "spec.parallelism")),
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{load, Source};

    fn manifests(yaml: &str) -> Vec<Manifest> {
        load(&[Source::new("m.yaml", yaml)]).manifests
    }

    const WEB: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 1000000\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: c, image: 'web:1'}]\n";

    #[test]
    fn a_workload_past_the_pod_budget_is_cut_at_its_replicas() {
        let ms = manifests(WEB);
        let mut ledger = Ledger::new(Budget { pods: 10, ..Budget::default() });
        assert!(!ledger.admit(&ms[0], "initial"));
        let d = ledger.cuts[0].diagnostic();
        assert_eq!((d.file.as_str(), d.span.start.line, d.span.start.col), ("m.yaml", 5, 13));
        assert!(d.message.contains("Deployment default/web asks for 1000000 pods (spec.replicas)"), "{}", d.message);
        assert!(d.message.contains("--max-pods"));
    }

    #[test]
    fn an_update_replaces_what_the_workload_asked_for() {
        let small = WEB.replace("1000000", "6");
        let ms = manifests(&small);
        let mut ledger = Ledger::new(Budget { pods: 10, ..Budget::default() });
        assert!(ledger.admit(&ms[0], "initial"));
        assert!(ledger.admit(&ms[0], "update"), "6 replacing 6 fits in 10");
        let more = manifests(&WEB.replace("1000000", "10"));
        assert!(ledger.admit(&more[0], "update"));
        assert!(ledger.cuts.is_empty());
    }

    #[test]
    fn objects_past_the_budget_are_counted_in_one_cut() {
        let ms = manifests("{apiVersion: v1, kind: Namespace, metadata: {name: a}}\n---\n{apiVersion: v1, kind: Namespace, metadata: {name: b}}\n---\n{apiVersion: v1, kind: Namespace, metadata: {name: c}}\n");
        let mut ledger = Ledger::new(Budget { objects: 1, ..Budget::default() });
        let admitted: Vec<bool> = ms.iter().map(|m| ledger.admit(m, "initial")).collect();
        assert_eq!(admitted, [true, false, false]);
        assert_eq!(ledger.cuts.len(), 1);
        let d = ledger.cuts[0].diagnostic();
        assert_eq!(d.span.start.line, 3);
        assert!(d.message.contains("this object and 1 more were not applied"), "{}", d.message);
    }
}
