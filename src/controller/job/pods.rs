//! How the Job controller reads its pods: the tracking finalizer, what counts as failed or terminating, when a
//! pod finished (`backoff_utils.go:getFinishedTime`), and the `controller.ActivePods` order it deletes in.

use std::cmp::Ordering;

use crate::api::batch_v1::Job;
use crate::api::core_v1::Pod;
use crate::api::seconds_of;
use crate::controller::util;
use crate::helpers::pod::{is_pod_ready, is_pod_terminal};

/// `batch.JobTrackingFinalizer`: every Job pod carries it until the controller has counted the pod.
pub const TRACKING_FINALIZER: &str = "batch.kubernetes.io/job-tracking";

/// `hasJobTrackingFinalizer`.
pub fn has_tracking_finalizer(pod: &Pod) -> bool {
    pod.metadata.finalizers.iter().any(|f| f == TRACKING_FINALIZER)
}

/// `onlyReplaceFailedPods`: `podReplacementPolicy: Failed`, or a pod failure policy.
pub fn only_replace_failed_pods(job: &Job) -> bool {
    job.spec.pod_replacement_policy.as_deref() == Some("Failed") || job.spec.pod_failure_policy.is_some()
}

/// `isPodFailed`: phase Failed; or, unless only failed pods are replaced, being deleted before succeeding.
pub fn is_pod_failed(pod: &Pod, job: &Job) -> bool {
    if pod.status.phase == "Failed" {
        return true;
    }
    if only_replace_failed_pods(job) {
        return false;
    }
    pod.metadata.deletion_timestamp.is_some() && pod.status.phase != "Succeeded"
}

/// `controller.IsPodTerminating`: being deleted and not yet terminal.
pub fn is_terminating(pod: &Pod) -> bool {
    !is_pod_terminal(pod) && pod.metadata.deletion_timestamp.is_some()
}

/// `getFinishedTime` in seconds of the model clock: the last container finish, else the Ready=False
/// transition, else the deletion time less the grace period, else the creation time.
pub fn finished_time(pod: &Pod) -> u64 {
    if let Some(t) = containers_finish_time(pod) {
        return t;
    }
    if let Some(c) = pod.status.conditions.iter().find(|c| c.r#type == "Ready") {
        if c.status == "False" {
            if let Some(t) = c.last_transition_time.0.as_deref() {
                return seconds_of(t);
            }
        }
    }
    if let Some(t) = pod.metadata.deletion_timestamp.as_ref().and_then(|t| t.0.as_deref()) {
        let grace = pod.metadata.deletion_grace_period_seconds.unwrap_or(0).max(0) as u64;
        return seconds_of(t).saturating_sub(grace);
    }
    pod.metadata.creation_timestamp.0.as_deref().map_or(0, seconds_of)
}

/// `getFinishTimeFromContainers`: the latest `finishedAt` when every regular container (and every sidecar) has
/// terminated, else none.
fn containers_finish_time(pod: &Pod) -> Option<u64> {
    let statuses = pod
        .status
        .container_statuses
        .iter()
        .chain(pod.status.init_container_statuses.iter().filter(|s| util::is_sidecar(pod, &s.name)));
    let mut latest: Option<u64> = None;
    for s in statuses {
        let t = s.state.terminated.as_ref()?.finished_at.0.as_deref()?;
        let t = seconds_of(t);
        latest = Some(latest.map_or(t, |l| l.max(t)));
    }
    latest
}

fn ready_since(pod: &Pod) -> Option<&str> {
    pod.status
        .conditions
        .iter()
        .find(|c| c.r#type == "Ready" && c.status == "True")
        .and_then(|c| c.last_transition_time.0.as_deref())
}

/// `afterOrZero`: a zero time counts as latest.
fn after_or_zero(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (None, _) | (_, None) => a.is_none(),
        (Some(a), Some(b)) => seconds_of(a) > seconds_of(b),
    }
}

/// `controller.ActivePods.Less` as an ordering: unassigned before assigned, Pending before Unknown before
/// Running, not ready before ready, more recently ready first, more restarts first, newer first.
pub fn active_pods_cmp(a: &Pod, b: &Pod) -> Ordering {
    let less = |x: &Pod, y: &Pod| -> Option<bool> {
        let (xn, yn) = (&x.spec.node_name, &y.spec.node_name);
        if xn != yn && (xn.is_empty() || yn.is_empty()) {
            return Some(xn.is_empty());
        }
        if util::pod_phase_ordinal(x) != util::pod_phase_ordinal(y) {
            return Some(util::pod_phase_ordinal(x) < util::pod_phase_ordinal(y));
        }
        let (xr, yr) = (is_pod_ready(x), is_pod_ready(y));
        if xr != yr {
            return Some(!xr);
        }
        if xr && yr {
            let (tx, ty) = (ready_since(x), ready_since(y));
            if tx.map(seconds_of) != ty.map(seconds_of) {
                return Some(after_or_zero(tx, ty));
            }
        }
        let (rx, ry) = (util::max_container_restarts(x), util::max_container_restarts(y));
        if rx.0 != ry.0 {
            return Some(rx.0 > ry.0);
        }
        if rx.1 != ry.1 {
            return Some(rx.1 > ry.1);
        }
        let (cx, cy) = (x.metadata.creation_timestamp.0.as_deref(), y.metadata.creation_timestamp.0.as_deref());
        if cx.map(seconds_of) != cy.map(seconds_of) {
            return Some(after_or_zero(cx, cy));
        }
        None
    };
    match less(a, b) {
        Some(true) => Ordering::Less,
        Some(false) => Ordering::Greater,
        None => Ordering::Equal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::core_v1::PodCondition;
    use crate::api::Time;

    fn pod(name: &str, node: &str, phase: &str, ready_at: Option<u64>, created: u64) -> Pod {
        let mut p = Pod::default();
        p.metadata.name = name.into();
        p.metadata.creation_timestamp = Time::at_second(created);
        p.spec.node_name = node.into();
        p.status.phase = phase.into();
        if let Some(t) = ready_at {
            p.status.conditions.push(PodCondition {
                r#type: "Ready".into(),
                status: "True".into(),
                last_transition_time: Time::at_second(t),
                ..Default::default()
            });
        }
        p
    }

    #[test]
    fn active_pods_order_prefers_the_least_progressed() {
        let mut pods = [
            pod("ready-early", "n", "Running", Some(10), 1),
            pod("unassigned", "", "Pending", None, 1),
            pod("ready-late", "n", "Running", Some(20), 1),
            pod("pending", "n", "Pending", None, 1),
            pod("running-not-ready", "n", "Running", None, 1),
            pod("running-not-ready-newer", "n", "Running", None, 5),
        ];
        pods.sort_by(active_pods_cmp);
        let names: Vec<&str> = pods.iter().map(|p| p.metadata.name.as_str()).collect();
        assert_eq!(
            names,
            ["unassigned", "pending", "running-not-ready-newer", "running-not-ready", "ready-late", "ready-early"]
        );
    }

    #[test]
    fn failed_means_failed_or_deleted_unless_only_failed_pods_are_replaced() {
        let mut job = Job::default();
        let mut p = pod("p", "n", "Running", None, 1);
        assert!(!is_pod_failed(&p, &job));
        p.metadata.deletion_timestamp = Some(Time::at_second(3));
        assert!(is_pod_failed(&p, &job));
        assert!(is_terminating(&p));
        job.spec.pod_replacement_policy = Some("Failed".into());
        assert!(!is_pod_failed(&p, &job));
        p.status.phase = "Failed".into();
        assert!(is_pod_failed(&p, &job));
        assert!(!is_terminating(&p));
    }

    #[test]
    fn finished_time_falls_back_to_ready_false_then_creation() {
        let mut p = pod("p", "n", "Succeeded", None, 7);
        assert_eq!(finished_time(&p), 7);
        p.status.conditions.push(PodCondition {
            r#type: "Ready".into(),
            status: "False".into(),
            last_transition_time: Time::at_second(12),
            ..Default::default()
        });
        assert_eq!(finished_time(&p), 12);
    }
}
