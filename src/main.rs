//! The native command-line interface: a thin shell that reads files and prints what the engine returns.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use kubeplan::input::Source;
use kubeplan::plan::steps::Step;
use kubeplan::{plan, PlanInput, PlanOptions};

#[derive(Parser)]
#[command(name = "kubeplan", version, about = "What a Kubernetes v1.32 cluster would do with your manifests")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Plan: which pods exist, where they run or why they stay Pending, and how rollouts proceed.
    Plan {
        /// Manifest files or directories (`-` for stdin): nodes, namespaces, priority classes and workloads.
        #[arg(required = true)]
        files: Vec<String>,
        /// Objects applied after the cluster settled, as updates of the same objects.
        #[arg(long)]
        update: Option<String>,
        /// A YAML list of actions applied one by one afterwards.
        #[arg(long)]
        steps: Option<String>,
        /// Output format.
        #[arg(long, short, value_enum, default_value_t = Format::Table)]
        output: Format,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Table,
    Wide,
    Yaml,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Plan { files, update, steps, output } => run_plan(&files, update.as_deref(), steps.as_deref(), output),
    }
}

fn run_plan(files: &[String], update: Option<&str>, steps: Option<&str>, output: Format) -> ExitCode {
    let mut input = PlanInput::default();
    let result = (|| -> Result<(), String> {
        for f in files {
            input.manifests.extend(read_sources(f)?);
        }
        if let Some(u) = update {
            input.update = read_sources(u)?;
        }
        if let Some(s) = steps {
            let src = read_one(Path::new(s))?;
            input.files = step_files(&src, Path::new(s))?;
            input.steps = Some(src);
        }
        Ok(())
    })();
    if let Err(e) = result {
        eprintln!("error: {e}");
        return ExitCode::from(2);
    }
    let p = plan(&input, &PlanOptions::default());
    for d in &p.diagnostics {
        eprintln!("{d}");
    }
    match output {
        Format::Json => {
            let v = kubeplan::output::json::to_value(&p);
            println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        }
        Format::Yaml | Format::Table | Format::Wide => {
            let v = kubeplan::output::json::to_value(&p);
            println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        }
    }
    if p.input_unusable() {
        ExitCode::from(2)
    } else if !p.rejections().is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// A file, every `.yaml`/`.yml`/`.json` file of a directory (sorted, as `kubectl apply -f DIR`), or stdin.
fn read_sources(arg: &str) -> Result<Vec<Source>, String> {
    if arg == "-" {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).map_err(|e| format!("reading stdin: {e}"))?;
        return Ok(vec![Source::new("-", text)]);
    }
    let path = Path::new(arg);
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| format!("{arg}: {e}"))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| matches!(p.extension().and_then(|x| x.to_str()), Some("yaml" | "yml" | "json")))
            .collect();
        entries.sort();
        return entries.iter().map(|p| read_one(p)).collect();
    }
    Ok(vec![read_one(path)?])
}

fn read_one(path: &Path) -> Result<Source, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(Source::new(path.display().to_string(), text))
}

/// The files a steps file applies, read from beside it.
fn step_files(steps: &Source, steps_path: &Path) -> Result<Vec<Source>, String> {
    let Ok(list) = kubeplan::plan::steps::parse(steps) else { return Ok(Vec::new()) };
    let dir = steps_path.parent().unwrap_or(Path::new("."));
    let mut out = Vec::new();
    for step in list {
        if let Step::Apply { file } = step {
            let mut src = read_one(&dir.join(&file))?;
            src.name = file.clone();
            out.push(src);
        }
    }
    Ok(out)
}
