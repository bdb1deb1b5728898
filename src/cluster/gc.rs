//! The garbage collector's part in deletion (`pkg/controller/garbagecollector`): with background propagation the
//! dependents of a deleted owner are deleted too (and theirs in turn); with orphan propagation they only lose
//! their owner reference.

use crate::api::{GroupKind, Object};

use super::api::pod_action;
use super::{Cluster, Op};

/// Handle the dependents of the deleted object with UID `owner_uid`.
pub fn collect(cluster: &mut Cluster, owner_uid: &str, orphan: bool) {
    let dependents = dependents_of(cluster, owner_uid);
    for (kind, ns, name) in dependents {
        if orphan {
            if let Some(mut obj) = cluster.store.get(kind, &ns, &name) {
                obj.meta_mut().owner_references.retain(|r| r.uid != owner_uid);
                cluster.write(obj);
            }
            continue;
        }
        let Some(obj) = cluster.store.remove(kind, &ns, &name) else { continue };
        if let Object::Pod(p) = &obj {
            cluster.rec.action(pod_action(Op::Delete, p));
        }
        let uid = obj.meta().uid.clone();
        collect(cluster, &uid, false);
    }
}

fn dependents_of(cluster: &Cluster, owner_uid: &str) -> Vec<(GroupKind, String, String)> {
    let owned = |refs: &[crate::api::meta_v1::OwnerReference]| refs.iter().any(|r| r.uid == owner_uid);
    let s = &cluster.store;
    let mut out = Vec::new();
    let mut push = |kind, meta: &crate::api::meta_v1::ObjectMeta| {
        if owned(&meta.owner_references) {
            out.push((kind, meta.namespace.clone(), meta.name.clone()));
        }
    };
    for o in s.replicasets.values() {
        push(GroupKind::ReplicaSet, &o.metadata);
    }
    for o in s.revisions.values() {
        push(GroupKind::ControllerRevision, &o.metadata);
    }
    for o in s.pods.values() {
        push(GroupKind::Pod, &o.metadata);
    }
    for o in s.jobs.values() {
        push(GroupKind::Job, &o.metadata);
    }
    out
}
