//! The cluster model: the API server's storage and write path as its clients meet it, and what a plan records.
//!
//! Everything that acts on the cluster (the controllers, the scheduler, the kubelet, kubectl, the user's steps)
//! is a client of this model and lives above it; the rounds that run them are the driver's ([`crate::sim`]).

pub mod api;
mod error;
pub mod record;
pub mod store;

pub use api::{Concurrency, Propagation};
pub use error::ApiError;
pub use record::{
    Action, CreateFailure, Event, InvolvedObject, Limit, Op, Recorder, Rejection, RolloutBudget, StatusRecord, Step,
    Warning, WorkloadStatus,
};
pub use store::{Key, Store};

use crate::apiserver::names::NameGenerator;

/// The simulated cluster as the API server holds it: the objects, the names it generates, and the records.
///
/// Its clients (the actors, the driver, the views) read the objects through [`Cluster::store`]'s listers and
/// write them only through the API server's verbs ([`Cluster::create`], [`Cluster::update`],
/// [`Cluster::update_status`], [`Cluster::patch`], [`Cluster::delete`]).
#[derive(Debug)]
pub struct Cluster {
    store: Store,
    names: NameGenerator,
    /// The names admission plugins generate (the ServiceAccount plugin's `kube-api-access-XXXXX` volumes).
    volume_names: NameGenerator,
    /// What happened, for the views: events, the timeline, rejections, statuses round by round.
    pub rec: Recorder,
}

impl Default for Cluster {
    fn default() -> Self {
        Cluster::new()
    }
}

impl Cluster {
    pub fn new() -> Cluster {
        Cluster {
            store: Store::new(),
            names: NameGenerator::default(),
            volume_names: NameGenerator::default(),
            rec: Recorder::default(),
        }
    }

    /// The objects, read-only: every lister and index.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Ask the store to keep a pod index for an actor ([`Store::add_pod_index`]).
    pub fn add_pod_index(&mut self, admits: fn(&crate::api::core_v1::Pod) -> bool) -> store::PodIndex {
        self.store.add_pod_index(admits)
    }

    /// Drop the pod log entries before `upto`, which every reader of the log has taken in.
    pub fn compact_pod_log(&mut self, upto: u64) {
        self.store.compact_pod_log(upto);
    }

    /// The storage itself, for unit tests that set up states no client could write.
    #[cfg(test)]
    pub(crate) fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    /// Record the rollout-relevant status of every workload that changed since it was last recorded.
    pub fn record_statuses(&mut self) {
        self.rec.record_statuses(&self.store);
    }
}
