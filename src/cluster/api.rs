//! The API server's write path as controllers and users meet it: create, update, status update, delete.
//!
//! Create runs registry `PrepareForCreate`, defaulting, mutating admission (pods: Priority and
//! DefaultTolerationSeconds), validation, name generation and storage; update runs `PrepareForUpdate` and update
//! validation. Deletion is immediate (graceful termination is not modelled).

use std::fmt;

use crate::api::core_v1::Pod;
use crate::api::{GroupKind, Object};
use crate::apiserver::{admission, defaults, strategy, validation};

use super::record::{Action, Op};
use super::Cluster;

/// Why the API server refused a request, with the message it would return.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// Validation failed: the message and the field errors it was rendered from.
    Invalid(String, Vec<validation::FieldError>),
    Forbidden(String),
    AlreadyExists(String),
    NotFound(String),
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Invalid(m, _) | ApiError::Forbidden(m) | ApiError::AlreadyExists(m) | ApiError::NotFound(m) => {
                f.write_str(m)
            }
        }
    }
}

impl Cluster {
    /// Create an object as the API server does: defaulting (at decoding), mutating admission, the system fields
    /// (UID, creation time), `PrepareForCreate`, name generation, validation, storage. A refused object takes
    /// no place on the logical clock.
    pub fn create(&mut self, mut obj: Object) -> Result<Object, ApiError> {
        let gk = obj.group_kind();
        defaults::default_object(&mut obj);
        if let Object::Pod(pod) = &mut obj {
            self.admit_pod(pod)?;
        }
        let clock = (self.store.created, self.store.version);
        let mut meta = std::mem::take(obj.meta_mut());
        self.store.stamp(&mut meta);
        *obj.meta_mut() = meta;
        strategy::prepare_for_create(&mut obj);
        let generated = obj.meta().name.is_empty() && !obj.meta().generate_name.is_empty();
        if generated {
            let name = self.names.peek(&obj.meta().generate_name);
            obj.meta_mut().name = name;
        }
        let refuse = |cluster: &mut Cluster, e: ApiError| {
            (cluster.store.created, cluster.store.version) = clock;
            Err(e)
        };
        let errors = validation::validate_create(&obj);
        if !errors.is_empty() {
            return refuse(self, ApiError::Invalid(validation::invalid_message(&obj, &errors), errors));
        }
        let (ns, name) = (obj.meta().namespace.clone(), obj.meta().name.clone());
        if self.store.exists(gk, &ns, &name) {
            return refuse(self, ApiError::AlreadyExists(format!("{} {:?} already exists", gk.resource_qualified(), name)));
        }
        if gk.namespaced() && !self.store.namespaces.contains_key(&ns) {
            return refuse(self, ApiError::NotFound(format!("namespaces {ns:?} not found")));
        }
        if generated {
            self.names.commit(&obj.meta().generate_name);
        }
        if let Object::Pod(pod) = &obj {
            self.rec.action(pod_action(Op::Create, pod));
        }
        // What is stored is read back through the decoder, which defaults again: a Job whose template had no
        // labels takes the ones its strategy just generated as its own. The response keeps the request's
        // defaulting, as the API server's create response does.
        let mut stored = obj.clone();
        defaults::default_object(&mut stored);
        self.store.put(stored);
        Ok(obj)
    }

    /// Pod admission: Priority, then DefaultTolerationSeconds.
    fn admit_pod(&self, pod: &mut Pod) -> Result<(), ApiError> {
        admission::admit_priority(pod, &self.store.priority_classes).map_err(|f| {
            let name = if pod.metadata.name.is_empty() { &pod.metadata.generate_name } else { &pod.metadata.name };
            ApiError::Forbidden(format!("pods {name:?} is forbidden: {}", f.0))
        })?;
        admission::admit_default_toleration_seconds(pod);
        Ok(())
    }

    /// Update an object's spec (a user's apply or a controller's update), as the API server does.
    pub fn update(&mut self, mut obj: Object) -> Result<Object, ApiError> {
        let gk = obj.group_kind();
        let (ns, name) = (obj.meta().namespace.clone(), obj.meta().name.clone());
        let Some(old) = self.store.get(gk, &ns, &name) else {
            return Err(ApiError::NotFound(format!("{} {:?} not found", gk.resource_qualified(), name)));
        };
        // Identity and server-owned metadata carry over from the stored object.
        {
            let (om, nm) = (old.meta(), obj.meta_mut());
            nm.uid = om.uid.clone();
            nm.creation_timestamp = om.creation_timestamp.clone();
            nm.generation = om.generation;
            nm.resource_version = om.resource_version.clone();
            if nm.owner_references.is_empty() {
                nm.owner_references = om.owner_references.clone();
            }
        }
        defaults::default_object(&mut obj);
        strategy::prepare_for_update(&mut obj, &old);
        let errors = validation::validate_update(&obj, &old);
        if !errors.is_empty() {
            return Err(ApiError::Invalid(validation::invalid_message(&obj, &errors), errors));
        }
        if obj != old {
            self.store.put(obj.clone());
        }
        Ok(obj)
    }

    /// Write an object as is (status updates and controller writes that need no validation).
    pub fn write(&mut self, obj: Object) {
        if !self.store.holds(&obj) {
            self.store.put(obj);
        }
    }

    /// Delete a pod now, recording the action.
    pub fn delete_pod(&mut self, namespace: &str, name: &str) -> Option<Pod> {
        let removed = self.store.remove(GroupKind::Pod, namespace, name)?;
        let Object::Pod(pod) = removed else { return None };
        self.rec.action(pod_action(Op::Delete, &pod));
        Some(*pod)
    }
}

/// The timeline entry for something that happened to a pod.
pub fn pod_action(op: Op, pod: &Pod) -> Action {
    Action {
        op,
        kind: "Pod",
        namespace: pod.metadata.namespace.clone(),
        name: pod.metadata.name.clone(),
        owner: crate::api::controller_of(&pod.metadata).map(|r| format!("{}/{}", r.kind, r.name)),
        node: (!pod.spec.node_name.is_empty()).then(|| pod.spec.node_name.clone()),
    }
}
