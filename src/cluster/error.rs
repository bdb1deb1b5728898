//! Why the API server (or a client) refused a request, as data: views point at fields and tell causes apart
//! without reading messages.

use std::fmt;

use crate::api::GroupKind;
use crate::apiserver::validation;

/// Why the API server refused a request, with the message it would return.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// Validation failed, with the field errors.
    Invalid(validation::Invalid),
    /// Admission refused it.
    Forbidden(String),
    AlreadyExists(String),
    NotFound(String),
    /// 409: the object was written since the copy the request was made from was read.
    Conflict(String),
    /// Refused by the client before any request (client-go's and the controllers' own checks).
    Client(String),
}

impl ApiError {
    pub(super) fn not_found(kind: GroupKind, name: &str) -> ApiError {
        ApiError::NotFound(format!("{} {name:?} not found", kind.resource_qualified()))
    }

    pub(super) fn conflict(kind: GroupKind, name: &str) -> ApiError {
        ApiError::Conflict(format!(
            "Operation cannot be fulfilled on {} {name:?}: the object has been modified; please apply your changes to the latest version and try again",
            kind.resource_qualified()
        ))
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Invalid(invalid) => write!(f, "{invalid}"),
            ApiError::Forbidden(m)
            | ApiError::AlreadyExists(m)
            | ApiError::NotFound(m)
            | ApiError::Conflict(m)
            | ApiError::Client(m) => f.write_str(m),
        }
    }
}
