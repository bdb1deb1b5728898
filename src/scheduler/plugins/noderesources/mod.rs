//! NodeResourcesFit (filter and scoring strategies) and NodeResourcesBalancedAllocation, and the resource
//! allocation scorer they share (`resource_allocation.go`).

pub mod balanced_allocation;
pub mod fit;
pub mod resource_allocation;
