//! Rollouts as a person follows them: what `kubectl rollout status` prints round by round, and the rollouts that
//! cannot finish, with where and why they stopped.

pub mod stall;
pub mod status;
pub mod timeline;

pub use stall::{stalls, Stall, StallKind, StallReason};
pub use status::{complete, resource_name, status, StatusLine};
pub use timeline::{lines, RolloutLine};
