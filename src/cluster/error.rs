//! Why the API server (or a client) refused a request, as data: views point at fields and tell causes apart
//! without reading messages.

use std::fmt;

use crate::apiserver::admission::Refusal;
use crate::apiserver::validation;

/// Why the API server refused a request, with the message it would return.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// Validation failed, with the field errors.
    Invalid(validation::Invalid),
    AlreadyExists(String),
    NotFound(String),
    /// 409: the object was written since the copy the request was made from was read.
    Conflict(String),
    /// Refused by the client before any request (client-go's and the controllers' own checks).
    Client(String),
    /// An admission plugin refused it.
    Refused(Refusal),
    /// The API server failed (`Internal error occurred: ...`), as when an allocator's range is full.
    Internal(String),
}

impl ApiError {
    /// `resource` is the resource with its group (`daemonsets.apps`, [`crate::api::Object::resource_qualified`]).
    pub(super) fn not_found(resource: &str, name: &str) -> ApiError {
        ApiError::NotFound(format!("{resource} {name:?} not found"))
    }

    pub(super) fn conflict(resource: &str, name: &str) -> ApiError {
        ApiError::Conflict(format!(
            "Operation cannot be fulfilled on {resource} {name:?}: the object has been modified; please apply your changes to the latest version and try again"
        ))
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Invalid(invalid) => write!(f, "{invalid}"),
            ApiError::AlreadyExists(m)
            | ApiError::NotFound(m)
            | ApiError::Conflict(m)
            | ApiError::Client(m) => f.write_str(m),
            ApiError::Refused(r) => r.fmt(f),
            ApiError::Internal(m) => write!(f, "Internal error occurred: {m}"),
        }
    }
}

impl From<Refusal> for ApiError {
    fn from(r: Refusal) -> ApiError {
        ApiError::Refused(r)
    }
}
