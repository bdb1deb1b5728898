//! What a plan records: events, the step timeline, scheduling decisions and rejections.

use std::collections::HashSet;

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
    seen: HashSet<(InvolvedObject, &'static str, String, String)>,
    pub steps: Vec<Step>,
    pub rejections: Vec<Rejection>,
    pub phase: String,
    pub round: u32,
}

impl Recorder {
    /// Record an event; a repeat of an identical event only raises the first one's count.
    pub fn event(
        &mut self,
        component: &'static str,
        type_: &'static str,
        reason: &str,
        object: InvolvedObject,
        message: String,
    ) {
        let key = (object.clone(), component, reason.to_owned(), message.clone());
        if !self.seen.insert(key) {
            if let Some(e) = self.events.iter_mut().rev().find(|e| {
                e.involved_object == object && e.source.component == component && e.reason == reason && e.message == message
            }) {
                e.count += 1;
            }
            return;
        }
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
