//! ControllerRevisions as the StatefulSet controller keeps them: `pkg/controller/history/controller_history.go`
//! (naming, hashing, equality, ordering, create with collision probing, adopt) and the revision helpers of
//! `stateful_set_utils.go` (`getPatch`, `newRevision`, `ApplyRevision`, `nextRevision`).
//!
//! A revision is named `<set>-<hash>`, where the hash is FNV-1 over the revision's JSON data plus the decimal
//! collision count, and carries the template's labels plus `controller.kubernetes.io/hash`.

use std::cmp::Ordering;

use crate::api::apps_v1::{ControllerRevision, StatefulSet};
use crate::api::core_v1::PodTemplateSpec;
use crate::api::labels::Selector;
use crate::api::{GroupKind, Object, RawJson, controller_of};
use crate::cluster::{ApiError, Cluster, Concurrency, Propagation};
use crate::controller::hash;
use crate::controller::util::Owner;

/// `history.ControllerRevisionHashLabel`.
pub const HASH_LABEL: &str = "controller.kubernetes.io/hash";

/// `ControllerRevisionName`: `<prefix>-<hash>`, the prefix cut to 223 characters.
pub fn revision_name(prefix: &str, hash: &str) -> String {
    let mut end = prefix.len().min(223);
    while !prefix.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}-{}", &prefix[..end], hash)
}

/// `getPatch`: the revision data, `{"spec":{"template":{"$patch":"replace",...}}}` in Go's JSON form.
pub fn patch(set: &StatefulSet) -> String {
    hash::statefulset_revision_data(&set.spec.template)
}

/// The bytes of a stored revision's `data.raw`.
pub fn raw(rev: &ControllerRevision) -> String {
    crate::go::json::marshal(&rev.data.0)
}

/// `HashControllerRevision` of data with a probe (the controller always passes its collision count).
fn hash_of(data: &str, collision_count: i32) -> String {
    hash::hash_controller_revision(data, Some(collision_count))
}

/// `newRevision` (through `history.NewControllerRevision`): the revision the set's template would be, numbered
/// `revision`, named with the current collision count, labelled with the template labels and the hash, annotated
/// with the set's annotations, controlled by the set.
pub fn new_revision(set: &StatefulSet, revision: i64, collision_count: i32) -> ControllerRevision {
    let data = patch(set);
    let h = hash_of(&data, collision_count);
    let mut cr = ControllerRevision::default();
    cr.metadata.name = revision_name(&set.metadata.name, &h);
    cr.metadata.namespace = set.metadata.namespace.clone();
    cr.metadata.labels = set.spec.template.metadata.labels.clone();
    cr.metadata.labels.insert(HASH_LABEL.into(), h);
    cr.metadata.annotations = set.metadata.annotations.clone();
    cr.metadata.owner_references = vec![Owner::of(GroupKind::StatefulSet, &set.metadata).controller_ref()];
    cr.data = RawJson(serde_json::from_str(&data).unwrap_or_default());
    cr.revision = revision;
    cr
}

/// `EqualRevision`: when both hash labels read as int32 they must agree; then the data must be byte-equal.
pub fn equal_revision(lhs: &ControllerRevision, rhs: &ControllerRevision) -> bool {
    let hash_int = |r: &ControllerRevision| r.metadata.labels.get(HASH_LABEL).and_then(|h| h.parse::<i32>().ok());
    if let (Some(l), Some(r)) = (hash_int(lhs), hash_int(rhs)) {
        if l != r {
            return false;
        }
    }
    raw(lhs) == raw(rhs)
}

/// `FindEqualRevisions`: the revisions equal to `needle`, in the given order.
pub fn find_equal<'a>(revisions: &'a [ControllerRevision], needle: &ControllerRevision) -> Vec<&'a ControllerRevision> {
    revisions.iter().filter(|r| equal_revision(r, needle)).collect()
}

/// `byRevision`: revision number, then creation time, then name.
fn by_revision(a: &ControllerRevision, b: &ControllerRevision) -> Ordering {
    a.revision
        .cmp(&b.revision)
        .then_with(|| a.metadata.creation_timestamp.cmp(&b.metadata.creation_timestamp))
        .then_with(|| a.metadata.name.cmp(&b.metadata.name))
}

/// `SortControllerRevisions` (stable).
pub fn sort(revisions: &mut [ControllerRevision]) {
    revisions.sort_by(by_revision);
}

/// `nextRevision`: one more than the last of the sorted revisions, 1 for none.
pub fn next_revision(sorted: &[ControllerRevision]) -> i64 {
    sorted.last().map_or(1, |r| r.revision + 1)
}

/// `ApplyRevision`: the set with the revision's template in place of its own (the data replaces the template
/// wholesale). A revision whose data does not decode leaves the set's own template.
pub fn apply_revision(set: &StatefulSet, rev: &ControllerRevision) -> StatefulSet {
    let mut clone = set.clone();
    if let Some(template) = revision_template(rev) {
        clone.spec.template = template;
    }
    clone
}

/// The pod template a revision holds.
pub fn revision_template(rev: &ControllerRevision) -> Option<PodTemplateSpec> {
    let mut t = rev.data.0.pointer("/spec/template")?.clone();
    t.as_object_mut()?.remove("$patch");
    // Decode from the bytes Go would decode, so numbers read back as the integers they were.
    serde_json::from_str(&crate::go::json::marshal(&t)).ok()
}

/// `ListControllerRevisions`: the namespace's revisions the selector matches that the set controls or nobody
/// does, in name order.
pub fn list(cluster: &Cluster, set: &StatefulSet, selector: &Selector) -> Vec<ControllerRevision> {
    cluster
        .store()
        .list_in::<ControllerRevision>(&set.metadata.namespace)
        .filter(|r| selector.matches(&r.metadata.labels))
        .filter(|r| controller_of(&r.metadata).is_none_or(|c| c.uid == set.metadata.uid))
        .cloned()
        .collect()
}

/// `AdoptControllerRevision`: add the set as the revision's controller.
pub fn adopt(cluster: &mut Cluster, set: &StatefulSet, rev: &ControllerRevision) {
    if controller_of(&rev.metadata).is_some() {
        return;
    }
    let mut rev = rev.clone();
    rev.metadata.owner_references.push(Owner::of(GroupKind::StatefulSet, &set.metadata).controller_ref());
    let _ = cluster.patch(Object::ControllerRevision(Box::new(rev)), Concurrency::Unchecked);
}

/// `CreateControllerRevision`: create the revision under the name its data and the collision count give; a name
/// already taken by other data raises the collision count and tries the next name, a name taken by the same data
/// is that revision. The hash label keeps the value the revision was built with, as Go's clone does.
pub fn create(
    cluster: &mut Cluster,
    set: &StatefulSet,
    revision: &ControllerRevision,
    collision_count: &mut i32,
) -> Result<ControllerRevision, ApiError> {
    let data = raw(revision);
    loop {
        let mut clone = revision.clone();
        clone.metadata.name = revision_name(&set.metadata.name, &hash_of(&data, *collision_count));
        match cluster.create(Object::ControllerRevision(Box::new(clone.clone()))) {
            Ok(Object::ControllerRevision(created)) => return Ok(*created),
            Ok(_) => return Err(ApiError::Client("creating a revision returned another kind".into())),
            Err(ApiError::AlreadyExists(_)) => {
                let key = (set.metadata.namespace.clone(), clone.metadata.name.clone());
                let Some(existing) = cluster.store().by_key::<ControllerRevision>(&key).cloned() else {
                    return Err(ApiError::NotFound(format!("controllerrevisions.apps {:?} not found", key.1)));
                };
                if raw(&existing) == data {
                    return Ok(existing);
                }
                *collision_count += 1;
            }
            Err(e) => return Err(e),
        }
    }
}

/// `UpdateControllerRevision`: give the revision a new number (a rollback to an older template).
pub fn update_revision_number(cluster: &mut Cluster, rev: &ControllerRevision, revision: i64) -> ControllerRevision {
    let mut clone = rev.clone();
    if clone.revision != revision {
        clone.revision = revision;
        let _ = cluster.patch(Object::ControllerRevision(Box::new(clone.clone())), Concurrency::Unchecked);
    }
    clone
}

/// `DeleteControllerRevision`.
pub fn delete(cluster: &mut Cluster, rev: &ControllerRevision) {
    let _ = cluster.delete(GroupKind::ControllerRevision, &rev.metadata.namespace, &rev.metadata.name, Propagation::Background);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rev(name: &str, revision: i64, created: u64) -> ControllerRevision {
        let mut r = ControllerRevision::default();
        r.metadata.name = name.into();
        r.revision = revision;
        r.metadata.creation_timestamp = crate::api::Time::at_second(created);
        r
    }

    #[test]
    fn sorted_by_revision_then_age_then_name() {
        let mut v = vec![rev("c", 2, 1), rev("b", 1, 5), rev("a", 1, 5), rev("d", 1, 2)];
        sort(&mut v);
        let names: Vec<&str> = v.iter().map(|r| r.metadata.name.as_str()).collect();
        assert_eq!(names, ["d", "a", "b", "c"]);
        assert_eq!(next_revision(&v), 3);
        assert_eq!(next_revision(&[]), 1);
    }

    #[test]
    fn names_cut_long_prefixes() {
        assert_eq!(revision_name("web", "abc"), "web-abc");
        assert_eq!(revision_name(&"x".repeat(300), "h").len(), 225);
    }

    #[test]
    fn equality_is_data_then_numeric_hash_labels() {
        let mut a = rev("a", 1, 1);
        a.data = RawJson(serde_json::json!({"spec": {"template": {"$patch": "replace"}}}));
        let mut b = a.clone();
        assert!(equal_revision(&a, &b));
        // Hash labels that are not integers are not compared.
        a.metadata.labels.insert(HASH_LABEL.into(), "6f8cd865bf".into());
        b.metadata.labels.insert(HASH_LABEL.into(), "84ff67758b".into());
        assert!(equal_revision(&a, &b));
        // Integer labels that differ make the revisions different even with equal data.
        a.metadata.labels.insert(HASH_LABEL.into(), "45".into());
        b.metadata.labels.insert(HASH_LABEL.into(), "46".into());
        assert!(!equal_revision(&a, &b));
        b.data = RawJson(serde_json::json!({"spec": {}}));
        b.metadata.labels.clear();
        assert!(!equal_revision(&a, &b));
    }

    #[test]
    fn revision_carries_template_labels_hash_and_annotations() {
        let mut s = StatefulSet::default();
        s.metadata.name = "db".into();
        s.metadata.namespace = "default".into();
        s.metadata.uid = "u".into();
        s.metadata.annotations.insert("note".into(), "x".into());
        s.spec.template.metadata.labels.insert("app".into(), "db".into());
        let r = new_revision(&s, 3, 0);
        let h = r.metadata.labels[HASH_LABEL].clone();
        assert_eq!(r.metadata.name, format!("db-{h}"));
        assert_eq!(h, hash::hash_controller_revision(&patch(&s), Some(0)));
        assert_ne!(h, new_revision(&s, 3, 1).metadata.labels[HASH_LABEL], "the collision count changes the name");
        assert_eq!(r.metadata.labels["app"], "db");
        assert_eq!(r.metadata.annotations["note"], "x");
        assert_eq!(r.revision, 3);
        assert_eq!(raw(&r), patch(&s));
        assert_eq!(revision_template(&r).unwrap(), s.spec.template);
    }
}
