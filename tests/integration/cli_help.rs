//! `--help` and `-h` answer with usage on standard output and exit status 0, for the whole CLI and for each verb.

use kubeplan::cli::{self, MemoryFiles};

fn run(args: &str) -> cli::Outcome {
    let args: Vec<String> = args.split_whitespace().map(String::from).collect();
    cli::run(&args, &mut MemoryFiles::default())
}

#[test]
fn every_verb_prints_its_own_usage() {
    for verb in ["plan", "lint", "explain", "history", "lsp"] {
        for flag in ["--help", "-h"] {
            // After other arguments too (lsp takes no files).
            let other = if verb == "lsp" { "--stdio" } else { "a.yaml" };
            for args in [format!("{verb} {flag}"), format!("{verb} {other} {flag}"), format!("help {verb}")] {
                let out = run(&args);
                assert_eq!((out.code, out.stderr.as_str()), (0, ""), "{args}");
                assert!(out.stdout.starts_with(&format!("kubeplan {verb}: ")), "{args}: {}", out.stdout);
                assert!(out.stdout.contains(&format!("  kubeplan {verb} ")), "{args}: the usage line");
                assert!(out.stdout.contains("  -h, --help "), "{args}: {}", out.stdout);
            }
        }
    }
}

#[test]
fn each_usage_lists_the_options_its_verb_takes() {
    let plan = run("plan --help").stdout;
    for option in ["--update FILE", "--steps FILE", "-o, --output FORMAT", "--max-pods N", "--max-objects N", "--max-rounds N"] {
        assert!(plan.contains(option), "plan: {option}");
    }
    let lint = run("lint --help").stdout;
    for option in ["--nodes FILE", "-f, --format FORMAT", "--closed-world", "--fail-on SEVERITY", "--strict"] {
        assert!(lint.contains(option), "lint: {option}");
    }
    let history = run("history --help").stdout;
    for option in ["--kind KIND", "--name NAME", "-n, --namespace NS", "--revision N"] {
        assert!(history.contains(option), "history: {option}");
    }
    assert!(run("explain -h").stdout.contains("POD "));
    assert!(run("lsp -h").stdout.contains("--stdio"));
}

#[test]
fn the_top_level_help_is_the_whole_usage() {
    for args in ["--help", "-h", "help", ""] {
        let out = run(args);
        assert_eq!((out.code, out.stderr.as_str()), (0, ""), "{args:?}");
        assert!(out.stdout.starts_with("kubeplan: what a Kubernetes v1.32 cluster would do"), "{args:?}");
        assert!(out.stdout.contains("kubeplan VERB --help"), "{args:?}");
    }
    let out = run("help frobnicate");
    assert_eq!(out.code, 2);
    assert!(out.stderr.starts_with("error: help: unknown command \"frobnicate\""), "{}", out.stderr);
}
