//! Renderings of a lint report: readable text with the source line and a caret, JSON, SARIF 2.1.0, GitHub
//! workflow annotations, JUnit XML, and LSP diagnostics.

mod junit;
pub mod lsp;
mod sarif;
mod text;

use std::collections::HashMap;

use serde_json::{json, Value};

use crate::diag::{Severity, Span};
use crate::input::Source;

use super::{Finding, LintReport};

/// An output format of `kubeplan lint --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Sarif,
    Github,
    Junit,
    /// LSP `Diagnostic`s per file (zero-based lines, UTF-16 characters), as the language server publishes them.
    Lsp,
}

impl Format {
    pub const NAMES: &'static str = "text, json, sarif, github, junit or lsp";

    pub fn parse(s: &str) -> Option<Format> {
        Some(match s {
            "text" => Format::Text,
            "json" => Format::Json,
            "sarif" => Format::Sarif,
            "github" => Format::Github,
            "junit" => Format::Junit,
            "lsp" => Format::Lsp,
            _ => return None,
        })
    }
}

/// Render `report` in `format`. `sources` are the texts the findings point into (manifests and node files);
/// `fail_on` is the severity from which findings fail the run (JUnit marks those as failures).
pub fn render(report: &LintReport, sources: &[Source], format: Format, fail_on: Severity) -> String {
    let texts: HashMap<&str, &str> = sources.iter().map(|s| (s.name.as_str(), s.text.as_str())).collect();
    match format {
        Format::Text => text::render(report, &texts),
        Format::Json => pretty(&json(report)),
        Format::Sarif => pretty(&sarif::render(report)),
        Format::Github => github(report),
        Format::Junit => junit::render(report, fail_on),
        Format::Lsp => pretty(&lsp::diagnostics_by_file(report, &texts)),
    }
}

fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

fn range(span: Span) -> Value {
    json!({
        "start": {"line": span.start.line, "column": span.start.col},
        "end": {"line": span.end.line, "column": span.end.col},
    })
}

/// `{"findings": [...], "summary": {...}}`; positions are 1-based lines and columns counted in characters,
/// ends exclusive.
pub fn json(report: &LintReport) -> Value {
    let findings: Vec<Value> = report.findings.iter().map(finding_json).collect();
    json!({
        "tool": {"name": "kubeplan", "version": env!("CARGO_PKG_VERSION"), "kubernetes": "v1.32"},
        "findings": findings,
        "summary": summary_json(report),
    })
}

fn summary_json(report: &LintReport) -> Value {
    let count = |s: Severity| report.findings.iter().filter(|f| f.severity == s).count();
    json!({
        "objects": report.objects.len(),
        "error": count(Severity::Error),
        "warning": count(Severity::Warning),
        "info": count(Severity::Info),
    })
}

fn finding_json(f: &Finding) -> Value {
    let mut v = json!({
        "rule": f.rule,
        "severity": f.severity,
        "file": f.file,
        "range": range(f.span),
        "message": f.message,
    });
    let o = v.as_object_mut().expect("an object");
    if let Some(obj) = &f.object {
        o.insert("object".into(), json!(obj));
    }
    if let Some(field) = &f.field {
        o.insert("field".into(), json!(field));
    }
    if let Some(fix) = &f.fix {
        let edits: Vec<Value> =
            fix.edits.iter().map(|e| json!({"file": e.file, "range": range(e.span), "text": e.text})).collect();
        o.insert("fix".into(), json!({"description": fix.description, "edits": edits}));
    }
    if !f.related.is_empty() {
        let related: Vec<Value> =
            f.related.iter().map(|r| json!({"file": r.file, "range": range(r.span), "message": r.message})).collect();
        o.insert("related".into(), json!(related));
    }
    v
}

/// GitHub Actions workflow commands: `::error file=...,line=...,col=...,endLine=...,endColumn=...,title=...::msg`.
/// Columns are 1-based and the end column inclusive.
fn github(report: &LintReport) -> String {
    let mut out = String::new();
    for f in &report.findings {
        let command = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let s = f.span;
        let end_col = if s.end.line == s.start.line { s.end.col.saturating_sub(1).max(s.start.col) } else { s.end.col.max(1) };
        let mut message = f.message.clone();
        if let Some(fix) = &f.fix {
            message.push_str(&format!("\nfix: {}", fix.description));
        }
        out.push_str(&format!(
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            escape_property(&f.file),
            s.start.line,
            s.start.col,
            s.end.line.max(s.start.line),
            end_col,
            escape_property(&format!("kubeplan {}", f.rule)),
            escape_data(&message)
        ));
    }
    out
}

/// Workflow-command data: `%`, CR and LF escaped.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Workflow-command property values: as data, plus `:` and `,`.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Pos;

    #[test]
    fn github_annotations_escape_and_locate() {
        let f = Finding {
            rule: "api-invalid",
            severity: Severity::Error,
            file: "a,b.yaml".into(),
            span: Span { start: Pos { line: 3, col: 5 }, end: Pos { line: 3, col: 12 } },
            message: "100% bad: x\ny".into(),
            object: None,
            field: None,
            fix: None,
            related: vec![],
        };
        let r = LintReport { findings: vec![f], objects: vec![] };
        assert_eq!(
            github(&r),
            "::error file=a%2Cb.yaml,line=3,col=5,endLine=3,endColumn=11,title=kubeplan api-invalid::100%25 bad: x%0Ay\n"
        );
    }
}
