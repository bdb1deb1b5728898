// From the editors' texts to what the engine takes, and from the engine's located problems back to the editors.

import { looksLikeNodesTable, nodesTableToYaml } from "./nodes-text.js";

/** The file name each editor's text is given in the request; messages name it. */
export const FILE_NAMES = {
  nodes: "nodes.yaml",
  manifests: "manifests.yaml",
  update: "update.yaml",
  steps: "steps.yaml",
  scheduler: "scheduler.yaml",
};

const EDITOR_OF_FILE = Object.fromEntries(Object.entries(FILE_NAMES).map(([k, v]) => [v, k]));

function blank(text) {
  // Nothing but comments and blank lines.
  return !String(text ?? "")
    .split(/\r?\n/)
    .some((l) => l.trim() !== "" && !l.trim().startsWith("#"));
}

/**
 * `{manifests, nodes, update, steps, scheduler}` texts → `{request, lintFiles, nodesTable}`. A nodes text in the
 * form of `kubectl get nodes --show-labels` is turned into Node YAML; `nodesTable` then has the line map back to
 * the table and the table's own errors. The scheduler's configuration goes with the initial manifests, as a file
 * of its own (the engine reads a KubeSchedulerConfiguration there as kube-scheduler's --config).
 */
export function buildRequest(state) {
  let nodesText = state.nodes ?? "";
  let nodesTable = null;
  if (looksLikeNodesTable(nodesText)) {
    const t = nodesTableToYaml(nodesText);
    nodesText = t.yaml;
    nodesTable = { lineMap: t.lineMap, count: t.nodes.length, errors: t.errors };
  }
  const manifests = [
    { name: FILE_NAMES.nodes, text: nodesText },
    { name: FILE_NAMES.manifests, text: state.manifests ?? "" },
  ];
  if (!blank(state.scheduler)) manifests.push({ name: FILE_NAMES.scheduler, text: state.scheduler });
  const request = { manifests };
  const lintFiles = [...manifests];
  if (!blank(state.update)) {
    request.update = [{ name: FILE_NAMES.update, text: state.update }];
    lintFiles.push(request.update[0]);
  }
  if (!blank(state.steps)) request.steps = { name: FILE_NAMES.steps, text: state.steps };
  return { request, lintFiles, nodesTable };
}

/**
 * Every located problem of a run, per editor, without repeats: `{nodes: [...], manifests: [...], ...}`, each
 * `{line, column, endLine, endColumn, severity, message, source}` (1-based, end exclusive). Problems with no file
 * or a file no editor has go under `other`.
 */
export function problemsByEditor(result, nodesTable) {
  const out = { nodes: [], manifests: [], update: [], steps: [], scheduler: [], other: [] };
  const seen = new Set();
  const add = (file, p) => {
    let editor = EDITOR_OF_FILE[file] ?? "other";
    let q = { ...p };
    if (editor === "nodes" && nodesTable) {
      // Back from the generated YAML to the table line it came from: the whole line.
      const at = nodesTable.lineMap[p.line - 1] ?? 1;
      q = { ...q, line: at, column: 1, endLine: at, endColumn: 10_000 };
    }
    const key = `${editor}|${q.line}|${q.column}|${q.severity}|${q.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    out[editor].push(q);
  };
  for (const e of result?.errors ?? []) {
    add(e.file, {
      line: e.line || 1,
      column: e.column || 1,
      endLine: e.endLine || e.line || 1,
      endColumn: e.endColumn || e.column || 1,
      severity: e.severity === "warning" ? "warning" : e.severity === "info" ? "info" : "error",
      message: e.message,
      source: e.code,
    });
  }
  for (const f of result?.lint?.findings ?? []) {
    add(f.file, {
      line: f.span.start.line,
      column: f.span.start.col,
      endLine: f.span.end.line,
      endColumn: f.span.end.col,
      severity: f.severity === "error" ? "error" : f.severity === "warning" ? "warning" : "info",
      message: f.fix ? `${f.message} (fix: ${f.fix})` : f.message,
      source: f.rule,
    });
  }
  for (const d of result?.summary?.diagnostics ?? []) {
    add(d.file, {
      line: d.span.start.line,
      column: d.span.start.col,
      endLine: d.span.end.line,
      endColumn: d.span.end.col,
      severity: d.severity === "error" ? "error" : d.severity === "warning" ? "warning" : "info",
      message: d.message,
      source: d.code,
    });
  }
  if (nodesTable) {
    for (const e of nodesTable.errors) {
      const k = `nodes|${e.line}|${e.column}|error|${e.message}`;
      if (seen.has(k)) continue;
      seen.add(k);
      out.nodes.push({ line: e.line, column: e.column, endLine: e.line, endColumn: 10_000, severity: "error", message: e.message, source: "kubectl-get-nodes" });
    }
  }
  // Severity values that lint and plan use ("error" | "warning" | "info"/"hint") are normalised above.
  return out;
}
