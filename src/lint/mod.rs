//! Lint: what the API server would reject, located on the offending field, and traps it would accept.
//!
//! This first version reports input problems (syntax, types, unknown kinds and fields) and API-server
//! rejections (defaulting, admission and validation as a cluster applies them), each at its field.

use serde::Serialize;

use crate::diag::{Diagnostic, Severity, Span};
use crate::input::{self, Source};
use crate::plan::{plan, PlanInput, PlanOptions};

/// Options for a lint run.
#[derive(Clone, Debug, Default)]
pub struct LintOptions {
    /// Also report unknown fields as errors (kubectl's `--validate=strict`).
    pub strict: bool,
}

/// One finding: a stable rule id, a severity, the range of the offending field, a message and, where one
/// exists, a suggested fix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(hashmap_as_object, missing_as_null))]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    pub file: String,
    pub span: Span,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(hashmap_as_object, missing_as_null))]
pub struct LintReport {
    pub findings: Vec<Finding>,
}

impl From<Diagnostic> for Finding {
    fn from(d: Diagnostic) -> Finding {
        Finding { rule: d.code.to_owned(), severity: d.severity, file: d.file, span: d.span, message: d.message, fix: None }
    }
}

/// Lint manifests.
pub fn lint(sources: &[Source], options: &LintOptions) -> LintReport {
    let mut findings: Vec<Finding> = Vec::new();
    let loaded = input::load(sources);
    for d in loaded.diagnostics {
        let mut f = Finding::from(d);
        if options.strict && f.rule == "unknown-field" {
            f.severity = Severity::Error;
        }
        findings.push(f);
    }
    let p = plan(&PlanInput { manifests: sources.to_vec(), ..Default::default() }, &PlanOptions::default());
    for r in p.rejections() {
        let (Some(file), Some(line), Some(col)) = (&r.file, r.line, r.column) else { continue };
        let start = crate::diag::Pos { line, col };
        findings.push(Finding {
            rule: "api-rejects".into(),
            severity: Severity::Error,
            file: file.clone(),
            span: Span::point(start),
            message: r.message.clone(),
            fix: None,
        });
    }
    findings.sort_by(|a, b| (&a.file, a.span.start).cmp(&(&b.file, b.span.start)));
    LintReport { findings }
}
