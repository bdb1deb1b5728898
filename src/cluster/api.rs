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
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiError {
    Invalid(String),
    Forbidden(String),
    AlreadyExists(String),
    NotFound(String),
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Invalid(m) | ApiError::Forbidden(m) | ApiError::AlreadyExists(m) | ApiError::NotFound(m) => {
                f.write_str(m)
            }
        }
    }
}

impl Cluster {
    /// Create an object as the API server does. Pods get a generated name when they ask for one.
    pub fn create(&mut self, mut obj: Object) -> Result<Object, ApiError> {
        let gk = obj.group_kind();
        // Defaulting runs when the request is decoded, before the strategy, and again when the stored object is
        // read back (below): a Job whose template has no labels takes the generated ones as its own labels.
        defaults::default_object(&mut obj);
        // The API server assigns the uid before `PrepareForCreate` (`rest.FillObjectMetaSystemFields`), and a Job's
        // generated selector and labels need it: give the Job the uid it is about to be stamped with.
        if let Object::Job(job) = &mut obj {
            job.metadata.uid = super::store::uid(self.store.created + 1);
        }
        strategy::prepare_for_create(&mut obj);
        defaults::default_object(&mut obj);
        if let Object::Pod(pod) = &mut obj {
            self.admit_pod(pod)?;
        }
        let errors = validation::validate_create(&obj);
        if !errors.is_empty() {
            return Err(ApiError::Invalid(validation::invalid_message(&obj, &errors)));
        }
        if obj.meta().name.is_empty() && !obj.meta().generate_name.is_empty() {
            let name = self.names.generate(&obj.meta().generate_name);
            obj.meta_mut().name = name;
        }
        let (ns, name) = (obj.meta().namespace.clone(), obj.meta().name.clone());
        if self.store.exists(gk, &ns, &name) {
            return Err(ApiError::AlreadyExists(format!("{} {:?} already exists", gk.resource_qualified(), name)));
        }
        if gk.namespaced() && !self.store.namespaces.contains_key(&ns) {
            return Err(ApiError::NotFound(format!("namespaces {ns:?} not found")));
        }
        let mut meta = std::mem::take(obj.meta_mut());
        self.store.stamp(&mut meta);
        *obj.meta_mut() = meta;
        if let Object::Pod(pod) = &obj {
            self.rec.action(pod_action(Op::Create, pod));
        }
        self.store.put(obj.clone());
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
            return Err(ApiError::Invalid(validation::invalid_message(&obj, &errors)));
        }
        if obj != old {
            self.store.put(obj.clone());
        }
        Ok(obj)
    }

    /// Write an object as is (status updates and controller writes that need no validation).
    pub fn write(&mut self, obj: Object) {
        let gk = obj.group_kind();
        let unchanged = self
            .store
            .get(gk, &obj.meta().namespace, &obj.meta().name)
            .is_some_and(|old| old == obj);
        if !unchanged {
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
        owner: controller_of(&pod.metadata).map(|r| format!("{}/{}", r.kind, r.name)),
        node: (!pod.spec.node_name.is_empty()).then(|| pod.spec.node_name.clone()),
    }
}

/// The controlling owner reference of an object, if any.
pub fn controller_of(meta: &crate::api::meta_v1::ObjectMeta) -> Option<&crate::api::meta_v1::OwnerReference> {
    meta.owner_references.iter().find(|r| r.controller == Some(true))
}
