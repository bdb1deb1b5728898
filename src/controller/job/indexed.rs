//! Indexed Jobs (`indexed_job_utils.go`): completion indexes on pods, the interval sets `status.completedIndexes`
//! and `status.failedIndexes` are written in, which indexes to start next, duplicate indexes, and what an indexed
//! pod carries (annotation, label, hostname, `JOB_COMPLETION_INDEX`, `generateName` `<job>-<index>-`).

use std::collections::{BTreeMap, BTreeSet};

use crate::api::batch_v1::Job;
use crate::api::core_v1::{Container, EnvVar, EnvVarSource, ObjectFieldSelector, Pod, PodTemplateSpec};

use super::pods::{self, active_pods_cmp};

/// `batch.JobCompletionIndexAnnotation` (also the label key, with PodIndexLabel on).
pub const COMPLETION_INDEX_KEY: &str = "batch.kubernetes.io/job-completion-index";
/// `batch.JobIndexFailureCountAnnotation`.
pub const INDEX_FAILURE_COUNT_KEY: &str = "batch.kubernetes.io/job-index-failure-count";
/// `batch.JobIndexIgnoredFailureCountAnnotation`.
pub const INDEX_IGNORED_FAILURE_COUNT_KEY: &str = "batch.kubernetes.io/job-index-ignored-failure-count";
/// The environment variable every container of an indexed pod reads its index from.
pub const COMPLETION_INDEX_ENV: &str = "JOB_COMPLETION_INDEX";
/// `names.MaxGeneratedNameLength`.
const MAX_GENERATED_NAME_LENGTH: usize = 58;

/// `isIndexedJob`.
pub fn is_indexed(job: &Job) -> bool {
    job.spec.completion_mode.as_deref() == Some("Indexed")
}

/// `hasBackoffLimitPerIndex` (the gate is on in v1.32).
pub fn has_backoff_limit_per_index(job: &Job) -> bool {
    job.spec.backoff_limit_per_index.is_some()
}

/// `*spec.completions` (required for Indexed Jobs).
pub fn completions(job: &Job) -> i32 {
    job.spec.completions.unwrap_or(0)
}

/// `getCompletionIndex`: the annotation as a non-negative integer, else `None` (Go's `unknownCompletionIndex`).
pub fn completion_index(pod: &Pod) -> Option<i32> {
    pod.metadata.annotations.get(COMPLETION_INDEX_KEY)?.parse::<i32>().ok().filter(|i| *i >= 0)
}

/// A valid index below `completions`.
pub fn index_in_range(pod: &Pod, completions: i32) -> Option<i32> {
    completion_index(pod).filter(|i| *i < completions)
}

/// A closed interval of indexes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Interval {
    pub first: i32,
    pub last: i32,
}

/// `orderedIntervals`: sorted, disjoint, non-adjacent intervals.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Intervals(pub Vec<Interval>);

impl Intervals {
    /// `withOrderedIndexes`: add sorted indexes.
    pub fn with_ordered_indexes(&self, indexes: &[i32]) -> Intervals {
        let new: Vec<Interval> = indexes.iter().map(|&i| Interval { first: i, last: i }).collect();
        self.merge(&Intervals(new))
    }

    /// `merge`: the union of two ordered interval sets.
    pub fn merge(&self, other: &Intervals) -> Intervals {
        let mut result: Vec<Interval> = Vec::new();
        let mut push = |iv: Interval| match result.last_mut() {
            Some(last) if iv.first <= last.last + 1 => last.last = last.last.max(iv.last),
            _ => result.push(iv),
        };
        let (a, b) = (&self.0, &other.0);
        let (mut i, mut j) = (0, 0);
        while i < a.len() && j < b.len() {
            if a[i].first < b[j].first {
                push(a[i]);
                i += 1;
            } else {
                push(b[j]);
                j += 1;
            }
        }
        a[i..].iter().chain(&b[j..]).for_each(|iv| push(*iv));
        Intervals(result)
    }

    /// `total`: how many indexes.
    pub fn total(&self) -> i32 {
        self.0.iter().map(|iv| iv.last - iv.first + 1).sum()
    }

    /// `has`.
    pub fn has(&self, ix: i32) -> bool {
        self.0.iter().any(|iv| iv.first <= ix && ix <= iv.last)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `parseIndexesFromString`: `1,3-5,7`, cut at `completions`; malformed parts are skipped.
    pub fn parse(s: &str, completions: i32) -> Intervals {
        let mut result: Vec<Interval> = Vec::new();
        if s.is_empty() {
            return Intervals(result);
        }
        for part in s.split(',') {
            let mut limits = part.split('-');
            let Some(first) = limits.next().and_then(|f| f.parse::<i32>().ok()) else { continue };
            if first >= completions {
                break;
            }
            let last = match limits.next() {
                Some(l) => match l.parse::<i32>() {
                    Ok(l) => l.min(completions - 1),
                    Err(_) => continue,
                },
                None => first,
            };
            match result.last_mut() {
                Some(prev) if prev.last == first - 1 => prev.last = last,
                _ => result.push(Interval { first, last }),
            }
        }
        Intervals(result)
    }
}

impl std::fmt::Display for Intervals {
    /// `String`: `0-4`, `1,2` for two adjacent indexes, comma-separated.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (n, iv) in self.0.iter().enumerate() {
            if n > 0 {
                f.write_str(",")?;
            }
            write!(f, "{}", iv.first)?;
            if iv.last > iv.first {
                let sep = if iv.last == iv.first + 1 { ',' } else { '-' };
                write!(f, "{sep}{}", iv.last)?;
            }
        }
        Ok(())
    }
}

/// `calculateSucceededIndexes`: the indexes recorded in `status.completedIndexes`, and those plus the indexes of
/// succeeded pods still carrying the tracking finalizer.
pub fn succeeded_indexes(job: &Job, pods: &[Pod]) -> (Intervals, Intervals) {
    let completions = completions(job);
    let prev = Intervals::parse(&job.status.completed_indexes, completions);
    let new: BTreeSet<i32> = pods
        .iter()
        .filter(|p| p.status.phase == "Succeeded" && pods::has_tracking_finalizer(p))
        .filter_map(|p| index_in_range(p, completions))
        .collect();
    let result = prev.with_ordered_indexes(&new.into_iter().collect::<Vec<_>>());
    (prev, result)
}

/// `calculateFailedIndexes`: `status.failedIndexes` plus the indexes whose pods failed for good.
pub fn failed_indexes(job: &Job, pods: &[Pod]) -> Intervals {
    let completions = completions(job);
    let prev = job.status.failed_indexes.as_deref().map(|s| Intervals::parse(s, completions)).unwrap_or_default();
    let new: BTreeSet<i32> = pods
        .iter()
        .filter(|p| pods::has_tracking_finalizer(p) && is_index_failed(job, p))
        .filter_map(|p| index_in_range(p, completions))
        .collect();
    prev.with_ordered_indexes(&new.into_iter().collect::<Vec<_>>())
}

/// `isIndexFailed`: a failed pod whose index has used up its backoff limit, or whose failure policy says
/// `FailIndex`.
fn is_index_failed(job: &Job, pod: &Pod) -> bool {
    if !pods::is_pod_failed(pod, job) {
        return false;
    }
    let counted = match job.spec.pod_failure_policy.as_deref() {
        Some(policy) => {
            let m = super::pod_failure_policy::matches(policy, pod);
            if m.action.as_deref() == Some("FailIndex") {
                return true;
            }
            m.count_failed
        }
        None => true,
    };
    counted && index_failure_count(pod) >= job.spec.backoff_limit_per_index.unwrap_or(0)
}

/// `firstPendingIndexes`: the lowest `count` indexes below `completions` that are not succeeded, active,
/// terminating (when only failed pods are replaced) or failed.
pub fn first_pending_indexes(
    succeeded: &Intervals,
    active: &[&Pod],
    terminating: Option<&[&Pod]>,
    failed: Option<&Intervals>,
    count: i32,
    completions: i32,
) -> Vec<i32> {
    if count == 0 {
        return Vec::new();
    }
    let indexes = |pods: &[&Pod]| -> Vec<i32> {
        pods.iter().filter_map(|p| completion_index(p)).collect::<BTreeSet<_>>().into_iter().collect()
    };
    let mut non_pending = succeeded.with_ordered_indexes(&indexes(active));
    if let Some(t) = terminating {
        non_pending = non_pending.with_ordered_indexes(&indexes(t));
    }
    if let Some(f) = failed {
        non_pending = non_pending.merge(f);
    }
    let mut result = Vec::new();
    let mut candidate = 0;
    for iv in &non_pending.0 {
        while candidate < completions && (result.len() as i32) < count && candidate < iv.first {
            result.push(candidate);
            candidate += 1;
        }
        if candidate < iv.last + 1 {
            candidate = iv.last + 1;
        }
    }
    while candidate < completions && (result.len() as i32) < count {
        result.push(candidate);
        candidate += 1;
    }
    result
}

/// `appendDuplicatedIndexPodsForRemoval`: pods without an index or beyond `completions`, and all but one of the
/// pods sharing an index (the one kept is the last in `ActivePods` order), go to `rm`; the rest to `left`.
pub fn split_duplicated_indexes<'a>(pods: &[&'a Pod], completions: i32) -> (Vec<&'a Pod>, Vec<&'a Pod>) {
    let mut sorted: Vec<&Pod> = pods.to_vec();
    sorted.sort_by_key(|p| completion_index(p).unwrap_or(-1));
    let (mut rm, mut left) = (Vec::new(), Vec::new());
    let mut groups: BTreeMap<i32, Vec<&Pod>> = BTreeMap::new();
    for p in sorted {
        let ix = completion_index(p).unwrap_or(-1);
        if ix >= completions {
            rm.push(p);
        } else {
            groups.entry(ix).or_default().push(p);
        }
    }
    for (ix, mut group) in groups {
        if ix < 0 {
            rm.extend(group);
        } else if group.len() == 1 {
            left.push(group[0]);
        } else {
            group.sort_by(|a, b| active_pods_cmp(a, b));
            let keep = group.pop().expect("a group of several pods");
            rm.extend(group);
            left.push(keep);
        }
    }
    (rm, left)
}

/// `addCompletionIndexEnvVariables`: every container and init container without `JOB_COMPLETION_INDEX` reads it
/// from the index label.
pub fn add_completion_index_env(template: &mut PodTemplateSpec) {
    let spec = &mut template.spec;
    spec.init_containers.iter_mut().chain(spec.containers.iter_mut()).for_each(add_env);
}

fn add_env(container: &mut Container) {
    if container.env.iter().any(|e| e.name == COMPLETION_INDEX_ENV) {
        return;
    }
    container.env.push(EnvVar {
        name: COMPLETION_INDEX_ENV.into(),
        value_from: Some(Box::new(EnvVarSource {
            field_ref: Some(Box::new(ObjectFieldSelector {
                field_path: format!("metadata.labels['{COMPLETION_INDEX_KEY}']"),
                ..Default::default()
            })),
            ..Default::default()
        })),
        ..Default::default()
    });
}

/// What an indexed pod's template gets: the index annotation and label, and `hostname` `<job>-<index>`.
pub fn set_completion_index(template: &mut PodTemplateSpec, job_name: &str, index: i32) {
    template.metadata.annotations.insert(COMPLETION_INDEX_KEY.into(), index.to_string());
    template.metadata.labels.insert(COMPLETION_INDEX_KEY.into(), index.to_string());
    template.spec.hostname = format!("{job_name}-{index}");
}

/// `podGenerateNameWithIndex`: `<job>-<index>-`, the job name cut so the prefix stays within 58 characters.
pub fn generate_name_with_index(job_name: &str, index: i32) -> String {
    let append = format!("-{index}-");
    let prefix = format!("{job_name}{append}");
    if prefix.len() <= MAX_GENERATED_NAME_LENGTH {
        return prefix;
    }
    let mut end = MAX_GENERATED_NAME_LENGTH - append.len();
    while !prefix.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}{append}", &prefix[..end])
}

/// `parseIndexFailureCountAnnotation`.
pub fn index_failure_count(pod: &Pod) -> i32 {
    parse_count(pod.metadata.annotations.get(INDEX_FAILURE_COUNT_KEY))
}

/// `parseIndexFailureIgnoreCountAnnotation`.
pub fn index_ignored_failure_count(pod: &Pod) -> i32 {
    parse_count(pod.metadata.annotations.get(INDEX_IGNORED_FAILURE_COUNT_KEY))
}

/// `getIndexAbsoluteFailureCount`.
pub fn index_absolute_failure_count(pod: &Pod) -> i32 {
    index_failure_count(pod) + index_ignored_failure_count(pod)
}

fn parse_count(v: Option<&String>) -> i32 {
    v.and_then(|s| s.parse::<i64>().ok()).filter(|n| (0..=i64::from(i32::MAX)).contains(n)).map_or(0, |n| n as i32)
}

/// `addIndexFailureCountAnnotation`: the failure counts carried over from the pod being replaced, plus its own
/// failure.
pub fn add_index_failure_count(template: &mut PodTemplateSpec, job: &Job, replaced: Option<&Pod>) {
    let (mut failures, mut ignored) = (0, 0);
    if let Some(p) = replaced {
        failures = index_failure_count(p);
        ignored = index_ignored_failure_count(p);
        let counted = job
            .spec
            .pod_failure_policy
            .as_deref()
            .is_none_or(|pfp| super::pod_failure_policy::matches(pfp, p).count_failed);
        if counted {
            failures += 1;
        } else {
            ignored += 1;
        }
    }
    template.metadata.annotations.insert(INDEX_FAILURE_COUNT_KEY.into(), failures.to_string());
    if ignored > 0 {
        template.metadata.annotations.insert(INDEX_IGNORED_FAILURE_COUNT_KEY.into(), ignored.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iv(v: &[(i32, i32)]) -> Intervals {
        Intervals(v.iter().map(|&(first, last)| Interval { first, last }).collect())
    }

    fn pod_with_index(name: &str, ix: Option<i32>) -> Pod {
        let mut p = Pod::default();
        p.metadata.name = name.into();
        if let Some(i) = ix {
            p.metadata.annotations.insert(COMPLETION_INDEX_KEY.into(), i.to_string());
        }
        p
    }

    #[test]
    fn intervals_print_and_parse_like_go() {
        assert_eq!(iv(&[(0, 4)]).to_string(), "0-4");
        assert_eq!(iv(&[(1, 2), (5, 5), (7, 9)]).to_string(), "1,2,5,7-9");
        assert_eq!(Intervals::parse("1,2,5,7-9", 100), iv(&[(1, 2), (5, 5), (7, 9)]));
        // Cut at completions; malformed parts skipped.
        assert_eq!(Intervals::parse("0-3,x,8-12", 10), iv(&[(0, 3), (8, 9)]));
        assert_eq!(Intervals::parse("12", 10), iv(&[]));
        assert_eq!(iv(&[(0, 1)]).with_ordered_indexes(&[2, 4]), iv(&[(0, 2), (4, 4)]));
        assert_eq!(iv(&[(0, 1), (5, 6)]).merge(&iv(&[(2, 4)])), iv(&[(0, 6)]));
        assert_eq!(iv(&[(0, 1), (5, 6)]).total(), 4);
        assert!(iv(&[(3, 5)]).has(4) && !iv(&[(3, 5)]).has(6));
    }

    #[test]
    fn first_pending_indexes_skip_succeeded_and_active() {
        let active = [pod_with_index("a", Some(1)), pod_with_index("b", Some(4))];
        let active: Vec<&Pod> = active.iter().collect();
        let done = iv(&[(0, 0), (2, 2)]);
        assert_eq!(first_pending_indexes(&done, &active, None, None, 2, 8), [3, 5]);
        assert_eq!(first_pending_indexes(&done, &active, None, None, 10, 6), [3, 5]);
        assert_eq!(first_pending_indexes(&Intervals::default(), &[], None, None, 2, 5), [0, 1]);
        assert_eq!(first_pending_indexes(&Intervals::default(), &[], None, Some(&iv(&[(0, 0)])), 2, 5), [1, 2]);
        assert!(first_pending_indexes(&done, &active, None, None, 0, 8).is_empty());
    }

    #[test]
    fn duplicated_and_invalid_indexes_are_removed() {
        let pods = [
            pod_with_index("none", None),
            pod_with_index("one-a", Some(1)),
            pod_with_index("one-b", Some(1)),
            pod_with_index("two", Some(2)),
            pod_with_index("big", Some(9)),
        ];
        let refs: Vec<&Pod> = pods.iter().collect();
        let (rm, left) = split_duplicated_indexes(&refs, 5);
        let rm: BTreeSet<&str> = rm.iter().map(|p| p.metadata.name.as_str()).collect();
        let left: Vec<&str> = left.iter().map(|p| p.metadata.name.as_str()).collect();
        assert!(rm.contains("none") && rm.contains("big"));
        assert_eq!(rm.len(), 3, "one of the two index-1 pods goes");
        assert_eq!(left.len(), 2);
        assert!(left.contains(&"two"));
    }

    #[test]
    fn generate_name_keeps_the_index_within_58_characters() {
        assert_eq!(generate_name_with_index("work", 3), "work-3-");
        let long = "j".repeat(60);
        let g = generate_name_with_index(&long, 12);
        assert_eq!(g.len(), 58);
        assert!(g.ends_with("-12-"));
    }

    #[test]
    fn indexed_template_gets_annotation_label_hostname_and_env() {
        let mut t = PodTemplateSpec::default();
        t.spec.containers.push(Container { name: "c".into(), ..Default::default() });
        t.spec.init_containers.push(Container {
            name: "i".into(),
            env: vec![EnvVar { name: COMPLETION_INDEX_ENV.into(), value: "mine".into(), ..Default::default() }],
            ..Default::default()
        });
        add_completion_index_env(&mut t);
        set_completion_index(&mut t, "work", 2);
        assert_eq!(t.metadata.annotations[COMPLETION_INDEX_KEY], "2");
        assert_eq!(t.metadata.labels[COMPLETION_INDEX_KEY], "2");
        assert_eq!(t.spec.hostname, "work-2");
        assert_eq!(t.spec.subdomain, "", "the Job controller sets no subdomain");
        let env = &t.spec.containers[0].env[0];
        assert_eq!(env.name, COMPLETION_INDEX_ENV);
        assert_eq!(
            env.value_from.as_ref().unwrap().field_ref.as_ref().unwrap().field_path,
            "metadata.labels['batch.kubernetes.io/job-completion-index']"
        );
        assert_eq!(t.spec.init_containers[0].env.len(), 1, "an existing JOB_COMPLETION_INDEX is kept");
    }
}
