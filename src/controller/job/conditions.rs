//! Job conditions (`job_controller.go:newCondition`, `ensureJobConditionStatus`, `newSuccessCondition`,
//! `newFailureCondition`; `success_policy.go:hasSuccessCriteriaMetCondition`; `util.IsJobFinished`).
//!
//! With JobManagedBy and JobPodReplacementPolicy on (v1.32), a Job first gets the interim `SuccessCriteriaMet` or
//! `FailureTarget` condition, and `Complete` or `Failed` only once no pod is left running or uncounted.

use crate::api::batch_v1::{Job, JobCondition};
use crate::api::Time;

pub const COMPLETE: &str = "Complete";
pub const FAILED: &str = "Failed";
pub const SUSPENDED: &str = "Suspended";
pub const FAILURE_TARGET: &str = "FailureTarget";
pub const SUCCESS_CRITERIA_MET: &str = "SuccessCriteriaMet";

/// `newCondition`: probe and transition time now.
pub fn new_condition(ty: &str, status: &str, reason: &str, message: &str, now: &Time) -> JobCondition {
    JobCondition {
        r#type: ty.into(),
        status: status.into(),
        last_probe_time: now.clone(),
        last_transition_time: now.clone(),
        reason: reason.into(),
        message: message.into(),
    }
}

/// `newSuccessCondition`: `SuccessCriteriaMet` (terminal conditions are delayed), reason `CompletionsReached`.
pub fn success(now: &Time) -> JobCondition {
    new_condition(SUCCESS_CRITERIA_MET, "True", "CompletionsReached", "Reached expected number of succeeded pods", now)
}

/// `newFailureCondition`: `FailureTarget` (terminal conditions are delayed).
pub fn failure(reason: &str, message: &str, now: &Time) -> JobCondition {
    new_condition(FAILURE_TARGET, "True", reason, message, now)
}

/// `newFailedConditionForFailureTarget`.
pub fn failed_for_target(target: &JobCondition, now: &Time) -> JobCondition {
    new_condition(FAILED, "True", &target.reason, &target.message, now)
}

/// `findConditionByType`.
pub fn find<'a>(conditions: &'a [JobCondition], ty: &str) -> Option<&'a JobCondition> {
    conditions.iter().find(|c| c.r#type == ty)
}

/// `hasSuccessCriteriaMetCondition`.
pub fn success_criteria_met(job: &Job) -> Option<&JobCondition> {
    find(&job.status.conditions, SUCCESS_CRITERIA_MET).filter(|c| c.status == "True")
}

/// `isSuccessCriteriaMetCondition`.
pub fn is_success_criteria_met(c: Option<&JobCondition>) -> bool {
    c.is_some_and(|c| c.r#type == SUCCESS_CRITERIA_MET && c.status == "True")
}

/// `util.IsJobFinished`: `Complete` or `Failed` is True.
pub fn is_finished(job: &Job) -> bool {
    job.status.conditions.iter().any(|c| (c.r#type == COMPLETE || c.r#type == FAILED) && c.status == "True")
}

/// `ensureJobConditionStatus`: set a condition of this type to the given status, reason and message (a new
/// condition is only added when it is not False). Returns whether the list changed.
pub fn ensure(
    conditions: &mut Vec<JobCondition>,
    ty: &str,
    status: &str,
    reason: &str,
    message: &str,
    now: &Time,
) -> bool {
    if let Some(c) = conditions.iter_mut().find(|c| c.r#type == ty) {
        if c.status != status || c.reason != reason || c.message != message {
            *c = new_condition(ty, status, reason, message, now);
            return true;
        }
        return false;
    }
    if status != "False" {
        conditions.push(new_condition(ty, status, reason, message, now));
        return true;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ensure_adds_true_updates_changes_and_never_adds_false() {
        let now = Time::at_second(1);
        let mut list = Vec::new();
        assert!(!ensure(&mut list, SUSPENDED, "False", "JobResumed", "Job resumed", &now));
        assert!(list.is_empty());
        assert!(ensure(&mut list, SUSPENDED, "True", "JobSuspended", "Job suspended", &now));
        assert!(!ensure(&mut list, SUSPENDED, "True", "JobSuspended", "Job suspended", &now));
        assert!(ensure(&mut list, SUSPENDED, "False", "JobResumed", "Job resumed", &now));
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].status, "False");
    }

    #[test]
    fn finished_means_complete_or_failed() {
        let now = Time::at_second(1);
        let mut job = Job::default();
        job.status.conditions.push(success(&now));
        assert!(!is_finished(&job));
        assert!(success_criteria_met(&job).is_some());
        job.status.conditions.push(new_condition(COMPLETE, "True", "CompletionsReached", "", &now));
        assert!(is_finished(&job));
    }
}
