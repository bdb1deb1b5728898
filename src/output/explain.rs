//! `kubeplan explain POD`: every scheduling decision about one pod, as a person reads it. First the scheduler
//! profile that decides for the pod, with its filter plugins and its score plugins' weights; then per
//! decision: the nodes a filter rejected (the first failing filter and its reasons, as the scheduler stops at
//! the first), the weighted score of every feasible node per score plugin and in total, the node chosen, the
//! nodes tied for the top score, the nodes never looked at (left out by PreFilter, or beyond the sample of nodes
//! the scheduler examines in a large cluster), and for a pod still Pending the scheduler's exact message.
//!
//! The plan must be run with `PlanOptions { verdicts: true }` so that rejected nodes are kept.

use std::collections::BTreeSet;
use std::fmt::Write;

use crate::api::core_v1::Pod;
use crate::facade::report::{ExtensionPoint, Framework, Placement};
use crate::facade::PlanReport;
use crate::api::GroupKind;

use super::grid::Table;

/// Split `namespace/name` (a bare name is in `default`).
pub fn pod_ref(arg: &str) -> (String, String) {
    match arg.split_once('/') {
        Some((ns, name)) => (ns.to_owned(), name.to_owned()),
        None => ("default".to_owned(), arg.to_owned()),
    }
}

/// The explanation, or why there is none (no such pod).
pub fn render(report: &PlanReport, namespace: &str, name: &str) -> Result<String, String> {
    let key = format!("{namespace}/{name}");
    let decisions: Vec<&Placement> = report.placements().iter().filter(|p| p.pod == key).collect();
    let pod = report.objects().get::<Pod>(namespace, name);
    if decisions.is_empty() {
        let Some(pod) = pod else {
            return Err(format!("pod {key} was never created in this plan, so the scheduler never saw it"));
        };
        return Ok(format!("Pod {key}: no scheduling decisions\n  {}\n", never_scheduled(report, pod)));
    }
    let mut out = String::new();
    let n = decisions.len();
    let _ = writeln!(out, "Pod {key}: {n} scheduling decision{}", if n == 1 { "" } else { "s" });
    if let Some(fw) = report.profiles().get(&decisions[0].profile) {
        profile(&mut out, fw);
    }
    for (i, p) in decisions.iter().enumerate() {
        out.push('\n');
        decision(&mut out, report, i + 1, p);
    }
    match pod {
        None => out.push_str("\nThe pod no longer exists at the end of the plan.\n"),
        Some(pod) if pod.spec.node_name.is_empty() => {
            let msg = pod
                .status
                .conditions
                .iter()
                .find(|c| c.r#type == "PodScheduled" && c.status == "False")
                .map(|c| c.message.clone())
                .or_else(|| decisions.last().and_then(|p| p.message.clone()))
                .unwrap_or_default();
            let _ = writeln!(out, "\nStill Pending: {msg}");
        }
        Some(pod) => {
            let _ = writeln!(out, "\nBound to {} at the end of the plan.", pod.spec.node_name);
        }
    }
    Ok(out)
}

/// The profile that decides for the pod: its filter plugins in order, its score plugins with their weights.
fn profile(out: &mut String, fw: &Framework) {
    let filters = fw.enabled().iter().find(|(p, _)| *p == ExtensionPoint::Filter).map(|(_, l)| l.join(", ")).unwrap_or_default();
    let scores: Vec<String> = fw.score_weights().iter().map(|(p, w)| format!("{p} {w}")).collect();
    let _ = writeln!(out, "Profile {}:", fw.profile_name());
    let _ = writeln!(out, "  filters: {}", if filters.is_empty() { "none" } else { &filters });
    let _ = writeln!(out, "  scores (weight): {}", if scores.is_empty() { "none".to_owned() } else { scores.join(", ") });
}

/// Why a pod the plan created was never up for scheduling.
fn never_scheduled(report: &PlanReport, pod: &Pod) -> String {
    let profiles = report.profiles();
    if !pod.spec.node_name.is_empty() {
        format!("it was created with spec.nodeName {}, so it bypasses the scheduler", pod.spec.node_name)
    } else if !profiles.handles(&pod.spec.scheduler_name) {
        let names: Vec<&str> = profiles.iter().map(|f| f.profile_name()).collect();
        format!("its schedulerName is {:?}, which no scheduler profile serves (profiles: {})", pod.spec.scheduler_name, names.join(", "))
    } else if !pod.spec.scheduling_gates.is_empty() {
        let gates: Vec<&str> = pod.spec.scheduling_gates.iter().map(|g| g.name.as_str()).collect();
        format!("it waits for scheduling gates [{}]", gates.join(" "))
    } else {
        "it was not yet up for scheduling".into()
    }
}

fn decision(out: &mut String, report: &PlanReport, index: usize, p: &Placement) {
    let outcome = match &p.selected_node {
        Some(n) => format!("bound to {n}"),
        None => "no node fits".into(),
    };
    let _ = writeln!(out, "Decision {index} (phase {}, round {}): {outcome}", p.phase, p.round);

    if !p.rejected.is_empty() {
        out.push_str("  Filtered out:\n");
        let mut t = Table::new(&["NODE", "FILTER", "REASON"]);
        for (node, v) in &p.rejected {
            let reasons: Vec<String> = v.reasons.iter().map(ToString::to_string).collect();
            t.row(vec![node.clone(), v.plugin.to_owned(), reasons.join(", ")]);
        }
        indent(out, &t, "    ");
    }

    if !p.scores.is_empty() {
        out.push_str("  Scores (weighted by plugin weight):\n");
        let plugins = p.scores.plugins();
        let mut header = vec!["NODE"];
        header.extend(plugins.iter().copied());
        header.push("TOTAL");
        let mut t = Table::new(&header);
        let mut rows: Vec<(&str, std::collections::BTreeMap<&str, i64>)> = p.scores.rows().collect();
        rows.sort_by(|a, b| b.1.get("total").cmp(&a.1.get("total")).then(a.0.cmp(b.0)));
        for (node, row) in rows {
            let mut cells = vec![node.to_owned()];
            cells.extend(plugins.iter().map(|pl| row.get(*pl).map(i64::to_string).unwrap_or_else(|| "-".into())));
            cells.push(row.get("total").map(i64::to_string).unwrap_or_default());
            t.row(cells);
        }
        indent(out, &t, "    ");
    }

    let considered: BTreeSet<&str> =
        p.rejected.keys().map(String::as_str).chain(p.scores.node_names()).chain(p.selected_node.as_deref()).collect();
    let not_examined: Vec<&str> =
        report.objects().keys(GroupKind::Node).map(|(_, name)| name.as_str()).filter(|n| !considered.contains(n)).collect();
    if !not_examined.is_empty() {
        let why = match &p.pre_filter_nodes {
            Some(pre) => format!(
                "left out by PreFilter: {} {} only {}",
                pre.plugins.join(" and "),
                if pre.plugins.len() == 1 { "allows" } else { "allow" },
                list(&pre.nodes.iter().map(String::as_str).collect::<Vec<_>>())
            ),
            _ if p.feasible_nodes > 0 && p.examined_nodes < report.objects().count(GroupKind::Node) => format!(
                "not examined: the scheduler stops once it has found {} feasible nodes (percentageOfNodesToScore)",
                p.feasible_nodes
            ),
            _ => "not examined".into(),
        };
        let _ = writeln!(out, "  Not considered ({}): {}", not_examined.len(), list(&not_examined));
        let _ = writeln!(out, "    {why}");
    }

    match &p.selected_node {
        Some(node) if p.scores.is_empty() => {
            let _ = writeln!(out, "  Selected: {node}, the only feasible node (nothing to score)");
        }
        Some(node) => {
            let top = p.top_score.map(|s| format!(" (top score {s})")).unwrap_or_default();
            let _ = writeln!(out, "  Selected: {node}{top}");
            if p.tied_nodes.len() > 1 {
                let _ = writeln!(
                    out,
                    "  Tied for the top score: {}. A real kube-scheduler picks one of them at random; kubeplan takes the smallest name.",
                    p.tied_nodes.to_vec().join(", ")
                );
            }
        }
        None => {
            if let Some(m) = &p.message {
                let _ = writeln!(out, "  Scheduler: {m}");
            }
            if let Some(n) = &p.nominated_node {
                let _ = writeln!(out, "  Nominated node (preemption): {n}");
            }
        }
    }
}

fn list(nodes: &[&str]) -> String {
    const SHOWN: usize = 20;
    if nodes.len() <= SHOWN {
        nodes.join(", ")
    } else {
        format!("{}, ... ({} more)", nodes[..SHOWN].join(", "), nodes.len() - SHOWN)
    }
}

fn indent(out: &mut String, t: &Table, prefix: &str) {
    let mut s = String::new();
    t.render(&mut s);
    for line in s.lines() {
        let _ = writeln!(out, "{prefix}{line}");
    }
}
