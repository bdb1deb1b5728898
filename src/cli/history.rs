//! `kubeplan history FILE... [--update F] [--steps F] [--kind K [--name N] [--namespace NS]] [--revision N]`:
//! what `kubectl rollout history` prints after the plan.

use lexopt::prelude::*;

use crate::api::GroupKind;
use crate::output::history::{self, Selection};
use crate::{plan, PlanOptions};

use super::args::{string, Format, PlanArgs};
use super::{read_plan_input, Io, Outcome, EXIT_FINDINGS, EXIT_OK, EXIT_UNUSABLE};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryArgs {
    pub files: Vec<String>,
    pub update: Option<String>,
    pub steps: Option<String>,
    pub kind: Option<String>,
    pub name: Option<String>,
    pub namespace: Option<String>,
    pub revision: i64,
}

pub fn parse(p: &mut lexopt::Parser) -> Result<HistoryArgs, String> {
    let mut a = HistoryArgs {
        files: Vec::new(),
        update: None,
        steps: None,
        kind: None,
        name: None,
        namespace: None,
        revision: 0,
    };
    while let Some(arg) = p.next().map_err(|e| e.to_string())? {
        match arg {
            Long("update") => a.update = Some(string(p)?),
            Long("steps") => a.steps = Some(string(p)?),
            Long("kind") => a.kind = Some(string(p)?),
            Long("name") => a.name = Some(string(p)?),
            Long("namespace") | Short('n') => a.namespace = Some(string(p)?),
            Long("revision") => {
                let v = string(p)?;
                a.revision = v.parse().map_err(|_| format!("--revision {v:?}: expected a number"))?;
            }
            Value(v) => a.files.push(v.string().map_err(|e| e.to_string())?),
            other => return Err(other.unexpected().to_string()),
        }
    }
    if a.files.is_empty() {
        return Err("history needs at least one manifest file, directory or -".into());
    }
    if a.name.is_some() && a.kind.is_none() {
        return Err("history --name needs --kind".into());
    }
    if a.revision < 0 {
        return Err(format!("revision must be a positive integer: {}", a.revision));
    }
    Ok(a)
}

/// The kind a kubectl resource word names: `daemonset`, `daemonsets`, `ds`, `daemonsets.apps`, `DaemonSet`, ...
pub fn kind_of(word: &str) -> Option<GroupKind> {
    let w = word.to_lowercase();
    let short = match w.as_str() {
        "ds" => Some(GroupKind::DaemonSet),
        "deploy" => Some(GroupKind::Deployment),
        "sts" => Some(GroupKind::StatefulSet),
        "rs" => Some(GroupKind::ReplicaSet),
        "po" => Some(GroupKind::Pod),
        "no" => Some(GroupKind::Node),
        "ns" => Some(GroupKind::Namespace),
        "svc" => Some(GroupKind::Service),
        "pc" => Some(GroupKind::PriorityClass),
        _ => None,
    };
    short.or_else(|| {
        GroupKind::ALL.into_iter().find(|g| {
            let kind = g.kind().to_lowercase();
            let qualified =
                |base: &str| if g.group().is_empty() { base.to_owned() } else { format!("{base}.{}", g.group()) };
            [kind.clone(), g.resource().to_owned(), qualified(&kind), qualified(g.resource())].contains(&w)
        })
    })
}

pub fn run(a: &HistoryArgs, io: &mut dyn Io) -> Outcome {
    let plan_args =
        PlanArgs { files: a.files.clone(), update: a.update.clone(), steps: a.steps.clone(), output: Format::Table };
    let input = match read_plan_input(&plan_args, io) {
        Ok(i) => i,
        Err(e) => return Outcome { stderr: format!("error: {e}\n"), code: EXIT_UNUSABLE, ..Default::default() },
    };
    let kind = match a.kind.as_deref().map(|k| (k, kind_of(k))) {
        None => None,
        Some((_, Some(k))) => Some(k),
        Some((word, None)) => {
            return Outcome {
                stderr: format!("error: the server doesn't have a resource type {word:?}\n"),
                code: EXIT_FINDINGS,
                ..Default::default()
            }
        }
    };
    let plan = plan(&input, &PlanOptions::default());
    let mut out = Outcome::default();
    for d in &plan.diagnostics {
        out.stderr.push_str(&format!("{d}\n"));
    }
    let sel =
        Selection { kind, namespace: a.namespace.clone().unwrap_or_else(|| "default".into()), name: a.name.clone() };
    let h = history::render(&plan.cluster, &sel, a.revision);
    out.stdout = h.stdout.clone();
    out.code = EXIT_OK;
    if let Some(e) = h.error_message() {
        // API errors carry their own prefix; kubectl's own errors get `error: `.
        if e.starts_with("Error from server") {
            out.stderr.push_str(&format!("{e}\n"));
        } else {
            out.stderr.push_str(&format!("error: {e}\n"));
        }
        out.code = EXIT_FINDINGS;
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
    fn resource_words() {
        for w in ["ds", "DaemonSet", "daemonset", "daemonsets", "daemonsets.apps", "daemonset.apps"] {
            assert_eq!(kind_of(w), Some(GroupKind::DaemonSet), "{w}");
        }
        assert_eq!(kind_of("deploy"), Some(GroupKind::Deployment));
        assert_eq!(kind_of("statefulsets"), Some(GroupKind::StatefulSet));
        assert_eq!(kind_of("jobs.batch"), Some(GroupKind::Job));
        assert_eq!(kind_of("frobs"), None);
    }

    #[test]
    fn flags() {
        let args: Vec<String> =
            "a.yaml --kind ds --name x --namespace kube-system --revision 2".split(' ').map(String::from).collect();
        let mut p = lexopt::Parser::from_args(args);
        let h = parse(&mut p).unwrap();
        assert_eq!(h.kind.as_deref(), Some("ds"));
        assert_eq!(h.revision, 2);
        let mut p = lexopt::Parser::from_args(["a.yaml", "--name", "x"]);
        assert!(parse(&mut p).is_err());
        let mut p = lexopt::Parser::from_args(["a.yaml", "--revision", "-1"]);
        assert_eq!(parse(&mut p).unwrap_err(), "revision must be a positive integer: -1");
    }
}
