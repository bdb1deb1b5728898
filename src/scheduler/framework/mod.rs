//! The scheduling framework (`pkg/scheduler/framework`): the per-pod and per-node facts plugins read
//! ([`types`]), statuses with typed reasons ([`status`]), the cycle's state ([`cycle_state`]), one trait per
//! extension point ([`interface`]), and a profile's plugins arranged and run per extension point
//! ([`runtime`]).

pub mod cycle_state;
pub mod interface;
pub mod runtime;
pub mod status;
pub mod types;

pub use cycle_state::CycleState;
pub use interface::{
    ExtensionPoint, FilterPlugin, Handle, Instance, Listers, Nominate, Plugin, PluginsRunner, PostFilterPlugin, PostFilterResult, PreEnqueuePlugin,
    PreFilterPlugin, PreFilterResult, PreScorePlugin, Preemption, QueueSortPlugin, ScorePlugin,
};
pub use runtime::{Filters, Framework, PreFilterOutcome, PreFilterStop, Scores, MAX_NODE_SCORE};
pub use status::{Code, Reason, Status};
pub use types::*;
