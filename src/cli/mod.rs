//! The command-line interface, shared by the native binary and the npm package's CLI.
//!
//! Everything but reading files lives here, behind [`Io`], so `kubeplan` and `npx kubeplan` parse the same
//! flags, print the same bytes and exit with the same codes. Exit codes: 0 success, 1 some object was rejected
//! (plan) or findings at or above the threshold (lint), 2 unusable input or usage error.

mod args;
mod lint;
mod explain;
mod history;

use crate::facade::{self, ExitCode, PlanReport, PlanRequest};
use crate::input::Source;

pub use args::{Command, Format, LintArgs, LspArgs, PlanArgs, Verb};
pub use lint::{lsp_server, run_lint};

/// The file system as the CLI needs it. The native shell implements it with `std::fs`, the npm shell with
/// Node's `fs`.
pub trait Io {
    fn read_file(&mut self, path: &str) -> Result<String, String>;
    fn is_dir(&mut self, path: &str) -> bool;
    /// The entries of a directory, as paths.
    fn list_dir(&mut self, path: &str) -> Result<Vec<String>, String>;
    fn read_stdin(&mut self) -> Result<String, String>;
    /// The bytes of a file (`-`: stdin), refused when larger than `limit`: before reading, where the shell can
    /// tell the size. kubeplan decodes them as kubectl does ([`Source::from_bytes`]). The default reads the text
    /// `read_file` and `read_stdin` give.
    fn read_bytes(&mut self, path: &str, limit: usize) -> Result<Vec<u8>, String> {
        read_text_as_bytes(self, path, limit)
    }
    /// Whether the process ends when the command returns. A plan's objects are then left for the operating
    /// system to reclaim: freeing a large plan object by object takes a tenth of its run.
    fn exits_after_command(&self) -> bool {
        false
    }
    /// Standard output, for a shell that can write it while the command runs. A plan's JSON document is then
    /// written in parts as it is made rather than returned whole in [`Outcome::stdout`]: at 100,000 pods it is a
    /// gigabyte of text. The default has none, and the whole text is returned.
    fn stdout(&mut self) -> Option<&mut dyn std::io::Write> {
        None
    }
}

/// Files held in memory, by path, as bytes (which need not be text): for tests, fuzzing and embedders that
/// have no file system. Directories are not modelled; stdin is the file `-` if there is one.
#[derive(Clone, Debug, Default)]
pub struct MemoryFiles(pub std::collections::BTreeMap<String, Vec<u8>>);

impl MemoryFiles {
    pub fn with(mut self, path: &str, bytes: impl Into<Vec<u8>>) -> MemoryFiles {
        self.0.insert(path.to_owned(), bytes.into());
        self
    }

    fn get(&self, path: &str) -> Result<&[u8], String> {
        self.0.get(path).map(Vec::as_slice).ok_or_else(|| format!("{path}: no such file"))
    }
}

impl Io for MemoryFiles {
    fn read_file(&mut self, path: &str) -> Result<String, String> {
        String::from_utf8(self.get(path)?.to_vec()).map_err(|e| format!("{path}: {e}"))
    }
    fn read_bytes(&mut self, path: &str, limit: usize) -> Result<Vec<u8>, String> {
        let bytes = self.get(path)?;
        if bytes.len() > limit {
            return Err(too_large(path, bytes.len() as u64, limit));
        }
        Ok(bytes.to_vec())
    }
    fn is_dir(&mut self, _: &str) -> bool {
        false
    }
    fn list_dir(&mut self, path: &str) -> Result<Vec<String>, String> {
        Err(format!("{path}: not a directory"))
    }
    fn read_stdin(&mut self) -> Result<String, String> {
        self.read_file("-").or_else(|_| Ok(String::new()))
    }
}

/// [`Io::read_bytes`] for a shell that can read only text: the text `read_file` (`read_stdin` for `-`) gives.
pub fn read_text_as_bytes<I: Io + ?Sized>(io: &mut I, path: &str, limit: usize) -> Result<Vec<u8>, String> {
    let text = if path == "-" { io.read_stdin()? } else { io.read_file(path)? };
    if text.len() > limit {
        return Err(too_large(path, text.len() as u64, limit));
    }
    Ok(text.into_bytes())
}

/// The refusal of a file larger than kubeplan reads.
pub fn too_large(path: &str, size: u64, limit: usize) -> String {
    let name = if path == "-" { "stdin" } else { path };
    format!("{name}: {size} bytes or more; kubeplan reads at most {limit} bytes per file (split it)")
}

/// A file read and decoded as kubectl reads it.
fn read_source(path: &str, io: &mut dyn Io) -> Result<Source, String> {
    Ok(Source::from_bytes(path, &io.read_bytes(path, crate::input::yaml::MAX_FILE_BYTES)?))
}

/// What a CLI run printed and how it ended.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

impl Outcome {
    /// A command that could not start (a usage error, a file that cannot be read): the message and exit status 2.
    fn unusable(message: impl std::fmt::Display) -> Outcome {
        Outcome { stderr: format!("error: {message}\n"), code: ExitCode::Unusable.code(), ..Default::default() }
    }

    /// A command that planned: the input's diagnostics go first on standard error.
    fn planned(report: &PlanReport) -> Outcome {
        let stderr = report.diagnostics().iter().map(|d| format!("{d}\n")).collect();
        Outcome { stderr, ..Default::default() }
    }
}

/// Parse the command line (without the program name). Shells that host long-running verbs (`lsp`) look at the
/// command before handing the rest to [`run`].
pub fn command(args: &[String]) -> Result<Command, String> {
    args::parse(args)
}

/// Run the CLI with `args` (without the program name).
pub fn run(args: &[String], io: &mut dyn Io) -> Outcome {
    match args::parse(args) {
        Ok(Command::Help(None)) => Outcome { stdout: args::USAGE.to_owned(), ..Default::default() },
        Ok(Command::Help(Some(verb))) => Outcome { stdout: verb.usage().to_owned(), ..Default::default() },
        Ok(Command::Version) => Outcome { stdout: facade::version() + "\n", ..Default::default() },
        Ok(Command::Plan(p)) => run_plan(&p, io),
        Ok(Command::Lint(l)) => run_lint(&l, io),
        Ok(Command::Lsp(_)) => {
            Outcome::unusable("the language server talks over stdio: run the native kubeplan binary's `kubeplan lsp`")
        }
        Ok(Command::History(h)) => history::run(&h, io),
        Ok(Command::Explain(e)) => explain::run(&e, io),
        Err(e) => Outcome { stderr: format!("error: {e}\n\n{}", args::USAGE), code: ExitCode::Unusable.code(), ..Default::default() },
    }
}

fn run_plan(p: &PlanArgs, io: &mut dyn Io) -> Outcome {
    let mut request = match read_plan_request(p, io) {
        Ok(r) => r,
        Err(e) => return Outcome::unusable(e),
    };
    request.options.budget = p.budget;
    request.options.namespace = p.namespace.clone();
    request.options.kubelet_admission = p.kubelet_admission;
    let report = facade::plan(request);
    let mut out = Outcome::planned(&report);
    out.stdout = match p.output {
        Format::Json => json_document(&report, io),
        Format::Yaml => crate::output::yaml::render(&report),
        Format::Table => crate::output::table::render(&report, false),
        Format::Wide => crate::output::table::render(&report, true),
        Format::Rollout => crate::output::rollout::render(&report),
    };
    out.code = report.exit_code().code();
    if io.exits_after_command() {
        std::mem::forget(report);
    }
    out
}

/// The plan's JSON document: written to the shell's standard output as it is made where the shell has one
/// ([`Io::stdout`]), and then nothing is returned; otherwise returned whole. A failed write (a closed pipe:
/// `kubeplan plan ... -o json | head`) ends the document, as a closed pipe ends any command's output.
fn json_document(report: &PlanReport, io: &mut dyn Io) -> String {
    use crate::output::json;
    match io.stdout() {
        Some(out) => {
            let _ = json::write_to(report, json::Detail::Full, out);
            String::new()
        }
        None => json::to_string(report),
    }
}

/// The files a plan reads, as a request with default options.
fn read_plan_request(p: &PlanArgs, io: &mut dyn Io) -> Result<PlanRequest, String> {
    let mut request = PlanRequest::default();
    for f in &p.files {
        request.manifests.extend(read_sources(f, io)?);
    }
    if let Some(u) = &p.update {
        request.update = read_sources(u, io)?;
    }
    if let Some(s) = &p.steps {
        let src = read_source(s, io)?;
        request.files = step_files(&src, s, io)?;
        request.steps = Some(src);
    }
    Ok(request)
}

/// A file, every `.yaml`/`.yml`/`.json` file of a directory (sorted, as `kubectl apply -f DIR` reads them), or
/// stdin for `-`.
pub fn read_sources(arg: &str, io: &mut dyn Io) -> Result<Vec<Source>, String> {
    if arg == "-" {
        return Ok(vec![read_source("-", io)?]);
    }
    if io.is_dir(arg) {
        let mut entries: Vec<String> = io
            .list_dir(arg)?
            .into_iter()
            .filter(|p| [".yaml", ".yml", ".json"].iter().any(|ext| p.ends_with(ext)))
            .collect();
        entries.sort();
        return entries.into_iter().map(|p| read_source(&p, io)).collect();
    }
    Ok(vec![read_source(arg, io)?])
}

/// The files a steps file applies, read from beside it.
fn step_files(steps: &Source, steps_path: &str, io: &mut dyn Io) -> Result<Vec<Source>, String> {
    let dir = match steps_path.rfind('/') {
        Some(i) => &steps_path[..=i],
        None => "",
    };
    facade::step_files(steps)
        .into_iter()
        .map(|file| Ok(Source { name: file.clone(), ..read_source(&format!("{dir}{file}"), io)? }))
        .collect()
}
