//! Checks the controller hashes kubeplan computes against the hashes a real cluster produced in the conformance
//! cases (`../shared/conformance/cases`, or `$KUBEPLAN_CASES`, and the new categories the Makefile requires;
//! skipped when absent).
//!
//! For every DaemonSet, Deployment and StatefulSet, the candidate templates are the defaulted templates recorded
//! in `defaultedObjects` (one per phase) plus those `kubectl set image` steps derive from them. Every real hash
//! (DaemonSet `controller-revision-hash`, ReplicaSet `pod-template-hash`, StatefulSet revision name) must be
//! produced by some candidate; candidates whose revision was pruned by a history limit are only reported.

use std::collections::{BTreeMap, BTreeSet};

use crate::conformance_cases;

use kubeplan::api::core_v1::PodTemplateSpec;
use kubeplan::controller::hash::{compute_hash, hash_controller_revision, statefulset_revision_data};
use serde_json::Value;


type Key = (String, String, String);

fn real_hashes(expected: &Value) -> BTreeMap<Key, BTreeSet<String>> {
    let mut real: BTreeMap<Key, BTreeSet<String>> = BTreeMap::new();
    let s = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    for rev in expected["controllerRevisions"].as_array().into_iter().flatten() {
        let kind = s(&rev["ownerKind"]);
        let hash = match kind.as_str() {
            "DaemonSet" => rev["labels"]["controller-revision-hash"].as_str().map(str::to_owned),
            _ => rev["name"].as_str().and_then(|n| n.rsplit('-').next()).map(str::to_owned),
        };
        real.entry((kind, s(&rev["namespace"]), s(&rev["ownerName"]))).or_default().extend(hash);
    }
    for w in expected["workloadStatus"].as_array().into_iter().flatten() {
        if w["kind"] == "ReplicaSet" && w["ownerKind"] == "Deployment" {
            let key = ("Deployment".to_owned(), s(&w["namespace"]), s(&w["ownerName"]));
            real.entry(key).or_default().extend(w["labels"]["pod-template-hash"].as_str().map(str::to_owned));
        }
    }
    real
}

/// Candidate templates per workload, in order, with the collision count to hash them with.
fn candidates(case: &std::path::Path, expected: &Value) -> BTreeMap<Key, Vec<(Value, Option<i32>)>> {
    let mut out: BTreeMap<Key, Vec<(Value, Option<i32>)>> = BTreeMap::new();
    for o in expected["defaultedObjects"].as_array().into_iter().flatten() {
        let obj = &o["object"];
        let kind = obj["kind"].as_str().unwrap_or_default();
        if !matches!(kind, "DaemonSet" | "Deployment" | "StatefulSet") {
            continue;
        }
        let key = (
            kind.to_owned(),
            obj["metadata"]["namespace"].as_str().unwrap_or_default().to_owned(),
            obj["metadata"]["name"].as_str().unwrap_or_default().to_owned(),
        );
        let collisions = obj["status"]["collisionCount"].as_i64().map(|c| c as i32);
        out.entry(key).or_default().push((obj["spec"]["template"].clone(), collisions));
    }
    // `kubectl set image` steps: the latest template with the named container's image replaced.
    let Ok(steps) = std::fs::read_to_string(case.join("steps.yaml")) else { return out };
    let steps: Vec<Value> = serde_saphyr::from_str(&steps).unwrap_or_default();
    for step in steps.iter().filter(|s| s["action"] == "setImage") {
        let key = (
            step["kind"].as_str().unwrap_or_default().to_owned(),
            step["namespace"].as_str().unwrap_or("default").to_owned(),
            step["name"].as_str().unwrap_or_default().to_owned(),
        );
        let Some(list) = out.get_mut(&key) else { continue };
        let Some((mut t, collisions)) = list.last().cloned() else { continue };
        let mut changed = false;
        for field in ["initContainers", "containers"] {
            for c in t.pointer_mut(&format!("/spec/{field}")).and_then(Value::as_array_mut).into_iter().flatten() {
                if step["container"] == "*" || c["name"] == step["container"] {
                    c["image"] = step["image"].clone();
                    changed = true;
                }
            }
        }
        if changed {
            list.push((t, collisions));
        }
    }
    out
}

#[test]
fn conformance_case_hashes() {
    let paths = conformance_cases::required_cases();
    if paths.is_empty() {
        eprintln!("no conformance cases found; skipping");
        return;
    }
    // kind -> (real hashes, reproduced)
    let mut tally: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut missing = Vec::new();
    for case in paths {
        let Ok(text) = std::fs::read_to_string(case.join("expected.json")) else { continue };
        let expected: Value = serde_json::from_str(&text).unwrap();
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let real = real_hashes(&expected);
        let cands = candidates(&case, &expected);
        // Hashes per workload; a revision or ReplicaSet adopted from an orphan-deleted workload carries the hash
        // of that workload's template, so a real hash may come from any workload of the same kind.
        let mut produced: BTreeMap<&Key, BTreeSet<String>> = BTreeMap::new();
        for (key, list) in &cands {
            for (t, collisions) in list {
                let template: PodTemplateSpec = serde_json::from_value(t.clone()).unwrap();
                let h = match key.0.as_str() {
                    "StatefulSet" => {
                        hash_controller_revision(&statefulset_revision_data(&template), Some(collisions.unwrap_or(0)))
                    }
                    _ => compute_hash(&template, *collisions),
                };
                produced.entry(key).or_default().insert(h);
            }
        }
        for (key, hashes) in &real {
            let same_kind: BTreeSet<&String> =
                produced.iter().filter(|(k, _)| k.0 == key.0).flat_map(|(_, hs)| hs.iter()).collect();
            let t = tally.entry(key.0.clone()).or_default();
            for h in hashes {
                t.0 += 1;
                if same_kind.contains(h) {
                    t.1 += 1;
                } else {
                    missing.push(format!("{name} {} {}/{}: real {h} not produced (candidates {same_kind:?})", key.0, key.1, key.2));
                }
            }
        }
        for (key, hs) in &produced {
            let all_real: BTreeSet<&String> = real.iter().filter(|(k, _)| k.0 == key.0).flat_map(|(_, hs)| hs.iter()).collect();
            for h in hs.iter().filter(|h| !all_real.contains(h)) {
                eprintln!("note: {name} {} {}/{}: candidate {h} not among the final revisions", key.0, key.1, key.2);
            }
        }
    }
    for m in &missing {
        eprintln!("MISSING {m}");
    }
    for (kind, (total, ok)) in &tally {
        eprintln!("{kind}: {ok}/{total} real hashes reproduced");
    }
    assert!(missing.is_empty(), "{} real hashes not reproduced", missing.len());
}
