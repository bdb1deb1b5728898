//! A StatefulSet pod's identity (`stateful_set_utils.go`): its ordinal name, its hostname and subdomain, the
//! identity labels, its volumes from the claim templates, and the revision label; plus the state predicates the
//! controller reads pods with.

use crate::api::apps_v1::StatefulSet;
use crate::api::core_v1::{PersistentVolumeClaim, PersistentVolumeClaimVolumeSource, Pod, Volume};
use crate::api::GroupKind;
use crate::controller::util::{self, Owner};
use crate::helpers::pod::{is_pod_available, is_pod_ready};

/// `apps.StatefulSetPodNameLabel`.
pub const POD_NAME_LABEL: &str = "statefulset.kubernetes.io/pod-name";
/// `apps.PodIndexLabel` (the PodIndexLabel gate is locked on in v1.32).
pub const POD_INDEX_LABEL: &str = "apps.kubernetes.io/pod-index";
/// `apps.StatefulSetRevisionLabel`: the name of the ControllerRevision a pod was made from.
pub const REVISION_LABEL: &str = "controller-revision-hash";

/// `getParentNameAndOrdinal`: a pod name read as `(.*)-([0-9]+)$`. The ordinal is -1 when the name does not end in
/// `-<digits>` or the digits do not fit an int32; the parent is empty when the name does not match at all.
pub fn parent_and_ordinal(name: &str) -> (&str, i64) {
    let Some((parent, digits)) = name.rsplit_once('-') else { return ("", -1) };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return ("", -1);
    }
    let ordinal = digits.parse::<i32>().map(i64::from).unwrap_or(-1);
    (parent, ordinal)
}

/// `getOrdinal`.
pub fn ordinal(pod: &Pod) -> i64 {
    parent_and_ordinal(&pod.metadata.name).1
}

/// `getStartOrdinal`: `spec.ordinals.start`, 0 by default.
pub fn start_ordinal(set: &StatefulSet) -> i64 {
    set.spec.ordinals.as_ref().map_or(0, |o| i64::from(o.start))
}

/// `getEndOrdinal`: the last ordinal in range (start - 1 when the set has no replicas).
pub fn end_ordinal(set: &StatefulSet) -> i64 {
    start_ordinal(set) + i64::from(replicas(set)) - 1
}

/// `*spec.replicas` (defaulted to 1 by the API server).
pub fn replicas(set: &StatefulSet) -> i32 {
    set.spec.replicas.unwrap_or(1)
}

/// `podInOrdinalRange`.
pub fn in_ordinal_range(pod: &Pod, set: &StatefulSet) -> bool {
    let o = ordinal(pod);
    o >= start_ordinal(set) && o <= end_ordinal(set)
}

/// `getPodName`: `<set>-<ordinal>`.
pub fn pod_name(set: &StatefulSet, ordinal: i64) -> String {
    format!("{}-{}", set.metadata.name, ordinal)
}

/// `getPersistentVolumeClaimName`: `<claim>-<set>-<ordinal>`.
pub fn claim_name(set: &StatefulSet, claim: &PersistentVolumeClaim, ordinal: i64) -> String {
    format!("{}-{}-{}", claim.metadata.name, set.metadata.name, ordinal)
}

/// `isMemberOf`: the pod's name says it belongs to this set.
pub fn is_member_of(set: &StatefulSet, pod: &Pod) -> bool {
    parent_and_ordinal(&pod.metadata.name).0 == set.metadata.name
}

/// `identityMatches`: name, namespace and the pod-name label are what the ordinal says.
pub fn identity_matches(set: &StatefulSet, pod: &Pod) -> bool {
    let (parent, ordinal) = parent_and_ordinal(&pod.metadata.name);
    ordinal >= 0
        && set.metadata.name == parent
        && pod.metadata.name == pod_name(set, ordinal)
        && pod.metadata.namespace == set.metadata.namespace
        && pod.metadata.labels.get(POD_NAME_LABEL) == Some(&pod.metadata.name)
}

/// `storageMatches`: every claim template is mounted from the pod's own claim.
pub fn storage_matches(set: &StatefulSet, pod: &Pod) -> bool {
    let ordinal = ordinal(pod);
    if ordinal < 0 {
        return false;
    }
    set.spec.volume_claim_templates.iter().all(|claim| {
        pod.spec.volumes.iter().rev().find(|v| v.name == claim.metadata.name).is_some_and(|v| {
            v.persistent_volume_claim.as_ref().is_some_and(|c| c.claim_name == claim_name(set, claim, ordinal))
        })
    })
}

/// `getPersistentVolumeClaims`: the claims the pod needs, one per template, in template order, labelled with the
/// template's labels and the selector's `matchLabels`.
pub fn claims_for(set: &StatefulSet, pod: &Pod) -> Vec<PersistentVolumeClaim> {
    let ordinal = ordinal(pod);
    let match_labels = set.spec.selector.as_ref().map(|s| s.match_labels.clone()).unwrap_or_default();
    set.spec
        .volume_claim_templates
        .iter()
        .map(|template| {
            let mut claim = template.clone();
            claim.metadata.name = claim_name(set, template, ordinal);
            claim.metadata.namespace = set.metadata.namespace.clone();
            claim.metadata.labels.extend(match_labels.clone());
            claim
        })
        .collect()
}

/// `updateStorage`: the claim volumes first, then the pod's other volumes (a volume named like a claim template
/// is replaced). Go builds the claim volumes from a map, in no defined order; kubeplan keeps the template order.
pub fn update_storage(set: &StatefulSet, pod: &mut Pod) {
    let templates: Vec<&str> = set.spec.volume_claim_templates.iter().map(|t| t.metadata.name.as_str()).collect();
    let mut volumes: Vec<Volume> = claims_for(set, pod)
        .into_iter()
        .zip(&templates)
        .map(|(claim, template)| Volume {
            name: (*template).to_owned(),
            persistent_volume_claim: Some(Box::new(PersistentVolumeClaimVolumeSource {
                claim_name: claim.metadata.name,
                read_only: false,
            })),
            ..Default::default()
        })
        .collect();
    volumes.extend(pod.spec.volumes.iter().filter(|v| !templates.contains(&v.name.as_str())).cloned());
    pod.spec.volumes = volumes;
}

/// `updateIdentity`: name and namespace from the ordinal, the pod-name and pod-index labels.
pub fn update_identity(set: &StatefulSet, pod: &mut Pod) {
    let ordinal = ordinal(pod);
    pod.metadata.name = pod_name(set, ordinal);
    pod.metadata.namespace = set.metadata.namespace.clone();
    pod.metadata.labels.insert(POD_NAME_LABEL.into(), pod.metadata.name.clone());
    pod.metadata.labels.insert(POD_INDEX_LABEL.into(), ordinal.to_string());
}

/// `initIdentity`: the identity, plus `hostname` = the pod name and `subdomain` = the governing service.
pub fn init_identity(set: &StatefulSet, pod: &mut Pod) {
    update_identity(set, pod);
    pod.spec.hostname = pod.metadata.name.clone();
    pod.spec.subdomain = set.spec.service_name.clone();
}

/// `newStatefulSetPod`: a pod from the set's template (`GetPodFromTemplate`, so `generateName` `<set>-` too) with
/// its ordinal identity and storage.
pub fn new_pod(set: &StatefulSet, ordinal: i64) -> Pod {
    let owner = Owner::of(GroupKind::StatefulSet, &set.metadata);
    let mut pod = util::pod_from_template(&set.spec.template, &owner);
    pod.metadata.name = pod_name(set, ordinal);
    init_identity(set, &mut pod);
    update_storage(set, &mut pod);
    pod
}

/// `newVersionedStatefulSetPod`: a missing pod is made at the current revision when it sits below the partition
/// (or, for a RollingUpdate without `rollingUpdate`, below `status.currentReplicas`), else at the update
/// revision. Go's condition reads `(RollingUpdate && nil && below currentReplicas) || (non-nil && below
/// partition)`, which this keeps.
pub fn new_versioned_pod(
    current_set: &StatefulSet,
    update_set: &StatefulSet,
    current_revision: &str,
    update_revision: &str,
    ordinal: i64,
) -> Pod {
    let strategy = &current_set.spec.update_strategy;
    let start = start_ordinal(current_set);
    let below_current = strategy.r#type == "RollingUpdate"
        && strategy.rolling_update.is_none()
        && ordinal < start + i64::from(current_set.status.current_replicas);
    let below_partition =
        strategy.rolling_update.as_ref().is_some_and(|ru| ordinal < start + i64::from(ru.partition.unwrap_or(0)));
    let (set, revision) =
        if below_current || below_partition { (current_set, current_revision) } else { (update_set, update_revision) };
    let mut pod = new_pod(set, ordinal);
    set_pod_revision(&mut pod, revision);
    pod
}

/// `setPodRevision`.
pub fn set_pod_revision(pod: &mut Pod, revision: &str) {
    pod.metadata.labels.insert(REVISION_LABEL.into(), revision.to_owned());
}

/// `getPodRevision`: the revision label, empty when absent.
pub fn pod_revision(pod: &Pod) -> &str {
    pod.metadata.labels.get(REVISION_LABEL).map_or("", String::as_str)
}

/// `isCreated`: the API server has given the pod a phase.
pub fn is_created(pod: &Pod) -> bool {
    !pod.status.phase.is_empty()
}

/// `isPending`.
pub fn is_pending(pod: &Pod) -> bool {
    pod.status.phase == "Pending"
}

/// `isFailed` or `isSucceeded`: a pod the controller replaces.
pub fn is_finished(pod: &Pod) -> bool {
    matches!(pod.status.phase.as_str(), "Failed" | "Succeeded")
}

/// `isTerminating`.
pub fn is_terminating(pod: &Pod) -> bool {
    pod.metadata.deletion_timestamp.is_some()
}

/// `isRunningAndReady`.
pub fn is_running_and_ready(pod: &Pod) -> bool {
    pod.status.phase == "Running" && is_pod_ready(pod)
}

/// `isRunningAndAvailable`: `IsPodAvailable` at the model's clock.
pub fn is_running_and_available(pod: &Pod, min_ready_seconds: i32, now: u64) -> bool {
    is_pod_available(pod, min_ready_seconds, now)
}

/// `isHealthy`: running, ready and not terminating.
pub fn is_healthy(pod: &Pod) -> bool {
    is_running_and_ready(pod) && !is_terminating(pod)
}

/// `allowsBurst`: `podManagementPolicy: Parallel`.
pub fn allows_burst(set: &StatefulSet) -> bool {
    set.spec.pod_management_policy == "Parallel"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(name: &str) -> StatefulSet {
        let mut s = StatefulSet::default();
        s.metadata.name = name.into();
        s.metadata.namespace = "ns".into();
        s.spec.service_name = "svc".into();
        s.spec.replicas = Some(3);
        s
    }

    #[test]
    fn ordinals_parse_like_the_regex() {
        assert_eq!(parent_and_ordinal("web-0"), ("web", 0));
        assert_eq!(parent_and_ordinal("my-web-12"), ("my-web", 12));
        assert_eq!(parent_and_ordinal("web-1-2"), ("web-1", 2));
        assert_eq!(parent_and_ordinal("web"), ("", -1));
        assert_eq!(parent_and_ordinal("web-x"), ("", -1));
        assert_eq!(parent_and_ordinal("web-"), ("", -1));
        // Beyond int32: the parent matches but the ordinal is invalid.
        assert_eq!(parent_and_ordinal("web-99999999999"), ("web", -1));
    }

    #[test]
    fn new_pod_has_its_identity() {
        let mut s = set("web");
        s.spec.template.metadata.labels.insert("app".into(), "web".into());
        let p = new_pod(&s, 2);
        assert_eq!(p.metadata.name, "web-2");
        assert_eq!(p.metadata.generate_name, "web-");
        assert_eq!(p.spec.hostname, "web-2");
        assert_eq!(p.spec.subdomain, "svc");
        assert_eq!(p.metadata.labels[POD_NAME_LABEL], "web-2");
        assert_eq!(p.metadata.labels[POD_INDEX_LABEL], "2");
        assert_eq!(p.metadata.labels["app"], "web");
        assert!(identity_matches(&s, &p));
        assert!(is_member_of(&s, &p));
        assert!(!is_member_of(&set("we"), &p));
    }

    #[test]
    fn claim_volumes_replace_template_volumes_and_come_first() {
        let mut s = set("web");
        let mut claim = PersistentVolumeClaim::default();
        claim.metadata.name = "data".into();
        s.spec.volume_claim_templates.push(claim);
        s.spec.template.spec.volumes.push(Volume { name: "cache".into(), ..Default::default() });
        s.spec.template.spec.volumes.push(Volume { name: "data".into(), ..Default::default() });
        let p = new_pod(&s, 1);
        let names: Vec<&str> = p.spec.volumes.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["data", "cache"]);
        assert_eq!(p.spec.volumes[0].persistent_volume_claim.as_ref().unwrap().claim_name, "data-web-1");
        assert!(storage_matches(&s, &p));
        let mut other = p.clone();
        other.spec.volumes.remove(0);
        assert!(!storage_matches(&s, &other));
    }

    #[test]
    fn versioned_pods_follow_the_partition() {
        let mut s = set("web");
        s.spec.replicas = Some(4);
        s.spec.update_strategy.r#type = "RollingUpdate".into();
        s.spec.update_strategy.rolling_update = Some(Box::new(crate::api::apps_v1::RollingUpdateStatefulSetStrategy {
            partition: Some(2),
            max_unavailable: None,
        }));
        let revs: Vec<String> =
            (0..4).map(|o| pod_revision(&new_versioned_pod(&s, &s, "cur", "upd", o)).to_owned()).collect();
        assert_eq!(revs, ["cur", "cur", "upd", "upd"]);
        // Without rollingUpdate, status.currentReplicas plays the partition's part.
        s.spec.update_strategy.rolling_update = None;
        s.status.current_replicas = 1;
        assert_eq!(pod_revision(&new_versioned_pod(&s, &s, "cur", "upd", 0)), "cur");
        assert_eq!(pod_revision(&new_versioned_pod(&s, &s, "cur", "upd", 1)), "upd");
        // OnDelete always makes update-revision pods.
        s.spec.update_strategy.r#type = "OnDelete".into();
        assert_eq!(pod_revision(&new_versioned_pod(&s, &s, "cur", "upd", 0)), "upd");
        // With spec.ordinals.start the partition counts from the start ordinal.
        s.spec.update_strategy.r#type = "RollingUpdate".into();
        s.spec.update_strategy.rolling_update = Some(Box::new(crate::api::apps_v1::RollingUpdateStatefulSetStrategy {
            partition: Some(1),
            max_unavailable: None,
        }));
        s.spec.ordinals = Some(Box::new(crate::api::apps_v1::StatefulSetOrdinals { start: 5 }));
        assert_eq!(pod_revision(&new_versioned_pod(&s, &s, "cur", "upd", 5)), "cur");
        assert_eq!(pod_revision(&new_versioned_pod(&s, &s, "cur", "upd", 6)), "upd");
    }
}
