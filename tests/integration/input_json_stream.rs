//! A stream of concatenated JSON objects (`jq -c`, objects printed one after the other by `kubectl get -o json`)
//! is read as kubectl's `YAMLOrJSONDecoder` reads it: one object after the other, each located in the file.

use kubeplan::cli::{self, MemoryFiles};

const NODE: &str = r#"{"apiVersion":"v1","kind":"Node","metadata":{"name":"n1","labels":{"kubernetes.io/hostname":"n1"}},"status":{"capacity":{"cpu":"4","memory":"8Gi","pods":"110"},"conditions":[{"type":"Ready","status":"True"}]}}"#;
const DS: &str = r#"{"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"agent"},"spec":{"selector":{"matchLabels":{"app":"agent"}},"template":{"metadata":{"labels":{"app":"agent"}},"spec":{"containers":[{"name":"c","image":"busybox:1.36"}]}}}}"#;
/// A pod whose port is a string where the API wants an int32: refused, located at `"http"`.
const BAD_POD: &str = r#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"i","ports":[{"containerPort":"http"}]}]}}"#;

fn plan(text: &str) -> (cli::Outcome, serde_json::Value) {
    let mut fs = MemoryFiles::default().with("s.json", text.as_bytes());
    let out = cli::run(&["plan".into(), "s.json".into(), "-o".into(), "json".into()], &mut fs);
    let v = serde_json::from_str(&out.stdout).expect("the plan as JSON");
    (out, v)
}

fn placed(v: &serde_json::Value) -> Vec<(String, String)> {
    let pods = v["pods"].as_array().unwrap().iter();
    pods.map(|p| (p["metadata"]["name"].as_str().unwrap().to_owned(), p["spec"]["nodeName"].as_str().unwrap_or("").to_owned()))
        .collect()
}

#[test]
fn objects_one_after_the_other_on_one_line() {
    let (out, v) = plan(&format!("{NODE}{DS}\n"));
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    assert_eq!(placed(&v).len(), 1);
    assert_eq!(placed(&v)[0].1, "n1");
}

#[test]
fn objects_on_lines_of_their_own_and_pretty_printed() {
    let (out, v) = plan(&format!("{NODE}\n{DS}\n"));
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    assert_eq!(placed(&v)[0].1, "n1");
    let pretty = |s: &str| serde_json::to_string_pretty(&serde_json::from_str::<serde_json::Value>(s).unwrap()).unwrap();
    let (out, v) = plan(&format!("  \n{}\n{}\n", pretty(NODE), pretty(DS)));
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    assert_eq!(placed(&v)[0].1, "n1");
}

#[test]
fn each_object_is_located_where_it_stands_in_the_file() {
    // Second on the first line: the column is the file's.
    let text = format!("{NODE}{BAD_POD}\n");
    let col = text.find(r#""http""#).unwrap() + 1;
    let (out, _) = plan(&text);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains(&format!("s.json:1:{col}: error[invalid-type]")), "{}", out.stderr);
    // On the third line, after a string holding braces and an escaped quote.
    let node = NODE.replace(r#""n1"}},"#, r#""n1"},"annotations":{"x":"{[\"}"}},"#);
    let text = format!("{node}\n{DS}\n  {BAD_POD}");
    let col = text.lines().nth(2).unwrap().find(r#""http""#).unwrap() + 1;
    let (out, v) = plan(&text);
    assert!(out.stderr.contains(&format!("s.json:3:{col}: error[invalid-type]")), "{}", out.stderr);
    assert_eq!(placed(&v), [(placed(&v)[0].0.clone(), "n1".to_owned())], "the node and DaemonSet are read");
}

#[test]
fn a_single_json_object_and_yaml_read_as_before() {
    let (out, v) = plan(NODE);
    assert_eq!((out.code, out.stderr.as_str(), placed(&v).len()), (0, "", 0));
    let (out, _) = plan("apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n---\n{\"apiVersion\": \"v1\", \"kind\": \"Namespace\", \"metadata\": {\"name\": \"y\"}}\n");
    assert_eq!((out.code, out.stderr.as_str()), (0, ""), "a YAML stream may hold JSON documents");
}
