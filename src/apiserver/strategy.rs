//! Registry strategies: what the API server sets on create and update beyond defaulting
//! (`pkg/registry/*/strategy.go`: generation, DaemonSet template generation, Job selectors and labels).

use crate::api::Object;

/// `PrepareForCreate`.
pub fn prepare_for_create(_obj: &mut Object) {}

/// `PrepareForUpdate`: `new` replaces `old`.
pub fn prepare_for_update(_new: &mut Object, _old: &Object) {}
