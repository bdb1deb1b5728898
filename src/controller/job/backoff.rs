//! `backoff_utils.go`: how long a Job waits before replacing failed pods.
//!
//! The controller keeps, per Job, the failures since the last success and the time of the last one; the delay
//! is 10s doubled per further failure, at most 10 minutes. Times are seconds of the model's logical clock.

use crate::api::core_v1::Pod;

use super::pods::finished_time;

/// `DefaultJobPodFailureBackOff`, seconds.
pub const DEFAULT_BACKOFF: u64 = 10;
/// `MaxJobPodFailureBackOff`, seconds.
pub const MAX_BACKOFF: u64 = 600;

/// `backoffRecord`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Record {
    pub failures_after_last_success: i32,
    pub last_failure_time: Option<u64>,
}

/// `newBackoffRecord`: the stored record updated with the pods that finished since it was stored. A success
/// clears the count, except for failures that finished after the last success.
pub fn new_record(old: Option<&Record>, succeeded: &[&Pod], failed: &[&Pod]) -> Record {
    let mut rec = old.cloned().unwrap_or_default();
    let mut succeeded_times: Vec<u64> = succeeded.iter().map(|p| finished_time(p)).collect();
    let mut failed_times: Vec<u64> = failed.iter().map(|p| finished_time(p)).collect();
    succeeded_times.sort_unstable();
    failed_times.sort_unstable();
    let Some(&last_success) = succeeded_times.last() else {
        if let Some(&last_failure) = failed_times.last() {
            rec.failures_after_last_success += failed_times.len() as i32;
            rec.last_failure_time = Some(last_failure);
        }
        return rec;
    };
    rec.failures_after_last_success = 0;
    rec.last_failure_time = None;
    for &t in failed_times.iter().rev() {
        if t <= last_success {
            break;
        }
        rec.last_failure_time.get_or_insert(t);
        rec.failures_after_last_success += 1;
    }
    rec
}

/// `getRemainingTimeForFailuresCount`: what is left of the backoff after `failures` failures, the last at
/// `last_failure`.
pub fn remaining(now: u64, failures: i32, last_failure: Option<u64>) -> u64 {
    if failures <= 0 {
        return 0;
    }
    let mut backoff = DEFAULT_BACKOFF;
    for _ in 1..failures {
        backoff *= 2;
        if backoff >= MAX_BACKOFF {
            backoff = MAX_BACKOFF;
            break;
        }
    }
    let elapsed = now.saturating_sub(last_failure.unwrap_or(now));
    backoff.saturating_sub(elapsed)
}

impl Record {
    /// `getRemainingTime`.
    pub fn remaining(&self, now: u64) -> u64 {
        remaining(now, self.failures_after_last_success, self.last_failure_time)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Time;

    fn pod_created(t: u64) -> Pod {
        let mut p = Pod::default();
        p.metadata.creation_timestamp = Time::at_second(t);
        p
    }

    #[test]
    fn backoff_doubles_from_ten_seconds_up_to_ten_minutes() {
        assert_eq!(remaining(100, 0, None), 0);
        assert_eq!(remaining(100, 1, Some(100)), 10);
        assert_eq!(remaining(104, 1, Some(100)), 6);
        assert_eq!(remaining(100, 3, Some(100)), 40);
        assert_eq!(remaining(100, 20, Some(100)), 600);
        assert_eq!(remaining(1000, 2, Some(100)), 0);
    }

    #[test]
    fn a_success_resets_all_but_later_failures() {
        let (f1, s, f2) = (pod_created(5), pod_created(8), pod_created(9));
        let r = new_record(None, &[], &[&f1]);
        assert_eq!(r, Record { failures_after_last_success: 1, last_failure_time: Some(5) });
        let r = new_record(Some(&r), &[&s], &[&f1, &f2]);
        assert_eq!(r, Record { failures_after_last_success: 1, last_failure_time: Some(9) });
        let r = new_record(Some(&r), &[&s], &[]);
        assert_eq!(r, Record::default());
    }
}
