//! The command-line interface, shared by the native binary and the npm package's CLI.
//!
//! Everything but reading files lives here, behind [`Io`], so `kubeplan` and `npx kubeplan` parse the same
//! flags, print the same bytes and exit with the same codes. Exit codes: 0 success, 1 some object was rejected
//! (plan) or findings at or above the threshold (lint), 2 unusable input or usage error.

mod args;
mod lint;
mod explain;
mod history;

use crate::input::Source;
use crate::sim::steps::Step;
use crate::{plan, PlanInput, PlanOptions};

pub use args::{Command, Format, LintArgs, LspArgs, PlanArgs};
pub use lint::{lsp_server, run_lint};

/// The file system as the CLI needs it. The native shell implements it with `std::fs`, the npm shell with
/// Node's `fs`.
pub trait Io {
    fn read_file(&mut self, path: &str) -> Result<String, String>;
    fn is_dir(&mut self, path: &str) -> bool;
    /// The entries of a directory, as paths.
    fn list_dir(&mut self, path: &str) -> Result<Vec<String>, String>;
    fn read_stdin(&mut self) -> Result<String, String>;
    /// Whether the process ends when the command returns. A plan's objects are then left for the operating
    /// system to reclaim: freeing a large plan object by object takes a tenth of its run.
    fn exits_after_command(&self) -> bool {
        false
    }
}

/// What a CLI run printed and how it ended.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

pub const EXIT_OK: i32 = 0;
pub const EXIT_FINDINGS: i32 = 1;
pub const EXIT_UNUSABLE: i32 = 2;

/// Parse the command line (without the program name). Shells that host long-running verbs (`lsp`) look at the
/// command before handing the rest to [`run`].
pub fn command(args: &[String]) -> Result<Command, String> {
    args::parse(args)
}

/// Run the CLI with `args` (without the program name).
pub fn run(args: &[String], io: &mut dyn Io) -> Outcome {
    match args::parse(args) {
        Ok(Command::Help) => Outcome { stdout: args::USAGE.to_owned(), ..Default::default() },
        Ok(Command::Version) => {
            Outcome { stdout: format!("kubeplan {} (Kubernetes v1.32)\n", env!("CARGO_PKG_VERSION")), ..Default::default() }
        }
        Ok(Command::Plan(p)) => run_plan(&p, io),
        Ok(Command::Lint(l)) => run_lint(&l, io),
        Ok(Command::Lsp(_)) => Outcome {
            stderr: "error: the language server talks over stdio: run the native kubeplan binary's `kubeplan lsp`\n".into(),
            code: EXIT_UNUSABLE,
            ..Default::default()
        },
        Ok(Command::History(h)) => history::run(&h, io),
        Ok(Command::Explain(e)) => explain::run(&e, io),
        Err(e) => Outcome { stderr: format!("error: {e}\n\n{}", args::USAGE), code: EXIT_UNUSABLE, ..Default::default() },
    }
}

fn run_plan(p: &PlanArgs, io: &mut dyn Io) -> Outcome {
    let input = match read_plan_input(p, io) {
        Ok(i) => i,
        Err(e) => return Outcome { stderr: format!("error: {e}\n"), code: EXIT_UNUSABLE, ..Default::default() },
    };
    let plan = plan(&input, &PlanOptions::default());
    let mut out = Outcome::default();
    for d in &plan.diagnostics {
        out.stderr.push_str(&format!("{d}\n"));
    }
    out.stdout = match p.output {
        Format::Json => crate::output::json::to_string(&plan),
        Format::Yaml => crate::output::yaml::render(&plan),
        Format::Table => crate::output::table::render(&plan, false),
        Format::Wide => crate::output::table::render(&plan, true),
        Format::Rollout => crate::output::rollout::render(&plan),
    };
    out.code = if plan.input_unusable() {
        EXIT_UNUSABLE
    } else if !plan.rejections().is_empty() {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    };
    if io.exits_after_command() {
        std::mem::forget(plan);
    }
    out
}

fn read_plan_input(p: &PlanArgs, io: &mut dyn Io) -> Result<PlanInput, String> {
    let mut input = PlanInput::default();
    for f in &p.files {
        input.manifests.extend(read_sources(f, io)?);
    }
    if let Some(u) = &p.update {
        input.update = read_sources(u, io)?;
    }
    if let Some(s) = &p.steps {
        let src = Source::new(s.clone(), io.read_file(s)?);
        input.files = step_files(&src, s, io)?;
        input.steps = Some(src);
    }
    Ok(input)
}

/// A file, every `.yaml`/`.yml`/`.json` file of a directory (sorted, as `kubectl apply -f DIR` reads them), or
/// stdin for `-`.
pub fn read_sources(arg: &str, io: &mut dyn Io) -> Result<Vec<Source>, String> {
    if arg == "-" {
        return Ok(vec![Source::new("-", io.read_stdin()?)]);
    }
    if io.is_dir(arg) {
        let mut entries: Vec<String> = io
            .list_dir(arg)?
            .into_iter()
            .filter(|p| [".yaml", ".yml", ".json"].iter().any(|ext| p.ends_with(ext)))
            .collect();
        entries.sort();
        return entries.into_iter().map(|p| Ok(Source::new(p.clone(), io.read_file(&p)?))).collect();
    }
    Ok(vec![Source::new(arg, io.read_file(arg)?)])
}

/// The files a steps file applies, read from beside it.
fn step_files(steps: &Source, steps_path: &str, io: &mut dyn Io) -> Result<Vec<Source>, String> {
    let Ok(list) = crate::sim::steps::parse(steps) else { return Ok(Vec::new()) };
    let dir = match steps_path.rfind('/') {
        Some(i) => &steps_path[..=i],
        None => "",
    };
    let mut out = Vec::new();
    for step in list {
        if let Step::Apply { file } = step {
            let text = io.read_file(&format!("{dir}{file}"))?;
            out.push(Source::new(file, text));
        }
    }
    Ok(out)
}
