//! Where the shared conformance cases are, and which of them the repository's own tests walk: every public case
//! (`cases/`) and, of the new categories (`new/`), those the Makefile's `CONFORMANCE_REQUIRE` names — a category
//! joins the ratchet once it passes, and from then on every test that walks the cases walks it too.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// `$KUBEPLAN_CASES`, or `shared/conformance/cases` beside the repository (a clone) or beside its worktrees.
pub fn cases_dir() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::env::var_os("KUBEPLAN_CASES")
        .map(PathBuf::from)
        .into_iter()
        .chain(["../shared", "../../shared"].iter().map(|p| root.join(p).join("conformance/cases")))
        .find(|p| p.is_dir())
}

/// The categories the Makefile requires of the new ones (`CONFORMANCE_REQUIRE := e,k,m`).
pub fn required_categories() -> Vec<String> {
    let makefile = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Makefile")).unwrap_or_default();
    makefile
        .lines()
        .find_map(|l| l.strip_prefix("CONFORMANCE_REQUIRE"))
        .and_then(|rest| rest.trim_start().strip_prefix(":=").or_else(|| rest.trim_start().strip_prefix('=')))
        .map(|v| v.split(',').map(|c| c.trim().to_owned()).filter(|c| !c.is_empty()).collect())
        .unwrap_or_default()
}

/// The case folders of `dir`, sorted.
pub fn folders(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut cases: Vec<PathBuf> = entries.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.is_dir()).collect();
    cases.sort();
    cases
}

/// The public cases.
pub fn public_cases() -> Vec<PathBuf> {
    cases_dir().map(|d| folders(&d)).unwrap_or_default()
}

/// Every case of the new categories (`new/` beside `cases/`), required or not.
pub fn new_cases() -> Vec<PathBuf> {
    cases_dir().and_then(|d| Some(folders(&d.parent()?.join("new")))).unwrap_or_default()
}

/// The category of a case: its name up to the first `-`.
pub fn category(case: &Path) -> &str {
    let name = case.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.split('-').next().unwrap_or("")
}

/// The cases a test of what kubeplan gets right walks: the public ones and the required new categories'.
pub fn required_cases() -> Vec<PathBuf> {
    let required = required_categories();
    let mut cases = public_cases();
    cases.extend(new_cases().into_iter().filter(|c| required.iter().any(|r| r == category(c))));
    cases
}

#[test]
fn the_makefile_names_the_required_categories() {
    let required = required_categories();
    assert!(!required.is_empty(), "CONFORMANCE_REQUIRE not found in the Makefile");
    assert!(required.iter().all(|c| c.chars().all(|ch| ch.is_ascii_lowercase())), "{required:?}");
}
