//! The API server's part: defaulting, registry strategies, admission, validation and warnings, as v1.32 applies them
//! when an object is created or updated.

pub mod admission;
pub mod conversion;
pub mod defaults;
pub mod names;
pub mod quota;
pub mod service_alloc;
pub mod strategy;
pub mod validation;
pub mod warnings;
