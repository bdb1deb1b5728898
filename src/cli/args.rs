//! Command-line arguments.

use lexopt::prelude::*;

use crate::facade::Budget;

pub const USAGE: &str = "\
kubeplan: what a Kubernetes v1.32 cluster would do with your manifests

Usage:
  kubeplan plan FILE... [-n NS] [--update FILE] [--steps FILE] [--output table|wide|yaml|json|rollout] [BUDGET]
  kubeplan history FILE... [--update FILE] [--steps FILE] [--kind KIND [--name NAME] [--namespace NS]]
                   [--revision N]
  kubeplan explain POD FILE... [-n NS] [--update FILE] [--steps FILE]
  kubeplan lint FILE... [-n NS] [--nodes FILE]... [--format text|json|sarif|github|junit|lsp]
                        [--strict] [--closed-world] [--fail-on error|warning|info] [BUDGET]
  kubeplan lsp [--nodes FILE]... [--strict] [--closed-world] [BUDGET]
  kubeplan version
  kubeplan help [VERB]                (or kubeplan VERB --help: the options of VERB)

FILE is a manifest file, a directory of them, or - for stdin. Manifests hold nodes (as
`kubectl get nodes -o yaml` prints them), namespaces, priority classes and workloads.

history prints what `kubectl rollout history` would print after the plan. explain shows every
scheduling decision about POD (NAMESPACE/NAME, or NAME in default): each node's filter verdict or
scores, the chosen node and the ties.

lint reports, each at its field: what the API server would reject (its exact message), traps it
would accept, and with --nodes what the cluster would do (pods left Pending and why, per node).
Unknown and repeated fields are errors, as kubectl's default --validate=strict makes them
(--strict is accepted and changes nothing). A ConfigMap, Secret, ServiceAccount or claim a pod
needs that the files do not hold is a note (the cluster may have it); --closed-world says the files
are the whole cluster and makes it an error. lsp is a language server over stdio for editors.

BUDGET bounds what one plan may cost: --max-pods N (pods the workloads ask for in all, default
200000), --max-objects N (input objects, default 250000), --max-rounds N (rounds per phase,
default 10000). What would exceed it is left out with a located `budget` error; the rest is planned.

Exit status: plan: 0 planned; 1 the API server would reject some object; 2 unusable input.
history: 0 printed; 1 kubectl would fail (unknown workload or revision). explain: 0 shown; 1 no
such pod was ever scheduled or created. lint: 0 clean; 1 findings at or above --fail-on (default
error); 2 unusable input (a file that cannot be read or parsed, a wrong type or kind, bad
arguments).
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
    pub budget: Budget,
    /// `-n/--namespace`, as kubectl's: see [`crate::facade::PlanOptions::namespace`].
    pub namespace: Option<String>,
    /// `--kubelet-admission`: see [`crate::facade::PlanOptions::kubelet_admission`].
    pub kubelet_admission: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LintArgs {
    pub files: Vec<String>,
    pub nodes: Vec<String>,
    pub format: crate::lint::Format,
    pub strict: bool,
    /// The files are the whole cluster (`--closed-world`).
    pub closed_world: bool,
    pub fail_on: crate::diag::Severity,
    pub budget: Budget,
    /// `-n/--namespace`, as kubectl's: see [`crate::lint::LintOptions::namespace`].
    pub namespace: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LspArgs {
    pub nodes: Vec<String>,
    pub strict: bool,
    pub closed_world: bool,
    pub budget: Budget,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    Plan(PlanArgs),
    Lint(LintArgs),
    Lsp(LspArgs),
    History(HistoryArgs),
    Explain(ExplainArgs),
    Version,
    /// Usage: the whole CLI's (`kubeplan --help`), or one verb's (`kubeplan plan --help`, `kubeplan help plan`).
    Help(Option<Verb>),
}

/// A verb that has usage of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verb {
    Plan,
    History,
    Explain,
    Lint,
    Lsp,
}

impl Verb {
    fn named(word: &str) -> Option<Verb> {
        Some(match word {
            "plan" => Verb::Plan,
            "history" => Verb::History,
            "explain" => Verb::Explain,
            "lint" => Verb::Lint,
            "lsp" => Verb::Lsp,
            _ => return None,
        })
    }

    /// The verb's usage, as `kubeplan VERB --help` prints it: what it does and every option, one line each
    /// (kubectl's subcommands answer `--help` in the same way, with exit status 0 on standard output).
    pub fn usage(self) -> &'static str {
        match self {
            Verb::Plan => PLAN_USAGE,
            Verb::History => HISTORY_USAGE,
            Verb::Explain => EXPLAIN_USAGE,
            Verb::Lint => LINT_USAGE,
            Verb::Lsp => LSP_USAGE,
        }
    }
}

/// The options every planning verb shares, one line each.
macro_rules! plan_inputs {
    () => {
        "  FILE...                  manifest files, directories (every .yaml/.yml/.json file, sorted) or - for stdin
      --update FILE        objects applied as updates once the cluster settled
      --steps FILE         actions applied one by one afterwards, each then settled (see README, Input)
      --kubelet-admission  the kubelet admits pods as v1.32's does: one naming a node it does not fit is Failed
"
    };
}

/// `-n` of `plan` and `explain`, as `kubectl apply -n` (`history`'s `-n` only says which workloads to show,
/// as `kubectl rollout history -n`).
macro_rules! namespace_option {
    () => {
        "  -n, --namespace NS       as kubectl's: objects naming no namespace go to NS; one naming another is refused
"
    };
}

/// The budget options, one line each.
macro_rules! budget_options {
    () => {
        "      --max-pods N         pods the workloads may ask for in all (default 200000)
      --max-objects N      input objects (default 250000)
      --max-rounds N       rounds per phase (default 10000)
"
    };
}

const PLAN_USAGE: &str = concat!(
    "\
kubeplan plan: what the cluster would do with the manifests: pods, placements, Pending reasons, rollouts

Usage:
  kubeplan plan FILE... [-n NS] [--update FILE] [--steps FILE] [--output FORMAT] [BUDGET]

Options:
",
    plan_inputs!(),
    namespace_option!(),
    "  -o, --output FORMAT      table (default; summarised beyond 300 pods), wide, yaml, json or rollout (timeline, rollout status)
",
    budget_options!(),
    "  -h, --help               this help

Exit status: 0 planned; 1 the API server would reject some object; 2 unusable input.
"
);

const HISTORY_USAGE: &str = concat!(
    "\
kubeplan history: what `kubectl rollout history` would print after the plan

Usage:
  kubeplan history FILE... [--update FILE] [--steps FILE] [--kind KIND [--name NAME] [-n NS]] [--revision N]

Options:
",
    plan_inputs!(),
    "      --kind KIND          the workloads of one kind (daemonset, ds, deployment, deploy, sts, ...)
      --name NAME          one workload of that kind
  -n, --namespace NS       the namespace of the workloads shown (default: default)
      --revision N         the details of one revision
  -h, --help               this help

Exit status: 0 printed; 1 kubectl would fail (unknown workload or revision); 2 unusable input.
"
);

const EXPLAIN_USAGE: &str = concat!(
    "\
kubeplan explain: every scheduling decision about one pod: each node's filter verdict or scores, the chosen
node and the ties

Usage:
  kubeplan explain POD FILE... [-n NS] [--update FILE] [--steps FILE]

Options:
  POD                      NAMESPACE/NAME, or NAME (in -n's namespace, else default)
",
    plan_inputs!(),
    namespace_option!(),
    "  -h, --help               this help

Exit status: 0 shown; 1 no such pod was ever scheduled or created; 2 unusable input.
"
);

const LINT_USAGE: &str = concat!(
    "\
kubeplan lint: each problem at its field: what the API server would reject (its exact message), traps it
would accept, and with --nodes what the cluster would do

Usage:
  kubeplan lint FILE... [-n NS] [--nodes FILE]... [--format FORMAT] [--closed-world] [--fail-on SEVERITY] [BUDGET]

Options:
  FILE...                  manifest files, directories (every .yaml/.yml/.json file, sorted) or - for stdin
  -n, --namespace NS       as kubectl's: objects naming no namespace go to NS; one naming another is an error
      --nodes FILE         the cluster's nodes (`kubectl get nodes -o yaml`): also plan on them (repeatable)
  -f, --format FORMAT      text (default), json, sarif, github, junit or lsp
      --closed-world       the files are the whole cluster: a ConfigMap, Secret, ... they lack is an error
      --fail-on SEVERITY   exit 1 on findings at or above error (default), warning or info
      --strict             accepted; changes nothing (unknown and repeated fields are always errors)
",
    budget_options!(),
    "  -h, --help               this help

Exit status: 0 clean; 1 findings at or above --fail-on; 2 unusable input.
"
);

const LSP_USAGE: &str = concat!(
    "\
kubeplan lsp: a language server over stdio for editors: lint's findings as diagnostics, as you type

Usage:
  kubeplan lsp [--nodes FILE]... [--closed-world] [BUDGET]

Options:
      --nodes FILE         the cluster's nodes (`kubectl get nodes -o yaml`): also plan on them (repeatable)
      --closed-world       the files are the whole cluster: a ConfigMap, Secret, ... they lack is an error
      --strict             accepted; changes nothing
      --stdio              accepted (the server always talks over stdio)
",
    budget_options!(),
    "  -h, --help               this help
"
);

pub fn parse(args: &[String]) -> Result<Command, String> {
    let mut p = lexopt::Parser::from_args(args.iter().cloned());
    let verb = match p.next().map_err(|e| e.to_string())? {
        None => return Ok(Command::Help(None)),
        Some(Value(v)) => v.string().map_err(|e| e.to_string())?,
        Some(Long("help")) | Some(Short('h')) => return Ok(Command::Help(None)),
        Some(Long("version")) | Some(Short('V')) => return Ok(Command::Version),
        Some(other) => return Err(other.unexpected().to_string()),
    };
    match verb.as_str() {
        "plan" => parse_plan(&mut p).map(|a| a.map_or(Command::Help(Some(Verb::Plan)), Command::Plan)),
        "history" => parse_history(&mut p).map(|a| a.map_or(Command::Help(Some(Verb::History)), Command::History)),
        "explain" => parse_explain(&mut p).map(|a| a.map_or(Command::Help(Some(Verb::Explain)), Command::Explain)),
        "lint" => parse_lint(&mut p).map(|a| a.map_or(Command::Help(Some(Verb::Lint)), Command::Lint)),
        "lsp" => parse_lsp(&mut p).map(|a| a.map_or(Command::Help(Some(Verb::Lsp)), Command::Lsp)),
        "version" => Ok(Command::Version),
        // `kubeplan help VERB`, as `kubectl help VERB`.
        "help" => match p.next().map_err(|e| e.to_string())? {
            None => Ok(Command::Help(None)),
            Some(Value(v)) => {
                let word = v.string().map_err(|e| e.to_string())?;
                Verb::named(&word).map(|v| Command::Help(Some(v))).ok_or_else(|| format!("help: unknown command {word:?}"))
            }
            Some(other) => Err(other.unexpected().to_string()),
        },
        other => Err(format!("unknown command {other:?} (expected plan, history, explain, lint, lsp, version or help)")),
    }
}

/// `None` for `--help`/`-h`.
fn parse_plan(p: &mut lexopt::Parser) -> Result<Option<PlanArgs>, String> {
    let mut a =
        PlanArgs { files: Vec::new(), update: None, steps: None, output: Format::Table, budget: Budget::default(), namespace: None, kubelet_admission: false };
    while let Some(arg) = p.next().map_err(|e| e.to_string())? {
        match arg {
            Long(flag @ ("max-pods" | "max-objects" | "max-rounds")) => {
                let flag = flag.to_owned();
                budget_flag(&flag, &string(p)?, &mut a.budget)?
            }
            Long("update") => a.update = Some(string(p)?),
            Long("steps") => a.steps = Some(string(p)?),
            Long("namespace") | Short('n') => a.namespace = Some(namespace(p)?),
            Long("kubelet-admission") => a.kubelet_admission = true,
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
            Long("help") | Short('h') => return Ok(None),
            other => return Err(other.unexpected().to_string()),
        }
    }
    if a.files.is_empty() {
        return Err("plan needs at least one manifest file, directory or -".into());
    }
    Ok(Some(a))
}

/// `None` for `--help`/`-h`.
fn parse_lint(p: &mut lexopt::Parser) -> Result<Option<LintArgs>, String> {
    use crate::diag::Severity;
    let mut a = LintArgs {
        files: Vec::new(),
        nodes: Vec::new(),
        format: crate::lint::Format::Text,
        strict: false,
        closed_world: false,
        fail_on: Severity::Error,
        budget: Budget::default(),
        namespace: None,
    };
    while let Some(arg) = p.next().map_err(|e| e.to_string())? {
        match arg {
            Long(flag @ ("max-pods" | "max-objects" | "max-rounds")) => {
                let flag = flag.to_owned();
                budget_flag(&flag, &string(p)?, &mut a.budget)?
            }
            Long("nodes") => a.nodes.push(string(p)?),
            Long("strict") => a.strict = true,
            Long("closed-world") => a.closed_world = true,
            Long("namespace") | Short('n') => a.namespace = Some(namespace(p)?),
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
            Long("help") | Short('h') => return Ok(None),
            other => return Err(other.unexpected().to_string()),
        }
    }
    if a.files.is_empty() {
        return Err("lint needs at least one manifest file, directory or -".into());
    }
    Ok(Some(a))
}

/// `None` for `--help`/`-h`.
fn parse_lsp(p: &mut lexopt::Parser) -> Result<Option<LspArgs>, String> {
    let mut a = LspArgs { nodes: Vec::new(), strict: false, closed_world: false, budget: Budget::default() };
    while let Some(arg) = p.next().map_err(|e| e.to_string())? {
        match arg {
            Long(flag @ ("max-pods" | "max-objects" | "max-rounds")) => {
                let flag = flag.to_owned();
                budget_flag(&flag, &string(p)?, &mut a.budget)?
            }
            Long("nodes") => a.nodes.push(string(p)?),
            Long("strict") => a.strict = true,
            Long("closed-world") => a.closed_world = true,
            // Editors commonly start servers with --stdio.
            Long("stdio") => {}
            Long("help") | Short('h') => return Ok(None),
            other => return Err(other.unexpected().to_string()),
        }
    }
    Ok(Some(a))
}

/// `--max-pods`, `--max-objects`, `--max-rounds`: the value `v` of `flag` into `budget`.
fn budget_flag(flag: &str, v: &str, budget: &mut Budget) -> Result<(), String> {
    let n: u64 = v.parse().map_err(|_| format!("--{flag} {v:?}: expected a whole number"))?;
    match flag {
        "max-pods" => budget.pods = n,
        "max-objects" => budget.objects = n,
        _ => budget.rounds = u32::try_from(n).map_err(|_| format!("--{flag} {v:?}: at most {}", u32::MAX))?,
    }
    Ok(())
}

pub(super) fn string(p: &mut lexopt::Parser) -> Result<String, String> {
    p.value().map_err(|e| e.to_string())?.string().map_err(|e| e.to_string())
}

/// The value of `-n/--namespace`. kubectl refuses an empty one (`--namespace=""`): a namespace must be named.
fn namespace(p: &mut lexopt::Parser) -> Result<String, String> {
    let v = string(p)?;
    if v.is_empty() {
        return Err("--namespace: expected a namespace name".into());
    }
    Ok(v)
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryArgs {
    pub files: Vec<String>,
    pub update: Option<String>,
    pub steps: Option<String>,
    pub kind: Option<String>,
    pub name: Option<String>,
    pub namespace: Option<String>,
    pub revision: i64,
}

/// `None` for `--help`/`-h`.
fn parse_history(p: &mut lexopt::Parser) -> Result<Option<HistoryArgs>, String> {
    let mut a = HistoryArgs {
        files: Vec::new(),
        update: None,
        steps: None,
        kind: None,
        name: None,
        namespace: None,
        revision: 0,
    };
    while let Some(arg) = p.next().map_err(|e| e.to_string())? {
        match arg {
            Long("update") => a.update = Some(string(p)?),
            Long("steps") => a.steps = Some(string(p)?),
            Long("kind") => a.kind = Some(string(p)?),
            Long("name") => a.name = Some(string(p)?),
            Long("namespace") | Short('n') => a.namespace = Some(namespace(p)?),
            Long("revision") => {
                let v = string(p)?;
                a.revision = v.parse().map_err(|_| format!("--revision {v:?}: expected a number"))?;
            }
            Value(v) => a.files.push(v.string().map_err(|e| e.to_string())?),
            Long("help") | Short('h') => return Ok(None),
            other => return Err(other.unexpected().to_string()),
        }
    }
    if a.files.is_empty() {
        return Err("history needs at least one manifest file, directory or -".into());
    }
    if a.name.is_some() && a.kind.is_none() {
        return Err("history --name needs --kind".into());
    }
    if a.revision < 0 {
        return Err(format!("revision must be a positive integer: {}", a.revision));
    }
    Ok(Some(a))
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExplainArgs {
    /// `namespace/name`, or `name` in `default`.
    pub pod: String,
    pub files: Vec<String>,
    pub update: Option<String>,
    pub steps: Option<String>,
    /// `-n/--namespace`: where the manifests' objects go, as for `plan`; also the namespace of POD when it names
    /// none (as `kubectl get pod NAME -n NS`).
    pub namespace: Option<String>,
}

/// `None` for `--help`/`-h`.
fn parse_explain(p: &mut lexopt::Parser) -> Result<Option<ExplainArgs>, String> {
    let mut pod = None;
    let mut a = ExplainArgs { pod: String::new(), files: Vec::new(), update: None, steps: None, namespace: None };
    while let Some(arg) = p.next().map_err(|e| e.to_string())? {
        match arg {
            Long("update") => a.update = Some(string(p)?),
            Long("steps") => a.steps = Some(string(p)?),
            Long("namespace") | Short('n') => a.namespace = Some(namespace(p)?),
            Value(v) => {
                let v = v.string().map_err(|e| e.to_string())?;
                if pod.is_none() {
                    pod = Some(v);
                } else {
                    a.files.push(v);
                }
            }
            Long("help") | Short('h') => return Ok(None),
            other => return Err(other.unexpected().to_string()),
        }
    }
    a.pod = pod.ok_or("explain needs a pod (NAMESPACE/NAME or NAME) and at least one manifest file")?;
    if a.files.is_empty() {
        return Err("explain needs at least one manifest file, directory or - after the pod".into());
    }
    Ok(Some(a))
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
                output: Format::Json,
                budget: Budget::default(),
                namespace: None,
                kubelet_admission: false,
            })
        );
        assert!(parse(&args("plan")).is_err());
        assert!(parse(&args("plan a.yaml --output xml")).is_err());
        assert!(parse(&args("frobnicate")).is_err());
    }

    #[test]
    fn parses_lint_and_lsp_flags() {
        use crate::diag::Severity;
        let c = parse(&args("lint a.yaml b --nodes n.yaml --nodes m.yaml --format sarif --strict --closed-world --fail-on warning")).unwrap();
        assert_eq!(
            c,
            Command::Lint(LintArgs {
                files: vec!["a.yaml".into(), "b".into()],
                nodes: vec!["n.yaml".into(), "m.yaml".into()],
                format: crate::lint::Format::Sarif,
                strict: true,
                closed_world: true,
                fail_on: Severity::Warning,
                budget: Budget::default(),
                namespace: None,
            })
        );
        assert!(parse(&args("lint")).is_err());
        assert!(parse(&args("lint a.yaml --format xml")).is_err());
        assert!(parse(&args("lint a.yaml --fail-on never")).is_err());
        assert_eq!(
            parse(&args("lsp --stdio --nodes n.yaml --closed-world")).unwrap(),
            Command::Lsp(LspArgs { nodes: vec!["n.yaml".into()], strict: false, closed_world: true, budget: Budget::default() })
        );
        let c = parse(&args("plan a.yaml --max-pods 10 --max-objects 20 --max-rounds 30")).unwrap();
        let Command::Plan(p) = c else { panic!("{c:?}") };
        assert_eq!(p.budget, Budget { pods: 10, objects: 20, rounds: 30 });
        assert!(parse(&args("plan a.yaml --max-pods lots")).is_err());
        assert!(parse(&args("lint a.yaml --max-rounds 99999999999")).is_err());
    }

    #[test]
    fn parses_history_flags() {
        let args: Vec<String> =
            "a.yaml --kind ds --name x --namespace kube-system --revision 2".split(' ').map(String::from).collect();
        let mut p = lexopt::Parser::from_args(args);
        let h = parse_history(&mut p).unwrap().unwrap();
        assert_eq!(h.kind.as_deref(), Some("ds"));
        assert_eq!(h.revision, 2);
        let mut p = lexopt::Parser::from_args(["a.yaml", "--name", "x"]);
        assert!(parse_history(&mut p).is_err());
        let mut p = lexopt::Parser::from_args(["a.yaml", "--revision", "-1"]);
        assert_eq!(parse_history(&mut p).unwrap_err(), "revision must be a positive integer: -1");
    }

    #[test]
    fn parses_explain_pod_then_files() {
        let mut p = lexopt::Parser::from_args(["kube-system/x", "a.yaml", "b", "--steps", "s.yaml"]);
        let a = parse_explain(&mut p).unwrap().unwrap();
        assert_eq!(a.pod, "kube-system/x");
        assert_eq!(a.files, ["a.yaml", "b"]);
        assert_eq!(a.steps.as_deref(), Some("s.yaml"));
        let mut p = lexopt::Parser::from_args(["x"]);
        assert!(parse_explain(&mut p).is_err());
    }
}
