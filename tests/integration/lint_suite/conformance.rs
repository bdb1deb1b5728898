//! Every `d-` conformance case: lint reports each rejection of the case's `expected.json`, with its exact
//! message, at the field the message names (the key of the last segment of its field path, inside the
//! rejected object's document). Every public case and every case of a category the Makefile requires: each
//! refusal reported error by error. Every case, the new categories' too (`new/` beside `cases/`, required or
//! not): each finding is well formed and located inside its file.

use std::path::{Path, PathBuf};

use kubeplan::input::Source;
use kubeplan::lint::{lint, LintOptions};

use crate::conformance_cases::{cases_dir, new_cases, required_cases};

/// A case's manifests as lint reads them: the input, then the update.
fn case_sources(case: &Path) -> Vec<Source> {
    ["input.yaml", "update.yaml"]
        .iter()
        .map(|f| case.join(f))
        .filter_map(|p| Some(Source::new(p.display().to_string(), std::fs::read_to_string(&p).ok()?)))
        .collect()
}

/// Whether lint's name of an object (`Kind namespace/name`, or `Kind name` when the document gives no
/// namespace or the kind is cluster-scoped) is the rejected object's.
fn names_rejected(object: &str, r: &serde_json::Value) -> bool {
    let (kind, namespace, name) = (r["kind"].as_str().unwrap(), r["namespace"].as_str().unwrap(), r["name"].as_str().unwrap());
    object == format!("{kind} {namespace}/{name}") || object == format!("{kind} {name}")
}

fn d_cases() -> Vec<PathBuf> {
    let Some(dir) = cases_dir() else { return Vec::new() };
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut cases: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("d-")))
        .collect();
    cases.sort();
    cases
}

/// The field path named in an API-server message: `... is invalid: <path>: ...`.
fn field_of(message: &str) -> Option<&str> {
    let rest = message.split_once(" is invalid: ")?.1;
    Some(rest.split_once(": ")?.0)
}

/// The last key of a field path: `spec.template.spec.containers[1].ports[0].hostPort` -> `hostPort`.
fn last_key(path: &str) -> &str {
    let last = path.rsplit('.').next().unwrap_or(path);
    last.split('[').next().unwrap_or(last)
}

/// The 1-based line range of the document holding `kind` `name`, in a multi-document YAML text.
fn document_lines(text: &str, kind: &str, name: &str) -> Option<(u32, u32)> {
    let mut start = 1u32;
    let mut docs = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.starts_with("---") {
            docs.push((start, i as u32));
            start = i as u32 + 2;
        }
    }
    docs.push((start, text.lines().count() as u32));
    docs.into_iter().find(|(a, b)| {
        let lines: Vec<&str> = text.lines().skip(*a as usize - 1).take((*b + 1 - *a) as usize).collect();
        lines.iter().any(|l| l.trim() == format!("kind: {kind}")) && lines.iter().any(|l| l.trim() == format!("name: {name}"))
    })
}

#[test]
fn every_d_case_rejection_is_reported_at_its_field() {
    let cases = d_cases();
    if cases.is_empty() {
        // As the other conformance tests: the cases live outside the repository.
        eprintln!("skipped: no conformance cases found (set KUBEPLAN_CASES)");
        return;
    }
    let mut checked = 0;
    for case in cases {
        let sources = case_sources(&case);
        let expected: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(case.join("expected.json")).unwrap()).unwrap();
        let report = lint(&sources, &LintOptions::default());
        for r in expected["rejections"].as_array().unwrap() {
            let message = r["message"].as_str().unwrap();
            let (kind, name) = (r["kind"].as_str().unwrap(), r["name"].as_str().unwrap());
            let found = report.findings.iter().find(|f| f.message == message);
            let Some(f) = found else {
                panic!("{}: no finding with message {message:?}; findings: {:#?}", case.display(), report.findings)
            };
            assert!(f.rule.starts_with("api-"), "{}: rule {}", case.display(), f.rule);
            // The phase says which file holds the object as applied: the update file for `update`.
            let file = if r["phase"] == "update" { "update.yaml" } else { "input.yaml" };
            assert!(f.file.ends_with(file), "{}: finding in {} not {file}", case.display(), f.file);
            let text = sources.iter().find(|s| s.name == f.file).unwrap().text.as_str();
            let (first, last) = document_lines(text, kind, name).expect("the object's document");
            assert!((first..=last).contains(&f.span.start.line), "{}: line {} outside {first}..{last}", case.display(), f.span.start.line);
            let line = text.lines().nth(f.span.start.line as usize - 1).unwrap();
            let at: String = line.chars().skip(f.span.start.col as usize - 1).collect();
            let key = match field_of(message) {
                Some(path) => last_key(path).to_owned(),
                // Admission refusals name no field; the Priority plugin's are about spec.priority.
                None => "priority".to_owned(),
            };
            assert!(at.starts_with(&format!("{key}:")), "{}: points at {at:?}, expected the key {key:?}", case.display());
            // The range runs from the key through its value.
            assert!(f.span.end > f.span.start);
            checked += 1;
        }
    }
    assert!(checked >= 11, "only {checked} rejections checked");
}

/// Across every public case and every case of a required new category: an object refused with several field errors gives one finding per error, and together
/// they make up the API server's message exactly; an object the API server accepts gets no API finding; a
/// workload whose pods admission refuses (FailedCreate events) gets the refusal.
#[test]
fn every_case_refusal_is_reported_error_by_error() {
    let cases = required_cases();
    if cases.is_empty() {
        eprintln!("skipped: no conformance cases found (set KUBEPLAN_CASES)");
        return;
    }
    for case in cases {
        let input = case.join("input.yaml");
        let text = std::fs::read_to_string(&input).unwrap();
        let report = lint(&[Source::new("input.yaml", text)], &LintOptions::default());
        let expected: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(case.join("expected.json")).unwrap()).unwrap();
        let rejections: Vec<&serde_json::Value> =
            expected["rejections"].as_array().unwrap().iter().filter(|r| r["phase"] == "initial").collect();
        let api: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.rule.starts_with("api-") && f.rule != "api-admission" && f.rule != "api-warning")
            .collect();
        // Every warning kubectl would print as it applies the files is an `api-warning` finding.
        for w in expected["warnings"].as_array().into_iter().flatten().filter(|w| w["phase"] == "initial") {
            let (name, message) = (w["name"].as_str().unwrap(), w["message"].as_str().unwrap());
            let found = report.findings.iter().any(|f| {
                f.rule == "api-warning" && f.message == message && f.object.as_deref().is_some_and(|o| o.ends_with(name))
            });
            assert!(found, "{}: no api-warning {message:?} for {name}", case.display());
        }
        for r in &rejections {
            let message = r["message"].as_str().unwrap();
            let Some((prefix, all)) = message.split_once(" is invalid: ") else { continue };
            let object = format!("{} {}", r["kind"].as_str().unwrap(), r["name"].as_str().unwrap());
            let mine: Vec<_> = api.iter().filter(|f| f.object.as_deref().is_some_and(|o| names_rejected(o, r))).collect();
            assert!(!mine.is_empty(), "{}: nothing for {object}", case.display());
            let mut rest = all.to_owned();
            for f in &mine {
                let body = f.message.strip_prefix(&format!("{prefix} is invalid: ")).expect("the API server's prefix");
                let at = rest.find(body).unwrap_or_else(|| panic!("{}: {body:?} not in {all:?}", case.display()));
                rest.replace_range(at..at + body.len(), "");
            }
            let rest = rest.replace(", ", "").replace(['[', ']'], "");
            assert!(rest.is_empty(), "{}: left over {rest:?} of {all:?}", case.display());
        }
        for f in &api {
            let object = f.object.clone().unwrap_or_default();
            assert!(rejections.iter().any(|r| names_rejected(&object, r)), "{}: {object} is accepted by the API server but lint says {}", case.display(), f.message);
        }
        for e in expected["events"].as_array().into_iter().flatten() {
            let msg = e["message"].as_str().unwrap_or("");
            if e["reason"] == "FailedCreate" && msg.contains("PriorityClass") {
                assert!(report.findings.iter().any(|f| f.rule == "api-admission" && f.message.ends_with(msg)), "{}: no finding for {msg}", case.display());
            }
        }
    }
}

/// Every case, public or of a new category: lint finishes, and each finding names a registered rule and a file
/// it was given, with a range inside that file (1-based, start before end, on a line the file has). Nothing
/// here depends on the case passing.
#[test]
fn every_case_including_the_new_categories_lints_to_located_findings() {
    let public = crate::conformance_cases::public_cases();
    let cases: Vec<PathBuf> = public.into_iter().chain(new_cases()).collect();
    if cases.is_empty() {
        eprintln!("skipped: no conformance cases found (set KUBEPLAN_CASES)");
        return;
    }
    for case in &cases {
        let sources = case_sources(case);
        let report = lint(&sources, &LintOptions::default());
        for f in &report.findings {
            let at = format!("{}: {} at {}:{:?}", case.display(), f.rule, f.file, f.span);
            assert!(kubeplan::lint::rules::find(f.rule).is_some(), "{at}: unregistered rule");
            let text = &sources.iter().find(|s| s.name == f.file).unwrap_or_else(|| panic!("{at}: unknown file")).text;
            let lines = text.lines().count() as u32 + 1;
            assert!(f.span.start.line >= 1 && f.span.start.col >= 1, "{at}: not 1-based");
            assert!(f.span.start <= f.span.end && f.span.end.line <= lines, "{at}: outside the file");
        }
    }
}
