//! Renderings of a plan: the JSON the conformance check reads, YAML objects, kubectl-like tables.

pub mod json;
pub mod table;
pub mod yaml;
