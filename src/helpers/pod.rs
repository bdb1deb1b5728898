//! Reading and writing a pod's status as every component does (`pkg/api/v1/pod/util.go`, "podutil"): the
//! controllers, the scheduler, the kubelet and the views all ask whether a pod is ready, available or done.

use crate::api::core_v1::{Pod, PodCondition, PodStatus};
use crate::api::seconds_of;

/// `podutil.GetPodCondition`: the pod's condition of type `ty`.
pub fn condition<'a>(pod: &'a Pod, ty: &str) -> Option<&'a PodCondition> {
    pod.status.conditions.iter().find(|c| c.r#type == ty)
}

/// `podutil.IsPodReady`: the Ready condition is True.
pub fn is_pod_ready(pod: &Pod) -> bool {
    condition(pod, "Ready").is_some_and(|c| c.status == "True")
}

/// `podutil.IsPodAvailable`: Ready for at least `min_ready_seconds` (strictly before `now`, in seconds of the
/// model's clock).
pub fn is_pod_available(pod: &Pod, min_ready_seconds: i32, now: u64) -> bool {
    let Some(c) = condition(pod, "Ready").filter(|c| c.status == "True") else { return false };
    if min_ready_seconds == 0 {
        return true;
    }
    let since = c.last_transition_time.0.as_deref().map(seconds_of).unwrap_or(0);
    since > 0 && since + (min_ready_seconds as u64) < now
}

/// `podutil.IsPodTerminal`: the pod Succeeded or Failed.
pub fn is_pod_terminal(pod: &Pod) -> bool {
    matches!(pod.status.phase.as_str(), "Succeeded" | "Failed")
}

/// `podutil.UpdatePodCondition`, as the model keeps conditions: replace the condition of the same type (its
/// transition time only when the status changes), else add it, keeping the list ordered by type.
pub fn set_condition(status: &mut PodStatus, c: PodCondition) {
    match status.conditions.iter_mut().find(|x| x.r#type == c.r#type) {
        Some(existing) => {
            if existing.status != c.status {
                *existing = c;
            } else {
                existing.reason = c.reason;
                existing.message = c.message;
            }
        }
        None => {
            status.conditions.push(c);
            status.conditions.sort_by(|a, b| a.r#type.cmp(&b.r#type));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Time;

    fn ready_since(second: u64) -> Pod {
        let mut pod = Pod::default();
        let c = PodCondition {
            r#type: "Ready".into(),
            status: "True".into(),
            last_transition_time: Time::at_second(second),
            ..Default::default()
        };
        set_condition(&mut pod.status, c);
        pod
    }

    #[test]
    fn available_once_ready_for_longer_than_min_ready_seconds() {
        let pod = ready_since(100);
        assert!(is_pod_available(&pod, 0, 100), "no minReadySeconds: ready is available");
        assert!(!is_pod_available(&pod, 10, 110), "ready for exactly 10s is not yet available");
        assert!(is_pod_available(&pod, 10, 111));
        assert!(!is_pod_available(&Pod::default(), 0, 100), "never ready");
    }

    #[test]
    fn a_condition_keeps_its_transition_time_while_its_status_holds() {
        let mut pod = ready_since(100);
        let again = PodCondition { r#type: "Ready".into(), status: "True".into(), reason: "Again".into(), ..Default::default() };
        set_condition(&mut pod.status, again);
        let c = condition(&pod, "Ready").unwrap();
        assert_eq!((c.reason.as_str(), &c.last_transition_time), ("Again", &Time::at_second(100)));
        let scheduled = PodCondition { r#type: "PodScheduled".into(), status: "True".into(), ..Default::default() };
        set_condition(&mut pod.status, scheduled);
        let types: Vec<&str> = pod.status.conditions.iter().map(|c| c.r#type.as_str()).collect();
        assert_eq!(types, ["PodScheduled", "Ready"], "kept in type order");
    }
}
