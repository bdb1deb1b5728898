//! API-server validation with Kubernetes' exact messages (`pkg/apis/*/validation`).

use crate::api::Object;

/// One field error, rendered as `<path>: <body>` like `field.Error.Error()`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub path: String,
    pub message: String,
}

/// Validate an object being created. Empty when the API server would accept it.
pub fn validate_create(_obj: &Object) -> Vec<FieldError> {
    Vec::new()
}

/// Validate an update of `old` to `new`.
pub fn validate_update(_new: &Object, _old: &Object) -> Vec<FieldError> {
    Vec::new()
}

/// The API server's message for an invalid object: `DaemonSet.apps "x" is invalid: <errors>`.
pub fn invalid_message(obj: &Object, errors: &[FieldError]) -> String {
    let rendered: Vec<String> = errors.iter().map(|e| format!("{}: {}", e.path, e.message)).collect();
    let body = if rendered.len() == 1 { rendered[0].clone() } else { format!("[{}]", rendered.join(", ")) };
    format!("{} {:?} is invalid: {}", obj.group_kind(), obj.meta().name, body)
}
