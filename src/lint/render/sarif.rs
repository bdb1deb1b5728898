//! SARIF 2.1.0, as GitHub code scanning and other tools import it.
//!
//! - Every rule of [`crate::lint::rules::RULES`] is listed in `tool.driver.rules`, so `ruleIndex` is stable.
//! - Regions are 1-based with exclusive end columns counted in Unicode code points (`columnKind`).
//! - Paths relative to the working directory are written relative to `%SRCROOT%`; absolute paths as `file://`
//!   URIs.
//! - `partialFingerprints` hash what the finding is about (rule, file, object, field, message), not where it
//!   is, so a finding keeps its identity when lines move.
//! - Fixes with edits become SARIF `fixes`; related locations `relatedLocations`.

use serde_json::{json, Map, Value};

use crate::diag::{Severity, Span};
use crate::lint::rules::{self, RULES};
use crate::lint::{Finding, LintReport};

const SCHEMA: &str = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

pub fn render(report: &LintReport) -> Value {
    let mut ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
    for f in &report.findings {
        if !ids.contains(&f.rule) {
            ids.push(f.rule);
        }
    }
    let rules: Vec<Value> = ids.iter().map(|id| rule(id)).collect();
    let results: Vec<Value> = report.findings.iter().map(|f| result(f, &ids)).collect();
    let mut files: Vec<&str> = report.objects.iter().map(|o| o.file.as_str()).chain(report.findings.iter().map(|f| f.file.as_str())).collect();
    files.sort_unstable();
    files.dedup();
    let artifacts: Vec<Value> = files.iter().map(|f| json!({"location": artifact_location(f)})).collect();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "kubeplan",
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": env!("CARGO_PKG_REPOSITORY"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "originalUriBaseIds": {"%SRCROOT%": {"uri": "./"}},
            "artifacts": artifacts,
            "results": results,
        }],
    })
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// `api-invalid` as `ApiInvalid`: SARIF's `name` is an identifier-like form of the id.
fn pascal(id: &str) -> String {
    id.split('-').map(|w| {
        let mut c = w.chars();
        c.next().map(|f| f.to_uppercase().chain(c).collect::<String>()).unwrap_or_default()
    }).collect()
}

fn rule(id: &str) -> Value {
    let r = rules::find(id);
    let summary = rules::summary(id);
    let help = r.map_or(summary, |r| r.help);
    json!({
        "id": id,
        "name": pascal(id),
        "shortDescription": {"text": summary},
        "fullDescription": {"text": help},
        "help": {"text": help},
        "defaultConfiguration": {"level": level(r.map_or(Severity::Error, |r| r.severity))},
        "properties": {"tags": ["kubernetes", r.map_or("input", |r| r.origin.name())], "precision": "very-high"},
    })
}

/// A URI reference for a path: relative paths stay relative (to `%SRCROOT%`), absolute ones become `file://`.
fn uri(path: &str) -> (String, bool) {
    let path = path.strip_prefix("./").unwrap_or(path);
    if path == "-" {
        return ("stdin".to_owned(), true);
    }
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    if path.starts_with('/') {
        (format!("file://{out}"), false)
    } else if let Some(rest) = path.strip_prefix("file://") {
        (format!("file://{rest}"), false)
    } else {
        (out, true)
    }
}

fn artifact_location(path: &str) -> Value {
    match uri(path) {
        (u, true) => json!({"uri": u, "uriBaseId": "%SRCROOT%"}),
        (u, false) => json!({"uri": u}),
    }
}

fn region(span: Span) -> Value {
    let start_col = span.start.col.max(1);
    let (end_line, mut end_col) = (span.end.line.max(span.start.line), span.end.col.max(1));
    if end_line == span.start.line && end_col <= start_col {
        end_col = start_col + 1;
    }
    json!({"startLine": span.start.line.max(1), "startColumn": start_col, "endLine": end_line, "endColumn": end_col})
}

fn location(file: &str, span: Span) -> Value {
    json!({"physicalLocation": {"artifactLocation": artifact_location(file), "region": region(span)}})
}

/// FNV-1a, 64 bits: small, stable across platforms and releases.
fn fnv1a(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

fn result(f: &Finding, ids: &[&str]) -> Value {
    let mut r = Map::new();
    r.insert("ruleId".into(), json!(f.rule));
    r.insert("ruleIndex".into(), json!(ids.iter().position(|i| *i == f.rule).unwrap_or(0)));
    r.insert("level".into(), json!(level(f.severity)));
    r.insert("message".into(), json!({"text": f.message}));
    r.insert("locations".into(), json!([location(&f.file, f.span)]));
    let fingerprint = fnv1a(&[f.rule, &f.file, f.object.as_deref().unwrap_or(""), f.field.as_deref().unwrap_or(""), &f.message]);
    r.insert("partialFingerprints".into(), json!({"kubeplanFindingHash/v1": fingerprint}));
    if !f.related.is_empty() {
        let related: Vec<Value> = f
            .related
            .iter()
            .enumerate()
            .map(|(i, rel)| {
                let mut l = location(&rel.file, rel.span);
                l["id"] = json!(i + 1);
                l["message"] = json!({"text": rel.message});
                l
            })
            .collect();
        r.insert("relatedLocations".into(), json!(related));
    }
    if let Some(fix) = &f.fix {
        r.insert("properties".into(), json!({"fix": fix.description}));
        if !fix.edits.is_empty() {
            let mut by_file: Vec<(&str, Vec<Value>)> = Vec::new();
            for e in &fix.edits {
                let replacement = json!({"deletedRegion": edit_region(e.span), "insertedContent": {"text": e.text}});
                match by_file.iter_mut().find(|(f, _)| *f == e.file) {
                    Some((_, list)) => list.push(replacement),
                    None => by_file.push((&e.file, vec![replacement])),
                }
            }
            let changes: Vec<Value> = by_file
                .into_iter()
                .map(|(file, replacements)| json!({"artifactLocation": artifact_location(file), "replacements": replacements}))
                .collect();
            r.insert("fixes".into(), json!([{"description": {"text": fix.description}, "artifactChanges": changes}]));
        }
    }
    Value::Object(r)
}

/// An edit's region: an insertion is an empty region (end column equal to the start).
fn edit_region(span: Span) -> Value {
    json!({"startLine": span.start.line.max(1), "startColumn": span.start.col.max(1), "endLine": span.end.line.max(span.start.line), "endColumn": span.end.col.max(1)})
}
