//! The cluster model: an API server's storage and admission, the controllers, the scheduler and the kubelet,
//! driven in rounds.
//!
//! A round runs every controller once (DaemonSet, Deployment, ReplicaSet, StatefulSet, Job; objects in
//! namespace/name order), then the scheduler once for every pending pod (priority first, then creation order;
//! each pod sees the pods bound before it), then the kubelet. Rounds repeat until one changes nothing. This is
//! the model of `../shared/conformance/README.md`, which the real v1.32 controllers were driven through to
//! produce the expected plans.

pub mod api;
pub mod gc;
pub mod names;
pub mod record;
pub mod store;

use crate::scheduler::Scheduler;

pub use api::ApiError;
pub use record::{Action, Event, InvolvedObject, Op, Recorder, Rejection, StatusRecord, Step, WorkloadStatus};
pub use store::{Key, Store};

/// Rounds after which a phase is cut short: a plan that has not settled by then is reported as not settling.
pub const MAX_ROUNDS: u32 = 10_000;

/// The whole simulated cluster.
#[derive(Debug)]
pub struct Cluster {
    pub store: Store,
    pub names: names::NameGenerator,
    pub rec: Recorder,
    pub scheduler: Scheduler,
    pub controllers: crate::controller::Controllers,
    /// Input objects as stored after defaulting and admission, with the phase that applied them.
    pub defaulted: Vec<(String, serde_json::Value)>,
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
            names: names::NameGenerator::default(),
            rec: Recorder::default(),
            scheduler: Scheduler::default(),
            controllers: Default::default(),
            defaulted: Vec::new(),
        }
    }

    /// Run rounds until one changes nothing. Returns the number of rounds that changed something.
    ///
    /// Workload statuses are recorded before the first round (what the phase itself applied, as round 0) and
    /// after every round, so that rollout status can be told round by round.
    pub fn settle(&mut self) -> u32 {
        self.rec.record_statuses(&self.store);
        let mut round = 0;
        loop {
            round += 1;
            if round > MAX_ROUNDS {
                break;
            }
            self.rec.round = round;
            let before = self.store.version;
            crate::controller::run_all(self);
            crate::scheduler::run(self);
            crate::kubelet::run(self);
            self.rec.record_statuses(&self.store);
            self.compact_pod_log();
            if self.store.version == before {
                break;
            }
        }
        round - 1
    }

    /// Drop the pod log entries that every reader of the log has taken in.
    fn compact_pod_log(&mut self) {
        let snapshot = self.scheduler.snapshot.as_ref().map(|s| s.log_position());
        let readers = [snapshot, self.controllers.daemonset.log_position()];
        let upto = readers.into_iter().flatten().min().unwrap_or_else(|| self.store.pod_log.end());
        self.store.pod_log.compact(upto);
    }

    /// Start a new phase (`initial`, `update`, `step1:deletePod`, ...): actions and events recorded from now on
    /// belong to it, starting at round 0 for what the phase applies directly.
    pub fn begin_phase(&mut self, phase: &str) {
        self.rec.phase = phase.to_owned();
        self.rec.round = 0;
        self.rec.phases.push(phase.to_owned());
    }
}
