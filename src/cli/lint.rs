//! `kubeplan lint` and the setup of `kubeplan lsp`.

use crate::input::Source;
use crate::lint::{lint, render, LintOptions};
use crate::lsp::Server;

use super::{read_sources, Io, LintArgs, LspArgs, Outcome};

/// Lint the files and render the report. Exit status: 0 clean; 1 findings at or above `--fail-on`;
/// 2 a file that cannot be read.
pub fn run_lint(a: &LintArgs, io: &mut dyn Io) -> Outcome {
    let (sources, nodes) = match read_all(&a.files, &a.nodes, io) {
        Ok(x) => x,
        Err(e) => return Outcome::unusable(e),
    };
    let options = LintOptions {
        strict: a.strict,
        nodes,
        closed_world: a.closed_world,
        budget: a.budget,
        namespace: a.namespace.clone(),
    };
    let report = lint(&sources, &options);
    let all: Vec<Source> = sources.into_iter().chain(options.nodes).collect();
    Outcome { stdout: render(&report, &all, a.format, a.fail_on), stderr: String::new(), code: report.exit_code(a.fail_on).code() }
}

fn read_all(files: &[String], nodes: &[String], io: &mut dyn Io) -> Result<(Vec<Source>, Vec<Source>), String> {
    let mut sources = Vec::new();
    for f in files {
        sources.extend(read_sources(f, io)?);
    }
    let mut node_sources = Vec::new();
    for f in nodes {
        node_sources.extend(read_sources(f, io)?);
    }
    Ok((sources, node_sources))
}

/// The language server for `kubeplan lsp`, with its node files read through `io`.
pub fn lsp_server(a: &LspArgs, io: &mut dyn Io) -> Result<Server, String> {
    let (_, nodes) = read_all(&[], &a.nodes, io)?;
    Ok(Server::new(LintOptions { strict: a.strict, nodes, closed_world: a.closed_world, budget: a.budget, namespace: None }))
}
