//! The objects kubeplan understands, as one typed union.

use std::fmt;

use super::apps_v1::{ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet};
use super::batch_v1::Job;
use super::core_v1::{Namespace, Node, Pod, Service};
use super::meta_v1::ObjectMeta;
use super::scheduling_v1::PriorityClass;

/// API group and kind, as the API server names a kind in its messages (`DaemonSet.apps`, `Pod`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum GroupKind {
    Node,
    Namespace,
    Pod,
    Service,
    PriorityClass,
    DaemonSet,
    Deployment,
    ReplicaSet,
    StatefulSet,
    ControllerRevision,
    Job,
}

impl GroupKind {
    pub const ALL: [GroupKind; 11] = [
        GroupKind::Node,
        GroupKind::Namespace,
        GroupKind::Pod,
        GroupKind::Service,
        GroupKind::PriorityClass,
        GroupKind::DaemonSet,
        GroupKind::Deployment,
        GroupKind::ReplicaSet,
        GroupKind::StatefulSet,
        GroupKind::ControllerRevision,
        GroupKind::Job,
    ];

    pub fn kind(self) -> &'static str {
        match self {
            GroupKind::Node => "Node",
            GroupKind::Namespace => "Namespace",
            GroupKind::Pod => "Pod",
            GroupKind::Service => "Service",
            GroupKind::PriorityClass => "PriorityClass",
            GroupKind::DaemonSet => "DaemonSet",
            GroupKind::Deployment => "Deployment",
            GroupKind::ReplicaSet => "ReplicaSet",
            GroupKind::StatefulSet => "StatefulSet",
            GroupKind::ControllerRevision => "ControllerRevision",
            GroupKind::Job => "Job",
        }
    }

    /// The API group, empty for the core group.
    pub fn group(self) -> &'static str {
        match self {
            GroupKind::Node | GroupKind::Namespace | GroupKind::Pod | GroupKind::Service => "",
            GroupKind::PriorityClass => "scheduling.k8s.io",
            GroupKind::Job => "batch",
            _ => "apps",
        }
    }

    /// The served apiVersion kubeplan reads and writes.
    pub fn api_version(self) -> &'static str {
        match self.group() {
            "" => "v1",
            "apps" => "apps/v1",
            "batch" => "batch/v1",
            _ => "scheduling.k8s.io/v1",
        }
    }

    /// Whether objects of this kind live in a namespace.
    pub fn namespaced(self) -> bool {
        !matches!(self, GroupKind::Node | GroupKind::Namespace | GroupKind::PriorityClass)
    }

    /// The plural resource name, as in `pods "x" is forbidden`.
    pub fn resource(self) -> &'static str {
        match self {
            GroupKind::Node => "nodes",
            GroupKind::Namespace => "namespaces",
            GroupKind::Pod => "pods",
            GroupKind::Service => "services",
            GroupKind::PriorityClass => "priorityclasses",
            GroupKind::DaemonSet => "daemonsets",
            GroupKind::Deployment => "deployments",
            GroupKind::ReplicaSet => "replicasets",
            GroupKind::StatefulSet => "statefulsets",
            GroupKind::ControllerRevision => "controllerrevisions",
            GroupKind::Job => "jobs",
        }
    }

    /// The resource with its group, as in `daemonsets.apps "x" already exists`.
    pub fn resource_qualified(self) -> String {
        if self.group().is_empty() {
            self.resource().to_owned()
        } else {
            format!("{}.{}", self.resource(), self.group())
        }
    }

    pub fn from_kind(kind: &str) -> Option<GroupKind> {
        GroupKind::ALL.into_iter().find(|g| g.kind() == kind)
    }
}

impl fmt::Display for GroupKind {
    /// `DaemonSet.apps`, `Pod`: the qualified kind of API server error messages.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.group().is_empty() {
            f.write_str(self.kind())
        } else {
            write!(f, "{}.{}", self.kind(), self.group())
        }
    }
}

/// Any object kubeplan models.
#[derive(Clone, Debug, PartialEq)]
pub enum Object {
    Node(Box<Node>),
    Namespace(Box<Namespace>),
    Pod(Box<Pod>),
    Service(Box<Service>),
    PriorityClass(Box<PriorityClass>),
    DaemonSet(Box<DaemonSet>),
    Deployment(Box<Deployment>),
    ReplicaSet(Box<ReplicaSet>),
    StatefulSet(Box<StatefulSet>),
    ControllerRevision(Box<ControllerRevision>),
    Job(Box<Job>),
}

macro_rules! each_object {
    ($self:expr, $o:ident => $e:expr) => {
        match $self {
            Object::Node($o) => $e,
            Object::Namespace($o) => $e,
            Object::Pod($o) => $e,
            Object::Service($o) => $e,
            Object::PriorityClass($o) => $e,
            Object::DaemonSet($o) => $e,
            Object::Deployment($o) => $e,
            Object::ReplicaSet($o) => $e,
            Object::StatefulSet($o) => $e,
            Object::ControllerRevision($o) => $e,
            Object::Job($o) => $e,
        }
    };
}

impl Object {
    pub fn group_kind(&self) -> GroupKind {
        match self {
            Object::Node(_) => GroupKind::Node,
            Object::Namespace(_) => GroupKind::Namespace,
            Object::Pod(_) => GroupKind::Pod,
            Object::Service(_) => GroupKind::Service,
            Object::PriorityClass(_) => GroupKind::PriorityClass,
            Object::DaemonSet(_) => GroupKind::DaemonSet,
            Object::Deployment(_) => GroupKind::Deployment,
            Object::ReplicaSet(_) => GroupKind::ReplicaSet,
            Object::StatefulSet(_) => GroupKind::StatefulSet,
            Object::ControllerRevision(_) => GroupKind::ControllerRevision,
            Object::Job(_) => GroupKind::Job,
        }
    }

    pub fn meta(&self) -> &ObjectMeta {
        each_object!(self, o => &o.metadata)
    }

    pub fn meta_mut(&mut self) -> &mut ObjectMeta {
        each_object!(self, o => &mut o.metadata)
    }

    pub fn obj_ref(&self) -> ObjectRef {
        ObjectRef {
            kind: self.group_kind(),
            namespace: self.meta().namespace.clone(),
            name: self.meta().name.clone(),
        }
    }

    /// The object as the API server would return it, with `apiVersion` and `kind` set.
    pub fn to_json(&self) -> serde_json::Value {
        let mut v = each_object!(self, o => serde_json::to_value(o)).unwrap_or(serde_json::Value::Null);
        if let Some(m) = v.as_object_mut() {
            let gk = self.group_kind();
            m.insert("apiVersion".into(), gk.api_version().into());
            m.insert("kind".into(), gk.kind().into());
        }
        v
    }
}

/// A reference to an object by kind, namespace and name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectRef {
    pub kind: GroupKind,
    pub namespace: String,
    pub name: String,
}

impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.namespace.is_empty() {
            write!(f, "{}/{}", self.kind.kind(), self.name)
        } else {
            write!(f, "{}/{}/{}", self.kind.kind(), self.namespace, self.name)
        }
    }
}

/// A Kubernetes type that [`Object`] holds: typed access to the union, for the store's listers.
pub trait Resource: Sized + 'static {
    /// The kind objects of this type are.
    const KIND: GroupKind;

    /// The object as this type, when it is one.
    fn of(obj: &Object) -> Option<&Self>;

    /// The object in the union.
    fn into_object(self) -> Object;
}

/// One line per kind: the [`Object`] variant, the type and the [`GroupKind`] share the kind's name.
macro_rules! resources {
    ($($kind:ident),* $(,)?) => {
        $(
            impl Resource for $kind {
                const KIND: GroupKind = GroupKind::$kind;

                fn of(obj: &Object) -> Option<&Self> {
                    match obj {
                        Object::$kind(o) => Some(o),
                        _ => None,
                    }
                }

                fn into_object(self) -> Object {
                    Object::$kind(Box::new(self))
                }
            }
        )*
    };
}

resources!(
    Node,
    Namespace,
    Pod,
    Service,
    PriorityClass,
    DaemonSet,
    Deployment,
    ReplicaSet,
    StatefulSet,
    ControllerRevision,
    Job,
);
