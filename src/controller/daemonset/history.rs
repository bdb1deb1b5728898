//! DaemonSet revision history (`update.go:constructHistory`, `snapshot`, `dedupCurHistories`, `cleanupHistory`,
//! `Match`, `getPatch`).
//!
//! Each distinct template is a ControllerRevision named `<ds>-<hash>` holding the template as a patch. The
//! revision whose data equals the current template is "current"; it is created when missing, and bumped to the
//! highest revision number when an old template comes back (a rollback). Old revisions beyond
//! `revisionHistoryLimit` are deleted oldest first, unless a live pod still carries their hash.

use std::sync::Arc;

use crate::api::apps_v1::{ControllerRevision, DaemonSet};
use crate::api::labels::Selector;
use crate::api::{GroupKind, Object, RawJson};
use crate::cluster::{ApiError, Cluster, Concurrency, Propagation};
use crate::controller::hash;
use crate::controller::util::Owner;
use crate::api::core_v1::Pod;

use super::{node_to_daemon_pods, HASH_LABEL};

/// `getPatch`: the template as `{"spec":{"template":{...,"$patch":"replace"}}}`, in Go's JSON form.
pub fn patch(ds: &DaemonSet) -> String {
    hash::daemonset_revision_data(&ds.spec.template)
}

/// `Match`: the revision's data is byte-equal to the DaemonSet's patch.
fn matches(ds: &DaemonSet, rev: &ControllerRevision) -> bool {
    let data = crate::go::json::marshal(&rev.data.0);
    data == patch(ds)
}

/// `controlledHistories`: the revisions this DaemonSet controls, adopting matching orphans.
fn controlled(cluster: &mut Cluster, ds: &DaemonSet, owner: &Owner) -> Vec<ControllerRevision> {
    let selector = Selector::for_controller(ds.spec.selector.as_deref());
    let mut out = Vec::new();
    let mut adopt = Vec::new();
    for rev in cluster.store().list_in::<ControllerRevision>(&ds.metadata.namespace) {
        match crate::api::controller_of(&rev.metadata) {
            Some(r) if r.uid == ds.metadata.uid => {
                if selector.matches(&rev.metadata.labels) {
                    out.push(rev.clone());
                }
            }
            Some(_) => {}
            None if selector.matches(&rev.metadata.labels) && ds.metadata.deletion_timestamp.is_none() => {
                adopt.push(rev.clone())
            }
            None => {}
        }
    }
    for mut rev in adopt {
        rev.metadata.owner_references.push(owner.controller_ref());
        let _ = cluster.patch(Object::ControllerRevision(Box::new(rev.clone())), Concurrency::Unchecked);
        out.push(rev);
    }
    out.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
    out
}

/// `constructHistory`: returns the current revision's hash and the old revisions, or `None` when the sync must
/// stop (a hash collision was found and recorded; the next sync hashes again).
pub fn construct(cluster: &mut Cluster, ds: &DaemonSet) -> Option<(String, Vec<ControllerRevision>)> {
    let owner = Owner::of(GroupKind::DaemonSet, &ds.metadata);
    let mut current = Vec::new();
    let mut old = Vec::new();
    for mut rev in controlled(cluster, ds, &owner) {
        if !rev.metadata.labels.contains_key(HASH_LABEL) {
            rev.metadata.labels.insert(HASH_LABEL.into(), rev.metadata.name.clone());
            let _ = cluster.patch(Object::ControllerRevision(Box::new(rev.clone())), Concurrency::Unchecked);
        }
        if matches(ds, &rev) {
            current.push(rev);
        } else {
            old.push(rev);
        }
    }
    let next_revision = old.iter().map(|r| r.revision).max().unwrap_or(0) + 1;
    let cur = if current.is_empty() {
        snapshot(cluster, ds, &owner, next_revision).ok()?
    } else {
        let mut cur = dedup(cluster, ds, &owner, current);
        if cur.revision < next_revision {
            cur.revision = next_revision;
            let _ = cluster.patch(Object::ControllerRevision(Box::new(cur.clone())), Concurrency::Unchecked);
        }
        cur
    };
    Some((cur.metadata.labels.get(HASH_LABEL).cloned().unwrap_or_default(), old))
}

/// `snapshot`: create the revision for the current template. A name taken by a different template is a hash
/// collision: bump `status.collisionCount` and give up this sync.
fn snapshot(cluster: &mut Cluster, ds: &DaemonSet, owner: &Owner, revision: i64) -> Result<ControllerRevision, ApiError> {
    let h = hash::compute_hash(&ds.spec.template, ds.status.collision_count);
    let mut rev = ControllerRevision::default();
    rev.metadata.name = format!("{}-{}", ds.metadata.name, h);
    rev.metadata.namespace = ds.metadata.namespace.clone();
    rev.metadata.labels = ds.spec.template.metadata.labels.clone();
    rev.metadata.labels.insert(HASH_LABEL.into(), h);
    rev.metadata.annotations = ds.metadata.annotations.clone();
    rev.metadata.owner_references = vec![owner.controller_ref()];
    rev.data = RawJson(serde_json::from_str(&patch(ds)).unwrap_or_default());
    rev.revision = revision;
    match cluster.create(Object::ControllerRevision(Box::new(rev))) {
        Ok(Object::ControllerRevision(r)) => Ok(*r),
        Ok(_) => unreachable!("creating a revision returns a revision"),
        Err(ApiError::AlreadyExists(m)) => {
            let existing = cluster
                .store()
                .by_key::<ControllerRevision>(&(ds.metadata.namespace.clone(), format!("{}-{}", ds.metadata.name, hash::compute_hash(&ds.spec.template, ds.status.collision_count))))
                .cloned();
            if let Some(existing) = existing.filter(|e| matches(ds, e)) {
                return Ok(existing);
            }
            if let Some(mut current) = cluster.store().by_key::<DaemonSet>(&(ds.metadata.namespace.clone(), ds.metadata.name.clone())).cloned() {
                *current.status.collision_count.get_or_insert(0) += 1;
                let _ = cluster.patch(Object::DaemonSet(Box::new(current)), Concurrency::Unchecked);
            }
            Err(ApiError::AlreadyExists(m))
        }
        Err(e) => Err(e),
    }
}

/// `dedupCurHistories`: several revisions match the template; keep the newest, relabel pods to its hash and
/// delete the others.
fn dedup(cluster: &mut Cluster, ds: &DaemonSet, owner: &Owner, current: Vec<ControllerRevision>) -> ControllerRevision {
    if current.len() == 1 {
        return current.into_iter().next().expect("one revision");
    }
    let keep = current.iter().fold(None::<&ControllerRevision>, |best, r| match best {
        Some(b) if r.revision < b.revision => Some(b),
        _ => Some(r),
    });
    let keep = keep.expect("at least one revision").clone();
    let keep_hash = keep.metadata.labels.get(HASH_LABEL).cloned().unwrap_or_default();
    let selector = Selector::for_controller(ds.spec.selector.as_deref());
    let pods = crate::controller::util::claim_pods(cluster, owner, &selector, false);
    for key in pods {
        if let Some(mut pod) = cluster.store().by_key::<Pod>(&key).cloned() {
            if pod.metadata.labels.get(HASH_LABEL) != Some(&keep_hash) {
                pod.metadata.labels.insert(HASH_LABEL.into(), keep_hash.clone());
                let _ = cluster.patch(Object::Pod(Arc::new(pod)), Concurrency::Unchecked);
            }
        }
    }
    for r in &current {
        if r.metadata.name != keep.metadata.name {
            let _ = cluster.delete(GroupKind::ControllerRevision, &r.metadata.namespace, &r.metadata.name, Propagation::Background);
        }
    }
    keep
}

/// `cleanupHistory`: delete old revisions beyond `revisionHistoryLimit`, oldest first, sparing those whose hash a
/// pod still carries (terminal deleted pods included).
///
/// `cleanupHistory` lists the pods (claiming them) before it looks at the limit; kubeplan looks first, since
/// that claim cannot adopt or release anything: `manage` claimed with the same DaemonSet earlier in this sync,
/// and nothing since has made orphans or changed labels. Listing 100,000 pods each round for nothing is what
/// it saves.
pub fn cleanup(cluster: &mut Cluster, ds: &DaemonSet, owner: &Owner, old: &[ControllerRevision]) {
    let limit = ds.spec.revision_history_limit.unwrap_or(10).max(0) as usize;
    let mut to_kill = old.len().saturating_sub(limit);
    if to_kill == 0 {
        return;
    }
    let node_pods = node_to_daemon_pods(cluster, ds, owner, true);
    let live: std::collections::HashSet<&str> = node_pods
        .values()
        .flatten()
        .filter_map(|k| cluster.store().by_key::<Pod>(k))
        .filter_map(|p| p.metadata.labels.get(HASH_LABEL).map(String::as_str))
        .collect();
    let mut old: Vec<&ControllerRevision> = old.iter().collect();
    old.sort_by_key(|r| r.revision);
    let mut doomed = Vec::new();
    for rev in old {
        if to_kill == 0 {
            break;
        }
        if rev.metadata.labels.get(HASH_LABEL).is_some_and(|h| live.contains(h.as_str())) {
            continue;
        }
        doomed.push(rev.metadata.name.clone());
        to_kill -= 1;
    }
    for name in doomed {
        let _ = cluster.delete(GroupKind::ControllerRevision, &ds.metadata.namespace, &name, Propagation::Background);
    }
}
