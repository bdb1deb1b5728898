//! The one door into the engine for every shell: a [`PlanRequest`] goes in, a [`PlanReport`] comes out, and the
//! report says how the command ends ([`PlanReport::exit_code`]).
//!
//! The CLI, the WASM binding, the language server (through lint) and the benchmarks all plan through here, and
//! every view (JSON, YAML, tables, the rollout timeline, `explain`, `history`, lint's findings on a plan)
//! renders a report, never the cluster. What the cluster model looks like inside is the driver's business: the
//! report is made from it in one place ([`report`]), so the model can change without the views noticing.

pub mod report;

use crate::input::{Loaded, ParseCache, Source};
use crate::plan::PlanInput;
use crate::sim::steps::Step;

pub use crate::plan::PlanOptions;
pub use crate::sim::Budget;
pub use report::{Objects, PlanReport};

/// What to plan: the inputs, in the order a cluster receives them, and how much detail to keep.
///
/// Every field has a default, so a request names only what it uses (`..Default::default()`), and an input added
/// later (a scheduler configuration, say) changes no caller.
#[derive(Clone, Debug, Default)]
pub struct PlanRequest {
    /// The cluster's nodes (`kubectl get nodes -o yaml`), applied first.
    pub nodes: Vec<Source>,
    /// The objects the cluster starts with (nodes may be among them), applied in order after `nodes`.
    pub manifests: Vec<Source>,
    /// Objects applied as updates of the same objects once the cluster settled (`--update`).
    pub update: Vec<Source>,
    /// Actions applied one by one afterwards, each then settled (`--steps`).
    pub steps: Option<Source>,
    /// Files the steps name (`apply: {file: x.yaml}`).
    pub files: Vec<Source>,
    pub options: PlanOptions,
}

impl PlanRequest {
    /// The request as the driver takes it: the nodes are the first manifests.
    fn into_input(self) -> (PlanInput, PlanOptions) {
        let PlanRequest { mut nodes, manifests, update, steps, files, options } = self;
        nodes.extend(manifests);
        (PlanInput { manifests: nodes, update, steps, files }, options)
    }
}

/// How a command ends, as its process exit status says it. Ordered by gravity: a command that has several
/// outcomes ends with the gravest ([`Ord::max`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ExitCode {
    /// Done: planned, nothing refused, no findings at the threshold.
    Ok = 0,
    /// Done, with something to look at: the API server would refuse an object (plan), a finding at or above the
    /// threshold (lint), kubectl would fail (`history`, `explain`).
    Findings = 1,
    /// The input could not be used as a whole: a syntax or type error, an unknown kind, an unreadable file, a
    /// bad argument.
    Unusable = 2,
}

impl ExitCode {
    /// The process exit status.
    pub fn code(self) -> i32 {
        self as i32
    }

    /// [`ExitCode::Findings`] when `found`, else [`ExitCode::Ok`].
    pub fn findings_if(found: bool) -> ExitCode {
        if found {
            ExitCode::Findings
        } else {
            ExitCode::Ok
        }
    }
}

/// kubeplan's version and the Kubernetes version it models, as `kubeplan version` prints it.
pub fn version() -> String {
    format!("kubeplan {} (Kubernetes v1.32)", env!("CARGO_PKG_VERSION"))
}

/// The files the `apply` steps of a steps file name, in order (none if the file does not parse: planning
/// reports that). A shell reads them from beside the steps file and passes them as [`PlanRequest::files`].
pub fn step_files(steps: &Source) -> Vec<String> {
    let steps = crate::sim::steps::parse(steps).unwrap_or_default();
    steps.into_iter().filter_map(|s| if let Step::Apply { file } = s { Some(file) } else { None }).collect()
}

/// Plan: load the inputs, apply them phase by phase and settle each phase; report what the cluster did.
pub fn plan(request: PlanRequest) -> PlanReport {
    let (input, options) = request.into_input();
    PlanReport::from(crate::plan::plan(&input, &options))
}

/// [`plan`], reading the nodes and manifests through `cache`: the documents it holds from the last plan given it
/// are not parsed again, and it is left this plan's ([`ParseCache`]). The same report as [`plan`].
pub fn plan_cached(request: PlanRequest, cache: &mut ParseCache) -> PlanReport {
    let (input, options) = request.into_input();
    let loaded = crate::input::load_applied_cached(&input.manifests, options.namespace.as_deref(), cache);
    PlanReport::from(crate::plan::plan_loaded(loaded, &input, &options))
}

/// [`plan`] with the nodes and manifests already read (`loaded`; the request's own are not read again): the
/// benchmark times reading and planning apart.
pub fn plan_loaded(loaded: Loaded, request: PlanRequest) -> PlanReport {
    let (input, options) = request.into_input();
    PlanReport::from(crate::plan::plan_loaded(loaded, &input, &options))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::core_v1::{Node, Pod};

    const NODE: &str = "apiVersion: v1\nkind: Node\nmetadata: {name: n1}\nstatus: {capacity: {cpu: '2', memory: 4Gi, pods: '110'}, conditions: [{type: Ready, status: 'True'}]}\n";
    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: i}]}\n";
    /// A Deployment whose selector does not match its template: validation refuses it.
    const REFUSED: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: other}}\n    spec: {containers: [{name: c, image: i}]}\n";

    fn request(manifests: &[(&str, &str)]) -> PlanRequest {
        PlanRequest { manifests: manifests.iter().map(|(n, t)| Source::new(*n, *t)).collect(), ..Default::default() }
    }

    #[test]
    fn a_plan_through_a_parse_cache_is_the_plan_without_one() {
        let nodes = (1..=3).map(|i| NODE.replace("n1", &format!("n{i}"))).collect::<Vec<_>>().join("---\n");
        let with = |pod: &str| PlanRequest {
            nodes: vec![Source::new("nodes.yaml", nodes.clone())],
            manifests: vec![Source::new("pods.yaml", pod)],
            ..Default::default()
        };
        let json = |r: &PlanReport| crate::output::json::to_string(r);
        let mut cache = ParseCache::default();
        // The first plan fills the cache (3 nodes, a pod), the second reads the nodes from it (the pod edited, and
        // a document that does not parse after it).
        for (pod, documents) in [(POD.to_owned(), 4), (POD.replace("name: p", "name: q") + "---\nkind: [\n", 5)] {
            assert_eq!(json(&plan_cached(with(&pod), &mut cache)), json(&plan(with(&pod))));
            assert_eq!(cache.len(), documents);
        }
    }

    #[test]
    fn exit_codes_order_by_gravity() {
        assert!(ExitCode::Ok < ExitCode::Findings && ExitCode::Findings < ExitCode::Unusable);
        assert_eq!([ExitCode::Ok, ExitCode::Findings, ExitCode::Unusable].map(ExitCode::code), [0, 1, 2]);
        assert_eq!(ExitCode::findings_if(true), ExitCode::Findings);
        assert_eq!(ExitCode::findings_if(false), ExitCode::Ok);
    }

    #[test]
    fn a_plan_with_nothing_refused_exits_0() {
        let r = plan(request(&[("a.yaml", NODE), ("b.yaml", POD)]));
        assert_eq!(r.exit_code(), ExitCode::Ok);
        assert_eq!(r.objects().list::<Pod>().filter(|p| p.spec.node_name == "n1").count(), 1);
    }

    #[test]
    fn a_refused_object_exits_1() {
        let r = plan(request(&[("a.yaml", NODE), ("web.yaml", REFUSED)]));
        assert_eq!(r.rejections().len(), 1);
        assert_eq!(r.exit_code(), ExitCode::Findings);
    }

    #[test]
    fn unusable_input_exits_2_and_outweighs_a_refusal() {
        let r = plan(request(&[("bad.yaml", "kind: Node\nmetadata: {name: [\n"), ("web.yaml", REFUSED)]));
        assert!(!r.rejections().is_empty(), "the rest is still planned");
        assert_eq!(r.exit_code(), ExitCode::Unusable);
        let unknown = plan(request(&[("x.yaml", "apiVersion: v1\nkind: Frobnicator\nmetadata: {name: x}\n")]));
        assert_eq!(unknown.exit_code(), ExitCode::Unusable);
    }

    #[test]
    fn a_broken_steps_file_exits_2() {
        let mut r = request(&[("a.yaml", NODE)]);
        r.steps = Some(Source::new("steps.yaml", "- action: frobnicate\n"));
        assert_eq!(plan(r).exit_code(), ExitCode::Unusable);
    }

    #[test]
    fn a_command_reading_the_plan_keeps_its_own_outcome_unless_the_input_was_unusable() {
        let refused = plan(request(&[("web.yaml", REFUSED)]));
        assert_eq!(refused.exit_code_for(ExitCode::Ok), ExitCode::Ok, "a refusal is not the command's failure");
        assert_eq!(refused.exit_code_for(ExitCode::Findings), ExitCode::Findings);
        let broken = plan(request(&[("bad.yaml", "kind: [\n")]));
        assert_eq!(broken.exit_code_for(ExitCode::Ok), ExitCode::Unusable);
        assert_eq!(broken.exit_code_for(ExitCode::Findings), ExitCode::Unusable);
    }

    #[test]
    fn nodes_are_applied_before_the_manifests() {
        // The logical clock stamps objects in the order they are created.
        let r = plan(PlanRequest { nodes: vec![Source::new("nodes.yaml", NODE)], ..request(&[("pod.yaml", POD)]) });
        let node = r.objects().list::<Node>().next().expect("the node");
        let pod = r.objects().get::<Pod>("default", "p").expect("the pod");
        assert!(crate::cluster::Store::creation_index(&node.metadata) < crate::cluster::Store::creation_index(&pod.metadata));
        assert_eq!(pod.spec.node_name, "n1");
    }
}
