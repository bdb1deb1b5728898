//! Rollout status (`pkg/controller/deployment/progress.go`): the status of `calculateStatus` plus the Progressing
//! condition (complete, progressing, timed out) and the ReplicaFailure condition taken from the ReplicaSets.

use crate::api::apps_v1::{DeploymentCondition, ReplicaSet};

use super::client::{self, SyncResult};
use super::sync::calculate_status;
use super::util;
use super::Sync;

/// `syncRolloutStatus`.
pub(crate) fn sync_rollout_status(s: &mut Sync<'_>, all: &[ReplicaSet], new: Option<&ReplicaSet>) -> SyncResult<()> {
    let mut status = calculate_status(s, all, new);
    let d = &s.d;
    if !util::has_progress_deadline(d) {
        util::remove_condition(&mut status, util::PROGRESSING);
    }
    let current = util::get_condition(&d.status, util::PROGRESSING).cloned();
    let complete_already = status.replicas == status.updated_replicas
        && current.as_ref().is_some_and(|c| c.reason == util::NEW_RS_AVAILABLE_REASON);
    if util::has_progress_deadline(d) && !complete_already {
        let subject = |what: &str| match new {
            Some(rs) => format!("ReplicaSet {:?} {what}", rs.metadata.name),
            None => format!("Deployment {:?} {what}", d.metadata.name),
        };
        if util::deployment_complete(d, &status) {
            let c = util::new_condition(
                util::PROGRESSING,
                "True",
                util::NEW_RS_AVAILABLE_REASON,
                subject("has successfully progressed."),
                s.clock.now(),
            );
            util::set_condition(&mut status, c);
        } else if util::deployment_progressing(d, &status) {
            let mut c = util::new_condition(
                util::PROGRESSING,
                "True",
                util::REPLICA_SET_UPDATED_REASON,
                subject("is progressing."),
                s.clock.now(),
            );
            if let Some(current) = &current {
                if current.status == "True" {
                    c.last_transition_time = current.last_transition_time.clone();
                }
                util::remove_condition(&mut status, util::PROGRESSING);
            }
            util::set_condition(&mut status, c);
        } else if util::deployment_timed_out(d, &status, s.clock.seconds_since_progress_update()) {
            let c = util::new_condition(
                util::PROGRESSING,
                "False",
                util::TIMED_OUT_REASON,
                subject("has timed out progressing."),
                s.clock.now(),
            );
            util::set_condition(&mut status, c);
        }
    }
    match replica_failures(all, new).into_iter().next() {
        Some(c) => util::set_condition(&mut status, c),
        None => util::remove_condition(&mut status, util::REPLICA_FAILURE),
    }
    if s.d.status == status {
        return Ok(());
    }
    s.d.status = status;
    client::update_deployment_status(s.cluster, &s.d)
}

/// `getReplicaFailures`: the ReplicaFailure conditions of the new ReplicaSet, else of all of them.
fn replica_failures(all: &[ReplicaSet], new: Option<&ReplicaSet>) -> Vec<DeploymentCondition> {
    let of = |rs: &ReplicaSet| -> Vec<DeploymentCondition> {
        rs.status
            .conditions
            .iter()
            .filter(|c| c.r#type == util::REPLICA_FAILURE)
            .map(util::replica_set_to_deployment_condition)
            .collect()
    };
    let from_new = new.map(of).unwrap_or_default();
    if !from_new.is_empty() {
        return from_new;
    }
    all.iter().flat_map(of).collect()
}
