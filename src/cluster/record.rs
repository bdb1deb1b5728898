//! What a plan records: events, the step timeline, scheduling decisions and rejections.

use std::borrow::Cow;

use serde::Serialize;

use crate::api::apps_v1::{DaemonSet, Deployment, StatefulSet};
use crate::api::{IntOrString, Object};
use crate::hash::HashMap;

use super::error::ApiError;
use super::store::{Key, Store};

/// The object an event is about.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(hashmap_as_object, missing_as_null))]
pub struct InvolvedObject {
    pub kind: String,
    pub namespace: String,
    pub name: String,
}

/// A Kubernetes Event, as `kubectl get events` would list it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(hashmap_as_object, missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct Event {
    #[serde(rename = "type")]
    pub type_: &'static str,
    pub reason: String,
    pub message: String,
    pub involved_object: InvolvedObject,
    pub source: EventSource,
    /// How many times the event occurred (a cluster aggregates repeats into one event with a count).
    pub count: u32,
    /// The phase and round in which it first occurred.
    pub phase: String,
    pub round: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(hashmap_as_object, missing_as_null))]
pub struct EventSource {
    /// The component that reported it: a controller, or the scheduler profile that scheduled the pod.
    #[cfg_attr(feature = "wasm", tsify(type = "string"))]
    pub component: Cow<'static, str>,
}

/// One action of the timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(hashmap_as_object, missing_as_null))]
pub struct Action {
    pub op: Op,
    pub kind: &'static str,
    pub namespace: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(hashmap_as_object, missing_as_null))]
#[serde(rename_all = "lowercase")]
pub enum Op {
    Create,
    Delete,
    Bind,
    Running,
    Succeeded,
    Failed,
}

/// The actions of one round of one phase.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(hashmap_as_object, missing_as_null))]
pub struct Step {
    pub phase: String,
    pub round: u32,
    pub actions: Vec<Action>,
}

/// An object the API server (or kubectl) refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(hashmap_as_object, missing_as_null))]
pub struct Rejection {
    pub phase: String,
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
}

/// What the API server warned the client about (a `Warning:` header of its response, which kubectl prints as
/// `Warning: <message>`), with the object of the request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(hashmap_as_object, missing_as_null))]
pub struct Warning {
    pub phase: String,
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub message: String,
}

/// A controller's pod creation that was refused: the cause behind a `FailedCreate` event, as data.
#[derive(Clone, Debug, PartialEq)]
pub struct CreateFailure {
    pub owner: InvolvedObject,
    /// The event's message.
    pub message: String,
    pub error: ApiError,
}

/// A resolved `maxSurge` or `maxUnavailable`, with what it was resolved from.
#[derive(Clone, Debug, PartialEq)]
pub struct Limit {
    pub value: i32,
    /// The value as written when it was a percentage, the count it is a percentage of, and whether it was
    /// rounded up (else down).
    pub percent_of: Option<(IntOrString, i32, bool)>,
}

impl Limit {
    /// `value`, resolved from `written` out of `total` (percentages rounded up or down as `round_up` says).
    pub fn resolved(value: i32, written: Option<&IntOrString>, total: i32, round_up: bool) -> Limit {
        let percent_of = written.filter(|w| w.is_percent()).map(|w| (w.clone(), total, round_up));
        Limit { value, percent_of }
    }
}

/// What a rolling update's last step worked within, as its controller computed it: the budget that decides how
/// many old pods may go or new ones may be added, and what used it up. Views tell from it why a rollout waits.
#[derive(Clone, Debug, PartialEq)]
pub enum RolloutBudget {
    /// A DaemonSet replacing pods without surge (`rollingUpdate`): old pods go while fewer nodes than
    /// `maxUnavailable` are unavailable.
    DaemonSetUnavailable {
        max_unavailable: Limit,
        /// The unavailable nodes with a pod, and the pods that make them so.
        unavailable: Vec<(String, Vec<String>)>,
        /// Desired nodes without any pod (each unavailable too).
        empty: i32,
        /// Nodes whose only pod is an available old one: what the step would replace next.
        replaceable: usize,
    },
    /// A DaemonSet surging (`rollingUpdate` with `maxSurge`): new pods start beside old ones on up to `maxSurge`
    /// nodes at a time.
    DaemonSetSurge {
        max_surge: Limit,
        /// The new pods started beside an old one and not available yet.
        surging: Vec<String>,
        replaceable: usize,
    },
    /// A Deployment's rolling step (`rolloutRolling`): the new ReplicaSet grows within `replicas + maxSurge`,
    /// and old ones shrink while at least `replicas - maxUnavailable` pods stay available.
    Deployment {
        max_surge: Limit,
        max_unavailable: Limit,
        /// Replicas of the old ReplicaSets, and of the new one.
        old_replicas: i32,
        new_replicas: i32,
        /// The new ReplicaSet could not grow: all ReplicaSets together are at `replicas + maxSurge`.
        surge_used_up: bool,
        /// The old ReplicaSets could not shrink: no pod may become unavailable.
        unavailable_used_up: bool,
    },
}

/// The part of a workload that `kubectl rollout status` reads (`polymorphichelpers/rollout_status.go`), as it
/// stood at the end of a round. Kept small: the recorder stores one only when it changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind")]
pub enum WorkloadStatus {
    #[serde(rename_all = "camelCase")]
    DaemonSet {
        generation: i64,
        observed_generation: i64,
        /// `spec.updateStrategy.type`.
        strategy: String,
        desired_number_scheduled: i32,
        updated_number_scheduled: i32,
        number_ready: i32,
        number_available: i32,
    },
    #[serde(rename_all = "camelCase")]
    Deployment {
        generation: i64,
        observed_generation: i64,
        strategy: String,
        /// `spec.replicas`.
        spec_replicas: Option<i32>,
        replicas: i32,
        updated_replicas: i32,
        ready_replicas: i32,
        available_replicas: i32,
        /// The `Progressing` condition has reason `ProgressDeadlineExceeded`.
        progress_deadline_exceeded: bool,
        paused: bool,
    },
    #[serde(rename_all = "camelCase")]
    StatefulSet {
        generation: i64,
        observed_generation: i64,
        strategy: String,
        spec_replicas: Option<i32>,
        /// `spec.updateStrategy.rollingUpdate` is set, with this partition.
        rolling_update: bool,
        partition: Option<i32>,
        ready_replicas: i32,
        updated_replicas: i32,
        current_replicas: i32,
        current_revision: String,
        update_revision: String,
    },
}

impl WorkloadStatus {
    pub fn of_daemonset(ds: &DaemonSet) -> WorkloadStatus {
        let s = &ds.status;
        WorkloadStatus::DaemonSet {
            generation: ds.metadata.generation,
            observed_generation: s.observed_generation,
            strategy: ds.spec.update_strategy.r#type.clone(),
            desired_number_scheduled: s.desired_number_scheduled,
            updated_number_scheduled: s.updated_number_scheduled,
            number_ready: s.number_ready,
            number_available: s.number_available,
        }
    }

    pub fn of_deployment(d: &Deployment) -> WorkloadStatus {
        let s = &d.status;
        WorkloadStatus::Deployment {
            generation: d.metadata.generation,
            observed_generation: s.observed_generation,
            strategy: d.spec.strategy.r#type.clone(),
            spec_replicas: d.spec.replicas,
            replicas: s.replicas,
            updated_replicas: s.updated_replicas,
            ready_replicas: s.ready_replicas,
            available_replicas: s.available_replicas,
            progress_deadline_exceeded: s
                .conditions
                .iter()
                .any(|c| c.r#type == "Progressing" && c.reason == "ProgressDeadlineExceeded"),
            paused: d.spec.paused,
        }
    }

    pub fn of_statefulset(ss: &StatefulSet) -> WorkloadStatus {
        let s = &ss.status;
        let ru = ss.spec.update_strategy.rolling_update.as_deref();
        WorkloadStatus::StatefulSet {
            generation: ss.metadata.generation,
            observed_generation: s.observed_generation,
            strategy: ss.spec.update_strategy.r#type.clone(),
            spec_replicas: ss.spec.replicas,
            rolling_update: ru.is_some(),
            partition: ru.and_then(|r| r.partition),
            ready_replicas: s.ready_replicas,
            updated_replicas: s.updated_replicas,
            current_replicas: s.current_replicas,
            current_revision: s.current_revision.clone(),
            update_revision: s.update_revision.clone(),
        }
    }

    /// The workload's kind.
    pub fn kind(&self) -> &'static str {
        match self {
            WorkloadStatus::DaemonSet { .. } => "DaemonSet",
            WorkloadStatus::Deployment { .. } => "Deployment",
            WorkloadStatus::StatefulSet { .. } => "StatefulSet",
        }
    }
}

/// A workload's [`WorkloadStatus`] that changed in a round (round 0: what the phase itself applied).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusRecord {
    pub phase: String,
    pub round: u32,
    pub namespace: String,
    pub name: String,
    pub status: WorkloadStatus,
}

/// Collects events (merging repeats), steps and rejections as the cluster runs.
#[derive(Clone, Debug, Default)]
pub struct Recorder {
    pub events: Vec<Event>,
    /// The index in `events` of the latest event about each object.
    latest: HashMap<InvolvedObject, usize>,
    pub steps: Vec<Step>,
    pub rejections: Vec<Rejection>,
    /// Warnings the client's requests drew, in order.
    pub warnings: Vec<Warning>,
    /// Every phase begun, in order.
    pub phases: Vec<String>,
    /// Rollout-relevant workload statuses, recorded when they change.
    pub statuses: Vec<StatusRecord>,
    /// The last recorded status of each workload, by kind.
    last_status: [HashMap<Key, WorkloadStatus>; 3],
    /// Input objects as stored after defaulting and admission, with the phase that applied them. They are kept
    /// typed and turned into JSON only when printed: as JSON values, the nodes of a 130,000-node cluster took
    /// about a gigabyte.
    pub defaulted: Vec<(String, Object)>,
    /// The objects the input created or updated (qualified kind, namespace, name), with the apiVersion the input
    /// last wrote each in (the version the API server answers in).
    applied: HashMap<AppliedKey, String>,
    /// Every refused pod creation of a controller, with its cause.
    pub create_failures: Vec<CreateFailure>,
    /// Per workload (kind, namespace and name), the budget of its rolling update's last step; none once a sync
    /// takes no rolling step.
    pub budgets: HashMap<(&'static str, Key), RolloutBudget>,
    pub phase: String,
    pub round: u32,
    /// A request began since the last action: in round 0 the next action opens a new timeline entry.
    new_request: bool,
}

/// An object the input wrote, by qualified kind, namespace and name ([`Recorder::note_applied`]). Compared
/// without `memcmp` for the empty namespace of cluster-scoped objects ([`super::store::same_str`] says why).
#[derive(Clone, Debug)]
struct AppliedKey {
    kind: String,
    namespace: String,
    name: String,
}

impl AppliedKey {
    fn of(obj: &Object) -> AppliedKey {
        let m = obj.meta();
        AppliedKey { kind: obj.qualified_kind(), namespace: m.namespace.clone(), name: m.name.clone() }
    }
}

impl PartialEq for AppliedKey {
    fn eq(&self, other: &Self) -> bool {
        use super::store::same_str;
        same_str(&self.kind, &other.kind) && same_str(&self.namespace, &other.namespace) && same_str(&self.name, &other.name)
    }
}

impl Eq for AppliedKey {}

/// The three strings in order, as a derived `Hash` would: keys equal by [`AppliedKey::eq`] are the same strings.
impl std::hash::Hash for AppliedKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.kind.hash(state);
        self.namespace.hash(state);
        self.name.hash(state);
    }
}

impl Recorder {
    /// Note that the input wrote `obj` (created or updated it) in `api_version`.
    pub fn note_applied(&mut self, obj: &Object, api_version: &str) {
        self.applied.insert(AppliedKey::of(obj), api_version.to_owned());
    }

    /// The apiVersion the input last wrote `obj` in, if it wrote it.
    pub fn applied_version(&self, obj: &Object) -> Option<&str> {
        self.applied.get(&AppliedKey::of(obj)).map(String::as_str)
    }

    /// Whether the input wrote `obj` (created or updated it).
    pub fn applied_by_input(&self, obj: &Object) -> bool {
        self.applied_version(obj).is_some()
    }

    /// Record the warnings a client's request about `object` drew, in the current phase.
    pub fn warnings_about(&mut self, object: &crate::api::ObjectRef, messages: Vec<String>) {
        for message in messages {
            self.warnings.push(Warning {
                phase: self.phase.clone(),
                kind: object.kind.kind().to_owned(),
                namespace: if object.kind.namespaced() { object.namespace.clone() } else { String::new() },
                name: object.name.clone(),
                message,
            });
        }
    }

    /// Start a new phase (`initial`, `update`, `step1:deletePod`, ...): what is recorded from now on belongs to
    /// it, starting at round 0 for what the phase applies directly.
    pub fn begin_phase(&mut self, phase: &str) {
        self.phase = phase.to_owned();
        self.round = 0;
        self.phases.push(phase.to_owned());
    }

    /// Record an event. An event identical to the latest one recorded about the same object (same source,
    /// reason and message) only raises that one's count: a pod that stays unschedulable round after round has one
    /// `FailedScheduling`, while a StatefulSet that creates `db-1` again after deleting it records the creation
    /// again, as the conformance cases show.
    pub fn event(
        &mut self,
        component: impl Into<Cow<'static, str>>,
        type_: &'static str,
        reason: &str,
        object: InvolvedObject,
        message: String,
    ) {
        let component = component.into();
        if let Some(e) = self.latest.get(&object).and_then(|&i| self.events.get_mut(i)) {
            if e.source.component == component && e.type_ == type_ && e.reason == reason && e.message == message {
                e.count += 1;
                return;
            }
        }
        self.latest.insert(object.clone(), self.events.len());
        self.events.push(Event {
            type_,
            reason: reason.to_owned(),
            message,
            involved_object: object,
            source: EventSource { component },
            count: 1,
            phase: self.phase.clone(),
            round: self.round,
        });
    }

    /// Record a controller's refused pod creation: its `FailedCreate` event on the owner, and the cause.
    pub fn failed_create(&mut self, component: &'static str, owner: InvolvedObject, message: String, error: ApiError) {
        self.event(component, "Warning", "FailedCreate", owner.clone(), message.clone());
        self.create_failures.push(CreateFailure { owner, message, error });
    }

    /// Record the budget a workload's rolling step just worked within, or (`None`) that it took none.
    pub fn budget(&mut self, kind: &'static str, key: Key, budget: Option<RolloutBudget>) {
        match budget {
            Some(b) => {
                self.budgets.insert((kind, key), b);
            }
            None => {
                self.budgets.remove(&(kind, key));
            }
        }
    }

    /// Record the rollout-relevant status of every DaemonSet, Deployment and StatefulSet that changed since it was
    /// last recorded. Costs a few integers per workload; nothing per pod.
    pub fn record_statuses(&mut self, store: &Store) {
        let ds = store.entries::<DaemonSet>().map(|(k, o)| (k, WorkloadStatus::of_daemonset(o)));
        self.record_changed(0, ds);
        let deploy = store.entries::<Deployment>().map(|(k, o)| (k, WorkloadStatus::of_deployment(o)));
        self.record_changed(1, deploy);
        let sts = store.entries::<StatefulSet>().map(|(k, o)| (k, WorkloadStatus::of_statefulset(o)));
        self.record_changed(2, sts);
    }

    fn record_changed<'a>(&mut self, slot: usize, current: impl Iterator<Item = (&'a Key, WorkloadStatus)>) {
        for (key, status) in current {
            if self.last_status[slot].get(key) == Some(&status) {
                continue;
            }
            self.statuses.push(StatusRecord {
                phase: self.phase.clone(),
                round: self.round,
                namespace: key.0.clone(),
                name: key.1.clone(),
                status: status.clone(),
            });
            self.last_status[slot].insert(key.clone(), status);
        }
    }

    /// Start one request of what a phase applies (a document, a step). Round 0 has a timeline entry per request,
    /// holding the request's own actions and what the cluster did at once in reply: the garbage collector's
    /// deletion of a background-deleted owner's dependents, PodGC's of a deleted node's pods. Later rounds have
    /// one entry each.
    pub fn begin_request(&mut self) {
        self.new_request = true;
    }

    /// Record an action in the current phase and round.
    pub fn action(&mut self, action: Action) {
        let opens_entry = self.round == 0 && std::mem::take(&mut self.new_request);
        match self.steps.last_mut() {
            Some(s) if s.phase == self.phase && s.round == self.round && !opens_entry => s.actions.push(action),
            _ => self.steps.push(Step { phase: self.phase.clone(), round: self.round, actions: vec![action] }),
        }
    }
}
