//! A plan: the manifests applied to a cluster and settled, then the update and the steps, each settled in turn.

use crate::cluster::{Cluster, Rejection};
use crate::controller::Controllers;
use crate::diag::{Diagnostic, Severity};
use crate::input::{self, Source};
use crate::scheduler::Scheduler;
use crate::sim::{steps, Budget, Simulation};

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
    /// What the plan may cost (pods, input objects, rounds per phase); see [`crate::sim::Budget`].
    pub budget: Budget,
    /// kubectl's `-n/--namespace`: the namespace of the namespaced objects of the manifests and of `--update`
    /// that name none; one that names another is refused ([`input::load_in`]). `None`: `default`.
    pub namespace: Option<String>,
    /// Run the kubelet's admission checks ([`crate::kubelet::admission`]): a pod that names a node it does not fit
    /// is Failed (`OutOfcpu`, ...), as a v1.32 kubelet does. Off by default: the conformance model's kubelet runs
    /// such pods without admission checks.
    pub kubelet_admission: bool,
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
    /// The cluster as the last phase left it, with everything recorded on the way.
    pub cluster: Cluster,
    /// The scheduler's state at the end, with its decisions ([`crate::scheduler::Scheduler::placements`]).
    pub scheduler: Scheduler,
    /// The controllers' state at the end, with their decisions (the nodes each DaemonSet runs no pod on, and why).
    pub controllers: Controllers,
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
    plan_loaded(input::load_applied(&input.manifests, options.namespace.as_deref()), input, options)
}

/// [`plan`] with `input.manifests` already read (`loaded`): the benchmark times reading and planning apart.
pub fn plan_loaded(loaded: input::Loaded, input: &PlanInput, options: &PlanOptions) -> Plan {
    let mut sim = Simulation::new();
    sim.scheduler.record_verdicts = options.verdicts;
    sim.scheduler.retention = options.retention();
    sim.ledger.budget = options.budget;
    sim.kubelet.admission = options.kubelet_admission;
    let mut diagnostics = Vec::new();
    sim.initial(loaded, &mut diagnostics);

    if !input.update.is_empty() {
        let loaded = input::load_applied(&input.update, options.namespace.as_deref());
        diagnostics.extend(loaded.scheduler_configurations.iter().map(configuration_ignored));
        sim.update(loaded, &mut diagnostics);
    }

    if let Some(src) = &input.steps {
        match steps::parse(src) {
            Ok(list) => {
                for (i, step) in list.iter().enumerate() {
                    sim.step(i + 1, step, &input.files, &src.name, &mut diagnostics);
                }
            }
            Err(d) => diagnostics.extend(d),
        }
    }
    diagnostics.extend(sim.ledger.cuts.iter().map(|c| c.diagnostic()));
    let Simulation { cluster, mut scheduler, controllers, .. } = sim;
    // The snapshot is the scheduler's cache for the rounds to come, which a plan has no more of, and nothing
    // reports from it. It holds every assigned pod as the scheduler last saw it, bound and not yet started: since
    // the kubelet wrote each pod again, a second copy of nearly every pod, kept until the plan's output is written.
    scheduler.snapshot = None;
    Plan { cluster, scheduler, controllers, diagnostics }
}

/// A configuration document after the start: kube-scheduler reads its configuration once.
fn configuration_ignored(doc: &input::Document) -> Diagnostic {
    Diagnostic::warning(
        "scheduler-config-ignored",
        &doc.file,
        doc.tree.span,
        "KubeSchedulerConfiguration ignored: kube-scheduler reads its configuration once, when it starts (give it with the initial manifests)",
    )
}
