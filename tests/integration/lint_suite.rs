//! The lint tests:
//!
//! - `chart`: references between a chart's objects (selectors, port names, objects the input lacks);
//! - `conformance`: every `d-` conformance case's rejection is reported, exactly, at its field;
//! - `rules`: traps located and fixed by their own suggested edits, the plan on `--nodes`, formats, exit codes;
//! - `sarif`: the SARIF output validates against the SARIF 2.1.0 schema.

mod chart;
mod conformance;
mod rules;
mod sarif;
