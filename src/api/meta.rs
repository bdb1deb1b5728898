//! Helpers over `metav1.ObjectMeta` that every layer reads (`apimachinery/pkg/apis/meta/v1/controller_ref.go`).

use super::meta_v1::{ObjectMeta, OwnerReference};

/// `metav1.GetControllerOf`: the owner reference with `controller: true`, if any.
pub fn controller_of(meta: &ObjectMeta) -> Option<&OwnerReference> {
    meta.owner_references.iter().find(|r| r.controller == Some(true))
}
