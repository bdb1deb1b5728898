//! The simulation driver: the actors (the controllers, the scheduler, the kubelet) and their state, run in
//! rounds against the cluster model, phase after phase.
//!
//! A round runs every controller once (DaemonSet, Deployment, ReplicaSet, StatefulSet, Job; objects in
//! namespace/name order), then the scheduler once for every pending pod (priority first, then creation order;
//! each pod sees the pods bound before it), then the kubelet. Rounds repeat until one changes nothing. This is
//! the model of `../shared/conformance/README.md`, which the real v1.32 controllers were driven through to
//! produce the expected plans. A phase (`initial`, `update`, each step) applies what the user does, then settles.

pub mod apply;
pub mod steps;

use crate::cluster::Cluster;
use crate::controller::Controllers;
use crate::diag::Diagnostic;
use crate::input::{Manifest, Source};
use crate::kubelet::Kubelet;
use crate::scheduler::Scheduler;

/// Rounds after which a phase is cut short: a plan that has not settled by then is reported as not settling.
pub const MAX_ROUNDS: u32 = 10_000;

/// The cluster and every actor's state that outlives a round.
#[derive(Debug)]
pub struct Simulation {
    pub cluster: Cluster,
    pub scheduler: Scheduler,
    pub controllers: Controllers,
    pub kubelet: Kubelet,
}

impl Default for Simulation {
    fn default() -> Self {
        Simulation::new()
    }
}

impl Simulation {
    pub fn new() -> Simulation {
        Simulation::on(Cluster::new())
    }

    /// A simulation of `cluster` as it stands.
    pub fn on(mut cluster: Cluster) -> Simulation {
        let kubelet = Kubelet::new(&mut cluster.store);
        Simulation { cluster, scheduler: Scheduler::default(), controllers: Controllers::default(), kubelet }
    }

    /// Start a new phase (`initial`, `update`, `step1:deletePod`, ...): actions and events recorded from now on
    /// belong to it, starting at round 0 for what the phase applies directly.
    pub fn begin_phase(&mut self, phase: &str) {
        self.cluster.rec.begin_phase(phase);
    }

    /// Run rounds until one changes nothing. Returns the number of rounds that changed something.
    ///
    /// Workload statuses are recorded before the first round (what the phase itself applied, as round 0) and
    /// after every round, so that rollout status can be told round by round.
    pub fn settle(&mut self) -> u32 {
        self.cluster.rec.record_statuses(&self.cluster.store);
        let mut round = 0;
        loop {
            round += 1;
            if round > MAX_ROUNDS {
                break;
            }
            self.cluster.rec.round = round;
            let before = self.cluster.store.version;
            crate::controller::run_all(&mut self.controllers, &mut self.cluster);
            crate::scheduler::run(&mut self.scheduler, &mut self.cluster);
            self.kubelet.run(&mut self.cluster);
            self.cluster.rec.record_statuses(&self.cluster.store);
            self.compact_pod_log();
            if self.cluster.store.version == before {
                break;
            }
        }
        round - 1
    }

    /// Drop the pod log entries that every reader of the log has taken in.
    fn compact_pod_log(&mut self) {
        let snapshot = self.scheduler.snapshot.as_ref().map(|s| s.log_position());
        let readers = [snapshot, self.controllers.daemonset.log_position()];
        let store = &mut self.cluster.store;
        let upto = readers.into_iter().flatten().min().unwrap_or_else(|| store.pod_log.end());
        store.pod_log.compact(upto);
    }

    /// The `initial` phase: create the input objects in order, then settle.
    pub fn initial(&mut self, manifests: Vec<Manifest>) {
        self.begin_phase("initial");
        for m in &manifests {
            apply::create(&mut self.cluster, m);
        }
        // The documents' located trees are only needed to point rejections at fields: free them before the
        // rounds (for 130,000 nodes they weigh more than the cluster).
        drop(manifests);
        self.settle();
    }

    /// The `update` phase: apply the objects as updates of the same objects (`kubectl apply`), then settle.
    pub fn update(&mut self, manifests: &[Manifest]) {
        self.begin_phase("update");
        for m in manifests {
            apply::apply(&mut self.cluster, m);
        }
        self.settle();
    }

    /// The phase of the `n`-th step (from 1): perform it, then settle. Files the step applies are looked up in
    /// `files`; a missing one is reported against `steps_file`.
    pub fn step(&mut self, n: usize, step: &steps::Step, files: &[Source], steps_file: &str, diags: &mut Vec<Diagnostic>) {
        self.begin_phase(&format!("step{n}:{}", step.action_name()));
        steps::perform(&mut self.cluster, step, files, steps_file, diags);
        self.settle();
    }
}
