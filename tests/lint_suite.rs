//! The lint tests, in one test binary (each integration-test binary is a whole link of the engine, which
//! `make test` builds with LTO):
//!
//! - `chart`: references between a chart's objects (selectors, port names, objects the input lacks);
//! - `conformance`: every `d-` conformance case's rejection is reported, exactly, at its field;
//! - `rules`: traps located and fixed by their own suggested edits, the plan on `--nodes`, formats, exit codes;
//! - `sarif`: the SARIF output validates against the SARIF 2.1.0 schema.

#[path = "lint_suite/chart.rs"]
mod chart;
#[path = "conformance_cases/mod.rs"]
mod conformance_cases;
#[path = "lint_suite/conformance.rs"]
mod conformance;
mod memfs;
#[path = "lint_suite/rules.rs"]
mod rules;
#[path = "lint_suite/sarif.rs"]
mod sarif;
