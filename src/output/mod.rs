//! Renderings of a plan: the JSON the conformance check reads, YAML objects, kubectl-like tables.

pub mod explain;
mod grid;
pub mod history;
pub mod json;
pub mod rollout;
pub mod sorted_json;
pub mod summary;
pub mod table;
pub mod yaml;
