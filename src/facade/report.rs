//! What a plan found, as the views read it: the objects the cluster holds at the end, and the records of how it
//! got there (events, the timeline, scheduling decisions, refusals, rollouts), with the input's diagnostics and
//! the notes on what a real cluster would choose differently.
//!
//! A [`PlanReport`] is made from the driver's [`Plan`] in one place, [`PlanReport::from`], and this module is the
//! only one that reads the cluster model for the views: the report keeps the plan whole (moving its parts out
//! would free the rest object by object, which a shell that exits right after printing never needs) and
//! answers from it, read-only.


use crate::api::core_v1::{PersistentVolumeClaim, Pod};
use crate::api::{GroupKind, Object, Resource};
use crate::cluster::{Key, Store};
use crate::diag::{Diagnostic, Severity};
use crate::helpers::storage::volume_claim;
use crate::plan::Plan;

use super::ExitCode;

// The records a report holds, under the names the views use: wherever the driver keeps them, views import them
// from here.
pub use crate::cluster::{Action, ApiError, CreateFailure, Event, InvolvedObject, Op, Rejection, Step, Warning};
pub use crate::controller::daemonset::{Unsuitable, UnsuitableNodes};
pub use crate::controller::endpoint::{Empty, Listed, Omission, SelectedPod, ServiceEndpoints};
pub use crate::rollout::{RolloutLine, Stall, StallKind, StallReason};
pub use crate::scheduler::framework::{ExtensionPoint, Framework, Reason};
pub use crate::scheduler::config::KubeSchedulerConfiguration;
pub use crate::scheduler::{NodeList, Placement, Profiles, ScoreTable, Verdict};

/// Things a real cluster chooses at random that kubeplan fixes, said once per plan.
pub const NOTES: [&str; 3] = [
    "Generated name suffixes are counted (bbbbb, bbbbc, ...); a cluster picks five random characters from the same alphabet.",
    "Where several nodes share the top score, the smallest node name is chosen and the tied set is listed; kube-scheduler picks one of them at random.",
    "Where a controller walks nodes in map order (which nodes a DaemonSet rolling update replaces first), nodes are taken in name order; a cluster may take them in any order.",
];

/// Everything a plan found. See the [module documentation](self).
#[derive(Debug)]
pub struct PlanReport {
    plan: Plan,
    rollout: Vec<RolloutLine>,
    stalls: Vec<Stall>,
    services: Vec<ServiceEndpoints>,
    notes: Vec<String>,
}

impl From<Plan> for PlanReport {
    /// What is derived from the model (rollout lines, stalls, Services' endpoints, notes) is derived here, once.
    fn from(plan: Plan) -> PlanReport {
        let rollout = crate::rollout::lines(&plan.cluster.rec);
        let stalls = crate::rollout::stalls(&plan.cluster);
        let services = crate::controller::endpoint::all(plan.cluster.store());
        let retention = &plan.scheduler.retention;
        let notes = notes(retention.budget, retention.summarised, uses_claims(plan.cluster.store()));
        PlanReport { plan, rollout, stalls, services, notes }
    }
}

/// What a plan that uses PersistentVolumeClaims leaves out, and how a cluster without it behaves.
pub const VOLUMES_NOTE: &str = "No PersistentVolume controller, provisioner or ephemeral volume controller runs: \
     PersistentVolumeClaims stay Pending unless the input gives them bound, and a pod whose claim is unbound with \
     Immediate binding (or no StorageClass) stays Pending with `pod has unbound immediate PersistentVolumeClaims`, \
     as in a cluster without a provisioner; a WaitForFirstConsumer claim does not hold its pod back.";

/// [`NOTES`]; [`VOLUMES_NOTE`] when the plan has claims; and when some scheduling decisions kept only their
/// summary ([`crate::scheduler::Retention`]), where that started and how to see one of them in full.
fn notes(budget: usize, summarised: usize, claims: bool) -> Vec<String> {
    let mut notes: Vec<String> = NOTES.iter().map(|n| (*n).to_owned()).collect();
    if claims {
        notes.push(VOLUMES_NOTE.to_owned());
    }
    if summarised > 0 {
        notes.push(format!(
            "Per-node scores and verdicts are kept for the first {budget} rows of scheduling decisions only: the last \
             {summarised} placements keep the selected node, top score, tied nodes and counts. `kubeplan explain POD` \
             re-plans with every detail of that pod's decisions."
        ));
    }
    notes
}

/// Whether the cluster holds a PersistentVolumeClaim or a pod whose volume needs one.
fn uses_claims(store: &Store) -> bool {
    store.list::<PersistentVolumeClaim>().next().is_some()
        || store.list::<Pod>().any(|pod| pod.spec.volumes.iter().any(|v| volume_claim(pod, v).is_some()))
}

impl PlanReport {
    /// The objects as the API server holds them at the end of the plan.
    pub fn objects(&self) -> Objects<'_> {
        Objects { store: self.plan.cluster.store() }
    }

    /// What the API server (or kubectl, in a step) refused, with where in the input.
    pub fn rejections(&self) -> &[Rejection] {
        &self.plan.cluster.rec.rejections
    }

    /// What the API server warned about as it accepted an object (PodSecurity's `warn` mode, deprecations).
    pub fn warnings(&self) -> &[Warning] {
        &self.plan.cluster.rec.warnings
    }

    /// The apiVersion the input wrote `object` in, if the input applied it (`None` for what controllers made).
    pub fn applied_version(&self, object: &Object) -> Option<&str> {
        self.plan.cluster.rec.applied_version(object)
    }

    /// Whether anything was refused.
    pub fn rejected(&self) -> bool {
        !self.rejections().is_empty()
    }

    /// The events, repeats counted, in the order they first occurred.
    pub fn events(&self) -> &[Event] {
        &self.plan.cluster.rec.events
    }

    /// The timeline: per phase and round, the ordered actions.
    pub fn steps(&self) -> &[Step] {
        &self.plan.cluster.rec.steps
    }

    /// Every phase begun (`initial`, `update`, `step1:deletePod`, ...), in order.
    pub fn phases(&self) -> &[String] {
        &self.plan.cluster.rec.phases
    }

    /// Every scheduling decision, in the order the scheduler made them.
    pub fn placements(&self) -> &[Placement] {
        &self.plan.scheduler.placements
    }

    /// The scheduler's profiles (the default configuration's unless one was given).
    pub fn profiles(&self) -> &Profiles {
        &self.plan.scheduler.profiles
    }

    /// The scheduler configuration the input gave, if it gave one.
    pub fn scheduler_configuration(&self) -> Option<&KubeSchedulerConfiguration> {
        self.plan.scheduler.configuration()
    }

    /// The pods controllers failed to create, with the API server's typed refusal.
    pub fn create_failures(&self) -> &[CreateFailure] {
        &self.plan.cluster.rec.create_failures
    }

    /// Whether the plan kept every examined node's verdict ([`super::PlanOptions::verdicts`]): the views then give
    /// the per-node decisions of the DaemonSet controller too.
    pub fn keeps_verdicts(&self) -> bool {
        self.plan.scheduler.record_verdicts
    }

    /// The nodes the DaemonSet `key` runs no pod on, and why, as its controller decided (`None` if it never
    /// managed its nodes).
    pub fn daemonset_unsuitable(&self, key: &Key) -> Option<&UnsuitableNodes> {
        self.plan.controllers.daemonset.unsuitable(key)
    }

    /// What `kubectl rollout status` would print after each round, per workload that changed.
    pub fn rollout(&self) -> &[RolloutLine] {
        &self.rollout
    }

    /// The rollouts that cannot finish: where they stopped and why.
    pub fn stalls(&self) -> &[Stall] {
        &self.stalls
    }

    /// Every Service, in namespace/name order, with the pods it selects and what its Endpoints would hold at
    /// the end of the plan (the endpoints controller is not run; this is what it would write).
    pub fn services(&self) -> &[ServiceEndpoints] {
        &self.services
    }

    /// The pod's DNS name (`web-0.nginx.default.svc.cluster.local`) when a headless Service governs it: its
    /// `spec.subdomain` names a Service with `clusterIP: None` in its namespace and it has a `spec.hostname`.
    pub fn pod_dns_name(&self, pod: &Pod) -> Option<String> {
        crate::controller::endpoint::pod_dns_name(self.plan.cluster.store(), pod)
    }

    /// Each input object as stored after defaulting and admission, with the phase that applied it.
    pub fn defaulted(&self) -> &[(String, Object)] {
        &self.plan.cluster.rec.defaulted
    }

    /// Problems with the input itself, located.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.plan.diagnostics
    }

    /// What a real cluster would choose differently, and what the report left out.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// Whether the input had errors that kept some of it from being planned.
    pub fn input_unusable(&self) -> bool {
        self.diagnostics().iter().any(|d| d.severity == Severity::Error)
    }

    /// How `kubeplan plan` ends: unusable input, else something refused, else done.
    pub fn exit_code(&self) -> ExitCode {
        self.exit_code_for(ExitCode::findings_if(self.rejected()))
    }

    /// How a command that reads the plan rather than prints it (`explain`, `history`) ends: with its own
    /// `outcome`, unless the input was unusable.
    pub fn exit_code_for(&self, outcome: ExitCode) -> ExitCode {
        if self.input_unusable() {
            ExitCode::Unusable
        } else {
            outcome
        }
    }
}

/// The objects at the end of a plan, read-only, each kind in namespace/name order (cluster-scoped kinds in name
/// order), as a lister returns them.
#[derive(Clone, Copy, Debug)]
pub struct Objects<'a> {
    store: &'a Store,
}

impl<'a> Objects<'a> {
    /// Every object of kind `T`.
    pub fn list<T: Resource>(self) -> impl Iterator<Item = &'a T> + 'a {
        self.store.list::<T>()
    }

    /// Every object of kind `T` with its key (namespace, name).
    pub fn entries<T: Resource>(self) -> impl Iterator<Item = (&'a Key, &'a T)> + 'a {
        self.store.entries::<T>()
    }

    /// The objects of kind `T` in one namespace.
    pub fn list_in<T: Resource>(self, namespace: &'a str) -> impl Iterator<Item = &'a T> + 'a {
        self.store.list_in::<T>(namespace)
    }

    /// One object of kind `T` (cluster-scoped kinds: namespace `""`).
    pub fn get<T: Resource>(self, namespace: &str, name: &str) -> Option<&'a T> {
        self.store.get::<T>(namespace, name)
    }

    /// One object of any kind.
    pub fn object(self, kind: GroupKind, namespace: &str, name: &str) -> Option<&'a Object> {
        self.store.object(kind, namespace, name)
    }

    /// Every object of `kind`, whatever its type.
    pub fn objects_of(self, kind: GroupKind) -> impl Iterator<Item = &'a Object> + 'a {
        self.store.objects_of(kind)
    }

    /// Every custom resource (objects of the kinds CustomResourceDefinitions define).
    pub fn custom_resources(self) -> impl Iterator<Item = &'a Object> + 'a {
        self.store.custom_resources()
    }

    /// The keys of every object of `kind`.
    pub fn keys(self, kind: GroupKind) -> impl Iterator<Item = &'a Key> + 'a {
        self.store.keys(kind)
    }

    /// How many objects of `kind` there are.
    pub fn count(self, kind: GroupKind) -> usize {
        self.store.count(kind)
    }
}
