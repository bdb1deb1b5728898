//! What a plan records: events, the step timeline, scheduling decisions and rejections.

use std::collections::HashMap;

use serde::Serialize;

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
    pub component: &'static str,
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

/// Collects events (merging repeats), steps and rejections as the cluster runs.
#[derive(Clone, Debug, Default)]
pub struct Recorder {
    pub events: Vec<Event>,
    /// The index in `events` of the latest event about each object.
    latest: HashMap<InvolvedObject, usize>,
    pub steps: Vec<Step>,
    pub rejections: Vec<Rejection>,
    pub phase: String,
    pub round: u32,
}

impl Recorder {
    /// Record an event. An event identical to the latest one recorded about the same object (same source,
    /// reason and message) only raises that one's count: a pod that stays unschedulable round after round has one
    /// `FailedScheduling`, while a StatefulSet that creates `db-1` again after deleting it records the creation
    /// again, as the conformance cases show.
    pub fn event(
        &mut self,
        component: &'static str,
        type_: &'static str,
        reason: &str,
        object: InvolvedObject,
        message: String,
    ) {
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

    /// Record an action in the current phase and round.
    pub fn action(&mut self, action: Action) {
        match self.steps.last_mut() {
            Some(s) if s.phase == self.phase && s.round == self.round && self.round > 0 => s.actions.push(action),
            _ => self.steps.push(Step { phase: self.phase.clone(), round: self.round, actions: vec![action] }),
        }
    }
}
