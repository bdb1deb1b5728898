//! Kubernetes API types as kubeplan reads and writes them.
//!
//! The structs in [`generated`] mirror the v1.32 Go types field for field (see `tools/gen_api.py`); the few types
//! with custom JSON forms in Go are written by hand here: [`Quantity`], [`IntOrString`], [`Time`], [`RawJson`],
//! [`Bytes`].

mod bytes;
pub mod conversion;
pub mod generated;
mod intstr;
pub mod labels;
mod meta;
mod object;
mod quantity;
mod time;

pub use bytes::Bytes;
pub use generated::{
    apiextensions_v1, apps_v1, autoscaling_v1, autoscaling_v2, batch_v1, coordination_v1, core_v1, discovery_v1,
    meta_v1, networking_v1, node_v1, policy_v1, rbac_v1, scheduling_v1, storage_v1,
};
pub use intstr::IntOrString;
pub(crate) use object::{with_object, with_objects};
pub use object::{
    visit_builtin, CustomResource, CustomResourceServing, GroupKind, KindVisitor, Held, Object, ObjectRef, Resource, Scope,
};
pub use quantity::{Format as QuantityFormat, Quantity, QuantityError};
pub use time::{parse_duration, seconds_of, Duration, Time};
pub use meta::controller_of;

use serde::{Deserialize, Serialize};

use crate::go::{GoValue, ToGo};

/// `skip_serializing_if` for Go `omitempty` on numbers.
pub fn is_zero<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

/// `skip_serializing_if` for Go `omitempty` on booleans.
pub fn is_false(v: &bool) -> bool {
    !*v
}

/// Go's `omitempty` for the hand-written types: which of their values count as empty.
pub trait OmitEmpty {
    fn omit(&self) -> bool;
}

/// Raw JSON kept as is: `runtime.RawExtension` (ControllerRevision data) and `metav1.FieldsV1`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RawJson(pub serde_json::Value);

impl OmitEmpty for RawJson {
    fn omit(&self) -> bool {
        self.0.is_null()
    }
}

impl ToGo for RawJson {
    fn to_go(&self) -> GoValue<'_> {
        // Never part of a pod template; shown as the raw bytes Go would hold.
        let raw = if self.0.is_null() { None } else { Some(self.0.to_string()) };
        GoValue::Struct(
            "runtime.RawExtension",
            vec![(
                "Raw",
                match raw {
                    None => GoValue::Slice("[]uint8", None),
                    Some(s) => GoValue::Slice("[]uint8", Some(s.bytes().map(|b| GoValue::Uint("uint8", u64::from(b))).collect())),
                },
            )],
        )
    }
}
