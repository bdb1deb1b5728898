//! Command-line arguments.

use lexopt::prelude::*;

pub const USAGE: &str = "\
kubeplan: what a Kubernetes v1.32 cluster would do with your manifests

Usage:
  kubeplan plan FILE... [--update FILE] [--steps FILE] [--output table|wide|yaml|json|rollout]
  kubeplan history FILE... [--update FILE] [--steps FILE] [--kind KIND [--name NAME] [--namespace NS]]
                   [--revision N]
  kubeplan explain POD FILE... [--update FILE] [--steps FILE]
  kubeplan lint FILE... [--nodes FILE]... [--format text|json|sarif|github|junit|lsp]
                        [--strict] [--fail-on error|warning|info]
  kubeplan lsp [--nodes FILE]... [--strict]
  kubeplan version
  kubeplan help

FILE is a manifest file, a directory of them, or - for stdin. Manifests hold nodes (as
`kubectl get nodes -o yaml` prints them), namespaces, priority classes and workloads.

history prints what `kubectl rollout history` would print after the plan. explain shows every
scheduling decision about POD (NAMESPACE/NAME, or NAME in default): each node's filter verdict or
scores, the chosen node and the ties.

lint reports, each at its field: what the API server would reject (its exact message), traps it
would accept, and with --nodes what the cluster would do (pods left Pending and why, per node).
--strict makes unknown fields errors. lsp is a language server over stdio for editors.

Exit status: plan: 0 planned; 1 the API server would reject some object; 2 unusable input.
history: 0 printed; 1 kubectl would fail (unknown workload or revision). explain: 0 shown; 1 no
such pod was ever scheduled or created. lint: 0 clean; 1 findings at or above --fail-on (default
error); 2 unusable input (a file that cannot be read, bad arguments).
";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Wide,
    Yaml,
    Json,
    /// The rollout timeline with `kubectl rollout status` after each round.
    Rollout,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanArgs {
    pub files: Vec<String>,
    pub update: Option<String>,
    pub steps: Option<String>,
    pub output: Format,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LintArgs {
    pub files: Vec<String>,
    pub nodes: Vec<String>,
    pub format: crate::lint::Format,
    pub strict: bool,
    pub fail_on: crate::diag::Severity,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LspArgs {
    pub nodes: Vec<String>,
    pub strict: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    Plan(PlanArgs),
    Lint(LintArgs),
    Lsp(LspArgs),
    History(super::history::HistoryArgs),
    Explain(super::explain::ExplainArgs),
    Version,
    Help,
}

pub fn parse(args: &[String]) -> Result<Command, String> {
    let mut p = lexopt::Parser::from_args(args.iter().cloned());
    let verb = match p.next().map_err(|e| e.to_string())? {
        None => return Ok(Command::Help),
        Some(Value(v)) => v.string().map_err(|e| e.to_string())?,
        Some(Long("help")) | Some(Short('h')) => return Ok(Command::Help),
        Some(Long("version")) | Some(Short('V')) => return Ok(Command::Version),
        Some(other) => return Err(other.unexpected().to_string()),
    };
    match verb.as_str() {
        "plan" => parse_plan(&mut p).map(Command::Plan),
        "history" => super::history::parse(&mut p).map(Command::History),
        "explain" => super::explain::parse(&mut p).map(Command::Explain),
        "lint" => parse_lint(&mut p).map(Command::Lint),
        "lsp" => parse_lsp(&mut p).map(Command::Lsp),
        "version" => Ok(Command::Version),
        "help" => Ok(Command::Help),
        other => Err(format!("unknown command {other:?} (expected plan, history, explain, lint, lsp, version or help)")),
    }
}

fn parse_plan(p: &mut lexopt::Parser) -> Result<PlanArgs, String> {
    let mut a = PlanArgs { files: Vec::new(), update: None, steps: None, output: Format::Table };
    while let Some(arg) = p.next().map_err(|e| e.to_string())? {
        match arg {
            Long("update") => a.update = Some(string(p)?),
            Long("steps") => a.steps = Some(string(p)?),
            Long("output") | Short('o') => {
                a.output = match string(p)?.as_str() {
                    "table" => Format::Table,
                    "wide" => Format::Wide,
                    "yaml" => Format::Yaml,
                    "json" => Format::Json,
                    "rollout" => Format::Rollout,
                    other => return Err(format!("--output {other:?}: expected table, wide, yaml, json or rollout")),
                }
            }
            Value(v) => a.files.push(v.string().map_err(|e| e.to_string())?),
            other => return Err(other.unexpected().to_string()),
        }
    }
    if a.files.is_empty() {
        return Err("plan needs at least one manifest file, directory or -".into());
    }
    Ok(a)
}

fn parse_lint(p: &mut lexopt::Parser) -> Result<LintArgs, String> {
    use crate::diag::Severity;
    let mut a = LintArgs {
        files: Vec::new(),
        nodes: Vec::new(),
        format: crate::lint::Format::Text,
        strict: false,
        fail_on: Severity::Error,
    };
    while let Some(arg) = p.next().map_err(|e| e.to_string())? {
        match arg {
            Long("nodes") => a.nodes.push(string(p)?),
            Long("strict") => a.strict = true,
            Long("format") | Short('f') => {
                let v = string(p)?;
                a.format = crate::lint::Format::parse(&v)
                    .ok_or_else(|| format!("--format {v:?}: expected {}", crate::lint::Format::NAMES))?;
            }
            Long("fail-on") => {
                a.fail_on = match string(p)?.as_str() {
                    "error" => Severity::Error,
                    "warning" => Severity::Warning,
                    "info" => Severity::Info,
                    other => return Err(format!("--fail-on {other:?}: expected error, warning or info")),
                }
            }
            Value(v) => a.files.push(v.string().map_err(|e| e.to_string())?),
            other => return Err(other.unexpected().to_string()),
        }
    }
    if a.files.is_empty() {
        return Err("lint needs at least one manifest file, directory or -".into());
    }
    Ok(a)
}

fn parse_lsp(p: &mut lexopt::Parser) -> Result<LspArgs, String> {
    let mut a = LspArgs { nodes: Vec::new(), strict: false };
    while let Some(arg) = p.next().map_err(|e| e.to_string())? {
        match arg {
            Long("nodes") => a.nodes.push(string(p)?),
            Long("strict") => a.strict = true,
            // Editors commonly start servers with --stdio.
            Long("stdio") => {}
            other => return Err(other.unexpected().to_string()),
        }
    }
    Ok(a)
}

pub(super) fn string(p: &mut lexopt::Parser) -> Result<String, String> {
    p.value().map_err(|e| e.to_string())?.string().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn parses_plan_flags() {
        let c = parse(&args("plan a.yaml dir --update u.yaml --steps s.yaml -o json")).unwrap();
        assert_eq!(
            c,
            Command::Plan(PlanArgs {
                files: vec!["a.yaml".into(), "dir".into()],
                update: Some("u.yaml".into()),
                steps: Some("s.yaml".into()),
                output: Format::Json
            })
        );
        assert!(parse(&args("plan")).is_err());
        assert!(parse(&args("plan a.yaml --output xml")).is_err());
        assert!(parse(&args("frobnicate")).is_err());
    }

    #[test]
    fn parses_lint_and_lsp_flags() {
        use crate::diag::Severity;
        let c = parse(&args("lint a.yaml b --nodes n.yaml --nodes m.yaml --format sarif --strict --fail-on warning")).unwrap();
        assert_eq!(
            c,
            Command::Lint(LintArgs {
                files: vec!["a.yaml".into(), "b".into()],
                nodes: vec!["n.yaml".into(), "m.yaml".into()],
                format: crate::lint::Format::Sarif,
                strict: true,
                fail_on: Severity::Warning,
            })
        );
        assert!(parse(&args("lint")).is_err());
        assert!(parse(&args("lint a.yaml --format xml")).is_err());
        assert!(parse(&args("lint a.yaml --fail-on never")).is_err());
        assert_eq!(parse(&args("lsp --stdio --nodes n.yaml")).unwrap(), Command::Lsp(LspArgs { nodes: vec!["n.yaml".into()], strict: false }));
    }
}
