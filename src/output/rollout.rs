//! The rollout timeline (`--output rollout`): phase by phase and round by round, what happened to which pod (created,
//! bound, started, deleted; on which node; by which owner), then the lines `kubectl rollout status` would print for
//! each workload whose rollout is in progress; and the rollouts that cannot finish, where they stopped and why.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::facade::report::{Action, Op, RolloutLine, Stall, StallKind};
use crate::facade::PlanReport;

use super::grid::Table;

pub fn render(report: &PlanReport) -> String {
    let stalls = report.stalls();

    // Actions and status lines by phase and round.
    let mut rounds: BTreeMap<(usize, u32), (Vec<&Action>, Vec<&RolloutLine>)> = BTreeMap::new();
    let phase_index = |p: &str| report.phases().iter().position(|x| x == p).unwrap_or(usize::MAX);
    for step in report.steps() {
        rounds.entry((phase_index(&step.phase), step.round)).or_default().0.extend(step.actions.iter());
    }
    for line in report.rollout() {
        rounds.entry((phase_index(&line.phase), line.round)).or_default().1.push(line);
    }

    let mut out = String::new();
    for (i, phase) in report.phases().iter().enumerate() {
        let _ = writeln!(out, "Phase {phase}");
        for r in report.rejections().iter().filter(|r| r.phase == *phase) {
            let ns = if r.namespace.is_empty() { String::new() } else { format!("{}/", r.namespace) };
            let _ = writeln!(out, "  rejected {} {ns}{}: {}", r.kind, r.name, r.message);
        }
        let mut any = false;
        for ((_, round), (actions, status)) in rounds.range((i, 0)..=(i, u32::MAX)) {
            any = true;
            let _ = writeln!(out, "  Round {round}");
            if !actions.is_empty() {
                let mut t = Table::new(&["ACTION", "POD", "NODE", "OWNER"]);
                for a in actions {
                    t.row(vec![
                        op_name(a.op).into(),
                        format!("{}/{}", a.namespace, a.name),
                        a.node.clone().unwrap_or_else(|| "<none>".into()),
                        a.owner.clone().unwrap_or_else(|| "<none>".into()),
                    ]);
                }
                indent(&mut out, &t, "    ");
            }
            if !status.is_empty() {
                out.push_str("    kubectl rollout status:\n");
                let mut t = Table::new(&[]);
                for l in status {
                    t.row(vec![l.resource.clone(), l.message.clone()]);
                }
                indent_rows(&mut out, &t, "      ");
            }
            for s in stalls.iter().filter(|s| s.phase == *phase && s.round == *round) {
                let _ = writeln!(out, "    {} stops progressing here (see Stalled rollouts)", s.resource);
            }
        }
        if !any {
            out.push_str("  nothing happened\n");
        }
        out.push('\n');
    }
    render_stalls(stalls, &mut out);
    if out.is_empty() {
        out.push_str("No phases.\n");
    }
    out
}

fn op_name(op: Op) -> &'static str {
    match op {
        Op::Create => "create",
        Op::Delete => "delete",
        Op::Bind => "bind",
        Op::Running => "running",
        Op::Succeeded => "succeeded",
        Op::Failed => "failed",
    }
}

fn indent(out: &mut String, t: &Table, prefix: &str) {
    let mut s = String::new();
    t.render(&mut s);
    for line in s.lines() {
        let _ = writeln!(out, "{prefix}{line}");
    }
}

/// A table without a header row.
fn indent_rows(out: &mut String, t: &Table, prefix: &str) {
    let mut s = String::new();
    t.render(&mut s);
    for line in s.lines().skip(1) {
        let _ = writeln!(out, "{prefix}{line}");
    }
}

/// The rollouts that cannot finish: where each stopped progressing, what `kubectl rollout status` keeps
/// printing, and why. Shared by the table and rollout outputs.
pub fn render_stalls(stalls: &[Stall], out: &mut String) {
    render_stalls_up_to(stalls, usize::MAX, out);
}

/// [`render_stalls`] listing, per rollout, at most `per_group` reasons of one kind and scheduler message, then
/// how many more there are: the summarised table's, where a Deployment with thousands of Pending pods would
/// otherwise print a line for each.
pub fn render_stalls_up_to(stalls: &[Stall], per_group: usize, out: &mut String) {
    if stalls.is_empty() {
        return;
    }
    out.push_str("Stalled rollouts:\n");
    for s in stalls {
        let _ = writeln!(
            out,
            "  {} (namespace {}) stopped progressing in phase {}, round {}",
            s.resource, s.namespace, s.phase, s.round
        );
        let _ = writeln!(out, "    kubectl rollout status: {}", s.status);
        // Reasons seen per (kind, scheduler message), in the order each first occurs.
        let mut groups: Vec<((StallKind, Option<&str>), usize)> = Vec::new();
        for r in &s.reasons {
            let key = (r.reason, r.scheduler_message.as_deref());
            let i = groups.iter().position(|(k, _)| *k == key).unwrap_or_else(|| {
                groups.push((key, 0));
                groups.len() - 1
            });
            groups[i].1 += 1;
            if groups[i].1 > per_group {
                continue;
            }
            let _ = writeln!(out, "    - {:?}: {}", r.reason, r.message);
            if let (Some(m), false) = (&r.scheduler_message, r.reason == StallKind::PodPending) {
                let _ = writeln!(out, "      scheduler: {m}");
            }
        }
        for ((kind, _), n) in groups.iter().filter(|(_, n)| *n > per_group) {
            let _ = writeln!(out, "    - {kind:?}: {} more like the above (-o wide lists each)", n - per_group);
        }
    }
    out.push('\n');
}
