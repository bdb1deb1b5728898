//! The API server's rejections in the shared conformance cases (`../shared/conformance/cases`, and `new/` for
//! the categories the Makefile requires; recorded from a
//! real v1.32 API server): every `… is invalid: …` message must be reproduced exactly, and every object the
//! real API server accepted — as it stored it after defaulting (`defaultedObjects`) — must pass validation.
//!
//! The cases live outside this repository; when they are absent the tests pass without checking anything.

use crate::conformance_cases;
use crate::validation_util;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use kubeplan::api::{GroupKind, Object};
use kubeplan::apiserver::validation::{self, invalid_message, refine_with_source, FieldError};
use kubeplan::input::Manifest;
use serde_json::Value;
use validation_util::{default_object, load_text};

/// The public cases. This test replays validation alone (defaulting, then `validate`), so it walks the cases
/// whose rejections come from validation; the new categories' rejections also come from the rest of the API
/// server's path (kubectl's mapping of removed versions, the registry's ClusterIP allocation, admission), which
/// the conformance check on the whole plan and the lint suite (both walking the required new categories) cover.
fn case_dirs() -> Vec<PathBuf> {
    conformance_cases::public_cases()
}

type Key = (String, String, String);

fn key(o: &Object) -> Key {
    (o.group_kind().kind().to_owned(), o.meta().namespace.clone(), o.meta().name.clone())
}

/// One rejection: phase, kind, namespace, name, message.
type Rejection = (String, String, String, String, String);

/// Apply a manifest as `kubectl apply` would reach the API server: an update when the object exists, else a
/// create. Returns the rejection message, and stores the object when accepted.
fn apply(m: &Manifest, store: &mut BTreeMap<Key, Object>) -> Option<String> {
    let mut obj = m.object.clone();
    default_object(&mut obj);
    let k = key(&obj);
    let mut errs: Vec<FieldError> = match store.get(&k) {
        Some(old) => validation::validate_update(&obj, old),
        None => validation::validate_create(&obj),
    };
    refine_with_source(&mut errs, &m.tree);
    if errs.is_empty() {
        store.insert(k, obj);
        None
    } else {
        Some(invalid_message(&m.object, &errs))
    }
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Replay a case's input, update and `apply` steps through validation.
fn replay(dir: &Path) -> Vec<Rejection> {
    let mut out = Vec::new();
    let mut store = BTreeMap::new();
    let phase = |name: &str, file: &Path, store: &mut BTreeMap<Key, Object>, out: &mut Vec<Rejection>| {
        for m in load_text(&file.display().to_string(), &read(file)) {
            if let Some(msg) = apply(&m, store) {
                let (k, ns, n) = key(&m.object);
                out.push((name.to_owned(), k, ns, n, msg));
            }
        }
    };
    phase("initial", &dir.join("input.yaml"), &mut store, &mut out);
    if dir.join("update.yaml").exists() {
        phase("update", &dir.join("update.yaml"), &mut store, &mut out);
    }
    if dir.join("steps.yaml").exists() {
        let steps: Value = serde_saphyr_value(&read(&dir.join("steps.yaml")));
        for (i, step) in steps.as_array().into_iter().flatten().enumerate() {
            let action = step["action"].as_str().unwrap_or("");
            let name = format!("step{}:{action}", i + 1);
            match action {
                "apply" => phase(&name, &dir.join(step["file"].as_str().unwrap()), &mut store, &mut out),
                "deleteObject" => {
                    let k = (
                        step["kind"].as_str().unwrap_or("").to_owned(),
                        step["namespace"].as_str().unwrap_or("default").to_owned(),
                        step["name"].as_str().unwrap_or("").to_owned(),
                    );
                    store.remove(&k);
                }
                _ => {}
            }
        }
    }
    out
}

/// A small YAML document as JSON.
fn serde_saphyr_value(text: &str) -> Value {
    serde_saphyr::from_str(text).expect("steps.yaml")
}

fn expected(dir: &Path) -> Value {
    serde_json::from_str(&read(&dir.join("expected.json"))).unwrap()
}

/// Rejections that come from validation (`NewInvalid`), not from admission or kubectl.
fn expected_validation_rejections(dir: &Path) -> Vec<Rejection> {
    expected(dir)["rejections"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["message"].as_str().is_some_and(|m| m.contains(" is invalid")))
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap_or("").to_owned();
            (s("phase"), s("kind"), s("namespace"), s("name"), s("message"))
        })
        .collect()
}

#[test]
fn rejection_messages_are_reproduced_exactly() {
    let mut total = 0;
    let mut reproduced = 0;
    let mut problems = Vec::new();
    for dir in case_dirs() {
        let want = expected_validation_rejections(&dir);
        let got = replay(&dir);
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        total += want.len();
        for w in &want {
            if got.contains(w) {
                reproduced += 1;
            } else {
                let ours: Vec<&Rejection> = got.iter().filter(|g| g.1 == w.1 && g.3 == w.3).collect();
                problems.push(format!("{name}: expected {w:?}\n    got {ours:?}"));
            }
        }
        for g in &got {
            if !want.contains(g) && !want.iter().any(|w| w.1 == g.1 && w.3 == g.3 && w.0 == g.0) {
                problems.push(format!("{name}: unexpected rejection {g:?}"));
            }
        }
    }
    eprintln!("validation rejections reproduced: {reproduced}/{total}");
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

/// The objects as the real API server stored them, by phase.
fn defaulted_objects(dir: &Path) -> Vec<(String, String)> {
    let v = expected(dir);
    v["defaultedObjects"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| {
            let mut obj = d["object"].clone();
            let kind = obj["kind"].as_str().unwrap_or("").to_owned();
            if let Some(gk) = GroupKind::from_kind(&kind) {
                obj["apiVersion"] = Value::String(gk.api_version().to_owned());
            }
            (d["phase"].as_str().unwrap_or("").to_owned(), serde_json::to_string(&obj).unwrap())
        })
        .collect()
}

#[test]
fn objects_the_api_server_accepted_pass_validation() {
    let mut problems = Vec::new();
    let mut checked = 0;
    for dir in case_dirs() {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let mut store: BTreeMap<Key, Object> = BTreeMap::new();
        for (phase, json) in defaulted_objects(&dir) {
            for m in load_text(&format!("{name}/defaultedObjects"), &json) {
                let k = key(&m.object);
                // A different UID means the object was deleted and created again.
                let errs = match store.get(&k).filter(|old| old.meta().uid == m.object.meta().uid) {
                    Some(old) => validation::validate_update(&m.object, old),
                    None => validation::validate_create(&m.object),
                };
                checked += 1;
                if !errs.is_empty() {
                    problems.push(format!("{name} [{phase}] {k:?}: {}", invalid_message(&m.object, &errs)));
                }
                store.insert(k, m.object);
            }
        }
    }
    eprintln!("accepted objects checked: {checked}");
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

/// Objects straight from the documents, before any defaulting, yield errors but never a panic.
#[test]
fn undefaulted_objects_do_not_panic() {
    for dir in case_dirs() {
        for file in ["input.yaml", "update.yaml"] {
            let p = dir.join(file);
            if !p.exists() {
                continue;
            }
            let ms = load_text(&p.display().to_string(), &read(&p));
            for m in &ms {
                let errs = validation::validate_create(&m.object);
                let _ = invalid_message(&m.object, &errs);
                for other in ms.iter().take(20) {
                    let _ = validation::validate_update(&m.object, &other.object);
                }
            }
        }
    }
}
