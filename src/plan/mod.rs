//! A plan: the manifests applied to a cluster and settled, then the update and the steps, each settled in turn.

pub mod steps;

use crate::api::{GroupKind, Object};
use crate::cluster::{ApiError, Cluster, Rejection};
use crate::diag::{Diagnostic, Severity};
use crate::input::{self, Manifest, Source};

/// What to plan.
#[derive(Clone, Debug, Default)]
pub struct PlanInput {
    /// The objects (nodes and workloads) the cluster starts with, applied in order.
    pub manifests: Vec<Source>,
    /// Objects applied afterwards as updates of the same objects (`--update`).
    pub update: Vec<Source>,
    /// Actions applied one by one afterwards (`--steps`); files they name are looked up in `files`.
    pub steps: Option<Source>,
    /// Files that steps may refer to by name (`apply: {file: x.yaml}`).
    pub files: Vec<Source>,
}

#[derive(Clone, Debug, Default)]
pub struct PlanOptions {
    /// Keep every examined node's verdict in the placements (for `explain` and the playground).
    pub verdicts: bool,
    /// How many per-node rows (scores and rejected verdicts) the placements may keep in all before later
    /// decisions keep only their summary; `None` is [`DEFAULT_DETAIL_BUDGET`]. See [`crate::scheduler::Retention`].
    pub detail_budget: Option<usize>,
    /// Pods (`namespace/name`) whose decisions keep every row whatever the budget (`kubeplan explain POD`).
    pub detail_pods: Vec<String>,
}

pub use crate::scheduler::DEFAULT_DETAIL_BUDGET;

impl PlanOptions {
    fn retention(&self) -> crate::scheduler::Retention {
        crate::scheduler::Retention {
            budget: self.detail_budget.unwrap_or(DEFAULT_DETAIL_BUDGET),
            pods: self.detail_pods.iter().cloned().collect(),
            used: 0,
            summarised: 0,
        }
    }
}

/// The result of planning.
#[derive(Debug)]
pub struct Plan {
    pub cluster: Cluster,
    /// Problems with the input itself (syntax, types, unknown kinds), located.
    pub diagnostics: Vec<Diagnostic>,
}

impl Plan {
    pub fn rejections(&self) -> &[Rejection] {
        &self.cluster.rec.rejections
    }

    /// Whether the input had errors that kept some of it from being planned (exit status 2).
    pub fn input_unusable(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == Severity::Error)
    }
}

/// Plan: load, apply, settle; then update and steps.
pub fn plan(input: &PlanInput, options: &PlanOptions) -> Plan {
    plan_loaded(input::load(&input.manifests), input, options)
}

/// [`plan`] with `input.manifests` already read (`loaded`): the benchmark times reading and planning apart.
pub fn plan_loaded(loaded: input::Loaded, input: &PlanInput, options: &PlanOptions) -> Plan {
    let mut cluster = Cluster::new();
    cluster.scheduler.record_verdicts = options.verdicts;
    cluster.scheduler.retention = options.retention();
    let mut diagnostics = Vec::new();

    cluster.begin_phase("initial");
    diagnostics.extend(loaded.diagnostics);
    for m in &loaded.manifests {
        apply_create(&mut cluster, m, true);
    }
    // The documents' located trees are only needed to point rejections at fields: free them before the rounds
    // (for 130,000 nodes they weigh more than the cluster).
    drop(loaded.manifests);
    cluster.settle();

    if !input.update.is_empty() {
        cluster.begin_phase("update");
        let loaded = input::load(&input.update);
        diagnostics.extend(loaded.diagnostics);
        for m in &loaded.manifests {
            apply(&mut cluster, m);
        }
        cluster.settle();
    }

    if let Some(src) = &input.steps {
        match steps::parse(src) {
            Ok(list) => {
                for (i, step) in list.iter().enumerate() {
                    cluster.begin_phase(&format!("step{}:{}", i + 1, step.action_name()));
                    steps::perform(&mut cluster, step, input, &mut diagnostics);
                    cluster.settle();
                }
            }
            Err(d) => diagnostics.extend(d),
        }
    }
    Plan { cluster, diagnostics }
}

/// Create an input object; a refusal becomes a rejection of the current phase.
pub fn apply_create(cluster: &mut Cluster, m: &Manifest, record_defaults: bool) {
    cluster.rec.begin_request();
    match cluster.create(m.object.clone()) {
        Ok(stored) => {
            if record_defaults {
                let phase = cluster.rec.phase.clone();
                cluster.defaulted.push((phase, stored.to_json()));
            }
        }
        Err(e) => reject(cluster, m, &e),
    }
}

/// `kubectl apply`: update the object when it exists, else create it.
pub fn apply(cluster: &mut Cluster, m: &Manifest) {
    let gk = m.object.group_kind();
    let meta = m.object.meta();
    if !cluster.store.exists(gk, &meta.namespace, &meta.name) {
        apply_create(cluster, m, true);
        return;
    }
    match cluster.update(m.object.clone()) {
        Ok(stored) => {
            let phase = cluster.rec.phase.clone();
            cluster.defaulted.push((phase, stored.to_json()));
        }
        Err(e) => reject(cluster, m, &e),
    }
}

fn reject(cluster: &mut Cluster, m: &Manifest, e: &ApiError) {
    let meta = m.object.meta();
    let span = rejection_span(m, e);
    let message = match e {
        // The document knows what the typed object cannot: whether a map was written `{}` or left out.
        ApiError::Invalid(_, errors) if !errors.is_empty() => {
            let mut errors = errors.clone();
            crate::apiserver::validation::refine_with_source(&mut errors, &m.tree);
            crate::apiserver::validation::invalid_message(&m.object, &errors)
        }
        other => other.to_string(),
    };
    cluster.rec.rejections.push(Rejection {
        phase: cluster.rec.phase.clone(),
        kind: m.object.group_kind().kind().to_owned(),
        namespace: if m.object.group_kind().namespaced() { meta.namespace.clone() } else { String::new() },
        name: meta.name.clone(),
        message,
        file: Some(m.file.to_string()),
        line: Some(span.start.line),
        column: Some(span.start.col),
    });
}

/// Where a rejection points: the first field named in an `is invalid: <path>: ...` message, else the object.
fn rejection_span(m: &Manifest, e: &ApiError) -> crate::diag::Span {
    if let ApiError::Invalid(msg, _) = e {
        if let Some(rest) = msg.split_once("is invalid: ").map(|(_, r)| r.trim_start_matches('[')) {
            if let Some((path, _)) = rest.split_once(": ") {
                return m.span_of(path);
            }
        }
    }
    m.tree.span
}

/// Look up a stored object for a step.
pub fn stored(cluster: &Cluster, kind: GroupKind, namespace: &str, name: &str) -> Option<Object> {
    cluster.store.get(kind, namespace, name)
}
