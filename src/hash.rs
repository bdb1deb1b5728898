//! The engine's hash maps and sets: std's, hashed with foldhash's fixed-seed hasher rather than SipHash.
//!
//! The maps that use these are looked up for every pod (a store write, an event, a snapshot update, a generated
//! name), with short keys such as names and namespace/name pairs, where SipHash costs several times what
//! foldhash does. The seed is fixed, so that nothing depends on the process (the engine has no randomness);
//! nothing reads these maps' iteration order into a plan (with std's random seed that order already differed
//! from run to run).

/// A `HashMap` with the fixed-seed hasher (make one with `default()` or `collect()`).
pub type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;

/// A `HashSet` with the fixed-seed hasher.
pub type HashSet<T> = std::collections::HashSet<T, foldhash::fast::FixedState>;
