//! Rollback requested through the `deprecated.deployment.rollback.to` annotation
//! (`pkg/controller/deployment/rollback.go`), which old clients set; `kubectl rollout undo` today rewrites the
//! template itself. The Deployment takes the template and annotations of the ReplicaSet with the asked revision
//! (0: the previous one), and the annotation is cleared.

use crate::api::apps_v1::ReplicaSet;

use super::client::{self, SyncResult};
use super::sync::{all_of, all_replica_sets_and_sync_revision};
use super::util;
use super::Sync;

/// `rollback`.
pub(crate) fn rollback(s: &mut Sync<'_>, mut rs_list: Vec<ReplicaSet>) -> SyncResult<()> {
    let (new, old) = all_replica_sets_and_sync_revision(s, &mut rs_list, true)?;
    let all = all_of(new.as_ref(), &old);
    let mut revision = util::rollback_to(&s.d).unwrap_or(0);
    if revision == 0 {
        revision = util::last_revision(&all.iter().collect::<Vec<_>>());
        if revision == 0 {
            s.event("Warning", util::ROLLBACK_REVISION_NOT_FOUND, "Unable to find last revision.".into());
            return update_and_clear_rollback_to(s);
        }
    }
    for rs in &all {
        if util::revision(&rs.metadata.annotations) != Ok(revision) {
            continue;
        }
        let (performed, result) = rollback_to_template(s, rs);
        if performed && result.is_ok() {
            let message = format!("Rolled back deployment {:?} to revision {revision}", s.d.metadata.name);
            s.event("Normal", util::ROLLBACK_DONE, message);
        }
        return result;
    }
    s.event("Warning", util::ROLLBACK_REVISION_NOT_FOUND, "Unable to find the revision to rollback to.".into());
    update_and_clear_rollback_to(s)
}

/// `rollbackToTemplate`: take the ReplicaSet's template and annotations unless the template is already the
/// Deployment's. Returns whether it rolled back, and the result of the update.
fn rollback_to_template(s: &mut Sync<'_>, rs: &ReplicaSet) -> (bool, SyncResult<()>) {
    let performed = if !util::equal_ignore_hash(&s.d.spec.template, &rs.spec.template) {
        util::set_from_replica_set_template(&mut s.d, &rs.spec.template);
        util::set_deployment_annotations_to(&mut s.d, rs);
        true
    } else {
        let message =
            format!("The rollback revision contains the same template as current deployment {:?}", s.d.metadata.name);
        s.event("Warning", util::ROLLBACK_TEMPLATE_UNCHANGED, message);
        false
    };
    (performed, update_and_clear_rollback_to(s))
}

/// `updateDeploymentAndClearRollbackTo`.
fn update_and_clear_rollback_to(s: &mut Sync<'_>) -> SyncResult<()> {
    s.d.metadata.annotations.remove(util::ROLLBACK_TO_ANNOTATION);
    client::update_deployment(s.cluster, &s.d)
}
