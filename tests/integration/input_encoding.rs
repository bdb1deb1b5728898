//! Files as kubectl reads them: invalid bytes located (and read as U+FFFD, as kubectl does) while everything is
//! still planned; UTF-16 with a byte order mark decoded; a lone CR counted as a line break by every reader; files
//! past the size limit refused before they are read.

use kubeplan::cli::{self, MemoryFiles};
use kubeplan::input::Source;
use kubeplan::lint::{lint, LintOptions};

const NODE: &str = "apiVersion: v1
kind: Node
metadata: {name: n1, labels: {kubernetes.io/hostname: n1}}
status:
  capacity: {cpu: '4', memory: 8Gi, pods: '110'}
  conditions: [{type: Ready, status: 'True'}]
";

fn pod(name: &str) -> String {
    format!("apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}}}\nspec:\n  containers: [{{name: c, image: 'busybox:1.36'}}]\n")
}

fn plan(files: Vec<(&str, Vec<u8>)>) -> cli::Outcome {
    let mut args = vec!["plan".to_string()];
    args.extend(files.iter().map(|(n, _)| n.to_string()));
    args.extend(["-o".to_string(), "json".to_string()]);
    let mut fs = MemoryFiles(files.into_iter().map(|(n, b)| (n.to_owned(), b)).collect());
    cli::run(&args, &mut fs)
}

fn pod_names(out: &cli::Outcome) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("the plan is printed as JSON");
    v["pods"].as_array().unwrap().iter().map(|p| p["metadata"]["name"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn an_invalid_byte_is_located_and_everything_is_still_planned() {
    // Latin-1 `é` (0xe9) in a comment of the second document, at line 9, column 14 (counted in characters).
    let mut a = format!("{NODE}---\n").into_bytes();
    a.extend_from_slice(b"# caf\xe9 owner\napiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers: [{name: c, image: 'busybox:1.36'}]\n");
    let out = plan(vec![("a.yaml", a), ("b.yaml", pod("b").into_bytes())]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.starts_with("a.yaml:8:6: warning[invalid-encoding]: byte 0xe9 is not text"), "{}", out.stderr);
    assert_eq!(pod_names(&out), ["a", "b"]);
}

#[test]
fn utf16_with_a_byte_order_mark_plans_as_its_utf8_text() {
    let text = format!("{NODE}---\n{}", pod("p"));
    let le: Vec<u8> = [0xff, 0xfe].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
    let be: Vec<u8> = [0xfe, 0xff].into_iter().chain(text.encode_utf16().flat_map(u16::to_be_bytes)).collect();
    let utf8 = plan(vec![("m.yaml", text.clone().into_bytes())]);
    for bytes in [le, be] {
        let out = plan(vec![("m.yaml", bytes)]);
        assert_eq!((out.code, out.stderr.as_str()), (0, ""));
        assert_eq!(out.stdout, utf8.stdout);
    }
}

#[test]
fn a_lone_carriage_return_is_a_line_break_for_the_parser_and_the_renderers() {
    // `kind: Pod` follows a lone CR: line 2. The empty containers list is refused at line 5.
    let text = "apiVersion: v1\rkind: Pod\nmetadata: {name: p}\nspec:\n  containers: []\n";
    let report = lint(&[Source::new("p.yaml", text)], &LintOptions::default());
    let f = report.findings.iter().find(|f| f.rule == "api-required").expect("containers are required");
    assert_eq!(f.span.start.line, 5, "{f:?}");
    assert!(f.span.start <= f.span.end, "{f:?}");
    let rendered = kubeplan::lint::render(&report, &[Source::new("p.yaml", text)], kubeplan::lint::Format::Text, kubeplan::diag::Severity::Error);
    assert!(rendered.contains("p.yaml:5:3"), "{rendered}");
}

#[test]
fn a_file_past_the_limit_is_refused_before_it_is_read() {
    let limit = kubeplan::input::yaml::MAX_FILE_BYTES;
    let out = plan(vec![("big.yaml", vec![b'#'; limit + 1])]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains(&format!("big.yaml: {} bytes or more; kubeplan reads at most {limit} bytes per file", limit + 1)), "{}", out.stderr);
}
