//! The simulation driver: the actors (the controllers, the scheduler, the kubelet) and their state, run in
//! rounds against the cluster model, phase after phase.
//!
//! A round runs every controller once (DaemonSet, Deployment, ReplicaSet, StatefulSet, Job; objects in
//! namespace/name order), then the scheduler once for every pending pod (priority first, then creation order;
//! each pod sees the pods bound before it), then the kubelet. Rounds repeat until one changes nothing. This is
//! the model of `../shared/conformance/README.md`, which the real v1.32 controllers were driven through to
//! produce the expected plans. A phase (`initial`, `update`, each step) applies what the user does, then settles.

pub mod apply;
pub mod budget;
pub mod steps;

use crate::cluster::Cluster;
use crate::controller::Controllers;
use crate::diag::Diagnostic;
use crate::input::{Loaded, Source};
use crate::kubelet::Kubelet;
use crate::scheduler::Scheduler;

pub use budget::{Budget, Cut, Ledger};

/// The cluster and every actor's state that outlives a round.
#[derive(Debug)]
pub struct Simulation {
    pub cluster: Cluster,
    pub scheduler: Scheduler,
    pub controllers: Controllers,
    pub kubelet: Kubelet,
    /// The plan's budget and what the input asked of it; what it cut.
    pub ledger: Ledger,
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
        crate::controller::serviceaccount::sync_all(&mut cluster);
        let kubelet = Kubelet::new(&mut cluster);
        Simulation { cluster, scheduler: Scheduler::default(), controllers: Controllers::default(), kubelet, ledger: Ledger::default() }
    }

    /// Start a new phase (`initial`, `update`, `step1:deletePod`, ...): actions and events recorded from now on
    /// belong to it, starting at round 0 for what the phase applies directly.
    pub fn begin_phase(&mut self, phase: &str) {
        self.cluster.rec.begin_phase(phase);
    }

    /// Run rounds until one changes nothing, or until the budget stops the phase. Returns the number of rounds
    /// that changed something.
    ///
    /// Workload statuses are recorded before the first round (what the phase itself applied, as round 0) and
    /// after every round, so that rollout status can be told round by round.
    pub fn settle(&mut self) -> u32 {
        self.cluster.record_statuses();
        let mut round = 0;
        loop {
            if round == self.ledger.budget.rounds {
                self.stop(round, budget::PhaseLimit::Rounds { limit: self.ledger.budget.rounds });
                return round;
            }
            round += 1;
            self.cluster.rec.round = round;
            let before = self.cluster.store().version();
            crate::controller::run_all(&mut self.controllers, &mut self.cluster);
            crate::scheduler::run(&mut self.scheduler, &mut self.cluster);
            self.kubelet.run(&mut self.cluster);
            self.cluster.record_statuses();
            self.compact_pod_log();
            if self.cluster.store().version() == before {
                return round - 1;
            }
            let pods = self.cluster.store().count(crate::api::GroupKind::Pod) as u64;
            if pods > self.ledger.budget.pods {
                self.stop(round, budget::PhaseLimit::Pods { pods, limit: self.ledger.budget.pods });
                return round;
            }
        }
    }

    fn stop(&mut self, round: u32, reason: budget::PhaseLimit) {
        let phase = self.cluster.rec.phase.clone();
        self.ledger.cuts.push(Cut::Phase { phase, round, reason });
    }

    /// Drop the pod log entries that every reader of the log has taken in.
    fn compact_pod_log(&mut self) {
        let snapshot = self.scheduler.snapshot.as_ref().map(|s| s.log_position());
        let readers = [snapshot, self.controllers.daemonset.log_position(), self.controllers.replicaset.log_position()];
        let end = self.cluster.store().pod_log().end();
        let upto = readers.into_iter().flatten().min().unwrap_or(end);
        self.cluster.compact_pod_log(upto);
    }

    /// The `initial` phase: start the scheduler with its `--config` (the first of the scheduler configurations
    /// read, if any), apply the input objects in order ([`apply::apply_loaded`]), then settle. Reading's and
    /// applying's diagnostics go to `diagnostics`.
    pub fn initial(&mut self, mut loaded: Loaded, diagnostics: &mut Vec<Diagnostic>) {
        self.begin_phase("initial");
        let configurations = std::mem::take(&mut loaded.scheduler_configurations);
        apply::configure_scheduler(&mut self.scheduler, &mut self.cluster, &configurations);
        self.ledger.admit_loaded(&mut loaded, &self.cluster.rec.phase);
        apply::apply_loaded(&mut self.cluster, loaded, diagnostics);
        self.settle();
    }

    /// The `update` phase: apply the objects again (`kubectl apply`: updates of the same objects), then settle.
    pub fn update(&mut self, mut loaded: Loaded, diagnostics: &mut Vec<Diagnostic>) {
        if self.ledger.stopped() {
            return;
        }
        self.begin_phase("update");
        self.ledger.admit_loaded(&mut loaded, &self.cluster.rec.phase);
        apply::apply_loaded(&mut self.cluster, loaded, diagnostics);
        self.settle();
    }

    /// The phase of the `n`-th step (from 1): perform it, then settle. Files the step applies are looked up in
    /// `files`; a missing one is reported against `steps_file`.
    pub fn step(&mut self, n: usize, step: &steps::Step, files: &[Source], steps_file: &str, diags: &mut Vec<Diagnostic>) {
        if self.ledger.stopped() {
            return;
        }
        self.begin_phase(&format!("step{n}:{}", step.action_name()));
        steps::perform(&mut self.cluster, &mut self.ledger, step, files, steps_file, diags);
        self.settle();
    }
}
