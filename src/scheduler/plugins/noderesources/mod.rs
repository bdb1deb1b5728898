//! NodeResourcesFit (filter and LeastAllocated score) and NodeResourcesBalancedAllocation.

pub mod balanced_allocation;
pub mod fit;
