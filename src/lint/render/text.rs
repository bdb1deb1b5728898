//! The readable format: each finding with its rule, message, location, the source line and a caret under the
//! offending range, then the fix and related locations; a summary at the end.
//!
//! ```text
//! error[api-unsupported]: DaemonSet.apps "bad" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"
//!   --> ds.yaml:17:7
//!    |
//! 17 |       restartPolicy: Never
//!    |       ^^^^^^^^^^^^^^^^^^^^
//! ```

use std::collections::HashMap;
use std::fmt::Write;

use crate::diag::{Severity, Span};
use crate::lint::locate::LineIndex;
use crate::lint::LintReport;

pub fn render(report: &LintReport, texts: &HashMap<&str, &str>) -> String {
    let mut indexes: HashMap<&str, LineIndex<'_>> = HashMap::new();
    let mut out = String::new();
    for f in &report.findings {
        let _ = writeln!(out, "{}[{}]: {}", f.severity, f.rule, f.message);
        let index = texts.get(f.file.as_str()).map(|t| indexes.entry(f.file.as_str()).or_insert_with(|| LineIndex::new(t)));
        let pad = " ".repeat(f.span.start.line.to_string().len());
        let _ = match &index {
            Some(ix) => snippet(&mut out, &f.file, f.span, ix),
            None => writeln!(out, "{pad}--> {}:{}:{}", f.file, f.span.start.line, f.span.start.col),
        };
        if let Some(fix) = &f.fix {
            let _ = writeln!(out, "{pad} = fix: {}", fix.description);
        }
        for r in &f.related {
            let _ = writeln!(out, "{pad} = note: {} ({}:{}:{})", r.message, r.file, r.span.start.line, r.span.start.col);
        }
        out.push('\n');
    }
    let count = |s: Severity| report.findings.iter().filter(|f| f.severity == s).count();
    let (e, w, i) = (count(Severity::Error), count(Severity::Warning), count(Severity::Info));
    if report.findings.is_empty() {
        let _ = writeln!(out, "No problems found in {} objects.", report.objects.len());
    } else {
        let _ = writeln!(
            out,
            "Found {} in {} objects.",
            [plural(e, "error"), plural(w, "warning"), plural(i, "info")].into_iter().flatten().collect::<Vec<_>>().join(", "),
            report.objects.len()
        );
    }
    out
}

fn plural(n: usize, what: &str) -> Option<String> {
    match n {
        0 => None,
        1 => Some(format!("1 {what}")),
        _ if what == "info" => Some(format!("{n} info")),
        _ => Some(format!("{n} {what}s")),
    }
}

fn snippet(out: &mut String, file: &str, span: Span, index: &LineIndex<'_>) -> std::fmt::Result {
    let line_no = span.start.line;
    let width = line_no.to_string().len();
    let pad = " ".repeat(width);
    writeln!(out, "{pad}--> {file}:{}:{}", span.start.line, span.start.col)?;
    let Some(line) = index.line(line_no) else { return Ok(()) };
    writeln!(out, "{pad} |")?;
    writeln!(out, "{line_no} | {line}")?;
    let chars: Vec<char> = line.chars().collect();
    let start = (span.start.col.max(1) - 1) as usize;
    let end = if span.end.line == span.start.line { (span.end.col.max(1) - 1) as usize } else { chars.len() };
    let end = end.min(chars.len()).max(start + 1);
    // Keep tabs so the caret lines up under tab-indented text.
    let lead: String = chars.iter().take(start).map(|c| if *c == '\t' { '\t' } else { ' ' }).collect();
    writeln!(out, "{pad} | {lead}{}", "^".repeat(end - start))
}
