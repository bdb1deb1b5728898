//! The workload controllers of kube-controller-manager, as v1.32 runs them.

pub mod daemonset;
pub mod deployment;
pub mod endpoint;
pub mod hash;
pub mod job;
pub mod replicaset;
pub mod resourcequota;
pub mod serviceaccount;
pub mod statefulset;
pub mod util;

use crate::cluster::Cluster;

/// Controller state that outlives a sync, beyond what the store holds.
#[derive(Debug, Default)]
pub struct Controllers {
    /// The DaemonSet controller's per-node views, kept up to date between syncs.
    pub daemonset: daemonset::Views,
    /// The ReplicaSet controller's claims, kept up to date between syncs.
    pub replicaset: replicaset::Views,
    /// The StatefulSet controller's claims (PersistentVolumeClaims are not store objects).
    pub statefulset: statefulset::State,
    /// The Job controller's pod-failure backoff records.
    pub job: job::State,
}

/// One pass of every controller, in the model's order: DaemonSet, Deployment, ReplicaSet, StatefulSet, Job.
pub fn run_all(state: &mut Controllers, cluster: &mut Cluster) {
    // The resource quota controller's recount comes first: what admission charges in this round starts from
    // what the last round left.
    resourcequota::sync_all(cluster);
    daemonset::sync_all(&mut state.daemonset, cluster);
    deployment::sync_all(cluster);
    replicaset::sync_all(&mut state.replicaset, cluster);
    statefulset::sync_all(&mut state.statefulset, cluster);
    job::sync_all(&mut state.job, cluster);
}

/// What controllers do the moment an object is written, before the next request (their informers' events):
/// the ServiceAccount controller gives a new namespace its `default` account, and the resource quota controller
/// counts a quota that was just written.
pub fn react(cluster: &mut Cluster, written: &crate::api::Object) {
    match written {
        crate::api::Object::Namespace(_) => serviceaccount::sync_all(cluster),
        crate::api::Object::ResourceQuota(q) => resourcequota::sync(cluster, &q.metadata.namespace, &q.metadata.name),
        _ => {}
    }
}
