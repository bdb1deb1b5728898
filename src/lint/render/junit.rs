//! JUnit XML, as CI systems import test reports: one test suite per file, one test case per object, failed
//! when the object has findings at or above `--fail-on`. Findings outside any object (syntax errors) fail a
//! test case named after the file.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::diag::Severity;
use crate::lint::{Finding, LintReport};

pub fn render(report: &LintReport, fail_on: Severity) -> String {
    // file -> object (or "" for the file itself) -> findings, in input order.
    let mut files: Vec<&str> = Vec::new();
    let mut cases: BTreeMap<&str, Vec<(String, Vec<&Finding>)>> = BTreeMap::new();
    for o in &report.objects {
        if !files.contains(&o.file.as_str()) {
            files.push(&o.file);
        }
        let list = cases.entry(&o.file).or_default();
        if !list.iter().any(|(name, _)| *name == o.object) {
            list.push((o.object.clone(), Vec::new()));
        }
    }
    for f in &report.findings {
        if !files.contains(&f.file.as_str()) {
            files.push(&f.file);
        }
        let list = cases.entry(&f.file).or_default();
        let name = f.object.clone().unwrap_or_else(|| f.file.clone());
        match list.iter_mut().find(|(n, _)| *n == name) {
            Some((_, fs)) => fs.push(f),
            None => list.push((name, vec![f])),
        }
    }
    let failing = |fs: &[&Finding]| fs.iter().any(|f| f.severity >= fail_on);
    let total: usize = cases.values().map(Vec::len).sum();
    let failures: usize = cases.values().flatten().filter(|(_, fs)| failing(fs)).count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(out, "<testsuites name=\"kubeplan lint\" tests=\"{total}\" failures=\"{failures}\" errors=\"0\">");
    for file in files {
        let list = &cases[file];
        let fails = list.iter().filter(|(_, fs)| failing(fs)).count();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{fails}\" errors=\"0\" skipped=\"0\">",
            xml(file),
            list.len()
        );
        for (name, fs) in list {
            let _ = write!(out, "    <testcase name=\"{}\" classname=\"{}\"", xml(name), xml(file));
            if fs.is_empty() {
                out.push_str("/>\n");
                continue;
            }
            out.push_str(">\n");
            let body: Vec<String> = fs
                .iter()
                .map(|f| format!("{}:{}:{}: {}[{}]: {}", f.file, f.span.start.line, f.span.start.col, f.severity, f.rule, f.message))
                .collect();
            if failing(fs) {
                let first = fs.iter().find(|f| f.severity >= fail_on).expect("a failing finding");
                let _ = writeln!(
                    out,
                    "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                    xml(&first.message),
                    first.rule,
                    xml(&body.join("\n"))
                );
            } else {
                let _ = writeln!(out, "      <system-out>{}</system-out>", xml(&body.join("\n")));
            }
            out.push_str("    </testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// Text escaped for XML attributes and content; characters XML 1.0 cannot carry are dropped.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\t' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}
