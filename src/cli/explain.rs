//! `kubeplan explain POD FILE... [--update F] [--steps F]`: every scheduling decision about one pod.

use crate::facade::{self, ExitCode, PlanOptions};

use super::args::{ExplainArgs, Format, PlanArgs};
use super::{read_plan_request, Io, Outcome};

pub fn run(a: &ExplainArgs, io: &mut dyn Io) -> Outcome {
    let plan_args =
        PlanArgs {
        files: a.files.clone(),
        update: a.update.clone(),
        steps: a.steps.clone(),
        output: Format::Table,
        budget: Default::default(),
        namespace: a.namespace.clone(),
        kubelet_admission: false,
    };
    let mut request = match read_plan_request(&plan_args, io) {
        Ok(r) => r,
        Err(e) => return Outcome::unusable(e),
    };
    let (namespace, name) = match (crate::output::explain::pod_ref(&a.pod), &a.namespace) {
        // A bare NAME is in `-n`'s namespace, as `kubectl get pod NAME -n NS`.
        ((_, name), Some(ns)) if !a.pod.contains('/') => (ns.clone(), name),
        (pod, _) => pod,
    };
    // The pod asked about keeps every node's scores and verdicts however large the plan.
    request.options = PlanOptions {
        verdicts: true,
        detail_pods: vec![format!("{namespace}/{name}")],
        namespace: a.namespace.clone(),
        ..Default::default()
    };
    let report = facade::plan(request);
    let mut out = Outcome::planned(&report);
    let outcome = match crate::output::explain::render(&report, &namespace, &name) {
        Ok(text) => {
            out.stdout = text;
            ExitCode::Ok
        }
        Err(e) => {
            out.stderr.push_str(&format!("error: {e}\n"));
            ExitCode::Findings
        }
    };
    out.code = report.exit_code_for(outcome).code();
    out
}
