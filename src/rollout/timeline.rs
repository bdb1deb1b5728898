//! `kubectl rollout status`, round by round: for every phase, the lines kubectl would print for each workload
//! whose rollout is in progress in that phase, from the workload statuses the recorder kept.
//!
//! kubectl lists the object, prints its status, then prints again on every change it watches until the rollout is
//! done (or the viewer returns an error). A phase's line at round 0 is the status right after the phase's own
//! action (an update bumps the generation: "Waiting for ... spec update to be observed..."); each later line is
//! the status after a round that changed it. A workload is in progress in a phase from its first status in that
//! phase that is not complete; its lines stop after the one that says it is done.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::cluster::{Recorder, StatusRecord, WorkloadStatus};

use super::status::{complete, resource_name, status};

/// One line `kubectl rollout status` prints, after a round.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(hashmap_as_object, missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct RolloutLine {
    pub phase: String,
    pub round: u32,
    pub kind: &'static str,
    pub namespace: String,
    pub name: String,
    /// How kubectl names the workload: `daemonset.apps/name`.
    pub resource: String,
    /// The line, without kubectl's trailing newline (an error is printed as `error: <message>`).
    pub message: String,
    /// kubectl stops watching after this line.
    pub done: bool,
    /// The viewer returned an error (a strategy without rollout status, an exceeded progress deadline).
    pub error: bool,
}

/// The rollout status lines of a whole plan, ordered by phase, round, namespace, name and kind.
pub fn lines(rec: &Recorder) -> Vec<RolloutLine> {
    let phase_index: BTreeMap<&str, usize> = rec.phases.iter().enumerate().map(|(i, p)| (p.as_str(), i)).collect();
    let mut by_workload: BTreeMap<(&str, &str, &'static str), Vec<&StatusRecord>> = BTreeMap::new();
    for r in &rec.statuses {
        by_workload.entry((r.namespace.as_str(), r.name.as_str(), r.status.kind())).or_default().push(r);
    }
    let mut out = Vec::new();
    for ((namespace, name, kind), records) in by_workload {
        let mut carried: Option<&WorkloadStatus> = None;
        let mut i = 0;
        for phase in &rec.phases {
            let start = i;
            while i < records.len() && records[i].phase == *phase {
                i += 1;
            }
            let in_phase = &records[start..i];
            let mut sequence: Vec<(u32, &WorkloadStatus)> = Vec::new();
            if let Some(c) = carried.filter(|_| in_phase.first().is_none_or(|r| r.round > 0)) {
                sequence.push((0, c));
            }
            sequence.extend(in_phase.iter().map(|r| (r.round, &r.status)));
            emit_phase(&mut out, phase, namespace, name, kind, &sequence);
            if let Some(last) = in_phase.last() {
                carried = Some(&last.status);
            }
        }
    }
    out.sort_by(|a, b| {
        let pa = phase_index.get(a.phase.as_str());
        let pb = phase_index.get(b.phase.as_str());
        pa.cmp(&pb)
            .then(a.round.cmp(&b.round))
            .then_with(|| a.namespace.cmp(&b.namespace))
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.kind.cmp(b.kind))
    });
    out
}

/// The lines of one workload in one phase: from its first incomplete status on, every status until done.
fn emit_phase(
    out: &mut Vec<RolloutLine>,
    phase: &str,
    namespace: &str,
    name: &str,
    kind: &'static str,
    sequence: &[(u32, &WorkloadStatus)],
) {
    let mut watching = false;
    for (round, s) in sequence {
        if !watching && complete(s) {
            continue;
        }
        watching = true;
        let line = status(name, s);
        let stop = line.done || line.error;
        out.push(RolloutLine {
            phase: phase.to_owned(),
            round: *round,
            kind,
            namespace: namespace.to_owned(),
            name: name.to_owned(),
            resource: resource_name(kind, name),
            message: line.printed(),
            done: line.done,
            error: line.error,
        });
        if stop {
            return;
        }
    }
}
