//! `kubeplan history FILE... [--update F] [--steps F] [--kind K [--name N] [--namespace NS]] [--revision N]`:
//! what `kubectl rollout history` prints after the plan.

use crate::api::GroupKind;
use crate::facade::{self, ExitCode};
use crate::output::history::{self, Selection};

use super::args::{Format, HistoryArgs, PlanArgs};
use super::{read_plan_request, Io, Outcome};

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
        GroupKind::BUILTIN.iter().copied().find(|g| {
            let kind = g.kind().to_lowercase();
            let qualified =
                |base: &str| if g.group().is_empty() { base.to_owned() } else { format!("{base}.{}", g.group()) };
            [kind.clone(), g.resource().to_owned(), qualified(&kind), qualified(g.resource())].contains(&w)
        })
    })
}

pub fn run(a: &HistoryArgs, io: &mut dyn Io) -> Outcome {
    let plan_args =
        PlanArgs {
        files: a.files.clone(),
        update: a.update.clone(),
        steps: a.steps.clone(),
        output: Format::Table,
        budget: Default::default(),
        // `--namespace` says which workloads to show, as `kubectl rollout history -n`: the files are read as they are.
        namespace: None,
        kubelet_admission: false,
    };
    let request = match read_plan_request(&plan_args, io) {
        Ok(r) => r,
        Err(e) => return Outcome::unusable(e),
    };
    let kind = match a.kind.as_deref().map(|k| (k, kind_of(k))) {
        None => None,
        Some((_, Some(k))) => Some(k),
        Some((word, None)) => {
            return Outcome {
                stderr: format!("error: the server doesn't have a resource type {word:?}\n"),
                code: ExitCode::Findings.code(),
                ..Default::default()
            }
        }
    };
    let report = facade::plan(request);
    let mut out = Outcome::planned(&report);
    let sel =
        Selection { kind, namespace: a.namespace.clone().unwrap_or_else(|| "default".into()), name: a.name.clone() };
    let h = history::render(&report, &sel, a.revision);
    out.stdout = h.stdout.clone();
    let error = h.error_message();
    if let Some(e) = &error {
        // API errors carry their own prefix; kubectl's own errors get `error: `.
        if e.starts_with("Error from server") {
            out.stderr.push_str(&format!("{e}\n"));
        } else {
            out.stderr.push_str(&format!("error: {e}\n"));
        }
    }
    out.code = report.exit_code_for(ExitCode::findings_if(error.is_some())).code();
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
}
