//! The cluster model: the API server's storage and write path as its clients meet it, and what a plan records.
//!
//! Everything that acts on the cluster (the controllers, the scheduler, the kubelet, kubectl, the user's steps)
//! is a client of this model and lives above it; the rounds that run them are the driver's ([`crate::sim`]).

pub mod api;
pub mod gc;
pub mod names;
pub mod record;
pub mod store;

pub use api::ApiError;
pub use record::{Action, Event, InvolvedObject, Op, Recorder, Rejection, StatusRecord, Step, WorkloadStatus};
pub use store::{Key, Store};

/// The simulated cluster as the API server holds it: the objects, the names it generates, and the records.
#[derive(Debug)]
pub struct Cluster {
    pub store: Store,
    pub names: names::NameGenerator,
    pub rec: Recorder,
}

impl Default for Cluster {
    fn default() -> Self {
        Cluster::new()
    }
}

impl Cluster {
    pub fn new() -> Cluster {
        Cluster { store: Store::new(), names: names::NameGenerator::default(), rec: Recorder::default() }
    }
}
