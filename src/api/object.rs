//! The objects kubeplan understands, as one typed union, and the table of built-in kinds it is made from.
//!
//! Every built-in kind is one row of [`kinds!`]: its Rust type, API group, served version, plural resource and
//! scope. The row gives the [`GroupKind`] variant, the [`Object`] variant, and the facts the API server and
//! kubectl print about the kind (`DaemonSet.apps`, `daemonsets.apps "x" already exists`). Objects of kinds a
//! CustomResourceDefinition defines are [`Object::CustomResource`]: their group, kind and scope come with them.

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::meta_v1::ObjectMeta;
use super::{
    apiextensions_v1, apps_v1, autoscaling_v2, batch_v1, coordination_v1, core_v1, discovery_v1, networking_v1,
    node_v1, policy_v1, rbac_v1, scheduling_v1, storage_v1,
};

/// Whether a kind's objects live in a namespace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Namespaced,
    Cluster,
}

/// The box a kind's objects are held in inside [`Object`]: their own `Box`, or, for a row marked `shared`, an
/// `Arc` that the store and its readers share (see [`Held`]).
macro_rules! holder {
    ($ty:ty) => { Box<$ty> };
    ($ty:ty, shared) => { Arc<$ty> };
}

macro_rules! kinds {
    ($($kind:ident($ty:ty) $($shared:ident)?: $group:literal, $version:literal, $resource:literal, $scope:ident;)*) => {
        /// API group and kind, as the API server names a kind in its messages (`DaemonSet.apps`, `Pod`).
        /// `CustomResource` stands for every kind a CustomResourceDefinition defines; the object itself says
        /// which ([`Object::kind`], [`Object::group`]).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum GroupKind {
            $($kind,)*
            CustomResource,
        }

        impl GroupKind {
            /// Every built-in kind, in table order.
            pub const BUILTIN: &'static [GroupKind] = &[$(GroupKind::$kind),*];
            /// Every variant, `CustomResource` last: the size of per-kind tables.
            pub const COUNT: usize = GroupKind::BUILTIN.len() + 1;

            fn row(self) -> (&'static str, &'static str, &'static str, &'static str, Scope) {
                match self {
                    $(GroupKind::$kind => (stringify!($kind), $group, $version, $resource, Scope::$scope),)*
                    GroupKind::CustomResource => ("", "", "", "", Scope::Namespaced),
                }
            }
        }

        /// Any object kubeplan models.
        #[derive(Clone, Debug, PartialEq)]
        pub enum Object {
            $($kind(holder!($ty $(, $shared)?)),)*
            CustomResource(Box<CustomResource>),
        }

        /// `with_object!(obj, o => expr)`: `expr` with `o` bound to the typed object inside `obj`, whatever its
        /// kind (a trait every kind's type implements makes this a dispatch).
        macro_rules! with_object {
            ($self:expr, $o:ident => $e:expr) => {
                match $self {
                    $($crate::api::Object::$kind($o) => $e,)*
                    $crate::api::Object::CustomResource($o) => $e,
                }
            };
        }
        pub(crate) use with_object;

        /// `with_objects!(new, old, (n, o) => expr, else expr)`: `expr` with both typed objects bound when `new`
        /// and `old` are of the same kind, else the other expression.
        macro_rules! with_objects {
            ($new:expr, $old:expr, ($n:ident, $o:ident) => $e:expr, else $f:expr) => {
                match ($new, $old) {
                    $(($crate::api::Object::$kind($n), $crate::api::Object::$kind($o)) => $e,)*
                    ($crate::api::Object::CustomResource($n), $crate::api::Object::CustomResource($o)) => $e,
                    _ => $f,
                }
            };
        }
        pub(crate) use with_objects;

        $(
            impl Resource for $ty {
                const KIND: GroupKind = GroupKind::$kind;

                fn of(obj: &Object) -> Option<&Self> {
                    match obj {
                        Object::$kind(o) => Some(o),
                        _ => None,
                    }
                }

                fn into_object(self) -> Object {
                    Object::$kind(self.into())
                }
            }
        )*

        impl Resource for CustomResource {
            const KIND: GroupKind = GroupKind::CustomResource;

            fn of(obj: &Object) -> Option<&Self> {
                match obj {
                    Object::CustomResource(o) => Some(o),
                    _ => None,
                }
            }

            fn into_object(self) -> Object {
                Object::CustomResource(Box::new(self))
            }
        }

        impl Object {
            pub fn group_kind(&self) -> GroupKind {
                match self {
                    $(Object::$kind(_) => GroupKind::$kind,)*
                    Object::CustomResource(_) => GroupKind::CustomResource,
                }
            }
        }

        /// `visitor` called with the Rust type of a built-in kind (`None` for [`GroupKind::CustomResource`],
        /// whose type is not known statically). This is how a reader turns a `GroupKind` read from a document
        /// into a typed decode without the kinds table knowing how documents are read.
        pub fn visit_builtin<V: KindVisitor>(gk: GroupKind, visitor: V) -> Option<V::Output> {
            match gk {
                $(GroupKind::$kind => Some(visitor.visit::<$ty>()),)*
                GroupKind::CustomResource => None,
            }
        }
    };
}

kinds! {
    Node(core_v1::Node) shared: "", "v1", "nodes", Cluster;
    Namespace(core_v1::Namespace): "", "v1", "namespaces", Cluster;
    Pod(core_v1::Pod) shared: "", "v1", "pods", Namespaced;
    Service(core_v1::Service): "", "v1", "services", Namespaced;
    PriorityClass(scheduling_v1::PriorityClass): "scheduling.k8s.io", "v1", "priorityclasses", Cluster;
    DaemonSet(apps_v1::DaemonSet): "apps", "v1", "daemonsets", Namespaced;
    Deployment(apps_v1::Deployment): "apps", "v1", "deployments", Namespaced;
    ReplicaSet(apps_v1::ReplicaSet): "apps", "v1", "replicasets", Namespaced;
    StatefulSet(apps_v1::StatefulSet): "apps", "v1", "statefulsets", Namespaced;
    ControllerRevision(apps_v1::ControllerRevision): "apps", "v1", "controllerrevisions", Namespaced;
    Job(batch_v1::Job): "batch", "v1", "jobs", Namespaced;
    Endpoints(core_v1::Endpoints): "", "v1", "endpoints", Namespaced;
    ConfigMap(core_v1::ConfigMap): "", "v1", "configmaps", Namespaced;
    Secret(core_v1::Secret): "", "v1", "secrets", Namespaced;
    ServiceAccount(core_v1::ServiceAccount): "", "v1", "serviceaccounts", Namespaced;
    PersistentVolumeClaim(core_v1::PersistentVolumeClaim): "", "v1", "persistentvolumeclaims", Namespaced;
    PersistentVolume(core_v1::PersistentVolume): "", "v1", "persistentvolumes", Cluster;
    LimitRange(core_v1::LimitRange): "", "v1", "limitranges", Namespaced;
    ResourceQuota(core_v1::ResourceQuota): "", "v1", "resourcequotas", Namespaced;
    ReplicationController(core_v1::ReplicationController): "", "v1", "replicationcontrollers", Namespaced;
    PodTemplate(core_v1::PodTemplate): "", "v1", "podtemplates", Namespaced;
    CronJob(batch_v1::CronJob): "batch", "v1", "cronjobs", Namespaced;
    PodDisruptionBudget(policy_v1::PodDisruptionBudget): "policy", "v1", "poddisruptionbudgets", Namespaced;
    HorizontalPodAutoscaler(autoscaling_v2::HorizontalPodAutoscaler): "autoscaling", "v2", "horizontalpodautoscalers", Namespaced;
    Ingress(networking_v1::Ingress): "networking.k8s.io", "v1", "ingresses", Namespaced;
    IngressClass(networking_v1::IngressClass): "networking.k8s.io", "v1", "ingressclasses", Cluster;
    NetworkPolicy(networking_v1::NetworkPolicy): "networking.k8s.io", "v1", "networkpolicies", Namespaced;
    Role(rbac_v1::Role): "rbac.authorization.k8s.io", "v1", "roles", Namespaced;
    ClusterRole(rbac_v1::ClusterRole): "rbac.authorization.k8s.io", "v1", "clusterroles", Cluster;
    RoleBinding(rbac_v1::RoleBinding): "rbac.authorization.k8s.io", "v1", "rolebindings", Namespaced;
    ClusterRoleBinding(rbac_v1::ClusterRoleBinding): "rbac.authorization.k8s.io", "v1", "clusterrolebindings", Cluster;
    StorageClass(storage_v1::StorageClass): "storage.k8s.io", "v1", "storageclasses", Cluster;
    CSIDriver(storage_v1::CSIDriver): "storage.k8s.io", "v1", "csidrivers", Cluster;
    CSINode(storage_v1::CSINode): "storage.k8s.io", "v1", "csinodes", Cluster;
    EndpointSlice(discovery_v1::EndpointSlice): "discovery.k8s.io", "v1", "endpointslices", Namespaced;
    Lease(coordination_v1::Lease): "coordination.k8s.io", "v1", "leases", Namespaced;
    RuntimeClass(node_v1::RuntimeClass): "node.k8s.io", "v1", "runtimeclasses", Cluster;
    CustomResourceDefinition(apiextensions_v1::CustomResourceDefinition): "apiextensions.k8s.io", "v1", "customresourcedefinitions", Cluster;
}

impl GroupKind {
    /// The kind's name (`""` for [`GroupKind::CustomResource`], whose objects carry theirs).
    pub fn kind(self) -> &'static str {
        self.row().0
    }

    /// The API group, empty for the core group.
    pub fn group(self) -> &'static str {
        self.row().1
    }

    /// The served apiVersion kubeplan reads and writes (`v1`, `apps/v1`).
    pub fn api_version(self) -> &'static str {
        api_version_str(self.row().1, self.row().2)
    }

    /// Whether objects of this kind live in a namespace.
    pub fn namespaced(self) -> bool {
        self.row().4 == Scope::Namespaced
    }

    /// The plural resource name, as in `pods "x" is forbidden`.
    pub fn resource(self) -> &'static str {
        self.row().3
    }

    /// The resource with its group, as in `daemonsets.apps "x" already exists`.
    pub fn resource_qualified(self) -> String {
        if self.group().is_empty() {
            self.resource().to_owned()
        } else {
            format!("{}.{}", self.resource(), self.group())
        }
    }

    /// The built-in kind of this name.
    pub fn from_kind(kind: &str) -> Option<GroupKind> {
        GroupKind::BUILTIN.iter().copied().find(|g| g.kind() == kind)
    }

    /// The built-in kind of this name in this API group.
    pub fn from_group_kind(group: &str, kind: &str) -> Option<GroupKind> {
        GroupKind::BUILTIN.iter().copied().find(|g| g.kind() == kind && g.group() == group)
    }
}

/// `group/version`, or `version` for the core group; as a static string for the table's rows.
fn api_version_str(group: &'static str, version: &'static str) -> &'static str {
    // The table's (group, version) pairs, spelled out once so that every row's apiVersion is a `&'static str`.
    const PAIRS: &[(&str, &str, &str)] = &[
        ("", "v1", "v1"),
        ("scheduling.k8s.io", "v1", "scheduling.k8s.io/v1"),
        ("apps", "v1", "apps/v1"),
        ("batch", "v1", "batch/v1"),
        ("policy", "v1", "policy/v1"),
        ("autoscaling", "v2", "autoscaling/v2"),
        ("networking.k8s.io", "v1", "networking.k8s.io/v1"),
        ("rbac.authorization.k8s.io", "v1", "rbac.authorization.k8s.io/v1"),
        ("storage.k8s.io", "v1", "storage.k8s.io/v1"),
        ("discovery.k8s.io", "v1", "discovery.k8s.io/v1"),
        ("coordination.k8s.io", "v1", "coordination.k8s.io/v1"),
        ("node.k8s.io", "v1", "node.k8s.io/v1"),
        ("apiextensions.k8s.io", "v1", "apiextensions.k8s.io/v1"),
    ];
    PAIRS.iter().find(|(g, v, _)| *g == group && *v == version).map_or("", |(_, _, gv)| gv)
}

impl fmt::Display for GroupKind {
    /// `DaemonSet.apps`, `Pod`: the qualified kind of API server error messages.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&qualified_kind(self.kind(), self.group()))
    }
}

/// `Kind.group`, or `Kind` for the core group.
fn qualified_kind(kind: &str, group: &str) -> String {
    if group.is_empty() {
        kind.to_owned()
    } else {
        format!("{kind}.{group}")
    }
}

/// An object of a kind a CustomResourceDefinition defines: its type and metadata, and the rest as written.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomResource {
    #[serde(rename = "apiVersion", default)]
    pub api_version: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// Every other top-level field (`spec`, `status`, `data`, ...).
    #[serde(flatten)]
    pub content: Map<String, Value>,
    /// How the kind is served, once its definition is found.
    #[serde(skip)]
    pub served: Option<CustomResourceServing>,
}

/// How the API server serves a custom resource's kind, from its CustomResourceDefinition.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CustomResourceServing {
    /// The plural resource name (`certificates`).
    pub plural: String,
    pub namespaced: bool,
    /// Whether the version has the `status` subresource (then `status` is written only through it).
    pub status_subresource: bool,
}

impl CustomResource {
    /// The API group of its apiVersion.
    pub fn group(&self) -> &str {
        self.api_version.rsplit_once('/').map_or("", |(g, _)| g)
    }
}

impl Object {
    pub fn meta(&self) -> &ObjectMeta {
        with_object!(self, o => &o.metadata)
    }

    pub fn meta_mut(&mut self) -> &mut ObjectMeta {
        with_object!(self, o => &mut o.to_mut().metadata)
    }

    /// The kind's name (`ConfigMap`, or a custom resource's kind).
    pub fn kind(&self) -> &str {
        match self {
            Object::CustomResource(cr) => &cr.kind,
            o => o.group_kind().kind(),
        }
    }

    /// The API group, empty for the core group.
    pub fn group(&self) -> &str {
        match self {
            Object::CustomResource(cr) => cr.group(),
            o => o.group_kind().group(),
        }
    }

    /// Whether the object lives in a namespace.
    pub fn namespaced(&self) -> bool {
        match self {
            Object::CustomResource(cr) => cr.served.as_ref().is_none_or(|s| s.namespaced),
            o => o.group_kind().namespaced(),
        }
    }

    /// The apiVersion the object is written in.
    pub fn api_version(&self) -> &str {
        match self {
            Object::CustomResource(cr) => &cr.api_version,
            o => o.group_kind().api_version(),
        }
    }

    /// The resource with its group, as in `daemonsets.apps "x" already exists` (a custom resource's plural is
    /// its definition's; before one is found, the lowercased kind).
    pub fn resource_qualified(&self) -> String {
        match self {
            Object::CustomResource(cr) => {
                let plural = cr.served.as_ref().map_or_else(|| cr.kind.to_lowercase(), |s| s.plural.clone());
                format!("{plural}.{}", cr.group())
            }
            o => o.group_kind().resource_qualified(),
        }
    }

    /// `Kind.group` as API server messages name the kind (`Backup.example.com "x" is invalid`).
    pub fn qualified_kind(&self) -> String {
        qualified_kind(self.kind(), self.group())
    }

    pub fn obj_ref(&self) -> ObjectRef {
        ObjectRef {
            kind: self.group_kind(),
            namespace: self.meta().namespace.clone(),
            name: self.meta().name.clone(),
        }
    }

    /// The object as the API server would return it, with `apiVersion` and `kind` set.
    pub fn to_json(&self) -> Value {
        let mut v = with_object!(self, o => serde_json::to_value(&**o)).unwrap_or(Value::Null);
        if let Some(m) = v.as_object_mut() {
            m.insert("apiVersion".into(), self.api_version().into());
            m.insert("kind".into(), self.kind().into());
        }
        v
    }
}

/// How [`Object`] holds an object: in a `Box` of its own, or, for pods and nodes, in an `Arc`. Pods are what the
/// actors read most and what planning writes most (created, bound, started): a reader that keeps a pod (the
/// scheduler's cycle and snapshot) takes another reference to the stored one rather than a copy of its some
/// hundred fields. A node is shared by the store and `defaultedObjects` (the scheduler's snapshot copies nodes:
/// see `Snapshot::build`). `Arc`
/// rather than `Rc` because objects are decoded on several threads (`input`). Writing through a shared pod copies
/// it first ([`Held::to_mut`], `Arc::make_mut`), so an object written is never one a reader still holds.
pub trait Held: Deref {
    /// The object, to write: a copy of it first when it is shared.
    fn to_mut(&mut self) -> &mut Self::Target;
}

impl<T> Held for Box<T> {
    fn to_mut(&mut self) -> &mut T {
        self
    }
}

impl<T: Clone> Held for Arc<T> {
    fn to_mut(&mut self) -> &mut T {
        Arc::make_mut(self)
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

/// A Kubernetes type that [`Object`] holds: typed access to the union, for the store's listers. Every row of
/// the kinds table implements it; [`CustomResource`] too, for every custom resource at once.
/// Work to do with one built-in kind's Rust type, chosen at run time by [`visit_builtin`].
pub trait KindVisitor {
    type Output;
    fn visit<T: Resource + serde::de::DeserializeOwned>(self) -> Self::Output;
}

pub trait Resource: Sized + 'static {
    /// The kind objects of this type are.
    const KIND: GroupKind;

    /// The object as this type, when it is one.
    fn of(obj: &Object) -> Option<&Self>;

    /// The object in the union.
    fn into_object(self) -> Object;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_row_has_an_api_version_and_a_unique_kind() {
        for gk in GroupKind::BUILTIN {
            assert!(!gk.api_version().is_empty(), "{gk:?}");
            assert_eq!(GroupKind::from_kind(gk.kind()), Some(*gk));
            assert!(gk.api_version().ends_with(gk.row().2));
        }
        assert_eq!(GroupKind::DaemonSet.to_string(), "DaemonSet.apps");
        assert_eq!(GroupKind::HorizontalPodAutoscaler.api_version(), "autoscaling/v2");
        assert_eq!(GroupKind::IngressClass.resource_qualified(), "ingressclasses.networking.k8s.io");
        assert!(!GroupKind::ClusterRole.namespaced() && GroupKind::Role.namespaced());
    }
}
