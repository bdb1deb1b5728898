// From the editors' texts to what the engine takes, and from the engine's located problems back to the editors.

import type { Diagnostic, Finding, Fix, InputFile, KubeplanError, PlanRequest, Severity } from "kubeplan";

/** The file name each editor's text is given in the request; messages name it. */
export const FILE_NAMES = {
  nodes: "nodes.yaml",
  manifests: "manifests.yaml",
  update: "update.yaml",
  steps: "steps.yaml",
  scheduler: "scheduler.yaml",
} as const;

/** An editor of the page, by the name of its text in the request. */
export type EditorName = keyof typeof FILE_NAMES;

/** The editors' texts (a missing one is empty). */
export type Texts = Partial<Record<EditorName, string>>;

/** Every editor (Object.keys types its keys as plain strings; these are FILE_NAMES' own). */
export const EDITORS = Object.keys(FILE_NAMES) as EditorName[];

const EDITOR_OF_FILE = new Map<string, EditorName>(EDITORS.map((k) => [FILE_NAMES[k], k]));

/** The editor that holds `file` (`nodes`, `manifests`, ...), or null for a file no editor has. */
export function editorOfFile(file: string | undefined): EditorName | null {
  return (file !== undefined && EDITOR_OF_FILE.get(file)) || null;
}

function blank(text: string | undefined): text is "" | undefined {
  // Nothing but comments and blank lines.
  return !String(text ?? "")
    .split(/\r?\n/)
    .some((l) => l.trim() !== "" && !l.trim().startsWith("#"));
}

/**
 * `{manifests, nodes, update, steps, scheduler}` texts → `{request, lintFiles}`. The nodes text goes as it is: the
 * engine reads YAML or JSON nodes, or the text `kubectl get nodes --show-labels` prints (it says so in a
 * `nodes-table-read` note, see `nodesTableNote`). The scheduler's configuration goes with the initial manifests, as
 * a file of its own (the engine reads a KubeSchedulerConfiguration there as kube-scheduler's --config).
 */
export function buildRequest(state: Texts): { request: PlanRequest; lintFiles: InputFile[] } {
  const nodesText = state.nodes ?? "";
  const manifests: InputFile[] = [
    { name: FILE_NAMES.nodes, text: nodesText },
    { name: FILE_NAMES.manifests, text: state.manifests ?? "" },
  ];
  if (!blank(state.scheduler)) manifests.push({ name: FILE_NAMES.scheduler, text: state.scheduler });
  const request: PlanRequest = { manifests };
  const lintFiles = [...manifests];
  if (!blank(state.update)) {
    const update = { name: FILE_NAMES.update, text: state.update };
    request.update = [update];
    lintFiles.push(update);
  }
  if (!blank(state.steps)) request.steps = { name: FILE_NAMES.steps, text: state.steps };
  return { request, lintFiles };
}

/** The engine's note on a nodes text it read as `kubectl get nodes` output, or "" when it read YAML or JSON. */
export function nodesTableNote(result: Located): string {
  const note = (result?.summary?.diagnostics ?? []).find((d) => d.code === "nodes-table-read" && d.file === FILE_NAMES.nodes);
  return note ? note.message : "";
}

/** What a run found, located: the plan's errors, the lint's findings, the plan's diagnostics. */
export type Located =
  | {
      errors?: readonly KubeplanError[];
      lint?: { findings: readonly Finding[] } | undefined;
      summary?: { diagnostics?: readonly Diagnostic[] } | null;
    }
  | null
  | undefined;

/** A text edit in an editor: 1-based lines and columns, end exclusive. */
export interface EditorEdit {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  text: string;
}

export interface EditorFix {
  description: string;
  /** Empty when the fix is to be read, not applied. */
  edits: EditorEdit[];
}

/** A problem as an editor shows it (1-based, end exclusive). */
export interface Problem {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Severity;
  message: string;
  /** The rule or code that found it. */
  source: string;
  fix?: EditorFix | undefined;
}

export type ProblemsByEditor = Record<EditorName | "other", Problem[]>;

/**
 * A lint fix as an editor applies it: `{description, edits}`, each edit `{line, column, endLine, endColumn, text}`
 * (1-based, end exclusive) in the finding's own file. A fix that says what to do without edits, or whose edits
 * reach into another file, keeps its description and no edits: it is read, not applied.
 */
export function editorFix(file: string, fix: Fix): EditorFix {
  const all = fix.edits ?? []; // absent when the fix only says what to do
  const edits = all.every((e) => e.file === file)
    ? all.map((e) => ({ line: e.span.start.line, column: e.span.start.col, endLine: e.span.end.line, endColumn: e.span.end.col, text: e.text }))
    : [];
  return { description: fix.description, edits };
}

/**
 * Every located problem of a run, per editor, without repeats: `{nodes: [...], manifests: [...], ...}`, each
 * `{line, column, endLine, endColumn, severity, message, source, fix?}` (1-based, end exclusive; `fix` as
 * `editorFix` gives it). Problems with no file
 * or a file no editor has go under `other`.
 */
export function problemsByEditor(result: Located): ProblemsByEditor {
  const out: ProblemsByEditor = { nodes: [], manifests: [], update: [], steps: [], scheduler: [], other: [] };
  const seen = new Set<string>();
  const add = (file: string, p: Problem) => {
    const editor = editorOfFile(file) ?? "other";
    const q = { ...p };
    // The plan and lint report the API server's refusal each at its own column of the same line (the value,
    // the field): one problem.
    const key = `${editor}|${q.line}|${q.severity}|${q.message}`;
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
      message: f.message,
      source: f.rule,
      fix: f.fix ? editorFix(f.file, f.fix) : undefined,
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
  // Severity values that lint and plan use ("error" | "warning" | "info"/"hint") are normalised above.
  return out;
}
