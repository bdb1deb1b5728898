//! The API server's part: defaulting, registry strategies, admission and validation, as v1.32 applies them
//! when an object is created or updated.

pub mod admission;
pub mod defaults;
pub mod strategy;
pub mod validation;
