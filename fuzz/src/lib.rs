//! What the fuzz targets share: an in-memory file system behind kubeplan's CLI, and the budget every plan of a
//! fuzz input runs with (small, so that an input cannot make an execution slow; the budget itself is exercised).

pub mod grammar;

use kubeplan::cli::{self, Outcome};
pub use kubeplan::cli::MemoryFiles as Files;

/// The budget flags of every fuzzed plan: a few hundred pods, objects and rounds.
pub const BUDGET: [&str; 6] = ["--max-pods", "300", "--max-objects", "200", "--max-rounds", "200"];

/// Run the CLI with `args` (and the fuzz budget when `budget`) over `files`; the outcome must be one of the
/// documented exit statuses.
/// A plan's `--output json` is the document printed pretty with every object's keys sorted, each key once: what
/// serde_json prints for the same text read back as a JSON value. The CLI prints it straight from the types
/// (`output::sorted_json`), so this checks the printer on every plan the fuzzer makes. Empty output (the input
/// could not be used at all) is left alone.
pub fn assert_canonical_json(text: &str) {
    if text.is_empty() {
        return;
    }
    let value: serde_json::Value = serde_json::from_str(text).expect("the plan is JSON");
    let canonical = serde_json::to_string_pretty(&value).expect("a JSON value prints") + "\n";
    assert!(canonical == text, "the plan's JSON is not printed as its JSON value prints");
}

pub fn run(args: &[&str], budget: bool, files: &mut Files) -> Outcome {
    let mut all: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    if budget {
        all.extend(BUDGET.iter().map(|s| s.to_string()));
    }
    let out = cli::run(&all, files);
    assert!((0..=2).contains(&out.code), "exit status {} for {all:?}", out.code);
    out
}
