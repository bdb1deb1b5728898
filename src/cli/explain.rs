//! `kubeplan explain POD FILE... [--update F] [--steps F]`: every scheduling decision about one pod.

use lexopt::prelude::*;

use crate::{plan, PlanOptions};

use super::args::{string, Format, PlanArgs};
use super::{read_plan_input, Io, Outcome, EXIT_FINDINGS, EXIT_OK, EXIT_UNUSABLE};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExplainArgs {
    /// `namespace/name`, or `name` in `default`.
    pub pod: String,
    pub files: Vec<String>,
    pub update: Option<String>,
    pub steps: Option<String>,
}

pub fn parse(p: &mut lexopt::Parser) -> Result<ExplainArgs, String> {
    let mut pod = None;
    let mut a = ExplainArgs { pod: String::new(), files: Vec::new(), update: None, steps: None };
    while let Some(arg) = p.next().map_err(|e| e.to_string())? {
        match arg {
            Long("update") => a.update = Some(string(p)?),
            Long("steps") => a.steps = Some(string(p)?),
            Value(v) => {
                let v = v.string().map_err(|e| e.to_string())?;
                if pod.is_none() {
                    pod = Some(v);
                } else {
                    a.files.push(v);
                }
            }
            other => return Err(other.unexpected().to_string()),
        }
    }
    a.pod = pod.ok_or("explain needs a pod (NAMESPACE/NAME or NAME) and at least one manifest file")?;
    if a.files.is_empty() {
        return Err("explain needs at least one manifest file, directory or - after the pod".into());
    }
    Ok(a)
}

pub fn run(a: &ExplainArgs, io: &mut dyn Io) -> Outcome {
    let plan_args =
        PlanArgs { files: a.files.clone(), update: a.update.clone(), steps: a.steps.clone(), output: Format::Table };
    let input = match read_plan_input(&plan_args, io) {
        Ok(i) => i,
        Err(e) => return Outcome { stderr: format!("error: {e}\n"), code: EXIT_UNUSABLE, ..Default::default() },
    };
    let (namespace, name) = crate::output::explain::pod_ref(&a.pod);
    // The pod asked about keeps every node's scores and verdicts however large the plan.
    let options = PlanOptions { verdicts: true, detail_pods: vec![format!("{namespace}/{name}")], ..Default::default() };
    let plan = plan(&input, &options);
    let mut out = Outcome::default();
    for d in &plan.diagnostics {
        out.stderr.push_str(&format!("{d}\n"));
    }
    match crate::output::explain::render(&plan, &namespace, &name) {
        Ok(text) => {
            out.stdout = text;
            out.code = EXIT_OK;
        }
        Err(e) => {
            out.stderr.push_str(&format!("error: {e}\n"));
            out.code = EXIT_FINDINGS;
        }
    }
    if plan.input_unusable() {
        out.code = EXIT_UNUSABLE;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pod_first_then_files() {
        let mut p = lexopt::Parser::from_args(["kube-system/x", "a.yaml", "b", "--steps", "s.yaml"]);
        let a = parse(&mut p).unwrap();
        assert_eq!(a.pod, "kube-system/x");
        assert_eq!(a.files, ["a.yaml", "b"]);
        assert_eq!(a.steps.as_deref(), Some("s.yaml"));
        let mut p = lexopt::Parser::from_args(["x"]);
        assert!(parse(&mut p).is_err());
    }
}
