//! The Deployment controller's helpers (`pkg/controller/deployment/util/deployment_util.go`) and the ReplicaSet
//! orderings and filters it takes from `pkg/controller/controller_utils.go`.
//!
//! Everything here is pure: conditions, revision and replica annotations, the rolling-update fenceposts, the
//! arithmetic of scaling, and which ReplicaSet is the new one.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use crate::api::apps_v1::{Deployment, DeploymentCondition, DeploymentStatus, ReplicaSet, ReplicaSetCondition};
use crate::api::core_v1::PodTemplateSpec;
use crate::api::{IntOrString, Time};

/// Label that ties a ReplicaSet and its pods to one template (`apps.DefaultDeploymentUniqueLabelKey`).
pub const POD_TEMPLATE_HASH_LABEL: &str = "pod-template-hash";
pub const REVISION_ANNOTATION: &str = "deployment.kubernetes.io/revision";
pub const REVISION_HISTORY_ANNOTATION: &str = "deployment.kubernetes.io/revision-history";
pub const DESIRED_REPLICAS_ANNOTATION: &str = "deployment.kubernetes.io/desired-replicas";
pub const MAX_REPLICAS_ANNOTATION: &str = "deployment.kubernetes.io/max-replicas";
/// `apps.DeprecatedRollbackTo`: the annotation an old client sets to ask the controller for a rollback.
pub const ROLLBACK_TO_ANNOTATION: &str = "deprecated.deployment.rollback.to";
/// `v1.LastAppliedConfigAnnotation`.
pub const LAST_APPLIED_ANNOTATION: &str = "kubectl.kubernetes.io/last-applied-configuration";

pub const ROLLBACK_REVISION_NOT_FOUND: &str = "DeploymentRollbackRevisionNotFound";
pub const ROLLBACK_TEMPLATE_UNCHANGED: &str = "DeploymentRollbackTemplateUnchanged";
pub const ROLLBACK_DONE: &str = "DeploymentRollback";

pub const REPLICA_SET_UPDATED_REASON: &str = "ReplicaSetUpdated";
pub const FAILED_RS_CREATE_REASON: &str = "ReplicaSetCreateError";
pub const NEW_REPLICA_SET_REASON: &str = "NewReplicaSetCreated";
pub const FOUND_NEW_RS_REASON: &str = "FoundNewReplicaSet";
pub const NEW_RS_AVAILABLE_REASON: &str = "NewReplicaSetAvailable";
pub const TIMED_OUT_REASON: &str = "ProgressDeadlineExceeded";
pub const PAUSED_DEPLOY_REASON: &str = "DeploymentPaused";
pub const RESUMED_DEPLOY_REASON: &str = "DeploymentResumed";
pub const MINIMUM_REPLICAS_AVAILABLE: &str = "MinimumReplicasAvailable";
pub const MINIMUM_REPLICAS_UNAVAILABLE: &str = "MinimumReplicasUnavailable";

pub const AVAILABLE: &str = "Available";
pub const PROGRESSING: &str = "Progressing";
pub const REPLICA_FAILURE: &str = "ReplicaFailure";

pub const ROLLING_UPDATE: &str = "RollingUpdate";
pub const RECREATE: &str = "Recreate";

/// The longest `revision-history` annotation the controller keeps (`maxRevHistoryLengthInChars`).
pub const MAX_REV_HISTORY_LENGTH_IN_CHARS: usize = 2000;

// ----- replicas as the controller reads them -----

/// `*d.Spec.Replicas` (the API server always defaults it; 1 is that default).
pub fn replicas(d: &Deployment) -> i32 {
    d.spec.replicas.unwrap_or(1)
}

/// `replicas + maxSurge`, the most pods a rollout may have (wrapping as Go's int32 does).
pub fn max_total_replicas(d: &Deployment) -> i32 {
    replicas(d).wrapping_add(max_surge(d))
}

/// `*rs.Spec.Replicas`.
pub fn rs_replicas(rs: &ReplicaSet) -> i32 {
    rs.spec.replicas.unwrap_or(1)
}

// ----- conditions -----

/// `NewDeploymentCondition`: both times are now.
pub fn new_condition(ty: &str, status: &str, reason: &str, message: String, now: &Time) -> DeploymentCondition {
    DeploymentCondition {
        r#type: ty.to_owned(),
        status: status.to_owned(),
        last_update_time: now.clone(),
        last_transition_time: now.clone(),
        reason: reason.to_owned(),
        message,
    }
}

/// `GetDeploymentCondition`.
pub fn get_condition<'a>(status: &'a DeploymentStatus, ty: &str) -> Option<&'a DeploymentCondition> {
    status.conditions.iter().find(|c| c.r#type == ty)
}

/// `SetDeploymentCondition`: a condition with the same status and reason is left as it is (message included);
/// with the same status only, the transition time is kept. The new condition goes last.
pub fn set_condition(status: &mut DeploymentStatus, mut condition: DeploymentCondition) {
    if let Some(current) = get_condition(status, &condition.r#type) {
        if current.status == condition.status && current.reason == condition.reason {
            return;
        }
        if current.status == condition.status {
            condition.last_transition_time = current.last_transition_time.clone();
        }
    }
    remove_condition(status, &condition.r#type.clone());
    status.conditions.push(condition);
}

/// `RemoveDeploymentCondition`.
pub fn remove_condition(status: &mut DeploymentStatus, ty: &str) {
    status.conditions.retain(|c| c.r#type != ty);
}

/// `ReplicaSetToDeploymentCondition`.
pub fn replica_set_to_deployment_condition(c: &ReplicaSetCondition) -> DeploymentCondition {
    DeploymentCondition {
        r#type: c.r#type.clone(),
        status: c.status.clone(),
        last_update_time: c.last_transition_time.clone(),
        last_transition_time: c.last_transition_time.clone(),
        reason: c.reason.clone(),
        message: c.message.clone(),
    }
}

// ----- revisions -----

/// `SetDeploymentRevision`: returns whether the annotation changed.
pub fn set_deployment_revision(d: &mut Deployment, revision: &str) -> bool {
    if d.metadata.annotations.get(REVISION_ANNOTATION).map(String::as_str) == Some(revision) {
        return false;
    }
    d.metadata.annotations.insert(REVISION_ANNOTATION.to_owned(), revision.to_owned());
    true
}

/// An annotation that should hold a number but does not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotANumber(pub String);

/// `Revision`: the revision annotation as an int64; absent is 0.
pub fn revision(annotations: &BTreeMap<String, String>) -> Result<i64, NotANumber> {
    match annotations.get(REVISION_ANNOTATION) {
        None => Ok(0),
        Some(v) => parse_int64(v).ok_or_else(|| NotANumber(v.clone())),
    }
}

/// `strconv.ParseInt(v, 10, 64)`: an optional sign and decimal digits.
fn parse_int64(v: &str) -> Option<i64> {
    let digits = v.strip_prefix(['+', '-']).unwrap_or(v);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    v.parse().ok()
}

/// `MaxRevision`: the highest parsable revision (0 when none).
pub fn max_revision(rss: &[ReplicaSet]) -> i64 {
    rss.iter().filter_map(|rs| revision(&rs.metadata.annotations).ok()).fold(0, i64::max)
}

/// `LastRevision`: the second highest revision, the one `rollout undo` goes back to.
pub fn last_revision(rss: &[&ReplicaSet]) -> i64 {
    let (mut max, mut second) = (0, 0);
    for rs in rss {
        let Ok(v) = revision(&rs.metadata.annotations) else { continue };
        if v >= max {
            second = max;
            max = v;
        } else if v > second {
            second = v;
        }
    }
    second
}

/// Annotations that belong to the controller and are never copied between a Deployment and its ReplicaSets.
fn skip_copy_annotation(key: &str) -> bool {
    matches!(
        key,
        LAST_APPLIED_ANNOTATION
            | REVISION_ANNOTATION
            | REVISION_HISTORY_ANNOTATION
            | DESIRED_REPLICAS_ANNOTATION
            | MAX_REPLICAS_ANNOTATION
            | ROLLBACK_TO_ANNOTATION
    )
}

/// `copyDeploymentAnnotationsToReplicaSet`: returns whether any annotation was added or changed.
fn copy_deployment_annotations(d: &Deployment, rs: &mut ReplicaSet) -> bool {
    let mut changed = false;
    for (k, v) in &d.metadata.annotations {
        if skip_copy_annotation(k) || rs.metadata.annotations.get(k) == Some(v) {
            continue;
        }
        rs.metadata.annotations.insert(k.clone(), v.clone());
        changed = true;
    }
    changed
}

/// `SetNewReplicaSetAnnotations`: copy the Deployment's annotations, raise the revision to `new_revision` (keeping
/// the superseded one in `revision-history`, within `history_limit` characters), and for a ReplicaSet about to be
/// created also the replica annotations. Returns whether anything changed.
pub fn set_new_replica_set_annotations(
    d: &Deployment,
    rs: &mut ReplicaSet,
    new_revision: &str,
    exists: bool,
    history_limit: usize,
) -> bool {
    let mut changed = copy_deployment_annotations(d, rs);
    let old_revision = rs.metadata.annotations.get(REVISION_ANNOTATION).cloned();
    let old_value = match old_revision.as_deref() {
        None | Some("") => 0,
        Some(v) => match parse_int64(v) {
            Some(n) => n,
            None => return false,
        },
    };
    let Some(new_value) = parse_int64(new_revision) else { return false };
    if old_value < new_value {
        rs.metadata.annotations.insert(REVISION_ANNOTATION.to_owned(), new_revision.to_owned());
        changed = true;
    }
    if let Some(old) = old_revision.filter(|_| old_value < new_value) {
        let history = rs.metadata.annotations.get(REVISION_HISTORY_ANNOTATION).cloned().unwrap_or_default();
        if history.is_empty() {
            rs.metadata.annotations.insert(REVISION_HISTORY_ANNOTATION.to_owned(), old);
        } else {
            let parts: Vec<&str> = history.split(',').collect();
            let mut total = history.len() + old.len() + 1;
            let mut start = 0;
            while total > history_limit && start < parts.len() {
                total -= parts[start].len() + 1;
                start += 1;
            }
            if total <= history_limit {
                let mut kept: Vec<&str> = parts[start..].to_vec();
                kept.push(&old);
                rs.metadata.annotations.insert(REVISION_HISTORY_ANNOTATION.to_owned(), kept.join(","));
            }
        }
    }
    if !exists && set_replicas_annotations(rs, replicas(d), max_total_replicas(d)) {
        changed = true;
    }
    changed
}

/// `SetDeploymentAnnotationsTo`: the Deployment keeps only its controller annotations and takes every other
/// annotation of the ReplicaSet it rolls back to.
pub fn set_deployment_annotations_to(d: &mut Deployment, rs: &ReplicaSet) {
    d.metadata.annotations.retain(|k, _| skip_copy_annotation(k));
    for (k, v) in &rs.metadata.annotations {
        if !skip_copy_annotation(k) {
            d.metadata.annotations.insert(k.clone(), v.clone());
        }
    }
}

/// `SetFromReplicaSetTemplate`: the Deployment takes the ReplicaSet's template without its hash label.
pub fn set_from_replica_set_template(d: &mut Deployment, template: &PodTemplateSpec) {
    d.spec.template.metadata = template.metadata.clone();
    d.spec.template.spec = template.spec.clone();
    d.spec.template.metadata.labels.remove(POD_TEMPLATE_HASH_LABEL);
}

// ----- replica annotations -----

/// `getNonNegativeInt32FromAnnotation`: `strconv.ParseUint(v, 10, 32)` within int32.
fn non_negative_int32_annotation(rs: &ReplicaSet, key: &str) -> Option<i32> {
    let v = rs.metadata.annotations.get(key)?;
    if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    v.parse::<u32>().ok().and_then(|n| i32::try_from(n).ok())
}

/// `GetDesiredReplicasAnnotation`.
pub fn desired_replicas_annotation(rs: &ReplicaSet) -> Option<i32> {
    non_negative_int32_annotation(rs, DESIRED_REPLICAS_ANNOTATION)
}

/// `getMaxReplicasAnnotation`.
fn max_replicas_annotation(rs: &ReplicaSet) -> Option<i32> {
    non_negative_int32_annotation(rs, MAX_REPLICAS_ANNOTATION)
}

/// `SetReplicasAnnotations`: returns whether either annotation changed.
pub fn set_replicas_annotations(rs: &mut ReplicaSet, desired: i32, max: i32) -> bool {
    let mut changed = false;
    for (key, value) in [(DESIRED_REPLICAS_ANNOTATION, desired), (MAX_REPLICAS_ANNOTATION, max)] {
        let value = value.to_string();
        if rs.metadata.annotations.get(key) != Some(&value) {
            rs.metadata.annotations.insert(key.to_owned(), value);
            changed = true;
        }
    }
    changed
}

/// `ReplicasAnnotationsNeedUpdate`.
pub fn replicas_annotations_need_update(rs: &ReplicaSet, desired: i32, max: i32) -> bool {
    rs.metadata.annotations.get(DESIRED_REPLICAS_ANNOTATION) != Some(&desired.to_string())
        || rs.metadata.annotations.get(MAX_REPLICAS_ANNOTATION) != Some(&max.to_string())
}

// ----- rolling-update arithmetic -----

/// `IsRollingUpdate`.
pub fn is_rolling_update(d: &Deployment) -> bool {
    d.spec.strategy.r#type == ROLLING_UPDATE
}

/// `ResolveFenceposts`: maxSurge scaled rounding up, maxUnavailable rounding down (an absent value is 0); when
/// both come out 0, one pod may be unavailable so that the rollout can move at all.
pub fn resolve_fenceposts(
    max_surge: Option<&IntOrString>,
    max_unavailable: Option<&IntOrString>,
    desired: i32,
) -> Result<(i32, i32), String> {
    let zero = IntOrString::Int(0);
    let surge = max_surge.unwrap_or(&zero).scaled_value(desired, true)?;
    let mut unavailable = max_unavailable.unwrap_or(&zero).scaled_value(desired, false)?;
    if surge == 0 && unavailable == 0 {
        unavailable = 1;
    }
    Ok((surge, unavailable))
}

fn fenceposts(d: &Deployment) -> (i32, i32) {
    let ru = d.spec.strategy.rolling_update.as_deref();
    resolve_fenceposts(ru.and_then(|r| r.max_surge.as_ref()), ru.and_then(|r| r.max_unavailable.as_ref()), replicas(d))
        .unwrap_or((0, 0))
}

/// `MaxUnavailable`: 0 unless rolling with replicas; never more than the replicas.
pub fn max_unavailable(d: &Deployment) -> i32 {
    if !is_rolling_update(d) || replicas(d) == 0 {
        return 0;
    }
    fenceposts(d).1.min(replicas(d))
}

/// `MaxSurge`: 0 unless rolling.
pub fn max_surge(d: &Deployment) -> i32 {
    if !is_rolling_update(d) {
        return 0;
    }
    fenceposts(d).0
}

/// `NewRSNewReplicas`: how big the new ReplicaSet may be now. Rolling: grow it while all ReplicaSets together stay
/// within `replicas + maxSurge`, never beyond `replicas`. Recreate: `replicas` at once.
pub fn new_rs_new_replicas(d: &Deployment, all_rss: &[&ReplicaSet], new_rs: &ReplicaSet) -> Result<i32, String> {
    match d.spec.strategy.r#type.as_str() {
        ROLLING_UPDATE => {
            let surge_value = d.spec.strategy.rolling_update.as_deref().and_then(|r| r.max_surge.as_ref());
            let Some(surge_value) = surge_value else { return Err("nil value for IntOrString".into()) };
            let surge = surge_value.scaled_value(replicas(d), true)?;
            let current = replica_count(all_rss.iter().copied());
            let max_total = replicas(d).wrapping_add(surge);
            if current >= max_total {
                return Ok(rs_replicas(new_rs));
            }
            let scale_up = max_total.wrapping_sub(current).min(replicas(d).wrapping_sub(rs_replicas(new_rs)));
            Ok(rs_replicas(new_rs).wrapping_add(scale_up))
        }
        RECREATE => Ok(replicas(d)),
        other => Err(format!("deployment type {other} isn't supported")),
    }
}

/// `IsSaturated`: the ReplicaSet has all the Deployment's replicas, expects exactly them, and all are available.
pub fn is_saturated(d: &Deployment, rs: Option<&ReplicaSet>) -> bool {
    let Some(rs) = rs else { return false };
    let desired = rs.metadata.annotations.get(DESIRED_REPLICAS_ANNOTATION).and_then(|v| parse_int64(v));
    let Some(desired) = desired else { return false };
    rs_replicas(rs) == replicas(d) && desired as i32 == replicas(d) && rs.status.available_replicas == replicas(d)
}

/// `GetReplicaSetProportion`: the share of `to_add` (positive or negative) this ReplicaSet takes, bounded by
/// what is still left to add.
pub fn replica_set_proportion(rs: &ReplicaSet, d: &Deployment, to_add: i32, added: i32) -> i32 {
    if rs_replicas(rs) == 0 || to_add == 0 || to_add == added {
        return 0;
    }
    let fraction = replica_set_fraction(rs, d);
    let allowed = to_add.wrapping_sub(added);
    if to_add > 0 {
        fraction.min(allowed)
    } else {
        fraction.max(allowed)
    }
}

/// `getReplicaSetFraction`: the ReplicaSet's size scaled from the maximum it was sized for (its max-replicas
/// annotation, else the Deployment's current replicas) to the new maximum, rounded half away from zero.
fn replica_set_fraction(rs: &ReplicaSet, d: &Deployment) -> i32 {
    if replicas(d) == 0 {
        return -rs_replicas(rs);
    }
    let new_max = max_total_replicas(d);
    let before = match max_replicas_annotation(rs) {
        Some(v) if v != 0 => v,
        _ => {
            if d.status.replicas == 0 {
                return 0;
            }
            d.status.replicas
        }
    };
    let scaled = f64::from(rs_replicas(rs).wrapping_mul(new_max)) / f64::from(before);
    (scaled.round() as i32).wrapping_sub(rs_replicas(rs))
}

// ----- which ReplicaSet is new -----

/// `EqualIgnoreHash`: templates semantically equal once the hash label is left out of both.
pub fn equal_ignore_hash(a: &PodTemplateSpec, b: &PodTemplateSpec) -> bool {
    let mut a = a.clone();
    let mut b = b.clone();
    a.metadata.labels.remove(POD_TEMPLATE_HASH_LABEL);
    b.metadata.labels.remove(POD_TEMPLATE_HASH_LABEL);
    a == b
}

/// `FindNewReplicaSet`: the oldest ReplicaSet whose template is the Deployment's. Sorts `rss` by creation as Go
/// does in place.
pub fn find_new_replica_set(d: &Deployment, rss: &mut [ReplicaSet]) -> Option<usize> {
    rss.sort_by(by_creation);
    rss.iter().position(|rs| equal_ignore_hash(&rs.spec.template, &d.spec.template))
}

/// `FindOldReplicaSets` (the second list): every ReplicaSet but the new one, oldest first.
pub fn find_old_replica_sets(d: &Deployment, rss: &mut [ReplicaSet]) -> Vec<ReplicaSet> {
    let new = find_new_replica_set(d, rss).map(|i| rss[i].metadata.uid.clone());
    rss.iter().filter(|rs| new.as_deref() != Some(rs.metadata.uid.as_str())).cloned().collect()
}

/// `FindActiveOrLatest`: the only ReplicaSet with replicas, or when none has any the new one (else the newest
/// old one); `None` when several have replicas. Sorts `old` newest first as Go does in place.
pub fn find_active_or_latest(new_rs: Option<&ReplicaSet>, old: &mut [ReplicaSet]) -> Option<ReplicaSet> {
    if new_rs.is_none() && old.is_empty() {
        return None;
    }
    old.sort_by(|a, b| by_creation(b, a));
    let active: Vec<&ReplicaSet> = old.iter().chain(new_rs).filter(|rs| rs_replicas(rs) > 0).collect();
    match active.len() {
        0 => new_rs.cloned().or_else(|| old.first().cloned()),
        1 => Some(active[0].clone()),
        _ => None,
    }
}

// ----- counts -----

/// `GetReplicaCountForReplicaSets`: the sum of `spec.replicas`.
pub fn replica_count<'a>(rss: impl IntoIterator<Item = &'a ReplicaSet>) -> i32 {
    rss.into_iter().map(rs_replicas).fold(0, i32::wrapping_add)
}

/// `GetActualReplicaCountForReplicaSets`: the sum of `status.replicas`.
pub fn actual_replica_count<'a>(rss: impl IntoIterator<Item = &'a ReplicaSet>) -> i32 {
    rss.into_iter().map(|rs| rs.status.replicas).fold(0, i32::wrapping_add)
}

/// `GetReadyReplicaCountForReplicaSets`.
pub fn ready_replica_count<'a>(rss: impl IntoIterator<Item = &'a ReplicaSet>) -> i32 {
    rss.into_iter().map(|rs| rs.status.ready_replicas).fold(0, i32::wrapping_add)
}

/// `GetAvailableReplicaCountForReplicaSets`.
pub fn available_replica_count<'a>(rss: impl IntoIterator<Item = &'a ReplicaSet>) -> i32 {
    rss.into_iter().map(|rs| rs.status.available_replicas).fold(0, i32::wrapping_add)
}

// ----- progress -----

/// `DeploymentComplete`: every replica updated and available, and the generation observed.
pub fn deployment_complete(d: &Deployment, s: &DeploymentStatus) -> bool {
    s.updated_replicas == replicas(d)
        && s.replicas == replicas(d)
        && s.available_replicas == replicas(d)
        && s.observed_generation >= d.metadata.generation
}

/// `DeploymentProgressing`: compared with the stored status, more pods are updated, ready or available, or fewer
/// old pods remain.
pub fn deployment_progressing(d: &Deployment, s: &DeploymentStatus) -> bool {
    let old = &d.status;
    let old_old = old.replicas.wrapping_sub(old.updated_replicas);
    let new_old = s.replicas.wrapping_sub(s.updated_replicas);
    s.updated_replicas > old.updated_replicas
        || new_old < old_old
        || s.ready_replicas > old.ready_replicas
        || s.available_replicas > old.available_replicas
}

/// `DeploymentTimedOut`: the Progressing condition was last updated more than `progressDeadlineSeconds` ago.
/// `elapsed_seconds` is the controller's clock since that update (see `Clock` in the Deployment controller).
pub fn deployment_timed_out(d: &Deployment, s: &DeploymentStatus, elapsed_seconds: i64) -> bool {
    if !has_progress_deadline(d) {
        return false;
    }
    let Some(c) = get_condition(s, PROGRESSING) else { return false };
    if c.reason == NEW_RS_AVAILABLE_REASON {
        return false;
    }
    if c.reason == TIMED_OUT_REASON {
        return true;
    }
    elapsed_seconds > i64::from(d.spec.progress_deadline_seconds.unwrap_or(0))
}

/// `HasProgressDeadline`: set and not MaxInt32.
pub fn has_progress_deadline(d: &Deployment) -> bool {
    d.spec.progress_deadline_seconds.is_some_and(|v| v != i32::MAX)
}

/// `HasRevisionHistoryLimit`: set and not MaxInt32.
pub fn has_revision_history_limit(d: &Deployment) -> bool {
    d.spec.revision_history_limit.is_some_and(|v| v != i32::MAX)
}

// ----- orderings and filters from controller_utils.go -----

/// `ReplicaSetsByCreationTimestamp`: older first, then by name.
pub fn by_creation(a: &ReplicaSet, b: &ReplicaSet) -> Ordering {
    a.metadata
        .creation_timestamp
        .cmp(&b.metadata.creation_timestamp)
        .then_with(|| a.metadata.name.cmp(&b.metadata.name))
}

/// `ReplicaSetsBySizeOlder`: larger first, then older first.
pub fn by_size_older(a: &ReplicaSet, b: &ReplicaSet) -> Ordering {
    rs_replicas(b).cmp(&rs_replicas(a)).then_with(|| by_creation(a, b))
}

/// `ReplicaSetsBySizeNewer`: larger first, then newer first.
pub fn by_size_newer(a: &ReplicaSet, b: &ReplicaSet) -> Ordering {
    rs_replicas(b).cmp(&rs_replicas(a)).then_with(|| by_creation(b, a))
}

/// `ReplicaSetsByRevision`: lower revision first; equal or unparsable revisions by creation.
pub fn by_revision(a: &ReplicaSet, b: &ReplicaSet) -> Ordering {
    match (revision(&a.metadata.annotations), revision(&b.metadata.annotations)) {
        (Ok(x), Ok(y)) if x != y => x.cmp(&y),
        _ => by_creation(a, b),
    }
}

/// `FilterActiveReplicaSets`: ReplicaSets that want pods.
pub fn filter_active(rss: &[ReplicaSet]) -> Vec<ReplicaSet> {
    rss.iter().filter(|rs| rs_replicas(rs) > 0).cloned().collect()
}

/// `getRollbackTo`: the revision asked for, when the annotation holds an integer.
pub(crate) fn rollback_to(d: &Deployment) -> Option<i64> {
    let v = d.metadata.annotations.get(ROLLBACK_TO_ANNOTATION)?;
    if v.is_empty() {
        return None;
    }
    let digits = v.strip_prefix(['+', '-']).unwrap_or(v);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    v.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::apps_v1::{DeploymentStrategy, RollingUpdateDeployment};

    fn deployment(replicas: i32, surge: IntOrString, unavailable: IntOrString) -> Deployment {
        let mut d = Deployment::default();
        d.spec.replicas = Some(replicas);
        d.spec.strategy = DeploymentStrategy {
            r#type: ROLLING_UPDATE.into(),
            rolling_update: Some(Box::new(RollingUpdateDeployment {
                max_surge: Some(surge),
                max_unavailable: Some(unavailable),
            })),
        };
        d
    }

    fn pct(s: &str) -> IntOrString {
        IntOrString::String(s.into())
    }

    fn rs(name: &str, second: u64, replicas: i32) -> ReplicaSet {
        let mut rs = ReplicaSet::default();
        rs.metadata.name = name.into();
        rs.metadata.uid = format!("uid-{name}");
        rs.metadata.creation_timestamp = Time::at_second(second);
        rs.spec.replicas = Some(replicas);
        rs
    }

    #[test]
    fn fenceposts_round_surge_up_and_unavailable_down() {
        assert_eq!(resolve_fenceposts(Some(&pct("25%")), Some(&pct("25%")), 10), Ok((3, 2)));
        assert_eq!(resolve_fenceposts(Some(&pct("25%")), Some(&pct("25%")), 3), Ok((1, 0)));
        assert_eq!(resolve_fenceposts(Some(&pct("50%")), Some(&pct("50%")), 5), Ok((3, 2)));
        // Both zero: one pod may go.
        assert_eq!(resolve_fenceposts(Some(&pct("10%")), Some(&pct("10%")), 1), Ok((1, 0)));
        assert_eq!(resolve_fenceposts(Some(&IntOrString::Int(0)), Some(&pct("10%")), 5), Ok((0, 1)));
        assert_eq!(resolve_fenceposts(None, None, 5), Ok((0, 1)));
        assert!(resolve_fenceposts(Some(&pct("x")), None, 5).is_err());
    }

    #[test]
    fn max_unavailable_is_clamped_and_zero_without_replicas() {
        assert_eq!(max_unavailable(&deployment(3, IntOrString::Int(0), IntOrString::Int(5))), 3);
        assert_eq!(max_unavailable(&deployment(0, IntOrString::Int(1), IntOrString::Int(1))), 0);
        let mut recreate = deployment(3, IntOrString::Int(1), IntOrString::Int(1));
        recreate.spec.strategy.r#type = RECREATE.into();
        assert_eq!(max_unavailable(&recreate), 0);
        assert_eq!(max_surge(&recreate), 0);
    }

    #[test]
    fn new_rs_grows_within_the_surge() {
        let d = deployment(10, pct("25%"), pct("25%"));
        let old = rs("old", 1, 10);
        let new = rs("new", 2, 0);
        // 10 + ceil(2.5) = 13 pods at most: the new ReplicaSet may take 3.
        assert_eq!(new_rs_new_replicas(&d, &[&old, &new], &new), Ok(3));
        let new3 = rs("new", 2, 3);
        assert_eq!(new_rs_new_replicas(&d, &[&old, &new3], &new3), Ok(3), "at the limit: unchanged");
        let old2 = rs("old", 1, 2);
        // Room for 8 more, but never beyond the Deployment's replicas.
        assert_eq!(new_rs_new_replicas(&d, &[&old2, &new3], &new3), Ok(10));
        let mut recreate = d.clone();
        recreate.spec.strategy.r#type = RECREATE.into();
        assert_eq!(new_rs_new_replicas(&recreate, &[&old, &new], &new), Ok(10));
    }

    #[test]
    fn int32_arithmetic_wraps_as_in_go() {
        // replicas + maxSurge overflows int32: Go's controller then never scales the new ReplicaSet up.
        let d = deployment(i32::MAX, pct("25%"), pct("25%"));
        let new = rs("new", 1, 0);
        assert_eq!(max_total_replicas(&d), i32::MAX.wrapping_add(536_870_912));
        assert_eq!(new_rs_new_replicas(&d, &[&new], &new), Ok(0));
        let big = rs("big", 1, i32::MAX);
        assert_eq!(replica_count([&big, &big]), -2);
    }

    #[test]
    fn conditions_keep_transition_time_and_ignore_same_reason() {
        let mut s = DeploymentStatus::default();
        let t1 = Time::at_second(1);
        let t2 = Time::at_second(2);
        set_condition(&mut s, new_condition(PROGRESSING, "True", NEW_REPLICA_SET_REASON, "a".into(), &t1));
        set_condition(&mut s, new_condition(AVAILABLE, "False", MINIMUM_REPLICAS_UNAVAILABLE, "b".into(), &t1));
        // Same status and reason: the message is not updated.
        set_condition(&mut s, new_condition(PROGRESSING, "True", NEW_REPLICA_SET_REASON, "other".into(), &t2));
        assert_eq!(s.conditions[0].message, "a");
        // Same status, new reason: replaced, moved last, transition time kept.
        set_condition(&mut s, new_condition(PROGRESSING, "True", NEW_RS_AVAILABLE_REASON, "c".into(), &t2));
        assert_eq!(s.conditions[1].reason, NEW_RS_AVAILABLE_REASON);
        assert_eq!(s.conditions[1].last_transition_time, t1);
        assert_eq!(s.conditions[1].last_update_time, t2);
        // New status: a new transition time.
        set_condition(&mut s, new_condition(AVAILABLE, "True", MINIMUM_REPLICAS_AVAILABLE, "d".into(), &t2));
        assert_eq!(s.conditions[1].last_transition_time, t2);
    }

    #[test]
    fn revision_history_is_kept_within_its_length() {
        let d = deployment(1, pct("25%"), pct("25%"));
        let mut r = rs("r", 1, 1);
        r.metadata.annotations.insert(REVISION_ANNOTATION.into(), "1".into());
        assert!(set_new_replica_set_annotations(&d, &mut r, "3", true, 2000));
        assert_eq!(r.metadata.annotations[REVISION_ANNOTATION], "3");
        assert_eq!(r.metadata.annotations[REVISION_HISTORY_ANNOTATION], "1");
        assert!(set_new_replica_set_annotations(&d, &mut r, "5", true, 2000));
        assert_eq!(r.metadata.annotations[REVISION_HISTORY_ANNOTATION], "1,3");
        // Over the limit the oldest entries go.
        assert!(set_new_replica_set_annotations(&d, &mut r, "7", true, 4));
        assert_eq!(r.metadata.annotations[REVISION_HISTORY_ANNOTATION], "3,5");
        // Never lowered; existing ReplicaSets get no replica annotations here.
        assert!(!set_new_replica_set_annotations(&d, &mut r, "2", true, 2000));
        assert!(!r.metadata.annotations.contains_key(DESIRED_REPLICAS_ANNOTATION));
        let mut fresh = rs("f", 1, 0);
        assert!(set_new_replica_set_annotations(&d, &mut fresh, "1", false, 2000));
        assert_eq!(fresh.metadata.annotations[MAX_REPLICAS_ANNOTATION], "2");
        assert!(!fresh.metadata.annotations.contains_key(REVISION_HISTORY_ANNOTATION));
    }

    #[test]
    fn deployment_annotations_are_copied_except_controller_ones() {
        let mut d = deployment(1, pct("25%"), pct("25%"));
        d.metadata.annotations.insert("kubernetes.io/change-cause".into(), "x".into());
        d.metadata.annotations.insert(REVISION_ANNOTATION.into(), "9".into());
        d.metadata.annotations.insert(LAST_APPLIED_ANNOTATION.into(), "{}".into());
        let mut r = rs("r", 1, 1);
        assert!(set_new_replica_set_annotations(&d, &mut r, "1", true, 2000));
        assert_eq!(r.metadata.annotations["kubernetes.io/change-cause"], "x");
        assert_eq!(r.metadata.annotations[REVISION_ANNOTATION], "1");
        assert!(!r.metadata.annotations.contains_key(LAST_APPLIED_ANNOTATION));
    }

    #[test]
    fn last_revision_is_the_second_highest() {
        let mk = |v: &str| {
            let mut r = rs(v, 1, 0);
            r.metadata.annotations.insert(REVISION_ANNOTATION.into(), v.into());
            r
        };
        let (a, b, c) = (mk("3"), mk("1"), mk("2"));
        assert_eq!(last_revision(&[&a, &b, &c]), 2);
        assert_eq!(last_revision(&[&b]), 0);
        assert_eq!(max_revision(&[a, b, c, mk("x")]), 3);
    }

    #[test]
    fn proportions_follow_the_max_replicas_annotation() {
        let d = deployment(20, IntOrString::Int(3), IntOrString::Int(0));
        let mut r = rs("r", 1, 5);
        r.metadata.annotations.insert(MAX_REPLICAS_ANNOTATION.into(), "13".into());
        // 5 * 23 / 13 = 8.85 -> 9: four more.
        assert_eq!(replica_set_proportion(&r, &d, 10, 0), 4);
        assert_eq!(replica_set_proportion(&r, &d, 10, 8), 2, "bounded by what is left");
        let down = deployment(5, IntOrString::Int(3), IntOrString::Int(0));
        // 5 * 8 / 13 = 3.08 -> 3: two fewer.
        assert_eq!(replica_set_proportion(&r, &down, -5, 0), -2);
    }

    #[test]
    fn active_or_latest() {
        let new = rs("new", 3, 0);
        let mut old = vec![rs("a", 1, 0), rs("b", 2, 0)];
        assert_eq!(find_active_or_latest(Some(&new), &mut old).unwrap().metadata.name, "new");
        assert_eq!(find_active_or_latest(None, &mut old).unwrap().metadata.name, "b", "newest old one");
        let mut old = vec![rs("a", 1, 2), rs("b", 2, 0)];
        assert_eq!(find_active_or_latest(Some(&new), &mut old).unwrap().metadata.name, "a");
        let mut old = vec![rs("a", 1, 2), rs("b", 2, 1)];
        assert!(find_active_or_latest(Some(&new), &mut old).is_none());
    }

    #[test]
    fn replica_set_orders() {
        let mut v = [rs("c", 3, 2), rs("a", 1, 2), rs("b", 2, 5)];
        v.sort_by(by_size_older);
        assert_eq!(v.iter().map(|r| r.metadata.name.as_str()).collect::<Vec<_>>(), ["b", "a", "c"]);
        v.sort_by(by_size_newer);
        assert_eq!(v.iter().map(|r| r.metadata.name.as_str()).collect::<Vec<_>>(), ["b", "c", "a"]);
    }

    #[test]
    fn saturation_needs_all_replicas_available() {
        let d = deployment(3, pct("25%"), pct("25%"));
        let mut r = rs("r", 1, 3);
        r.metadata.annotations.insert(DESIRED_REPLICAS_ANNOTATION.into(), "3".into());
        assert!(!is_saturated(&d, Some(&r)));
        r.status.available_replicas = 3;
        assert!(is_saturated(&d, Some(&r)));
        r.metadata.annotations.insert(DESIRED_REPLICAS_ANNOTATION.into(), "4".into());
        assert!(!is_saturated(&d, Some(&r)));
    }

    #[test]
    fn progress_and_timeouts() {
        let mut d = deployment(3, pct("25%"), pct("25%"));
        d.spec.progress_deadline_seconds = Some(600);
        d.status.replicas = 4;
        d.status.updated_replicas = 1;
        let mut s = d.status.clone();
        assert!(!deployment_progressing(&d, &s));
        s.replicas = 3;
        assert!(deployment_progressing(&d, &s), "an old pod fewer");
        let t = Time::at_second(0);
        s.conditions.push(new_condition(PROGRESSING, "True", REPLICA_SET_UPDATED_REASON, String::new(), &t));
        assert!(!deployment_timed_out(&d, &s, 600));
        assert!(deployment_timed_out(&d, &s, 601));
        d.spec.progress_deadline_seconds = Some(i32::MAX);
        assert!(!deployment_timed_out(&d, &s, 10_000));
    }
}
