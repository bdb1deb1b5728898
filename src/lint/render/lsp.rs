//! Findings as Language Server Protocol `Diagnostic`s: zero-based lines and UTF-16 characters, what the language
//! server publishes, `kubeplan lint --format lsp` prints and the npm package's `lint()` returns.

use std::collections::{BTreeMap, HashMap};

use serde_json::{json, Value};

use crate::diag::{Severity, Span};
use crate::lint::locate::LineIndex;
use crate::lint::{Finding, LintReport};

/// A span as an LSP range in its document: `((line, character), (line, character))`.
pub fn lsp_range(span: Span, index: &LineIndex<'_>) -> ((u32, u32), (u32, u32)) {
    (index.utf16(span.start), index.utf16(span.end))
}

/// An LSP `Range` object.
pub fn range_json(start: (u32, u32), end: (u32, u32)) -> Value {
    json!({"start": {"line": start.0, "character": start.1}, "end": {"line": end.0, "character": end.1}})
}

/// An LSP `Diagnostic` for a finding, positioned in its document's text.
pub fn diagnostic(f: &Finding, index: &LineIndex<'_>, texts: &HashMap<&str, &str>) -> Value {
    let (start, end) = lsp_range(f.span, index);
    let severity = match f.severity {
        Severity::Error => 1,
        Severity::Warning => 2,
        Severity::Info => 3,
    };
    let mut d = json!({
        "range": range_json(start, end),
        "severity": severity,
        "code": f.rule,
        "source": "kubeplan",
        "message": f.message,
    });
    let related: Vec<Value> = f
        .related
        .iter()
        .filter_map(|r| {
            let t = texts.get(r.file.as_str())?;
            let (s, e) = lsp_range(r.span, &LineIndex::new(t));
            Some(json!({"location": {"uri": r.file, "range": range_json(s, e)}, "message": r.message}))
        })
        .collect();
    if !related.is_empty() {
        d["relatedInformation"] = Value::Array(related);
    }
    if let Some(fix) = &f.fix {
        d["data"] = json!({"fix": fix.description});
    }
    d
}

/// Every finding as LSP diagnostics, grouped by file: `{"file": [Diagnostic, ...]}` (files without findings
/// are absent). Findings in files whose text is not known are positioned as if each character were one
/// UTF-16 unit.
pub fn diagnostics_by_file(report: &LintReport, texts: &HashMap<&str, &str>) -> Value {
    let mut out: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
    let mut indexes: HashMap<&str, LineIndex<'_>> = HashMap::new();
    for f in &report.findings {
        let text = texts.get(f.file.as_str()).copied().unwrap_or("");
        let index = indexes.entry(f.file.as_str()).or_insert_with(|| LineIndex::new(text));
        let d = if text.is_empty() {
            let mut d = diagnostic(f, index, texts);
            d["range"] = range_json(
                (f.span.start.line.saturating_sub(1), f.span.start.col.saturating_sub(1)),
                (f.span.end.line.saturating_sub(1), f.span.end.col.saturating_sub(1)),
            );
            d
        } else {
            diagnostic(f, index, texts)
        };
        out.entry(&f.file).or_default().push(d);
    }
    json!(out)
}
