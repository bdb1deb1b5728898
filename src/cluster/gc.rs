//! The garbage collector's part in deletion (`pkg/controller/garbagecollector`): with background propagation the
//! dependents of a deleted owner are deleted too (and theirs in turn); with orphan propagation they only lose
//! their owner reference. Dependents are every object with an owner reference to the deleted one, visited by
//! kind, then namespace and name ([`super::Store::dependents`]).

use super::api::{Concurrency, Propagation};
use super::Cluster;

/// Handle the dependents of the deleted object with UID `owner_uid`.
pub(super) fn collect(cluster: &mut Cluster, owner_uid: &str, propagation: Propagation) {
    for (kind, (namespace, name)) in cluster.store.dependents(owner_uid) {
        match propagation {
            Propagation::Orphan => {
                let Some(mut obj) = cluster.store.object(kind, &namespace, &name).cloned() else { continue };
                obj.meta_mut().owner_references.retain(|r| r.uid != owner_uid);
                let _ = cluster.patch(obj, Concurrency::Unchecked);
            }
            Propagation::Background => {
                let _ = cluster.delete(kind, &namespace, &name, Propagation::Background);
            }
        }
    }
}
