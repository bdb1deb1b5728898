//! A key written twice is refused as the API server refuses it (strict decoding: `duplicate field "metadata.name"`),
//! pointing at both places: the duplicate, and the first (whose value is the one read).

use kubeplan::cli::{self, MemoryFiles};

fn run(args: &str, name: &str, text: &str) -> cli::Outcome {
    let mut fs = MemoryFiles::default().with(name, text);
    let args: Vec<String> = args.split_whitespace().map(String::from).collect();
    cli::run(&args, &mut fs)
}

#[test]
fn lint_points_at_the_duplicate_and_the_first() {
    let yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n";
    let out = run("lint d.yaml", "d.yaml", yaml);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stdout.contains(
            "error[unknown-field]: duplicate field \"metadata.name\" (first written at line 4, column 3): kubectl's \
             strict field validation (the default) refuses the object\n --> d.yaml:5:3\n"
        ),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("DuplicateKeyPolicy"), "{}", out.stdout);
    let json = r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","name":"b"}}"#;
    let out = run("lint d.json", "d.json", json);
    assert!(out.stdout.contains("(first written at line 1, column 51)") && out.stdout.contains(" --> d.json:1:62\n"), "{}", out.stdout);
}

#[test]
fn plan_refuses_with_the_api_servers_words() {
    let out = run("plan d.yaml", "d.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n");
    assert_eq!(out.code, 1);
    let all = out.stdout + &out.stderr;
    assert!(all.contains("cannot be handled as a ConfigMap: strict decoding error: duplicate field \"metadata.name\""), "{all}");
    assert!(!all.contains("DuplicateKeyPolicy"), "{all}");
}
